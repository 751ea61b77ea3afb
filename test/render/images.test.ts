// Image comparisons in the manner of Chart.js's own tests: each chart type and each slide
// layout is rendered from fixed fixtures and compared with its stored reference PNG.
// After a deliberate change, `npx tsx scripts/update-references.ts` regenerates them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import {
  REFERENCE_DIR, hasPdftoppm, renderChartImages, renderSlideImages,
} from './image-cases.ts';

/** Per-pixel colour distance pixelmatch ignores (0 to 1), as for anti-aliasing noise. */
const PIXEL_THRESHOLD = 0.1;
/** Share of pixels that may differ beyond PIXEL_THRESHOLD. */
const MAX_DIFFERING_SHARE = 0.002;
const OUTPUT_DIR = join('test-output', 'render');

async function compare(name: string, actualPng: Buffer): Promise<void> {
  const referenceFile = join(REFERENCE_DIR, `${name}.png`);
  assert.ok(existsSync(referenceFile),
    `no reference ${referenceFile}: run npx tsx scripts/update-references.ts`);
  const reference = PNG.sync.read(readFileSync(referenceFile));
  const actual = PNG.sync.read(actualPng);
  assert.deepEqual([actual.width, actual.height], [reference.width, reference.height],
    `${name}: size differs from the reference`);
  const diff = new PNG({ width: actual.width, height: actual.height });
  const differing = pixelmatch(actual.data, reference.data, diff.data, actual.width,
    actual.height, { threshold: PIXEL_THRESHOLD });
  const share = differing / (actual.width * actual.height);
  if (share > MAX_DIFFERING_SHARE) {
    await mkdir(OUTPUT_DIR, { recursive: true });
    await writeFile(join(OUTPUT_DIR, `${name}-actual.png`), actualPng);
    await writeFile(join(OUTPUT_DIR, `${name}-diff.png`), PNG.sync.write(diff));
  }
  assert.ok(share <= MAX_DIFFERING_SHARE, `${name}: ${differing} pixels ` +
    `(${(100 * share).toFixed(3)} %) differ from the reference; see ${OUTPUT_DIR}/${name}-diff.png`);
}

const charts = await renderChartImages();
for (const [name, png] of charts) {
  test(`${name} matches reference`, async () => compare(name, png));
}

const noPdftoppm = (await hasPdftoppm()) ? false
  : 'pdftoppm not found: install poppler-utils to compare the slides';
const slides = noPdftoppm ? new Map<string, Buffer>() : await renderSlideImages();
for (const [name, png] of slides) {
  test(`${name} matches reference`, async () => compare(name, png));
}
test('slide comparisons ran', { skip: noPdftoppm }, () => {
  assert.equal(slides.size, 7);
});

test('chart PNG scales with pixel ratio', async () => {
  const { renderChartPng } = await import('../../analysis/render/charts.ts');
  const { barChart } = await import('../fixtures/render/charts.ts');
  const png = PNG.sync.read(await renderChartPng(barChart, { scale: 2 }));
  assert.equal(png.width, 1280);
  assert.equal(png.height, 800);
});

test('chart SVG is vector with text as paths', async () => {
  const { renderChartSvg } = await import('../../analysis/render/charts.ts');
  const { ratioChart } = await import('../fixtures/render/charts.ts');
  const svg = await renderChartSvg(ratioChart);
  assert.match(svg, /^<\?xml|^<svg/);
  assert.ok(svg.includes('<path'));
  assert.ok(!svg.includes('<image'), 'SVG embeds a raster image');
  assert.ok(!svg.includes('<text'), 'SVG needs fonts for its text');
});
