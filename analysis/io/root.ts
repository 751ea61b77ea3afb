import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { openFile, FileProxy } from 'jsroot';
import { TBuffer } from 'jsroot/io';
import { treeProcess, TSelector } from 'jsroot/tree';
import { InputError } from '../core/errors.ts';
import { closestNames } from './names.ts';
import { readDirect } from './baskets.ts';
import { ColumnBuilder, JaggedBuilder } from './builders.ts';
import type { Chunk } from './events.ts';

/** An opened TTree: jsroot's tree object and what the reader needs to know about it. */
export interface RootTree {
  file: string;
  treeName: string;
  entries: number;
  /** File size in bytes. */
  size: number;
  /** Every branch name, sub-branches included, in the order of the tree. */
  branchNames: string[];
  /** jsroot's branch objects by name. */
  branches: Map<string, any>;
  tree: any;
  /** Bytes of the file at a position, read synchronously. */
  readBytes(position: number, length: number): DataView;
  /** Closes the file descriptor; the tree cannot be read afterwards. */
  close(): void;
}

/**
 * Local file access for jsroot with synchronous positioned reads. jsroot's own Node file
 * class (7.11) issues one asynchronous read per basket and never closes its descriptor.
 * This proxy closes it, so a long chain does not run out of descriptors.
 */
class LocalFileProxy extends FileProxy {
  #fd = -1;
  #size = 0;

  constructor(private readonly path: string) {
    super();
  }

  async openFile(): Promise<boolean> {
    this.#fd = openSync(this.path, 'r');
    this.#size = fstatSync(this.#fd).size;
    return true;
  }

  getFileName(): string { return this.path; }

  getFileSize(): number { return this.#size; }

  async readBuffer(position: number, length: number): Promise<DataView> {
    return this.read(position, length);
  }

  async readBuffers(places: number[]): Promise<DataView[]> {
    const views: DataView[] = [];
    for (let k = 0; k < places.length; k += 2) views.push(this.read(places[k], places[k + 1]));
    return views;
  }

  closeFile(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }

  read(position: number, length: number): DataView {
    if (this.#fd < 0) throw new Error(`${this.path} is closed`);
    if (position < 0 || position + length > this.#size) {
      throw new Error(`read of ${length} bytes at ${position} is beyond the end (${this.#size} bytes)`);
    }
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const count = readSync(this.#fd, buffer, done, length - done, position + done);
      if (count === 0) throw new Error(`unexpected end of file at ${position + done}`);
      done += count;
    }
    return new DataView(buffer.buffer, buffer.byteOffset, length);
  }
}

/** Opens `file` and reads its tree; a missing file or tree or a corrupt file is an InputError. */
export async function openRootTree(file: string, treeName: string): Promise<RootTree> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw new InputError(`cannot read ROOT file ${file}: ${(error as NodeJS.ErrnoException).code}`);
  }

  checkHeader(file, size);
  const proxy = new LocalFileProxy(file);
  let rootFile: any;
  try {
    rootFile = await openFile(proxy);
  } catch (error) {
    proxy.closeFile();
    throw corrupt(file, error);
  }
  if (rootFile) useNativeZlib(rootFile);
  try {
    const tree = await readTree(rootFile, file, size, treeName);
    return { ...tree, readBytes: (position, length) => proxy.read(position, length),
      close: () => proxy.closeFile() };
  } catch (error) {
    proxy.closeFile();
    throw error;
  }
}

async function readTree(rootFile: any, file: string, size: number, treeName: string):
  Promise<Omit<RootTree, 'readBytes' | 'close'>> {
  if (!rootFile) throw new InputError(`cannot read ROOT file ${file}: not a ROOT file`);
  if (Number(rootFile.fEND) > size) {
    throw new InputError(`cannot read ROOT file ${file}: truncated, ${size} bytes `
      + `of the ${rootFile.fEND} its header gives`);
  }
  const keyNames: string[] = (rootFile.fKeys ?? []).map((key: any) => key.fName);
  if (!treeName.includes('/') && !keyNames.includes(treeName)) {
    throw new InputError(`${file}: tree "${treeName}" not found (${closestNames(treeName, keyNames)})`);
  }

  let tree: any;
  try {
    tree = await rootFile.readObject(treeName);
  } catch (error) {
    throw new InputError(`${file}: cannot read tree "${treeName}": ${(error as Error).message}`,
      { cause: error });
  }
  if (!tree || tree._typename !== 'TTree' && tree._typename !== 'TNtuple' && tree._typename !== 'TNtupleD') {
    throw new InputError(`${file}: "${treeName}" is a ${tree?._typename ?? 'unreadable object'}, not a TTree`);
  }

  const branches = new Map<string, any>();
  const visit = (list: any[]) => {
    for (const branch of list) {
      if (!branches.has(branch.fName)) branches.set(branch.fName, branch);
      visit(branch.fBranches?.arr ?? []);
    }
  };
  visit(tree.fBranches?.arr ?? []);
  return {
    file, treeName, entries: Number(tree.fEntries), size, branchNames: [...branches.keys()], branches,
    tree,
  };
}

