import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderSlides } from '../../analysis/render/slides.ts';
import { PAGE } from '../../analysis/render/slide-deck.ts';
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
