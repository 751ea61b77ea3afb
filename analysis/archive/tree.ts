import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import fg from 'fast-glob';

/** One file of a folder tree or an archive, with its path relative to the tree's root. */
export interface FileRecord {
  /** POSIX path relative to the root of the tree (`results/demo/cuts.json`). */
  path: string;
  /** Size in bytes. */
  size: number;
  /** SHA-256 of the content, lowercase hex. */
  sha256: string;
}

/** Computes the SHA-256 of a file by streaming it, so large model files stay out of memory. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Lists the regular files under `dir` (hidden ones included), as sorted POSIX paths
 * relative to `dir`. A missing folder gives an empty list.
 */
export async function listFiles(dir: string): Promise<string[]> {
  const exists = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!exists) return [];
  const paths = await fg.glob('**/*', { cwd: dir, dot: true, onlyFiles: true });
  return paths.sort();
}

/** Measures and hashes files given by paths relative to `root`, in the order given. */
export async function describeFiles(root: string, paths: string[],
  onFile?: (record: FileRecord) => void): Promise<FileRecord[]> {
  const records: FileRecord[] = [];
  for (const path of paths) {
    const absolute = join(root, path);
    const { size } = await stat(absolute);
    const record = { path, size, sha256: await hashFile(absolute) };
    records.push(record);
    onFile?.(record);
  }
  return records;
}
