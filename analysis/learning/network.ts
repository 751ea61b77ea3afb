import seedrandom from 'seedrandom';
import { InputError } from '../core/errors.ts';
import { tf } from './backend.ts';
import type { Activation, DenseLayer, EvaluationSet, SavedNetwork } from './saved-model.ts';

/** Hyper-parameters of the dense binary classifier and of its training. */
export interface ModelConfig {
  /** Units of each hidden layer, input side first. */
  hiddenLayers: number[];
  /** Dropout rate after each hidden layer, 0 for none. */
  dropout: number;
  activation: Extract<Activation, 'relu' | 'elu' | 'selu' | 'tanh' | 'sigmoid'>;
  learningRate: number;
  batchSize: number;
  /** Maximum number of passes over the training events. */
  epochs: number;
  /** Fraction of the training events held out for early stopping, 0 for none. */
  validationFraction: number;
  /** Epochs without a lower validation loss before training stops. */
  patience: number;
  /**
   * `balanced` scales the event weights so that signal and background carry the same total
   * weight in the loss. `none` keeps the event weights as they are.
   */
  classWeight: 'balanced' | 'none';
}

/** Events with physical-unit features, as stored by `saveEvaluationSet`. */
export type EventSet = EvaluationSet;

export interface TrainingOutcome {
  network: SavedNetwork;
  /** Epochs run, early stopping included. */
  epochs: number;
  /** 1-based epoch whose weights were kept (lowest validation loss). */
  bestEpoch: number;
  /** Weighted binary cross-entropy per epoch: training (with dropout) and validation. */
  trainingLoss: number[];
  validationLoss: number[];
  trainingEvents: number;
  validationEvents: number;
}

/**
 * Computes the mean and standard deviation of each input over the events, unweighted like
 * a StandardScaler. A constant input gets std 1, so that it maps to 0.
 */
export function standardisation(set: EventSet): { mean: number[]; std: number[] } {
  const width = set.inputs.length;
  const mean = new Array<number>(width).fill(0);
  const square = new Array<number>(width).fill(0);
  for (let i = 0; i < set.count; i++) {
    for (let j = 0; j < width; j++) mean[j] += set.features[i * width + j];
  }
  for (let j = 0; j < width; j++) mean[j] /= set.count;
  for (let i = 0; i < set.count; i++) {
    for (let j = 0; j < width; j++) square[j] += (set.features[i * width + j] - mean[j]) ** 2;
  }
  const std = square.map((sum) => Math.sqrt(sum / set.count) || 1);
  return { mean, std };
}

/** Applies `(x - mean) / std` to row-major features. */
export function standardise(features: Float32Array, mean: number[], std: number[]): Float32Array {
  const width = mean.length;
  const out = new Float32Array(features.length);
  for (let i = 0; i < features.length; i++) {
    const j = i % width;
    out[i] = (features[i] - mean[j]) / std[j];
  }
  return out;
}

/** A generator of uniform numbers in [0, 1), seeded by a string. */
type Random = () => number;
const randomStream = (seed: number, purpose: string): Random => seedrandom.alea(`${seed}:${purpose}`);

/** Fisher-Yates shuffle of `array` in place with the given generator. */
function shuffle(array: Int32Array, random: Random): void {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = array[i];
    array[i] = array[j];
    array[j] = swap;
  }
}

/**
 * Per-event loss weights with mean 1, after class balancing. A class present among the
 * events must have weights summing to more than 0, because the balancing scales its
 * events by the inverse of that sum. A class may be absent, as from a small validation set.
 */
