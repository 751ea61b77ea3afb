import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { ChartBlock, Presentation, TableBlock } from '../../analysis/core/presentation.ts';
import type { ReportView } from '../../analysis/core/report-view.ts';
import { renderSlides, type SlidesResult } from '../../analysis/render/slides.ts';
import type {
  StepTaylor, TaylorImportanceResult,
} from '../../analysis/studies/taylor-importance.ts';
import { presentTaylor } from '../../analysis/taylorimportance/present.ts';

// The HIGGS benchmark's 21 low-level features and 7 reconstructed masses, as in the demo
// report: eight cut steps of 21 to 28 inputs with three trainings each.
const LOW_LEVEL = ['lepton_pT', 'lepton_eta', 'lepton_phi', 'missing_energy_magnitude',
  'missing_energy_phi', ...[1, 2, 3, 4].flatMap((jet) =>
    ['pt', 'eta', 'phi', 'btag'].map((name) => `jet_${jet}_${name}`))];
const MASSES = ['m_jj', 'm_jjj', 'm_lv', 'm_jlv', 'm_bb', 'm_wbb', 'm_wwbb'];
const STEPS = 8;

/** Fixed, uneven values that sum to 1, so that rankings and bar lengths differ. */
function weights(count: number, seed: number): number[] {
  const raw = Array.from({ length: count }, (_, i) => 1 + ((i * 7 + seed * 3) % 11));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((v) => v / sum);
}

function demoStep(k: number): StepTaylor {
  const inputs = [...LOW_LEVEL, ...MASSES.slice(0, k)];
  const first = weights(inputs.length, k);
  const second = inputs.map((_, i) => inputs.map((_, j) => first[i] * first[j]));
  const ranked = inputs.map((input, i) => ({ input, mean: first[i], std: 0.1 * first[i] }))
    .sort((a, b) => b.mean - a.mean);
  const pairs = inputs.flatMap((a, i) => inputs.slice(i).map((b, n) =>
    ({ inputs: [a, b] as [string, string], mean: second[i][i + n], std: 0.2 * second[i][i + n] })))
    .sort((a, b) => b.mean - a.mean);
  const spread = <T>(mean: T, std: T) => ({ mean, std });
  const classSpread = {
    first: spread(first, first), second: spread(second, second),
    normalisedFirst: spread(first, first.map((v) => 0.1 * v)),
    normalisedSecond: spread(second, second.map((row) => row.map((v) => 0.2 * v))),
  };
  return {
    name: `Step ${k}`,
    label: k === 0 ? '21 low-level features' : MASSES[k - 1],
    added: k === 0 ? [] : [MASSES[k - 1]],
    inputs,
    trainings: [0, 1, 2].map((seed) => ({ seed, model: `step-${k}/training-${seed}`,
      method: 'closed-form', seconds: 1, classes: {} as StepTaylor['trainings'][0]['classes'] })),
    summary: { all: classSpread, signal: classSpread, background: classSpread },
    ranking: { inputs: ranked.slice(0, 10), pairs: pairs.slice(0, 10) },
  };
}

const result: TaylorImportanceResult = {
  title: 'Taylor-expansion feature importance',
  from: 'higgs-cut-importance',
  units: 'standardised',
  absolute: true,
  backend: 'cpu',
  inputs: [...LOW_LEVEL, ...MASSES].map((name) => ({ name, unit: '' })),
  steps: Array.from({ length: STEPS }, (_, k) => demoStep(k)),
};

const cms = { extra: 'Simulation', energy: '13 TeV' };
let presentation: Presentation;
let slides: SlidesResult;

before(async () => {
  presentation = presentTaylor(result, { report: 'demo', study: 'higgs-taylor', cms });
  const report: ReportView = {
    name: 'demo', title: 'Taylor layout', date: '2026-12-04', meeting: 'Group meeting',
    author: { name: 'Analysis group', email: 'group@example.org', institute: 'CMS' }, cms,
    sections: [{ id: 'taylor', title: 'Taylor-expansion feature importance', motivation: [],
      method: [], methodTitle: '', comments: [], presentation }],
  };
  slides = await renderSlides(report);
});

