import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate } from '../../analysis/core/config.ts';
import { createJobPool } from '../../analysis/core/jobs.ts';
import { createLogger } from '../../analysis/core/log.ts';
import type { StudyContext } from '../../analysis/core/study.ts';
import { initBackend } from '../../analysis/learning/backend.ts';
import type { CutImportanceConfig } from '../../analysis/cutimportance/config.ts';
import { cutImportance } from '../../analysis/studies/cut-importance.ts';

const DATA = fileURLToPath(new URL('../../content/demo/data/', import.meta.url));

// The study reads its inputs straight from NanoAOD: T' variables by name, computed from
// the jets, next to flat branches (event, trigger flags). Both classes come from the ttbar
// sample, split by trigger, so this checks the plumbing, not the physics.
const CONFIG = {
  kind: 'cut-importance',
  name: 'nanoaod-cut-importance',
  samples: {
    signal: {
      files: ['NanoAODv5_sample.root'], format: 'nanoaod', event_number: 'event',
      selection: 'HLT_PFHT1050 || HLT_PFHT890', tprime: { leading_jets: 6 },
    },
    background: {
      files: ['NanoAODv5_sample.root'], format: 'nanoaod', event_number: 'event',
      selection: '!(HLT_PFHT1050 || HLT_PFHT890)', tprime: { leading_jets: 6 },
    },
  },
  preselection: 'njets >= 5 && nbjets >= 1',
  evaluation_selection: '1',
  split: { train: 'odd', evaluate: 'even' },
  non_finite: 'drop',
  base_inputs: ['njets', 'nbjets'],
  steps: [
    { name: 'Step 0', adds: [] },
    { name: 'Step 1', adds: ['goodHT', 'Chi2_min'] },
  ],
  model: { hidden_layers: [8], epochs: 2, batch_size: 64, patience: 1 },
  trainings: 1,
  seed: 3,
};

test('cut-importance study reads NanoAOD variables', async (t) => {
  const workDir = await mkdtemp(join(tmpdir(), 'nanoaod-study-'));
  t.after(() => rm(workDir, { recursive: true, force: true }));
  const config = validate<CutImportanceConfig>(cutImportance.configSchema, structuredClone(CONFIG),
    'nanoaod.yaml');
  const jobs = createJobPool(0);
  const context: StudyContext = {
    report: 'test',
    study: CONFIG.name,
    configFile: join(DATA, 'nanoaod.yaml'),
    resolve: (path) => join(DATA, path),
    workDir,
    log: createLogger(CONFIG.name),
    jobs,
    backend: () => initBackend('wasm'),
    dependency: () => { throw new Error('no dependencies'); },
  };
  let result: any;
  try {
    result = await cutImportance.run(config, context);
  } finally {
    await jobs.close();
  }
  assert.deepEqual(result.steps.map((step: any) => step.inputs),
    [['njets', 'nbjets'], ['njets', 'nbjets', 'goodHT', 'Chi2_min']]);
  for (const step of result.steps) {
    assert.equal(step.trainings.length, 1);
    assert.ok(step.mean > 0, `${step.name} AUC ${step.mean}`);
    assert.ok(step.mean < 1, `${step.name} AUC ${step.mean}`);
  }
});
