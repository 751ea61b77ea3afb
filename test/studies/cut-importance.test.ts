import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadYamlFile, validate } from '../../analysis/core/config.ts';
import { InputError } from '../../analysis/core/errors.ts';
import { createJobPool } from '../../analysis/core/jobs.ts';
import { createLogger } from '../../analysis/core/log.ts';
import type { TableBlock, ChartBlock, BoxBlock } from '../../analysis/core/presentation.ts';
import { cutImportance } from '../../analysis/studies/cut-importance.ts';
import { standaloneContext } from '../../analysis/cutimportance/standalone.ts';
import type { CutImportanceConfig } from '../../analysis/cutimportance/config.ts';
import type { CutImportanceResult } from '../../analysis/cutimportance/result.ts';
import { loadEvaluationSet, loadNetwork } from '../../analysis/learning/saved-model.ts';
import { parseYaml } from '../../analysis/core/config.ts';

const demoConfig = resolve('content/demo/cut_importance.yaml');
const archivedTable = resolve('content/2022-08/auc_by_cut_step.yaml');
const scratch = await mkdtemp(join(tmpdir(), 'cut-importance-test-'));
const quiet = createLogger('test', Object.assign(Object.create(process.stderr), {
  write: () => true, isTTY: false,
}) as NodeJS.WriteStream);
after(() => rm(scratch, { recursive: true, force: true }));

/**
 * Loads the demonstration config cut to two steps, with the most separating masses as base
 * inputs and a tiny network, so that a run takes seconds.
 */
async function smallConfig(overrides: Partial<CutImportanceConfig> = {}): Promise<CutImportanceConfig> {
  const raw = await loadYamlFile(demoConfig) as Record<string, any>;
  raw.steps = raw.steps.slice(0, 2);
  raw.base_inputs = ['m_bb', 'm_wbb', 'm_wwbb', 'jet_1_pt', 'lepton_pT'];
  raw.model = { ...raw.model, hidden_layers: [8], epochs: 4, batch_size: 256, learning_rate: 0.01 };
  raw.trainings = 2;
  return validate<CutImportanceConfig>(cutImportance.configSchema, { ...raw, ...overrides }, demoConfig);
}

async function runStudy(config: CutImportanceConfig, workers: number, configFile = demoConfig) {
  const workDir = await mkdtemp(join(scratch, 'run-'));
  const pool = createJobPool(workers);
  try {
    const result = await cutImportance.run(config, standaloneContext(configFile, workDir, pool, quiet));
    validate(cutImportance.resultSchema, result, 'result');
    return { result, workDir };
  } finally {
    await pool.close();
  }
}

/** A result without the wall-clock times, which differ from run to run. */
const withoutTimes = (result: CutImportanceResult) => ({
  ...result,
  steps: result.steps.map((step) => ({
    ...step,
    trainings: step.trainings.map(({ seconds: _seconds, ...training }) => training),
  })),
});

test('config defaults are filled in', async () => {
  const config = validate<CutImportanceConfig>(cutImportance.configSchema, {
    kind: 'cut-importance', name: 'x',
    samples: { signal: { files: ['a.csv'] }, background: { files: ['b.csv'] } },
    base_inputs: ['a'], steps: [{ name: 'Cut 0' }],
  }, 'x.yaml');
  assert.deepEqual(config.split, { train: 'odd', evaluate: 'even' });
  assert.deepEqual(config.model.hidden_layers, [100, 100, 100]);
  assert.equal(config.model.dropout, 0.1);
  assert.equal(config.model.batch_size, 2048);
  assert.equal(config.trainings, 3);
  assert.equal(config.samples.signal.weight, '1');
  assert.deepEqual(config.steps[0].adds, []);
});

test('config with a bad key is rejected by path', async () => {
  assert.throws(() => validate(cutImportance.configSchema, {
    kind: 'cut-importance', name: 'x',
    samples: { signal: { files: ['a.csv'] }, background: { files: ['b.csv'] } },
    base_inputs: ['a'], steps: [{ name: 'Cut 0' }], model: { dropout: 2 },
  }, 'x.yaml'), /model\.dropout/);
});

