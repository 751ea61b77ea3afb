import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eleventy } from '@11ty/eleventy';
import createDebug from 'debug';
import type { ChartBlock } from '../core/presentation.ts';
import type { ReportView } from '../core/report-view.ts';
import { InputError } from '../core/errors.ts';
import { CHART_SCRIPT, renderChartPng } from './charts.ts';
import { FONT_DIR, FONT_FACES } from './fonts.ts';
import { formatLongDate, reportPage } from './site-view.ts';

const debug = createDebug('report:site');
const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));

const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/site/', import.meta.url));
const STYLE_DIR = fileURLToPath(new URL('../../templates/assets/', import.meta.url));

/** Pixel ratio of the static chart images: sharp on high-density screens and in print. */
const PNG_SCALE = 2;

/** Browser scripts copied from node_modules into each report's assets/ folder. */
const VENDOR_SCRIPTS = [
  { from: 'chart.js/dist/chart.umd.min.js', to: 'chart.umd.min.js' },
  { from: 'chartjs-chart-error-bars/build/index.umd.min.js', to: 'chartjs-chart-error-bars.min.js' },
  { from: 'chartjs-chart-matrix/dist/chartjs-chart-matrix.min.js', to: 'chartjs-chart-matrix.min.js' },
];

/**
 * Builds the web site: `outDir/index.html` lists the reports newest first, and each
 * report gets a self-contained `outDir/<name>/` with its page, assets and chart images.
 * Links are relative, so the site works from any sub-path and from disk. The pipeline
 * writes `<name>/data/*` and `<name>/slides.pdf`, which the page links to.
 */
export async function buildSite(reports: ReportView[], outDir: string): Promise<void> {
  checkNames(reports);
  const sorted = [...reports].sort((a, b) =>
    b.date.localeCompare(a.date) || b.name.localeCompare(a.name));
  await copyAssets(join(outDir, 'assets'), false);
  for (const report of sorted) {
    const folder = join(outDir, report.name);
    await copyAssets(join(folder, 'assets'), true);
    await writeChartImages(report, join(folder, 'charts'));
  }
  const pages = sorted.map(reportPage);
  const index = sorted.map((report) => ({
    name: report.name, title: report.title, subtitle: report.subtitle,
    dateText: formatLongDate(report.date), date: report.date, meeting: report.meeting,
    author: report.author.name,
    sections: report.sections.map((section) => section.title),
  }));
  const eleventy = new Eleventy(TEMPLATE_DIR, outDir, {
    quietMode: true,
    config: (config) => {
      config.setQuietMode(true);
      config.addGlobalData('reports', pages);
      config.addGlobalData('index', index);
    },
  });
  await eleventy.write();
  debug(`site: ${sorted.length} reports written to ${outDir}`);
}

function checkNames(reports: ReportView[]): void {
  const seen = new Set<string>();
  for (const report of reports) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(report.name)) {
      throw new InputError(`report name '${report.name}' is not a valid folder name: use ` +
        'letters, digits, dots, dashes and underscores');
    }
    if (seen.has(report.name)) throw new InputError(`two reports are named '${report.name}'`);
    seen.add(report.name);
  }
}

async function copyAssets(dir: string, withScripts: boolean): Promise<void> {
  await mkdir(join(dir, 'fonts'), { recursive: true });
  await copyFile(join(STYLE_DIR, 'report.css'), join(dir, 'report.css'));
  for (const face of Object.values(FONT_FACES)) {
    await copyFile(face.file, join(dir, 'fonts', face.file.slice(FONT_DIR.length)));
  }
  await copyFile(join(FONT_DIR, 'LICENSE-DejaVu.txt'), join(dir, 'fonts', 'LICENSE-DejaVu.txt'));
  if (!withScripts) return;
  for (const script of VENDOR_SCRIPTS) {
    await copyFile(join(NODE_MODULES, script.from), join(dir, script.to));
  }
  await copyFile(CHART_SCRIPT, join(dir, 'report-charts.js'));
  await copyFile(join(STYLE_DIR, 'page.js'), join(dir, 'page.js'));
}

async function writeChartImages(report: ReportView, dir: string): Promise<void> {
  const charts: ChartBlock[] = report.sections.flatMap((section) =>
    (section.presentation?.parts ?? []).flatMap((part) =>
      part.blocks.filter((block): block is ChartBlock => block.kind === 'chart')));
  await mkdir(dir, { recursive: true });
  const ids = new Set<string>();
  for (const chart of charts) {
    if (ids.has(chart.id)) {
      throw new InputError(`report '${report.name}': chart id '${chart.id}' is used twice`);
    }
    ids.add(chart.id);
    const png = await renderChartPng(chart, { scale: PNG_SCALE, label: report.cms });
    await writeFile(join(dir, `${chart.id}.png`), png);
  }
}
