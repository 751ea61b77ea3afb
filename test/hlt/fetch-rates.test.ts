import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, rm, readdir } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Logger } from '../../analysis/core/log.ts';
import { runFetchRates } from '../../analysis/hlt/fetch-command.ts';
import { loadRatesFile, type RatesCheck } from '../../analysis/hlt/rates-file.ts';
import { startFakeOms, type FakeOms, type FakeRun } from './fake-oms.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'tok-5ecret-abc123';
const PHOTON = 'HLT_Photon30EB_TightID_TightIso';
const DEEPJET_100 = 'HLT_PFHT400_FivePFJet_100_100_60_30_30_DoublePFBTagDeepJet_4p5';
const DEEPCSV_100 = 'HLT_PFHT400_FivePFJet_100_100_60_30_30_DoublePFBTagDeepCSV_4p5';
const DEEPJET_120 = 'HLT_PFHT400_FivePFJet_120_120_60_30_30_DoublePFBTagDeepJet_4p5';
const DEEPCSV_120 = 'HLT_PFHT400_FivePFJet_120_120_60_30_30_DoublePFBTagDeepCSV_4p5';

let august: RatesCheck;
let oms: FakeOms;
let dir: string;
let out: string;

/**
 * Builds a run whose per-lumisection figures average, over `range`, to the given rates and
 * pile-up, and are far off outside it, so that a wrong filter shows in the result.
 */
function fakeRun(run: number, fill: number, pu: number, range: [number, number], length: number,
  rates: Record<string, number>): FakeRun {
  const middle = (range[0] + range[1]) / 2;
  const inRange = (ls: number) => ls >= range[0] && ls <= range[1];
  const perLumisection = (value: number, spread: number, outside: number) =>
    Array.from({ length }, (_, i) => (inRange(i + 1) ? value + spread * (i + 1 - middle) : outside));
  const menu: Record<string, number[]> = {};
  for (const [path, rate] of Object.entries(rates)) {
    menu[`${path}_v${path === PHOTON ? 6 : 3}`] = perLumisection(rate, 0.01, 3 * rate + 1);
  }
  menu.HLT_IsoMu24_v15 = perLumisection(200, 0, 200);
  menu.HLT_PFHT450_SixPFJet36_PFBTagDeepJet_1p59_v7 = perLumisection(5, 0, 5);
  return { run, fill, menu: Object.keys(menu), pileup: perLumisection(pu, 0.1, 20), rates: menu };
}

function capturingLogger(lines: string[]): Logger {
  const logger: Logger = {
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`warning: ${message}`),
    debug: (message) => lines.push(`debug: ${message}`),
    child: () => logger,
    progress: () => ({ update() {}, increment() {}, stop() {} }),
  };
  return logger;
}

const AUGUST_ARGS = ['--runs', '357329,357542', '--paths', 'HLT_Photon30EB_TightID_TightIso',
  'HLT_PFHT400_FivePFJet_*_DoublePFBTag*_4p5', '--lumisections', '250-290,150-190', '--checked', '2022-08-25'];

async function fetchRates(args: string[], lines: string[] = [], env: NodeJS.ProcessEnv = { OMS_TOKEN: TOKEN }) {
  await runFetchRates([...args, '--out', out, '--base-url', oms.baseUrl, '--timeout', '2', '--retries', '2'],
    { env, log: capturingLogger(lines), retryDelayMs: 5, pageLimit: 10 });
}

before(async () => {
  const file = await loadRatesFile(join(root, 'content/2022-08/hlt_rates.yaml'));
  august = file.checks[1];
  const ratesOf = (index: number) => Object.fromEntries(file.paths.map((path) => [path, august.rates_hz[path][index]]));
  oms = await startFakeOms([
    fakeRun(357329, 8118, 50, [250, 290], 300, ratesOf(0)),
    fakeRun(357542, 8132, 47, [150, 190], 210, ratesOf(1)),
  ]);
});

after(async () => {
  await oms.close();
});

beforeEach(async () => {
  oms.reset();
  dir = await mkdtemp(join(tmpdir(), 'fetch-rates-'));
  out = join(dir, 'rates.yaml');
});

