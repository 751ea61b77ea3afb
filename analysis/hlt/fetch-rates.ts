import type { Logger } from '../core/log.ts';
import { InputError } from '../core/errors.ts';
import {
  OmsError, type OmsClient, type OmsQuery, type OmsRow,
} from './oms-client.ts';
import type { RatesCheck, RunInfo } from './rates-file.ts';

/** Request for one check: the runs, and patterns of the paths to fetch in each. */
export interface FetchRequest {
  runs: number[];
  /**
   * Path names without the `_v<N>` version suffix, where `*` matches any characters and
   * `?` one, e.g. `HLT_PFHT400_FivePFJet_*_DoublePFBTag*_4p5`.
   */
  patterns: string[];
  /** Inclusive lumisection range per run (same order as `runs`); absent: whole run. */
  lumisections?: Array<[number, number] | undefined>;
  /** Date of the check, YYYY-MM-DD. */
  checked: string;
  log?: Logger;
}

export interface FetchedCheck {
  /** Versionless path names, in the order of the patterns that matched them. */
  paths: string[];
  check: RatesCheck;
}

/**
 * Fetches, for each run, its fill (`runs`), its average pile-up (`lumisections`), its HLT
 * menu (`hltpathinfo`) and the rate of each matching path (`hltpathrates`) averaged over
 * the lumisection range.
 */
export async function fetchRatesCheck(client: OmsClient, request: FetchRequest): Promise<FetchedCheck> {
  const { runs, log } = request;
  const menus = new Map<number, Map<string, string>>();
  for (const run of runs) menus.set(run, await fetchMenu(client, run));
  const paths = selectPaths(request.patterns, runs, menus);
  log?.info(`fetching ${paths.length} paths in ${runs.length} runs: ${paths.join(', ')}`);

  const runInfo: RunInfo[] = [];
  const rates: Record<string, number[]> = Object.fromEntries(paths.map((path) => [path, []]));
  const progress = log?.progress('fetching rates', runs.length * (paths.length + 2), 'requests');
  try {
    for (const [index, run] of runs.entries()) {
      const range = request.lumisections?.[index];
      const fill = await fetchFill(client, run);
      progress?.increment();
      const pu = await fetchPileup(client, run, range);
      progress?.increment();
      runInfo.push({ run, fill, pu: round(pu, 1), ...(range ? { lumisections: range } : {}) });

      for (const path of paths) {
        const versioned = menus.get(run)!.get(path)!;
        rates[path].push(round(await fetchRate(client, run, versioned, range), 2));
        progress?.increment();
      }
      log?.info(`run ${run}: fill ${fill}, pile-up ${pu.toFixed(1)}`
        + `${range ? `, lumisections ${range[0]}-${range[1]}` : ''}`);
    }
  } finally {
    progress?.stop();
  }
  return { paths, check: { checked: request.checked, runs: runInfo, rates_hz: rates } };
}

/** Returns the run's HLT paths, keyed by name without version suffix. */
async function fetchMenu(client: OmsClient, run: number): Promise<Map<string, string>> {
  const query: OmsQuery = { filters: [['run_number', 'EQ', run]], fields: ['path_name'] };
  const rows = await client.fetchAll('hltpathinfo', query);
  const menu = new Map<string, string>();
  rows.forEach((row, index) => {
    if (typeof row.path_name !== 'string') {
      const url = queryUrl(client, 'hltpathinfo', query);
      throw new OmsError(`run ${run}: path_name ${describeValue(row.path_name)} is not a string `
        + `(GET ${url}: HTTP 200, row ${index + 1} of ${rows.length})`, url, 200);
    }
    menu.set(stripVersion(row.path_name), row.path_name);
  });
  if (menu.size === 0) {
    throw emptyAnswer(client, 'hltpathinfo', query, `no HLT paths for run ${run}; is the run number right?`);
  }
  return menu;
}

function selectPaths(patterns: string[], runs: number[], menus: Map<number, Map<string, string>>): string[] {
  const paths: string[] = [];
  for (const pattern of patterns) {
    const matcher = globToRegExp(stripVersion(pattern));
    const matched = new Set<string>();
    for (const menu of menus.values()) {
      for (const name of menu.keys()) if (matcher.test(name)) matched.add(name);
    }
    if (matched.size === 0) {
      throw new InputError(`--paths ${pattern} matches no HLT path of runs ${runs.join(', ')}`);
    }
    for (const name of [...matched].sort()) if (!paths.includes(name)) paths.push(name);
  }
  for (const path of paths) {
    const missing = runs.filter((run) => !menus.get(run)!.has(path));
    if (missing.length) {
      throw new InputError(`path ${path} is not in the HLT menu of run${missing.length > 1 ? 's' : ''} `
        + `${missing.join(', ')}; choose runs that share the menu or narrow the pattern`);
    }
  }
  return paths;
}

