import type { Study } from '../core/study.ts';
import { expandFiles } from '../io/events.ts';
import { configSchema, type CutImportanceConfig } from '../cutimportance/config.ts';
import { resultSchema, type CutImportanceResult } from '../cutimportance/result.ts';
import { runCutImportance } from '../cutimportance/run.ts';
import { presentResult } from '../cutimportance/present.ts';
import { importArchivedTable } from '../cutimportance/archived.ts';

/**
 * Cut importance: does each cut of the cut-based selection still add information? Step k
 * feeds the variables of cuts 1..k to a dense network, on top of the inputs of cut 0,
 * instead of cutting on them, and reports the ROC AUC of several trainings per step.
 */
export const cutImportance: Study<CutImportanceConfig, CutImportanceResult> = {
  kind: 'cut-importance',
  title: 'Cut importance: network AUC per cut step',
  configSchema,
  resultSchema,

  async inputs(config, context) {
    const files: string[] = [];
    for (const sample of [config.samples.signal, config.samples.background]) {
      for (const pattern of sample.files) {
        const path = context.resolve(pattern);
        // A pattern that matches nothing is listed as it is, so the pipeline can report it.
        files.push(...await expandFiles([path]).catch(() => [path]));
      }
    }
    return [...new Set(files)].sort();
  },

  run: runCutImportance,

  present: presentResult,

  importArchived: importArchivedTable,
};