test('demonstration config has 8 steps up to 28 inputs', async () => {
  const config = validate<CutImportanceConfig>(cutImportance.configSchema,
    await loadYamlFile(demoConfig), demoConfig);
  assert.equal(config.steps.length, 8);
  assert.equal(config.base_inputs.length, 21);
  assert.equal(config.base_inputs.length + config.steps.reduce((n, step) => n + step.adds.length, 0), 28);
  assert.deepEqual(await cutImportance.inputs(config, standaloneContext(demoConfig, scratch, createJobPool(0))),
    [resolve('content/demo/data/higgs.csv')]);
});

test('run on HIGGS splits rows by parity', async () => {
  const { result, workDir } = await runStudy(await smallConfig(), 0);
  assert.equal(result.steps.length, 2);
  const counts = result.steps[0].trainings[0].counts!;
  // higgs.csv: odd rows hold 2897 signal and 2595 background events, even rows 2924 and 2568.
  assert.equal(counts.training.signal, 2897);
  assert.equal(counts.training.background, 2595);
  assert.equal(counts.evaluation.signal, 2924);
  assert.equal(counts.evaluation.background, 2568);
  assert.equal(counts.validation, Math.round(0.2 * 5492));
  for (const step of result.steps) {
    for (const training of step.trainings) {
      assert.ok(training.auc > 0.5, `${step.name}: AUC ${training.auc}`);
      assert.ok(training.auc < 1, `${step.name}: AUC ${training.auc}`);
    }
  }
  assert.deepEqual(result.steps[1].added, ['m_jj']);
  assert.equal(result.steps[1].inputs.length, 6);
  assert.deepEqual(result.steps[1].trainings.map((t) => t.seed), [1, 2]);

  // The files the Taylor-importance study reads back.
  const network = await loadNetwork(join(workDir, result.steps[1].trainings[1].model!));
  assert.deepEqual(network.inputs, result.steps[1].inputs);
  assert.equal(network.units.length, 6);
  const evaluation = await loadEvaluationSet(join(workDir, result.steps[1].evaluation!));
  assert.equal(evaluation.count, 5492);
  assert.deepEqual(evaluation.inputs, result.steps[1].inputs);
  const job = JSON.parse(await readFile(join(workDir, 'step-1', 'training-2', 'training.json'), 'utf8'));
  assert.equal(job.auc, result.steps[1].trainings[1].auc);
  await assert.rejects(access(join(workDir, 'step-1', 'training-set')), /ENOENT/);
});

test('worker threads give the serial result', async () => {
  const config = await smallConfig();
  const serial = await runStudy(config, 0);
  const parallel = await runStudy(config, 2);
  assert.deepEqual(withoutTimes(parallel.result), withoutTimes(serial.result));
});

test('different seeds give different AUCs', async () => {
  const { result } = await runStudy(await smallConfig(), 0);
  const [first, second] = result.steps[0].trainings;
  assert.notEqual(first.auc, second.auc);
});

async function csvConfig(name: string, text: string, overrides: Record<string, unknown> = {}) {
  const file = join(scratch, `${name}.csv`);
  await writeFile(file, text);
  const configFile = join(scratch, `${name}.yaml`);
  const config = validate<CutImportanceConfig>(cutImportance.configSchema, {
    kind: 'cut-importance', name,
    samples: {
      signal: { files: [`${name}.csv`], selection: 'label == 1' },
      background: { files: [`${name}.csv`], selection: 'label == 0' },
    },
    base_inputs: ['x'], steps: [{ name: 'Cut 0' }],
    model: { hidden_layers: [4], epochs: 1, batch_size: 16 }, trainings: 1,
    ...overrides,
  }, configFile);
  return { config, configFile };
}

const rows = (count: number, value: (i: number) => string) =>
  `x,y,label\n${Array.from({ length: count }, (_, i) => `${value(i)},${i},${i % 4 < 2 ? 1 : 0}`).join('\n')}\n`;

test('missing column names file, column and closest names', async () => {
  const { config, configFile } = await csvConfig('missing', rows(40, (i) => `${i}`),
    { base_inputs: ['xx'] });
  await assert.rejects(runStudy(config, 0, configFile), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.ok(error.message.startsWith(`study missing (${configFile}), samples.signal: `), error.message);
    assert.match(error.message, /missing\.csv/);
    assert.match(error.message, /"xx"/);
    assert.match(error.message, /closest existing: x\b/);
    return true;
  });
});

