import type { Study } from '../core/study.ts';

// Placeholder until the study is written: registered so that the registry compiles.
export const photonJetsDeltaR: Study = {
  kind: 'photon-jets-dr',
  title: 'photon-jets-dr',
  configSchema: { type: 'object' },
  resultSchema: { type: 'object' },
  inputs: async () => [],
  run: async () => { throw new Error('study photon-jets-dr is not implemented yet'); },
  present: () => ({ parts: [] }),
};
