/**
 * Taylor-expansion feature importance of the networks trained by a cut-importance study:
 * per cut step, training and class of events, the event-weighted mean |t_i| = |dy/dx_i| and
 * |t_ij| (second order, 1/2 on the diagonal), normalised, with the spread of the trainings.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Study, StudyContext } from '../core/study.ts';
import { InputError } from '../core/errors.ts';
import {
  EVENT_CLASSES, type ClassCoefficients, type EventClass, type InputUnits,
  type SecondOrderMethod, type TaylorJobInput, type TaylorSummary,
} from '../learning/taylor.ts';
import { presentTaylor } from '../taylorimportance/present.ts';

const TAYLOR_JOB = fileURLToPath(new URL('../learning/taylor.ts', import.meta.url));

export interface TaylorImportanceConfig {
  kind: 'taylor-importance';
  name: string;
  title?: string;
  /** Name of the cut-importance study of the same report whose networks are analysed. */
  from: string;
  /** Derivatives in the standardised inputs the network receives, or in physical units. */
  units: InputUnits;
  /** Mean of |t| (default) or of the signed t. */
  absolute: boolean;
  /** Uses at most `max_events` evaluation events of each step, at an even stride over them. */
  max_events?: number;
  /** Number of leading inputs and of pairs kept per step; the slides and page show 5. */
  top: number;
  batch_size: number;
}

/** Mean and sample standard deviation (n - 1) over the trainings of a step. */
export interface Spread<T> {
  mean: T;
  std: T;
}

export interface ClassResult extends ClassCoefficients {
  /** `first` divided by its sum, so that a network's first-order values sum to 1. */
  normalisedFirst: number[];
  /** `second` divided by the sum of its entries with i <= j. */
  normalisedSecond: number[][];
}

export interface TrainingTaylor {
  seed?: number;
  model: string;
  method: SecondOrderMethod;
  seconds: number;
  classes: Record<EventClass, ClassResult>;
}

export interface ClassSpread {
  first: Spread<number[]>;
  second: Spread<number[][]>;
  normalisedFirst: Spread<number[]>;
  normalisedSecond: Spread<number[][]>;
}

export interface RankedInput { input: string; mean: number; std: number }
export interface RankedPair { inputs: [string, string]; mean: number; std: number }

export interface StepTaylor {
  name: string;
  label: string;
  added: string[];
  inputs: string[];
  trainings: TrainingTaylor[];
  /** Mean and spread over the trainings, per class of events. */
  summary: Record<EventClass, ClassSpread>;
  /** The `top` largest mean normalised values over all events. */
  ranking: { inputs: RankedInput[]; pairs: RankedPair[] };
}

export interface TaylorImportanceResult {
  title: string;
  from: string;
  units: InputUnits;
  absolute: boolean;
  backend: string;
  /** Every input of any step, with its unit ('' when dimensionless). */
  inputs: Array<{ name: string; unit: string }>;
  steps: StepTaylor[];
}

const configSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['kind', 'name', 'from'],
  additionalProperties: false,
  properties: {
    kind: { const: 'taylor-importance' },
    name: { type: 'string', minLength: 1 },
    title: { type: 'string' },
    from: { type: 'string', minLength: 1 },
    units: { enum: ['standardised', 'physical'], default: 'standardised' },
    absolute: { type: 'boolean', default: true },
    max_events: { type: 'integer', minimum: 1 },
    top: { type: 'integer', minimum: 1, default: 10 },
    batch_size: { type: 'integer', minimum: 1, default: 2048 },
  },
};

const vector = { type: 'array', items: { type: 'number' } };
const matrix = { type: 'array', items: vector };
const spread = (of: object) => ({
  type: 'object', required: ['mean', 'std'], properties: { mean: of, std: of },
});
const classResult = {
  type: 'object',
  required: ['events', 'sumWeights', 'first', 'second', 'normalisedFirst', 'normalisedSecond'],
  properties: {
    events: { type: 'integer' },
    sumWeights: { type: 'number' },
    first: vector,
    second: matrix,
    normalisedFirst: vector,
    normalisedSecond: matrix,
  },
};
const perClass = (of: object) => ({
  type: 'object', required: EVENT_CLASSES, properties: Object.fromEntries(EVENT_CLASSES.map((c) => [c, of])),
});

const resultSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['title', 'from', 'units', 'absolute', 'backend', 'inputs', 'steps'],
  properties: {
    title: { type: 'string' },
    from: { type: 'string' },
    units: { enum: ['standardised', 'physical'] },
    absolute: { type: 'boolean' },
    backend: { type: 'string' },
    inputs: {
      type: 'array',
      items: { type: 'object', required: ['name', 'unit'], properties: { name: { type: 'string' }, unit: { type: 'string' } } },
    },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'label', 'added', 'inputs', 'trainings', 'summary', 'ranking'],
        properties: {
          name: { type: 'string' },
          label: { type: 'string' },
          added: { type: 'array', items: { type: 'string' } },
          inputs: { type: 'array', items: { type: 'string' } },
          trainings: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['model', 'method', 'seconds', 'classes'],
              properties: {
                seed: { type: 'integer' },
                model: { type: 'string' },
                method: { enum: ['closed-form', 'general'] },
                seconds: { type: 'number' },
                classes: perClass(classResult),
              },
            },
          },
          summary: perClass({
            type: 'object',
            required: ['first', 'second', 'normalisedFirst', 'normalisedSecond'],
            properties: {
              first: spread(vector), second: spread(matrix),
              normalisedFirst: spread(vector), normalisedSecond: spread(matrix),
            },
          }),
          ranking: {
            type: 'object',
            required: ['inputs', 'pairs'],
            properties: { inputs: { type: 'array' }, pairs: { type: 'array' } },
          },
        },
      },
    },
  },
};

/** The parts of a cut-importance result that this study reads. */
interface SourceStep {
  name: string;
  label?: string;
  added?: string[];
  inputs: string[];
  units?: string[];
  evaluation?: string;
  trainings: Array<{ seed?: number; model?: string }>;
}

function sourceSteps(config: TaylorImportanceConfig, result: unknown): SourceStep[] {
  const steps = (result as { steps?: unknown })?.steps;
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new InputError(`study ${config.name}: study ${config.from} has no cut steps in its result`);
  }
  steps.forEach((step: SourceStep, index) => {
    if (!Array.isArray(step?.inputs) || !Array.isArray(step?.trainings)) {
      throw new InputError(`study ${config.name}: step ${index} of study ${config.from} ` +
        'has no inputs or no trainings');
    }
  });
  const withoutModels = (steps as SourceStep[]).filter((step) =>
    !step.evaluation || step.trainings.length === 0 || step.trainings.some((t) => !t.model));
  if (withoutModels.length > 0) {
    const archived = (result as { archived?: { source?: string } }).archived;
    throw new InputError(`study ${config.name}: study ${config.from} has no saved models ` +
      `or evaluation events for ${withoutModels.map((step) => step.name).join(', ')}` +
      (archived ? ` (its result is archived from ${archived.source}, which keeps no networks)` : '') +
      '; run it with trainings instead of importing an archived table');
  }
  return steps;
}

/** Divides by the sum of the first-order values, or of the second-order entries i <= j. */
function normalise(summary: ClassCoefficients): ClassResult {
  const firstSum = summary.first.reduce((sum, v) => sum + v, 0);
  let secondSum = 0;
  summary.second.forEach((row, i) => row.forEach((v, j) => { if (j >= i) secondSum += v; }));
  const divide = (v: number, by: number) => (by !== 0 ? v / by : 0);
  return {
    ...summary,
    normalisedFirst: summary.first.map((v) => divide(v, firstSum)),
    normalisedSecond: summary.second.map((row) => row.map((v) => divide(v, secondSum))),
  };
}

