import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ChartBlock, Part } from '../../analysis/core/presentation.ts';
import type { ReportView } from '../../analysis/core/report-view.ts';
import { MIN_CHART_SCALE, renderSlides } from '../../analysis/render/slides.ts';
import { PAGE, SlideDeck } from '../../analysis/render/slide-deck.ts';
import { barChart } from '../fixtures/render/charts.ts';
import { fixtureReports } from '../fixtures/render/reports.ts';
import { layoutReport } from '../fixtures/render/slide-layouts.ts';

const run = promisify(execFile);
const FOOTER_TOP = 512;
const TOLERANCE = 0.5;

async function popplerAvailable(): Promise<boolean> {
  try {
    await run('pdftotext', ['-v']);
    return true;
  } catch {
    return false;
  }
}
const noPoppler = (await popplerAvailable()) ? false : 'poppler-utils not installed';

for (const report of [...fixtureReports, layoutReport]) {
  test(`slides of ${report.name} stay on their pages`, async () => {
    const { layout, pages } = await renderSlides(report);
    assert.ok(layout.length > 0);
    for (const box of layout) {
      const where = `page ${box.page}, ${box.kind} '${box.label ?? ''}'`;
      assert.ok(box.page >= 1, where);
      assert.ok(box.page <= pages, where);
      assert.ok(box.x >= -TOLERANCE, `${where} starts left of the page`);
      assert.ok(box.y >= -TOLERANCE, `${where} starts above the page`);
      assert.ok(box.x + box.width <= PAGE.width + TOLERANCE, `${where} runs off the right edge`);
      assert.ok(box.y + box.height <= PAGE.height + TOLERANCE, `${where} runs off the bottom`);
      if (box.y < FOOTER_TOP) {
        assert.ok(box.y + box.height <= FOOTER_TOP + TOLERANCE, `${where} runs into the footer`);
      }
    }
  });
}

test('slides draw charts as vectors', async () => {
  const { layout, rasterCharts } = await renderSlides(fixtureReports[0]);
  assert.deepEqual(rasterCharts, []);
  assert.equal(layout.filter((box) => box.kind === 'chart-svg').length, 6);
});

test('long table continues with header', async () => {
  const { layout } = await renderSlides(layoutReport);
  const titles = layout.filter((box) => box.label?.startsWith('Selection efficiency'));
  assert.deepEqual(titles.map((box) => box.page), [4, 5]);
  assert.equal(titles[1].label, 'Selection efficiency per η bin (cont.)');
  const headers = layout.filter((box) => box.label === 'ε (data)');
  assert.deepEqual(headers.map((box) => box.page), [4, 5]);
  const rows = layout.filter((box) => box.label?.match(/^-?\d\.\d\d to /));
  assert.equal(rows.length, 34);
});

test('long bullet list continues', async () => {
  const { layout } = await renderSlides(fixtureReports[0]);
  const continued = layout.filter((box) => box.label === 'Motivation (cont.)');
  assert.equal(continued.length, 1);
  const items = layout.filter((box) => box.label?.startsWith('Item '));
  assert.equal(items.length, 14);
  assert.equal(new Set(items.map((box) => box.page)).size, 2);
});

test('every slide has a footer', async () => {
  const { layout, pages } = await renderSlides(layoutReport);
  for (let page = 1; page <= pages; page += 1) {
    const footer = layout.filter((box) => box.page === page && box.y > FOOTER_TOP);
    const labels = footer.map((box) => box.label);
    assert.ok(labels.includes('a.physicist@cern.ch'), `page ${page}: no e-mail`);
    assert.ok(labels.includes('layouts · 2022-10-27'), `page ${page}: no name and date`);
    assert.ok(labels.includes(`${page} / ${pages}`), `page ${page}: no page number`);
  }
});

