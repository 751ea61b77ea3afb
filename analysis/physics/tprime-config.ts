import { InputError } from '../core/errors.ts';
import type { BTagCut, JetCuts } from './jets.ts';

/**
 * The `tprime:` block of a study config: jet selection, b-tagging and the chi-square
 * reconstruction of fully hadronic T' -> t H events. Masses and widths in GeV.
 */
export interface TprimeConfig {
  /** Data-taking year; picks the b-tag threshold. */
  year: string;
  jets: JetCuts;
  btag: { branch: string; thresholds: Record<string, number> };
  /** Reference masses of the chi-square terms. */
  masses: { higgs: number; w: number; top: number };
  /** Widths (resolutions) dividing each chi-square term. */
  widths: { higgs: number; w: number; top: number };
  /** How many leading selected jets the chi-square assignment tries. */
  leading_jets: number;
}

/**
 * DeepJet (`Jet_btagDeepFlavB`) medium working points of the CMS BTV recommendations for
 * the Run 2 legacy (pre-UL) reconstructions of 2016, 2017 and 2018.
 * NOTE: quoted from memory of the BTV pages, not from a file in this repository; check
 * them against the recommendation that matches the samples' reconstruction.
 */
export const DEEPJET_MEDIUM: Record<string, number> = { 2016: 0.3093, 2017: 0.3033, 2018: 0.2770 };

const massPair = (higgs: number, w: number, top: number, what: string) => ({
  type: 'object',
  additionalProperties: false,
  default: {},
  description: what,
  properties: {
    higgs: { type: 'number', exclusiveMinimum: 0, default: higgs },
    w: { type: 'number', exclusiveMinimum: 0, default: w },
    top: { type: 'number', exclusiveMinimum: 0, default: top },
  },
});

/** JSON Schema (draft 2020-12) of the `tprime:` block, with every default filled in by Ajv. */
export const tprimeConfigSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    year: { type: 'string', default: '2018', description: 'key into btag.thresholds' },
    jets: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        pt_min: { type: 'number', minimum: 0, default: 30, description: 'GeV' },
        abs_eta_max: { type: 'number', exclusiveMinimum: 0, default: 2.4 },
        jet_id_bits: {
          type: 'integer', minimum: 0, default: 2,
          description: 'bits required in Jet_jetId: 2 tight, 6 tight with lepton veto, 0 none',
        },
      },
    },
    btag: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        branch: {
          type: 'string', default: 'Jet_btagDeepFlavB',
          description: 'discriminant branch, e.g. Jet_btagDeepFlavB (DeepJet) or Jet_btagDeepB (DeepCSV)',
        },
        thresholds: {
          type: 'object',
          additionalProperties: { type: 'number' },
          minProperties: 1,
          default: DEEPJET_MEDIUM,
          description: 'working-point threshold per year; a jet is b-tagged above it',
        },
      },
    },
    masses: massPair(125, 80.4, 172.5, 'reference masses in GeV'),
    // Widths of the order of CMS Run 2 dijet and trijet mass resolutions: defaults to tune
    // on simulation, not values taken from a publication.
    widths: massPair(15, 10, 20, 'chi-square widths in GeV'),
    leading_jets: { type: 'integer', minimum: 5, maximum: 12, default: 6 },
  },
} as const;

/** Returns the b-tag cut of the configured year; a year without a threshold is an InputError. */
export function btagCut(config: TprimeConfig): BTagCut {
  const threshold = config.btag.thresholds[config.year];
  if (threshold === undefined) {
    throw new InputError(`tprime.year ${config.year} has no b-tag threshold in `
      + `tprime.btag.thresholds (years: ${Object.keys(config.btag.thresholds).join(', ')})`);
  }
  return { branch: config.btag.branch, threshold };
}