function lossWeights(labels: Uint8Array, weights: Float64Array, indices: Int32Array,
  classWeight: ModelConfig['classWeight'], subset: string): Float32Array {
  const sums = [0, 0];
  const counts = [0, 0];
  for (const i of indices) {
    const label = labels[i] ? 1 : 0;
    sums[label] += weights[i];
    counts[label] += 1;
  }
  const [background, signal] = sums;
  if ((counts[1] > 0 && !(signal > 0)) || (counts[0] > 0 && !(background > 0))) {
    throw new InputError(`the weights of the ${indices.length} ${subset} events sum to ${signal} ` +
      `for signal and ${background} for background; each class needs a positive sum of weights`);
  }
  const total = signal + background;
  const out = new Float32Array(indices.length);
  indices.forEach((event, k) => {
    let scale = indices.length / total;
    if (classWeight === 'balanced') scale *= total / (2 * (labels[event] ? signal : background));
    out[k] = weights[event] * scale;
  });
  return out;
}

interface NetworkWeights {
  kernels: tf.Variable[];
  biases: tf.Variable[];
}

/**
 * Builds the parameters: Glorot-uniform kernels (Keras' default) from seeds drawn from the
 * training seed, one per layer because tfjs treats seed 0 as "unseeded" and equal seeds
 * give equal matrices, and zero biases.
 */
function initialParameters(sizes: number[], random: Random): NetworkWeights {
  const kernels: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  for (let layer = 1; layer < sizes.length; layer++) {
    const seed = 1 + Math.floor(random() * 2 ** 31);
    const initializer = tf.initializers.glorotUniform({ seed });
    kernels.push(tf.variable(tf.tidy(() => initializer.apply([sizes[layer - 1], sizes[layer]]))));
    biases.push(tf.variable(tf.zeros([sizes[layer]])));
  }
  return { kernels, biases };
}

/** Applies a hidden-layer activation other than relu, which `denseLayer` fuses. */
function activate(x: tf.Tensor2D, activation: ModelConfig['activation']): tf.Tensor2D {
  switch (activation) {
    case 'relu': return tf.relu(x);
    case 'elu': return tf.elu(x);
    case 'selu': return tf.selu(x);
    case 'tanh': return tf.tanh(x);
    case 'sigmoid': return tf.sigmoid(x);
  }
}

/**
 * Builds a dense layer `act(x W + b)`, `act` relu or linear, whose gradient transposes W
 * and x explicitly before multiplying. The wasm backend of tfjs 4.22 multiplies transposed
 * operands (`matMul(a, b, true)`) about ten times slower than plain ones (measured on
 * 2048 x 100 by 100 x 100 products), and the built-in gradient of matMul uses them. An
 * explicit transpose is a cheap copy.
 */
export function denseLayer(relu: boolean) {
  const layer = (x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const y = tf.fused.matMul({ a: x, b: kernel, bias, activation: relu ? 'relu' : 'linear' });
    save(relu ? [x, kernel, y] : [x, kernel]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [input, weights, output] = saved as tf.Tensor2D[];
        const dz = relu ? tf.mul(dy, tf.step(output)) as tf.Tensor2D : dy as tf.Tensor2D;
        return [
          tf.matMul(dz, tf.transpose(weights)),
          tf.matMul(tf.transpose(input), dz),
          tf.sum(dz, 0),
        ];
      },
    };
  };
  // customGrad's typing wants one signature for all inputs; the layer fixes their order.
  return tf.customGrad(layer as unknown as Parameters<typeof tf.customGrad>[0]);
}

const reluLayer = denseLayer(true);
const linearLayer = denseLayer(false);

/** Logits of the network; `masks` (one per hidden layer) apply inverted dropout. */
function forward(x: tf.Tensor2D, parameters: NetworkWeights, activation: ModelConfig['activation'],
  masks?: tf.Tensor2D[]): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  const last = parameters.kernels.length - 1;
  for (let layer = 0; layer <= last; layer++) {
    const kernel = parameters.kernels[layer];
    const bias = parameters.biases[layer];
    if (layer === last) return linearLayer(h, kernel, bias) as tf.Tensor2D;
    h = activation === 'relu'
      ? reluLayer(h, kernel, bias) as tf.Tensor2D
      : activate(linearLayer(h, kernel, bias) as tf.Tensor2D, activation);
    if (masks) h = tf.mul(h, masks[layer]) as tf.Tensor2D;
  }
  return h;
}

