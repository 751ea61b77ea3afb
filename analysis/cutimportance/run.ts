import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.ts';
import type { JobSpec } from '../core/jobs.ts';
import type { StudyContext } from '../core/study.ts';
import type { BackendName } from '../learning/backend.ts';
import { saveEvaluationSet } from '../learning/saved-model.ts';
import type { TrainingJobInput, TrainingJobOutput } from '../learning/training-job.ts';
import {
  describeStudy, modelConfig, resolveVariable, type CutImportanceConfig, type Parity, type Variable,
} from './config.ts';
import {
  describeTrainingCount, meanAndSpread, rejectDuplicateNames, type CutImportanceResult,
  type DroppedEvents, type StepResult,
} from './result.ts';
import {
  checkExpressions, eventSet, formatCount, parityOrigin, prepareEvents, type PreparedEvents,
} from './samples.ts';

const TRAINING_JOB = fileURLToPath(new URL('../learning/training-job.ts', import.meta.url));

interface StepPlan {
  name: string;
  label: string;
  added: Variable[];
  inputs: Variable[];
  /** Folder names relative to the work folder. */
  folder: string;
}

/** Cumulative inputs per step: step k has the base inputs and the additions of steps 0..k. */
export function planSteps(config: CutImportanceConfig, configFile: string): StepPlan[] {
  const study = describeStudy(config, configFile);
  if (config.split.train === config.split.evaluate) {
    throw new InputError(`${study}: split.train and split.evaluate are both ` +
      `${config.split.train}, so the AUC would be measured on the training events; make them differ`);
  }
  rejectDuplicateNames(config.steps.map((step) => step.name), study);
  const inputs = config.base_inputs.map(resolveVariable);
  const seen = new Set<string>();
  for (const variable of inputs) {
    if (seen.has(variable.name)) {
      throw new InputError(`${study}: base input ${variable.name} is listed twice`);
    }
    seen.add(variable.name);
  }
  return config.steps.map((step, index) => {
    const added = step.adds.map(resolveVariable);
    for (const variable of added) {
      if (seen.has(variable.name)) {
        throw new InputError(`${study}: steps[${index}] (${step.name}) adds ` +
          `${variable.name}, which is already an input`);
      }
      seen.add(variable.name);
    }
    inputs.push(...added);
    return {
      name: step.name,
      label: step.label ?? (added.length > 0 ? added.map((v) => v.label).join(', ') : 'base inputs'),
      added,
      inputs: [...inputs],
      folder: `step-${index}`,
    };
  });
}

/** Names the events of one half of the split, for both samples: `odd row numbers`. */
function splitOrigin(config: CutImportanceConfig, parity: Parity): string {
  const { signal, background } = config.samples;
  const [forSignal, forBackground] = [parityOrigin(parity, signal), parityOrigin(parity, background)];
  return forSignal === forBackground ? forSignal
    : `${forSignal} (signal) and ${forBackground} (background)`;
}

/** Says which selections apply, leaving out those that are `1` (select everything). */
function selectionPhrase(selections: Array<[what: string, expression: string]>): string {
  const applied = selections.filter(([, expression]) => expression !== '1');
  if (applied.length === 0) return `, with no ${selections.map(([what]) => what).join(' and no ')}`;
  const names = applied.map(([what]) => what).join(' and ');
  return ` after the ${names}: ${applied.map(([, expression]) => expression).join(' && ')}`;
}

function strategyLines(config: CutImportanceConfig, events: PreparedEvents): string[] {
  const seeds = config.trainings === 1 ? `seed ${config.seed}`
    : `seeds ${config.seed} to ${config.seed + config.trainings - 1}`;
  const lines = [
    `Trained on ${splitOrigin(config, config.split.train)}` +
      selectionPhrase([['preselection', config.preselection]]),
    `Evaluated on ${splitOrigin(config, config.split.evaluate)}` +
      selectionPhrase([['preselection', config.preselection], ['cut 0', config.evaluation_selection]]),
    'Each step adds its variables to the inputs without cutting on them; every step uses the same events',
    `${describeTrainingCount([config.trainings])}, ${seeds} (the same at every step); ` +
      'inputs standardised with the training events\' mean and std',
  ];
  const weights = [config.samples.signal.weight, config.samples.background.weight];
  if (weights.some((weight) => weight !== '1')) {
    lines.push(`Event weights: signal ${weights[0]}, background ${weights[1]}`);
  }
  if (config.non_finite === 'drop') lines.push(droppedLine(events));
  return lines;
}

/** States the events dropped for NaN or infinite values, per class and variable. */
function droppedLine(events: PreparedEvents): string {
  const describe = ({ events: count, byVariable }: DroppedEvents) => {
    const detail = Object.entries(byVariable).map(([name, n]) => `${name}: ${formatCount(n)}`);
    return `${formatCount(count)}${detail.length > 0 ? ` (${detail.join(', ')})` : ''}`;
  };
  return 'Selected events dropped for NaN or infinite values (non_finite: drop): ' +
    `signal ${describe(events.signal.dropped)}, background ${describe(events.background.dropped)}`;
}

