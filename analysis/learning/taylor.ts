/**
 * Taylor coefficients of a dense network's output: the first derivatives t_i = dy/dx_i and
 * the second derivatives of y with respect to its inputs, averaged over events.
 *
 * Nested `tf.grad` through a tfjs Layers model returns a Hessian of zeros without any error,
 * because sigmoid, tanh and exp keep their output for the backward pass and that kept
 * tensor has no gradient of its own. The derivatives here are therefore propagated by hand,
 * exactly, through the layers of a `SavedNetwork`.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../core/errors.ts';
import { initBackend } from './backend.ts';
import {
  loadEvaluationSet, loadNetwork, type Activation, type DenseLayer, type EvaluationSet,
  type SavedNetwork,
} from './saved-model.ts';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** f(h), f'(h) and f''(h) of one activation at a point, in float64. */
export function activationDerivatives(activation: Activation, h: number): [number, number, number] {
  switch (activation) {
    case 'linear':
      return [h, 1, 0];
    case 'relu':
      return h > 0 ? [h, 1, 0] : [0, 0, 0];
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-h));
      return [s, s * (1 - s), s * (1 - s) * (1 - 2 * s)];
    }
    case 'tanh': {
      const t = Math.tanh(h);
      return [t, 1 - t * t, -2 * t * (1 - t * t)];
    }
    case 'elu':
      return h > 0 ? [h, 1, 0] : [Math.expm1(h), Math.exp(h), Math.exp(h)];
    case 'selu':
      return h > 0
        ? [SELU_SCALE * h, SELU_SCALE, 0]
        : [SELU_SCALE * SELU_ALPHA * Math.expm1(h), SELU_SCALE * SELU_ALPHA * Math.exp(h),
          SELU_SCALE * SELU_ALPHA * Math.exp(h)];
    case 'softplus': {
      const s = 1 / (1 + Math.exp(-h));
      const value = h > 30 ? h : Math.log1p(Math.exp(h));
      return [value, s, s * (1 - s)];
    }
    default:
      throw new InputError(`unknown activation ${JSON.stringify(activation)}`);
  }
}

/**
 * A scalar with its gradient and Hessian with respect to `dimension` variables, carried
 * exactly through sums, products and activations (second-order forward mode, float64).
 * The Hessian is stored full and row-major, `dimension x dimension`.
 */
export class Jet {
  constructor(readonly value: number, readonly gradient: Float64Array,
    readonly hessian: Float64Array) {}

  get dimension(): number {
    return this.gradient.length;
  }

  static constant(value: number, dimension: number): Jet {
    return new Jet(value, new Float64Array(dimension), new Float64Array(dimension * dimension));
  }

  /** The variable number `index` of `dimension`, at `value`. */
  static variable(value: number, index: number, dimension: number): Jet {
    const jet = Jet.constant(value, dimension);
    jet.gradient[index] = 1;
    return jet;
  }

  add(other: Jet | number): Jet {
    if (typeof other === 'number') return new Jet(this.value + other, this.gradient, this.hessian);
    return new Jet(this.value + other.value, addArrays(this.gradient, other.gradient, 1),
      addArrays(this.hessian, other.hessian, 1));
  }

  scale(factor: number): Jet {
    return new Jet(this.value * factor, this.gradient.map((g) => g * factor),
      this.hessian.map((h) => h * factor));
  }

  /** d2(uv) = u d2v + v d2u + du dv^T + dv du^T. */
  mul(other: Jet): Jet {
    const d = this.dimension;
    const gradient = new Float64Array(d);
    const hessian = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      gradient[i] = this.value * other.gradient[i] + other.value * this.gradient[i];
      for (let j = 0; j < d; j++) {
        hessian[i * d + j] = this.value * other.hessian[i * d + j]
          + other.value * this.hessian[i * d + j]
          + this.gradient[i] * other.gradient[j] + other.gradient[i] * this.gradient[j];
      }
    }
    return new Jet(this.value * other.value, gradient, hessian);
  }

  /** d2 f(h) = f''(h) dh dh^T + f'(h) d2h. */
  apply(activation: Activation): Jet {
    const [value, first, second] = activationDerivatives(activation, this.value);
    const d = this.dimension;
    const gradient = this.gradient.map((g) => first * g);
    const hessian = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        hessian[i * d + j] = second * this.gradient[i] * this.gradient[j]
          + first * this.hessian[i * d + j];
      }
    }
    return new Jet(value, gradient, hessian);
  }
}

