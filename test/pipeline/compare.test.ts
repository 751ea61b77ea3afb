import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '../../analysis/core/log.ts';
import { createArchive } from '../../analysis/archive/archive.ts';
import { buildReports } from '../../analysis/pipeline/build.ts';
import { temporaryRoot } from './helpers.ts';

process.env.REPORT_QUIET = '1';
const log = createLogger();

test('compare_with shows change since archive', async () => {
  const earlier = await temporaryRoot(['2022-08']);
  await buildReports({ root: earlier, reports: ['2022-08'], log, workers: 0 });
  const { file } = await createArchive({ root: earlier, report: '2022-08', log });

  const later = await temporaryRoot(['2022-08']);
  const reportFile = join(later, 'content', '2022-08', 'report.yaml');
  const reportYaml = await readFile(reportFile, 'utf8');
  await writeFile(reportFile, reportYaml.replace('\nsections:', `\ncompare_with: ${JSON.stringify(file)}\nsections:`));
  await buildReports({ root: later, reports: ['2022-08'], log, workers: 0 });

  const page = await readFile(join(later, '_site', '2022-08', 'index.html'), 'utf8');
  assert.match(page, /Mean AUC per step: 2022-08 and now/);
  assert.match(page, /Now and in report 2022-08/);
});

test('compare_with names missing archive', async () => {
  const root = await temporaryRoot(['2022-08']);
  const reportFile = join(root, 'content', '2022-08', 'report.yaml');
  const reportYaml = await readFile(reportFile, 'utf8');
  await writeFile(reportFile, reportYaml.replace('\nsections:', '\ncompare_with: no-such.tar.gz\nsections:'));
  await assert.rejects(buildReports({ root, reports: ['2022-08'], log, workers: 0 }),
    /archive .*content\/2022-08\/no-such\.tar\.gz not found/);
});
