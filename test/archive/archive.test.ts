import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile, stat, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { createArchive, extractArchive } from '../../analysis/archive/archive.ts';
import { InputError } from '../../analysis/core/errors.ts';
import { createLogger } from '../../analysis/core/log.ts';
import { listFiles } from '../../analysis/archive/tree.ts';
import { makeRoot, writeReportTree } from './fixture.ts';

process.env.REPORT_QUIET = '1';
const log = createLogger('archive-test');

test('archive twice gives two versions', async () => {
  const root = await makeRoot('archive');
  await writeReportTree(root, 'demo');
  const first = await createArchive({ root, report: 'demo', log });
  const firstBytes = await readFile(first.file);
  const second = await createArchive({ root, report: 'demo', log });

  assert.equal(first.version, 1);
  assert.equal(second.version, 2);
  assert.equal(first.file, join(root, 'archive', 'demo', '1.tar.gz'));
  assert.equal(second.file, join(root, 'archive', 'demo', '2.tar.gz'));
  assert.deepEqual(await readFile(first.file), firstBytes, 'version 1 was rewritten');
  assert.deepEqual(await readdir(join(root, 'archive', 'demo')), ['1.tar.gz', '2.tar.gz']);
});

test('concurrent archives take distinct versions', async () => {
  const root = await makeRoot('archive-concurrent');
  await writeReportTree(root, 'demo');
  const runs = await Promise.all([1, 2, 3].map(() => createArchive({ root, report: 'demo', log })));
  assert.deepEqual(runs.map((run) => run.version).sort(), [1, 2, 3]);
  assert.deepEqual((await readdir(join(root, 'archive', 'demo'))).sort(),
    ['1.tar.gz', '2.tar.gz', '3.tar.gz']);
});

test('manifest lists files, inputs, environment', async () => {
  const root = await makeRoot('archive-manifest');
  await writeReportTree(root, 'demo');
  const { manifest } = await createArchive({ root, report: 'demo', log });
  const paths = manifest.files.map((file) => file.path);

  assert.ok(paths.includes('results/demo/cuts.json'));
  assert.ok(paths.includes('results/demo/cuts/model.json'));
  assert.ok(paths.includes('results/demo/inputs.json'));
  assert.ok(paths.includes('_site/demo/index.html'));
  assert.ok(paths.includes('_site/demo/slides.pdf'));
  assert.ok(paths.includes('content/demo/report.yaml'));
  assert.ok(paths.includes('content/demo/cuts.yaml'));
  assert.ok(paths.includes('content/demo/data/sample.csv'));
  assert.ok(!paths.some((path) => path.startsWith('samples/')), 'an input outside content/ was archived');
  assert.deepEqual(paths, [...paths].sort());

  const slides = manifest.files.find((file) => file.path === '_site/demo/slides.pdf');
  assert.equal(slides?.size, '%PDF-1.7 first\n'.length);
  assert.match(slides?.sha256 ?? '', /^[0-9a-f]{64}$/);

  assert.equal(manifest.inputs.length, 2);
  assert.equal(manifest.inputs[0].path, 'content/demo/data/sample.csv');
  assert.equal(manifest.inputs[0].study, 'cuts');
  assert.equal(manifest.inputs[0].size, 28);
  assert.equal(manifest.inputs[1].path, 'samples/events.csv');
  assert.equal(manifest.inputs[1].sha256,
    '47610e70077f7bea206cb54eb4481e853ff6ca82e18681060eec54b7bf7aa937');
  assert.equal(manifest.backend, 'wasm');
  assert.equal(manifest.node, process.version);
  assert.match(manifest.packages.tar ?? '', /^7\./);
  assert.match(manifest.packages['@tensorflow/tfjs'] ?? '', /^4\./);
  assert.match(manifest.packageLockSha256 ?? '', /^[0-9a-f]{64}$/);
  assert.match(manifest.git?.commit ?? '', /^[0-9a-f]{40}$/);
  assert.equal(typeof manifest.git?.dirty, 'boolean');
});

test('extract restores files byte for byte', async () => {
  const root = await makeRoot('archive-source');
  await writeReportTree(root, 'demo');
  const { file, manifest } = await createArchive({ root, report: 'demo', log });
  const destination = await makeRoot('archive-destination');

  const extracted = await extractArchive(file, destination);
  assert.deepEqual(extracted, manifest);
  const restored = await listFiles(destination);
  assert.deepEqual(restored, manifest.files.map((record) => record.path));
  for (const path of restored) {
    assert.deepEqual(await readFile(join(destination, path)), await readFile(join(root, path)), path);
  }
});

test('tampered archive rejected, naming file', async () => {
  const root = await makeRoot('archive-tamper');
  await writeReportTree(root, 'demo');
  const { file } = await createArchive({ root, report: 'demo', log });

  // Change one byte inside a file's data, leaving the tar headers (and their checksums) valid.
  const tarball = gunzipSync(await readFile(file));
  const offset = tarball.indexOf('"auc":0.7446');
  assert.ok(offset > 0);
  tarball[offset + 9] = '9'.charCodeAt(0);
  const tampered = join(root, 'tampered.tar.gz');
  await writeFile(tampered, gzipSync(tarball));

  const destination = await makeRoot('archive-tamper-destination');
  await assert.rejects(extractArchive(tampered, destination), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /results\/demo\/cuts\.json does not match manifest\.json/);
    return true;
  });
  assert.deepEqual(await readdir(destination), [], 'a rejected archive left files behind');
});

test('truncated archive rejected', async () => {
  const root = await makeRoot('archive-truncated');
  await writeReportTree(root, 'demo');
  const { file } = await createArchive({ root, report: 'demo', log });
  const bytes = await readFile(file);
  const truncated = join(root, 'truncated.tar.gz');
  await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));

  const destination = await makeRoot('archive-truncated-destination');
  await assert.rejects(extractArchive(truncated, destination), InputError);
  assert.deepEqual(await readdir(destination), []);
});

test('archive entry outside destination rejected', async () => {
  const root = await makeRoot('archive-escape');
  const file = join(root, 'escape.tar.gz');
  const pack = new tar.Pack({ gzip: true, portable: true, preservePaths: true });
  const written = pipeline(pack, createWriteStream(file));
  for (const [path, text] of [['manifest.json', '{}'], ['../escaped.txt', 'outside']]) {
    const body = Buffer.from(text);
    const entry = new tar.ReadEntry(new tar.Header({ path, type: 'File', size: body.length, mode: 0o644 }));
    pack.add(entry);
    entry.end(body);
  }
  pack.end();
  await written;

  const destination = join(root, 'inside');
  await assert.rejects(extractArchive(file, destination),
    /escape\.tar\.gz rejected: entry \.\.\/escaped\.txt \(path leaves the destination\)/);
  await assert.rejects(stat(join(root, 'escaped.txt')), { code: 'ENOENT' });
});

test('archive without results rejected', async () => {
  const root = await makeRoot('archive-empty');
  await assert.rejects(createArchive({ root, report: 'demo', log }),
    /no results for report 'demo' in .*results\/demo: build the report first/);
  await rm(root, { recursive: true });
});
