import createDebug from 'debug';
import type { TableBlock } from '../core/presentation.ts';
import { breakableWords, formatCell, headerRows, columnCount, numericColumns, type HeaderCell } from './format.ts';
import { COLOURS, type SlideDeck, type TextStyle } from './slide-deck.ts';

const debug = createDebug('report:slides');

const PADDING_X = 6;
const PADDING_Y = 3;
/** Font size of a table that does not get the room to grow. */
export const BASE_TABLE_SIZE = 12;
/** Largest font size a short table grows to when the slide has room for it. */
export const MAX_TABLE_SIZE = 16;
/** Smallest font size of a table drawn without wrapping any cell. */
const MIN_UNWRAPPED_SIZE = 10;
/** Smallest font size of any table: below it a slide is no longer readable. */
export const MIN_TABLE_SIZE = 9;
const GROWN_SIZES = [16, 15, 14, 13];
const SIZES = [12, 11.5, 11, 10.5, 10, 9.5, 9];
/** Title and caption of a table: fixed up to the base size, growing with a larger body. */
function titleStyle(size: number): TextStyle {
  return { font: 'bold', size: Math.max(BASE_TABLE_SIZE, size) };
}

function captionStyle(size: number): TextStyle {
  return { font: 'italic', size: Math.max(9.5, size * 0.8), colour: COLOURS.muted };
}

/**
 * Where a cell's text may wrap: never (numbers), at spaces (headers and text), or at
 * spaces and after underscores (row labels such as HLT path names).
 */
type BreakRule = 'none' | 'words' | 'label';

/** A table measured for one width: font size, column widths and each cell's lines. */
export interface TableLayout {
  table: TableBlock;
  size: number;
  columns: number[];
  width: number;
  header: HeaderCell[][];
  /** Per header row, per header cell, its lines as drawn. */
  headerLines: string[][][];
  headerHeights: number[];
  /** Per body row, per column, its lines as drawn. */
  rowLines: string[][][];
  rowHeights: number[];
  numeric: boolean[];
  /** Whether some cell wraps onto more than one line. */
  wrapped: boolean;
  titleHeight: number;
  captionHeight: number;
}

/** What the columns of a table need at one font size. */
interface ColumnNeeds {
  /** Width with no cell wrapped. */
  natural: number[];
  /** Width of the widest piece that cannot be broken (a number, a word, a path piece). */
  minimum: number[];
}

/** Splits text into the pieces a line may end after; each piece keeps its trailing break. */
function pieces(text: string, rule: BreakRule): string[] {
  if (rule === 'none' || text === '') return [text];
  const words = breakableWords(text);
  return rule === 'label' ? words.flatMap((word) => word.split(/(?<=_)/)) : words;
}

function cellStyle(size: number, header: boolean): TextStyle {
  return header ? { size, font: 'bold' } : { size };
}

/**
 * Breaks text into lines no wider than `width`, filling each line greedily. A line ends
 * at a space where it can. A word wider than `width` breaks at the other points of
 * `rule` (after underscores in a label), and a piece wider still at characters: that
 * happens only in a table whose columns were narrowed below their unbreakable pieces.
 */
function wrapLines(deck: SlideDeck, text: string, width: number, style: TextStyle,
  rule: BreakRule): string[] {
  const fits = (line: string) => deck.widthOf(line.trimEnd(), style) <= width;
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let current = '';
    const add = (piece: string) => {
      if (fits(current + piece)) current += piece;
      else {
        if (current.trim()) lines.push(current.trimEnd());
        current = piece;
      }
    };
    const words = rule === 'none' ? [paragraph] : breakableWords(paragraph);
    for (const word of words) {
      if (fits(current + word) || (current.trim() && fits(word))) {
        add(word);
        continue;
      }
      const parts = rule === 'label' ? word.split(/(?<=_)/) : [word];
      for (const part of parts) {
        if (fits(part)) add(part);
        else for (const character of part) add(character);
      }
    }
    lines.push(current.trimEnd());
  }
  return lines;
}

function widestPiece(deck: SlideDeck, text: string, style: TextStyle, rule: BreakRule): number {
  return Math.max(0, ...pieces(text, rule).map((piece) => deck.widthOf(piece.trimEnd(), style)));
}

/** Break rule of the body cells of each column: labels, numbers, other text. */
function bodyRules(table: TableBlock, numeric: boolean[]): BreakRule[] {
  const labels = table.labelColumns ?? 1;
  return numeric.map((isNumber, column) => {
    if (column < labels) return 'label';
    return isNumber ? 'none' : 'words';
  });
}

/** Formatted body cells, a missing value as on the page; cells past a row's end stay empty. */
function bodyTexts(table: TableBlock, count: number): string[][] {
  return table.rows.map((row) => Array.from({ length: count },
    (_, column) => (column < row.length ? formatCell(row[column]) : '')));
}

