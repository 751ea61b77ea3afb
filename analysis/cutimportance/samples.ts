import { InputError } from '../core/errors.ts';
import { parseExpression, type Expression } from '../core/expression.ts';
import type { StudyContext } from '../core/study.ts';
import { expandFiles, readColumns } from '../io/events.ts';
import { readNanoAodVariables } from '../physics/nanoaod-variables.ts';
import type { EvaluationSet } from '../learning/saved-model.ts';
import { describeStudy, type CutImportanceConfig, type Parity, type SampleConfig,
  type Variable } from './config.ts';
import type { DroppedEvents } from './result.ts';

/** One class's events after selection, split into training and evaluation events. */
interface ClassEvents {
  /** Per variable, per event. */
  training: { values: Float64Array[]; weights: Float64Array };
  evaluation: { values: Float64Array[]; weights: Float64Array };
  /** Selected events dropped for NaN or infinite values (`non_finite: drop`). */
  dropped: DroppedEvents;
}

/** What reading a sample needs from the study context. */
type SampleContext = Pick<StudyContext, 'configFile' | 'resolve' | 'log' | 'jobs'>;

/** The events of both classes with every variable of every step, ready to slice per step. */
export interface PreparedEvents {
  variables: Variable[];
  signal: ClassEvents;
  background: ClassEvents;
}

/** Everything a sample's columns are needed for: selections, weight, event number, variables. */
interface SampleExpressions {
  preselection: Expression;
  evaluationSelection: Expression;
  selection?: Expression;
  weight: Expression;
  variables: Expression[];
}

function parseAll(config: CutImportanceConfig, configFile: string, sample: SampleConfig,
  which: string, variables: Variable[]): SampleExpressions {
  const where = (what: string) => `${describeStudy(config, configFile)}, ${what}`;
  return {
    preselection: parseExpression(config.preselection, where('preselection')),
    evaluationSelection: parseExpression(config.evaluation_selection, where('evaluation_selection')),
    selection: sample.selection === undefined ? undefined
      : parseExpression(sample.selection, where(`samples.${which}.selection`)),
    weight: parseExpression(sample.weight, where(`samples.${which}.weight`)),
    variables: variables.map((variable) => parseExpression(variable.expression,
      where(`input ${variable.name}`))),
  };
}

/** Parses every expression of the config, so that a syntax error stops the run before any reading. */
export function checkExpressions(config: CutImportanceConfig, variables: Variable[],
  configFile: string): void {
  parseAll(config, configFile, config.samples.signal, 'signal', variables);
  parseAll(config, configFile, config.samples.background, 'background', variables);
}

/** Names what the split's parity is taken from: `odd event numbers` or `odd row numbers`. */
export function parityOrigin(parity: Parity, sample: SampleConfig): string {
  return `${parity} ${sample.event_number ? 'event' : 'row'} numbers`;
}

/**
 * Reads one sample and selects its training events (sample selection, preselection and
 * training parity) and evaluation events (sample selection, preselection, evaluation
 * selection and evaluation parity). The parity is that of the event-number column, or of
 * the row index in the chain of files when the sample has none.
 *
 * Events with a NaN or infinite variable or weight are counted per variable, then dropped
 * with a warning or rejected, as `non_finite` selects. The check covers the variables of all
 * steps, so every step trains and evaluates on the same events. The weights of the training
 * events and of the evaluation events must each have a positive sum.
 */
