// Training speed of the cut-importance network, in events per second on 200 000 synthetic
// events (28 inputs, 3 x 100 ReLU, dropout 0.1, batch 2048). It is measured per available
// tfjs backend, for one worker thread and for all of them at once. Then the bench times
// the whole demonstration study (content/demo/cut_importance.yaml).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadYamlFile, validate } from '../analysis/core/config.ts';
import { createJobPool, defaultWorkerCount, type JobSpec } from '../analysis/core/jobs.ts';
import { createLogger } from '../analysis/core/log.ts';
import { nativeBackendAvailable, type BackendName } from '../analysis/learning/backend.ts';
import type { ModelConfig } from '../analysis/learning/network.ts';
import type { ThroughputJobInput, ThroughputJobOutput } from '../analysis/learning/throughput-job.ts';
import { standaloneContext } from '../analysis/cutimportance/standalone.ts';
import type { CutImportanceConfig } from '../analysis/cutimportance/config.ts';
import { cutImportance } from '../analysis/studies/cut-importance.ts';

const EVENTS = 200_000;
const INPUTS = 28;
const JOB = fileURLToPath(new URL('../analysis/learning/throughput-job.ts', import.meta.url));
const DEMO = fileURLToPath(new URL('../content/demo/cut_importance.yaml', import.meta.url));

const model: ModelConfig = {
  hiddenLayers: [100, 100, 100],
  dropout: 0.1,
  activation: 'relu',
  learningRate: 0.001,
  batchSize: 2048,
  // Two epochs: the second one is timed, without setup and warm-up.
  epochs: 2,
  validationFraction: 0,
  patience: 10,
  classWeight: 'balanced',
};

const format = (value: number) => Math.round(value).toLocaleString('en-US').replace(/,/g, ' ');

/** Runs `workers` throughput jobs at once; their epochs overlap, so their rates add up. */
async function throughput(backend: BackendName, workers: number): Promise<number> {
  const pool = createJobPool(workers);
  try {
    const specs: JobSpec<ThroughputJobInput>[] = Array.from({ length: workers }, (_, w) => ({
      module: JOB,
      label: `throughput ${backend} ${w + 1}/${workers}`,
      input: { backend, events: EVENTS, inputs: INPUTS, model, seed: w + 1 },
    }));
    const outputs = await pool.runAll<ThroughputJobOutput>(specs);
    return outputs.reduce((sum, output) => sum + output.eventsPerSecond, 0);
  } finally {
    await pool.close();
  }
}

async function demonstrationStudy(): Promise<number> {
  const config = validate<CutImportanceConfig>(cutImportance.configSchema, await loadYamlFile(DEMO), DEMO);
  const workDir = await mkdtemp(join(tmpdir(), 'bench-cut-importance-'));
  const pool = createJobPool();
  const started = performance.now();
  try {
    const log = createLogger('demo');
    const result = await cutImportance.run(config, standaloneContext(resolve(DEMO), workDir, pool, log));
    const seconds = (performance.now() - started) / 1000;
    const aucs = result.steps.map((step) => `${step.name} ${step.mean.toFixed(4)}`).join(', ');
    console.log(`demonstration study: ${result.steps.length} steps x ${config.trainings} trainings ` +
      `in ${seconds.toFixed(0)} s with ${pool.size} workers (mean AUC: ${aucs})`);
    return seconds;
  } finally {
    await pool.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const workers = defaultWorkerCount();
  const backends: BackendName[] = ['wasm'];
  if (await nativeBackendAvailable()) backends.unshift('tensorflow');
  else console.log('tensorflow backend: not measured (@tensorflow/tfjs-node does not load)');

  console.log(`training throughput, ${format(EVENTS)} events, ${INPUTS} inputs, ` +
    `${model.hiddenLayers.join('x')} ReLU, batch ${model.batchSize}:`);
  for (const backend of backends) {
    const one = await throughput(backend, 1);
    console.log(`  ${backend}, 1 worker: ${format(one)} events/s`);
    if (workers > 1) {
      const all = await throughput(backend, workers);
      console.log(`  ${backend}, ${workers} workers: ${format(all)} events/s ` +
        `(${(all / one).toFixed(2)} x one worker)`);
    }
  }
  await demonstrationStudy();
}