function addArrays(a: Float64Array, b: Float64Array, factor: number): Float64Array {
  const sum = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) sum[i] = a[i] + factor * b[i];
  return sum;
}

/**
 * Evaluates the network on one standardised input vector with `Jet`s: the value, gradient
 * and Hessian of its single output. It is exact in float64 but slow, with d^2 operations per
 * weight, so it serves as the reference that the batched tfjs paths are tested against.
 */
export function evaluateNetworkJet(network: SavedNetwork, standardised: ArrayLike<number>): Jet {
  const d = standardised.length;
  let activations = Array.from(standardised, (x, i) => Jet.variable(x, i, d));
  for (const layer of network.layers) {
    const next: Jet[] = [];
    for (let j = 0; j < layer.outputs; j++) {
      let h = Jet.constant(layer.bias[j], d);
      for (let i = 0; i < layer.inputs; i++) {
        h = h.add(activations[i].scale(layer.kernel[i * layer.outputs + j]));
      }
      next.push(h.apply(layer.activation));
    }
    activations = next;
  }
  return activations[0];
}

/** Evaluates the network output on one standardised input vector, in float64. */
export function evaluateNetwork(network: SavedNetwork, standardised: ArrayLike<number>): number {
  let activations = Array.from(standardised);
  for (const layer of network.layers) {
    const next = new Array<number>(layer.outputs);
    for (let j = 0; j < layer.outputs; j++) {
      let h = layer.bias[j];
      for (let i = 0; i < layer.inputs; i++) h += activations[i] * layer.kernel[i * layer.outputs + j];
      next[j] = activationDerivatives(layer.activation, h)[0];
    }
    activations = next;
  }
  return activations[0];
}

/**
 * Method of the Hessian. `closed-form` holds only when every hidden layer is relu or
 * linear and the output is a sigmoid: y = s(z) with z piecewise linear in x, so
 * H = y (1 - y) (1 - 2y) g g^T with g = dz/dx. `general` holds for any twice-differentiable
 * activation (relu and elu away from their kink at 0).
 */
export type SecondOrderMethod = 'closed-form' | 'general';

export function closedFormHolds(network: SavedNetwork): boolean {
  const hidden = network.layers.slice(0, -1);
  const output = network.layers[network.layers.length - 1];
  return output.activation === 'sigmoid'
    && hidden.every((layer) => layer.activation === 'relu' || layer.activation === 'linear');
}

/** Checks that the layers chain and end in a single output. Errors start with `what`. */
export function checkNetwork(network: SavedNetwork, what: string): void {
  if (network.layers.length === 0) throw new InputError(`${what}: the network has no layers`);
  let width = network.inputs.length;
  network.layers.forEach((layer, index) => {
    if (layer.inputs !== width) {
      throw new InputError(`${what}: layer ${index} takes ${layer.inputs} inputs, ` +
        `but the layer before gives ${width}`);
    }
    width = layer.outputs;
  });
  if (width !== 1) throw new InputError(`${what}: the network has ${width} outputs, expected 1`);
  if (network.mean.length !== network.inputs.length || network.std.length !== network.inputs.length) {
    throw new InputError(`${what}: standardisation has ${network.mean.length} means and ` +
      `${network.std.length} widths for ${network.inputs.length} inputs`);
  }
  const flat = network.std.findIndex((s) => !(s > 0));
  if (flat >= 0) {
    throw new InputError(`${what}: input ${network.inputs[flat]} has standardisation width ` +
      `${network.std[flat]}, expected a positive number`);
  }
}

