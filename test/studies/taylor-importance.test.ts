import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate } from '../../analysis/core/config.ts';
import { createJobPool, type JobPool } from '../../analysis/core/jobs.ts';
import { createLogger } from '../../analysis/core/log.ts';
import type { StudyContext } from '../../analysis/core/study.ts';
import type { ChartBlock, TableBlock } from '../../analysis/core/presentation.ts';
import { useBackend } from '../../analysis/learning/taylor.ts';
import {
  taylorImportance, type TaylorImportanceConfig, type TaylorImportanceResult,
} from '../../analysis/studies/taylor-importance.ts';

const fixtures = fileURLToPath(new URL('../fixtures/taylor/', import.meta.url));
process.env.REPORT_QUIET = '1';

function config(extra: Record<string, unknown> = {}): TaylorImportanceConfig {
  return validate<TaylorImportanceConfig>(taylorImportance.configSchema,
    { kind: 'taylor-importance', name: 'higgs-taylor', from: 'higgs-cut-importance', ...extra },
    'taylor.yaml');
}

function context(dependency: unknown, jobs: JobPool, dir = fixtures): StudyContext {
  return {
    report: 'demo',
    study: 'higgs-taylor',
    configFile: '/tmp/taylor.yaml',
    resolve: (path) => join('/tmp', path),
    workDir: '/tmp',
    log: createLogger('higgs-taylor'),
    jobs,
    backend: async () => 'cpu',
    dependency: (name) => {
      assert.equal(name, 'higgs-cut-importance');
      return { result: dependency, dir };
    },
  };
}

let source: any;
let result: TaylorImportanceResult;

before(async () => {
  await useBackend('cpu');
  source = JSON.parse(await readFile(join(fixtures, 'result.json'), 'utf8'));
  result = await taylorImportance.run(config(), context(source, createJobPool(0)));
});

test('config defaults and dependency', () => {
  const checked = config();
  assert.equal(checked.units, 'standardised');
  assert.equal(checked.absolute, true);
  assert.equal(checked.top, 10);
  assert.deepEqual(taylorImportance.dependsOn!(checked), ['higgs-cut-importance']);
  assert.throws(() => config({ units: 'GeV' }),
    /taylor.yaml: invalid configuration\n {2}- units: must be one of "standardised", "physical"/);
});

test('result passes its schema', () => {
  validate(taylorImportance.resultSchema, structuredClone(result), 'result');
  assert.equal(result.steps.length, 2);
  assert.deepEqual(result.inputs.map((input) => input.name), source.steps[1].inputs);
});

test('first order normalised per network', () => {
  for (const step of result.steps) {
    assert.equal(step.trainings.length, 3);
    for (const training of step.trainings) {
      assert.equal(training.method, 'closed-form');
      for (const name of ['all', 'signal', 'background'] as const) {
        const values = training.classes[name];
        const sum = values.normalisedFirst.reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum - 1) < 1e-12, `${step.name} ${name}: sum ${sum}`);
        const ratio = values.first[0] / values.normalisedFirst[0];
        values.first.forEach((v, i) => assert.ok(Math.abs(v / values.normalisedFirst[i] - ratio) < 1e-9 * ratio));
      }
    }
  }
});

test('classes split the events', () => {
  const { classes } = result.steps[0].trainings[0];
  assert.equal(classes.all.events, 400);
  assert.equal(classes.signal.events + classes.background.events, 400);
  for (let i = 0; i < classes.all.first.length; i++) {
    const combined = (classes.signal.first[i] * classes.signal.sumWeights
      + classes.background.first[i] * classes.background.sumWeights) / classes.all.sumWeights;
    assert.ok(Math.abs(combined - classes.all.first[i]) < 1e-6 * classes.all.first[i]);
  }
});

