import {
  access, chmod, constants, copyFile, mkdir, readdir, realpath, rename, rm, stat, writeFile,
} from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError } from '../core/errors.ts';
import { loadYamlFile, validate } from '../core/config.ts';
import { createLogger, type Logger } from '../core/log.ts';
import { describeFiles, hashFile, listFiles } from './tree.ts';
import { ACCESS_FILE, formatAccessFile } from './access.ts';

export interface PublishOptions {
  /** Folder holding content/, results/ and _site/. */
  root: string;
  report: string;
  /** Folder the report is published into, as `<to>/<report>/`; it must exist. */
  to: string;
  /** Compute and return the changes, and write nothing. */
  dryRun?: boolean;
  /** Address at which `to` is served; the report's page is `<baseUrl>/<report>/`. */
  baseUrl?: string;
  /** E-groups the published folder is restricted to; an empty list publishes it openly. */
  access?: { groups: string[] };
  log?: Logger;
}

/** Paths, relative to the published report folder, that a publish adds, changes or removes. */
export interface PublishChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

export interface PublishResult {
  /** The published report folder, `<to>/<report>`. */
  target: string;
  /** Address of the report's page, when a base URL is configured. */
  url: string | null;
  changes: PublishChanges;
  dryRun: boolean;
  /** The access-control file written (or, in a dry run, to be written). */
  accessFile: string | null;
}

/**
 * Milliseconds to wait after each copied file. Tests set it to interrupt a publish midway
 * through its copy; it is not meant for normal use.
 */
const FILE_DELAY_ENV = 'REPORT_PUBLISH_FILE_DELAY_MS';

const publishSchema = {
  type: 'object',
  properties: {
    base_url: { type: 'string', format: 'uri' },
    access_groups: { type: 'array', items: { type: 'string', minLength: 1 } },
  },
  additionalProperties: false,
};

/** One file of the report as it will be published: copied from the site or generated. */
type PlannedFile = { path: string; from: string } | { path: string; content: string };

/**
 * Copies `_site/<report>/` into `<to>/<report>/`. The copy goes into a hidden temporary
 * folder in `to`, which then replaces the published folder by two renames, so readers
 * never see a half-copied report and an interrupted copy leaves the previous version
 * whole. Other entries of `to` are not touched.
 */
export async function publishReport(options: PublishOptions): Promise<PublishResult> {
  const { root, report, to } = options;
  const log = options.log ?? createLogger('publish');
  checkReportName(report);
  const settings = await readPublishSettings(root, report, options);

  const source = join(root, '_site', report);
  const sitePaths = await listFiles(source);
  if (!sitePaths.includes('index.html')) {
    throw new InputError(`no built site for report '${report}': ${join(source, 'index.html')} ` +
      `not found; build it first (npm run report -- --report ${report})`);
  }
  await checkTarget(to);
  await checkOutsideTree(to, root);

  const planned: PlannedFile[] = sitePaths.map((path) => ({ path, from: join(source, path) }));
  const accessText = settings.groups.length > 0
    ? formatAccessFile(settings.groups, settings.groupsSource) : null;
  if (accessText !== null) {
    if (sitePaths.includes(ACCESS_FILE)) {
      throw new InputError(`${join(source, ACCESS_FILE)} exists, and publishing with access ` +
        'groups would replace it: remove it or publish without access groups');
    }
    planned.push({ path: ACCESS_FILE, content: accessText });
  }

  const target = join(to, report);
  const changes = await compareTrees(planned, target);
  const result: PublishResult = {
    target, url: settings.url, changes, dryRun: options.dryRun ?? false,
    accessFile: accessText === null ? null : join(target, ACCESS_FILE),
  };
  const summary = `${changes.added.length} added, ${changes.changed.length} changed, ` +
    `${changes.removed.length} removed`;
  if (options.dryRun) {
    log.info(`dry run of publishing ${report} to ${target}: ${summary}; nothing written`);
    return result;
  }

  await warnAboutLeftovers(to, report, log);
  const started = Date.now();
  const staging = await copyToStaging(planned, to, report, log);
  await swapIntoPlace(staging, target, report);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log.info(`published ${report} to ${target}: ${planned.length} files, ${summary} (${seconds} s)`);
  if (settings.url) log.info(`page: ${settings.url}`);
  return result;
}

