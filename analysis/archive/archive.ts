import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { InputError } from '../core/errors.ts';
import { createLogger, type Logger } from '../core/log.ts';
import { describeFiles, listFiles, type FileRecord } from './tree.ts';
import {
  MANIFEST_FORMAT, checkManifest, findBackends, readGitState, readInputs, readPackageVersions,
  type Manifest,
} from './manifest.ts';

export type { Manifest } from './manifest.ts';

/** Repository holding this code; its package.json, lock file and git state go in manifests. */
const CODE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const MANIFEST_NAME = 'manifest.json';

export interface CreateArchiveOptions {
  /** Folder holding content/, results/ and _site/. */
  root: string;
  report: string;
  /** Folder of the `<report>/<version>.tar.gz` archives; default `<root>/archive`. */
  archiveDir?: string;
  log?: Logger;
}

/**
 * Writes `archive/<report>/<version>.tar.gz` with the report's results (JSON and kept
 * files), its built site and slides, its whole content folder, and `manifest.json`.
 * Study inputs outside `content/<report>/` (event samples on EOS, say) are recorded in
 * the manifest by size and SHA-256 but not archived. Versions count up from 1 and an existing archive is never
 * replaced.
 */
export async function createArchive(options: CreateArchiveOptions):
  Promise<{ file: string; version: number; manifest: Manifest }> {
  const { root, report } = options;
  const log = options.log ?? createLogger('archive');
  const resultsDir = `results/${report}`;
  const siteDir = `_site/${report}`;
  const contentDir = `content/${report}`;

  const resultPaths = await listFiles(join(root, resultsDir));
  if (resultPaths.length === 0) {
    throw new InputError(`no results for report '${report}' in ${join(root, resultsDir)}: ` +
      `build the report first (npm run report -- --report ${report})`);
  }
  const sitePaths = await listFiles(join(root, siteDir));
  if (sitePaths.length === 0) {
    throw new InputError(`no built site for report '${report}' in ${join(root, siteDir)}: ` +
      `build the report first (npm run report -- --report ${report})`);
  }
  if (!sitePaths.includes('slides.pdf')) log.warn(`${siteDir}/slides.pdf not found; archiving without slides`);

  // The content folder goes in whole: archived-results tables in it are inputs too, and a
  // rebuild from the archive needs them.
  const inputs = await readInputs(join(root, resultsDir, 'inputs.json'));
  const contentPaths = (await listFiles(join(root, contentDir))).map((path) => `${contentDir}/${path}`);

  const paths = [
    ...resultPaths.map((path) => `${resultsDir}/${path}`),
    ...sitePaths.map((path) => `${siteDir}/${path}`),
    ...contentPaths,
  ].sort();
  const progress = log.progress(`hashing ${paths.length} files`, paths.length, 'files');
  const files = await describeFiles(root, paths, () => progress.increment());
  progress.stop();

  const studyResults = await Promise.all(resultPaths
    .filter((path) => path.endsWith('.json') && !path.includes('/') && path !== 'inputs.json')
    .map(async (path) => JSON.parse(await readFile(join(root, resultsDir, path), 'utf8'))));
  const backends = findBackends(studyResults);
  const environment = {
    ...await readPackageVersions(CODE_ROOT),
    backend: backends.length > 0 ? backends.join(', ') : 'none',
    node: process.version,
    git: await readGitState(CODE_ROOT),
  };

  const folder = join(options.archiveDir ?? join(root, 'archive'), report);
  const { version, reservation } = await reserveVersion(folder);
  const file = join(folder, `${version}.tar.gz`);
  const manifest: Manifest = {
    format: MANIFEST_FORMAT, report, version, created: new Date().toISOString(),
    files, inputs, ...environment,
  };
  const temporary = join(folder, `.${version}.tar.gz.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeTarball(temporary, root, manifest);
    await rename(temporary, file);
  } finally {
    await rm(temporary, { force: true });
    await rm(reservation, { force: true });
  }

  const bytes = (await stat(file)).size;
  const total = files.reduce((sum, record) => sum + record.size, 0);
  log.info(`archived ${report} version ${version}: ${files.length} files, ` +
    `${formatBytes(total)} (${formatBytes(bytes)} compressed) in ${file}`);
  return { file, version, manifest };
}

/**
 * Claims the next free version number in `folder` by creating `.<version>.reserved`
 * exclusively, so concurrent runs cannot claim the same number. The reservation is
 * removed once `<version>.tar.gz` exists; a run killed in between leaves it behind and
 * that version number is skipped from then on.
 */
async function reserveVersion(folder: string): Promise<{ version: number; reservation: string }> {
  await mkdir(folder, { recursive: true });
  const usedVersions = (await readdir(folder))
    .map((name) => /^\.?(\d+)\.(?:tar\.gz|reserved)$/.exec(name)?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number);
  for (let version = Math.max(0, ...usedVersions) + 1; ; version++) {
    const reservation = join(folder, `.${version}.reserved`);
    try {
      const handle = await open(reservation, 'wx');
      await handle.close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    const archived = await stat(join(folder, `${version}.tar.gz`)).then(() => true, () => false);
    if (!archived) return { version, reservation };
    await rm(reservation, { force: true });
  }
}

/** Writes a gzipped tarball: manifest.json first, then the manifest's files from `root`. */
async function writeTarball(file: string, root: string, manifest: Manifest): Promise<void> {
  const pack = new tar.Pack({ cwd: root, gzip: true, portable: true, strict: true });
  const output = pipeline(pack, createWriteStream(file, { flags: 'wx' }));

  const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const header = new tar.Header({
    path: MANIFEST_NAME, type: 'File', size: body.length, mode: 0o644, mtime: new Date(manifest.created),
  });
  const entry = new tar.ReadEntry(header);
  pack.add(entry);
  entry.end(body);
  for (const record of manifest.files) pack.add(record.path);
  pack.end();
  await output;
}

/**
 * Extracts an archive into `destination` (results/, _site/ and content/ of one report)
 * and checks every file against its manifest first. The archive is unpacked into a hidden
 * folder inside `destination`, and no file is moved to its place until all files match. Rejects with an InputError naming the first file that does not
 * match, a file the manifest does not list, or an entry whose path would leave
 * `destination`.
 */
export async function extractArchive(file: string, destination: string): Promise<Manifest> {
  await mkdir(destination, { recursive: true });
  const staging = await mkdtemp(join(destination, '.archive-extract-'));
  try {
    await unpack(file, staging);
    const manifest = await readManifest(file, staging);
    await verifyFiles(file, staging, manifest.files);
    for (const record of manifest.files) {
      const target = join(destination, record.path);
      await mkdir(dirname(target), { recursive: true });
      await rename(join(staging, record.path), target);
    }
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function unpack(file: string, staging: string): Promise<void> {
  const rejected: string[] = [];
  try {
    await tar.x({
      file,
      cwd: staging,
      strict: true,
      preserveOwner: false,
      filter: (path, entry) => {
        const type = 'type' in entry ? entry.type : 'File';
        if (type !== 'File' && type !== 'Directory' && type !== 'OldFile' && type !== 'ContiguousFile') {
          rejected.push(`${path} (${type} entry)`);
          return false;
        }
        if (!isInside(path)) {
          rejected.push(`${path} (path leaves the destination)`);
          return false;
        }
        return true;
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`archive ${file} not found`);
    throw new InputError(`archive ${file} is damaged: ${(error as Error).message}`, { cause: error });
  }
  if (rejected.length > 0) {
    throw new InputError(`archive ${file} rejected: entry ${rejected[0]}` +
      (rejected.length > 1 ? ` and ${rejected.length - 1} more` : ''));
  }
}

/** True when a path from an archive stays below the folder it is extracted into. */
function isInside(path: string): boolean {
  if (isAbsolute(path) || /^[a-zA-Z]:/.test(path)) return false;
  const normalized = posix.normalize(path.replace(/\\/g, '/'));
  return normalized !== '..' && !normalized.startsWith('../');
}

async function readManifest(file: string, staging: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(join(staging, MANIFEST_NAME), 'utf8');
  } catch {
    throw new InputError(`archive ${file} is damaged: it contains no ${MANIFEST_NAME}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`archive ${file} is damaged: ${MANIFEST_NAME} is invalid JSON ` +
      `(${(error as Error).message})`);
  }
  const manifest = checkManifest(parsed, file);
  const escaping = manifest.files.find((record) => !isInside(record.path));
  if (escaping) {
    throw new InputError(`archive ${file} rejected: ${MANIFEST_NAME} lists ${escaping.path}, ` +
      'whose path leaves the destination');
  }
  return manifest;
}

async function verifyFiles(file: string, staging: string, expected: FileRecord[]): Promise<void> {
  const extracted = new Set((await listFiles(staging)).filter((path) => path !== MANIFEST_NAME));
  for (const record of expected) {
    if (!extracted.delete(record.path)) {
      throw new InputError(`archive ${file} is damaged: ${record.path} is listed in ` +
        `${MANIFEST_NAME} but missing from the archive`);
    }
    const [actual] = await describeFiles(staging, [record.path]);
    if (actual.size !== record.size || actual.sha256 !== record.sha256) {
      throw new InputError(`archive ${file} is damaged: ${record.path} does not match ` +
        `${MANIFEST_NAME} (expected ${record.size} bytes, SHA-256 ${record.sha256}; ` +
        `found ${actual.size} bytes, SHA-256 ${actual.sha256})`);
    }
  }
  const [unlisted] = [...extracted].sort();
  if (unlisted !== undefined) {
    throw new InputError(`archive ${file} is damaged: ${unlisted} is not listed in ${MANIFEST_NAME}`);
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