/** Inverted-dropout masks (0 or 1 / (1 - rate)) drawn from the seeded generator. */
function dropoutMasks(rows: number, hidden: number[], rate: number, random: Random): tf.Tensor2D[] {
  const keep = 1 / (1 - rate);
  return hidden.map((units) => {
    const values = new Float32Array(rows * units);
    for (let i = 0; i < values.length; i++) values[i] = random() < rate ? 0 : keep;
    return tf.tensor2d(values, [rows, units]);
  });
}

/** Weighted mean binary cross-entropy of logits against labels, over all events given. */
function meanLoss(x: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D, parameters: NetworkWeights,
  config: ModelConfig): number {
  const batch = 8192;
  let sum = 0;
  const rows = x.shape[0];
  for (let start = 0; start < rows; start += batch) {
    const size = Math.min(batch, rows - start);
    sum += tf.tidy(() => {
      const logits = forward(x.slice([start, 0], [size, -1]), parameters, config.activation);
      const losses = tf.losses.sigmoidCrossEntropy(y.slice([start, 0], [size, -1]), logits,
        w.slice([start, 0], [size, -1]), 0, tf.Reduction.NONE);
      return tf.sum(losses).dataSync()[0];
    });
  }
  const weightSum = tf.tidy(() => tf.sum(w).dataSync()[0]);
  return sum / weightSum;
}

function gatherRows(features: Float32Array, width: number, indices: Int32Array): Float32Array {
  const out = new Float32Array(indices.length * width);
  indices.forEach((event, k) => out.set(features.subarray(event * width, (event + 1) * width), k * width));
  return out;
}

/**
 * Trains the network on `set` and returns it with the standardisation built in.
 *
 * Every random choice comes from `seed` through seedrandom streams: the validation split,
 * the initial weights, the order of events in each epoch and the dropout masks. tfjs's own
 * `model.fit` shuffles with `Math.random` and its Dropout layer reuses one seed for every
 * batch, so this loop draws batches and masks itself and steps Adam with
 * `optimizer.minimize`. On one backend the same seed therefore gives the same network, bit
 * for bit.
 */