function checkReportName(report: string): void {
  if (!report || report === '.' || report === '..' || /[\\/]/.test(report)) {
    throw new InputError(`invalid report name ${JSON.stringify(report)}: ` +
      'expected the name of a folder under content/');
  }
}

interface PublishSettings {
  url: string | null;
  groups: string[];
  /** Source of the groups (the option or the report.yaml key), for error messages. */
  groupsSource: string;
}

/**
 * Combines the options with the `publish:` block of `content/<report>/report.yaml`
 * (`base_url`, `access_groups`); options given to publishReport take precedence.
 */
async function readPublishSettings(root: string, report: string, options: PublishOptions):
  Promise<PublishSettings> {
  const configFile = join(root, 'content', report, 'report.yaml');
  const exists = await stat(configFile).then(() => true, () => false);
  const document = exists ? await loadYamlFile(configFile) : null;
  const block = document && typeof document === 'object'
    ? (document as Record<string, unknown>).publish : undefined;
  const config = block === undefined || block === null
    ? {}
    : validate<{ base_url?: string; access_groups?: string[] }>(publishSchema, block,
      `${configFile}: publish`);

  const baseUrl = options.baseUrl ?? config.base_url;
  const groups = options.access?.groups ?? config.access_groups ?? [];
  return {
    url: baseUrl === undefined ? null : pageUrl(baseUrl, report),
    groups,
    groupsSource: options.access ? 'access groups option' : `${configFile}: publish.access_groups`,
  };
}

function pageUrl(baseUrl: string, report: string): string {
  let base: URL;
  try {
    base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  } catch {
    throw new InputError(`invalid base URL ${JSON.stringify(baseUrl)}: ` +
      'expected an absolute address such as https://user.web.cern.ch/reports/');
  }
  return new URL(`${encodeURIComponent(report)}/`, base).href;
}

async function checkTarget(to: string): Promise<void> {
  const info = await stat(to).catch(() => null);
  if (!info) {
    throw new InputError(`publish target ${to} does not exist: create it (for a CERN web ` +
      'site, the EOS www folder the site is served from) or check the path');
  }
  if (!info.isDirectory()) throw new InputError(`publish target ${to} is not a folder`);
  try {
    await access(to, constants.W_OK);
  } catch {
    throw new InputError(`publish target ${to} is not writable by this user: check its permissions`);
  }
}

/** Folders of the report tree that a publish must not write into. */
const TREE_FOLDERS = ['_site', 'results', 'content'];

/**
 * Rejects a target inside (or equal to) the root's `_site/`, `results/` or `content/`:
 * publishing there nests the report in its own build output or rewrites the inputs. Both
 * paths are resolved through symbolic links first.
 */
async function checkOutsideTree(to: string, root: string): Promise<void> {
  const target = await realpath(to);
  for (const folder of TREE_FOLDERS) {
    const treeFolder = resolve(root, folder);
    const protectedFolder = await realpath(treeFolder).catch(() => treeFolder);
    const inside = relative(protectedFolder, target);
    if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
      const where = inside === '' ? 'is' : 'is inside';
      throw new InputError(`publish target ${to} ${where} ${treeFolder}/, which the report build ` +
        `${folder === 'content' ? 'reads' : 'writes'}: publish into a folder outside ` +
        '_site/, results/ and content/, such as the EOS www folder');
    }
  }
}

