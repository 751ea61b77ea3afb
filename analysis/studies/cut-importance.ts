import type { Study } from '../core/study.ts';

// Placeholder until the study is written: registered so that the registry compiles.
export const cutImportance: Study = {
  kind: 'cut-importance',
  title: 'cut-importance',
  configSchema: { type: 'object' },
  resultSchema: { type: 'object' },
  inputs: async () => [],
  run: async () => { throw new Error('study cut-importance is not implemented yet'); },
  present: () => ({ parts: [] }),
};