test('NaN inputs are rejected by default', async () => {
  const { config, configFile } = await csvConfig('nan', rows(40, (i) => (i === 5 ? 'nan' : `${i}`)));
  await assert.rejects(runStudy(config, 0, configFile),
    /study nan \(.*nan\.yaml\), samples\.signal: 1 selected events have NaN or infinite values \(x: 1\)/);
});

test('NaN inputs are dropped when asked', async () => {
  const { config, configFile } = await csvConfig('nandrop', rows(40, (i) => (i === 5 ? 'nan' : `${i}`)),
    { non_finite: 'drop' });
  const { result } = await runStudy(config, 0, configFile);
  const counts = result.steps[0].trainings[0].counts!;
  assert.equal(counts.training.signal + counts.training.background + counts.evaluation.signal +
    counts.evaluation.background, 39);
  // Row 5 is a signal row (label 1) with x = nan.
  assert.deepEqual(result.dropped, {
    signal: { events: 1, byVariable: { x: 1 } },
    background: { events: 0, byVariable: {} },
  });
  assert.ok(result.strategy.includes('Selected events dropped for NaN or infinite values ' +
    '(non_finite: drop): signal 1 (x: 1), background 0'), result.strategy.join('\n'));
});

test('strategy names row numbers and no preselection', async () => {
  const { config, configFile } = await csvConfig('strategy', rows(40, (i) => `${i}`));
  const { result } = await runStudy(config, 0, configFile);
  assert.equal(result.strategy[0], 'Trained on odd row numbers, with no preselection');
  assert.equal(result.strategy[1], 'Evaluated on even row numbers, with no preselection and no cut 0');
  assert.equal(result.dropped, undefined);
  assert.ok(!result.strategy.some((line) => /dropped/.test(line)), result.strategy.join('\n'));
});

test('strategy names event numbers and selections', async () => {
  const { config, configFile } = await csvConfig('numbered', rows(40, (i) => `${i}`),
    { preselection: 'x >= 0', evaluation_selection: 'y < 100' });
  config.samples.signal.event_number = 'y';
  config.samples.background.event_number = 'y';
  const { result } = await runStudy(config, 0, configFile);
  assert.equal(result.strategy[0], 'Trained on odd event numbers after the preselection: x >= 0');
  assert.equal(result.strategy[1],
    'Evaluated on even event numbers after the preselection and cut 0: x >= 0 && y < 100');
});

test('one training per step has no spread', async () => {
  const { config, configFile } = await csvConfig('single', rows(40, (i) => `${i}`), { seed: 4 });
  const { result } = await runStudy(config, 0, configFile);
  assert.equal(result.steps[0].std, null);
  assert.ok(result.strategy.some((line) => line.startsWith('1 training per step, seed 4 (the same')),
    result.strategy.join('\n'));
  const presentation = cutImportance.present(result, { report: 'r', study: 'single', cms: { extra: '' } });
  const table = presentation.parts[0].blocks[0] as TableBlock;
  assert.deepEqual(table.header[0], ['Cut step', 'Added variable', 'AUC (1)', 'Mean', 'Spread']);
  assert.equal(table.rows[0][4], null);
  assert.match(table.caption!, /One training per step, so there is no spread/);
});

test('duplicate step names are rejected', async () => {
  const { config, configFile } = await csvConfig('duplicate', rows(40, (i) => `${i}`),
    { steps: [{ name: 'Step 0' }, { name: 'Step 0', adds: ['y'] }] });
  await assert.rejects(runStudy(config, 0, configFile), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.message, `study duplicate (${configFile}): steps[0] and steps[1] are both ` +
      'named "Step 0"; give each step its own name');
    return true;
  });
});

/** Builds a 40-row config whose background (rows 2, 3, 6, 7, ...) has the weight `weight`. */
async function weightedConfig(name: string, weight: string) {
  const { config, configFile } = await csvConfig(name, rows(40, (i) => `${i}`));
  config.samples.background.weight = weight;
  return { config, configFile };
}

test('zero background weights stop before training', async () => {
  const { config, configFile } = await weightedConfig('zeroweight', '0');
  await assert.rejects(runStudy(config, 1, configFile), (error: Error) => {
    assert.ok(error instanceof InputError, `${error.name}: ${error.message}`);
    assert.equal(error.message, `study zeroweight (${configFile}), samples.background: the weights ` +
      '(weight: 0) of the 10 events selected for training sum to 0; each class needs a positive ' +
      'sum of weights (negative weights are used as they are, as long as the sum stays positive)');
    return true;
  });
});

