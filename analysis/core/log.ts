import createDebug from 'debug';
import cliProgress from 'cli-progress';

/**
 * Report log: one line per step on stderr, with its figures. Detail goes to namespaced
 * debug output (`DEBUG=report:*`), silent unless asked for.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /** A logger whose lines start with `[name]`. */
  child(name: string): Logger;
  /** A progress bar on a terminal, plain periodic lines elsewhere. */
  progress(label: string, total: number, unit?: string): Progress;
}

export interface Progress {
  update(done: number): void;
  increment(step?: number): void;
  stop(): void;
}

/** Seconds between plain progress lines when stderr is not a terminal. */
const PLAIN_PROGRESS_INTERVAL_S = 10;

export function createLogger(prefix = '', stream: NodeJS.WriteStream = process.stderr): Logger {
  const tag = prefix ? `[${prefix}] ` : '';
  const debugOut = createDebug(`report:${prefix || 'main'}`);
  const quiet = process.env.REPORT_QUIET === '1';
  return {
    info: (message) => { if (!quiet) stream.write(`${tag}${message}\n`); },
    warn: (message) => { stream.write(`${tag}warning: ${message}\n`); },
    debug: (message) => debugOut(message),
    child: (name) => createLogger(prefix ? `${prefix}:${name}` : name, stream),
    progress: (label, total, unit = '') =>
      stream.isTTY && !quiet
        ? terminalProgress(`${tag}${label}`, total, unit, stream)
        : plainProgress(`${tag}${label}`, total, unit, quiet ? null : stream),
  };
}

function terminalProgress(label: string, total: number, unit: string,
  stream: NodeJS.WriteStream): Progress {
  const bar = new cliProgress.SingleBar({
    format: `${label} [{bar}] {value}/{total} ${unit} {percentage}% ETA {eta_formatted}`,
    stream,
    hideCursor: true,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  let done = 0;
  return {
    update: (value) => { done = value; bar.update(value); },
    increment: (step = 1) => { done += step; bar.update(done); },
    stop: () => bar.stop(),
  };
}

function plainProgress(label: string, total: number, unit: string,
  stream: NodeJS.WriteStream | null): Progress {
  const start = Date.now();
  let last = start;
  let done = 0;
  const maybePrint = () => {
    const now = Date.now();
    if (stream && now - last >= PLAIN_PROGRESS_INTERVAL_S * 1000) {
      last = now;
      const percent = total > 0 ? Math.round((100 * done) / total) : 0;
      stream.write(`${label}: ${done}/${total} ${unit} (${percent}%, ${((now - start) / 1000).toFixed(0)} s)\n`);
    }
  };
  return {
    update: (value) => { done = value; maybePrint(); },
    increment: (step = 1) => { done += step; maybePrint(); },
    stop: () => {},
  };
}
