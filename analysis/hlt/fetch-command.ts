import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/files.ts';
import type { Logger } from '../core/log.ts';
import { fetchRatesCheck } from './fetch-rates.ts';
import { OmsClient } from './oms-client.ts';
import {
  checkRatesFile, formatRatesFile, isCalendarDate, loadRatesFile, type RatesFile,
} from './rates-file.ts';

export const DEFAULT_BASE_URL = 'https://cmsoms.cern.ch/agg/api/v1';
export const TOKEN_VARIABLE = 'OMS_TOKEN';

export const USAGE = `Usage: npm run fetch-rates -- --runs RUN,RUN... --paths PATTERN... --out FILE [options]

Fetches HLT path rates per run from the CMS Online Monitoring System and writes a rates
file (one check) that a report reads offline. The file is written only when every request
succeeded, so a failure leaves an existing FILE as it was.

  --runs LIST           run numbers, comma-separated
  --paths PATTERN...    path names without the _vN suffix; * and ? are wildcards
                        (several after one --paths, comma-separated, or --paths repeated)
  --out FILE            rates file to write
  --lumisections RANGE  average over lumisections FIRST-LAST (inclusive): one range for
                        every run, or one per run, comma-separated; default: whole runs
  --checked DATE        date of the check, YYYY-MM-DD (default: today, UTC)
  --append              add the check to the checks already in FILE
  --base-url URL        API root (default ${DEFAULT_BASE_URL})
  --token-file F        file holding the bearer token (default: $${TOKEN_VARIABLE})
  --timeout SECONDS     time limit of one request (default 30)
  --retries N           retries after a network error, a timeout or HTTP 5xx (default 4)
  --help                print this text
`;

export interface FetchCommandOptions {
  env?: NodeJS.ProcessEnv;
  log: Logger;
  /** First retry wait in ms (doubling); tests shorten it. */
  retryDelayMs?: number;
  /** Rows per page; tests shorten it to make the API page. */
  pageLimit?: number;
  /** Today's date for the default `--checked`, YYYY-MM-DD. */
  today?: string;
}

interface ParsedArguments {
  runs: number[];
  patterns: string[];
  out: string;
  lumisections?: Array<[number, number]>;
  checked: string;
  append: boolean;
  baseUrl: string;
  tokenFile?: string;
  timeoutS: number;
  retries: number;
  help: boolean;
}

/** Runs `fetch-rates` with its command-line arguments; usage errors are InputErrors. */
export async function runFetchRates(argv: string[], options: FetchCommandOptions): Promise<void> {
  const { log } = options;
  const env = options.env ?? process.env;
  const args = parseArguments(argv, options.today ?? new Date().toISOString().slice(0, 10));
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }

  const token = await readToken(args.tokenFile, env);
  if (!token) log.warn(`no token in $${TOKEN_VARIABLE} nor --token-file: sending requests without one`);
  const client = new OmsClient({
    baseUrl: args.baseUrl,
    token,
    tokenSource: args.tokenFile ? `the token in ${args.tokenFile}` : `the token in $${TOKEN_VARIABLE}`,
    timeoutMs: args.timeoutS * 1000,
    retries: args.retries,
    retryDelayMs: options.retryDelayMs,
    pageLimit: options.pageLimit,
    log,
  });

  // The file to append to is read and its check dates compared before any request.
  const previous = args.append ? await readPrevious(args.out) : undefined;
  if (previous) checkNewDate(previous.rates, args.checked, args.out);
  const fetched = await fetchRatesCheck(client, {
    runs: args.runs,
    patterns: args.patterns,
    lumisections: args.lumisections,
    checked: args.checked,
    log,
  });

  let rates: RatesFile = { paths: fetched.paths, checks: [fetched.check] };
  let comment = `HLT path rates in Hz fetched from the CMS Online Monitoring System\n`
    + `(${args.baseUrl}) by npm run fetch-rates. pu is the mean pile-up over the\n`
    + `lumisections used; lumisections, where given, is the inclusive range averaged over.`;
  if (previous) {
    rates = appendCheck(previous.rates, rates, args.out);
    comment = previous.comment ?? comment;
  }
  const text = formatRatesFile(checkRatesFile(rates, args.out), comment);
  await writeFileAtomic(args.out, text);
  const count = fetched.paths.length * args.runs.length;
  log.info(`wrote ${args.out}: ${count} rates (${fetched.paths.length} paths, ${args.runs.length} runs), `
    + `check ${args.checked}`);
}