/** Lists how the planned files differ from what is published in `target` now. */
async function compareTrees(planned: PlannedFile[], target: string): Promise<PublishChanges> {
  const existing = new Set(await listFiles(target));
  const changes: PublishChanges = { added: [], changed: [], removed: [] };
  for (const file of planned) {
    if (!existing.delete(file.path)) {
      changes.added.push(file.path);
      continue;
    }
    const [current] = await describeFiles(target, [file.path]);
    const next = 'from' in file
      ? { size: (await stat(file.from)).size, sha256: await hashFile(file.from) }
      : { size: Buffer.byteLength(file.content), sha256: sha256(file.content) };
    if (current.size !== next.size || current.sha256 !== next.sha256) changes.changed.push(file.path);
  }
  changes.removed = [...existing].sort();
  return changes;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Finds folders that an interrupted publish of this report left in `to`, and names them. */
async function warnAboutLeftovers(to: string, report: string, log: Logger): Promise<void> {
  const prefix = `.${report}.`;
  const leftovers = (await readdir(to))
    .filter((name) => name.startsWith(prefix) && /^(publishing|previous)-/.test(name.slice(prefix.length)));
  const targetExists = await stat(join(to, report)).then(() => true, () => false);
  for (const name of leftovers) {
    const path = join(to, name);
    if (name.slice(prefix.length).startsWith('previous-') && !targetExists) {
      log.warn(`${join(to, report)} is missing and ${path} contains the version published before ` +
        `an interrupted publish: restore it with mv ${path} ${join(to, report)} if needed`);
    } else {
      log.warn(`${path} was left by an interrupted publish and can be removed`);
    }
  }
}

/**
 * Copies the planned files into a new hidden folder of `to`. Folders get mode 0777 and
 * files 0666, both less the umask (0755 and 0644 under the usual umask 022), whatever the
 * modes in `_site/`, so that a web server running as another user can read them.
 */
async function copyToStaging(planned: PlannedFile[], to: string, report: string,
  log: Logger): Promise<string> {
  const staging = join(to, `.${report}.publishing-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(staging);
  } catch (error) {
    throw new InputError(`cannot write to publish target ${to}: ` +
      `${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  // mkdir applies the umask, so the new folder's mode is 0777 less the umask.
  const folderMode = (await stat(staging)).mode & 0o777;
  const fileMode = folderMode & 0o666;
  if ((fileMode & 0o004) === 0) {
    log.warn(`the umask (${(0o777 & ~folderMode).toString(8).padStart(3, '0')}) leaves the ` +
      `published files unreadable by other users (mode ${fileMode.toString(8)}), so a web ` +
      'server running as another user cannot serve them; publish under umask 022 for that');
  }

  const delay = Number(process.env[FILE_DELAY_ENV] ?? 0);
  const progress = log.progress(`copying ${report}`, planned.length, 'files');
  try {
    for (const file of planned) {
      const destination = join(staging, file.path);
      await mkdir(dirname(destination), { recursive: true, mode: folderMode });
      if ('from' in file) await copyFile(file.from, destination);
      else await writeFile(destination, file.content);
      await chmod(destination, fileMode);
      progress.increment();
      if (delay > 0) await sleep(delay);
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    progress.stop();
  }
  return staging;
}

/**
 * Moves the published folder aside, renames the staging folder into its place, then
 * removes the old copy. If the second rename fails the old copy is moved back.
 *
 * NOTE: rename(2) cannot replace a non-empty folder, so between the two renames (a few
 * milliseconds on a local disk, longer on EOS) `target` does not exist and a reader gets
 * a 404 rather than a partial report.
 */
async function swapIntoPlace(staging: string, target: string, report: string): Promise<void> {
  const exists = await stat(target).then(() => true, () => false);
  const previous = exists
    ? join(dirname(target), `.${report}.previous-${randomBytes(6).toString('hex')}`) : null;
  if (previous) await rename(target, previous);
  try {
    await rename(staging, target);
  } catch (error) {
    if (previous) await rename(previous, target);
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  if (previous) await rm(previous, { recursive: true, force: true });
}
