import type { Study } from '../core/study.ts';
import { cutImportance } from './cut-importance.ts';
import { taylorImportance } from './taylor-importance.ts';
import { hltRates } from './hlt-rates.ts';
import { photonJetsDeltaR } from './photon-jets-dr.ts';

/** Every study kind a config can name with `kind:`. */
export const studies: ReadonlyMap<string, Study> = new Map(
  [cutImportance, taylorImportance, hltRates, photonJetsDeltaR].map((study) => [study.kind, study]),
);