test('negative weight sum stops before training', async () => {
  const { config, configFile } = await weightedConfig('negativeweight', '-1');
  await assert.rejects(runStudy(config, 0, configFile),
    /study negativeweight \(.*\), samples\.background: the weights \(weight: -1\) of the 10 events selected for training sum to -10;/);
});

test('negative weights with positive sums are used', async () => {
  // Background rows 2 and 3 weigh 10, the other 18 background rows -1/2: each half of the
  // split sums to 5.5. No validation events, whose few background events could sum to < 0.
  const { config, configFile } = await weightedConfig('mixedweight', 'y < 4 ? 10 : -1/2');
  config.model.validation_fraction = 0;
  const { result } = await runStudy(config, 0, configFile);
  const counts = result.steps[0].trainings[0].counts!;
  assert.equal(counts.evaluation.background, 10);
  assert.equal(counts.evaluation.backgroundWeighted, 10 - 9 / 2);
});

test('error inside a training names study and job once', async () => {
  // Each half of the split sums to more than 0, through one heavy background event. The
  // validation events (20% of the training half) hold either that event, leaving a
  // negative sum for training, or some of the other 99 background events without it.
  const { config, configFile } = await csvConfig('jobweight', rows(400, (i) => `${i}`));
  config.samples.background.weight = 'y < 4 ? 1000 : -1';
  await assert.rejects(runStudy(config, 1, configFile), (error: Error) => {
    assert.ok(error instanceof InputError, `${error.name}: ${error.message}`);
    assert.ok(error.message.startsWith(`study jobweight (${configFile}), Cut 0, seed 1: the weights of the `),
      error.message);
    assert.equal(error.message.split('Cut 0, seed 1').length, 2, error.message);
    assert.equal(error.message.split('study ').length, 2, error.message);
    assert.equal(error.message.split('\n').length, 1, error.message);
    return true;
  });
});

test('CSV with a header only names the file', async () => {
  const { config, configFile } = await csvConfig('headeronly', 'x,y,label\n');
  await assert.rejects(runStudy(config, 0, configFile), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.message, `study headeronly (${configFile}), samples.signal: ` +
      `${join(scratch, 'headeronly.csv')} has a header but no rows`);
    return true;
  });
});

test('class without events names the selection', async () => {
  const { config, configFile } = await csvConfig('empty', rows(40, (i) => `${i}`),
    { preselection: 'y < 100', evaluation_selection: 'x > 1000' });
  await assert.rejects(runStudy(config, 0, configFile),
    /study empty \(.*empty\.yaml\): no signal events left for evaluation after the selection label == 1 && y < 100 && x > 1000 && even row numbers/);
});

test('expression error names study, file and column', async () => {
  const { config, configFile } = await csvConfig('syntax', rows(40, (i) => `${i}`),
    { preselection: 'y <' });
  await assert.rejects(runStudy(config, 0, configFile), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.ok(error.message.startsWith(
      `study syntax (${configFile}), preselection: invalid expression "y <" at column 4: `), error.message);
    return true;
  });
});

test('sample expression error names the key', async () => {
  const { config, configFile } = await csvConfig('selection', rows(40, (i) => `${i}`));
  config.samples.signal.selection = 'label = 1';
  await assert.rejects(runStudy(config, 0, configFile), (error: Error) => {
    assert.ok(error.message.startsWith(`study selection (${configFile}), ` +
      'samples.signal.selection: invalid expression "label = 1" at column 7: '), error.message);
    return true;
  });
});

test('same parity for both halves is rejected', async () => {
  const { config, configFile } = await csvConfig('parity', rows(40, (i) => `${i}`),
    { split: { train: 'even', evaluate: 'even' } });
  await assert.rejects(runStudy(config, 0, configFile), /split\.train and split\.evaluate are both even/);
});

test('input added twice is rejected', async () => {
  const { config, configFile } = await csvConfig('twice', rows(40, (i) => `${i}`),
    { steps: [{ name: 'Cut 0' }, { name: 'Cut 1', adds: ['x'] }] });
  await assert.rejects(runStudy(config, 0, configFile), /Cut 1\) adds x, which is already an input/);
});

