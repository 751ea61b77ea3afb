import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '../../analysis/core/log.ts';
import { createArchive } from '../../analysis/archive/archive.ts';
import { buildReports } from '../../analysis/pipeline/build.ts';
import { temporaryRoot } from './helpers.ts';

process.env.REPORT_QUIET = '1';
const log = createLogger();

test('rebuild from archive keeps other reports', async () => {
  const earlier = await temporaryRoot(['2022-08']);
  await buildReports({ root: earlier, reports: ['2022-08'], log, workers: 0 });
  const { file } = await createArchive({ root: earlier, report: '2022-08', log });

  const root = await temporaryRoot();
  await mkdir(join(root, 'content', 'notes'), { recursive: true });
  await writeFile(join(root, 'content', 'notes', 'report.yaml'), `title: Notes
author: {name: A. Physicist, email: a.physicist@example.org, institute: Some University}
date: 2026-11-05
meeting: Group meeting
sections:
  - title: Outlook
    comments: [Next steps]
`);
  await buildReports({ root, log, workers: 0 });
  const summary = await buildReports({ root, fromArchive: file, log });

  assert.deepEqual(summary.ran, []);
  assert.ok((await stat(join(root, '_site', 'notes', 'index.html'))).isFile(), 'other report kept');
  assert.ok((await stat(join(root, '_site', '2022-08', 'slides.pdf'))).isFile(), 'slides rebuilt');
  const index = await readFile(join(root, '_site', 'index.html'), 'utf8');
  assert.match(index, /notes\//);
  assert.match(index, /2022-08\//);
  for (const name of ['hlt-rates.json', 'cut-importance.json']) {
    assert.deepEqual(await readFile(join(root, 'results', '2022-08', name)),
      await readFile(join(earlier, 'results', '2022-08', name)), `${name} byte for byte`);
  }
  await assert.rejects(buildReports({ root, fromArchive: file, log }), /content\/2022-08 exists already/);
});
