import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { ReportView } from '../core/report-view.ts';
import { FONT_FACES, MONO_FONT_FILE } from './fonts.ts';
import type { TextRun } from './markdown.ts';

/** Page size of a 16:9 slide in PDF points. */
export const PAGE = { width: 960, height: 540 } as const;

/** Content area of a slide: below the headline bar, above the footer. */
export const CONTENT = { left: 40, top: 80, right: 920, bottom: 500 } as const;

export const COLOURS = {
  ink: '#1a1a1a',
  muted: '#5b6270',
  bar: '#14325c',
  barText: '#ffffff',
  accent: '#f89c20',
  rule: '#c9ced6',
  tableHeader: '#e8ecf2',
  tableStripe: '#f6f7f9',
  note: '#fff4e0',
  noteBorder: '#f89c20',
  boxFill: '#f3f6fa',
  link: '#1f5fbf',
  code: '#8a1c1c',
} as const;

const HEADLINE_HEIGHT = 62;
const FOOTER_TOP = 512;

/** One thing drawn on a slide, recorded so that a test can check it lies on its page. */
export interface LayoutBox {
  /** Page number, from 1. */
  page: number;
  kind: 'text' | 'chart-svg' | 'chart-png' | 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  /** Start of the text drawn, for messages. */
  label?: string;
}

export type FontName = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';

export interface TextStyle {
  font?: FontName;
  size: number;
  colour?: string;
  align?: 'left' | 'center' | 'right';
  lineGap?: number;
}

/** A piece of a styled line, at `x` from the line's start. */
interface RunPiece {
  text: string;
  x: number;
  font: FontName;
  size: number;
  colour: string;
  link?: string;
}

interface RunLine {
  pieces: RunPiece[];
  height: number;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Splits a word wider than `width` at characters, in the font and size set on `doc`. */
function breakWord(doc: PDFKit.PDFDocument, word: string, width: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const character of word) {
    if (current && doc.widthOfString(current + character) > width) {
      chunks.push(current);
      current = '';
    }
    current += character;
  }
  chunks.push(current);
  return chunks;
}

function runFont(run: TextRun, style: TextStyle): FontName {
  if (run.code) return 'mono';
  if (run.bold && run.italic) return 'boldItalic';
  if (run.bold) return 'bold';
  if (run.italic) return 'italic';
  return style.font ?? 'regular';
}

function runColour(run: TextRun, style: TextStyle): string {
  if (run.link) return COLOURS.link;
  if (run.code) return COLOURS.code;
  return style.colour ?? COLOURS.ink;
}

/**
 * A PDF of 16:9 slides with the report's fonts, a headline bar and footer on each page,
 * and a log of every text box and image drawn.
 */
export class SlideDeck {
  readonly doc: PDFKit.PDFDocument;
  readonly layout: LayoutBox[] = [];
  readonly report: ReportView;
  #page = 0;

  constructor(report: ReportView) {
    this.report = report;
    this.doc = new PDFDocument({
      size: [PAGE.width, PAGE.height],
      margin: 0,
      autoFirstPage: false,
      bufferPages: true,
      info: {
        Title: report.title,
        Author: report.author.name,
        Subject: `${report.meeting}, ${report.date}`,
        // A fixed date keeps the file identical for identical input.
        CreationDate: new Date(`${report.date}T00:00:00Z`),
      },
    });
    for (const [name, face] of Object.entries(FONT_FACES)) this.doc.registerFont(name, face.file);
    this.doc.registerFont('mono', MONO_FONT_FILE);
  }

  get page(): number {
    return this.#page;
  }

  /** Starts a plain page (the title slide). */
  addBlankPage(): void {
    this.doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    this.#page += 1;
  }

  /** Starts a content slide with a headline bar: `kicker` small above `title`. */
  addSlide(title: string, kicker?: string): void {
    this.addBlankPage();
    const doc = this.doc;
    doc.save().rect(0, 0, PAGE.width, HEADLINE_HEIGHT).fill(COLOURS.bar).restore();
    doc.save().rect(0, HEADLINE_HEIGHT, PAGE.width, 3).fill(COLOURS.accent).restore();
    const width = CONTENT.right - CONTENT.left;
    if (kicker) {
      this.text(kicker, CONTENT.left, 9, width,
        { font: 'regular', size: 12, colour: '#b8c7dd' }, { maxLines: 1 });
    }
    this.text(title, CONTENT.left, kicker ? 27 : 18, width,
      { font: 'bold', size: 22, colour: COLOURS.barText }, { maxLines: 1 });
  }