/** Per-event derivatives of a batch of `n` events and `d` inputs, as tfjs tensors. */
export interface BatchDerivatives {
  /** Network output, `[n]`. */
  output: tf.Tensor1D;
  /** dy/dx, `[n, d]`. */
  gradient: tf.Tensor2D;
  /** d2y/dx_i dx_j, `[n, d, d]`, symmetric (no factor 1/2). */
  hessian: tf.Tensor3D;
}

/** A dense layer as tfjs tensors; dispose `kernel` and `bias` when done. */
export interface LayerTensors {
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  activation: Activation;
}

export function layerTensors(layer: DenseLayer): LayerTensors {
  return {
    kernel: tf.tensor2d(layer.kernel, [layer.inputs, layer.outputs]),
    bias: tf.tensor1d(layer.bias),
    activation: layer.activation,
  };
}

/** f(h), f'(h) and f''(h) element-wise, as tensors; f'' is null where it is zero. */
function activationTensors(activation: Activation, h: tf.Tensor):
  [tf.Tensor, tf.Tensor, tf.Tensor | null] {
  switch (activation) {
    case 'linear':
      return [h, tf.onesLike(h), null];
    case 'relu':
      return [tf.relu(h), tf.cast(tf.greater(h, 0), 'float32'), null];
    case 'sigmoid': {
      const s = tf.sigmoid(h);
      const first = tf.mul(s, tf.sub(1, s));
      return [s, first, tf.mul(first, tf.sub(1, tf.mul(2, s)))];
    }
    case 'tanh': {
      const t = tf.tanh(h);
      const first = tf.sub(1, tf.square(t));
      return [t, first, tf.mul(tf.mul(-2, t), first)];
    }
    case 'elu':
    case 'selu': {
      const alpha = activation === 'selu' ? SELU_ALPHA * SELU_SCALE : 1;
      const scale = activation === 'selu' ? SELU_SCALE : 1;
      const positive = tf.greater(h, 0);
      const exponential = tf.mul(alpha, tf.exp(tf.minimum(h, 0)));
      const value = tf.where(positive, tf.mul(scale, h), tf.sub(exponential, alpha));
      const first = tf.where(positive, tf.fill(h.shape, scale), exponential);
      return [value, first, tf.where(positive, tf.zerosLike(h), exponential)];
    }
    case 'softplus': {
      const s = tf.sigmoid(h);
      return [tf.softplus(h), s, tf.mul(s, tf.sub(1, s))];
    }
    default:
      throw new InputError(`unknown activation ${JSON.stringify(activation)}`);
  }
}

interface ForwardPass {
  output: tf.Tensor1D;
  /** f_l'(h_l) per layer, `[n, m_l]`. */
  slopes: tf.Tensor2D[];
  /** f_l''(h_l) per layer, null where the activation has no curvature. */
  curvatures: Array<tf.Tensor2D | null>;
}

function forwardPass(layers: LayerTensors[], standardised: tf.Tensor2D): ForwardPass {
  const slopes: tf.Tensor2D[] = [];
  const curvatures: Array<tf.Tensor2D | null> = [];
  let a: tf.Tensor2D = standardised;
  for (const layer of layers) {
    const h = tf.add(tf.matMul(a, layer.kernel), layer.bias);
    const [value, first, second] = activationTensors(layer.activation, h);
    slopes.push(first as tf.Tensor2D);
    curvatures.push(second as tf.Tensor2D | null);
    a = value as tf.Tensor2D;
  }
  return { output: tf.reshape(a, [-1]) as tf.Tensor1D, slopes, curvatures };
}

/**
 * Backward pass from `seed` = d(target)/dh_L (`[n, 1]`): returns d(target)/dx (`[n, d]`)
 * and d(target)/da_l of every layer (the last one is the seed's own target, set to 1).
 */
