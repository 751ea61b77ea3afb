import { Document, isMap, isSeq } from 'yaml';
import { loadYamlFile, validate } from '../core/config.ts';
import { InputError } from '../core/errors.ts';

/**
 * The rates file: HLT path rates in Hz per run, as read off the CMS Online Monitoring
 * System, grouped in checks (one date each). Its YAML form:
 *
 *     paths: [HLT_A, HLT_B]
 *     checks:
 *       - checked: 2022-08-25
 *         runs:
 *           - {run: 357329, fill: 8118, pu: 50, lumisections: [250, 290]}
 *         rates_hz:
 *           HLT_A: [10.12]
 *           HLT_B: [19.21]
 *
 * `pu` is the run's average pile-up, `lumisections` (optional) the inclusive range of
 * lumisections the rates were averaged over, absent when they are whole-run figures.
 * `rates_hz[path][i]` is the rate of `path` in `runs[i]`.
 */
export interface RatesFile {
  paths: string[];
  checks: RatesCheck[];
}

export interface RatesCheck {
  /** Date of the check, YYYY-MM-DD. */
  checked: string;
  runs: RunInfo[];
  rates_hz: Record<string, number[]>;
}

export interface RunInfo {
  run: number;
  fill: number;
  pu: number;
  lumisections?: [number, number];
}

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';

export const ratesFileSchema = {
  type: 'object',
  required: ['paths', 'checks'],
  additionalProperties: false,
  properties: {
    paths: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    checks: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['checked', 'runs', 'rates_hz'],
        additionalProperties: false,
        properties: {
          checked: { type: 'string', pattern: DATE },
          runs: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['run', 'fill', 'pu'],
              additionalProperties: false,
              properties: {
                run: { type: 'integer', minimum: 1 },
                fill: { type: 'integer', minimum: 1 },
                pu: { type: 'number', minimum: 0 },
                lumisections: {
                  type: 'array',
                  items: { type: 'integer', minimum: 1 },
                  minItems: 2,
                  maxItems: 2,
                },
              },
            },
          },
          // Rate lists are checked by checkRates(), whose messages name check, path and run.
          rates_hz: { type: 'object' },
        },
      },
    },
  },
} as const;

/** Reads and checks a rates file; every problem is an InputError naming the file. */
export async function loadRatesFile(file: string): Promise<RatesFile> {
  return checkRatesFile(await loadYamlFile(file), file);
}

/**
 * Checks a parsed rates file: the schema, then that each check has one non-negative rate
 * per run for every listed path and no path that `paths` does not list. Messages name the
 * check (by date and index), the path and the run.
 */
export function checkRatesFile(document: unknown, file: string): RatesFile {
  const rates = validate<RatesFile>(ratesFileSchema, normaliseDates(document), file);
  checkUnique(rates.paths, (path) => `${file}: paths: ${path} is listed twice`);
  rates.checks.forEach((check, index) => checkCheck(check, index, rates.paths, file));
  return rates;
}

/** Tells whether `text` is a YYYY-MM-DD date that exists in the calendar (no 2026-02-31). */
export function isCalendarDate(text: string): boolean {
  if (!new RegExp(DATE).test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

// A YAML 1.1 reader turns `checked: 2022-08-25` into a Date; accept that too.
function normaliseDates(document: unknown): unknown {
  const checks = (document as { checks?: unknown })?.checks;
  if (Array.isArray(checks)) {
    for (const check of checks) {
      if (check?.checked instanceof Date) check.checked = check.checked.toISOString().slice(0, 10);
    }
  }
  return document;
}

function checkCheck(check: RatesCheck, index: number, paths: string[], file: string): void {
  const where = `${file}: check ${check.checked} (checks[${index}])`;
  if (!isCalendarDate(check.checked)) {
    throw new InputError(`${where}: checked: invalid date ${check.checked} (no such day)`);
  }
  checkUnique(check.runs.map((run) => String(run.run)), (run) => `${where}: run ${run} is listed twice`);
  for (const run of check.runs) {
    if (!Number.isFinite(run.pu)) {
      throw new InputError(`${where}, run ${run.run}: pile-up pu ${run.pu} is not a finite number`);
    }
    const range = run.lumisections;
    if (range && range[0] > range[1]) {
      throw new InputError(`${where}, run ${run.run}: lumisections [${range[0]}, ${range[1]}]: `
        + 'the first lumisection is after the last');
    }
  }

  for (const path of Object.keys(check.rates_hz)) {
    if (!paths.includes(path)) {
      throw new InputError(`${where}: rates_hz has path ${path}, which is not in paths `
        + `(${paths.join(', ')}); add it to paths or remove its rates`);
    }
  }
  for (const path of paths) checkRates(check, path, where);
}

function checkRates(check: RatesCheck, path: string, where: string): void {
  const runs = check.runs.map((run) => run.run);
  const rates: unknown = check.rates_hz[path];
  if (rates === undefined || rates === null) {
    throw new InputError(`${where}, path ${path}: no rates for runs ${runs.join(', ')}`);
  }
  if (!Array.isArray(rates)) {
    throw new InputError(`${where}, path ${path}: rates_hz must be a list of rates in Hz, one per run`);
  }
  if (rates.length !== runs.length) {
    const extra = rates.length > runs.length ? '' : `; runs without a rate: ${runs.slice(rates.length).join(', ')}`;
    throw new InputError(`${where}, path ${path}: ${rates.length} rates for ${runs.length} runs `
      + `(${runs.join(', ')})${extra}`);
  }
  rates.forEach((rate: unknown, i) => {
    if (rate === null || rate === undefined) {
      throw new InputError(`${where}, path ${path}, run ${runs[i]}: no rate`);
    }
    if (typeof rate !== 'number') {
      throw new InputError(`${where}, path ${path}, run ${runs[i]}: rate ${JSON.stringify(rate)} is not a number`);
    }
    // String() rather than JSON.stringify(), which writes NaN and Infinity as null.
    if (!Number.isFinite(rate)) {
      throw new InputError(`${where}, path ${path}, run ${runs[i]}: `
        + `rate ${String(rate)} is not a finite number`);
    }
    if (rate < 0) {
      throw new InputError(`${where}, path ${path}, run ${runs[i]}: negative rate ${rate} Hz`);
    }
  });
}

function checkUnique(values: string[], message: (value: string) => string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new InputError(message(value));
    seen.add(value);
  }
}

/**
 * Writes a rates file in the layout the group keeps by hand: one flow mapping per run and
 * one flow list of rates per path, under an optional comment header.
 */
export function formatRatesFile(rates: RatesFile, comment?: string): string {
  const document = new Document(rates);
  const checks = document.get('checks');
  if (isSeq(checks)) {
    for (const check of checks.items) {
      if (!isMap(check)) continue;
      const runs = check.get('runs');
      if (isSeq(runs)) {
        for (const run of runs.items) {
          if (isMap(run)) run.flow = true;
        }
      }
      const ratesHz = check.get('rates_hz');
      if (isMap(ratesHz)) {
        for (const pair of ratesHz.items) {
          if (isSeq(pair.value)) pair.value.flow = true;
        }
      }
    }
  }
  if (comment) document.commentBefore = comment.split('\n').map((line) => ` ${line}`).join('\n');
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}