test('archived table gives 7 steps x 3 AUCs', async () => {
  const document = parseYaml(await readFile(archivedTable, 'utf8'), archivedTable);
  const result = cutImportance.importArchived!(document, archivedTable);
  validate(cutImportance.resultSchema, result, 'archived result');
  assert.equal(result.steps.length, 7);
  assert.equal(result.steps.flatMap((step) => step.trainings).length, 21);
  assert.deepEqual(result.steps[3].trainings.map((t) => t.auc), [0.7530, 0.7446, 0.7316]);
  assert.ok(Math.abs(result.steps[0].mean - 0.752333333) < 1e-8);
  assert.ok(Math.abs(result.steps[0].std! - 0.0063067) < 1e-6);
  assert.deepEqual(result.steps[6].inputs.slice(-6),
    ['RelHT', 'Chi2_Max', 'Chi2_dRHbb', 'Chi2_min_H', 'Chi2_dRWjj', 'Chi2_dRbW']);
  assert.equal(result.steps[0].evaluation, undefined);
  assert.equal(result.steps[0].trainings[0].model, undefined);
  assert.equal(result.signal, 'TprimeBToTH_M-700');
  assert.ok(result.strategy.some((line) => /odd-numbered events/.test(line)), result.strategy.join('\n'));
  assert.equal(result.notTested?.length, 16);
});

test('archived table with a bad AUC is rejected by path', () => {
  assert.throws(() => cutImportance.importArchived!({
    model: { hidden_layers: [1], dropout: 0, activation: 'relu', batch_size: 1 },
    base_inputs: [], steps: [{ name: 'Cut 0', adds: [], auc: [1.5] }],
  }, 'old.yaml'), /old\.yaml \(archived AUC table\): invalid configuration\n.*steps\[0\]\.auc\[0\]/);
});

const archivedModel = { hidden_layers: [4], dropout: 0, activation: 'relu', batch_size: 8 };

test('archived duplicate step names are rejected', () => {
  assert.throws(() => cutImportance.importArchived!({
    model: archivedModel, base_inputs: ['a'], steps: [
      { name: 'Cut 0', adds: [], auc: [0.75] },
      { name: 'Cut 1', adds: ['b'], auc: [0.76] },
      { name: 'Cut 1', adds: ['c'], auc: [0.74] },
    ],
  }, 'old.yaml'), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.message, 'old.yaml (archived AUC table): steps[1] and steps[2] are both ' +
      'named "Cut 1"; give each step its own name');
    return true;
  });
});

test('archived steps with 1 to 5 AUCs', () => {
  const result = cutImportance.importArchived!({
    model: archivedModel, base_inputs: ['a'], steps: [
      { name: 'Cut 0', adds: [], auc: [0.752] },
      { name: 'Cut 1', adds: ['b'], auc: [0.7544, 0.75, 0.7351, 0.76, 0.77] },
    ],
  }, 'old.yaml');
  validate(cutImportance.resultSchema, result, 'archived result');
  assert.equal(result.steps[0].std, null);
  assert.ok(result.steps[1].std! > 0.01, `std ${result.steps[1].std}`);
  assert.deepEqual(result.strategy, ['1 to 5 trainings per step; AUC spread is the sample ' +
    'standard deviation, none for a step with one training']);
  const presentation = cutImportance.present(result, { report: 'r', study: 'old', cms: { extra: '' } });
  const table = presentation.parts[0].blocks[0] as TableBlock;
  assert.equal(table.rows[0].length, 9);
  assert.equal(table.rows[0][8], null);
  assert.deepEqual(table.rows[0].slice(3, 7), [null, null, null, null]);
  assert.deepEqual(table.rows[1][8], { value: result.steps[1].std, digits: 4 });
  assert.equal(table.caption, 'Each step adds its variables to the inputs of the previous one, ' +
    'without cutting on them. Spread: sample standard deviation of the trainings of each step ' +
    '(1 to 5 trainings per step); – for a step with one training, which has no spread.');
  const chart = presentation.parts[1].blocks[0] as ChartBlock;
  assert.match(chart.caption!, /none for a step with one training/);
});