function backwardPass(layers: LayerTensors[], pass: ForwardPass, seed: tf.Tensor2D):
  { gradient: tf.Tensor2D; adjoints: tf.Tensor2D[] } {
  const last = layers.length - 1;
  const adjoints: tf.Tensor2D[] = new Array(layers.length);
  adjoints[last] = tf.onesLike(seed);
  let upstream = seed;
  for (let l = last; l > 0; l--) {
    adjoints[l - 1] = tf.matMul(upstream, layers[l].kernel, false, true);
    upstream = tf.mul(pass.slopes[l - 1], adjoints[l - 1]);
  }
  return { gradient: tf.matMul(upstream, layers[0].kernel, false, true), adjoints };
}

/**
 * Hessian of every event, `[n, d, d]`, for any twice-differentiable activations:
 * H = sum_l J_l^T diag(f_l''(h_l) dy/da_l) J_l over the layers l, with pre-activations h_l,
 * activations a_l and Jacobians J_l = dh_l/dx. This is the forward rule
 * d2a = f''(h) dh dh^T + f'(h) d2h unrolled, since d2h is linear in the d2a before it.
 * J_l^T is carried forward as d tangent rows per event, so each layer costs one matMul of
 * n d rows, like a forward pass on n d events.
 */
function generalHessian(layers: LayerTensors[], pass: ForwardPass, adjoints: tf.Tensor2D[],
  d: number): tf.Tensor3D {
  const n = pass.output.shape[0];
  let hessian: tf.Tensor3D = tf.zeros([n, d, d]);
  // [n, d, m_l], absent for the first layer, whose J_1^T is its kernel for every event.
  let tangents: tf.Tensor3D | null = null;
  for (let l = 0; l < layers.length; l++) {
    const m = layers[l].kernel.shape[1];
    if (l > 0) {
      const slope = tf.reshape(pass.slopes[l - 1], [n, 1, -1]);
      const scaled = tf.mul(tangents ?? tf.reshape(layers[0].kernel, [1, d, -1]), slope);
      const rows = tf.reshape(scaled, [n * d, -1]) as tf.Tensor2D;
      tangents = tf.reshape(tf.matMul(rows, layers[l].kernel), [n, d, m]) as tf.Tensor3D;
    }
    const curvature = pass.curvatures[l];
    if (!curvature) continue;
    const weight = tf.reshape(tf.mul(curvature, adjoints[l]), [n, 1, m]);
    let term: tf.Tensor;
    if (tangents) {
      term = tf.matMul(tf.mul(tangents, weight) as tf.Tensor3D, tangents, false, true);
    } else {
      const kernel = layers[0].kernel;
      const rows = tf.reshape(tf.mul(tf.reshape(kernel, [1, d, m]), weight), [n * d, m]);
      term = tf.reshape(tf.matMul(rows as tf.Tensor2D, kernel, false, true), [n, d, d]);
    }
    hessian = tf.add(hessian, term);
  }
  return hessian;
}

/**
 * Parts of the closed form for relu or linear hidden layers and a sigmoid output y = s(z):
 * g = dz/dx, so that dy/dx = s' g and H = s'' g g^T with s' = y(1-y), s'' = y(1-y)(1-2y).
 */
function closedFormParts(layers: LayerTensors[], standardised: tf.Tensor2D):
  { output: tf.Tensor1D; g: tf.Tensor2D; slope: tf.Tensor2D; curvature: tf.Tensor2D } {
  const pass = forwardPass(layers, standardised);
  const last = layers.length - 1;
  const { gradient: g } = backwardPass(layers, pass, tf.onesLike(pass.slopes[last]));
  return { output: pass.output, g, slope: pass.slopes[last], curvature: pass.curvatures[last]! };
}

