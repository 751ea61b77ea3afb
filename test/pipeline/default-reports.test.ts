import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createLogger } from '../../analysis/core/log.ts';
import { buildReports } from '../../analysis/pipeline/build.ts';
import { pdfPageTexts } from './pdf-text.ts';
import { repositoryRoot, temporaryRoot } from './helpers.ts';

// Builds the reports that ship in content/ once, into a temporary folder, then checks what
// the page and the slides show a reader.
const root = await temporaryRoot();
await cp(join(repositoryRoot, 'content'), join(root, 'content'), { recursive: true });
process.env.REPORT_QUIET = '1';
const log = createLogger();
const first = await buildReports({ root, log });

const august = join(repositoryRoot, 'content', '2022-08');
const archivedAuc = parse(await readFile(join(august, 'auc_by_cut_step.yaml'), 'utf8')) as
  { steps: Array<{ name: string; auc: number[] }> };
const rates = parse(await readFile(join(august, 'hlt_rates.yaml'), 'utf8')) as
  { paths: string[]; checks: Array<{ rates_hz: Record<string, number[]> }> };
const augustPage = await readFile(join(root, '_site', '2022-08', 'index.html'), 'utf8');
const augustSlides = (await pdfPageTexts(join(root, '_site', '2022-08', 'slides.pdf'))).join('\n');

test('build writes index, pages and slides', async () => {
  for (const file of ['index.html', '2022-08/index.html', '2022-08/slides.pdf', 'demo/index.html', 'demo/slides.pdf']) {
    assert.ok((await stat(join(root, '_site', file))).size > 0, `${file} is written`);
  }
  const index = await readFile(join(root, '_site', 'index.html'), 'utf8');
  assert.ok(index.indexOf('demo/') < index.indexOf('2022-08/'), 'newest report first');
});

test('page title is escaped once', () => {
  assert.match(augustPage, /<title>T&#39; → tH, fully hadronic/);
  assert.doesNotMatch(augustPage, /&amp;#39;/);
});

test('august page and slides show 21 archived AUCs', () => {
  const values = archivedAuc.steps.flatMap((step) => step.auc);
  assert.equal(values.length, 21);
  assert.ok(values.includes(0.7648));
  for (const value of values) {
    assert.ok(augustPage.includes(value.toFixed(4)), `page shows AUC ${value.toFixed(4)}`);
    assert.ok(augustSlides.includes(value.toFixed(4)), `slides show AUC ${value.toFixed(4)}`);
  }
});

test('august page and slides show 30 HLT rates', () => {
  const values = rates.checks.flatMap((check) => Object.values(check.rates_hz).flat());
  assert.equal(values.length, 30);
  assert.ok(values.includes(66.48));
  for (const value of values) {
    assert.ok(augustPage.includes(value.toFixed(2)), `page shows rate ${value.toFixed(2)} Hz`);
    assert.ok(augustSlides.includes(value.toFixed(2)), `slides show rate ${value.toFixed(2)} Hz`);
  }
});

test('demo trains 8 steps x 3 networks', async () => {
  const envelope = JSON.parse(await readFile(join(root, 'results', 'demo', 'higgs-cut-importance.json'), 'utf8'));
  const steps = envelope.result.steps as Array<{ trainings: Array<{ auc: number }> }>;
  assert.equal(steps.length, 8);
  for (const step of steps) {
    assert.equal(step.trainings.length, 3);
    for (const training of step.trainings) {
      assert.ok(training.auc > 0.5, `AUC ${training.auc} above 0.5`);
      assert.ok(training.auc < 1, `AUC ${training.auc} below 1`);
    }
  }
  assert.ok(first.ran.includes('demo/higgs-cut-importance'));
});

test('second run with nothing changed runs nothing', async () => {
  const second = await buildReports({ root, log });
  assert.deepEqual(second.ran, []);
  assert.deepEqual(second.reused.sort(), [...first.ran, ...first.reused].sort());
});