async function readSample(config: CutImportanceConfig, which: 'signal' | 'background',
  variables: Variable[], context: SampleContext): Promise<ClassEvents> {
  const { resolve, log, jobs } = context;
  const study = describeStudy(config, context.configFile);
  const sample = config.samples[which];
  const expressions = parseAll(config, context.configFile, sample, which, variables);
  const columns = new Set<string>(sample.event_number ? [sample.event_number] : []);
  for (const expression of [expressions.preselection, expressions.evaluationSelection,
    expressions.selection, expressions.weight, ...expressions.variables]) {
    for (const column of expression?.columns ?? []) columns.add(column);
  }
  const files = await expandFiles(sample.files.map(resolve)).catch((error: Error) => {
    throw new InputError(`${study}, samples.${which}.files: ${error.message}`);
  });
  const read = sample.format === 'nanoaod'
    ? readNanoAodVariables({ files, format: 'root', tree: sample.tree }, nanoAodConfig(config, which, study),
      [...columns], { jobs })
    : readColumns({ files, format: sample.format, tree: sample.tree }, [...columns]);
  const data = await read
    .catch((error: Error) => {
      if (!(error instanceof InputError)) throw error;
      throw new InputError(`${study}, samples.${which}: ${error.message}`, { cause: error });
    });
  const { length } = data;

  const selected = expressions.selection?.evaluate(data.columns, length);
  const preselected = expressions.preselection.evaluate(data.columns, length);
  const evaluationSelected = expressions.evaluationSelection.evaluate(data.columns, length);
  const weights = expressions.weight.evaluate(data.columns, length);
  const values = expressions.variables.map((expression) => expression.evaluate(data.columns, length));
  const eventNumbers = sample.event_number ? data.columns[sample.event_number] : undefined;
  const parityOf = (i: number) => Math.abs(eventNumbers ? eventNumbers[i] : i) % 2;
  const wanted = (parity: Parity) => (parity === 'odd' ? 1 : 0);

  const trainingIndices: number[] = [];
  const evaluationIndices: number[] = [];
  const nonFinite = new Map<string, number>();
  let dropped = 0;
  for (let i = 0; i < length; i++) {
    if (selected && !truth(selected[i])) continue;
    if (!truth(preselected[i])) continue;
    const parity = parityOf(i);
    const training = parity === wanted(config.split.train);
    const evaluation = parity === wanted(config.split.evaluate) && truth(evaluationSelected[i]);
    if (!training && !evaluation) continue;
    let finite = Number.isFinite(weights[i]);
    if (!finite) nonFinite.set('weight', (nonFinite.get('weight') ?? 0) + 1);
    variables.forEach((variable, v) => {
      if (Number.isFinite(values[v][i])) return;
      finite = false;
      nonFinite.set(variable.name, (nonFinite.get(variable.name) ?? 0) + 1);
    });
    if (!finite) { dropped += 1; continue; }
    if (training) trainingIndices.push(i);
    if (evaluation) evaluationIndices.push(i);
  }

  if (dropped > 0) {
    const detail = [...nonFinite].map(([name, count]) => `${name}: ${count}`).join(', ');
    const message = `samples.${which}: ${dropped} selected events have NaN or infinite values (${detail})`;
    if (config.non_finite === 'reject') {
      throw new InputError(`${study}, ${message}; fix the inputs or set non_finite: drop`);
    }
    log.warn(`${message}; dropped (non_finite: drop)`);
  }
  checkNotEmpty(study, which, 'training', trainingIndices.length,
    [sample.selection, config.preselection, parityOrigin(config.split.train, sample)]);
  checkNotEmpty(study, which, 'evaluation', evaluationIndices.length, [sample.selection,
    config.preselection, config.evaluation_selection, parityOrigin(config.split.evaluate, sample)]);
  const weightsOf = (indices: number[]) => Float64Array.from(indices, (i) => weights[i]);
  const trainingWeights = weightsOf(trainingIndices);
  const evaluationWeights = weightsOf(evaluationIndices);
  checkWeightSum(`${study}, samples.${which}`, sample.weight, 'training', trainingWeights);
  checkWeightSum(`${study}, samples.${which}`, sample.weight, 'evaluation', evaluationWeights);

  log.info(`${which}: ${formatCount(length)} events read from ${files.length} file(s), ` +
    `${formatCount(trainingIndices.length)} selected for training and ` +
    `${formatCount(evaluationIndices.length)} for evaluation`);
  const negative = [trainingWeights, evaluationWeights].map(countNegative);
  if (negative[0] + negative[1] > 0) {
    log.info(`${which}: ${formatCount(negative[0])} training and ${formatCount(negative[1])} ` +
      'evaluation events have negative weights');
  }
  const columnsOf = (indices: number[]) => values.map((column) => Float64Array.from(indices, (i) => column[i]));
  return {
    training: { values: columnsOf(trainingIndices), weights: trainingWeights },
    evaluation: { values: columnsOf(evaluationIndices), weights: evaluationWeights },
    dropped: { events: dropped, byVariable: Object.fromEntries(nonFinite) },
  };
}

