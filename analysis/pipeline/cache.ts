import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface InputRecord {
  /** Path relative to the build root (the repository), '/'-separated. */
  path: string;
  size: number;
  sha256: string;
}

const ANALYSIS_DIR = fileURLToPath(new URL('..', import.meta.url));
/** Folders of analysis/ whose code cannot change a study's result. */
const NOT_ANALYSIS_CODE = new Set(['render', 'pipeline', 'archive']);
/** Presentation modules (`present.ts`, `present-*.ts`) only turn results into blocks. */
const PRESENTATION_FILE = /^present[^/\\]*\.ts$/;

/** SHA-256 of a file's content, hex, read as a stream. */
export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

const fileHashes = new Map<string, Promise<InputRecord>>();

/** Size and SHA-256 of an input file, computed once per process for each path. */
export function describeInput(file: string, root: string): Promise<InputRecord> {
  let record = fileHashes.get(file);
  if (!record) {
    record = (async () => ({
      path: relative(root, file).split('\\').join('/'),
      size: (await stat(file)).size,
      sha256: await hashFile(file),
    }))();
    fileHashes.set(file, record);
  }
  return record;
}

let codeHash: Promise<string> | undefined;

/**
 * Hash of the analysis code that studies run: every source file under analysis/ except
 * the renderers, the pipeline, the archive code and the presentation modules, whose
 * changes leave results as they are. A study's own module (`analysis/studies/*.ts`) is
 * hashed whole, its present() included.
 */
export function analysisCodeHash(): Promise<string> {
  codeHash ??= (async () => {
    const hash = createHash('sha256');
    const files = (await listFiles(ANALYSIS_DIR))
      .filter((file) => !NOT_ANALYSIS_CODE.has(relative(ANALYSIS_DIR, file).split(/[\\/]/)[0]))
      .filter((file) => !PRESENTATION_FILE.test(basename(file)))
      .sort();
    for (const file of files) {
      hash.update(relative(ANALYSIS_DIR, file));
      hash.update('\0');
      hash.update(await readFile(file));
      hash.update('\0');
    }
    return hash.digest('hex');
  })();
  return codeHash;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(path);
    return Promise.resolve(/\.(ts|mjs|js|json)$/.test(entry.name) ? [path] : []);
  }));
  return nested.flat();
}

/** Computes the cache key of one study run from its kind, config, inputs, code and dependencies only. */
export function cacheKey(parts: {
  kind: string;
  config: unknown;
  inputs: InputRecord[];
  code: string;
  dependencies: string[];
}): string {
  const inputs = parts.inputs.map(({ path, sha256 }) => [path, sha256]);
  return createHash('sha256')
    .update(JSON.stringify([parts.kind, parts.config, inputs, parts.code, parts.dependencies]))
    .digest('hex');
}