test('PDF embeds fonts with Greek letters', { skip: noPoppler }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'slides-text-'));
  try {
    const file = join(dir, 'slides.pdf');
    await writeFile(file, (await renderSlides(layoutReport)).pdf);
    const { stdout: fonts } = await run('pdffonts', [file]);
    const rows = fonts.split('\n').slice(2).filter(Boolean);
    assert.ok(rows.length >= 3);
    for (const row of rows) assert.match(row, /DejaVu.*\byes\b/, `font not embedded: ${row}`);
    const { stdout: text } = await run('pdftotext', ['-f', '2', '-l', '2', file, '-']);
    for (const symbol of ['η', 'φ', 'χ²', 'ΔR', '√s']) {
      assert.ok(text.includes(symbol), `'${symbol}' is missing from the slide text`);
    }
    const { stdout: title } = await run('pdftotext', ['-f', '1', '-l', '1', file, '-']);
    assert.ok(title.includes('Slide layouts: η, χ², ΔR and √s'));
    assert.ok(title.includes('Group meeting'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

function oneSection(parts: Part[]): ReportView {
  const section = { ...layoutReport.sections[0], motivation: [], presentation: { parts } };
  return { ...layoutReport, sections: [section] };
}

test('note after charts is drawn below them', async () => {
  const { layout } = await renderSlides(layoutReport);
  const note = layout.find((box) => box.kind === 'text'
    && box.label?.startsWith('A note after the charts'));
  assert.ok(note, 'note not drawn');
  const charts = layout.filter((box) => box.kind === 'chart-svg' && box.page === note.page);
  assert.equal(charts.length, 4, 'the four grid charts share the note slide');
  const lowest = Math.max(...charts.map((box) => box.y + box.height));
  assert.ok(note.y >= lowest, `note at ${note.y} pt, charts reach ${lowest} pt`);
});

test('chart grid keeps charts legible', async () => {
  const tall = Array.from({ length: 8 }, (_, i): ChartBlock =>
    ({ ...barChart, id: `tall-${i}`, title: `Step ${i}`, width: 560, height: 400 }));
  const flat = Array.from({ length: 8 }, (_, i): ChartBlock =>
    ({ ...barChart, id: `flat-${i}`, title: `Flat ${i}`, width: 400, height: 200 }));
  const { layout } = await renderSlides(oneSection([
    { title: 'Tall', columns: 2, blocks: tall },
    { title: 'Flat', columns: 2, blocks: flat },
  ]));
  for (const [charts, perSlide] of [[tall, 2], [flat, 4]] as const) {
    const drawn = layout.filter((box) => box.kind === 'chart-svg'
      && charts.some((chart) => chart.id === box.label));
    assert.equal(drawn.length, 8);
    const pages = new Map<number, number>();
    for (const box of drawn) pages.set(box.page, (pages.get(box.page) ?? 0) + 1);
    assert.deepEqual([...pages.values()], [perSlide, perSlide, perSlide, perSlide].slice(0,
      8 / perSlide), `charts per slide for ${charts[0].id}`);
    for (const box of drawn) {
      // svg-to-pdfkit keeps the aspect ratio, so the box height gives the scale.
      const chart = charts.find((block) => block.id === box.label)!;
      const scale = Math.min(box.width / chart.width!, box.height / chart.height!);
      // Laid out again at scale / MIN_CHART_SCALE, a chart keeps MIN_CHART_SCALE of its size.
      assert.ok(scale / MIN_CHART_SCALE >= MIN_CHART_SCALE - 0.005,
        `${box.label} drawn at ${scale.toFixed(3)}`);
    }
  }
});

test('runs measure as they are drawn', () => {
  const deck = new SlideDeck(layoutReport);
  deck.addBlankPage();
  const style = { size: 13 };
  const plain = 'The selection keeps events with one photon and two jets';
  const runs = [{ text: 'The selection keeps events with ' }, { text: 'one', bold: true },
    { text: ' photon and two jets' }];
  // Wide enough for the text with one bold word, too narrow for all of it in bold.
  const width = deck.widthOf(plain, style) + deck.widthOf('one', { ...style, font: 'bold' })
    - deck.widthOf('one', style) + 1;
  assert.ok(deck.measure(plain, width, { ...style, font: 'bold' }) > deck.lineHeight(style),
    'the all-bold text must need two lines for this test');
  const measured = deck.measureRuns(runs, width, style);
  assert.equal(measured, deck.lineHeight(style));
  assert.equal(deck.runs(runs, 40, 100, width, style), measured);
});

test('runs keep code indents and wrap', () => {
  const deck = new SlideDeck(layoutReport);
  deck.addBlankPage();
  const style = { size: 13 };
  const code = [{ text: 'for x in xs:\n    fill(x)', code: true }];
  // A line is at least as high as a line in the paragraph's style.
  assert.equal(deck.measureRuns(code, 400, style), 2 * deck.lineHeight(style));
  assert.equal(deck.runs(code, 40, 100, 400, style), 2 * deck.lineHeight(style));
  const long = [{ text: 'word '.repeat(60) }];
  const height = deck.measureRuns(long, 300, style);
  assert.ok(height >= 4 * deck.lineHeight(style), `${height} pt for 60 words in 300 pt`);
  assert.equal(deck.runs(long, 40, 100, 300, style), height);
});