const PREVIOUS = 'paths: [HLT_Old]\nchecks: []\n# previous file\n';

async function assertUntouched(): Promise<void> {
  assert.equal(await readFile(out, 'utf8'), PREVIOUS);
  assert.deepEqual((await readdir(dir)).sort(), ['rates.yaml'], 'no temporary file left behind');
}

test('fetch reproduces the August 2022 check', async () => {
  const lines: string[] = [];
  await fetchRates(AUGUST_ARGS, lines);
  const written = await loadRatesFile(out);
  assert.deepEqual(written.paths, [PHOTON, DEEPCSV_100, DEEPJET_100, DEEPCSV_120, DEEPJET_120]);
  assert.equal(written.checks.length, 1);
  const check = written.checks[0];
  assert.equal(check.checked, '2022-08-25');
  assert.deepEqual(check.runs, august.runs);
  for (const path of written.paths) assert.deepEqual(check.rates_hz[path], august.rates_hz[path], path);
  assert.ok(lines.some((line) => /wrote .*: 10 rates \(5 paths, 2 runs\)/.test(line)));
});

test('fetch follows every page', async () => {
  await fetchRates(AUGUST_ARGS);
  const rateRequests = oms.requests.filter((request) => request.resource === 'hltpathrates');
  // 41 lumisections per path and run at 10 rows a page: offsets 0, 10, 20, 30, 40.
  const offsets = rateRequests.map((request) => /page\[offset\]=(\d+)/.exec(request.url)![1]);
  assert.equal(rateRequests.length, 5 * 2 * 5);
  assert.deepEqual([...new Set(offsets)].sort(), ['0', '10', '20', '30', '40']);
  const menuPages = oms.requests.filter((request) => request.resource === 'hltpathinfo');
  assert.equal(menuPages.length, 2);
});

test('fetch sends the token only as a bearer header', async () => {
  const lines: string[] = [];
  await fetchRates(AUGUST_ARGS, lines);
  assert.ok(oms.requests.length > 0);
  for (const request of oms.requests) {
    assert.equal(request.authorization, `Bearer ${TOKEN}`);
    assert.ok(!request.url.includes(TOKEN));
  }
  assert.ok(!(await readFile(out, 'utf8')).includes(TOKEN));
  assert.ok(!lines.join('\n').includes(TOKEN));
});

test('fetch averages whole runs without a range', async () => {
  await fetchRates(['--runs', '357542', '--paths', PHOTON, '--checked', '2022-09-01']);
  const check = (await loadRatesFile(out)).checks[0];
  // 41 lumisections average 10.82 Hz; the other 169 have 3 * 10.82 + 1 = 33.46 Hz.
  const expected = Math.round(((41 * 10.82 + 169 * 33.46) / 210) * 100) / 100;
  assert.deepEqual(check.rates_hz[PHOTON], [expected]);
  assert.equal(check.runs[0].lumisections, undefined);
  assert.equal(check.runs[0].pu, Math.round(((41 * 47 + 169 * 20) / 210) * 10) / 10);
  const rateRequest = oms.requests.find((request) => request.resource === 'hltpathrates')!;
  assert.match(rateRequest.url, /group\[granularity\]=run/);
});

test('fetch on HTTP 401 names URL and token', async () => {
  await writeFile(out, PREVIOUS);
  oms.fault = () => ({ status: 401, body: JSON.stringify({ error: `bad token ${TOKEN}` }) });
  const error = await fetchRates(AUGUST_ARGS).then(() => null, (caught: Error) => caught);
  assert.ok(error, 'the fetch must fail');
  assert.match(error.message, /HTTP 401/);
  assert.match(error.message, /http:\/\/127\.0\.0\.1:\d+\/api\/v1\/hltpathinfo\?/);
  assert.match(error.message, /check the token in \$OMS_TOKEN/);
  assert.ok(!error.message.includes(TOKEN));
  assert.equal(oms.requests.length, 1, 'a 401 is not retried');
  await assertUntouched();
});

