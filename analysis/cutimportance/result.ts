import { InputError } from '../core/errors.ts';
import type { EventCounts } from '../learning/training-job.ts';
import type { RocPoints } from '../learning/auc.ts';

/**
 * Result of a cut-importance study, computed here or imported from an archived table.
 * Fields that an archived table does not have are optional: seeds, saved models,
 * evaluation sets, losses, event counts and ROC points.
 */
export interface CutImportanceResult {
  title?: string;
  /** Where an imported result came from, e.g. `auc_by_cut_step.yaml`; absent when computed. */
  archived?: { source: string; note?: string };
  signal?: string;
  background?: string;
  year?: number;
  /** tfjs backend of the trainings. */
  backend?: string;
  model: ModelSummary;
  /** Lines describing how events were selected, split and weighted. */
  strategy: string[];
  baseInputs: string[];
  steps: StepResult[];
  /** Variables named as candidates but not tested. */
  notTested?: string[];
  /** Events dropped for a NaN or infinite input or weight, with `non_finite: drop`. */
  dropped?: { signal: DroppedEvents; background: DroppedEvents };
}

/** Selected events of one class dropped for NaN or infinite values. */
export interface DroppedEvents {
  events: number;
  /**
   * Dropped events per variable (or `weight`) that is NaN or infinite; an event with
   * several such values counts under each of them.
   */
  byVariable: Record<string, number>;
}

export interface ModelSummary {
  hiddenLayers: number[];
  dropout: number;
  activation: string;
  output: string;
  optimizer: string;
  loss: string;
  batchSize: number;
  learningRate?: number;
  epochs?: number;
  validationFraction?: number;
  patience?: number;
  classWeight?: string;
}

export interface StepResult {
  name: string;
  label: string;
  /** Variables this step adds to the previous one's inputs. */
  added: string[];
  /** All inputs of the step, in network order. */
  inputs: string[];
  units?: string[];
  /** Folder, relative to the study's results folder, of the step's evaluation set. */
  evaluation?: string;
  trainings: TrainingResult[];
  /**
   * Mean and sample standard deviation (n - 1) of the trainings' AUCs; `std` is null for a
   * step with one training, which has no spread.
   */
  mean: number;
  std: number | null;
}

export interface TrainingResult {
  seed?: number;
  auc: number;
  /** Folder, relative to the study's results folder, of the saved network. */
  model?: string;
  epochs?: number;
  bestEpoch?: number;
  trainingLoss?: number[];
  validationLoss?: Array<number | null>;
  seconds?: number;
  counts?: { training: EventCounts; validation: number; evaluation: EventCounts };
  roc?: RocPoints;
}

/** Mean and sample standard deviation; a single value has no spread (null). */
export function meanAndSpread(values: number[]): { mean: number; std: number | null } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  if (values.length < 2) return { mean, std: null };
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

/** States the trainings per step: `1 training`, `3 trainings` or `1 to 5 trainings`. */
export function describeTrainingCount(counts: number[]): string {
  const least = Math.min(...counts);
  const most = Math.max(...counts);
  if (least !== most) return `${least} to ${most} trainings per step`;
  return `${least} training${least === 1 ? '' : 's'} per step`;
}

/**
 * Rejects two steps of the same name: steps are matched by name against an earlier report
 * and shown by name, so a repeated name would hide one of them. `where` starts the message.
 */
export function rejectDuplicateNames(names: string[], where: string): void {
  const first = new Map<string, number>();
  names.forEach((name, index) => {
    const earlier = first.get(name);
    if (earlier !== undefined) {
      throw new InputError(`${where}: steps[${earlier}] and steps[${index}] are both named ` +
        `"${name}"; give each step its own name`);
    }
    first.set(name, index);
  });
}

const numbers = { type: 'array', items: { type: 'number' } };
const dropped = {
  type: 'object',
  required: ['events', 'byVariable'],
  properties: {
    events: { type: 'integer', minimum: 0 },
    byVariable: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
  },
};
const counts = {
  type: 'object',
  required: ['signal', 'background', 'signalWeighted', 'backgroundWeighted'],
  properties: {
    signal: { type: 'integer' },
    background: { type: 'integer' },
    signalWeighted: { type: 'number' },
    backgroundWeighted: { type: 'number' },
  },
};

export const resultSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['model', 'strategy', 'baseInputs', 'steps'],
  properties: {
    title: { type: 'string' },
    archived: {
      type: 'object',
      required: ['source'],
      properties: { source: { type: 'string' }, note: { type: 'string' } },
    },
    signal: { type: 'string' },
    background: { type: 'string' },
    year: { type: 'integer' },
    backend: { type: 'string' },
    model: {
      type: 'object',
      required: ['hiddenLayers', 'dropout', 'activation', 'output', 'optimizer', 'loss', 'batchSize'],
      properties: {
        hiddenLayers: { type: 'array', items: { type: 'integer' } },
        dropout: { type: 'number' },
        activation: { type: 'string' },
        output: { type: 'string' },
        optimizer: { type: 'string' },
        loss: { type: 'string' },
        batchSize: { type: 'integer' },
      },
    },
    strategy: { type: 'array', items: { type: 'string' } },
    baseInputs: { type: 'array', items: { type: 'string' } },
    notTested: { type: 'array', items: { type: 'string' } },
    dropped: {
      type: 'object',
      required: ['signal', 'background'],
      properties: { signal: dropped, background: dropped },
    },
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'label', 'added', 'inputs', 'trainings', 'mean', 'std'],
        properties: {
          name: { type: 'string' },
          label: { type: 'string' },
          added: { type: 'array', items: { type: 'string' } },
          inputs: { type: 'array', items: { type: 'string' } },
          units: { type: 'array', items: { type: 'string' } },
          evaluation: { type: 'string' },
          mean: { type: 'number' },
          std: { type: ['number', 'null'] },
          trainings: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['auc'],
              properties: {
                seed: { type: 'integer' },
                auc: { type: 'number', minimum: 0, maximum: 1 },
                model: { type: 'string' },
                epochs: { type: 'integer' },
                bestEpoch: { type: 'integer' },
                trainingLoss: numbers,
                validationLoss: { type: 'array', items: { type: ['number', 'null'] } },
                seconds: { type: 'number' },
                counts: {
                  type: 'object',
                  required: ['training', 'validation', 'evaluation'],
                  properties: { training: counts, validation: { type: 'integer' }, evaluation: counts },
                },
                roc: {
                  type: 'object',
                  required: ['signalEfficiency', 'backgroundRejection'],
                  properties: { signalEfficiency: numbers, backgroundRejection: numbers },
                },
              },
            },
          },
        },
      },
    },
  },
};