export async function trainNetwork(set: EventSet, units: string[], config: ModelConfig,
  seed: number, onEpoch?: (epoch: number, trainingLoss: number, validationLoss: number) => void,
): Promise<TrainingOutcome> {
  const width = set.inputs.length;
  const { mean, std } = standardisation(set);
  const scaled = standardise(set.features, mean, std);

  const order = Int32Array.from({ length: set.count }, (_, i) => i);
  shuffle(order, randomStream(seed, 'split'));
  const validationCount = Math.round(set.count * config.validationFraction);
  const validationIndices = order.slice(0, validationCount).sort();
  const trainingIndices = order.slice(validationCount).sort();

  const tensors = (indices: Int32Array, subset: string) => ({
    x: tf.tensor2d(gatherRows(scaled, width, indices), [indices.length, width]),
    y: tf.tensor2d(Float32Array.from(indices, (i) => set.labels[i]), [indices.length, 1]),
    w: tf.tensor2d(lossWeights(set.labels, set.weights, indices, config.classWeight, subset),
      [indices.length, 1]),
  });
  const training = tensors(trainingIndices, 'training');
  const validation = validationCount > 0 ? tensors(validationIndices, 'validation') : undefined;

  const sizes = [width, ...config.hiddenLayers, 1];
  const parameters = initialParameters(sizes, randomStream(seed, 'init'));
  const optimizer = tf.train.adam(config.learningRate);
  const random = randomStream(seed, 'batches');
  const positions = Int32Array.from({ length: trainingIndices.length }, (_, i) => i);

  const trainingLoss: number[] = [];
  const validationLoss: number[] = [];
  let best = { loss: Infinity, epoch: 0, weights: [] as tf.Tensor[] };
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      shuffle(positions, random);
      let lossSum = 0;
      for (let start = 0; start < positions.length; start += config.batchSize) {
        const batch = positions.subarray(start, Math.min(start + config.batchSize, positions.length));
        const masks = config.dropout > 0
          ? dropoutMasks(batch.length, config.hiddenLayers, config.dropout, random) : undefined;
        const loss = tf.tidy(() => {
          const index = tf.tensor1d(batch, 'int32');
          const x = tf.gather(training.x, index) as tf.Tensor2D;
          const y = tf.gather(training.y, index) as tf.Tensor2D;
          const w = tf.gather(training.w, index) as tf.Tensor2D;
          const value = optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(y, forward(x,
            parameters, config.activation, masks), w, 0, tf.Reduction.SUM).div(batch.length) as tf.Scalar,
          true);
          return value!.dataSync()[0];
        });
        if (masks) tf.dispose(masks);
        lossSum += loss * batch.length;
      }
      trainingLoss.push(lossSum / positions.length);

      const monitored = validation
        ? meanLoss(validation.x, validation.y, validation.w, parameters, config)
        : trainingLoss[trainingLoss.length - 1];
      validationLoss.push(validation ? monitored : NaN);
      onEpoch?.(epoch, trainingLoss[epoch - 1], monitored);
      if (monitored < best.loss) {
        tf.dispose(best.weights);
        best = { loss: monitored, epoch, weights: [...parameters.kernels, ...parameters.biases].map((v) => v.clone()) };
      } else if (validation && epoch - best.epoch >= config.patience) {
        break;
      }
      // Lets progress messages out between epochs.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (best.weights.length === 0) {
      throw new Error(`the loss was not finite in any of the ${trainingLoss.length} epochs ` +
        `(last training loss ${trainingLoss.at(-1)}); look for extreme input values or weights`);
    }
    const layers = exportLayers(best.weights, sizes, config.activation);
    return {
      network: { inputs: set.inputs, units, mean, std, layers },
      epochs: trainingLoss.length,
      bestEpoch: best.epoch,
      trainingLoss,
      validationLoss,
      trainingEvents: trainingIndices.length,
      validationEvents: validationCount,
    };
  } finally {
    tf.dispose([training.x, training.y, training.w, ...best.weights]);
    if (validation) tf.dispose([validation.x, validation.y, validation.w]);
    tf.dispose([...parameters.kernels, ...parameters.biases]);
    optimizer.dispose();
  }
}

function exportLayers(weights: tf.Tensor[], sizes: number[], activation: Activation): DenseLayer[] {
  const count = sizes.length - 1;
  return Array.from({ length: count }, (_, layer) => ({
    inputs: sizes[layer],
    outputs: sizes[layer + 1],
    kernel: Float32Array.from(weights[layer].dataSync()),
    bias: Float32Array.from(weights[count + layer].dataSync()),
    activation: layer === count - 1 ? 'sigmoid' : activation,
  }));
}

/**
 * Scores events (physical-unit features, row-major) with a saved network: standardise,
 * then the dense layers, with tfjs on the current backend.
 */
export function predict(network: SavedNetwork, features: Float32Array, count: number): Float32Array {
  const width = network.inputs.length;
  const scaled = standardise(features, network.mean, network.std);
  return tf.tidy(() => {
    let h: tf.Tensor2D = tf.tensor2d(scaled, [count, width]);
    for (const layer of network.layers) {
      const kernel = tf.tensor2d(layer.kernel, [layer.inputs, layer.outputs]);
      const z = tf.add(tf.matMul(h, kernel), tf.tensor1d(layer.bias)) as tf.Tensor2D;
      h = applyActivation(z, layer.activation);
    }
    return Float32Array.from(h.dataSync());
  });
}

function applyActivation(x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case 'linear': return x;
    case 'softplus': return tf.softplus(x);
    default: return activate(x, activation);
  }
}