/** Computes output, gradient and full Hessian of every event of `standardised` (`[n, d]`). */
export function networkDerivatives(layers: LayerTensors[], standardised: tf.Tensor2D,
  method: SecondOrderMethod): BatchDerivatives {
  return tf.tidy(() => {
    const [n, d] = standardised.shape;
    if (method === 'closed-form') {
      const { output, g, slope, curvature } = closedFormParts(layers, standardised);
      const outer = tf.mul(tf.reshape(g, [n, d, 1]), tf.reshape(g, [n, 1, d]));
      return {
        output,
        gradient: tf.mul(g, slope) as tf.Tensor2D,
        hessian: tf.mul(outer, tf.reshape(curvature, [n, 1, 1])) as tf.Tensor3D,
      };
    }
    const pass = forwardPass(layers, standardised);
    const { gradient, adjoints } = backwardPass(layers, pass, pass.slopes[layers.length - 1]);
    return { output: pass.output, gradient, hessian: generalHessian(layers, pass, adjoints, d) };
  });
}

/**
 * Weighted sums over the events of a batch of t_i and of the full Hessian (or of their
 * absolute values): `[k, d]` and `[k, d * d]` for the `k` rows of `weights` (`[k, n]`).
 * The closed form never builds the `[n, d, d]` Hessian: with |H| = |s''| |g| |g|^T the sum
 * is A^T diag(w |s''|) A with A = |g|, one `d x n` by `n x d` product per row of weights.
 */
function weightedSums(layers: LayerTensors[], standardised: tf.Tensor2D, weights: tf.Tensor2D,
  method: SecondOrderMethod, absolute: boolean): [tf.Tensor2D, tf.Tensor2D] {
  return tf.tidy((): [tf.Tensor2D, tf.Tensor2D] => {
    const metric = <T extends tf.Tensor>(t: T): T => (absolute ? tf.abs(t) : t);
    const [n, d] = standardised.shape;
    if (method === 'closed-form') {
      const { g, slope, curvature } = closedFormParts(layers, standardised);
      const first = tf.matMul(weights, metric(tf.mul(g, slope) as tf.Tensor2D)) as tf.Tensor2D;
      const a = metric(g);
      const rows = tf.unstack(weights).map((w) => {
        const scaled = tf.mul(a, tf.reshape(tf.mul(w, metric(tf.reshape(curvature, [n]))), [n, 1]));
        return tf.reshape(tf.matMul(scaled as tf.Tensor2D, a, true, false), [d * d]);
      });
      return [first, tf.stack(rows) as tf.Tensor2D];
    }
    const { gradient, hessian } = networkDerivatives(layers, standardised, method);
    const second = tf.reshape(metric(hessian), [n, d * d]) as tf.Tensor2D;
    return [tf.matMul(weights, metric(gradient)), tf.matMul(weights, second)];
  });
}

/**
 * Taylor coefficients from a gradient and a full Hessian (row-major, `d x d`): t_i = dy/dx_i,
 * t_ii = H_ii / 2 and t_ij = H_ij for i != j, as in
 * y(x + dx) = y + sum_i t_i dx_i + sum_{i<=j} t_ij dx_i dx_j. The mixed terms are
 * symmetrised, (H_ij + H_ji) / 2, so that float32 rounding leaves no asymmetry.
 */
export function taylorCoefficients(gradient: ArrayLike<number>, hessian: ArrayLike<number>):
  { first: number[]; second: number[][] } {
  const d = gradient.length;
  const second = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) =>
    (i === j ? hessian[i * d + i] / 2 : (hessian[i * d + j] + hessian[j * d + i]) / 2)));
  return { first: Array.from(gradient), second };
}

export type InputUnits = 'standardised' | 'physical';

export interface TaylorOptions {
  /** `standardised` (what the network sees) or `physical` (chain rule through the widths). */
  units: InputUnits;
  /** Average |t| (true, the usual metric) or the signed t. */
  absolute: boolean;
  /** Events per tfjs batch; bounds memory at about batch x d x width x 4 bytes. */
  batchSize?: number;
  /** Forces a method; by default the closed form is used wherever it holds. */
  method?: SecondOrderMethod;
  /**
   * Uses at most `maxEvents` events, taken at an even stride over the set: the sets are
   * stored signal first, so the first events alone would leave out the background.
   */
  maxEvents?: number;
}

