import createDebug from 'debug';
import type {
  Block, BoxBlock, ChartBlock, CmsLabel, NoteBlock, Part, TableBlock, TextBlock,
} from '../core/presentation.ts';
import type { ReportView, SectionView } from '../core/report-view.ts';
import { writeFileAtomic } from '../core/files.ts';
import { chartSize, renderChartPng, renderChartSvg } from './charts.ts';
import { inlineRuns, markdown, type TextRun } from './markdown.ts';
import { COLOURS, CONTENT, PAGE, SlideDeck, type LayoutBox, type TextStyle } from './slide-deck.ts';
import {
  drawTableSlice, layoutTable, MIN_TABLE_SIZE, naturalTableWidth, rowsThatFit, tableFrameHeight, totalHeight,
} from './slide-tables.ts';

const debug = createDebug('report:slides');

const CONTENT_WIDTH = CONTENT.right - CONTENT.left;
const GAP = 16;
const BULLET_STYLE: TextStyle = { size: 17, lineGap: 2 };
const PARAGRAPH_GAP = 8;
const BULLET_INDENT = 18;
const NOTE_STYLE: TextStyle = { size: 13, lineGap: 1 };
const BOX_TITLE_STYLE: TextStyle = { font: 'bold', size: 13 };
const BOX_LINE_STYLE: TextStyle = { size: 12, lineGap: 1 };
const CHART_TITLE_STYLE: TextStyle = { font: 'bold', size: 12 };
const CAPTION_STYLE: TextStyle = { font: 'italic', size: 9.5, colour: COLOURS.muted };
/** Below this height left on a slide, tables and charts start on the next slide. */
const MIN_VISUAL_HEIGHT = 190;
/** Smallest drawing height of a chart before the charts of a part spread over slides. */
const MIN_CHART_HEIGHT = 150;
const BOX_PADDING = 10;
/** Least factor from a chart's CSS size to its size on a slide, for its text to stay legible. */
export const MIN_CHART_SCALE = 0.75;
/**
 * Least factor from a chart's CSS size to its size in a grid of several rows. A chart
 * drawn below MIN_CHART_SCALE is laid out again at its drawn size / MIN_CHART_SCALE
 * (see `#chart`), and this floor keeps that layout at MIN_CHART_SCALE of the CSS size at
 * least, so that its axis labels do not crowd into one another.
 */
const MIN_GRID_SCALE = MIN_CHART_SCALE * MIN_CHART_SCALE;
/** Largest share of the slide width that side items take beside charts. */
const SIDE_SHARE = 0.5;
/** Least height left below full-width side items for charts to be drawn there. */
const MIN_CHARTS_BELOW = 240;

export interface SlidesResult {
  pdf: Buffer;
  /** Every text box, rectangle and image drawn, with its page. */
  layout: LayoutBox[];
  /** Charts drawn as PNG because their SVG could not be drawn, by id. */
  rasterCharts: string[];
  pages: number;
}

/** Writes the report's slides as a 16:9 PDF, atomically. */
export async function writeSlides(report: ReportView, file: string): Promise<void> {
  const { pdf } = await renderSlides(report);
  await writeFileAtomic(file, pdf);
}

/**
 * Renders the slides: a title slide, then per section its motivation, method, one or
 * more slides per presentation part and its comments, each with a headline bar and a
 * footer. Long lists and tables continue on further slides marked "(cont.)".
 */
export async function renderSlides(report: ReportView): Promise<SlidesResult> {
  const deck = new SlideDeck(report);
  const writer = new SlideWriter(deck, report.cms);
  drawTitleSlide(deck, report);
  for (const section of report.sections) await writer.section(section);
  deck.finishFooters();
  const pdf = await deck.finish();
  debug(`${report.name}: ${deck.page} slides, ${pdf.length} bytes`);
  return { pdf, layout: deck.layout, rasterCharts: writer.rasterCharts, pages: deck.page };
}