function countNegative(weights: Float64Array): number {
  let count = 0;
  for (const weight of weights) if (weight < 0) count += 1;
  return count;
}

/**
 * Rejects a class whose events have weights summing to zero or less. The class-balanced
 * loss divides by that sum and the ROC curve normalises by it, so neither is defined then.
 * Negative weights (as from NLO generators) are used as they are while the sum stays positive.
 */
function checkWeightSum(where: string, expression: string, purpose: string,
  weights: Float64Array): void {
  let sum = 0;
  for (const weight of weights) sum += weight;
  if (sum > 0) return;
  throw new InputError(`${where}: the weights (weight: ${expression}) of the ` +
    `${formatCount(weights.length)} events selected for ${purpose} sum to ${Number(sum.toPrecision(6))}; ` +
    'each class needs a positive sum of weights (negative weights are used as they are, ' +
    'as long as the sum stays positive)');
}

function nanoAodConfig(config: CutImportanceConfig, which: string, study: string) {
  const tprime = config.samples[which as 'signal' | 'background'].tprime;
  if (!tprime) {
    throw new InputError(`${study}, samples.${which}: format nanoaod needs a ` +
      'tprime: block (jet selection, b-tagging and chi-square settings; {} for the defaults)');
  }
  return tprime;
}

function checkNotEmpty(study: string, which: string, purpose: string, count: number,
  selections: Array<string | undefined>): void {
  if (count > 0) return;
  const applied = selections.filter((s): s is string => s !== undefined && s !== '1').join(' && ');
  throw new InputError(`${study}: no ${which} events left for ${purpose} after the ` +
    `selection ${applied || '(none)'}`);
}

const truth = (x: number) => x !== 0 && !Number.isNaN(x);

/** Formats an event count with thin-space thousands groups, e.g. `10 492`. */
export function formatCount(count: number): string {
  return Math.round(count).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

/**
 * Reads both samples. For `format: nanoaod` the T' variables (njets, Chi2_min, ...) are
 * computed from the jets, in worker threads of `jobs` when there are several files.
 */
export async function prepareEvents(config: CutImportanceConfig, variables: Variable[],
  context: SampleContext): Promise<PreparedEvents> {
  const signal = await readSample(config, 'signal', variables, context);
  const background = await readSample(config, 'background', variables, context);
  return { variables, signal, background };
}

/** Builds one step's event set (signal first, then background) from the chosen variables. */
export function eventSet(events: PreparedEvents, names: string[],
  purpose: 'training' | 'evaluation'): EvaluationSet {
  const columns = names.map((name) => {
    const index = events.variables.findIndex((variable) => variable.name === name);
    if (index < 0) throw new Error(`variable ${name} was not prepared`);
    return index;
  });
  const parts = [events.signal[purpose], events.background[purpose]];
  const count = parts[0].weights.length + parts[1].weights.length;
  const width = names.length;
  const features = new Float32Array(count * width);
  const labels = new Uint8Array(count);
  const weights = new Float64Array(count);
  let row = 0;
  parts.forEach((part, p) => {
    for (let i = 0; i < part.weights.length; i++, row++) {
      columns.forEach((column, j) => { features[row * width + j] = part.values[column][i]; });
      labels[row] = p === 0 ? 1 : 0;
      weights[row] = part.weights[i];
    }
  });
  return { inputs: names, count, features, labels, weights };
}