/**
 * Makes jsroot decompress zlib objects (the TTree itself, which is most of the cost of
 * opening a NanoAOD file) with Node's native zlib instead of its JavaScript inflate.
 * Objects stored otherwise (LZMA, LZ4, ZSTD, uncompressed) and any block that native zlib
 * rejects go through jsroot's own path. Baskets are always read by jsroot.
 */
function useNativeZlib(rootFile: any): void {
  const original = rootFile.readObjBuffer.bind(rootFile);
  rootFile.readObjBuffer = async (key: any) => {
    const stored = key.fNbytes - key.fKeylen;
    if (key.fObjlen <= stored) return original(key);
    const blob: DataView = await rootFile.readBuffer([key.fSeekKey + key.fKeylen, stored]);
    const data = inflateRootBlocks(blob, key.fObjlen);
    if (!data) return original(key);
    const buffer = new TBuffer(data, 0, rootFile);
    buffer.fTagOffset = key.fKeylen;
    return buffer;
  };
}

/**
 * Inflates a ROOT compressed object made only of zlib blocks, each with a 9-byte header:
 * `ZL`, the method byte 8, then the compressed and the uncompressed size (3 bytes each,
 * little-endian). Returns null for any other block, so that jsroot handles it.
 */
function inflateRootBlocks(view: DataView, objectLength: number): DataView | null {
  const source = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  const target = Buffer.allocUnsafe(objectLength);
  let position = 0;
  let done = 0;
  while (done < objectLength) {
    if (position + 9 > source.length) return null;
    const isZlib = source[position] === 0x5a && source[position + 1] === 0x4c
      && source[position + 2] === 8;
    if (!isZlib) return null;
    const compressed = source[position + 3] | (source[position + 4] << 8) | (source[position + 5] << 16);
    const expanded = source[position + 6] | (source[position + 7] << 8) | (source[position + 8] << 16);
    let block: Buffer;
    try {
      block = inflateSync(source.subarray(position + 9, position + 9 + compressed));
    } catch {
      return null;
    }
    if (block.length !== expanded || done + expanded > objectLength) return null;
    block.copy(target, done);
    done += expanded;
    position += 9 + compressed;
  }
  return new DataView(target.buffer, target.byteOffset, objectLength);
}

/**
 * Checks the ROOT file header: the magic `root`, then (big-endian) the format version, the
 * start of the first record and the end of the file, 32-bit or, from version 1000000 on,
 * 64-bit. A file shorter than the end it records was truncated.
 */