function spreadOf(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  if (values.length < 2) return { mean, std: 0 };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

function vectorSpread(vectors: number[][]): Spread<number[]> {
  const parts = vectors[0].map((_, i) => spreadOf(vectors.map((v) => v[i])));
  return { mean: parts.map((p) => p.mean), std: parts.map((p) => p.std) };
}

function matrixSpread(matrices: number[][][]): Spread<number[][]> {
  const rows = matrices[0].map((_, i) => vectorSpread(matrices.map((m) => m[i])));
  return { mean: rows.map((r) => r.mean), std: rows.map((r) => r.std) };
}

function summarise(trainings: TrainingTaylor[]): Record<EventClass, ClassSpread> {
  const summary = {} as Record<EventClass, ClassSpread>;
  for (const name of EVENT_CLASSES) {
    const classes = trainings.map((training) => training.classes[name]);
    summary[name] = {
      first: vectorSpread(classes.map((c) => c.first)),
      second: matrixSpread(classes.map((c) => c.second)),
      normalisedFirst: vectorSpread(classes.map((c) => c.normalisedFirst)),
      normalisedSecond: matrixSpread(classes.map((c) => c.normalisedSecond)),
    };
  }
  return summary;
}

function rank(inputs: string[], all: ClassSpread, top: number): StepTaylor['ranking'] {
  const ranked = inputs.map((input, i) => ({
    input, mean: all.normalisedFirst.mean[i], std: all.normalisedFirst.std[i],
  }));
  const pairs: RankedPair[] = [];
  inputs.forEach((a, i) => inputs.forEach((b, j) => {
    if (j < i) return;
    pairs.push({ inputs: [a, b], mean: all.normalisedSecond.mean[i][j], std: all.normalisedSecond.std[i][j] });
  }));
  const byMean = (x: { mean: number }, y: { mean: number }) => y.mean - x.mean;
  return { inputs: ranked.sort(byMean).slice(0, top), pairs: pairs.sort(byMean).slice(0, top) };
}

async function run(config: TaylorImportanceConfig, context: StudyContext): Promise<TaylorImportanceResult> {
  const log = context.log;
  const { result: source, dir } = context.dependency(config.from);
  const steps = sourceSteps(config, source);
  const backend = await context.backend();
  const options = {
    units: config.units, absolute: config.absolute, batchSize: config.batch_size,
    maxEvents: config.max_events,
  };

  const specs = steps.flatMap((step) => step.trainings.map((training) => ({
    module: TAYLOR_JOB,
    label: `study ${config.name}: ${config.from} ${step.name}, ${training.model}`,
    input: {
      networkDir: join(dir, training.model!),
      evaluationDir: join(dir, step.evaluation!),
      inputs: step.inputs,
      label: `study ${config.name}: ${config.from} ${step.name} (${training.model})`,
      backend,
      options,
    } satisfies TaylorJobInput,
  })));
  const progress = log.progress('Taylor coefficients', specs.length, 'networks');
  let done = 0;
  const summaries = await context.jobs.runAll<TaylorSummary>(specs, (index, summary) => {
    done += 1;
    progress.update(done);
    log.debug(`${specs[index].label}: ${summary.classes.all.events} events, ` +
      `${summary.method} Hessian, ${summary.seconds.toFixed(2)} s`);
  });
  progress.stop();

  let next = 0;
  const results: StepTaylor[] = steps.map((step) => {
    const trainings = step.trainings.map((training): TrainingTaylor => {
      const summary = summaries[next++];
      const classes = Object.fromEntries(EVENT_CLASSES.map((name) =>
        [name, normalise(summary.classes[name])])) as Record<EventClass, ClassResult>;
      return {
        ...(training.seed !== undefined ? { seed: training.seed } : {}),
        model: training.model!, method: summary.method, seconds: summary.seconds, classes,
      };
    });
    const summary = summarise(trainings);
    const ranking = rank(step.inputs, summary.all, config.top);
    log.info(`${step.name}: ${trainings.length} networks, ${trainings[0].classes.all.events} ` +
      `events; leading input ${ranking.inputs[0].input} ` +
      `(${(100 * ranking.inputs[0].mean).toFixed(1)} %), leading pair ` +
      `${ranking.pairs[0].inputs.join(' × ')}`);
    return {
      name: step.name, label: step.label ?? step.name, added: step.added ?? [], inputs: step.inputs,
      trainings, summary, ranking,
    };
  });

  return {
    title: config.title ?? 'Taylor-expansion feature importance',
    from: config.from,
    units: config.units,
    absolute: config.absolute,
    backend,
    inputs: collectInputs(steps),
    steps: results,
  };
}

function collectInputs(steps: SourceStep[]): Array<{ name: string; unit: string }> {
  const units = new Map<string, string>();
  for (const step of steps) {
    step.inputs.forEach((name, i) => { if (!units.has(name)) units.set(name, step.units?.[i] ?? ''); });
  }
  return [...units].map(([name, unit]) => ({ name, unit }));
}

export const taylorImportance: Study<TaylorImportanceConfig, TaylorImportanceResult> = {
  kind: 'taylor-importance',
  title: 'Taylor-expansion feature importance',
  configSchema,
  resultSchema,
  inputs: async () => [],
  dependsOn: (config) => [config.from],
  run,
  present: presentTaylor,
};
