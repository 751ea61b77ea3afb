import type { ModelConfig } from '../learning/network.ts';
import { tprimeConfigSchema, type TprimeConfig } from '../physics/tprime.ts';

/**
 * Config of a cut-importance study, as written in its YAML file (snake_case keys). The
 * schema below fills in every default, so code after `validate()` can rely on them.
 */
export interface CutImportanceConfig {
  kind: 'cut-importance';
  name: string;
  title?: string;
  samples: { signal: SampleConfig; background: SampleConfig };
  /** Selection of the training events (e.g. trigger, jet and b-jet multiplicities). */
  preselection: string;
  /** Selection of the evaluation events ("cut 0"), applied on top of the preselection. */
  evaluation_selection: string;
  split: { train: Parity; evaluate: Parity };
  /** Handling of events whose inputs or weight are NaN or infinite. */
  non_finite: 'drop' | 'reject';
  base_inputs: VariableConfig[];
  steps: StepConfig[];
  model: ModelSection;
  /** Trainings per step; training t uses seed `seed + t`, the same at every step. */
  trainings: number;
  seed: number;
}

export type Parity = 'odd' | 'even';

export interface SampleConfig {
  /** Paths or globs, relative to the config file. */
  files: string[];
  format?: 'root' | 'csv' | 'nanoaod';
  tree?: string;
  /** Name shown in tables, e.g. `TprimeBToTH_M-700`. */
  label?: string;
  /** Extra selection of this sample's events, e.g. `label == 1` in a mixed file. */
  selection?: string;
  /** Event weight expression, e.g. `genWeight * xsec / sumw`. */
  weight: string;
  /** Column of the event number used by the split; the row index when absent. */
  event_number?: string;
  /** Reconstruction settings of the T' -> tH variables, for `format: nanoaod`. */
  tprime?: TprimeConfig;
}

/** A column name, or an expression of columns with a name, unit and axis label. */
export type VariableConfig = string | { name: string; expression?: string; unit?: string; label?: string };

export interface StepConfig {
  name: string;
  /** Short description for the table, e.g. the cut it stands for. */
  label?: string;
  adds: VariableConfig[];
}

interface ModelSection {
  hidden_layers: number[];
  dropout: number;
  activation: ModelConfig['activation'];
  learning_rate: number;
  batch_size: number;
  epochs: number;
  validation_fraction: number;
  patience: number;
  class_weight: ModelConfig['classWeight'];
}

/** A variable with every field resolved. */
export interface Variable {
  name: string;
  expression: string;
  unit: string;
  label: string;
}

/** Names the study in messages by its name and config file: `study ci (/path/cut.yaml)`. */
export function describeStudy(config: { name: string }, configFile: string): string {
  return `study ${config.name} (${configFile})`;
}

export function resolveVariable(variable: VariableConfig): Variable {
  if (typeof variable === 'string') return { name: variable, expression: variable, unit: '', label: variable };
  return {
    name: variable.name,
    expression: variable.expression ?? variable.name,
    unit: variable.unit ?? '',
    label: variable.label ?? variable.name,
  };
}

export function modelConfig(section: ModelSection): ModelConfig {
  return {
    hiddenLayers: section.hidden_layers,
    dropout: section.dropout,
    activation: section.activation,
    learningRate: section.learning_rate,
    batchSize: section.batch_size,
    epochs: section.epochs,
    validationFraction: section.validation_fraction,
    patience: section.patience,
    classWeight: section.class_weight,
  };
}

const expression = { type: 'string', minLength: 1 };

// Without its top-level default, so that only samples that have a `tprime:` block get one.
const { default: _noDefault, ...tprimeSchema } = tprimeConfigSchema;

const variableSchema = {
  oneOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1 },
        expression,
        unit: { type: 'string' },
        label: { type: 'string' },
      },
    },
  ],
};

const sampleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['files'],
  properties: {
    files: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    format: { enum: ['root', 'csv', 'nanoaod'] },
    tree: { type: 'string', minLength: 1 },
    label: { type: 'string' },
    selection: expression,
    weight: { ...expression, default: '1' },
    event_number: { type: 'string', minLength: 1 },
    tprime: tprimeSchema,
  },
};

export const configSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'name', 'samples', 'base_inputs', 'steps'],
  properties: {
    kind: { const: 'cut-importance' },
    name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
    title: { type: 'string' },
    samples: {
      type: 'object',
      additionalProperties: false,
      required: ['signal', 'background'],
      properties: { signal: sampleSchema, background: sampleSchema },
    },
    preselection: { ...expression, default: '1' },
    evaluation_selection: { ...expression, default: '1' },
    split: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        train: { enum: ['odd', 'even'], default: 'odd' },
        evaluate: { enum: ['odd', 'even'], default: 'even' },
      },
    },
    non_finite: { enum: ['drop', 'reject'], default: 'reject' },
    base_inputs: { type: 'array', minItems: 1, items: variableSchema },
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 1 },
          label: { type: 'string' },
          adds: { type: 'array', items: variableSchema, default: [] },
        },
      },
    },
    model: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        hidden_layers: {
          type: 'array', minItems: 1, items: { type: 'integer', minimum: 1 }, default: [100, 100, 100],
        },
        dropout: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.1 },
        activation: { enum: ['relu', 'elu', 'selu', 'tanh', 'sigmoid'], default: 'relu' },
        learning_rate: { type: 'number', exclusiveMinimum: 0, default: 0.001 },
        batch_size: { type: 'integer', minimum: 1, default: 2048 },
        epochs: { type: 'integer', minimum: 1, default: 100 },
        validation_fraction: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.2 },
        patience: { type: 'integer', minimum: 1, default: 10 },
        class_weight: { enum: ['balanced', 'none'], default: 'balanced' },
      },
    },
    trainings: { type: 'integer', minimum: 1, default: 3 },
    seed: { type: 'integer', minimum: 0, default: 1 },
  },
};
