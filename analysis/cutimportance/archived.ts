import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { validate } from '../core/config.ts';
import {
  describeTrainingCount, meanAndSpread, rejectDuplicateNames, type CutImportanceResult,
} from './result.ts';

/**
 * The group's archived AUC table: the network, the base inputs, and per cut step the
 * variables it adds and the AUC of each training. Trained elsewhere (Keras), so there are
 * no seeds, models or ROC points.
 */
interface ArchivedTable {
  signal?: string;
  year?: number;
  model: {
    hidden_layers: number[];
    dropout: number;
    activation: string;
    output?: string;
    optimizer?: string;
    loss?: string;
    batch_size: number;
  };
  base_inputs: string[];
  steps: Array<{ name: string; adds: string[]; auc: number[] }>;
  candidates_not_tested?: string[];
}

const archivedSchema = {
  type: 'object',
  required: ['model', 'base_inputs', 'steps'],
  properties: {
    signal: { type: 'string' },
    year: { type: 'integer' },
    model: {
      type: 'object',
      required: ['hidden_layers', 'dropout', 'activation', 'batch_size'],
      properties: {
        hidden_layers: { type: 'array', items: { type: 'integer', minimum: 1 } },
        dropout: { type: 'number' },
        activation: { type: 'string' },
        output: { type: 'string' },
        optimizer: { type: 'string' },
        loss: { type: 'string' },
        batch_size: { type: 'integer' },
      },
    },
    base_inputs: { type: 'array', items: { type: 'string' } },
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'adds', 'auc'],
        properties: {
          name: { type: 'string' },
          adds: { type: 'array', items: { type: 'string' } },
          auc: { type: 'array', minItems: 1, items: { type: 'number', minimum: 0, maximum: 1 } },
        },
      },
    },
    candidates_not_tested: { type: 'array', items: { type: 'string' } },
  },
};

/**
 * Converts an archived AUC table into a result. The group's files open with a comment
 * block stating the sample, selection and split, which the parsed document no longer has:
 * when `source` is a readable file, that block becomes the strategy lines, one a sentence.
 */
export function importArchivedTable(document: unknown, source: string): CutImportanceResult {
  const table = validate<ArchivedTable>(archivedSchema, document, `${source} (archived AUC table)`);
  rejectDuplicateNames(table.steps.map((step) => step.name), `${source} (archived AUC table)`);
  const inputs = [...table.base_inputs];
  const steps = table.steps.map((step) => {
    inputs.push(...step.adds);
    return {
      name: step.name,
      label: step.adds.length > 0 ? step.adds.join(', ') : 'base inputs',
      added: [...step.adds],
      inputs: [...inputs],
      trainings: step.auc.map((auc) => ({ auc })),
      ...meanAndSpread(step.auc),
    };
  });
  return {
    archived: { source: basename(source) },
    signal: table.signal,
    year: table.year,
    model: {
      hiddenLayers: table.model.hidden_layers,
      dropout: table.model.dropout,
      activation: table.model.activation,
      output: table.model.output ?? 'sigmoid',
      optimizer: table.model.optimizer ?? 'adam',
      loss: table.model.loss ?? 'binary_crossentropy',
      batchSize: table.model.batch_size,
    },
    strategy: [
      // The count is stated from the table itself, so the header's own sentence on it goes.
      ...headerSentences(source).filter((sentence) => !/trainings per step/i.test(sentence)),
      spreadLine(steps.map((step) => step.trainings.length)),
    ],
    baseInputs: [...table.base_inputs],
    steps,
    notTested: table.candidates_not_tested,
  };
}

function spreadLine(counts: number[]): string {
  const single = counts.includes(1) ? ', none for a step with one training' : '';
  return `${describeTrainingCount(counts)}; AUC spread is the sample standard deviation${single}`;
}

/** Sentences of the comment lines that open the file, or none when it cannot be read. */
function headerSentences(source: string): string[] {
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch {
    return [];
  }
  const comment: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    comment.push(line.replace(/^#\s?/, '').trim());
  }
  return comment.join(' ').split(/(?<=\.)\s+/).map((sentence) => sentence.trim()).filter(Boolean);
}
