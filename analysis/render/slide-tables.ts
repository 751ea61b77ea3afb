import type { TableBlock } from '../core/presentation.ts';
import { formatCell, headerRows, columnCount, numericColumns, type HeaderCell } from './format.ts';
import { COLOURS, type SlideDeck, type TextStyle } from './slide-deck.ts';

const PADDING_X = 6;
const PADDING_Y = 3;
const FONT_SIZES = [12, 11, 10, 9];
const TITLE_STYLE: TextStyle = { font: 'bold', size: 12 };
const CAPTION_STYLE: TextStyle = { font: 'italic', size: 9.5, colour: COLOURS.muted };

/** A table measured for one width: font size, column widths and each row's height. */
export interface TableLayout {
  table: TableBlock;
  size: number;
  columns: number[];
  width: number;
  header: HeaderCell[][];
  headerHeights: number[];
  rowTexts: string[][];
  rowHeights: number[];
  numeric: boolean[];
  titleHeight: number;
  captionHeight: number;
}

/** Width the table takes at the largest font size with no wrapping. */
export function naturalTableWidth(deck: SlideDeck, table: TableBlock): number {
  return columnWidths(deck, table, FONT_SIZES[0]).reduce((sum, width) => sum + width, 0);
}

function columnWidths(deck: SlideDeck, table: TableBlock, size: number): number[] {
  const count = columnCount(table);
  const widths = new Array<number>(count).fill(2 * PADDING_X);
  for (const row of table.rows) {
    row.forEach((cell, column) => {
      const text = formatCell(cell);
      widths[column] = Math.max(widths[column], deck.widthOf(text, { size }) + 2 * PADDING_X);
    });
  }
  for (const row of headerRows(table)) {
    let column = 0;
    for (const cell of row) {
      if (cell.span === 1 && column < count) {
        const width = deck.widthOf(cell.text, { size, font: 'bold' }) + 2 * PADDING_X;
        widths[column] = Math.max(widths[column], width);
      }
      column += cell.span;
    }
  }
  return widths;
}

/**
 * Measures a table for `maxWidth`: the largest font size at which it fits unwrapped, or
 * at the smallest size columns narrowed in proportion, with cell text wrapping.
 */
export function layoutTable(deck: SlideDeck, table: TableBlock, maxWidth: number): TableLayout {
  let size = FONT_SIZES[FONT_SIZES.length - 1];
  let columns = columnWidths(deck, table, size);
  for (const candidate of FONT_SIZES) {
    const widths = columnWidths(deck, table, candidate);
    if (sum(widths) <= maxWidth) {
      size = candidate;
      columns = widths;
      break;
    }
  }
  if (sum(columns) > maxWidth) {
    const factor = maxWidth / sum(columns);
    columns = columns.map((width) => width * factor);
  }
  const width = sum(columns);
  const header = headerRows(table);
  const headerHeights = header.map((row) => rowHeight(deck, row.map((cell) => cell.text),
    spanWidths(row, columns), { size, font: 'bold' }));
  const rowTexts = table.rows.map((row) =>
    Array.from({ length: columns.length }, (_, column) => formatCell(row[column] ?? '')));
  const rowHeights = rowTexts.map((texts) => rowHeight(deck, texts, columns, { size }));
  const titleHeight = table.title ? deck.measure(table.title, width, TITLE_STYLE) + 4 : 0;
  const captionHeight = table.caption ? deck.measure(table.caption, width, CAPTION_STYLE) + 4 : 0;
  return {
    table, size, columns, width, header, headerHeights, rowTexts, rowHeights,
    numeric: numericColumns(table), titleHeight, captionHeight,
  };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function spanWidths(row: HeaderCell[], columns: number[]): number[] {
  let column = 0;
  return row.map((cell) => {
    const width = sum(columns.slice(column, column + cell.span));
    column += cell.span;
    return width;
  });
}

function rowHeight(deck: SlideDeck, texts: string[], widths: number[], style: TextStyle): number {
  const heights = texts.map((text, i) =>
    deck.measure(text || ' ', Math.max(1, (widths[i] ?? 0) - 2 * PADDING_X), style));
  return Math.max(deck.lineHeight(style), ...heights) + 2 * PADDING_Y;
}

/** Height of the title, header and caption: what every slice of the table repeats. */
export function tableFrameHeight(layout: TableLayout): number {
  return layout.titleHeight + sum(layout.headerHeights) + layout.captionHeight;
}

/** Counts the rows from `start` that fit in `height` below the repeated header. */
export function rowsThatFit(layout: TableLayout, start: number, height: number): number {
  let used = tableFrameHeight(layout);
  let count = 0;
  for (let row = start; row < layout.rowHeights.length; row += 1) {
    used += layout.rowHeights[row];
    if (used > height) break;
    count += 1;
  }
  return count;
}

/** Draws rows [start, end) of the table with its header at (x, y); returns the height. */
export function drawTableSlice(deck: SlideDeck, layout: TableLayout, start: number,
  end: number, x: number, y: number, continued: boolean): number {
  let top = y;
  if (layout.table.title) {
    const title = continued ? `${layout.table.title} (cont.)` : layout.table.title;
    deck.text(title, x, top, layout.width, TITLE_STYLE, { maxLines: 1 });
    top += layout.titleHeight;
  }
  const labels = layout.table.labelColumns ?? 1;
  layout.header.forEach((row, index) => {
    const height = layout.headerHeights[index];
    deck.rect(x, top, layout.width, height, COLOURS.tableHeader);
    let left = x;
    spanWidths(row, layout.columns).forEach((width, i) => {
      const align = i < labels && row[i].span === 1 ? 'left' : 'center';
      deck.text(row[i].text, left + PADDING_X, top + PADDING_Y, Math.max(1, width - 2 * PADDING_X),
        { size: layout.size, font: 'bold', align });
      left += width;
    });
    top += height;
  });
  deck.line(x, top, x + layout.width, top, COLOURS.ink, 0.8);
  for (let row = start; row < end; row += 1) {
    const height = layout.rowHeights[row];
    if ((row - start) % 2 === 1) deck.rect(x, top, layout.width, height, COLOURS.tableStripe);
    let left = x;
    layout.rowTexts[row].forEach((text, column) => {
      const width = layout.columns[column];
      deck.text(text, left + PADDING_X, top + PADDING_Y, Math.max(1, width - 2 * PADDING_X),
        { size: layout.size, align: layout.numeric[column] ? 'right' : 'left' });
      left += width;
    });
    top += height;
  }
  deck.line(x, top, x + layout.width, top, COLOURS.ink, 0.8);
  if (layout.table.caption) {
    deck.text(layout.table.caption, x, top + 4, layout.width, CAPTION_STYLE);
    top += layout.captionHeight;
  }
  return top - y;
}
