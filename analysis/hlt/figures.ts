import type { RatesFile, RunInfo } from './rates-file.ts';

/**
 * Figures derived from a rates file: mean rate per path and check, rate per unit of
 * pile-up, and the change of each path between consecutive checks, also relative to the
 * reference path (whose rate follows the luminosity only).
 */

export interface PathRoles {
  /** The path every change is compared with, e.g. a photon path unaffected by the beam spot. */
  reference: string;
  /** Paths that depend on b-tagging, hence on the beam-spot position. */
  btagging: string[];
}

export interface CheckFigures {
  checked: string;
  runs: RunInfo[];
  rates_hz: Record<string, number[]>;
  /** Unweighted mean over the runs of the check. */
  mean_rate_hz: Record<string, number>;
  /** Rate divided by the run's average pile-up; null where the pile-up is 0. */
  rate_per_pileup_hz: Record<string, Array<number | null>>;
  /** Mean of the defined rate_per_pileup_hz values; null when none is defined. */
  mean_rate_per_pileup_hz: Record<string, number | null>;
  mean_pileup: number;
}

export interface PathChange {
  path: string;
  from_mean_hz: number;
  to_mean_hz: number;
  /** to / from; null when the earlier mean is 0. */
  ratio: number | null;
  /** 100 (ratio - 1). */
  percent: number | null;
  /** This path's ratio divided by the reference path's ratio. */
  ratio_to_reference: number | null;
  percent_to_reference: number | null;
  /** Ratio of the mean rates per unit of pile-up, which removes the pile-up difference. */
  per_pileup_ratio: number | null;
}

export interface CheckChange {
  from: string;
  to: string;
  paths: PathChange[];
}

export interface RateFigures {
  paths: string[];
  reference: string;
  btagging: string[];
  checks: CheckFigures[];
  /** One entry per pair of consecutive checks, in file order. */
  changes: CheckChange[];
}

export function computeFigures(rates: RatesFile, roles: PathRoles): RateFigures {
  const checks = rates.checks.map((check): CheckFigures => {
    const perPileup = Object.fromEntries(rates.paths.map((path) => [path,
      check.rates_hz[path].map((rate, i) => (check.runs[i].pu > 0 ? rate / check.runs[i].pu : null))]));
    return {
      checked: check.checked,
      runs: check.runs,
      rates_hz: Object.fromEntries(rates.paths.map((path) => [path, check.rates_hz[path]])),
      mean_rate_hz: Object.fromEntries(rates.paths.map((path) => [path, mean(check.rates_hz[path])!])),
      rate_per_pileup_hz: perPileup,
      mean_rate_per_pileup_hz: Object.fromEntries(rates.paths.map((path) => [path, mean(perPileup[path])])),
      mean_pileup: mean(check.runs.map((run) => run.pu))!,
    };
  });

  const changes: CheckChange[] = [];
  for (let i = 1; i < checks.length; i++) changes.push(compareChecks(checks[i - 1], checks[i], rates.paths, roles));
  return { paths: rates.paths, reference: roles.reference, btagging: roles.btagging, checks, changes };
}

function compareChecks(from: CheckFigures, to: CheckFigures, paths: string[], roles: PathRoles): CheckChange {
  const ratioOf = (path: string) => divide(to.mean_rate_hz[path], from.mean_rate_hz[path]);
  const referenceRatio = ratioOf(roles.reference);
  return {
    from: from.checked,
    to: to.checked,
    paths: paths.map((path) => {
      const ratio = ratioOf(path);
      const toReference = ratio === null || referenceRatio === null ? null : divide(ratio, referenceRatio);
      const fromPerPileup = from.mean_rate_per_pileup_hz[path];
      const toPerPileup = to.mean_rate_per_pileup_hz[path];
      return {
        path,
        from_mean_hz: from.mean_rate_hz[path],
        to_mean_hz: to.mean_rate_hz[path],
        ratio,
        percent: percentOf(ratio),
        ratio_to_reference: toReference,
        percent_to_reference: percentOf(toReference),
        per_pileup_ratio: fromPerPileup === null || toPerPileup === null ? null : divide(toPerPileup, fromPerPileup),
      };
    }),
  };
}

/**
 * Guesses the roles from path names: paths whose name contains `BTag` are b-tagging
 * paths, and the first other path is the reference.
 */
export function inferRoles(paths: string[]): { reference?: string; btagging: string[] } {
  const btagging = paths.filter((path) => /btag/i.test(path));
  return { reference: paths.find((path) => !btagging.includes(path)), btagging };
}

function mean(values: Array<number | null>): number | null {
  const defined = values.filter((value): value is number => value !== null);
  return defined.length ? defined.reduce((sum, value) => sum + value, 0) / defined.length : null;
}

function divide(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function percentOf(ratio: number | null): number | null {
  return ratio === null ? null : 100 * (ratio - 1);
}