/**
 * Runs the study: reads and splits the events once, writes each step's training and
 * evaluation sets to the work folder, then trains `trainings` networks per step as jobs in
 * the shared pool and collects their AUCs. Each job's output is also kept as
 * `step-<k>/training-<t>/training.json` beside its network.
 */
export async function runCutImportance(config: CutImportanceConfig,
  context: StudyContext): Promise<CutImportanceResult> {
  const study = describeStudy(config, context.configFile);
  const plan = planSteps(config, context.configFile);
  const variables = plan.at(-1)!.inputs;
  checkExpressions(config, variables, context.configFile);
  const backend = (await context.backend()) as BackendName;

  const events = await prepareEvents(config, variables, context);
  const specs: JobSpec<TrainingJobInput>[] = [];
  for (const step of plan) {
    const names = step.inputs.map((variable) => variable.name);
    const training = eventSet(events, names, 'training');
    const evaluation = eventSet(events, names, 'evaluation');
    await saveEvaluationSet(join(context.workDir, step.folder, 'training-set'), training);
    await saveEvaluationSet(join(context.workDir, step.folder), evaluation);
    for (let t = 0; t < config.trainings; t++) {
      const seed = config.seed + t;
      const model = `${step.folder}/training-${t + 1}`;
      specs.push({
        module: TRAINING_JOB,
        label: `${step.name}, seed ${seed}`,
        outputFile: join(context.workDir, model, 'training.json'),
        input: {
          backend,
          trainingSet: join(context.workDir, step.folder, 'training-set'),
          evaluationSet: join(context.workDir, step.folder),
          modelDir: join(context.workDir, model),
          units: step.inputs.map((variable) => variable.unit),
          model: modelConfig(config.model),
          seed,
        },
      });
    }
  }

  context.log.info(`training ${specs.length} networks (${plan.length} steps x ${config.trainings}) ` +
    `on ${context.jobs.size || 'no'} worker thread(s), tfjs backend ${backend}`);
  const progress = context.log.progress('trainings', specs.length, 'networks');
  const outputs = await context.jobs.runAll<TrainingJobOutput>(specs, (index, output) => {
    const events = output.counts.evaluation.signal + output.counts.evaluation.background;
    context.log.info(`trained ${specs[index].label}: AUC ${output.auc.toFixed(4)} on ` +
      `${formatCount(events)} events (${output.seconds.toFixed(0)} s, ${output.epochs} epochs)`);
    progress.increment();
  }).catch((error: unknown) => {
    // The pool prefixes an input error with the job's label; this names the study.
    if (error instanceof InputError) throw new InputError(`${study}, ${error.message}`, { cause: error });
    throw error;
  }).finally(() => progress.stop());
  // The training events are as large as the evaluation events and nothing reads them
  // after training, so only the evaluation sets and the networks are kept.
  await Promise.all(plan.map((step) =>
    rm(join(context.workDir, step.folder, 'training-set'), { recursive: true, force: true })));

  const steps: StepResult[] = plan.map((step, s) => {
    const trainings = outputs.slice(s * config.trainings, (s + 1) * config.trainings)
      .map((output, t) => ({
        seed: output.seed,
        auc: output.auc,
        model: `${step.folder}/training-${t + 1}`,
        epochs: output.epochs,
        bestEpoch: output.bestEpoch,
        trainingLoss: output.trainingLoss,
        validationLoss: output.validationLoss,
        seconds: output.seconds,
        counts: output.counts,
        roc: output.roc,
      }));
    return {
      name: step.name,
      label: step.label,
      added: step.added.map((variable) => variable.name),
      inputs: step.inputs.map((variable) => variable.name),
      units: step.inputs.map((variable) => variable.unit),
      evaluation: step.folder,
      trainings,
      ...meanAndSpread(trainings.map((training) => training.auc)),
    };
  });

  const model = config.model;
  return {
    title: config.title,
    signal: config.samples.signal.label,
    background: config.samples.background.label,
    backend: outputs[0]?.backend ?? backend,
    model: {
      hiddenLayers: model.hidden_layers,
      dropout: model.dropout,
      activation: model.activation,
      output: 'sigmoid',
      optimizer: 'adam',
      loss: 'binary_crossentropy',
      batchSize: model.batch_size,
      learningRate: model.learning_rate,
      epochs: model.epochs,
      validationFraction: model.validation_fraction,
      patience: model.patience,
      classWeight: model.class_weight,
    },
    strategy: strategyLines(config, events),
    baseInputs: config.base_inputs.map((variable) => resolveVariable(variable).name),
    steps,
    ...(config.non_finite === 'drop'
      ? { dropped: { signal: events.signal.dropped, background: events.background.dropped } } : {}),
  };
}
