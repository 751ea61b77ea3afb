/**
 * Renderer-neutral description of what a study shows. A study turns its results into
 * parts; the site renders each part as a sub-section of the report page and the slide
 * renderer as one slide (or several, when a table or a list does not fit on one).
 * Everything here is plain JSON so that archived results can be rendered again later.
 */

/** One table cell: a preformatted string, or a number formatted with `digits` decimals. */
export type Cell = string | number | { value: number; digits?: number; error?: number } | null;

export interface TableBlock {
  kind: 'table';
  /** Stable id, unique in the report, used for anchors and file names. */
  id: string;
  title?: string;
  /** Header rows; a plain string is one column, `{ text, span }` spans columns. */
  header: Array<Array<string | { text: string; span: number }>>;
  rows: Cell[][];
  /** Number of leading columns that label a row (left-aligned, repeated on split slides). */
  labelColumns?: number;
  caption?: string;
}

/** CMS plot label: "CMS <extra>" top left, "<period> (<energy>)" top right. */
export interface CmsLabel {
  extra: string;
  period?: string;
  energy?: string;
}

export interface ChartBlock {
  kind: 'chart';
  id: string;
  title: string;
  /**
   * A Chart.js 4 configuration (type, data, options) with no functions in it, so that the
   * same object draws the browser chart, the static PNG and the vector slide chart.
   * Plugins usable by name: error bars (`barWithErrorBars`, `lineWithErrorBars`,
   * `scatterWithErrorBars` from chartjs-chart-error-bars) and `matrix` heat maps
   * (chartjs-chart-matrix).
   */
  chart: Record<string, unknown>;
  /** Drawing size in CSS pixels; the renderers scale it. Default 640 x 400. */
  width?: number;
  height?: number;
  /** Label drawn in the CMS style; the report's label is used when absent. */
  cms?: CmsLabel | false;
  caption?: string;
}

/** A framed box of short lines, e.g. the network structure and training strategy. */
export interface BoxBlock {
  kind: 'box';
  title: string;
  lines: string[];
}

/** Markdown text written by a study (escaped like every other text). */
export interface TextBlock {
  kind: 'text';
  markdown: string;
}

/** A remark the reader must not miss: an empty panel, a substituted sample, a warning. */
export interface NoteBlock {
  kind: 'note';
  text: string;
}

export type Block = TableBlock | ChartBlock | BoxBlock | TextBlock | NoteBlock;

/** One titled part of a study's output: a page sub-section and one slide. */
export interface Part {
  title: string;
  blocks: Block[];
  /** Columns for the charts of this part on a slide (default: as many as fit). */
  columns?: number;
}

/** A file a study offers for download beside its results JSON (e.g. a HEPData table). */
export interface Download {
  /** File name, written under `_site/<report>/data/`. */
  name: string;
  label: string;
  content: string;
}

export interface Presentation {
  parts: Part[];
  downloads?: Download[];
}