export type EventClass = 'all' | 'signal' | 'background';
export const EVENT_CLASSES: EventClass[] = ['all', 'signal', 'background'];

/** Event-weighted means of the Taylor coefficients of one class of events. */
export interface ClassCoefficients {
  events: number;
  sumWeights: number;
  /** Mean t_i (or |t_i|), one per input. */
  first: number[];
  /** Mean t_ij (or |t_ij|), symmetric `d x d`, with the factor 1/2 on the diagonal. */
  second: number[][];
}

export interface TaylorSummary {
  inputs: string[];
  units: InputUnits;
  absolute: boolean;
  method: SecondOrderMethod;
  classes: Record<EventClass, ClassCoefficients>;
  /** Seconds spent on the derivatives, data transfer included. */
  seconds: number;
}

/**
 * Computes the event-weighted mean Taylor coefficients of `network` over `set`, for all
 * events and per class. `set` is in physical units and is standardised here.
 */
export async function meanTaylorCoefficients(network: SavedNetwork, fullSet: EvaluationSet,
  options: TaylorOptions, progress: (done: number, total: number) => void = () => {}):
  Promise<TaylorSummary> {
  const started = performance.now();
  const set = evenSubset(fullSet, options.maxEvents);
  const d = network.inputs.length;
  const method = options.method ?? (closedFormHolds(network) ? 'closed-form' : 'general');
  if (method === 'closed-form' && !closedFormHolds(network)) {
    throw new InputError('the closed-form Hessian needs relu or linear hidden layers and a ' +
      `sigmoid output, not ${network.layers.map((layer) => layer.activation).join(', ')}`);
  }
  const count = set.count;
  const batchSize = options.batchSize ?? 2048;
  const layers = network.layers.map(layerTensors);
  const mean = tf.tensor1d(network.mean);
  const std = tf.tensor1d(network.std);
  const sums = EVENT_CLASSES.map(() => ({ first: new Float64Array(d), second: new Float64Array(d * d) }));
  const sumWeights = [0, 0, 0];
  const events = [0, 0, 0];
  try {
    for (let start = 0; start < count; start += batchSize) {
      const n = Math.min(batchSize, count - start);
      const classWeights = new Float32Array(3 * n);
      for (let e = 0; e < n; e++) {
        const w = set.weights[start + e];
        const row = set.labels[start + e] === 1 ? 1 : 2;
        classWeights[e] = w;
        classWeights[row * n + e] = w;
        sumWeights[0] += w;
        sumWeights[row] += w;
        events[0] += 1;
        events[row] += 1;
      }
      const [first, second] = tf.tidy(() => {
        const raw = tf.tensor2d(set.features.subarray(start * d, (start + n) * d), [n, d]);
        const x = tf.div(tf.sub(raw, mean), std) as tf.Tensor2D;
        const weights = tf.tensor2d(classWeights, [3, n]);
        return weightedSums(layers, x, weights, method, options.absolute);
      });
      const [firstValues, secondValues] = await Promise.all([first.data(), second.data()]);
      tf.dispose([first, second]);
      for (let c = 0; c < 3; c++) {
        for (let i = 0; i < d; i++) sums[c].first[i] += firstValues[c * d + i];
        for (let k = 0; k < d * d; k++) sums[c].second[k] += secondValues[c * d * d + k];
      }
      progress(start + n, count);
    }
  } finally {
    tf.dispose([mean, std, ...layers.flatMap((layer) => [layer.kernel, layer.bias])]);
  }

  // Physical units: dy/dx_phys,i = dy/dx_std,i / std_i, likewise 1 / (std_i std_j) for the
  // second order. The widths are positive, so this commutes with the absolute value.
  const scale = (i: number) => (options.units === 'physical' ? 1 / network.std[i] : 1);
  const classes = {} as Record<EventClass, ClassCoefficients>;
  EVENT_CLASSES.forEach((name, c) => {
    const norm = sumWeights[c] !== 0 ? 1 / sumWeights[c] : 0;
    const gradient = sums[c].first.map((v, i) => v * norm * scale(i));
    const hessian = sums[c].second.map((v, k) => v * norm * scale(Math.floor(k / d)) * scale(k % d));
    classes[name] = { events: events[c], sumWeights: sumWeights[c], ...taylorCoefficients(gradient, hessian) };
  });
  return {
    inputs: network.inputs,
    units: options.units,
    absolute: options.absolute,
    method,
    classes,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Initialises the tfjs backend of this thread: `cpu` (pure JavaScript, used by the tests),
 * else `wasm` or `tensorflow` through the project's backend selection.
 */
export async function useBackend(name: string): Promise<string> {
  if (name === 'cpu') {
    await tf.setBackend('cpu');
    await tf.ready();
    return 'cpu';
  }
  if (name !== 'wasm' && name !== 'tensorflow') {
    throw new InputError(`invalid tfjs backend "${name}": expected cpu, wasm or tensorflow`);
  }
  return initBackend(name);
}

/** Input of one Taylor job: one trained network on its evaluation events. */
export interface TaylorJobInput {
  networkDir: string;
  evaluationDir: string;
  /** Variables the study expects, in order; the network and the events must match them. */
  inputs: string[];
  /** Names the network in errors, e.g. `higgs-cut-importance step-2/training-1`. */
  label: string;
  backend: string;
  options: TaylorOptions;
}

/** Job entry point (see analysis/core/jobs.ts): one network, its mean Taylor coefficients. */
export async function runJob(input: TaylorJobInput,
  progress: (done: number, total: number) => void): Promise<TaylorSummary> {
  await useBackend(input.backend);
  const network = await loadNetwork(input.networkDir);
  checkNetwork(network, `${input.label} (${input.networkDir})`);
  checkInputs(network.inputs, input.inputs, `${input.label}: the network`);
  const set = await loadEvaluationSet(input.evaluationDir);
  checkInputs(set.inputs, input.inputs, `${input.label}: the evaluation events (${input.evaluationDir})`);
  return meanTaylorCoefficients(network, set, input.options, progress);
}

function checkInputs(actual: string[], expected: string[], what: string): void {
  if (actual.length === expected.length && actual.every((name, i) => name === expected[i])) return;
  const missing = expected.filter((name) => !actual.includes(name));
  const extra = actual.filter((name) => !expected.includes(name));
  const details = [
    missing.length ? `missing ${missing.join(', ')}` : '',
    extra.length ? `not in the study: ${extra.join(', ')}` : '',
    !missing.length && !extra.length ? `order ${actual.join(', ')}` : '',
  ].filter(Boolean).join('; ');
  throw new InputError(`${what} has inputs that do not match the study's variables ` +
    `${expected.join(', ')}: ${details}`);
}

/** At most `maxEvents` events of a set, every (count / maxEvents)-th one, in their order. */
export function evenSubset(set: EvaluationSet, maxEvents?: number): EvaluationSet {
  if (maxEvents === undefined || maxEvents >= set.count) return set;
  const d = set.inputs.length;
  const features = new Float32Array(maxEvents * d);
  const labels = new Uint8Array(maxEvents);
  const weights = new Float64Array(maxEvents);
  for (let k = 0; k < maxEvents; k++) {
    const e = Math.floor((k * set.count) / maxEvents);
    features.set(set.features.subarray(e * d, (e + 1) * d), k * d);
    labels[k] = set.labels[e];
    weights[k] = set.weights[e];
  }
  return { inputs: set.inputs, count: maxEvents, features, labels, weights };
}
