import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../analysis/core/errors.ts';
import { readCsvChunks, readCsvHeader } from '../../analysis/io/csv.ts';

const dir = await mkdtemp(join(tmpdir(), 'csv-test-'));
after(() => rm(dir, { recursive: true, force: true }));

async function csvFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function readAll(file: string, columns: string[], chunkSize = 2) {
  const chunks = [];
  for await (const chunk of readCsvChunks(file, columns, chunkSize)) chunks.push(chunk);
  return chunks;
}

test('header without rows names the file', async () => {
  const file = await csvFile('header-only.csv', 'x,y,label\n');
  await assert.rejects(readAll(file, ['x']), (error: Error) => {
    assert.ok(error instanceof InputError, `${error.name}: ${error.message}`);
    assert.equal(error.message, `${file} has a header but no rows`);
    return true;
  });
  assert.deepEqual(await readCsvHeader(file), ['x', 'y', 'label']);
});

test('header with blank and comment lines only', async () => {
  const file = await csvFile('comments.csv', '# written by a failed job\nx,y\n\n# end\n');
  await assert.rejects(readAll(file, ['y']), /comments\.csv has a header but no rows/);
});

test('empty file has no header line', async () => {
  const file = await csvFile('empty.csv', '');
  await assert.rejects(readAll(file, ['x']), /empty\.csv: CSV file has no header line/);
});

test('single row is read', async () => {
  const file = await csvFile('one.csv', 'x,y\n1.5,-2\n');
  const chunks = await readAll(file, ['y', 'x']);
  assert.equal(chunks.length, 1);
  assert.equal(chunks[0].length, 1);
  assert.deepEqual([...chunks[0].columns.x as Float64Array], [1.5]);
  assert.deepEqual([...chunks[0].columns.y as Float64Array], [-2]);
});

test('rows filling whole chunks end without an empty chunk', async () => {
  const file = await csvFile('four.csv', 'x\n1\n2\n3\n4\n');
  const chunks = await readAll(file, ['x'], 2);
  assert.deepEqual(chunks.map((chunk) => [chunk.firstEntry, chunk.length]), [[0, 2], [2, 2]]);
});
