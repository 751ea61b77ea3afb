import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { InputError } from '../../analysis/core/errors.ts';
import { checkRatesFile, formatRatesFile, loadRatesFile } from '../../analysis/hlt/rates-file.ts';

const RATES = fileURLToPath(new URL('../../content/2022-08/hlt_rates.yaml', import.meta.url));
const PHOTON = 'HLT_Photon30EB_TightID_TightIso';
const DEEPCSV_100 = 'HLT_PFHT400_FivePFJet_100_100_60_30_30_DoublePFBTagDeepCSV_4p5';

function original(): any {
  return parse(readFileSync(RATES, 'utf8'));
}

function assertRejected(document: unknown, pattern: RegExp): void {
  assert.throws(() => checkRatesFile(document, 'rates.yaml'),
    (error: Error) => error instanceof InputError && pattern.test(error.message) ? true : assert.fail(error.message));
}

test('August 2022 rates file loads', async () => {
  const rates = await loadRatesFile(RATES);
  assert.equal(rates.paths.length, 5);
  assert.deepEqual(rates.checks.map((check) => check.checked), ['2022-07-28', '2022-08-25']);
  const count = rates.checks.reduce((sum, check) =>
    sum + Object.values(check.rates_hz).reduce((n, list) => n + list.length, 0), 0);
  assert.equal(count, 30);
  assert.deepEqual(rates.checks[0].runs.map((run) => run.run), [356323, 356321, 356316, 356309]);
  assert.deepEqual(rates.checks[1].runs[0], { run: 357329, fill: 8118, pu: 50, lumisections: [250, 290] });
  assert.deepEqual(rates.checks[1].rates_hz[DEEPCSV_100], [47.32, 66.48]);
  assert.equal(rates.checks[0].rates_hz[PHOTON][2], 14.05);
});

test('rates file rejects a missing path', () => {
  const document = original();
  delete document.checks[1].rates_hz[DEEPCSV_100];
  assertRejected(document,
    new RegExp(`rates\\.yaml: check 2022-08-25 \\(checks\\[1\\]\\), path ${DEEPCSV_100}: no rates for runs 357329, 357542`));
});

test('rates file rejects a short rate list', () => {
  const document = original();
  document.checks[0].rates_hz[PHOTON] = [23.78, 24.07, 14.05];
  assertRejected(document,
    new RegExp(`check 2022-07-28 \\(checks\\[0\\]\\), path ${PHOTON}: 3 rates for 4 runs \\(356323, 356321, 356316, 356309\\); runs without a rate: 356309`));
});

test('rates file rejects a long rate list', () => {
  const document = original();
  document.checks[1].rates_hz[PHOTON] = [10.12, 10.82, 11];
  assertRejected(document, new RegExp(`check 2022-08-25 .*path ${PHOTON}: 3 rates for 2 runs \\(357329, 357542\\)$`));
});

test('rates file rejects a null rate', () => {
  const document = original();
  document.checks[1].rates_hz[PHOTON] = [10.12, null];
  assertRejected(document, new RegExp(`check 2022-08-25 .*path ${PHOTON}, run 357542: no rate`));
});

test('rates file rejects a negative rate', () => {
  const document = original();
  document.checks[0].rates_hz[DEEPCSV_100][1] = -8.75;
  assertRejected(document, new RegExp(`check 2022-07-28 .*path ${DEEPCSV_100}, run 356321: negative rate -8\\.75 Hz`));
});

test('rates file rejects a text rate', () => {
  const document = original();
  document.checks[0].rates_hz[PHOTON][0] = 'n/a';
  assertRejected(document, /run 356323: rate "n\/a" is not a number/);
});

test('rates file rejects NaN and Infinity', () => {
  // YAML writes these as .nan and .inf, and 1e400 overflows to Infinity when parsed.
  const cases: Array<[string, string]> = [['.nan', 'NaN'], ['.inf', 'Infinity'],
    ['-.inf', '-Infinity'], ['1e400', 'Infinity']];
  for (const [written, shown] of cases) {
    const text = readFileSync(RATES, 'utf8')
      .replace(`${PHOTON}: [23.78, 24.07,`, `${PHOTON}: [23.78, ${written},`);
    assertRejected(parse(text), new RegExp(`check 2022-07-28 \\(checks\\[0\\]\\), path ${PHOTON}, `
      + `run 356321: rate ${shown} is not a finite number$`));
  }
});

test('rates file rejects infinite pile-up', () => {
  const document = original();
  document.checks[1].runs[1].pu = Infinity;
  assertRejected(document, /check 2022-08-25 \(checks\[1\]\), run 357542: pile-up pu Infinity is not a finite number/);
});

test('rates file rejects impossible dates', () => {
  for (const date of ['2022-02-29', '2022-08-32', '2022-13-01', '2022-04-31']) {
    const document = original();
    document.checks[1].checked = date;
    assertRejected(document, new RegExp(`check ${date} \\(checks\\[1\\]\\): checked: invalid date ${date} `
      + '\\(no such day\\)'));
  }
  const leap = original();
  leap.checks[1].checked = '2024-02-29';
  assert.equal(checkRatesFile(leap, 'rates.yaml').checks[1].checked, '2024-02-29');
});

test('rates file rejects an unlisted path', () => {
  const document = original();
  document.checks[1].rates_hz.HLT_IsoMu24 = [200, 210];
  assertRejected(document, /check 2022-08-25 \(checks\[1\]\): rates_hz has path HLT_IsoMu24, which is not in paths/);
});

test('rates file rejects duplicate runs', () => {
  const document = original();
  document.checks[1].runs[1].run = 357329;
  assertRejected(document, /check 2022-08-25 \(checks\[1\]\): run 357329 is listed twice/);
});

test('rates file rejects reversed lumisections', () => {
  const document = original();
  document.checks[1].runs[0].lumisections = [290, 250];
  assertRejected(document, /run 357329: lumisections \[290, 250\]: the first lumisection is after the last/);
});

test('rates file rejects schema errors', () => {
  const document = original();
  document.checks[0].runs[0].pile_up = 37;
  delete document.checks[0].runs[1].fill;
  document.checks[1].checked = 'August';
  assert.throws(() => checkRatesFile(document, 'rates.yaml'), (error: Error) => {
    assert.match(error.message, /checks\[0\]\.runs\[0\]\.pile_up: unknown key/);
    assert.match(error.message, /checks\[0\]\.runs\[1\]\.fill: missing \(required\)/);
    assert.match(error.message, /checks\[1\]\.checked: must match pattern/);
    return true;
  });
});

test('rates file round-trips through formatRatesFile', async () => {
  const rates = await loadRatesFile(RATES);
  const text = formatRatesFile(rates, 'first line\nsecond line');
  assert.match(text, /^# first line\n# second line\n/);
  assert.match(text, /- \{run: 357329, fill: 8118, pu: 50, lumisections: \[250, 290\]\}/);
  assert.match(text, new RegExp(`${PHOTON}: \\[23\\.78, 24\\.07, 14\\.05, 23\\.09\\]`));
  assert.deepEqual(checkRatesFile(parse(text), 'formatted'), rates);
});
