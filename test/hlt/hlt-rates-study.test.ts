import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { InputError } from '../../analysis/core/errors.ts';
import { loadYamlFile, validate } from '../../analysis/core/config.ts';
import type { Logger } from '../../analysis/core/log.ts';
import type { ChartBlock, TableBlock } from '../../analysis/core/presentation.ts';
import type { StudyContext } from '../../analysis/core/study.ts';
import { hltRates, type HltRatesConfig, type HltRatesResult } from '../../analysis/studies/hlt-rates.ts';
import { shortPathLabels } from '../../analysis/hlt/labels.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = join(root, 'content/2022-08/hlt_rates_study.yaml');
const PHOTON = 'HLT_Photon30EB_TightID_TightIso';
const DEEPJET_100 = 'HLT_PFHT400_FivePFJet_100_100_60_30_30_DoublePFBTagDeepJet_4p5';
const DEEPCSV_100 = 'HLT_PFHT400_FivePFJet_100_100_60_30_30_DoublePFBTagDeepCSV_4p5';
const DEEPCSV_120 = 'HLT_PFHT400_FivePFJet_120_120_60_30_30_DoublePFBTagDeepCSV_4p5';

const quiet: Logger = {
  info() {}, warn() {}, debug() {},
  child: () => quiet,
  progress: () => ({ update() {}, increment() {}, stop() {} }),
};

function context(configFile: string): StudyContext {
  return {
    report: '2022-08',
    study: 'hlt-rates',
    configFile,
    resolve: (path) => join(dirname(configFile), path),
    workDir: tmpdir(),
    log: quiet,
    jobs: undefined as never,
    backend: async () => 'none',
    dependency: () => { throw new Error('no dependency'); },
  };
}

async function runStudy(configFile = CONFIG, override: Partial<HltRatesConfig> = {}): Promise<HltRatesResult> {
  const document = { ...(await loadYamlFile(configFile) as object), ...override };
  const config = validate<HltRatesConfig>(hltRates.configSchema, document, configFile);
  const result = await hltRates.run(config, context(configFile));
  validate(hltRates.resultSchema, JSON.parse(JSON.stringify(result)), 'result');
  return result;
}

const presentContext = { report: '2022-08', study: 'hlt-rates', cms: { extra: 'Private Work' } };

test('study computes the August 2022 figures', async () => {
  const result = await runStudy();
  assert.equal(result.rates_file, 'hlt_rates.yaml');
  assert.equal(result.reference, PHOTON);
  assert.equal(result.btagging.length, 4);
  const [july, august] = result.checks;
  assert.ok(Math.abs(july.mean_rate_hz[PHOTON] - 21.2475) < 1e-9);
  assert.ok(Math.abs(august.mean_rate_hz[PHOTON] - 10.47) < 1e-9);
  assert.ok(Math.abs(august.mean_rate_hz[DEEPCSV_100] - 56.9) < 1e-9);
  assert.ok(Math.abs(july.rate_per_pileup_hz[PHOTON][0]! - 23.78 / 37) < 1e-12);
  assert.equal(july.mean_pileup, 33.75);
  assert.equal(august.mean_pileup, 48.5);
});

test('study changes between checks', async () => {
  const [change] = (await runStudy()).changes;
  assert.equal(change.from, '2022-07-28');
  assert.equal(change.to, '2022-08-25');
  const byPath = Object.fromEntries(change.paths.map((entry) => [entry.path, entry]));
  assert.ok(Math.abs(byPath[PHOTON].ratio! - 10.47 / 21.2475) < 1e-12);
  assert.equal(byPath[PHOTON].ratio_to_reference, 1);
  assert.ok(Math.abs(byPath[DEEPCSV_100].ratio! - 56.9 / 7.49) < 1e-12);
  assert.ok(Math.abs(byPath[DEEPCSV_100].percent! - 100 * (56.9 / 7.49 - 1)) < 1e-9);
  assert.ok(Math.abs(byPath[DEEPCSV_100].ratio_to_reference! - (56.9 / 7.49) / (10.47 / 21.2475)) < 1e-12);
  // Every b-tagging path rises at least tenfold against the photon path.
  for (const path of change.paths.filter((entry) => entry.path !== PHOTON)) {
    assert.ok(path.ratio_to_reference! > 10, path.path);
  }
});