  /** Draws the footer of every page; call once, after the last page. */
  finishFooters(): void {
    const range = this.doc.bufferedPageRange();
    const total = range.count;
    const { author, name, date } = this.report;
    for (let index = 0; index < total; index += 1) {
      this.doc.switchToPage(range.start + index);
      const page = index + 1;
      this.doc.save().moveTo(CONTENT.left, FOOTER_TOP).lineTo(CONTENT.right, FOOTER_TOP)
        .lineWidth(0.5).strokeColor(COLOURS.rule).stroke().restore();
      const style: TextStyle = { font: 'regular', size: 9, colour: COLOURS.muted };
      const y = FOOTER_TOP + 8;
      const third = (CONTENT.right - CONTENT.left) / 3;
      this.textOn(page, author.email, CONTENT.left, y, third, style, { maxLines: 1 });
      this.textOn(page, `${name} · ${date}`, CONTENT.left + third, y, third,
        { ...style, align: 'center' }, { maxLines: 1 });
      this.textOn(page, `${page} / ${total}`, CONTENT.left + 2 * third, y, third,
        { ...style, align: 'right' }, { maxLines: 1 });
    }
  }

  #apply(style: TextStyle): void {
    this.doc.font(style.font ?? 'regular').fontSize(style.size).fillColor(style.colour ?? COLOURS.ink);
  }

  /** Height that `text` takes at `width` in `style`. */
  measure(text: string, width: number, style: TextStyle): number {
    this.#apply(style);
    return this.doc.heightOfString(text, { width, lineGap: style.lineGap ?? 0 });
  }

  /** Width of `text` on one line in `style`. */
  widthOf(text: string, style: TextStyle): number {
    this.#apply(style);
    return this.doc.widthOfString(text);
  }

  /** Height of one line in `style`. */
  lineHeight(style: TextStyle): number {
    this.#apply(style);
    return this.doc.currentLineHeight(true) + (style.lineGap ?? 0);
  }

  /**
   * Draws `text` in a box of `width` from (x, y) and returns the height used. With
   * `maxLines` the text is cut with an ellipsis instead of running on.
   */
  text(text: string, x: number, y: number, width: number, style: TextStyle,
    options: { maxLines?: number } = {}): number {
    return this.textOn(this.#page, text, x, y, width, style, options);
  }

  private textOn(page: number, text: string, x: number, y: number, width: number,
    style: TextStyle, options: { maxLines?: number }): number {
    this.#apply(style);
    const lineGap = style.lineGap ?? 0;
    const limit = options.maxLines
      ? options.maxLines * (this.doc.currentLineHeight(true) + lineGap) : undefined;
    const height = Math.min(this.doc.heightOfString(text, { width, lineGap }), limit ?? Infinity);
    this.doc.text(text, x, y, {
      width, lineGap, align: style.align ?? 'left', height: limit, ellipsis: limit ? '…' : undefined,
    });
    this.layout.push({ page, kind: 'text', x, y, width, height, label: text.slice(0, 40) });
    return height;
  }

  /**
   * Draws one line of text with no wrapping, aligned in a box of `width` from (x, y);
   * returns its height. The caller has broken the text to fit, so that what it measured
   * is what is drawn.
   */
  textLine(text: string, x: number, y: number, width: number, style: TextStyle): number {
    this.#apply(style);
    const textWidth = this.doc.widthOfString(text);
    const align = style.align ?? 'left';
    const left = align === 'right' ? x + width - textWidth
      : align === 'center' ? x + (width - textWidth) / 2 : x;
    const height = this.doc.currentLineHeight(true) + (style.lineGap ?? 0);
    this.doc.text(text, left, y, { lineBreak: false });
    this.layout.push({ page: this.#page, kind: 'text', x, y, width, height,
      label: text.slice(0, 40) });
    return height;
  }

  /** Height that styled runs take at `width`, broken into lines as `runs` draws them. */
  measureRuns(runs: TextRun[], width: number, style: TextStyle): number {
    return sum(this.#runLines(runs, width, style).map((line) => line.height));
  }

  /**
   * Draws styled runs (bold, italic, code, links) as one paragraph; returns its height.
   * The lines are broken here, each piece measured in its own face, and every piece is
   * drawn where it was measured.
   */
  runs(runs: TextRun[], x: number, y: number, width: number, style: TextStyle): number {
    const doc = this.doc;
    let top = y;
    for (const line of this.#runLines(runs, width, style)) {
      for (const piece of line.pieces) {
        doc.font(piece.font).fontSize(piece.size).fillColor(piece.colour);
        doc.text(piece.text, x + piece.x, top, {
          lineBreak: false, link: piece.link ?? null, underline: Boolean(piece.link),
        });
      }
      top += line.height;
    }
    this.layout.push({ page: this.#page, kind: 'text', x, y, width, height: top - y,
      label: runs.map((run) => run.text).join('').slice(0, 40) });
    return top - y;
  }

  /**
   * Breaks styled runs into lines of at most `width`: at spaces, at line feeds (code
   * blocks), and inside a word only when the word alone is wider than a line. Spaces at
   * a break are dropped; leading spaces of a line after a line feed are kept (indents).
   */
  #runLines(runs: TextRun[], width: number, style: TextStyle): RunLine[] {
    const lineGap = style.lineGap ?? 0;
    const lines: RunLine[] = [];
    let pieces: RunPiece[] = [];
    let x = 0;
    let pendingSpace = 0;
    let height = this.lineHeight(style);
    // Index of the first piece after the last space on the line: pieces from there on
    // are one word across runs (a bold word and its comma) and move down together.
    let group = 0;
    const finish = () => {
      lines.push({ pieces, height });
      pieces = [];
      x = 0;
      pendingSpace = 0;
      group = 0;
      height = this.lineHeight(style);
    };
    const carryGroup = () => {
      if (group === 0) return;
      const moved = pieces.splice(group);
      finish();
      const shift = moved[0].x;
      pieces = moved.map((piece) => ({ ...piece, x: piece.x - shift }));
      const last = pieces[pieces.length - 1];
      this.doc.font(last.font).fontSize(last.size);
      x = last.x + this.doc.widthOfString(last.text);
      height = Math.max(height, ...pieces.map((piece) => {
        this.doc.font(piece.font).fontSize(piece.size);
        return this.doc.currentLineHeight(true) + lineGap;
      }));
    };
    for (const run of runs) {
      const font = runFont(run, style);
      const size = run.code ? style.size * 0.92 : style.size;
      const face = { font, size, colour: runColour(run, style), link: run.link };
      this.doc.font(font).fontSize(size);
      const runHeight = this.doc.currentLineHeight(true) + lineGap;
      const place = (text: string, textWidth: number) => {
        if (pendingSpace > 0) group = pieces.length;
        pieces.push({ ...face, text, x: x + pendingSpace });
        x += pendingSpace + textWidth;
        pendingSpace = 0;
        height = Math.max(height, runHeight);
      };
      run.text.split('\n').forEach((hardLine, lineIndex) => {
        if (lineIndex > 0) finish();
        const indent = /^ */.exec(hardLine)![0];
        if (indent && pieces.length === 0 && (lineIndex > 0 || lines.length === 0)) {
          place(indent, this.doc.widthOfString(indent));
        } else if (indent && x > 0) {
          pendingSpace += this.doc.widthOfString(indent);
        }
        for (const word of hardLine.slice(indent.length).split(/( +)/)) {
          if (word === '') continue;
          const wordWidth = this.doc.widthOfString(word);
          if (word.startsWith(' ')) {
            if (x > 0) pendingSpace += wordWidth;
            continue;
          }
          if (x > 0 && x + pendingSpace + wordWidth > width) {
            if (pendingSpace > 0) finish();
            else carryGroup();
          }
          this.doc.font(font).fontSize(size);
          if (wordWidth <= width) {
            place(word, wordWidth);
            continue;
          }
          if (x > 0) finish();
          for (const chunk of breakWord(this.doc, word, width)) {
            if (x > 0) finish();
            place(chunk, this.doc.widthOfString(chunk));
          }
        }
      });
    }
    if (pieces.length || lines.length === 0) finish();
    return lines;
  }

  rect(x: number, y: number, width: number, height: number,
    fill: string, stroke?: string): void {
    const doc = this.doc.save().rect(x, y, width, height);
    if (stroke) doc.lineWidth(0.8).fillAndStroke(fill, stroke);
    else doc.fill(fill);
    this.doc.restore();
    this.layout.push({ page: this.#page, kind: 'rect', x, y, width, height });
  }

  line(x1: number, y1: number, x2: number, y2: number, colour: string, width = 0.8): void {
    this.doc.save().moveTo(x1, y1).lineTo(x2, y2).lineWidth(width).strokeColor(colour).stroke()
      .restore();
  }

  /** Draws an SVG image scaled into the box; returns false when svg-to-pdfkit failed. */
  svg(svg: string, x: number, y: number, width: number, height: number, label: string): boolean {
    try {
      SVGtoPDF(this.doc, svg, x, y, { width, height, preserveAspectRatio: 'xMidYMid meet' });
    } catch {
      return false;
    }
    this.layout.push({ page: this.#page, kind: 'chart-svg', x, y, width, height, label });
    return true;
  }

  png(png: Buffer, x: number, y: number, width: number, height: number, label: string): void {
    this.doc.image(png, x, y, { fit: [width, height], align: 'center', valign: 'center' });
    this.layout.push({ page: this.#page, kind: 'chart-png', x, y, width, height, label });
  }

  /** Ends the document and returns its bytes. */
  async finish(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      this.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    this.doc.end();
    return done;
  }
}