function checkHeader(file: string, size: number): void {
  const header = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  let count: number;
  try {
    count = readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (count < 16 || header.toString('latin1', 0, 4) !== 'root') {
    throw new InputError(`cannot read ROOT file ${file}: not a ROOT file (no "root" magic bytes)`);
  }
  const version = header.readInt32BE(4);
  const end = version >= 1_000_000 && count >= 20 ? Number(header.readBigInt64BE(12))
    : header.readInt32BE(12);
  if (end > size) {
    throw new InputError(`cannot read ROOT file ${file}: truncated, ${size} bytes of the ${end} `
      + 'its header gives');
  }
}

function corrupt(file: string, error: unknown): InputError {
  const reason = error instanceof Error ? error.message : String(error);
  return new InputError(`cannot read ROOT file ${file} (truncated or corrupt?): ${reason}`,
    { cause: error });
}

/** Checks that every name is a branch of the tree, naming the closest ones otherwise. */
export function checkBranches(tree: RootTree, branches: string[]): void {
  const known = new Set(tree.branchNames);
  for (const branch of branches) {
    if (!known.has(branch)) {
      throw new InputError(`${tree.file}: tree "${tree.treeName}" has no branch "${branch}" `
        + `(${closestNames(branch, tree.branchNames)})`);
    }
  }
}

/**
 * Orders branches so that a counter branch (`nJet`) comes before the jagged branches that it
 * sizes (`Jet_pt[nJet]`): jsroot cannot read a counter it has already set up for a jagged one.
 */
function counterFirst(tree: RootTree, branches: string[]): string[] {
  const counters = new Set<string>();
  for (const name of branches) {
    const branch = tree.branches.get(name);
    const counter = branch?.fLeaves?.arr?.[0]?.fLeafCount?.fName;
    if (counter) counters.add(counter);
  }
  return [...branches.filter((b) => counters.has(b)), ...branches.filter((b) => !counters.has(b))];
}

/**
 * Reads entries [first, first + count) of the named branches. Scalars (numbers, booleans
 * as 0/1) become flat columns; arrays, whether sized by a counter or fixed, become jagged.
 * Plain NanoAOD-like branches in zlib or uncompressed baskets are decoded directly
 * (baskets.ts), and everything else goes through jsroot's selector.
 */
export async function readRootRange(tree: RootTree, branches: string[], first: number,
  count: number): Promise<Chunk> {
  return readDirect(tree, branches, first, count)
    ?? readWithSelector(tree, branches, first, count);
}

/** Reads entries [first, first + count) through jsroot's TSelector, one entry at a time. */
export async function readWithSelector(tree: RootTree, branches: string[], first: number,
  count: number): Promise<Chunk> {
  const ordered = counterFirst(tree, branches);
  const builders = new Map<string, ColumnBuilder | JaggedBuilder>();
  const selector = new TSelector();
  for (const name of ordered) selector.addBranch(name);

  let row = 0;
  let failure: Error | null = null;
  selector.Process = function process(this: { tgtobj: Record<string, unknown> }) {
    if (failure) return;
    for (const name of ordered) {
      const value = this.tgtobj[name];
      let builder = builders.get(name);
      if (!builder) {
        builder = isArrayLike(value) ? new JaggedBuilder(count) : new ColumnBuilder(count);
        builders.set(name, builder);
      }
      if (!builder.push(value)) {
        failure = new InputError(`${tree.file}: branch "${name}" of tree "${tree.treeName}" `
          + `holds ${describe(value)} at entry ${first + row}, not numbers`);
        selector.Abort();
        return;
      }
    }
    row += 1;
  };

  checkBaskets(tree, ordered, first, count);
  let failRead: (error: unknown) => void = () => {};
  const finished = new Promise<boolean>((resolve, reject) => {
    selector.Terminate = (ok: boolean) => resolve(ok);
    failRead = reject;
  });
  try {
    watchDetachedErrors(failRead);
    await Promise.race([
      treeProcess(tree.tree, selector, { firstentry: first, numentries: count }),
      finished,
    ]);
    const ok = await finished;
    if (failure) throw failure;
    if (!ok || row !== count) {
      throw new Error(`read ${row} of the ${count} entries from ${first}`);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw corrupt(tree.file, error);
  } finally {
    unwatchDetachedErrors(failRead);
  }

  const columns: Chunk['columns'] = {};
  for (const name of branches) columns[name] = builders.get(name)!.finish();
  return { file: tree.file, firstEntry: first, length: count, columns };
}

/**
 * Checks the key header of every basket that a read of [first, first + count) will use:
 * its byte count must match the one the branch records, and it must lie inside the file.
 * jsroot does not reject such damage cleanly (see below), so it is caught here first.
 */
function checkBaskets(tree: RootTree, names: string[], first: number, count: number): void {
  const branches = new Set<any>();
  for (const name of names) {
    const branch = tree.branches.get(name);
    branches.add(branch);
    const counter = branch?.fLeaves?.arr?.[0]?.fLeafCount?.fName;
    if (counter && tree.branches.has(counter)) branches.add(tree.branches.get(counter));
  }
  const size = tree.size;
  for (const branch of branches) {
    const written = Number(branch?.fWriteBasket ?? 0);
    for (let k = 0; k < written; k++) {
      const start = Number(branch.fBasketEntry[k]);
      const end = k + 1 < branch.fBasketEntry.length ? Number(branch.fBasketEntry[k + 1]) : Infinity;
      if (end <= first || start >= first + count) continue;
      const seek = Number(branch.fBasketSeek[k]);
      const bytes = Number(branch.fBasketBytes[k]);
      const where = `branch "${branch.fName}", basket ${k} at byte ${seek}`;
      if (seek <= 0 || seek + bytes > size) {
        throw new InputError(`cannot read ROOT file ${tree.file}: ${where} lies beyond the end `
          + `of the file (${size} bytes); truncated?`);
      }
      const recorded = tree.readBytes(seek, 4).getInt32(0);
      if (recorded !== bytes) {
        throw new InputError(`cannot read ROOT file ${tree.file} (corrupt?): ${where} has a key `
          + `of ${recorded} bytes where the branch records ${bytes}`);
      }
    }
  }
}

/**
 * jsroot 7.11 reads baskets in a promise chain that treeProcess does not return, so a
 * corrupt basket surfaces as an unhandled rejection rather than as a failed read. While a
 * read is running, such rejections coming from jsroot fail the running reads. Any other
 * unhandled rejection is rethrown, so Node still exits on it as by default.
 */
const runningReads = new Set<(error: unknown) => void>();

function onUnhandledRejection(reason: unknown): void {
  const stack = reason instanceof Error ? reason.stack ?? '' : '';
  if (!/jsroot[\\/]modules/.test(stack) || runningReads.size === 0) throw reason;
  for (const fail of runningReads) fail(reason);
}

function watchDetachedErrors(fail: (error: unknown) => void): void {
  if (runningReads.size === 0) process.on('unhandledRejection', onUnhandledRejection);
  runningReads.add(fail);
}

function unwatchDetachedErrors(fail: (error: unknown) => void): void {
  runningReads.delete(fail);
  if (runningReads.size === 0) process.off('unhandledRejection', onUnhandledRejection);
}

function isArrayLike(value: unknown): boolean {
  return Array.isArray(value) || ArrayBuffer.isView(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'no value';
  if (typeof value === 'object') return `an object (${(value as any)._typename ?? value.constructor?.name})`;
  return `a ${typeof value}`;
}