async function fetchFill(client: OmsClient, run: number): Promise<number> {
  const query: OmsQuery = { filters: [['run_number', 'EQ', run]], fields: ['run_number', 'fill_number'] };
  const rows = await client.fetchAll('runs', query);
  if (rows.length === 0) throw emptyAnswer(client, 'runs', query, `run ${run} not found`);
  return readNumbers(client, 'runs', query, rows, 'fill_number', () => `run ${run}`)[0];
}

/**
 * Averages the per-lumisection `pileup` attribute over the range, or over the whole run.
 * NOTE: the `runs` and `fills` resources were not seen to carry an average pile-up (only a
 * fill's `peak_pileup`), so the mean over lumisections is used as the run's average.
 */
async function fetchPileup(client: OmsClient, run: number, range?: [number, number]): Promise<number> {
  const filters: OmsQuery['filters'] = [['run_number', 'EQ', run]];
  if (range) filters.push(['lumisection_number', 'GE', range[0]], ['lumisection_number', 'LE', range[1]]);
  const query: OmsQuery = { filters, fields: ['lumisection_number', 'pileup'] };
  const rows = await client.fetchAll('lumisections', query);
  const values = readNumbers(client, 'lumisections', query, rows, 'pileup',
    (row) => `run ${run}, lumisection ${describeValue(row.lumisection_number)}`);
  if (values.length === 0) {
    throw emptyAnswer(client, 'lumisections', query, `no pile-up for run ${run}${describeRange(range)}`);
  }
  return mean(values);
}

/**
 * Averages the path's rate over the lumisections of the range (`group[granularity]=
 * lumisection`); without a range, requests the whole-run figure.
 * NOTE: `group[granularity]=run` for a whole-run rate is assumed from the granularity
 * option of the OMS trigger resources; it was not checked against the live API.
 */
async function fetchRate(client: OmsClient, run: number, path: string, range?: [number, number]): Promise<number> {
  const filters: OmsQuery['filters'] = [['run_number', 'EQ', run], ['path_name', 'EQ', path]];
  if (range) {
    filters.push(['first_lumisection_number', 'GE', range[0]], ['last_lumisection_number', 'LE', range[1]]);
  }
  const query: OmsQuery = {
    filters,
    fields: ['path_name', 'first_lumisection_number', 'last_lumisection_number', 'rate'],
    extra: { 'group[granularity]': range ? 'lumisection' : 'run' },
  };
  const rows = await client.fetchAll('hltpathrates', query);
  const values = readNumbers(client, 'hltpathrates', query, rows, 'rate', (row) => {
    const first = row.first_lumisection_number;
    const last = row.last_lumisection_number;
    const lumisections = first === undefined ? ''
      : first === last ? `, lumisection ${describeValue(first)}`
        : `, lumisections ${describeValue(first)}-${describeValue(last)}`;
    return `${path} in run ${run}${lumisections}`;
  });
  if (values.length === 0) {
    throw emptyAnswer(client, 'hltpathrates', query, `no rate of ${path} in run ${run}${describeRange(range)}`);
  }
  return mean(values);
}

/**
 * Reads the numeric attribute `field` of every row. A row whose value is null, a string or
 * anything else but a finite number raises an OmsError naming the row, rather than being
 * left out of an average.
 */
function readNumbers(client: OmsClient, resource: string, query: OmsQuery, rows: OmsRow[],
  field: string, describeRow: (row: OmsRow) => string): number[] {
  return rows.map((row, index) => {
    const value = row[field];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    const url = queryUrl(client, resource, query);
    throw new OmsError(`${describeRow(row)}: ${field} ${describeValue(value)} is not a number `
      + `(GET ${url}: HTTP 200, row ${index + 1} of ${rows.length})`, url, 200);
  });
}

/** Formats a value from a response as JSON does, with `missing` for an absent one. */
function describeValue(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function queryUrl(client: OmsClient, resource: string, query: OmsQuery): string {
  return client.url(resource, query, 0, 1).replace(/&page\[offset\]=0&page\[limit\]=1$/, '');
}

function emptyAnswer(client: OmsClient, resource: string, query: OmsQuery, what: string): OmsError {
  const url = queryUrl(client, resource, query);
  return new OmsError(`${what} (GET ${url}: HTTP 200, empty result)`, url, 200);
}

export function stripVersion(path: string): string {
  return path.replace(/_v(\d+|\*)$/, '');
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function describeRange(range?: [number, number]): string {
  return range ? `, lumisections ${range[0]}-${range[1]}` : '';
}

function mean(values: number[]): number {
  const sum = values.reduce((total, value) => total + value, 0);
  if (Number.isFinite(sum)) return sum / values.length;
  // The sum of values near Number.MAX_VALUE overflows, but a running mean does not.
  return values.reduce((average, value, i) => average + (value - average) / (i + 1), 0);
}

/** Rounds to `digits` decimals; a value too large to scale is already exact to them. */
function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  const scaled = value * scale;
  return Number.isFinite(scaled) ? Math.round(scaled) / scale : value;
}