/** Widens the columns under each spanning header cell until the cell's need fits. */
function coverSpans(widths: number[], header: HeaderCell[][], need: (cell: HeaderCell) => number): void {
  for (const row of header) {
    let column = 0;
    for (const cell of row) {
      if (cell.span > 1) {
        const end = Math.min(column + cell.span, widths.length);
        const missing = need(cell) - sum(widths.slice(column, end));
        if (missing > 0) {
          for (let i = column; i < end; i += 1) widths[i] += missing / (end - column);
        }
      }
      column += cell.span;
    }
  }
}

function columnNeeds(deck: SlideDeck, table: TableBlock, size: number): ColumnNeeds {
  const count = columnCount(table);
  const rules = bodyRules(table, numericColumns(table));
  const natural = new Array<number>(count).fill(2 * PADDING_X);
  const minimum = new Array<number>(count).fill(2 * PADDING_X);
  const body = cellStyle(size, false);
  for (const texts of bodyTexts(table, count)) {
    texts.forEach((text, column) => {
      natural[column] = Math.max(natural[column], deck.widthOf(text, body) + 2 * PADDING_X);
      minimum[column] = Math.max(minimum[column],
        widestPiece(deck, text, body, rules[column]) + 2 * PADDING_X);
    });
  }
  const header = headerRows(table);
  const bold = cellStyle(size, true);
  for (const row of header) {
    let column = 0;
    for (const cell of row) {
      if (cell.span === 1 && column < count) {
        natural[column] = Math.max(natural[column], deck.widthOf(cell.text, bold) + 2 * PADDING_X);
        minimum[column] = Math.max(minimum[column],
          widestPiece(deck, cell.text, bold, 'words') + 2 * PADDING_X);
      }
      column += cell.span;
    }
  }
  coverSpans(natural, header, (cell) => deck.widthOf(cell.text, bold) + 2 * PADDING_X);
  coverSpans(minimum, header, (cell) => widestPiece(deck, cell.text, bold, 'words') + 2 * PADDING_X);
  return { natural, minimum };
}

/** Width the table takes at the base font size with no cell wrapped. */
export function naturalTableWidth(deck: SlideDeck, table: TableBlock): number {
  return sum(columnNeeds(deck, table, BASE_TABLE_SIZE).natural);
}

/**
 * Column widths for `maxWidth`: the natural widths when they fit, otherwise each
 * column's minimum plus a share of the room left in proportion to what it lacks of its
 * natural width, as browsers lay out automatic tables.
 */
function fitColumns(needs: ColumnNeeds, maxWidth: number): number[] {
  if (sum(needs.natural) <= maxWidth) return needs.natural;
  const room = maxWidth - sum(needs.minimum);
  const lacking = needs.natural.map((width, i) => width - needs.minimum[i]);
  const totalLacking = sum(lacking);
  return needs.minimum.map((width, i) =>
    width + (totalLacking > 0 ? (room * lacking[i]) / totalLacking : 0));
}

/**
 * Measures a table for `maxWidth`. Without `maxHeight` the font size is the largest
 * that satisfies, in this order:
 *
 * 1. from the base size down to MIN_UNWRAPPED_SIZE: no cell wraps;
 * 2. from the base size down to MIN_TABLE_SIZE: row labels wrap at spaces and after
 *    underscores, header and text cells at spaces, numbers never.
 *
 * With `maxHeight`, the room the table may fill, the sizes go down from MAX_TABLE_SIZE
 * and the first that fits the room is taken: unwrapped at any size, wrapped as in 2 at
 * the base size and below. When nothing fits the room, it is measured as without it.
 *
 * Only when even the unbreakable pieces do not fit at the smallest size are the columns
 * narrowed further, and the widest pieces then break where the PDF library breaks them.
 */
export function layoutTable(deck: SlideDeck, table: TableBlock, maxWidth: number,
  maxHeight = 0): TableLayout {
  if (maxHeight > 0) {
    for (const size of [...GROWN_SIZES, ...SIZES]) {
      const needs = columnNeeds(deck, table, size);
      let layout: TableLayout | undefined;
      if (sum(needs.natural) <= maxWidth) layout = measure(deck, table, size, needs.natural);
      else if (size <= BASE_TABLE_SIZE && sum(needs.minimum) <= maxWidth) {
        layout = measure(deck, table, size, fitColumns(needs, maxWidth));
      }
      if (layout && totalHeight(layout) <= maxHeight) return layout;
    }
  }
  const measured = SIZES.map((size) => ({ size, needs: columnNeeds(deck, table, size) }));
  const unwrapped = measured.find(({ size, needs }) =>
    size >= MIN_UNWRAPPED_SIZE && sum(needs.natural) <= maxWidth);
  if (unwrapped) return measure(deck, table, unwrapped.size, unwrapped.needs.natural);
  const wrapped = measured.find(({ needs }) => sum(needs.minimum) <= maxWidth);
  if (wrapped) return measure(deck, table, wrapped.size, fitColumns(wrapped.needs, maxWidth));
  const smallest = measured[measured.length - 1];
  debug(`table '${table.id}': needs ${sum(smallest.needs.minimum).toFixed(0)} pt at ` +
    `${smallest.size} pt, has ${maxWidth.toFixed(0)} pt; narrowing its columns`);
  const factor = maxWidth / sum(smallest.needs.minimum);
  return measure(deck, table, smallest.size,
    smallest.needs.minimum.map((width) => width * factor));
}

