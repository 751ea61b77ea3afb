import { Worker, type ResourceLimits } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from './files.ts';
import { InputError } from './errors.ts';

/**
 * A self-contained unit of work: a module exporting `runJob(input)`, and an input that
 * contains everything the job needs (file paths, config, seed). The same job runs in a
 * worker thread here or, through `scripts/run-job.ts`, as a batch job elsewhere. Inputs
 * and outputs must survive structured cloning and JSON.
 */
export interface JobSpec<Input = unknown> {
  /** Absolute path or file URL of the job module. */
  module: string;
  input: Input;
  /** Shown in logs and errors, e.g. `Cut 3, training 2`. */
  label: string;
  /** When set, the output is also written here as JSON (atomically). */
  outputFile?: string;
}

/** The signature a job module exports as `runJob`. */
export type RunJob<Input, Output> = (input: Input, progress: (done: number, total: number) => void)
  => Promise<Output>;

export interface JobPool {
  readonly size: number;
  run<Output>(spec: JobSpec, onProgress?: (done: number, total: number) => void): Promise<Output>;
  /** Runs all jobs, at most `size` at a time; resolves in the order given. */
  runAll<Output>(specs: JobSpec[], onDone?: (index: number, output: Output) => void): Promise<Output[]>;
  close(): Promise<void>;
}

export class JobError extends Error {
  constructor(readonly label: string, message: string, options?: ErrorOptions) {
    super(`job ${label} failed: ${message}`, options);
    this.name = 'JobError';
  }
}

const BOOT = new URL('./job-worker.mjs', import.meta.url);

export function defaultWorkerCount(): number {
  const fromEnv = Number(process.env.REPORT_WORKERS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism();
}

function moduleUrl(module: string): string {
  return module.startsWith('file:') ? module : pathToFileURL(module).href;
}

/**
 * Runs each job in a fresh worker thread (so that no state, e.g. a tfjs backend or a
 * random generator, leaks from one job into the next), with `size` workers at most.
 * With `size` 0 jobs run in this thread, one after another. `resourceLimits` bound each
 * worker's heap (e.g. `{ maxOldGenerationSizeMb: 256 }`); a worker over its limit fails its job.
 */
export function createJobPool(size = defaultWorkerCount(),
  options: { resourceLimits?: ResourceLimits } = {}): JobPool {
  let active = 0;
  const waiting: Array<() => void> = [];
  const workers = new Set<Worker>();

  const acquire = async () => {
    if (active < Math.max(size, 1)) { active += 1; return; }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next(); else active -= 1;
  };

  const runInThread = async (spec: JobSpec, onProgress?: (d: number, t: number) => void) => {
    const module = await import(moduleUrl(spec.module));
    return module.runJob(spec.input, onProgress ?? (() => {}));
  };

  const runInWorker = (spec: JobSpec, onProgress?: (d: number, t: number) => void) =>
    new Promise<unknown>((resolve, reject) => {
      const worker = new Worker(BOOT, {
        workerData: { module: moduleUrl(spec.module), input: spec.input },
        resourceLimits: options.resourceLimits,
      });
      workers.add(worker);
      let settled = false;
      worker.on('message', (message: { type: string; [key: string]: any }) => {
        if (message.type === 'progress') onProgress?.(message.done, message.total);
        else if (message.type === 'done') { settled = true; resolve(message.output); }
        else if (message.type === 'error') {
          settled = true;
          // An input error raised inside the job stays an input error for the caller.
          const error = message.name === 'InputError' ? new InputError(message.message) : new Error(message.message);
          error.stack = message.stack;
          reject(error);
        }
      });
      worker.on('error', (error) => { settled = true; reject(error); });
      worker.on('exit', (code) => {
        workers.delete(worker);
        if (!settled) reject(new Error(`worker exited with code ${code} before finishing`));
      });
    });

  const run = async <Output>(spec: JobSpec, onProgress?: (d: number, t: number) => void) => {
    await acquire();
    try {
      const output = size === 0 ? await runInThread(spec, onProgress) : await runInWorker(spec, onProgress);
      if (spec.outputFile) await writeFileAtomic(spec.outputFile, JSON.stringify(output));
      return output as Output;
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`${spec.label}: ${error.message}`, { cause: error });
      throw new JobError(spec.label, (error as Error).message, { cause: error });
    } finally {
      release();
    }
  };

  return {
    size,
    run,
    runAll: <Output>(specs: JobSpec[], onDone?: (index: number, output: Output) => void) =>
      Promise.all(specs.map(async (spec, index) => {
        const output = await run<Output>(spec);
        onDone?.(index, output);
        return output;
      })),
    close: async () => { await Promise.all([...workers].map((worker) => worker.terminate())); },
  };
}