test('presentation shows the AUC table, charts and box', async () => {
  const document = parseYaml(await readFile(archivedTable, 'utf8'), archivedTable);
  const result = cutImportance.importArchived!(document, archivedTable);
  const presentation = cutImportance.present(result, {
    report: '2022-08', study: 'cut-importance', cms: { extra: 'Private Work' },
  });
  const blocks = presentation.parts.flatMap((part) => part.blocks);
  const table = blocks.find((block) => block.kind === 'table') as TableBlock;
  assert.deepEqual(table.header[0], ['Cut step', 'Added variable', 'AUC (1)', 'AUC (2)', 'AUC (3)',
    'Mean', 'Spread']);
  assert.equal(table.rows.length, 7);
  assert.deepEqual(table.rows[1].slice(0, 3), ['Cut 1', 'RelHT', { value: 0.7544, digits: 4 }]);
  assert.match(table.caption!, /Spread: sample standard deviation of the 3 trainings of each step\.$/);
  assert.ok(result.strategy.includes('3 trainings per step; AUC spread is the sample standard deviation'),
    result.strategy.join('\n'));
  const chart = blocks.find((block) => block.kind === 'chart') as ChartBlock;
  assert.equal(chart.chart.type, 'lineWithErrorBars');
  assert.ok(blocks.some((block) => block.kind === 'box' && (block as BoxBlock).lines.some((line) =>
    /100 x 100 x 100/.test(line))));
  assert.ok(!blocks.some((block) => block.kind === 'chart' && block.id.endsWith('-roc')));
  assert.doesNotThrow(() => JSON.stringify(presentation));
});

test('presentation compares with the previous report', async () => {
  const { result } = await runStudy(await smallConfig({ steps: [
    { name: 'Cut 0', adds: [] }, { name: 'Cut 1', adds: ['m_jj'] },
  ] } as Partial<CutImportanceConfig>), 0);
  const document = parseYaml(await readFile(archivedTable, 'utf8'), archivedTable);
  const previous = cutImportance.importArchived!(document, archivedTable);
  const presentation = cutImportance.present(result, {
    report: 'demo', study: 'cut_importance', cms: { extra: 'Simulation' },
    previous: { report: '2022-08', result: previous },
  });
  const blocks = presentation.parts.flatMap((part) => part.blocks);
  const change = blocks.find((block) => block.kind === 'table' && block.id.endsWith('-auc-change')) as TableBlock;
  assert.equal(change.rows.length, 2);
  assert.deepEqual(change.rows[0][2], { value: previous.steps[0].mean, digits: 4, error: previous.steps[0].std });
  const shift = change.rows[1][4] as { value: number };
  assert.ok(Math.abs(shift.value - (result.steps[1].mean - previous.steps[1].mean)) < 1e-12);
  const chart = blocks.find((block) => block.kind === 'chart' && block.id.endsWith('-auc-by-step')) as ChartBlock;
  assert.equal((chart.chart.data as { datasets: unknown[] }).datasets.length, 2);
  assert.ok(blocks.some((block) => block.kind === 'chart' && block.id.endsWith('-roc')));
});

test('nanoaod samples use the T\' variables', async () => {
  const configFile = resolve('content/demo/nanoaod_cut_importance.yaml');
  const sample = (selection: string) => ({
    files: ['data/NanoAODv5_sample.root'], format: 'nanoaod', tree: 'Events',
    selection, event_number: 'event', tprime: {},
  });
  const config = validate<CutImportanceConfig>(cutImportance.configSchema, {
    kind: 'cut-importance', name: 'nanoaod',
    samples: { signal: sample('event % 4 < 2'), background: sample('event % 4 >= 2') },
    preselection: 'njets >= 4', non_finite: 'drop',
    base_inputs: ['njets', 'nbjets', { name: 'goodHT', unit: 'GeV' }],
    steps: [{ name: 'Cut 0' }, { name: 'Cut 1', adds: ['Chi2_min'] }],
    model: { hidden_layers: [4], epochs: 1, batch_size: 64 }, trainings: 1,
  }, configFile);
  assert.equal(config.samples.signal.tprime?.leading_jets, 6);
  const { result } = await runStudy(config, 0, configFile);
  const counts = result.steps[0].trainings[0].counts!;
  assert.ok(counts.training.signal > 0, `${counts.training.signal} signal training events`);
  assert.ok(counts.evaluation.background > 0, `${counts.evaluation.background} background evaluation events`);
  assert.deepEqual(result.steps[0].units, ['', '', 'GeV']);
  assert.deepEqual(result.steps[1].inputs, ['njets', 'nbjets', 'goodHT', 'Chi2_min']);
});
