import type { Study } from '../core/study.ts';

// Placeholder until the study is written: registered so that the registry compiles.
export const taylorImportance: Study = {
  kind: 'taylor-importance',
  title: 'taylor-importance',
  configSchema: { type: 'object' },
  resultSchema: { type: 'object' },
  inputs: async () => [],
  run: async () => { throw new Error('study taylor-importance is not implemented yet'); },
  present: () => ({ parts: [] }),
};
