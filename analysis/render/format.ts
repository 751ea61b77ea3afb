import type { Cell, TableBlock } from '../core/presentation.ts';

/** Text shown for a missing value in a table. */
export const MISSING_CELL = '–';

/**
 * Formats a table cell: strings as they are, numbers with `digits` decimals when given
 * (the uncertainty with the same decimals, after ±), integers in full and other numbers
 * with four significant digits (and one decimal at least).
 */
export function formatCell(cell: Cell): string {
  if (cell === null || cell === undefined) return MISSING_CELL;
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return formatNumber(cell);
  const value = formatNumber(cell.value, cell.digits);
  if (cell.error === undefined) return value;
  return `${value} ± ${formatNumber(cell.error, cell.digits)}`;
}

function formatNumber(value: number, digits?: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const text = digits !== undefined ? value.toFixed(digits)
    : Number.isInteger(value) ? String(value)
      : String(Number(value.toPrecision(Math.max(4, integerDigits(value) + 1))));
  // A typographic minus, as in the rest of the physics text.
  return text.startsWith('-') ? `−${text.slice(1)}` : text;
}

function integerDigits(value: number): number {
  return Math.max(1, Math.floor(Math.log10(Math.abs(value))) + 1);
}

/** Returns whether a cell contains a number, so that its column is right-aligned. */
export function isNumericCell(cell: Cell): boolean {
  return typeof cell === 'number' || (cell !== null && typeof cell === 'object');
}

/**
 * Splits text into words at the spaces where a line may break, each word keeping its
 * trailing space. The spaces around "±" do not break, so that "9.2 ± 0.7" stays whole.
 */
export function breakableWords(text: string): string[] {
  return text.split(/(?<=(?<!±) )(?!±)/);
}

export interface HeaderCell {
  text: string;
  span: number;
}

/** Returns the header rows with every cell as `{ text, span }`. */
export function headerRows(table: TableBlock): HeaderCell[][] {
  return table.header.map((row) => row.map((cell) =>
    typeof cell === 'string' ? { text: cell, span: 1 } : { text: cell.text, span: cell.span }));
}

/** Number of columns of a table: the widest of its header rows and body rows. */
export function columnCount(table: TableBlock): number {
  const headerWidths = headerRows(table).map((row) => row.reduce((sum, cell) => sum + cell.span, 0));
  const rowWidths = table.rows.map((row) => row.length);
  return Math.max(0, ...headerWidths, ...rowWidths);
}

/** Per column, whether its body cells are mostly numbers (right-aligned). */
export function numericColumns(table: TableBlock): boolean[] {
  const labels = table.labelColumns ?? 1;
  return Array.from({ length: columnCount(table) }, (_, column) => {
    if (column < labels) return false;
    const cells = table.rows.map((row) => row[column]).filter((cell) => cell !== null);
    return cells.length > 0 && cells.filter(isNumericCell).length * 2 >= cells.length;
  });
}
