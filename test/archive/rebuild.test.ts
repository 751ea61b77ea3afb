import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createArchive } from '../../analysis/archive/archive.ts';
import { listFiles } from '../../analysis/archive/tree.ts';
import { createLogger } from '../../analysis/core/log.ts';

// The August 2022 report is rendered from archived figures, so it builds without training.
const REPORT = '2022-08';
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

process.env.REPORT_QUIET = '1';
const log = createLogger('rebuild-test');

// The build imports the renderers, which may be missing from a partial checkout.
const build = await import('../../analysis/pipeline/build.ts').catch((error: Error) => error);
const skip = build instanceof Error && `report build unavailable: ${build.message.split('\n')[0]}`;

test('rebuild from archive matches results', { skip }, async () => {
  const { buildReports } = build as typeof import('../../analysis/pipeline/build.ts');
  const root = await mkdtemp(join(tmpdir(), 'rebuild-source-'));
  await cp(join(repositoryRoot, 'content', REPORT), join(root, 'content', REPORT), { recursive: true });
  await buildReports({ root, reports: [REPORT], workers: 1, log });
  const { file, manifest } = await createArchive({ root, report: REPORT, log });

  const empty = await mkdtemp(join(tmpdir(), 'rebuild-empty-'));
  const summary = await buildReports({ root: empty, fromArchive: file, workers: 1, log });
  assert.deepEqual(summary.reports, [REPORT]);
  assert.deepEqual(summary.ran, [], 'a study ran during the rebuild');

  const results = await listFiles(join(root, 'results', REPORT));
  assert.ok(results.includes('inputs.json'));
  assert.ok(results.includes('cut-importance.json'));
  assert.deepEqual(await listFiles(join(empty, 'results', REPORT)), results);
  for (const path of results) {
    assert.deepEqual(await readFile(join(empty, 'results', REPORT, path)),
      await readFile(join(root, 'results', REPORT, path)), `results/${REPORT}/${path} differs`);
  }

  const sitePaths = manifest.files.map((record) => record.path)
    .filter((path) => path.startsWith(`_site/${REPORT}/`));
  for (const path of sitePaths) {
    assert.ok((await stat(join(empty, path))).size > 0, `${path} was not rebuilt`);
  }
  for (const path of sitePaths.filter((name) => name.startsWith(`_site/${REPORT}/data/`))) {
    assert.deepEqual(await readFile(join(empty, path)), await readFile(join(root, path)), `${path} differs`);
  }
});