test('spread over trainings', () => {
  const step = result.steps[1];
  const values = step.trainings.map((t) => t.classes.all.normalisedFirst[0]);
  const mean = values.reduce((a, b) => a + b, 0) / 3;
  const std = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / 2);
  assert.ok(Math.abs(step.summary.all.normalisedFirst.mean[0] - mean) < 1e-12);
  assert.ok(Math.abs(step.summary.all.normalisedFirst.std[0] - std) < 1e-12);
  assert.ok(std > 0, 'three trainings with different seeds differ');
});

test('ranking sorted and complete', () => {
  for (const step of result.steps) {
    const d = step.inputs.length;
    assert.equal(step.ranking.inputs.length, Math.min(10, d));
    assert.equal(step.ranking.pairs.length, 10);
    for (let r = 1; r < step.ranking.inputs.length; r++) {
      assert.ok(step.ranking.inputs[r - 1].mean >= step.ranking.inputs[r].mean);
    }
    const best = Math.max(...step.summary.all.normalisedFirst.mean);
    assert.equal(step.ranking.inputs[0].mean, best);
    const secondBest = Math.max(...step.summary.all.normalisedSecond.mean.flat());
    assert.equal(step.ranking.pairs[0].mean, secondBest);
  }
});

test('second order normalised on i <= j', () => {
  const { normalisedSecond, second } = result.steps[0].trainings[0].classes.all;
  let sum = 0;
  normalisedSecond.forEach((row, i) => row.forEach((v, j) => { if (j >= i) sum += v; }));
  assert.ok(Math.abs(sum - 1) < 1e-12);
  assert.deepEqual(second, second.map((row, i) => row.map((_, j) => second[j][i])));
});

test('physical units divide by widths', async () => {
  const physical = await taylorImportance.run(config({ units: 'physical' }),
    context(source, createJobPool(0)));
  const network = JSON.parse(await readFile(join(fixtures, 'step-0/training-0/network.json'), 'utf8'));
  const standard = result.steps[0].trainings[0].classes.all;
  const scaled = physical.steps[0].trainings[0].classes.all;
  standard.first.forEach((v, i) => {
    assert.ok(Math.abs(scaled.first[i] - v / network.std[i]) < 1e-9 * Math.abs(v / network.std[i]));
  });
  assert.ok(Math.abs(scaled.second[0][1] - standard.second[0][1] / network.std[0] / network.std[1])
    < 1e-9 * scaled.second[0][1]);
});

test('runs the jobs in workers', async () => {
  const pool = createJobPool(1);
  try {
    const fromWorkers = await taylorImportance.run(config({ max_events: 100 }), context(source, pool));
    assert.equal(fromWorkers.steps[1].trainings[2].classes.all.events, 100);
  } finally {
    await pool.close();
  }
});

test('missing models name the study', async () => {
  const archived = {
    archived: { source: 'auc_by_cut_step.yaml' },
    steps: [{ name: 'Cut 1', inputs: ['a'], trainings: [{ auc: 0.7 }] }],
  };
  await assert.rejects(taylorImportance.run(config(), context(archived, createJobPool(0))),
    /study higgs-taylor: study higgs-cut-importance has no saved models or evaluation events for Cut 1 \(its result is archived from auc_by_cut_step.yaml/);
  await assert.rejects(taylorImportance.run(config(), context({ steps: [] }, createJobPool(0))),
    /study higgs-taylor: study higgs-cut-importance has no cut steps in its result/);
});

test('mismatched inputs name the study', async () => {
  const renamed = structuredClone(source);
  renamed.steps[0].inputs[6] = 'm_4b';
  await assert.rejects(taylorImportance.run(config(), context(renamed, createJobPool(0))),
    /study higgs-taylor: higgs-cut-importance masses \(step-0\/training-0\): the network has inputs that do not match the study's variables .*: missing m_4b; not in the study: m_wwbb/);
});

test('missing network file names it', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'taylor-'));
  await assert.rejects(taylorImportance.run(config(), context(source, createJobPool(0), empty)),
    (error: Error) => /study higgs-taylor: higgs-cut-importance masses/.test(error.message)
      && error.message.includes(join(empty, 'step-0/training-0/network.json')));
});

