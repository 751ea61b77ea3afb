import { InputError } from '../core/errors.ts';
import type { Study } from '../core/study.ts';
import { Histogram } from '../physics/histogram.ts';
import {
  configSchema, deltaREdges, htBins, type PhotonJetsConfig,
} from '../photonjets/config.ts';
import { presentResult } from '../photonjets/present.ts';
import { resultSchema, type PhotonJetsResult } from '../photonjets/result.ts';
import { listInputs, runStudy } from '../photonjets/run.ts';

/**
 * Photon+jets delta-R study: the delta-R between the leading jets (j1j2, j2j3, j1j3), at
 * GEN and at RECO level, in bins of HT, in events with exactly one photon and at least one
 * jet. Two or more sample sets are compared by their normalised shapes.
 */
export const photonJetsDeltaR: Study<PhotonJetsConfig, PhotonJetsResult> = {
  kind: 'photon-jets-dr',
  title: 'Photon+jets: delta-R between the leading jets',
  configSchema,
  resultSchema,
  inputs: (config, context) => listInputs(config, context),
  run: async (config, context) => {
    // Errors name the study and its config, because a job's own message names only the
    // sample, the files and the config keys.
    const where = `photon+jets study ${context.study} (${context.configFile})`;
    // Bad HT or delta-R edges are reported before any job starts.
    try {
      htBins(config.ht);
      Histogram.variable(deltaREdges(config.delta_r));
    } catch (error) {
      throw new InputError(`${where}: ${(error as Error).message}`);
    }
    try {
      return await runStudy(config, context);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError(`${where}: ${error.message}`, { cause: error });
    }
  },
  present: (result, context) => presentResult(result, context),
};