test('two cut steps per chart part', () => {
  const chartParts = presentation.parts.filter((part) =>
    part.blocks.some((b) => b.kind === 'chart'));
  assert.equal(chartParts.length, STEPS);
  for (const part of chartParts) {
    assert.equal(part.blocks.length, 2, part.title);
    assert.equal(part.columns, 2, part.title);
  }
  assert.equal(chartParts[0].title, 'First-order importance, Step 0 and Step 1');
  assert.equal(chartParts[7].title, 'Second-order importance, Step 6 and Step 7');
});

test('bar charts put inputs on y', () => {
  const bars = presentation.parts.flatMap((part) => part.blocks)
    .filter((b): b is ChartBlock => b.kind === 'chart' && b.id.includes('-first-'));
  assert.equal(bars.length, STEPS);
  const last = bars[STEPS - 1].chart as any;
  assert.equal(last.options.indexAxis, 'y');
  assert.equal(last.data.labels.length, 28);
  assert.equal(last.options.scales.y.ticks.autoSkip, false);
  const colours = last.data.datasets[0].borderColor as string[];
  assert.equal(colours.filter((colour) => colour === colours[27]).length, 1,
    'the added m_wwbb differs from the other inputs');
  // Every chart gets the axis range of the largest bar, so that neighbours compare.
  const ranges = bars.map((bar) => (bar.chart as any).options.scales.x.suggestedMax);
  assert.ok(ranges.every((max) => max === ranges[0]));
  const largest = Math.max(...result.steps.flatMap((step) => {
    const { mean, std } = step.summary.all.normalisedFirst;
    return mean.map((v, i) => v + std[i]);
  }));
  assert.equal(ranges[0], largest);
});

test('heat maps are square', () => {
  const maps = presentation.parts.flatMap((part) => part.blocks)
    .filter((b): b is ChartBlock => b.kind === 'chart' && b.id.includes('-second-'));
  assert.equal(maps.length, STEPS);
  for (const map of maps) {
    // The extra height is the CMS label line above the map.
    assert.equal(map.height, map.width! + 20, map.id);
    const scales = (map.chart as any).options.scales;
    assert.equal(scales.x.ticks.autoSkip, false);
    assert.equal(scales.x.ticks.minRotation, 90);
  }
});

test('ranking tables hold eight rows', () => {
  const tables = presentation.parts.flatMap((part) => part.blocks)
    .filter((b): b is TableBlock => b.kind === 'table');
  assert.deepEqual(tables.map((table) => table.rows.length), [STEPS, STEPS]);
  assert.deepEqual(tables[0].rows[7].slice(0, 2), ['Step 7 (+ m_wwbb)',
    `${result.steps[7].ranking.inputs[0].input} ` +
    `${(100 * result.steps[7].ranking.inputs[0].mean).toFixed(1)}\u00a0±\u00a0` +
    `${(100 * result.steps[7].ranking.inputs[0].std).toFixed(1)}`]);
});

test('demo-sized study fills ten slides', () => {
  // Title slide, one slide per ranking table, four of bar charts and four of heat maps.
  assert.equal(slides.pages, 11);
  assert.deepEqual(slides.rasterCharts, []);
  const continued = slides.layout.filter((box) => box.label?.includes('(cont.)'));
  assert.deepEqual(continued.map((box) => box.label), []);
});

test('charts two per slide, tall', () => {
  const charts = slides.layout.filter((box) => box.kind === 'chart-svg');
  assert.equal(charts.length, 2 * STEPS);
  const perPage = new Map<number, number>();
  for (const chart of charts) perPage.set(chart.page, (perPage.get(chart.page) ?? 0) + 1);
  assert.deepEqual([...perPage.values()], [2, 2, 2, 2, 2, 2, 2, 2]);
  for (const chart of charts) {
    // The 28 input names stay apart only when a chart takes most of the slide height.
    assert.ok(chart.height >= 360, `${chart.label}: ${chart.height.toFixed(0)} pt high`);
    assert.ok(chart.width >= 340, `${chart.label}: ${chart.width.toFixed(0)} pt wide`);
  }
});