const presentContext = { report: 'demo', study: 'higgs-taylor', cms: { extra: 'Simulation' } };

test('presentation shows every step', () => {
  const { parts } = taylorImportance.present(result, presentContext);
  assert.deepEqual(parts.map((part) => part.title), [
    'Leading inputs per cut step',
    'Leading pairs of inputs per cut step',
    'First-order importance, masses and kinematics',
    'Second-order importance, masses and kinematics',
  ]);
  const bars = parts[2].blocks as ChartBlock[];
  assert.equal(bars.length, 2);
  assert.equal(parts[2].columns, 2);
  const bar = bars[1].chart as any;
  assert.equal(bar.type, 'barWithErrorBars');
  assert.equal(bar.options.indexAxis, 'y');
  assert.deepEqual(bar.data.labels, result.steps[1].inputs);
  const point = bar.data.datasets[0].data[0];
  const spread = result.steps[1].summary.all.normalisedFirst;
  assert.equal(point.x, spread.mean[0]);
  assert.equal(point.xMin, spread.mean[0] - spread.std[0]);
  assert.equal(point.xMax, spread.mean[0] + spread.std[0]);

  const maps = parts[3].blocks as ChartBlock[];
  assert.equal(maps.length, 2);
  assert.equal(parts[3].columns, 2);
  const heat = maps[0].chart as any;
  assert.equal(heat.type, 'matrix');
  const d = result.steps[0].inputs.length;
  assert.equal(heat.data.datasets[0].data.length, d * d);
  assert.equal(heat.data.datasets[0].backgroundColor.length, d * d);
  assert.ok(heat.data.datasets[0].backgroundColor.every((c: string) => /^rgb\(\d+, \d+, \d+\)$/.test(c)));
  assert.deepEqual(heat.options.scales.x.labels, result.steps[0].inputs);
  assert.deepEqual(heat.options.scales.y.labels, result.steps[0].inputs);
  assert.deepEqual(heat.data.datasets[0].data[1], { x: result.steps[0].inputs[1],
    y: result.steps[0].inputs[0], v: result.steps[0].summary.all.normalisedSecond.mean[0][1] });
  // Functions cannot survive the JSON that the site and slides are drawn from.
  assert.deepEqual(JSON.parse(JSON.stringify(parts)), parts);
});

test('ranking tables show five per step', () => {
  const { parts } = taylorImportance.present(result, presentContext);
  const inputs = parts[0].blocks.find((b): b is TableBlock => b.kind === 'table')!;
  const pairs = parts[1].blocks[0] as TableBlock;
  for (const table of [inputs, pairs]) {
    assert.equal(table.rows.length, result.steps.length);
    assert.deepEqual(table.header, [['Step', '1st', '2nd', '3rd', '4th', '5th']]);
  }
  const step = result.steps[1];
  assert.equal(inputs.rows[0][0], result.steps[0].name, 'a first step adding all its inputs');
  assert.equal(inputs.rows[1][0], `${step.name} (+ ${step.added.join(', ')})`);
  const first = step.ranking.inputs[0];
  assert.equal(inputs.rows[1][1], `${first.input} ${(100 * first.mean).toFixed(1)}\u00a0±\u00a0` +
    `${(100 * first.std).toFixed(1)}`);
  const pair = step.ranking.pairs[4];
  const name = pair.inputs[0] === pair.inputs[1] ? `${pair.inputs[0]}²` : pair.inputs.join(' × ');
  assert.equal(pairs.rows[1][5], `${name} ${(100 * pair.mean).toFixed(2)}\u00a0±\u00a0` +
    `${(100 * pair.std).toFixed(2)}`);
  // The result keeps the configured ten; the tables show five.
  assert.equal(step.ranking.inputs.length, 10);
});