function drawTitleSlide(deck: SlideDeck, report: ReportView): void {
  deck.addBlankPage();
  deck.rect(0, 0, PAGE.width, 210, COLOURS.bar);
  deck.rect(0, 210, PAGE.width, 4, COLOURS.accent);
  const width = CONTENT_WIDTH;
  const label = report.cms.extra ? `CMS ${report.cms.extra}` : 'CMS';
  deck.text(label, CONTENT.left, 36, width, { font: 'bold', size: 14, colour: '#b8c7dd' },
    { maxLines: 1 });
  let y = 70;
  y += deck.text(report.title, CONTENT.left, y, width,
    { font: 'bold', size: 32, colour: COLOURS.barText }, { maxLines: 2 });
  if (report.subtitle) {
    deck.text(report.subtitle, CONTENT.left, y + 6, width,
      { size: 18, colour: '#dfe6f0' }, { maxLines: 2 });
  }
  y = 250;
  y += deck.text(report.author.name, CONTENT.left, y, width, { font: 'bold', size: 20 },
    { maxLines: 1 }) + 6;
  y += deck.text(report.author.institute, CONTENT.left, y, width,
    { size: 16, colour: COLOURS.muted }, { maxLines: 2 }) + 6;
  deck.text(report.author.email, CONTENT.left, y, width, { size: 14, colour: COLOURS.link },
    { maxLines: 1 });
  deck.text(`${report.meeting}\n${formatDate(report.date)}`, CONTENT.left, 420, width,
    { size: 16, colour: COLOURS.ink, lineGap: 4 }, { maxLines: 3 });
}

function formatDate(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric',
    timeZone: 'UTC' });
}

/** One paragraph of flowing text: a bullet, a plain paragraph or a code line. */
interface Paragraph {
  runs: TextRun[];
  bullet: boolean;
  style: TextStyle;
}

/** Splits Markdown into paragraphs and list items, keeping inline styling. */
function markdownParagraphs(text: string, style: TextStyle): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let listDepth = 0;
  let heading = false;
  for (const token of markdown.parse(text, {})) {
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') listDepth += 1;
    else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') {
      listDepth -= 1;
    } else if (token.type === 'heading_open') heading = true;
    else if (token.type === 'heading_close') heading = false;
    else if (token.type === 'inline') {
      const runs = inlineRuns(token.content).map((run) => (heading ? { ...run, bold: true } : run));
      paragraphs.push({ runs, bullet: listDepth > 0, style });
    } else if (token.type === 'fence' || token.type === 'code_block') {
      const runs = [{ text: token.content.replace(/\n$/, ''), code: true }];
      paragraphs.push({ runs, bullet: false, style: { ...style, size: style.size - 3 } });
    }
  }
  return paragraphs;
}

function bulletParagraphs(bullets: string[]): Paragraph[] {
  return bullets.map((bullet) => ({ runs: inlineRuns(bullet), bullet: true, style: BULLET_STYLE }));
}

/** A side item beside the charts: a table (from some row on) or a framed box. */
type SideItem = { kind: 'table'; table: TableBlock; start: number } | { kind: 'box'; box: BoxBlock };

type VisualBlock = TableBlock | BoxBlock | ChartBlock;

function isVisual(block: Block): block is VisualBlock {
  return block.kind === 'table' || block.kind === 'box' || block.kind === 'chart';
}

/** The rest of a part, drawn on the next slide. */
interface Pending {
  side: SideItem[];
  charts: ChartBlock[];
}

class SlideWriter {
  readonly rasterCharts: string[] = [];
  #deck: SlideDeck;
  #label: CmsLabel;
  #title = '';
  #kicker = '';
  #y: number = CONTENT.top;

  constructor(deck: SlideDeck, label: CmsLabel) {
    this.#deck = deck;
    this.#label = label;
  }

