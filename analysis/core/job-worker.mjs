// Worker-thread entry point: registers the TypeScript loader, then runs one job module.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
try {
  const module = await import(workerData.module);
  const output = await module.runJob(workerData.input, (done, total) =>
    parentPort.postMessage({ type: 'progress', done, total }));
  parentPort.postMessage({ type: 'done', output });
} catch (error) {
  parentPort.postMessage({
    type: 'error', name: error?.name, message: error?.message ?? String(error), stack: error?.stack,
  });
}
