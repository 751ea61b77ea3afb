// The rendered images compared with the stored references under
// test/fixtures/render/reference/, shared by the tests and scripts/update-references.ts.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { renderChartPng } from '../../analysis/render/charts.ts';
import { renderSlides } from '../../analysis/render/slides.ts';
import { allCharts } from '../fixtures/render/charts.ts';
import { layoutPages, layoutReport } from '../fixtures/render/slide-layouts.ts';

const run = promisify(execFile);

export const REFERENCE_DIR = fileURLToPath(
  new URL('../fixtures/render/reference/', import.meta.url));

/** CMS label of the chart references, as a report would set it. */
const LABEL = { extra: 'Private Work', period: '2022', energy: '13.6 TeV' };

/** Resolution of the slide references: 72 dpi makes one pixel per PDF point. */
const SLIDE_DPI = 72;

/** Renders each chart fixture at its CSS size; names are `chart-<id>`. */
export async function renderChartImages(): Promise<Map<string, Buffer>> {
  const images = new Map<string, Buffer>();
  for (const chart of allCharts) {
    images.set(`chart-${chart.id}`, await renderChartPng(chart, { scale: 1, label: LABEL }));
  }
  return images;
}

/** Renders the layout report's slides through pdftoppm; names are `slide-<layout>`. */
export async function renderSlideImages(): Promise<Map<string, Buffer>> {
  const { pdf } = await renderSlides(layoutReport);
  const dir = await mkdtemp(join(tmpdir(), 'slides-'));
  try {
    await writeFile(join(dir, 'slides.pdf'), pdf);
    await run('pdftoppm', ['-png', '-r', String(SLIDE_DPI), join(dir, 'slides.pdf'),
      join(dir, 'page')]);
    const files = (await readdir(dir)).filter((file) => file.endsWith('.png')).sort();
    if (files.length !== layoutPages.length) {
      throw new Error(`layout slides have ${files.length} pages, expected ${layoutPages.length}`);
    }
    const images = new Map<string, Buffer>();
    for (const [index, file] of files.entries()) {
      images.set(`slide-${layoutPages[index]}`, await readFile(join(dir, file)));
    }
    return images;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Returns whether pdftoppm (poppler-utils) can be run. */
export async function hasPdftoppm(): Promise<boolean> {
  try {
    await run('pdftoppm', ['-v']);
    return true;
  } catch {
    return false;
  }
}
