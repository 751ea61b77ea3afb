import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../analysis/core/errors.ts';
import { initBackend, requestedBackend, tf } from '../../analysis/learning/backend.ts';

test('requestedBackend reads the option', () => {
  assert.equal(requestedBackend(undefined), 'auto');
  assert.equal(requestedBackend(''), 'auto');
  assert.equal(requestedBackend('wasm'), 'wasm');
  assert.equal(requestedBackend(' tensorflow '), 'tensorflow');
});

test('requestedBackend rejects unknown names', () => {
  assert.throws(() => requestedBackend('webgl'), (error: Error) =>
    error instanceof InputError && /invalid tfjs backend "webgl"/.test(error.message));
});

test('initBackend selects wasm once and logs it', async () => {
  const lines: string[] = [];
  assert.equal(await initBackend('wasm', (line) => lines.push(line)), 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.deepEqual(lines, ['tfjs backend: wasm (requested)']);
  assert.equal(await initBackend('auto', (line) => lines.push(line)), 'wasm');
  assert.equal(lines.length, 1);
});

test('initBackend rejects a second backend', async () => {
  await initBackend('wasm');
  const native = tf.findBackend('tensorflow') !== null;
  if (native) return;
  await assert.rejects(initBackend('tensorflow'), /tensorflow requested, but this thread already runs wasm/);
});
