import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.ts';
import type { JobPool } from '../core/jobs.ts';
import { isJagged, listBranches, readChunks, type EventSource } from '../io/events.ts';
import { closestNames } from '../io/names.ts';
import { computeTprimeVariables, TPRIME_VARIABLES, tprimeBranches } from './tprime.ts';
import type { TprimeConfig } from './tprime-config.ts';
import { concatFloat64 } from '../io/builders.ts';

/** Columns read over a chain of files, one value per event. */
export interface EventColumns {
  length: number;
  columns: Record<string, Float64Array>;
  files: string[];
}

export interface NanoAodReadOptions {
  chunkSize?: number;
  /** Entries read so far and the chain's (estimated) total, as readChunks reports them. */
  onProgress?: (entries: number, total: number) => void;
  /**
   * When given, with a size of 1 or more and more than one file, the chain is split into
   * runs of consecutive files, each read in its own worker: `jobs.size` runs, at most
   * MAX_READ_JOBS.
   */
  jobs?: JobPool;
}

const COMPUTED = new Set<string>(TPRIME_VARIABLES);

/**
 * Workers reading NanoAOD at once. Each peaks near 300 MB resident (measured with
 * bench/io.ts on the 1479-branch NanoAODv5 sample), so two of them and the main thread
 * stay under 1 GB.
 */
export const MAX_READ_JOBS = 2;

/**
 * Reads T' variables (see TPRIME_VARIABLES) and plain flat branches (`event`, `genWeight`,
 * `HLT_PFHT1050`) from a chain of NanoAOD files into memory, in the order of the files.
 * Memory grows with events x names: 8 bytes each.
 */
export async function readNanoAodVariables(source: EventSource, config: TprimeConfig,
  names: string[], options: NanoAodReadOptions = {}): Promise<EventColumns> {
  const unique = [...new Set(names)];
  await checkNames(source, unique);
  const jobs = options.jobs;
  if (jobs && jobs.size > 0 && source.files.length > 1) {
    return readInJobs(source, config, unique, jobs, options);
  }

  const parts = new Map<string, Float64Array[]>(unique.map((name) => [name, []]));
  let length = 0;
  for await (const columns of variableChunks(source, config, unique, options)) {
    for (const name of unique) parts.get(name)!.push(columns.values[name]);
    length += columns.length;
  }
  const columns: Record<string, Float64Array> = {};
  for (const name of unique) columns[name] = concatFloat64(parts.get(name)!, length);
  return { length, columns, files: source.files };
}

/** Yields the requested variables chunk by chunk, computing the T' ones from the jets. */
export async function* variableChunks(source: EventSource, config: TprimeConfig,
  names: string[], options: { chunkSize?: number; onProgress?: NanoAodReadOptions['onProgress'] } = {}):
  AsyncGenerator<{ file: string; length: number; values: Record<string, Float64Array> }> {
  const computed = names.some((name) => COMPUTED.has(name));
  const plain = names.filter((name) => !COMPUTED.has(name));
  const branches = [...new Set([...(computed ? tprimeBranches(config) : []), ...plain])];
  for await (const chunk of readChunks(source, branches, options)) {
    const variables = computed ? computeTprimeVariables(chunk, config) : {};
    const values: Record<string, Float64Array> = {};
    for (const name of names) {
      const column = COMPUTED.has(name)
        ? (variables as Record<string, Float64Array>)[name]
        : chunk.columns[name];
      if (isJagged(column)) {
        throw new InputError(`${chunk.file}: branch "${name}" is jagged (one array per event); `
          + 'only flat branches and T\' variables can be read as columns');
      }
      values[name] = column;
    }
    yield { file: chunk.file, length: chunk.length, values };
  }
}

/** Checks on the first file that each name is a T' variable or a branch, before any reading. */
async function checkNames(source: EventSource, names: string[]): Promise<void> {
  const plain = names.filter((name) => !COMPUTED.has(name));
  if (plain.length === 0 || source.files.length === 0) return;
  const file = source.files[0];
  const tree = source.tree ?? 'Events';
  const branches = new Set(await listBranches(file, tree));
  for (const name of plain) {
    if (!branches.has(name)) {
      throw new InputError(`"${name}" is neither a T' variable nor a branch of tree "${tree}" `
        + `in ${file} (${closestNames(name, [...TPRIME_VARIABLES, ...branches])})`);
    }
  }
}

const JOB_MODULE = fileURLToPath(new URL('./nanoaod-job.ts', import.meta.url));

async function readInJobs(source: EventSource, config: TprimeConfig, names: string[],
  jobs: JobPool, options: NanoAodReadOptions): Promise<EventColumns> {
  const groups = splitFiles(source.files, Math.min(jobs.size, MAX_READ_JOBS));
  const done = new Array<number>(groups.length).fill(0);
  const totals = new Array<number>(groups.length).fill(0);
  const outputs = await Promise.all(groups.map((files, g) => jobs.run<NanoAodJobOutput>({
    module: JOB_MODULE,
    label: `NanoAOD variables, files ${files[0]} ... (${files.length})`,
    input: { source: { ...source, files }, config, names, chunkSize: options.chunkSize,
      keep: true } satisfies NanoAodJobInput,
  }, (entries, total) => {
    done[g] = entries;
    totals[g] = total;
    options.onProgress?.(sum(done), sum(totals));
  })));

  const length = sum(outputs.map((output) => output.length));
  const columns: Record<string, Float64Array> = {};
  for (const name of names) {
    columns[name] = concatFloat64(outputs.map((output) => decodeColumn(output.columns![name])), length);
  }
  return { length, columns, files: source.files };
}

/** Splits files into at most `count` runs of consecutive files of nearly equal length. */
export function splitFiles(files: string[], count: number): string[][] {
  const groups: string[][] = [];
  const size = Math.ceil(files.length / Math.max(1, count));
  for (let i = 0; i < files.length; i += size) groups.push(files.slice(i, i + size));
  return groups;
}

export interface NanoAodJobInput {
  source: EventSource;
  config: TprimeConfig;
  names: string[];
  chunkSize?: number;
  /** Return the columns (true) or only a summary of them (false, for benchmarks). */
  keep: boolean;
}

export interface NanoAodJobOutput {
  length: number;
  /** Base64 of each column's little-endian float64 values, when `keep` was set. */
  columns?: Record<string, string>;
  /** Per name: events with a finite value and their sum. */
  summary: Record<string, { finite: number; sum: number }>;
}

/** Encodes a column for a job's output, which must survive JSON (NaN does not). */
export function encodeColumn(values: Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function decodeColumn(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float64Array(copy.buffer);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

