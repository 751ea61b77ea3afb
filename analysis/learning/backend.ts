import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { InputError } from '../core/errors.ts';

/** The tfjs backends this project runs on: native TensorFlow through tfjs-node, or WASM. */
export type BackendName = 'tensorflow' | 'wasm';
export type BackendRequest = BackendName | 'auto';

let selected: Promise<BackendName> | undefined;
let firstRequest: BackendRequest | undefined;

/**
 * Reads the requested backend from `REPORT_BACKEND` (`tensorflow`, `wasm` or `auto`, the
 * default) and rejects any other value.
 */
export function requestedBackend(value = process.env.REPORT_BACKEND): BackendRequest {
  const request = (value ?? '').trim() || 'auto';
  if (request !== 'auto' && request !== 'tensorflow' && request !== 'wasm') {
    throw new InputError(`invalid tfjs backend "${request}" (REPORT_BACKEND or --backend): ` +
      'expected tensorflow, wasm or auto');
  }
  return request;
}

/**
 * Selects and initialises the tfjs backend of this thread, once: tfjs-node (`tensorflow`)
 * when it loads, WASM otherwise. `auto` falls back to WASM silently apart from the log line;
 * an explicit `tensorflow` that cannot load is an error. `log` receives one line saying
 * which backend runs and why. A later call with another explicit backend than the one
 * running is an error, because a thread has one tfjs backend.
 *
 * The WASM backend runs single-threaded in Node, because its threaded build needs browser
 * workers. Parallel trainings come from worker threads, each with its own backend.
 */
export function initBackend(request: BackendRequest = requestedBackend(),
  log?: (line: string) => void): Promise<BackendName> {
  if (!selected) {
    firstRequest = request;
    selected = select(request, log);
    return selected;
  }
  if (request === 'auto' || request === firstRequest) return selected;
  return selected.then((running) => {
    if (running !== request) {
      throw new Error(`tfjs backend ${request} requested, but this thread already runs ${running}`);
    }
    return running;
  });
}

async function select(request: BackendRequest, log?: (line: string) => void): Promise<BackendName> {
  if (request !== 'wasm') {
    const failure = await loadNative();
    if (!failure) {
      await tf.setBackend('tensorflow');
      await tf.ready();
      log?.(`tfjs backend: tensorflow (tfjs-node, native TensorFlow)`);
      return 'tensorflow';
    }
    if (request === 'tensorflow') {
      throw new InputError(`tfjs backend tensorflow requested, but @tensorflow/tfjs-node ` +
        `does not load: ${failure}`);
    }
    log?.(`tfjs backend: wasm (@tensorflow/tfjs-node not available: ${failure})`);
  } else {
    log?.('tfjs backend: wasm (requested)');
  }
  setWasmPaths(wasmFolder());
  await withoutProcessHandlers(async () => {
    if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend failed to initialise');
    await tf.ready();
  });
  return 'wasm';
}

const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Runs `initialise` and then removes the `uncaughtException` and `unhandledRejection`
 * handlers it added to `process`. The Emscripten runtime of tfjs-backend-wasm 4.22 adds
 * handlers that rethrow the error from inside themselves, so Node reports any later
 * uncaught error, of this program or of the library, as thrown at that line of the
 * minified runtime: it prints about 30 kB of library source and exits with code 7 instead
 * of 1. Without them Node prints the error and its stack and exits 1.
 */
async function withoutProcessHandlers(initialise: () => Promise<void>): Promise<void> {
  // As a plain emitter, because `process`'s typed overloads take one event name each.
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(PROCESS_EVENTS.map((event) => [event, emitter.listeners(event)]));
  try {
    await initialise();
  } finally {
    for (const event of PROCESS_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)!.includes(listener)) {
          emitter.removeListener(event, listener as (...args: unknown[]) => void);
        }
      }
    }
  }
}

/** Imports tfjs-node, which registers the `tensorflow` backend; returns why it failed. */
async function loadNative(): Promise<string | undefined> {
  // A variable module name keeps TypeScript from requiring the optional package's types.
  const name = '@tensorflow/tfjs-node';
  try {
    await import(name);
    return tf.findBackend('tensorflow') ? undefined : 'it registered no tensorflow backend';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ERR_MODULE_NOT_FOUND' ? 'not installed' : (error as Error).message.split('\n')[0];
  }
}

/** The folder of the .wasm binaries in node_modules, with a trailing slash as tfjs expects. */
function wasmFolder(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(manifest), 'dist') + '/';
}

/** Tells whether tfjs-node can be loaded here, without switching the backend. */
export async function nativeBackendAvailable(): Promise<boolean> {
  return (await loadNative()) === undefined;
}

export { tf };
