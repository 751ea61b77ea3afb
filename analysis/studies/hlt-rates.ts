import { basename } from 'node:path';
import type { Study, StudyContext } from '../core/study.ts';
import type { CmsLabel } from '../core/presentation.ts';
import { InputError } from '../core/errors.ts';
import { validate } from '../core/config.ts';
import { checkRatesFile, loadRatesFile, type RatesFile } from '../hlt/rates-file.ts';
import { computeFigures, inferRoles, type PathRoles, type RateFigures } from '../hlt/figures.ts';
import { presentFigures } from '../hlt/present.ts';

/**
 * HLT path rates per run from a rates file (see `analysis/hlt/rates-file.ts`): tables per
 * check, rates per path and run, rate against pile-up, and the change of each path between
 * checks, also relative to a reference path.
 */

export interface HltRatesConfig {
  kind: 'hlt-rates';
  name: string;
  /** Rates file, relative to the config. */
  rates: string;
  /** Path the changes are compared with; default: the first path without `BTag` in its name. */
  reference_path?: string;
  /** b-tagging paths; default: the paths with `BTag` in their name. */
  btag_paths?: string[];
  /** Label of this study's charts, replacing the report's (the rates are 2022 data). */
  cms?: CmsLabel;
}

export interface HltRatesResult extends RateFigures {
  /** File name of the rates file the figures come from. */
  rates_file: string;
  cms?: CmsLabel;
}

const cmsSchema = {
  type: 'object',
  required: ['extra'],
  additionalProperties: false,
  properties: { extra: { type: 'string' }, period: { type: 'string' }, energy: { type: 'string' } },
};

const configSchema = {
  type: 'object',
  required: ['kind', 'name', 'rates'],
  additionalProperties: false,
  properties: {
    kind: { const: 'hlt-rates' },
    name: { type: 'string', minLength: 1 },
    rates: { type: 'string', minLength: 1 },
    reference_path: { type: 'string', minLength: 1 },
    btag_paths: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    cms: cmsSchema,
  },
};

const number = { type: 'number' };
const nullableNumber = { type: ['number', 'null'] };
const perPath = (values: object) => ({ type: 'object', additionalProperties: values });

const resultSchema = {
  type: 'object',
  required: ['rates_file', 'paths', 'reference', 'btagging', 'checks', 'changes'],
  additionalProperties: false,
  properties: {
    rates_file: { type: 'string' },
    cms: cmsSchema,
    paths: { type: 'array', minItems: 1, items: { type: 'string' } },
    reference: { type: 'string' },
    btagging: { type: 'array', items: { type: 'string' } },
    checks: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['checked', 'runs', 'rates_hz', 'mean_rate_hz', 'rate_per_pileup_hz',
          'mean_rate_per_pileup_hz', 'mean_pileup'],
        additionalProperties: false,
        properties: {
          checked: { type: 'string' },
          runs: {
            type: 'array',
            items: {
              type: 'object',
              required: ['run', 'fill', 'pu'],
              additionalProperties: false,
              properties: {
                run: { type: 'integer' },
                fill: { type: 'integer' },
                pu: number,
                lumisections: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
              },
            },
          },
          rates_hz: perPath({ type: 'array', items: number }),
          mean_rate_hz: perPath(number),
          rate_per_pileup_hz: perPath({ type: 'array', items: nullableNumber }),
          mean_rate_per_pileup_hz: perPath(nullableNumber),
          mean_pileup: number,
        },
      },
    },
    changes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['from', 'to', 'paths'],
        additionalProperties: false,
        properties: {
          from: { type: 'string' },
          to: { type: 'string' },
          paths: {
            type: 'array',
            items: {
              type: 'object',
              required: ['path', 'from_mean_hz', 'to_mean_hz', 'ratio', 'percent', 'ratio_to_reference',
                'percent_to_reference', 'per_pileup_ratio'],
              additionalProperties: false,
              properties: {
                path: { type: 'string' },
                from_mean_hz: number,
                to_mean_hz: number,
                ratio: nullableNumber,
                percent: nullableNumber,
                ratio_to_reference: nullableNumber,
                percent_to_reference: nullableNumber,
                per_pileup_ratio: nullableNumber,
              },
            },
          },
        },
      },
    },
  },
};

/** Checks the config's path roles against the rates file, or infers those it leaves out. */
function resolveRoles(config: Partial<HltRatesConfig>, rates: RatesFile, where: string): PathRoles {
  const inferred = inferRoles(rates.paths);
  const reference = config.reference_path ?? inferred.reference;
  const btagging = config.btag_paths ?? inferred.btagging;
  const known = (path: string) => rates.paths.includes(path);
  if (reference === undefined) {
    throw new InputError(`${where}: reference_path: missing, and every path of the rates file has BTag in `
      + 'its name; name the reference path');
  }
  if (!known(reference)) {
    throw new InputError(`${where}: reference_path: ${reference} is not a path of the rates file `
      + `(${rates.paths.join(', ')})`);
  }
  for (const path of btagging) {
    if (!known(path)) throw new InputError(`${where}: btag_paths: ${path} is not a path of the rates file`);
    if (path === reference) throw new InputError(`${where}: btag_paths: ${path} is also the reference_path`);
  }
  return { reference, btagging };
}

function buildResult(rates: RatesFile, roles: PathRoles, file: string, cms?: CmsLabel): HltRatesResult {
  const result: HltRatesResult = { rates_file: basename(file), ...computeFigures(rates, roles) };
  if (cms) result.cms = cms;
  return validate(resultSchema, result, `${file}: hlt-rates result`);
}

export const hltRates: Study<HltRatesConfig, HltRatesResult> = {
  kind: 'hlt-rates',
  title: 'HLT path rates per run',
  configSchema,
  resultSchema,

  async inputs(config, context) {
    return [context.resolve(config.rates)];
  },

  async run(config, context: StudyContext) {
    const file = context.resolve(config.rates);
    const rates = await loadRatesFile(file);
    const roles = resolveRoles(config, rates, context.configFile);
    const result = buildResult(rates, roles, file, config.cms);
    const count = rates.checks.reduce((sum, check) => sum + check.runs.length * rates.paths.length, 0);
    context.log.info(`${basename(file)}: ${count} rates of ${rates.paths.length} paths in `
      + `${rates.checks.length} checks; reference ${roles.reference}`);
    for (const change of result.changes) {
      const steepest = [...change.paths].sort((a, b) => (b.ratio_to_reference ?? 0) - (a.ratio_to_reference ?? 0))[0];
      context.log.info(`${change.from} -> ${change.to}: largest rise relative to the reference `
        + `${steepest.path} x${steepest.ratio_to_reference?.toFixed(2)}`);
    }
    return result;
  },

  present(result, context) {
    const previous = readPrevious(context.previous);
    return presentFigures(result, {
      id: context.study,
      cms: result.cms,
      ...(previous ? { previous } : {}),
    });
  },

  /** Takes a rates file itself as the archived form, with the path roles inferred from names. */
  importArchived(document, source) {
    const rates = checkRatesFile(document, source);
    return buildResult(rates, resolveRoles({}, rates, source), source);
  },
};

/** Reads the earlier report's result, when it has the shape of this study's result. */
function readPrevious(previous?: { report: string; result: unknown }):
  { report: string; figures: RateFigures } | undefined {
  if (!previous) return undefined;
  const figures = previous.result as Partial<RateFigures> | null;
  if (!figures || !Array.isArray(figures.checks) || !Array.isArray(figures.paths)) return undefined;
  return { report: previous.report, figures: figures as RateFigures };
}
