import type { Logger } from '../core/log.ts';

/**
 * Initialises the tfjs backend of the main thread on first use and logs it once; the
 * choice (`REPORT_BACKEND`, set by `--backend`) reaches the worker threads through the
 * environment. tfjs is loaded only by reports that train or evaluate networks.
 */
export async function chooseBackend(log: Logger): Promise<string> {
  const { initBackend, requestedBackend } = await import('../learning/backend.ts');
  return initBackend(requestedBackend(), (line) => log.info(line));
}
