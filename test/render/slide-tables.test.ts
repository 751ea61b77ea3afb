// Table layout on slides, on a table shaped like the HLT rate change table: a long path
// name per row, eight columns, two-level headers and numbers that must stay whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Part, TableBlock } from '../../analysis/core/presentation.ts';
import type { ReportView } from '../../analysis/core/report-view.ts';
import { formatCell } from '../../analysis/render/format.ts';
import { CONTENT, SlideDeck } from '../../analysis/render/slide-deck.ts';
import {
  BASE_TABLE_SIZE, MAX_TABLE_SIZE, MIN_TABLE_SIZE, drawTableSlice, layoutTable,
} from '../../analysis/render/slide-tables.ts';
import { renderSlides } from '../../analysis/render/slides.ts';
import { barChart } from '../fixtures/render/charts.ts';
import { layoutReport } from '../fixtures/render/slide-layouts.ts';

const CONTENT_WIDTH = CONTENT.right - CONTENT.left;

const paths = ['HLT_Photon30EB_TightID_TightIso (reference)',
  'HLT_PFHT400_FivePFJet_100_100_60_30_30_DoublePFBTagDeepJet_4p5',
  'HLT_PFHT400_FivePFJet_100_100_60_30_30_DoublePFBTagDeepCSV_4p5',
  'HLT_PFHT400_FivePFJet_120_120_60_30_30_DoublePFBTagDeepJet_4p5',
  'HLT_PFHT400_FivePFJet_120_120_60_30_30_DoublePFBTagDeepCSV_4p5'];

const changeTable: TableBlock = {
  kind: 'table',
  id: 'change',
  title: 'Change of the mean rate from 2022-07-28 to 2022-08-25',
  header: [
    ['HLT path', { text: 'Mean rate (Hz)', span: 2 }, { text: 'Change', span: 2 },
      { text: 'Relative to reference', span: 2 }, 'Per pile-up'],
    ['', '2022-07-28', '2022-08-25', 'ratio', '%', 'ratio', '%', 'ratio'],
  ],
  labelColumns: 1,
  rows: paths.map((path, i) => [path, { value: 21.25 - i, digits: 2 },
    { value: 10.47 + 10 * i, digits: 2 }, { value: 0.49 + i, digits: 2 },
    { value: -51 + 400 * i, digits: 0 }, { value: 1 + 4.8 * i, digits: 2 },
    { value: 1442 * i, digits: 0 }, { value: 0.35 + i, digits: 2 }]),
};

const smallTable: TableBlock = {
  kind: 'table',
  id: 'auc',
  title: 'ROC AUC per cut step',
  header: [['Cut step', 'Added variable', 'AUC', 'Spread']],
  rows: Array.from({ length: 7 }, (_, i) =>
    [`Cut ${i}`, `Chi2_var${i}`, { value: 0.75 + i / 1000, digits: 4 }, { value: 0.01, digits: 4 }]),
};

function newDeck(): SlideDeck {
  const deck = new SlideDeck(layoutReport);
  deck.addBlankPage();
  return deck;
}

function reportWith(part: Part): ReportView {
  const section = { ...layoutReport.sections[0], motivation: [], presentation: { parts: [part] } };
  return { ...layoutReport, sections: [section] };
}

test('table keeps numbers and words whole', () => {
  const deck = newDeck();
  for (const width of [CONTENT_WIDTH, 620, 520]) {
    const layout = layoutTable(deck, changeTable, width);
    assert.ok(layout.width <= width + 0.01, `${layout.width} pt wider than ${width} pt`);
    assert.ok(layout.size >= MIN_TABLE_SIZE);
    layout.rowLines.forEach((row, r) => row.slice(1).forEach((lines, c) => {
      assert.deepEqual(lines, [formatCell(changeTable.rows[r][c + 1])], `row ${r}, column ${c + 1}`);
    }));
    const headerWords = layout.headerLines.flat().flat().join(' ').split(/\s+/).filter(Boolean);
    const expected = changeTable.header.flat()
      .map((cell) => (typeof cell === 'string' ? cell : cell.text)).join(' ').split(/\s+/)
      .filter(Boolean);
    assert.deepEqual(headerWords, expected, `header words at ${width} pt`);
  }
});

test('path labels wrap after underscores', () => {
  const deck = newDeck();
  const layout = layoutTable(deck, changeTable, 620);
  assert.ok(layout.wrapped);
  const labels = layout.rowLines.map((row) => row[0]);
  assert.ok(labels.some((lines) => lines.length > 1), 'no label wraps at 620 pt');
  labels.forEach((lines, r) => {
    // A line ends after an underscore or at a space; joining them back gives the name.
    const joined = lines.reduce((text, line) =>
      (text === '' ? line : text.endsWith('_') ? text + line : `${text} ${line}`), '');
    assert.equal(joined, paths[r], `row ${r}`);
  });
});

