import type { Logger } from '../core/log.ts';
import { InputError } from '../core/errors.ts';
import { OmsError, type OmsClient, type OmsQuery } from './oms-client.ts';
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
  for (const row of rows) {
    if (typeof row.path_name === 'string') menu.set(stripVersion(row.path_name), row.path_name);
  }
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
  const fill = rows[0]?.fill_number;
  if (typeof fill !== 'number') {
    throw emptyAnswer(client, 'runs', query, rows.length ? `run ${run} has no fill_number` : `run ${run} not found`);
  }
  return fill;
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
  const values = (await client.fetchAll('lumisections', query))
    .map((row) => row.pileup)
    .filter((value): value is number => typeof value === 'number');
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
  const values = (await client.fetchAll('hltpathrates', query))
    .map((row) => row.rate)
    .filter((value): value is number => typeof value === 'number');
  if (values.length === 0) {
    throw emptyAnswer(client, 'hltpathrates', query, `no rate of ${path} in run ${run}${describeRange(range)}`);
  }
  return mean(values);
}

function emptyAnswer(client: OmsClient, resource: string, query: OmsQuery, what: string): OmsError {
  const url = client.url(resource, query, 0, 1).replace(/&page\[offset\]=0&page\[limit\]=1$/, '');
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
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
