import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { InputError } from '../core/errors.ts';
import { hashFile, type FileRecord } from './tree.ts';

const run = promisify(execFile);

/** Version of the manifest layout; a reader rejects a manifest with another version. */
export const MANIFEST_FORMAT = 1;

/** Input file of a study, as recorded by the pipeline in `results/<report>/inputs.json`. */
export interface InputRecord extends FileRecord {
  /** Name of the study that read the file. */
  study: string;
}

/**
 * Contents of `manifest.json` at the top of an archive: the files of the archive and the
 * environment the results were produced in.
 */
export interface Manifest {
  format: number;
  report: string;
  version: number;
  /** ISO 8601 time the archive was written. */
  created: string;
  /** Every file of the archive except `manifest.json`, sorted by path. */
  files: FileRecord[];
  /** Input files of the studies; their paths are relative to the repository root. */
  inputs: InputRecord[];
  /** Installed version of each package named in package.json (missing optional ones left out). */
  packages: Record<string, string>;
  /** SHA-256 of package-lock.json, which pins the whole dependency tree; null without one. */
  packageLockSha256: string | null;
  /** tfjs backends named in the results (`wasm`, `tensorflow`), comma-separated, or `none`. */
  backend: string;
  /** `process.version` of the Node that wrote the archive. */
  node: string;
  /** Commit of the code that wrote the archive; null outside a git checkout. */
  git: { commit: string; dirty: boolean } | null;
}

interface InputsFile {
  studies?: { study: string; inputs?: { path: string; size: number; sha256: string }[] }[];
}

/** Reads the pipeline's input manifest; a missing file gives no inputs. */
export async function readInputs(file: string): Promise<InputRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let parsed: InputsFile;
  try {
    parsed = JSON.parse(text) as InputsFile;
  } catch (error) {
    throw new InputError(`${file}: invalid JSON: ${(error as Error).message}`);
  }
  return (parsed.studies ?? []).flatMap((entry) =>
    (entry.inputs ?? []).map(({ path, size, sha256 }) => ({ study: entry.study, path, size, sha256 })));
}

/**
 * Collects the versions of the packages named in `codeRoot/package.json`, from
 * package-lock.json where it lists them, else from the installed node_modules.
 */
export async function readPackageVersions(codeRoot: string):
  Promise<{ packages: Record<string, string>; packageLockSha256: string | null }> {
  const manifest = JSON.parse(await readFile(join(codeRoot, 'package.json'), 'utf8'));
  const names = Object.keys({
    ...manifest.dependencies, ...manifest.devDependencies, ...manifest.optionalDependencies,
  }).sort();

  const lockFile = join(codeRoot, 'package-lock.json');
  const lock = await readFile(lockFile, 'utf8').then((text) => JSON.parse(text), () => null);
  const packages: Record<string, string> = {};
  for (const name of names) {
    const installed = await readFile(join(codeRoot, 'node_modules', name, 'package.json'), 'utf8')
      .then((text) => JSON.parse(text).version as string, () => undefined);
    // An optional package that failed to install is still listed in the lock file.
    const version = installed ?? (lock && !isOptional(manifest, name)
      ? lock.packages?.[`node_modules/${name}`]?.version : undefined);
    if (version) packages[name] = version;
  }
  return { packages, packageLockSha256: lock ? await hashFile(lockFile) : null };
}

function isOptional(manifest: { optionalDependencies?: object }, name: string): boolean {
  return Object.hasOwn(manifest.optionalDependencies ?? {}, name);
}

/** Reads the commit of a git checkout and whether its tracked files differ from it. */
export async function readGitState(dir: string): Promise<Manifest['git']> {
  try {
    const { stdout: commit } = await run('git', ['-C', dir, 'rev-parse', 'HEAD']);
    const { stdout: status } = await run('git',
      ['-C', dir, 'status', '--porcelain', '--untracked-files=no']);
    return { commit: commit.trim(), dirty: status.trim().length > 0 };
  } catch {
    return null;
  }
}

/**
 * Finds the tfjs backends recorded in study results: string values of a `backend` key
 * at the top level of a result or up to two levels below it.
 */
export function findBackends(results: unknown[]): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, depth: number) => {
    if (depth > 2 || value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'backend' && typeof child === 'string') found.add(child);
      else visit(child, depth + 1);
    }
  };
  for (const result of results) visit(result, 0);
  return [...found].sort();
}

/** Checks that a parsed `manifest.json` has the fields a reader relies on. */
export function checkManifest(value: unknown, archive: string): Manifest {
  const manifest = value as Partial<Manifest> | null;
  if (!manifest || typeof manifest !== 'object') {
    throw new InputError(`${archive}: manifest.json is not a JSON object`);
  }
  if (manifest.format !== MANIFEST_FORMAT) {
    throw new InputError(`${archive}: manifest.json has format ${manifest.format}, ` +
      `this version reads format ${MANIFEST_FORMAT}`);
  }
  const files = manifest.files;
  const valid = Array.isArray(files) && files.every((file) =>
    typeof file?.path === 'string' && typeof file.size === 'number' &&
    typeof file.sha256 === 'string');
  if (!valid || typeof manifest.report !== 'string') {
    throw new InputError(`${archive}: manifest.json lacks a valid report name or file list`);
  }
  return manifest as Manifest;
}