test('fetch on HTTP 403 names token file', async () => {
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, `${TOKEN}\n`);
  oms.fault = () => ({ status: 403 });
  await assert.rejects(fetchRates([...AUGUST_ARGS, '--token-file', tokenFile], [], {}),
    (error: Error) => /HTTP 403/.test(error.message) && error.message.includes(`the token in ${tokenFile}`));
});

test('fetch retries HTTP 500 then succeeds', async () => {
  const lines: string[] = [];
  oms.fault = (request, count) => (request.resource === 'runs' && count === 1 ? { status: 500 } : undefined);
  await fetchRates(AUGUST_ARGS, lines);
  const runRequests = oms.requests.filter((request) => request.resource === 'runs');
  assert.equal(runRequests.length, 4, 'two runs, each asked twice');
  assert.ok(lines.some((line) => /warning: GET .*\/runs\?.*: HTTP 500 .*; retry 1 of 2/.test(line)));
  assert.deepEqual((await loadRatesFile(out)).checks[0].runs, august.runs);
});

test('fetch gives up after repeated HTTP 503', async () => {
  await writeFile(out, PREVIOUS);
  oms.fault = (request) => (request.resource === 'lumisections' ? { status: 503 } : undefined);
  await assert.rejects(fetchRates(AUGUST_ARGS),
    /GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/lumisections\?.*: HTTP 503 Service Unavailable after 3 attempts/);
  assert.equal(oms.requests.filter((request) => request.resource === 'lumisections').length, 3);
  await assertUntouched();
});

test('fetch does not retry HTTP 404', async () => {
  oms.fault = (request) => (request.resource === 'runs' ? { status: 404, body: '{"errors":[]}' } : undefined);
  await assert.rejects(fetchRates(AUGUST_ARGS), /\/runs\?.*: HTTP 404 Not Found/);
  assert.equal(oms.requests.filter((request) => request.resource === 'runs').length, 1);
});

test('fetch rejects malformed JSON', async () => {
  await writeFile(out, PREVIOUS);
  oms.fault = (request) => (request.resource === 'hltpathrates' ? { status: 200, body: '{"data": [' } : undefined);
  await assert.rejects(fetchRates(AUGUST_ARGS),
    /GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/hltpathrates\?.*: HTTP 200 but the body is not valid JSON/);
  await assertUntouched();
});

test('fetch rejects a response without data', async () => {
  oms.fault = (request) => (request.resource === 'runs' ? { status: 200, body: '{"errors": []}' } : undefined);
  await assert.rejects(fetchRates(AUGUST_ARGS), /\/runs\?.*: the response has no "data" list/);
});

test('fetch on empty result names the run', async () => {
  await writeFile(out, PREVIOUS);
  await assert.rejects(fetchRates(['--runs', '357329,999999', '--paths', PHOTON]),
    /no HLT paths for run 999999; is the run number right\? \(GET .*hltpathinfo\?.*run_number\]\[EQ\]=999999.*: HTTP 200, empty result\)/);
  await assertUntouched();
});

test('fetch on empty rates names path and range', async () => {
  await assert.rejects(fetchRates(['--runs', '357329', '--paths', PHOTON, '--lumisections', '400-410']),
    /no pile-up for run 357329, lumisections 400-410/);
});

/** Builds a one-page JSON:API body with the given rows as attributes. */
function rowsBody(resource: string, rows: Array<Record<string, unknown>>): string {
  return JSON.stringify({
    data: rows.map((attributes, i) => ({ id: String(i), type: resource, attributes })),
    links: { next: null },
  });
}

test('fetch names an invalid pile-up row', async () => {
  await writeFile(out, PREVIOUS);
  const cases: Array<[unknown, string]> = [['forty', '"forty"'], [null, 'null'], ['47.5', '"47.5"']];
  for (const [pileup, shown] of cases) {
    oms.fault = (request) => (request.resource === 'lumisections'
      ? { status: 200, body: rowsBody('lumisections', [
        { lumisection_number: 250, pileup: 50 }, { lumisection_number: 251, pileup }]) }
      : undefined);
    await assert.rejects(fetchRates(['--runs', '357329', '--paths', PHOTON, '--lumisections', '250-290']),
      new RegExp(`: run 357329, lumisection 251: pileup ${shown} is not a number `
        + '\\(GET .*/lumisections\\?.*: HTTP 200, row 2 of 2\\)$'));
  }
  await assertUntouched();
});