test('wide table takes the full width', async () => {
  const { layout } = await renderSlides(reportWith({ title: 'Change', blocks: [changeTable, barChart] }));
  const title = layout.find((box) => box.label?.startsWith('Change of the mean rate'));
  assert.ok(title);
  assert.ok(title.width > CONTENT_WIDTH / 2, `table is ${title.width} pt wide`);
  const chart = layout.find((box) => box.kind === 'chart-svg');
  assert.ok(chart);
  const tableBottom = Math.max(...layout.filter((box) => box.page === title.page && box.kind === 'text'
    && box.y < 500 && box.label !== title.label).map((box) => box.y + box.height));
  assert.ok(chart.page > title.page || chart.y >= tableBottom, 'chart overlaps the table');
  const figures = layout.filter((box) => box.kind === 'text' && box.label === '1442');
  assert.equal(figures.length, 1);
});

test('short table grows into the room', () => {
  const deck = newDeck();
  const fixed = layoutTable(deck, smallTable, CONTENT_WIDTH);
  assert.equal(fixed.size, BASE_TABLE_SIZE);
  const grown = layoutTable(deck, smallTable, CONTENT_WIDTH, 400);
  assert.equal(grown.size, MAX_TABLE_SIZE);
  assert.ok(!grown.wrapped);
  const tight = layoutTable(deck, smallTable, CONTENT_WIDTH, 200);
  assert.ok(tight.size > BASE_TABLE_SIZE, `size ${tight.size} above the base size`);
  assert.ok(tight.size < MAX_TABLE_SIZE, `size ${tight.size} below the maximum`);
});

test('header lines stay above first row', () => {
  const deck = newDeck();
  const table: TableBlock = {
    kind: 'table', id: 'samples',
    header: [['set', 'file', 'events', 'sum of genWeight (from)', 'HT from']],
    labelColumns: 1,
    rows: [['standard', 'GJet_v11_Skim.root', 100, '211846 (Runs tree)', 'GEN jets']],
  };
  const layout = layoutTable(deck, table, 400);
  const sumw = layout.headerLines[0][3];
  assert.ok(sumw.length > 1, 'the header must wrap at 400 pt for this test');
  drawTableSlice(deck, layout, 0, 1, 40, 100, false);
  const headerBottom = 100 + layout.headerHeights[0];
  const drawnHeader = deck.layout.filter((box) => box.kind === 'text'
    && layout.headerLines[0].flat().includes(box.label ?? ''));
  assert.equal(drawnHeader.length, layout.headerLines[0].flat().length, 'one box per line');
  for (const box of drawnHeader) {
    assert.ok(box.y + box.height <= headerBottom + 0.01, `'${box.label}' runs into the rows`);
  }
  const firstRow = deck.layout.find((box) => box.label === 'standard');
  assert.ok(firstRow, 'first row is drawn');
  assert.ok(firstRow.y >= headerBottom, 'first row starts below the header');
});

test('text cells wrap at spaces', () => {
  const deck = newDeck();
  const table: TableBlock = {
    kind: 'table', id: 'ranks', header: [['Step', '1st', '2nd']], labelColumns: 1,
    rows: [['Step 3 (+ m_lv)', 'missing_energy_magnitude 9.8 ± 1.0', 'jet_1_pt 7.3 ± 0.7']],
  };
  const layout = layoutTable(deck, table, 340);
  assert.deepEqual(layout.rowLines[0][1], ['missing_energy_magnitude', '9.8 ± 1.0']);
  assert.ok(!layout.rowLines[0].flat().some((line) => line.endsWith('±')), 'a ± ends a line');
  // A label breaks at a space before it breaks after an underscore.
  assert.ok(layout.rowLines[0][0].every((line) => !line.endsWith('_')),
    `label lines ${JSON.stringify(layout.rowLines[0][0])}`);
});

test('missing cell shows a dash', () => {
  const deck = newDeck();
  const table: TableBlock = { kind: 'table', id: 'gap', header: [['a', 'b', 'c']],
    rows: [['x', null, 1], ['y', 2]] };
  const layout = layoutTable(deck, table, CONTENT_WIDTH);
  assert.deepEqual(layout.rowLines[0][1], [formatCell(null)]);
  assert.deepEqual(layout.rowLines[1][2], ['']);
});
