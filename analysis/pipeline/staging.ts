import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../core/log.ts';

/**
 * The folder a build writes into before anything moves into `results/` and `_site/`:
 * `<root>/.build-<id>/`, holding the process id of its build. It is removed when the build
 * ends, also on SIGINT and SIGTERM; one left by a killed build is removed by the next
 * build's `removeAbandoned`.
 */
export interface Staging {
  dir: string;
  /** Swaps the staged results of `reports` and the staged site into place. */
  moveIntoPlace(reports: string[]): Promise<void>;
  /** Removes the folder and the signal handlers. */
  release(): Promise<void>;
}

const PID_FILE = 'pid';
const PARKED_SITE = 'old-site';
const PARKED_RESULTS = 'old-results-';

export async function createStaging(root: string, log: Logger): Promise<Staging> {
  const dir = join(root, `.build-${randomBytes(4).toString('hex')}`);
  const onSignal = (signal: NodeJS.Signals) => {
    // Synchronous: the process exits right after, with the shell's code for the signal.
    rmSync(dir, { recursive: true, force: true });
    log.warn(`build interrupted by ${signal}; the previous results/ and _site/ are unchanged`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  // The handlers come first, so that no signal can arrive after the folder exists but
  // before it would be removed.
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, PID_FILE), String(process.pid));

  return {
    dir,
    moveIntoPlace: (reports) => moveIntoPlace(root, dir, reports),
    release: async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Swaps each folder in with two renames. The previous folder is parked in the staging
 * folder until its replacement is in, and is removed with the staging folder.
 */
async function moveIntoPlace(root: string, staging: string, reports: string[]): Promise<void> {
  await mkdir(join(root, 'results'), { recursive: true });
  const swap = async (from: string, to: string, parked: string) => {
    if (await isDirectory(to)) await rename(to, parked);
    await rename(from, to);
  };
  for (const report of reports) {
    await swap(join(staging, 'results', report), join(root, 'results', report),
      join(staging, `${PARKED_RESULTS}${report}`));
  }
  await swap(join(staging, '_site'), join(root, '_site'), join(staging, PARKED_SITE));
}

/**
 * Removes the staging folders of builds that no longer run (killed, or the machine
 * stopped). A build killed between the two renames of a swap left the previous folder
 * parked and none in its place: that folder is put back first.
 */
export function removeAbandoned(root: string, log: Logger): void {
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => name.startsWith('.build-'));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(root, name);
    if (isRunning(dir)) continue;
    for (const entry of readdirSync(dir)) {
      const target = entry === PARKED_SITE ? join(root, '_site')
        : entry.startsWith(PARKED_RESULTS) ? join(root, 'results', entry.slice(PARKED_RESULTS.length))
          : undefined;
      if (target && !existsSync(target)) {
        renameSync(join(dir, entry), target);
        log.warn(`restored ${target} from the interrupted build ${dir}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    log.info(`removed ${dir}, left by an interrupted build`);
  }
}

function isRunning(dir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, PID_FILE), 'utf8'));
  } catch {
    // No pid file: a folder from an older build, or one just being created. Only the
    // first is old enough to remove.
    try {
      return Date.now() - statSync(dir).mtimeMs < 60_000;
    } catch {
      return false;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
