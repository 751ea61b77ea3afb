import type { Study } from '../core/study.ts';

// Placeholder until the study is written: registered so that the registry compiles.
export const hltRates: Study = {
  kind: 'hlt-rates',
  title: 'hlt-rates',
  configSchema: { type: 'object' },
  resultSchema: { type: 'object' },
  inputs: async () => [],
  run: async () => { throw new Error('study hlt-rates is not implemented yet'); },
  present: () => ({ parts: [] }),
};
