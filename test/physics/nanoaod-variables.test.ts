import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { validate } from '../../analysis/core/config.ts';
import { InputError } from '../../analysis/core/errors.ts';
import { parseExpression } from '../../analysis/core/expression.ts';
import { createJobPool } from '../../analysis/core/jobs.ts';
import {
  decodeColumn, encodeColumn, readNanoAodVariables, splitFiles,
} from '../../analysis/physics/nanoaod-variables.ts';
import { tprimeConfigSchema, type TprimeConfig } from '../../analysis/physics/tprime.ts';

const NANO = fileURLToPath(new URL('../../content/demo/data/NanoAODv5_sample.root', import.meta.url));
const config = validate<TprimeConfig>(tprimeConfigSchema, {}, 'test tprime');

test('computed variables beside flat branches', async () => {
  const data = await readNanoAodVariables({ files: [NANO] }, config,
    ['event', 'njets', 'nbjets', 'Chi2_mTop', 'HLT_Mu3_PFJet40']);
  assert.equal(data.length, 1000);
  assert.deepEqual(Object.keys(data.columns), ['event', 'njets', 'nbjets', 'Chi2_mTop', 'HLT_Mu3_PFJet40']);
  assert.deepEqual([...data.columns.event.subarray(0, 3)], [12423832, 12423821, 12423834]);
  assert.equal(data.columns.HLT_Mu3_PFJet40.reduce((a, b) => a + b, 0), 443);
  assert.equal(data.columns.Chi2_mTop.filter(Number.isFinite).length, 456);
});

test('preselection written with these names', async () => {
  const preselection = parseExpression(
    '(HLT_PFHT1050 || HLT_PFHT330PT30_QuadPFJet_75_60_45_40_TriplePFBTagDeepCSV_4p5) '
    + '&& njets >= 6 && nbjets >= 3', 'test preselection');
  const data = await readNanoAodVariables({ files: [NANO] }, config, preselection.columns);
  const passed = preselection.evaluate(data.columns, data.length);
  let expected = 0;
  for (let i = 0; i < data.length; i++) {
    const trigger = data.columns.HLT_PFHT1050[i]
      || data.columns.HLT_PFHT330PT30_QuadPFJet_75_60_45_40_TriplePFBTagDeepCSV_4p5[i];
    if (trigger && data.columns.njets[i] >= 6 && data.columns.nbjets[i] >= 3) expected += 1;
  }
  assert.ok(expected > 0, 'some ttbar events pass');
  assert.equal(passed.reduce((a, b) => a + b, 0), expected);
});

test('unknown and jagged names are rejected', async () => {
  await assert.rejects(readNanoAodVariables({ files: [NANO] }, config, ['nbjet']), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /"nbjet" is neither a T' variable nor a branch of tree "Events"/);
    assert.match(error.message, /closest existing: nbjets\b/);
    return true;
  });
  await assert.rejects(readNanoAodVariables({ files: [NANO] }, config, ['Jet_pt']),
    /branch "Jet_pt" is jagged/);
});

test('worker jobs give the same columns', async (t) => {
  const pool = createJobPool(1);
  t.after(() => pool.close());
  const names = ['event', 'goodHT', 'Chi2_min', 'mindR_mbb'];
  const progress: number[] = [];
  const inJobs = await readNanoAodVariables({ files: [NANO, NANO] }, config, names,
    { jobs: pool, onProgress: (entries) => progress.push(entries) });
  const inThread = await readNanoAodVariables({ files: [NANO, NANO] }, config, names);
  assert.equal(inJobs.length, 2000);
  for (const name of names) assert.deepEqual(inJobs.columns[name], inThread.columns[name], name);
  assert.equal(progress.at(-1), 2000);
});

test('columns survive the job encoding', () => {
  const values = Float64Array.from([1.5, NaN, -Infinity, 0, 12423832]);
  const decoded = decodeColumn(encodeColumn(values));
  assert.deepEqual(decoded, values);
  assert.deepEqual(splitFiles(['a', 'b', 'c', 'd', 'e'], 2), [['a', 'b', 'c'], ['d', 'e']]);
  assert.deepEqual(splitFiles(['a'], 4), [['a']]);
});
