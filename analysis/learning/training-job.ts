import { initBackend, type BackendRequest } from './backend.ts';
import { trainNetwork, predict, type ModelConfig, type EventSet } from './network.ts';
import { loadEvaluationSet, saveNetwork } from './saved-model.ts';
import { rocCurve, areaUnderCurve, thinRoc, type RocPoints } from './auc.ts';

/**
 * One training of the dense classifier as a job: reads the training and evaluation events
 * from disk, trains with the given seed, writes the network to `modelDir` and returns the
 * figures. Runs the same in a worker thread, in the main thread or from
 * `scripts/run-job.ts`. Its errors do not name the training: the job pool prefixes them with
 * the job's label.
 */
export interface TrainingJobInput {
  backend: BackendRequest;
  /** Folders written by `saveEvaluationSet`: training events and evaluation events. */
  trainingSet: string;
  evaluationSet: string;
  /** Folder the trained network is written to by `saveNetwork`. */
  modelDir: string;
  /** Unit of each input, in input order. */
  units: string[];
  model: ModelConfig;
  seed: number;
}

export interface EventCounts {
  /** Events, signal and background. */
  signal: number;
  background: number;
  /** Sums of event weights. */
  signalWeighted: number;
  backgroundWeighted: number;
}

export interface TrainingJobOutput {
  backend: string;
  seed: number;
  auc: number;
  epochs: number;
  bestEpoch: number;
  trainingLoss: number[];
  /** `null` where no validation events were held out. */
  validationLoss: Array<number | null>;
  seconds: number;
  /** Events used for the gradient steps, held out for early stopping, and evaluated. */
  counts: { training: EventCounts; validation: number; evaluation: EventCounts };
  roc: RocPoints;
}

export function countEvents(set: EventSet): EventCounts {
  const counts = { signal: 0, background: 0, signalWeighted: 0, backgroundWeighted: 0 };
  for (let i = 0; i < set.count; i++) {
    if (set.labels[i]) { counts.signal += 1; counts.signalWeighted += set.weights[i]; }
    else { counts.background += 1; counts.backgroundWeighted += set.weights[i]; }
  }
  return counts;
}

export async function runJob(input: TrainingJobInput,
  progress: (done: number, total: number) => void): Promise<TrainingJobOutput> {
  const started = performance.now();
  const backend = await initBackend(input.backend);
  const [training, evaluation] = await Promise.all([
    loadEvaluationSet(input.trainingSet),
    loadEvaluationSet(input.evaluationSet),
  ]);
  if (evaluation.inputs.join('\n') !== training.inputs.join('\n')) {
    throw new Error(`the training set (${input.trainingSet}) and the evaluation set ` +
      `(${input.evaluationSet}) have different inputs`);
  }

  const outcome = await trainNetwork(training, input.units, input.model, input.seed,
    (epoch) => progress(epoch, input.model.epochs));
  await saveNetwork(input.modelDir, outcome.network);

  const scores = predict(outcome.network, evaluation.features, evaluation.count);
  const curve = rocCurve({ scores, labels: evaluation.labels, weights: evaluation.weights },
    'evaluation events');
  const trainingCounts = countEvents(training);
  return {
    backend,
    seed: input.seed,
    auc: areaUnderCurve(curve),
    epochs: outcome.epochs,
    bestEpoch: outcome.bestEpoch,
    trainingLoss: outcome.trainingLoss,
    validationLoss: outcome.validationLoss.map((loss) => (Number.isNaN(loss) ? null : loss)),
    seconds: (performance.now() - started) / 1000,
    counts: {
      training: trainingCounts,
      validation: outcome.validationEvents,
      evaluation: countEvents(evaluation),
    },
    roc: thinRoc(curve),
  };
}
