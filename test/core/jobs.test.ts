import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJobPool } from '../../analysis/core/jobs.ts';

const square = fileURLToPath(new URL('../fixtures/jobs/square.ts', import.meta.url));

test('job pool runs jobs in workers, in order', async () => {
  const pool = createJobPool(2);
  try {
    const outputs = await pool.runAll<number>([1, 2, 3].map((x) => ({ module: square, input: { x }, label: `x=${x}` })));
    assert.deepEqual(outputs, [1, 4, 9]);
  } finally {
    await pool.close();
  }
});

test('job pool writes output file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'jobs-'));
  const pool = createJobPool(0);
  const outputFile = join(dir, 'out.json');
  await pool.run({ module: square, input: { x: 5 }, label: 'x=5', outputFile });
  assert.equal(JSON.parse(await readFile(outputFile, 'utf8')), 25);
});

test('job pool names failed job', async () => {
  const pool = createJobPool(1);
  try {
    await assert.rejects(pool.run({ module: square, input: { x: -1 }, label: 'x=-1' }),
      /job x=-1 failed: negative input -1/);
  } finally {
    await pool.close();
  }
});