function parseArguments(argv: string[], today: string): ParsedArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      tokens: true,
      options: {
        runs: { type: 'string' },
        paths: { type: 'string', multiple: true },
        out: { type: 'string' },
        lumisections: { type: 'string' },
        checked: { type: 'string' },
        append: { type: 'boolean' },
        'base-url': { type: 'string' },
        'token-file': { type: 'string' },
        timeout: { type: 'string' },
        retries: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new InputError(`fetch-rates: ${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, tokens } = parsed;
  if (values.help) return { help: true } as ParsedArguments;

  const patterns = collectPatterns(tokens ?? []);
  if (!values.runs) throw usage('--runs is required');
  if (patterns.length === 0) throw usage('--paths is required');
  if (!values.out) throw usage('--out is required');

  const runs = values.runs.split(',').map((text) => parseCount(text.trim(), '--runs'));
  const checked = values.checked ?? today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(checked)) throw usage(`--checked ${checked}: expected YYYY-MM-DD`);
  if (!isCalendarDate(checked)) throw usage(`--checked ${checked}: invalid date (no such day)`);
  const baseUrl = values['base-url'] ?? DEFAULT_BASE_URL;
  if (!/^https?:\/\//.test(baseUrl)) throw usage(`--base-url ${baseUrl}: expected an http:// or https:// URL`);
  return {
    runs,
    patterns,
    out: values.out,
    lumisections: values.lumisections === undefined ? undefined : parseRanges(values.lumisections, runs),
    checked,
    append: values.append ?? false,
    baseUrl,
    tokenFile: values['token-file'],
    timeoutS: values.timeout === undefined ? 30 : parsePositive(values.timeout, '--timeout'),
    retries: values.retries === undefined ? 4 : parseCount(values.retries, '--retries', 0),
    help: false,
  };
}

// `--paths A B --out F` puts B among the positionals; it belongs to the --paths before it.
function collectPatterns(tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>): string[] {
  const patterns: string[] = [];
  let afterPaths = false;
  for (const token of tokens) {
    if (token.kind === 'option') {
      afterPaths = token.name === 'paths';
      if (afterPaths && token.value !== undefined) patterns.push(...splitList(token.value));
    } else if (token.kind === 'positional') {
      if (!afterPaths) throw usage(`unexpected argument ${token.value}`);
      patterns.push(...splitList(token.value));
    }
  }
  return patterns;
}

function splitList(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter(Boolean);
}

function parseRanges(text: string, runs: number[]): Array<[number, number]> {
  const ranges = text.split(',').map((item) => {
    const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(item);
    if (!match) throw usage(`--lumisections ${item}: expected FIRST-LAST, e.g. 250-290`);
    const range: [number, number] = [Number(match[1]), Number(match[2])];
    if (range[0] < 1 || range[0] > range[1]) {
      throw usage(`--lumisections ${item}: expected 1 <= FIRST <= LAST`);
    }
    return range;
  });
  if (ranges.length === 1) return runs.map(() => ranges[0]);
  if (ranges.length !== runs.length) {
    throw usage(`--lumisections has ${ranges.length} ranges for ${runs.length} runs; give one, or one per run`);
  }
  return ranges;
}

function parseCount(text: string, option: string, minimum = 1): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < minimum) throw usage(`${option} ${text}: expected an integer >= ${minimum}`);
  return value;
}

function parsePositive(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw usage(`${option} ${text}: expected a positive number`);
  return value;
}

function usage(message: string): InputError {
  return new InputError(`fetch-rates: ${message}\n\n${USAGE}`);
}

async function readToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (tokenFile === undefined) return env[TOKEN_VARIABLE]?.trim() || undefined;
  let text: string;
  try {
    text = await readFile(tokenFile, 'utf8');
  } catch (error) {
    throw new InputError(`--token-file ${tokenFile}: cannot read it (${(error as NodeJS.ErrnoException).code})`);
  }
  const token = text.trim();
  if (!token) throw new InputError(`--token-file ${tokenFile}: the file is empty`);
  return token;
}

async function readPrevious(file: string): Promise<{ rates: RatesFile; comment?: string }> {
  const rates = await loadRatesFile(file);
  const header = /^(?:#.*\n)+/.exec(await readFile(file, 'utf8'))?.[0];
  const comment = header?.trimEnd().split('\n').map((line) => line.replace(/^# ?/, '')).join('\n');
  return { rates, comment };
}

function checkNewDate(previous: RatesFile, checked: string, file: string): void {
  if (previous.checks.some((existing) => existing.checked === checked)) {
    throw new InputError(`--append: ${file} already has a check on ${checked}; `
      + 'give another --checked date');
  }
}

function appendCheck(previous: RatesFile, fetched: RatesFile, file: string): RatesFile {
  const check = fetched.checks[0];
  const samePaths = previous.paths.length === fetched.paths.length
    && previous.paths.every((path) => fetched.paths.includes(path));
  if (!samePaths) {
    throw new InputError(`--append: ${file} lists paths ${previous.paths.join(', ')} but the patterns `
      + `matched ${fetched.paths.join(', ')}; every check of a rates file has the same paths`);
  }
  const ordered = Object.fromEntries(previous.paths.map((path) => [path, check.rates_hz[path]]));
  return { paths: previous.paths, checks: [...previous.checks, { ...check, rates_hz: ordered }] };
}