test('study rejects a negative rate', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hlt-rates-'));
  const text = (await readFile(join(root, 'content/2022-08/hlt_rates.yaml'), 'utf8')).replace('[47.32, 66.48]', '[47.32, -66.48]');
  await writeFile(join(dir, 'hlt_rates.yaml'), text);
  await writeFile(join(dir, 'study.yaml'), readFileSync(CONFIG, 'utf8'));
  await assert.rejects(runStudy(join(dir, 'study.yaml')), (error: Error) => error instanceof InputError
    && error.message.includes(`hlt_rates.yaml: check 2022-08-25 (checks[1]), path ${DEEPCSV_100}, run 357542: negative rate -66.48 Hz`));
});

test('study rejects unknown role paths', async () => {
  await assert.rejects(runStudy(CONFIG, { reference_path: 'HLT_Photon33' }),
    /hlt_rates_study\.yaml: reference_path: HLT_Photon33 is not a path of the rates file/);
  await assert.rejects(runStudy(CONFIG, { btag_paths: [PHOTON] }), /btag_paths: .* is also the reference_path/);
});

test('study lists the rates file as input', async () => {
  const config = validate<HltRatesConfig>(hltRates.configSchema, await loadYamlFile(CONFIG), CONFIG);
  assert.deepEqual(await hltRates.inputs(config, context(CONFIG)), [join(root, 'content/2022-08/hlt_rates.yaml')]);
});

test('present shows one table per check', async () => {
  const { parts } = hltRates.present(await runStudy(), presentContext);
  const tables = parts.flatMap((part) => part.blocks).filter((block): block is TableBlock =>
    block.kind === 'table' && block.id.startsWith('hlt-rates-rates-'));
  assert.deepEqual(tables.map((table) => table.id), ['hlt-rates-rates-2022-07-28', 'hlt-rates-rates-2022-08-25']);
  const [july, august] = tables;
  assert.equal(july.header.length, 3);
  assert.deepEqual(july.header[0], ['HLT path', { text: 'Fill 8059', span: 2 }, { text: 'Fill 8058', span: 1 },
    { text: 'Fill 8057', span: 1 }]);
  assert.deepEqual(july.header[1], ['', 'Run 356323', 'Run 356321', 'Run 356316', 'Run 356309']);
  assert.deepEqual(august.header[2], ['', 'pile-up 50', 'pile-up 47']);
  assert.equal(july.rows[0][0], PHOTON, 'full path names in the tables');
  const rateCells = tables.flatMap((table) => table.rows.flatMap((row) => row.slice(1)));
  assert.equal(rateCells.length, 30);
  assert.deepEqual(august.rows.find((row) => row[0] === DEEPCSV_100)!.slice(1),
    [{ value: 47.32, digits: 2 }, { value: 66.48, digits: 2 }]);
  assert.match(august.caption!, /run 357329: lumisections 250–290, run 357542: lumisections 150–190/);
});

test('present draws bars, pile-up and change', async () => {
  const { parts } = hltRates.present(await runStudy(), presentContext);
  const charts = parts.flatMap((part) => part.blocks).filter((block): block is ChartBlock => block.kind === 'chart');
  assert.deepEqual(charts.map((chart) => chart.id),
    ['hlt-rates-bars', 'hlt-rates-pileup', 'hlt-rates-change-2022-07-28-2022-08-25']);
  const [bars, scatter, change] = charts.map((chart) => chart.chart as any);
  assert.equal(bars.type, 'bar');
  assert.equal(bars.data.datasets.length, 6, 'one dataset per run');
  assert.deepEqual(bars.data.datasets[4].data, [10.12, 19.21, 47.32, 12.94, 33.38]);
  assert.equal(bars.data.labels[2], 'PFHT400 100_100 DeepCSV');
  assert.equal(scatter.type, 'scatter');
  assert.equal(scatter.data.datasets.length, 5, 'one dataset per path');
  assert.deepEqual(scatter.data.datasets[0].data[4], { x: 50, y: 10.12 });
  assert.equal(change.data.datasets[1].data[0], 1, 'the reference relative to itself');
  assert.equal(charts[0].cms && charts[0].cms.period, '2022');
  assert.doesNotThrow(() => JSON.stringify(charts), 'charts are plain JSON');
});