test('fetch names an invalid rate row', async () => {
  await writeFile(out, PREVIOUS);
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ path_name: `${PHOTON}_v6`, first_lumisection_number: 250, last_lumisection_number: 250,
      rate: '12' }, new RegExp(`: ${PHOTON}_v6 in run 357329, lumisection 250: rate "12" is not`)],
    [{ path_name: `${PHOTON}_v6`, rate: null },
      new RegExp(`: ${PHOTON}_v6 in run 357329: rate null is not a number .*row 1 of 1\\)$`)],
  ];
  for (const [row, message] of cases) {
    oms.fault = (request) => (request.resource === 'hltpathrates'
      ? { status: 200, body: rowsBody('hltpathrates', [row]) } : undefined);
    await assert.rejects(fetchRates(['--runs', '357329', '--paths', PHOTON]), message);
  }
  await assertUntouched();
});

test('fetch keeps a rate near the double maximum', async () => {
  const huge = Number.MAX_VALUE;
  oms.fault = (request) => (request.resource === 'hltpathrates'
    ? { status: 200, body: rowsBody('hltpathrates', [
      { path_name: `${PHOTON}_v6`, rate: huge }, { path_name: `${PHOTON}_v6`, rate: huge }]) }
    : undefined);
  await fetchRates(['--runs', '357329', '--paths', PHOTON, '--checked', '2022-09-01']);
  const check = (await loadRatesFile(out)).checks[0];
  assert.deepEqual(check.rates_hz[PHOTON], [huge], 'neither the mean nor the rounding overflows');
});

test('fetch names an invalid fill', async () => {
  oms.fault = (request) => (request.resource === 'runs'
    ? { status: 200, body: rowsBody('runs', [{ run_number: 357329, fill_number: null }]) }
    : undefined);
  await assert.rejects(fetchRates(['--runs', '357329', '--paths', PHOTON]),
    /: run 357329: fill_number null is not a number \(GET .*\/runs\?.*: HTTP 200, row 1 of 1\)$/);
});

test('fetch times out and retries', async () => {
  await writeFile(out, PREVIOUS);
  const lines: string[] = [];
  oms.fault = (request) => (request.resource === 'hltpathinfo' ? { status: 200, body: '{}', delayMs: 1000 } : undefined);
  const started = Date.now();
  await assert.rejects(
    runFetchRates([...AUGUST_ARGS, '--out', out, '--base-url', oms.baseUrl, '--timeout', '0.1', '--retries', '1'],
      { env: { OMS_TOKEN: TOKEN }, log: capturingLogger(lines), retryDelayMs: 5 }),
    /hltpathinfo\?.* failed: timed out after 100 ms after 2 attempts/);
  assert.ok(Date.now() - started < 900, 'the time limit cuts the request short');
  assert.ok(lines.some((line) => /timed out after 100 ms; retry 1 of 1/.test(line)));
  await assertUntouched();
});

test('fetch retries a refused connection', async () => {
  await writeFile(out, PREVIOUS);
  const closed = await startFakeOms([]);
  const baseUrl = closed.baseUrl;
  await closed.close();
  await assert.rejects(
    runFetchRates([...AUGUST_ARGS, '--out', out, '--base-url', baseUrl, '--retries', '1'],
      { env: {}, log: capturingLogger([]), retryDelayMs: 5 }),
    /GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/hltpathinfo\?.* failed: ECONNREFUSED after 2 attempts/);
  await assertUntouched();
});

test('fetch rejects a pattern matching nothing', async () => {
  await assert.rejects(fetchRates(['--runs', '357329', '--paths', 'HLT_Nothing*']),
    /--paths HLT_Nothing\* matches no HLT path of runs 357329/);
});

