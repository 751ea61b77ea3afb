import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import fg from 'fast-glob';
import { InputError } from '../core/errors.ts';
import { readCsvChunks, readCsvHeader } from './csv.ts';
import { checkBranches, openRootTree, readRootRange } from './root.ts';
import { concatFloat64 } from './builders.ts';

/**
 * Event input: ROOT TTrees (through jsroot) and CSV files, read as one chain of files in
 * chunks of a bounded number of events. A chunk never spans two files.
 */
export interface EventSource {
  /** Paths or globs, already resolved to absolute paths. */
  files: string[];
  /** Defaults to the extension of each file: `.root` or `.csv`. */
  format?: 'root' | 'csv';
  /** ROOT tree name, default `Events`. */
  tree?: string;
}

/** Jagged branch values of one chunk: event i owns content[offsets[i] .. offsets[i+1]). */
export interface Jagged { offsets: Int32Array; content: Float64Array }

export interface Chunk {
  file: string;
  /** Entry number, within `file`, of the chunk's first event. */
  firstEntry: number;
  length: number;
  /** Booleans as 0/1. */
  columns: Record<string, Float64Array | Jagged>;
}

export interface ReadOptions {
  /** Events per chunk, default 50 000. */
  chunkSize?: number;
  /**
   * Called after each chunk with the entries read so far and the chain's total. The total
   * is exact for the files opened so far and an estimate, from the sizes of the files, for
   * the rest, so it is exact once the last file is open.
   */
  onProgress?: (entries: number, total: number) => void;
}

export const DEFAULT_CHUNK_SIZE = 50_000;
export const DEFAULT_TREE = 'Events';

export function isJagged(column: Float64Array | Jagged): column is Jagged {
  return !(column instanceof Float64Array);
}

/** Expands globs (sorted, deduplicated); a pattern that matches nothing is an InputError naming it. */
export async function expandFiles(patterns: string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const pattern of patterns) {
    let matches: string[];
    if (fg.isDynamicPattern(pattern)) {
      matches = await fg(pattern, { absolute: true, onlyFiles: true });
    } else {
      const path = resolve(pattern);
      matches = await stat(path).then((s) => (s.isFile() ? [path] : []), () => []);
    }
    if (matches.length === 0) throw new InputError(`no input file matches "${pattern}"`);
    for (const match of matches) files.add(resolve(match));
  }
  return [...files].sort();
}

function formatOf(file: string, source: EventSource): 'root' | 'csv' {
  if (source.format) return source.format;
  const extension = extname(file).toLowerCase();
  if (extension === '.root') return 'root';
  if (extension === '.csv') return 'csv';
  throw new InputError(`${file}: unknown event file format "${extension}" `
    + `(expected .root or .csv, or set format: root or csv)`);
}

async function fileSizes(files: string[]): Promise<number[]> {
  return Promise.all(files.map((file) => stat(file).then((s) => s.size, () => 0)));
}

/** Reads the named branches (or CSV columns) chunk by chunk over the chain of files. */
export async function* readChunks(source: EventSource, branches: string[],
  options: ReadOptions = {}): AsyncGenerator<Chunk> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  const names = [...new Set(branches)];
  const treeName = source.tree ?? DEFAULT_TREE;
  const sizes = options.onProgress ? await fileSizes(source.files) : [];
  const progress = new ChainProgress(sizes, options.onProgress);

  for (let f = 0; f < source.files.length; f++) {
    const file = source.files[f];
    if (formatOf(file, source) === 'csv') {
      for await (const chunk of readCsvChunks(file, names, chunkSize, (bytes) => progress.bytes(f, bytes))) {
        progress.entries(chunk.length);
        yield chunk;
      }
      progress.fileDone(f);
      continue;
    }

    const tree = await openRootTree(file, treeName);
    try {
      checkBranches(tree, names);
      progress.fileOpened(f, tree.entries);
      for (let first = 0; first < tree.entries; first += chunkSize) {
        const count = Math.min(chunkSize, tree.entries - first);
        const chunk = await readRootRange(tree, names, first, count);
        progress.entries(count);
        yield chunk;
      }
    } finally {
      tree.close();
    }
  }
}

/** Tracks the entries read over a chain and estimates the total from the file sizes. */
class ChainProgress {
  #done = 0;
  #knownEntries = 0;
  #knownBytes = 0;
  #partial = { file: -1, bytes: 0 };

  constructor(private readonly sizes: number[],
    private readonly report?: (entries: number, total: number) => void) {}

  fileOpened(file: number, entries: number): void {
    this.#knownEntries += entries;
    this.#knownBytes += this.sizes[file] ?? 0;
  }

  /** Records how far into a CSV file the reader is: its entries are known only at its end. */
  bytes(file: number, bytes: number): void {
    this.#partial = { file, bytes };
  }

  fileDone(file: number): void {
    this.#knownBytes += this.sizes[file] ?? 0;
    this.#partial = { file: -1, bytes: 0 };
    this.#knownEntries = this.#done;
  }

  entries(count: number): void {
    this.#done += count;
    if (!this.report) return;
    const totalBytes = this.sizes.reduce((a, b) => a + b, 0);
    const knownBytes = this.#knownBytes + this.#partial.bytes;
    const knownEntries = Math.max(this.#knownEntries, this.#done);
    const perByte = knownBytes > 0 ? knownEntries / knownBytes : 0;
    const total = Math.round(knownEntries + (totalBytes - knownBytes) * perByte);
    this.report(this.#done, Math.max(total, this.#done));
  }
}

/** Reads flat columns over the whole chain into memory (for small samples, e.g. training sets). */
export async function readColumns(source: EventSource, columns: string[]):
  Promise<{ length: number; columns: Record<string, Float64Array>; files: string[] }> {
  const parts: Record<string, Float64Array[]> = Object.fromEntries(columns.map((c) => [c, []]));
  let length = 0;
  for await (const chunk of readChunks(source, columns)) {
    for (const name of columns) {
      const column = chunk.columns[name];
      if (isJagged(column)) {
        throw new InputError(`${chunk.file}: branch "${name}" is jagged (one array per event); `
          + 'only flat branches can be read as columns');
      }
      parts[name].push(column);
    }
    length += chunk.length;
  }
  return { length, columns: Object.fromEntries(columns.map((c) => [c, concatFloat64(parts[c], length)])),
    files: source.files };
}

/** Names of the branches (or CSV header columns) available in one file. */
export async function listBranches(file: string, tree = DEFAULT_TREE): Promise<string[]> {
  if (formatOf(file, {} as EventSource) === 'csv') return readCsvHeader(file);
  const opened = await openRootTree(file, tree);
  opened.close();
  return opened.branchNames;
}
