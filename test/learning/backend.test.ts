import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
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

test('uncaught error after wasm exits 1 without library source', () => {
  // A fresh process, because the handlers in question belong to `process`.
  const backend = pathToFileURL('analysis/learning/backend.ts').href;
  const script = `const { initBackend } = await import(${JSON.stringify(backend)});
    await initBackend('wasm');
    console.log(process.listeners('uncaughtException').length, process.listeners('unhandledRejection').length);
    throw new Error('uncaught after wasm');`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8' });
  assert.equal(child.stdout.trim(), '0 0');
  assert.equal(child.status, 1, child.stderr.slice(0, 500));
  assert.match(child.stderr, /Error: uncaught after wasm/);
  assert.doesNotMatch(child.stderr, /WasmBackendModule/);
  assert.ok(child.stderr.length < 2000, `${child.stderr.length} characters on stderr`);
});