  async section(section: SectionView): Promise<void> {
    if (section.motivation.length) this.#bulletSlides(section, 'Motivation', section.motivation);
    if (section.method.length) {
      this.#bulletSlides(section, section.methodTitle || 'Methodology', section.method);
    }
    for (const part of section.presentation?.parts ?? []) await this.#part(section, part);
    if (section.comments.length) this.#bulletSlides(section, 'Comments', section.comments);
  }

  #start(kicker: string, title: string): void {
    this.#kicker = kicker;
    this.#title = title;
    this.#deck.addSlide(title, kicker);
    this.#y = CONTENT.top;
  }

  #continue(): void {
    this.#deck.addSlide(`${this.#title} (cont.)`, this.#kicker);
    this.#y = CONTENT.top;
  }

  #bulletSlides(section: SectionView, title: string, bullets: string[]): void {
    this.#start(section.title, title);
    this.#flow(bulletParagraphs(bullets));
  }

  /** Draws paragraphs from the current position, continuing on new slides as needed. */
  #flow(paragraphs: Paragraph[]): void {
    const deck = this.#deck;
    for (const paragraph of paragraphs) {
      const indent = paragraph.bullet ? BULLET_INDENT : 0;
      const width = CONTENT_WIDTH - indent;
      let height = deck.measureRuns(paragraph.runs, width, paragraph.style);
      if (this.#y + height > CONTENT.bottom && this.#y > CONTENT.top) this.#continue();
      // A paragraph taller than a whole slide is cut off rather than run off the page.
      if (this.#y + height > CONTENT.bottom) {
        const lines = Math.floor((CONTENT.bottom - this.#y) / deck.lineHeight(paragraph.style));
        const text = paragraph.runs.map((run) => run.text).join('');
        height = deck.text(text, CONTENT.left + indent, this.#y, width, paragraph.style,
          { maxLines: lines });
      } else {
        if (paragraph.bullet) {
          deck.text('•', CONTENT.left + 2, this.#y, BULLET_INDENT - 2,
            { ...paragraph.style, colour: COLOURS.accent }, { maxLines: 1 });
        }
        height = deck.runs(paragraph.runs, CONTENT.left + indent, this.#y, width,
          paragraph.style);
      }
      this.#y += height + PARAGRAPH_GAP;
    }
  }

  #note(text: string): void {
    const deck = this.#deck;
    const width = CONTENT_WIDTH - 2 * BOX_PADDING;
    const runs = inlineRuns(text);
    const height = Math.min(deck.measureRuns(runs, width, NOTE_STYLE),
      CONTENT.bottom - CONTENT.top - 2 * BOX_PADDING);
    if (this.#y + height + 2 * BOX_PADDING > CONTENT.bottom && this.#y > CONTENT.top) {
      this.#continue();
    }
    deck.rect(CONTENT.left, this.#y, CONTENT_WIDTH, height + 2 * BOX_PADDING, COLOURS.note);
    deck.rect(CONTENT.left, this.#y, 4, height + 2 * BOX_PADDING, COLOURS.noteBorder);
    deck.runs(runs, CONTENT.left + BOX_PADDING, this.#y + BOX_PADDING, width, NOTE_STYLE);
    this.#y += height + 2 * BOX_PADDING + PARAGRAPH_GAP;
  }

  /** Height that text and note blocks take when drawn one after the other. */
  #flowHeight(blocks: Array<TextBlock | NoteBlock>): number {
    const deck = this.#deck;
    let height = 0;
    for (const block of blocks) {
      if (block.kind === 'note') {
        const runs = inlineRuns(block.text);
        height += deck.measureRuns(runs, CONTENT_WIDTH - 2 * BOX_PADDING, NOTE_STYLE)
          + 2 * BOX_PADDING + PARAGRAPH_GAP;
        continue;
      }
      for (const paragraph of markdownParagraphs(block.markdown, BULLET_STYLE)) {
        const indent = paragraph.bullet ? BULLET_INDENT : 0;
        height += deck.measureRuns(paragraph.runs, CONTENT_WIDTH - indent, paragraph.style)
          + PARAGRAPH_GAP;
      }
    }
    return height;
  }

  /**
   * Draws a part's blocks in their order: text and notes flow down the slide, and each
   * run of tables, boxes and charts between them is laid out together. Room is left
   * below such a run for the text and notes that follow it, when they fit there.
   */
  async #part(section: SectionView, part: Part): Promise<void> {
    this.#start(section.title, part.title);
    const blocks = part.blocks;
    let index = 0;
    while (index < blocks.length) {
      const block = blocks[index];
      if (block.kind === 'text') {
        this.#flow(markdownParagraphs(block.markdown, BULLET_STYLE));
        index += 1;
        continue;
      }
      if (block.kind === 'note') {
        this.#note(block.text);
        index += 1;
        continue;
      }
      let end = index;
      while (end < blocks.length && isVisual(blocks[end])) end += 1;
      let next = end;
      while (next < blocks.length && !isVisual(blocks[next])) next += 1;
      const following = blocks.slice(end, next) as Array<TextBlock | NoteBlock>;
      await this.#visuals(blocks.slice(index, end) as VisualBlock[], part.columns,
        this.#flowHeight(following));
      index = end;
    }
  }

  /**
   * Draws tables, boxes and charts from the current position, continuing on new slides
   * as needed, and leaves the position below them. `reserve` is the height of what
   * follows, kept free below the charts when they all fit above it.
   */
  async #visuals(blocks: VisualBlock[], columns: number | undefined, reserve: number):
    Promise<void> {
    const side: SideItem[] = [];
    const charts: ChartBlock[] = [];
    for (const block of blocks) {
      if (block.kind === 'table') side.push({ kind: 'table', table: block, start: 0 });
      else if (block.kind === 'box') side.push({ kind: 'box', box: block });
      else charts.push(block);
    }
    if (CONTENT.bottom - this.#y < MIN_VISUAL_HEIGHT && this.#y > CONTENT.top) this.#continue();
    let pending: Pending = { side, charts };
    for (;;) {
      const drawn = await this.#visualRow(pending, columns, reserve);
      this.#y = drawn.bottom + PARAGRAPH_GAP;
      pending = drawn.rest;
      if (!pending.side.length && !pending.charts.length) break;
      this.#continue();
    }
  }

  /**
   * Draws side items and charts below the current position; returns the rest and the
   * lowest point drawn. Side items sit left of the charts when every table among them
   * fits in half the slide without wrapping; otherwise they take the full width and the
   * charts go below them, when there is room, or on the next slide.
   */
  async #visualRow(row: Pending, columns: number | undefined, reserve: number):
    Promise<{ rest: Pending; bottom: number }> {
    const deck = this.#deck;
    const top = this.#y;
    const height = CONTENT.bottom - top;
    if (!row.side.length) {
      const drawn = await this.#drawCharts(row.charts, CONTENT.left, top, CONTENT_WIDTH, height,
        columns, reserve);
      return { rest: { side: [], charts: drawn.rest }, bottom: drawn.bottom };
    }
    const beside = CONTENT_WIDTH * SIDE_SHARE;
    if (row.charts.length && row.side.every((item) => fitsBeside(deck, item, beside))) {
      const natural = Math.max(...row.side.map((item) => item.kind === 'table'
        ? naturalTableWidth(deck, item.table) : boxWidth(deck, item.box)));
      const sideWidth = Math.min(Math.max(natural, 260), beside);
      const drawn = this.#drawSide(row.side, CONTENT.left, top, sideWidth, height, 0);
      const chartsLeft = CONTENT.left + sideWidth + GAP;
      const charts = await this.#drawCharts(row.charts, chartsLeft, top,
        CONTENT.right - chartsLeft, height, columns, reserve);
      return { rest: { side: drawn.rest, charts: charts.rest },
        bottom: Math.max(drawn.y - GAP, charts.bottom) };
    }
    // The charts go below when the side items leave room for them at their base size;
    // otherwise the side items have the slide to themselves and may grow into it.
    const chartsBelow = row.charts.length > 0
      && CONTENT.bottom - (top + sideHeight(deck, row.side, CONTENT_WIDTH)) >= MIN_CHARTS_BELOW;
    const growRoom = chartsBelow ? 0 : height - reserve;
    const drawn = this.#drawSide(row.side, CONTENT.left, top, CONTENT_WIDTH, height, growRoom);
    if (drawn.rest.length || !chartsBelow) {
      return { rest: { side: drawn.rest, charts: row.charts }, bottom: drawn.y - GAP };
    }
    const charts = await this.#drawCharts(row.charts, CONTENT.left, drawn.y,
      CONTENT_WIDTH, CONTENT.bottom - drawn.y, columns, reserve);
    return { rest: { side: [], charts: charts.rest }, bottom: charts.bottom };
  }

  /**
   * Draws side items in a column of at most `width` from `top`; returns the items left
   * for the next slide and the height reached. With `growRoom`, a lone table may take a
   * larger font to fill that much height.
   */
  #drawSide(items: SideItem[], x: number, top: number, width: number, height: number,
    growRoom: number): { rest: SideItem[]; y: number } {
    const deck = this.#deck;
    let y = top;
    const bottom = top + height;
    for (let index = 0; index < items.length; index += 1) {
      const item = items[index];
      const freshSlide = y === CONTENT.top;
      if (item.kind === 'box') {
        const boxWide = Math.min(width, boxWidth(deck, item.box));
        const boxHeight = measureBox(deck, item.box, boxWide);
        if (y + boxHeight > bottom && !freshSlide) return { rest: items.slice(index), y };
        y += drawBox(deck, item.box, x, y, boxWide, bottom - y) + GAP;
        continue;
      }
      const room = growRoom > 0 && items.length === 1 && item.start === 0 ? growRoom : 0;
      const layout = layoutTable(deck, item.table, width, room);
      let count = rowsThatFit(layout, item.start, bottom - y);
      const remaining = item.table.rows.length - item.start;
      if (count === 0 && remaining > 0) {
        if (!freshSlide) return { rest: items.slice(index), y };
        count = 1;
        debug(`table '${item.table.id}': row ${item.start} is taller than a slide`);
      }
      if (y + tableFrameHeight(layout) > bottom && !freshSlide) {
        return { rest: items.slice(index), y };
      }
      y += drawTableSlice(deck, layout, item.start, item.start + count, x, y, item.start > 0) + GAP;
      if (item.start + count < item.table.rows.length) {
        return { rest: [{ ...item, start: item.start + count }, ...items.slice(index + 1)], y };
      }
    }
    return { rest: [], y };
  }

  /**
   * Draws as many charts as the grid puts on this slide; returns the others and the
   * lowest point drawn. When all charts fit in the whole height, the grid keeps `reserve`
   * free below them, even if some charts then move on: what follows the charts should
   * not stand alone on the next slide. Otherwise the charts take the whole height.
   */
  async #drawCharts(charts: ChartBlock[], x: number, top: number, width: number,
    height: number, columns: number | undefined, reserve: number):
    Promise<{ rest: ChartBlock[]; bottom: number }> {
    if (!charts.length) return { rest: [], bottom: top };
    const deck = this.#deck;
    let grid = chooseGrid(deck, charts, width, height, columns);
    if (reserve > 0 && height - reserve >= MIN_VISUAL_HEIGHT
      && grid.perSlide >= charts.length) {
      grid = chooseGrid(deck, charts, width, height - reserve, columns);
    }
    const shown = charts.slice(0, grid.perSlide);
    debug(`charts '${charts[0].id}' and on: ${shown.length} of ${charts.length} in ` +
      `${grid.columns} columns, cells ${grid.cellWidth.toFixed(0)} x ` +
      `${grid.cellHeight.toFixed(0)} pt, ${reserve.toFixed(0)} pt reserved below`);
    let bottom = top;
    for (let index = 0; index < shown.length; index += 1) {
      const column = index % grid.columns;
      const rowTop = top + Math.floor(index / grid.columns) * (grid.cellHeight + GAP);
      const used = await this.#chart(shown[index], x + column * (grid.cellWidth + GAP), rowTop,
        grid.cellWidth, grid.cellHeight);
      bottom = Math.max(bottom, rowTop + used);
    }
    return { rest: charts.slice(grid.perSlide), bottom };
  }

  /** Draws a chart with its title and caption in a cell; returns the height used. */
  async #chart(block: ChartBlock, x: number, y: number, width: number, height: number):
    Promise<number> {
    const deck = this.#deck;
    const titleHeight = deck.text(block.title, x, y, width, CHART_TITLE_STYLE, { maxLines: 1 }) + 4;
    const captionHeight = block.caption ? deck.measure(block.caption, width, CAPTION_STYLE) + 4 : 0;
    const size = chartSize(block);
    const available = height - titleHeight - captionHeight;
    const scale = Math.min(width / size.width, available / size.height);
    const drawnWidth = size.width * scale;
    const drawnHeight = size.height * scale;
    const left = x + (width - drawnWidth) / 2;
    const top = y + titleHeight;
    // A chart drawn much smaller than its CSS size would shrink its text below reading
    // size; it is laid out again at a smaller CSS size, so that its text keeps at least
    // MIN_CHART_SCALE of the size it has on the page.
    const drawnBlock = scale < MIN_CHART_SCALE ? { ...block,
      width: Math.round(drawnWidth / MIN_CHART_SCALE),
      height: Math.round(drawnHeight / MIN_CHART_SCALE) } : block;
    let drawn = false;
    try {
      const svg = await renderChartSvg(drawnBlock, { label: this.#label });
      drawn = deck.svg(svg, left, top, drawnWidth, drawnHeight, block.id);
    } catch (error) {
      debug(`chart '${block.id}': SVG failed (${(error as Error).message})`);
    }
    if (!drawn) {
      // NOTE: the fallback is a PNG at 3x the chart's CSS size, so it blurs at high zoom.
      // It is used only where the SVG path fails, and `rasterCharts` lists those charts.
      this.rasterCharts.push(block.id);
      const png = await renderChartPng(drawnBlock, { scale: 3, label: this.#label });
      deck.png(png, left, top, drawnWidth, drawnHeight, block.id);
    }
    if (block.caption) {
      deck.text(block.caption, x, top + drawnHeight + 4, width, CAPTION_STYLE,
        { maxLines: Math.max(1, Math.floor(captionHeight / deck.lineHeight(CAPTION_STYLE))) });
    }
    return titleHeight + drawnHeight + captionHeight;
  }
}

interface Grid {
  columns: number;
  perSlide: number;
  cellWidth: number;
  cellHeight: number;
}

/**
 * Chooses the chart grid for a box: `columns` when given, otherwise the column count
 * that draws the charts largest. Rows are limited so that no chart is drawn below
 * MIN_GRID_SCALE of its drawing size (or below the scale that the column width gives it,
 * where that is smaller) nor lower than MIN_CHART_HEIGHT. The charts that do not fit
 * move on to the next slide.
 */
function chooseGrid(deck: SlideDeck, charts: ChartBlock[], width: number, height: number,
  columns?: number): Grid {
  const chrome = deck.lineHeight(CHART_TITLE_STYLE) + 4;
  const candidates = columns ? [Math.max(1, Math.min(columns, charts.length))]
    : Array.from({ length: Math.min(charts.length, 4) }, (_, i) => i + 1);
  let best: Grid | undefined;
  let bestScore = -1;
  for (const count of candidates) {
    const cellWidth = (width - GAP * (count - 1)) / count;
    const cellHeight = (rows: number) => (height - GAP * (rows - 1)) / rows;
    const scales = (rows: number) => charts.slice(0, rows * count).map((chart) => {
      const size = chartSize(chart);
      const caption = chart.caption ? deck.measure(chart.caption, cellWidth, CAPTION_STYLE) + 4 : 0;
      const widthScale = cellWidth / size.width;
      const drawing = cellHeight(rows) - chrome - caption;
      return { widthScale, scale: Math.min(widthScale, drawing / size.height) };
    });
    const legible = (rows: number) => cellHeight(rows) - chrome >= MIN_CHART_HEIGHT
      && scales(rows).every((chart) =>
        chart.scale >= Math.min(MIN_GRID_SCALE, chart.widthScale) - 1e-9);
    let rows = Math.ceil(charts.length / count);
    while (rows > 1 && !legible(rows)) rows -= 1;
    const scale = Math.min(...scales(rows).map((chart) => chart.scale));
    // Prefer fitting all charts on one slide, then the larger drawing.
    const fitsAll = rows * count >= charts.length ? 1 : 0;
    const score = fitsAll * 1000 + scale;
    if (score > bestScore) {
      bestScore = score;
      best = { columns: count, perSlide: rows * count, cellWidth, cellHeight: cellHeight(rows) };
    }
  }
  return best!;
}

/** Height of side items stacked in `width` at their base size, tables whole. */
function sideHeight(deck: SlideDeck, items: SideItem[], width: number): number {
  return items.reduce((total, item) => total + GAP + (item.kind === 'box'
    ? measureBox(deck, item.box, Math.min(width, boxWidth(deck, item.box)))
    : totalHeight(layoutTable(deck, item.table, width))), 0);
}

/** Whether a side item fits beside charts in `width`: tables must not wrap there. */
function fitsBeside(deck: SlideDeck, item: SideItem, width: number): boolean {
  if (item.kind === 'box') return true;
  const layout = layoutTable(deck, item.table, width);
  return !layout.wrapped && layout.size >= MIN_TABLE_SIZE + 1;
}

function boxWidth(deck: SlideDeck, box: BoxBlock): number {
  const widths = [deck.widthOf(box.title, BOX_TITLE_STYLE),
    ...box.lines.map((line) => deck.widthOf(line, BOX_LINE_STYLE))];
  return Math.max(...widths) + 2 * BOX_PADDING + 2;
}

function measureBox(deck: SlideDeck, box: BoxBlock, width: number): number {
  const inner = width - 2 * BOX_PADDING;
  const lines = box.lines.reduce((sum, line) => sum + deck.measure(line, inner, BOX_LINE_STYLE) + 3, 0);
  return deck.measure(box.title, inner, BOX_TITLE_STYLE) + 6 + lines + 2 * BOX_PADDING;
}

/** Draws a framed box, cut to `maxHeight`; returns its height. */
function drawBox(deck: SlideDeck, box: BoxBlock, x: number, y: number, width: number,
  maxHeight: number): number {
  const height = Math.min(measureBox(deck, box, width), maxHeight);
  const inner = width - 2 * BOX_PADDING;
  deck.rect(x, y, width, height, COLOURS.boxFill, COLOURS.rule);
  let top = y + BOX_PADDING;
  const bottom = y + height - BOX_PADDING;
  top += deck.text(box.title, x + BOX_PADDING, top, inner, BOX_TITLE_STYLE, { maxLines: 1 }) + 6;
  for (const line of box.lines) {
    const lineHeight = deck.measure(line, inner, BOX_LINE_STYLE);
    if (top + lineHeight > bottom) break;
    top += deck.text(line, x + BOX_PADDING, top, inner, BOX_LINE_STYLE) + 3;
  }
  return height;
}