test('fetch appends a check', async () => {
  await writeFile(out, await readFile(join(root, 'content/2022-08/hlt_rates.yaml'), 'utf8'));
  await fetchRates([...AUGUST_ARGS.slice(0, -1), '2022-09-01', '--append']);
  const file = await loadRatesFile(out);
  assert.deepEqual(file.checks.map((check) => check.checked), ['2022-07-28', '2022-08-25', '2022-09-01']);
  assert.deepEqual(file.checks[2].rates_hz, august.rates_hz);
  assert.deepEqual(Object.keys(file.checks[2].rates_hz), file.paths, 'rates follow the order of paths');
  assert.match(await readFile(out, 'utf8'), /^# HLT path rates read off the CMS Online Monitoring System/);
});

test('fetch append rejects other paths', async () => {
  await writeFile(out, await readFile(join(root, 'content/2022-08/hlt_rates.yaml'), 'utf8'));
  await assert.rejects(fetchRates(['--runs', '357329', '--paths', PHOTON, '--append', '--checked', '2022-09-01']),
    /--append: .* lists paths .* but the patterns matched HLT_Photon30EB_TightID_TightIso;/);
  await assert.rejects(fetchRates([...AUGUST_ARGS, '--append']), /already has a check on 2022-08-25/);
});

test('fetch append date clash sends nothing', async () => {
  const previous = await readFile(join(root, 'content/2022-08/hlt_rates.yaml'), 'utf8');
  await writeFile(out, previous);
  await assert.rejects(fetchRates([...AUGUST_ARGS.slice(0, -1), '2022-07-28', '--append']),
    /: --append: .*rates\.yaml already has a check on 2022-07-28; give another --checked date$/);
  assert.equal(oms.requests.length, 0, 'the clash is found before any request');
  assert.equal(await readFile(out, 'utf8'), previous);
});

test('fetch checks its arguments', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--paths', PHOTON], /--runs is required/],
    [['--runs', '1'], /--paths is required/],
    [['--runs', '1,x', '--paths', PHOTON], /--runs x: expected an integer >= 1/],
    [['--runs', '1,2', '--paths', PHOTON, '--lumisections', '1-2,3-4,5-6'], /3 ranges for 2 runs/],
    [['--runs', '1', '--paths', PHOTON, '--lumisections', '9-3'], /expected 1 <= FIRST <= LAST/],
    [['--runs', '1', '--paths', PHOTON, '--checked', '25.08.2022'], /--checked 25\.08\.2022: expected YYYY-MM-DD/],
    [['--runs', '1', '--paths', PHOTON, '--checked', '2026-02-31'],
      /--checked 2026-02-31: invalid date \(no such day\)/],
    [['--runs', '1', '--paths', PHOTON, '--checked', '2022-09-00'], /--checked 2022-09-00: invalid date/],
    [['--runs', '1', 'stray'], /unexpected argument stray/],
  ];
  for (const [args, message] of cases) {
    await assert.rejects(fetchRates(args), message, args.join(' '));
  }
  assert.equal(oms.requests.length, 0);
});

test('fetch rejects an empty token file', async () => {
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, '\n');
  await assert.rejects(fetchRates([...AUGUST_ARGS, '--token-file', tokenFile]), /the file is empty/);
});

test('fetch-rates script exits 1 without a stack', async () => {
  await writeFile(out, PREVIOUS);
  oms.fault = () => ({ status: 401 });
  const result = await runScript(['--runs', '357329', '--paths', PHOTON, '--out', out, '--base-url', oms.baseUrl],
    { OMS_TOKEN: TOKEN });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^fetch-rates: GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/hltpathinfo\?.*HTTP 401/);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
  assert.ok(!result.stderr.includes(TOKEN));
  await assertUntouched();
});

test('fetch-rates script writes the file', async () => {
  const result = await runScript([...AUGUST_ARGS, '--out', out, '--base-url', oms.baseUrl], { OMS_TOKEN: TOKEN });
  assert.equal(result.code, 0, result.stderr);
  const written = parse(await readFile(out, 'utf8'));
  assert.deepEqual(written.checks[0].runs, august.runs);
  await rm(out);
});

function runScript(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/fetch-rates.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, REPORT_QUIET: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