test('present exports valid HEPData tables', async () => {
  const { downloads } = hltRates.present(await runStudy(), presentContext);
  const schema = JSON.parse(readFileSync(join(root, 'test/fixtures/hepdata/data_schema.json'), 'utf8'));
  const check = new Ajv.default({ strict: false }).compile<any>(schema);
  assert.deepEqual(downloads!.map((download) => download.name),
    ['hlt-rates-2022-07-28.hepdata.yaml', 'hlt-rates-2022-08-25.hepdata.yaml']);
  for (const download of downloads!) {
    const table: any = parse(download.content);
    assert.ok(check(table), JSON.stringify(check.errors));
    for (const dependent of table.dependent_variables) {
      assert.equal(dependent.values.length, table.independent_variables[0].values.length);
    }
  }
  const august = parse(downloads![1].content);
  assert.deepEqual(august.independent_variables[0].values, [{ value: 357329 }, { value: 357542 }]);
  const photon = august.dependent_variables[0];
  assert.deepEqual(photon.header, { name: `Rate of ${PHOTON}`, units: 'Hz' });
  assert.deepEqual(photon.values, [{ value: 10.12 }, { value: 10.82 }]);
  const qualifiers = Object.fromEntries(photon.qualifiers.map((q: any) => [q.name, q.value]));
  assert.equal(qualifiers.Fill, '8118, 8132');
  assert.equal(qualifiers['Average pile-up'], '50, 47');
  assert.equal(qualifiers['Check date'], '2022-08-25');
  assert.match(downloads![1].content, /value: "2022-08-25"/, 'dates quoted for YAML 1.1 readers');
  const july = parse(downloads![0].content);
  assert.equal(july.dependent_variables.length, 5);
  assert.equal(july.dependent_variables[0].qualifiers.find((q: any) => q.name === 'Fill').value, '8059, 8059, 8058, 8057');
});

test('present compares with a previous report', async () => {
  const result = await runStudy();
  const earlier = { ...result, checks: [result.checks[0]], changes: [] };
  const { parts } = hltRates.present(result, { ...presentContext, previous: { report: '2022-07', result: earlier } });
  const part = parts.at(-1)!;
  assert.equal(part.title, 'Now and in report 2022-07');
  const chart = (part.blocks[0] as ChartBlock).chart as any;
  assert.deepEqual(chart.data.datasets.map((dataset: any) => dataset.label), ['2022-07: 2022-07-28', 'now: 2022-08-25']);
  assert.ok(Math.abs(chart.data.datasets[0].data[0] - 21.2475) < 1e-9);
  assert.ok(Math.abs(chart.data.datasets[1].data[2] - 56.9) < 1e-9);
  const none = hltRates.present(result, { ...presentContext, previous: { report: 'x', result: { paths: ['HLT_Other'], checks: [{ mean_rate_hz: { HLT_Other: 1 } }] } } });
  assert.equal(none.parts.at(-1)!.blocks[0].kind, 'note');
});

test('importArchived reads a rates file', async () => {
  const document = parse(readFileSync(join(root, 'content/2022-08/hlt_rates.yaml'), 'utf8'));
  const result = hltRates.importArchived!(document, 'hlt_rates.yaml');
  assert.equal(result.reference, PHOTON);
  assert.deepEqual(result.btagging.slice().sort(), [DEEPCSV_100, DEEPCSV_120, DEEPJET_100,
    'HLT_PFHT400_FivePFJet_120_120_60_30_30_DoublePFBTagDeepJet_4p5'].sort());
  const { cms, ...live } = await runStudy();
  assert.equal(cms?.energy, '13.6 TeV');
  assert.deepEqual(result, live);
});

test('short labels are unique and readable', () => {
  const labels = shortPathLabels([PHOTON, DEEPJET_100, DEEPCSV_100, DEEPCSV_120, 'HLT_IsoMu24_v15', 'HLT_IsoMu27_v3']);
  assert.deepEqual(Object.values(labels), ['Photon30EB_TightID_TightIso', 'PFHT400 100_100 DeepJet',
    'PFHT400 100_100 DeepCSV', 'PFHT400 120_120 DeepCSV', 'IsoMu24', 'IsoMu27']);
  const clash = shortPathLabels(['HLT_A_x1_B', 'HLT_A_x1_B_C']);
  assert.deepEqual(Object.values(clash), ['A_x1_B', 'A_x1_B_C']);
});
