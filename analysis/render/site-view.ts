import type { Block, CmsLabel, Download } from '../core/presentation.ts';
import type { ReportView, SectionView } from '../core/report-view.ts';
import { chartLabel, chartSize } from './charts.ts';
import {
  breakableWords, formatCell, headerRows, numericColumns, type HeaderCell,
} from './format.ts';
import { markdown, renderBlock, renderInline } from './markdown.ts';

/**
 * Template data of one report page. Every text is already escaped HTML from markdown-it
 * (raw HTML off) and every table cell is formatted. The templates print these strings
 * as they are and escape everything else.
 */
export interface ReportPage {
  name: string;
  title: string;
  subtitle?: string;
  date: string;
  dateText: string;
  meeting: string;
  author: ReportView['author'];
  cmsText: string;
  sections: SectionPage[];
  slides: string;
}

export interface SectionPage {
  id: string;
  title: string;
  motivation: string[];
  method: string[];
  methodTitle: string;
  comments: string[];
  parts: PartPage[];
  resultsLink?: string;
  provenance?: string;
  downloads: Array<{ href: string; label: string; name: string }>;
}

export interface PartPage {
  id: string;
  title: string;
  blocks: BlockPage[];
}

export type BlockPage =
  | { kind: 'table'; id: string; title?: string; caption?: string;
    header: Array<Array<HeaderCell & { html: string }>>;
    rows: Array<Array<{ text: string; html: string; numeric: boolean; label: boolean }>> }
  | { kind: 'chart'; id: string; title: string; caption?: string; png: string;
    width: number; height: number; json: string }
  | { kind: 'box'; title: string; lines: string[] }
  | { kind: 'text'; html: string }
  | { kind: 'note'; html: string };

export function reportPage(report: ReportView): ReportPage {
  return {
    name: report.name,
    title: report.title,
    subtitle: report.subtitle,
    date: report.date,
    dateText: formatLongDate(report.date),
    meeting: report.meeting,
    author: report.author,
    cmsText: cmsText(report.cms),
    sections: report.sections.map((section) => sectionPage(section, report.cms)),
    slides: 'slides.pdf',
  };
}

function cmsText(label: CmsLabel): string {
  const right = [label.period, label.energy ? `(${label.energy})` : ''].filter(Boolean).join(' ');
  return [`CMS ${label.extra}`.trim(), right].filter(Boolean).join(' · ');
}

export function formatLongDate(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-GB',
    { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function sectionPage(section: SectionView, label: CmsLabel): SectionPage {
  const parts = section.presentation?.parts ?? [];
  return {
    id: section.id,
    title: section.title,
    motivation: section.motivation.map(renderInline),
    method: section.method.map(renderInline),
    methodTitle: section.methodTitle || 'Methodology',
    comments: section.comments.map(renderInline),
    parts: parts.map((part, index) => ({
      id: `${section.id}-part-${index + 1}`,
      title: part.title,
      blocks: part.blocks.map((block) => blockPage(block, label)),
    })),
    resultsLink: section.resultsLink,
    provenance: section.provenance,
    downloads: (section.presentation?.downloads ?? []).map(downloadLink),
  };
}

function downloadLink(download: Download) {
  return { href: `data/${download.name}`, label: download.label, name: download.name };
}

/** JSON for an inline `<script type="application/json">`: no `<` can close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Escaped HTML of a table cell that a browser may wrap at spaces only (see
 * breakableWords), and in a row label (an HLT path name, say) also after underscores;
 * every piece between those points stays whole, so that neither a date nor a number is
 * broken at its hyphen. The break after an underscore is a <wbr>, which a copied name
 * does not carry. Leading spaces, the indent of a sub-row label, are kept.
 */
export function breakableHtml(text: string, label: boolean): string {
  const escape = markdown.utils.escapeHtml;
  const indent = /^ */.exec(text)![0];
  const words = breakableWords(text.slice(indent.length)).map((word) => {
    const pieces = label ? word.trimEnd().split(/(?<=_)/) : [word.trimEnd()];
    return pieces.map((piece) => `<span class="nobr">${escape(piece)}</span>`).join('<wbr>');
  });
  const lead = indent ? `<span class="indent">${indent}</span>` : '';
  return lead + words.join(' ');
}

function blockPage(block: Block, label: CmsLabel): BlockPage {
  switch (block.kind) {
    case 'table': {
      const numeric = numericColumns(block);
      const labels = block.labelColumns ?? 1;
      return {
        kind: 'table', id: block.id, title: block.title, caption: block.caption,
        header: headerRows(block).map((row) => row.map((cell) =>
          ({ ...cell, html: breakableHtml(cell.text, false) }))),
        rows: block.rows.map((row) => row.map((cell, column) => {
          const text = formatCell(cell);
          const label = column < labels;
          return { text, html: breakableHtml(text, label), numeric: numeric[column] ?? false,
            label };
        })),
      };
    }
    case 'chart': {
      const size = chartSize(block);
      return {
        kind: 'chart', id: block.id, title: block.title, caption: block.caption,
        png: `charts/${block.id}.png`, ...size,
        json: scriptJson({ chart: block.chart, label: chartLabel(block, label), ...size }),
      };
    }
    case 'box':
      return { kind: 'box', title: block.title, lines: block.lines };
    case 'text':
      return { kind: 'text', html: renderBlock(block.markdown) };
    case 'note':
      return { kind: 'note', html: renderInline(block.text) };
  }
}