function measure(deck: SlideDeck, table: TableBlock, size: number, columns: number[]): TableLayout {
  const width = sum(columns);
  const numeric = numericColumns(table);
  const rules = bodyRules(table, numeric);
  const header = headerRows(table);
  const bold = cellStyle(size, true);
  const body = cellStyle(size, false);
  const headerLines = header.map((row) => {
    const widths = spanWidths(row, columns);
    return row.map((cell, i) => wrapLines(deck, cell.text, inner(widths[i]), bold, 'words'));
  });
  const headerHeights = headerLines.map((row) => linesHeight(deck, row, bold));
  const rowLines = bodyTexts(table, columns.length).map((texts) =>
    texts.map((text, column) => wrapLines(deck, text, inner(columns[column]), body, rules[column])));
  const rowHeights = rowLines.map((row) => linesHeight(deck, row, body));
  const wrapped = [...headerLines, ...rowLines].some((row) => row.some((lines) => lines.length > 1));
  const titleHeight = table.title ? deck.measure(table.title, width, titleStyle(size)) + 4 : 0;
  const captionHeight = table.caption
    ? deck.measure(table.caption, width, captionStyle(size)) + 4 : 0;
  return {
    table, size, columns, width, header, headerLines, headerHeights, rowLines, rowHeights,
    numeric, wrapped, titleHeight, captionHeight,
  };
}

function inner(width: number): number {
  return Math.max(1, width - 2 * PADDING_X);
}

function linesHeight(deck: SlideDeck, cells: string[][], style: TextStyle): number {
  const lines = Math.max(1, ...cells.map((cell) => cell.length));
  return lines * deck.lineHeight(style) + 2 * PADDING_Y;
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

/** Height of the title, header and caption: what every slice of the table repeats. */
export function tableFrameHeight(layout: TableLayout): number {
  return layout.titleHeight + sum(layout.headerHeights) + layout.captionHeight;
}

/** Height of the whole table on one slide. */
export function totalHeight(layout: TableLayout): number {
  return tableFrameHeight(layout) + sum(layout.rowHeights);
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

/** Draws one cell's lines, each as broken by `wrapLines`, so that nothing wraps again. */
function drawCell(deck: SlideDeck, lines: string[], x: number, y: number, width: number,
  style: TextStyle): void {
  const lineHeight = deck.lineHeight(style);
  lines.forEach((line, index) => {
    deck.textLine(line, x + PADDING_X, y + PADDING_Y + index * lineHeight, inner(width), style);
  });
}

/** Draws rows [start, end) of the table with its header at (x, y); returns the height. */
export function drawTableSlice(deck: SlideDeck, layout: TableLayout, start: number,
  end: number, x: number, y: number, continued: boolean): number {
  let top = y;
  if (layout.table.title) {
    const title = continued ? `${layout.table.title} (cont.)` : layout.table.title;
    deck.text(title, x, top, layout.width, titleStyle(layout.size), { maxLines: 1 });
    top += layout.titleHeight;
  }
  const labels = layout.table.labelColumns ?? 1;
  layout.header.forEach((row, index) => {
    const height = layout.headerHeights[index];
    deck.rect(x, top, layout.width, height, COLOURS.tableHeader);
    let left = x;
    spanWidths(row, layout.columns).forEach((width, i) => {
      const align = i < labels && row[i].span === 1 ? 'left' : 'center';
      drawCell(deck, layout.headerLines[index][i], left, top, width,
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
    layout.rowLines[row].forEach((lines, column) => {
      const width = layout.columns[column];
      drawCell(deck, lines, left, top, width,
        { size: layout.size, align: layout.numeric[column] ? 'right' : 'left' });
      left += width;
    });
    top += height;
  }
  deck.line(x, top, x + layout.width, top, COLOURS.ink, 0.8);
  if (layout.table.caption) {
    deck.text(layout.table.caption, x, top + 4, layout.width, captionStyle(layout.size));
    top += layout.captionHeight;
  }
  return top - y;
}
