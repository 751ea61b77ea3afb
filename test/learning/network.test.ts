import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { initBackend, tf } from '../../analysis/learning/backend.ts';
import {
  denseLayer, predict, standardisation, trainNetwork, type EventSet, type ModelConfig,
} from '../../analysis/learning/network.ts';
import { rocAuc } from '../../analysis/learning/auc.ts';
import { InputError } from '../../analysis/core/errors.ts';

await initBackend('wasm');

/** Two overlapping Gaussian classes in 4 inputs, the signal shifted in the first two. */
function gaussianEvents(count: number, seed: string): EventSet {
  const random = seedrandom.alea(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const width = 4;
  const features = new Float32Array(count * width);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 2;
    for (let j = 0; j < width; j++) features[i * width + j] = 10 + 3 * normal() + (j < 2 ? 3 * labels[i] : 0);
  }
  return { inputs: ['a', 'b', 'c', 'd'], count, features, labels, weights: new Float64Array(count).fill(1) };
}

const config: ModelConfig = {
  hiddenLayers: [16, 16],
  dropout: 0.3,
  activation: 'relu',
  learningRate: 0.01,
  batchSize: 64,
  epochs: 6,
  validationFraction: 0.25,
  patience: 3,
  classWeight: 'balanced',
};

const training = gaussianEvents(800, 'training');
const evaluation = gaussianEvents(800, 'evaluation');

async function trainedAuc(seed: number, overrides: Partial<ModelConfig> = {}) {
  const outcome = await trainNetwork(training, ['', '', '', ''], { ...config, ...overrides }, seed);
  const scores = predict(outcome.network, evaluation.features, evaluation.count);
  return { outcome, auc: rocAuc({ scores, labels: evaluation.labels }) };
}

test('same seed gives the same AUC to the last digit', async () => {
  const first = await trainedAuc(7);
  const second = await trainedAuc(7);
  assert.equal(first.auc, second.auc);
  assert.deepEqual(first.outcome.trainingLoss, second.outcome.trainingLoss);
  assert.deepEqual(first.outcome.network.layers[0].kernel, second.outcome.network.layers[0].kernel);
});

test('different seeds give different trainings', async () => {
  const first = await trainedAuc(7);
  const second = await trainedAuc(8);
  assert.notEqual(first.auc, second.auc);
  assert.notDeepEqual(first.outcome.network.layers[0].kernel, second.outcome.network.layers[0].kernel);
});

test('dropout follows the seed', async () => {
  // Same initial weights and batches (seed), so only the dropout masks could differ.
  const first = await trainedAuc(3, { dropout: 0.5 });
  const second = await trainedAuc(3, { dropout: 0.5 });
  const without = await trainedAuc(3, { dropout: 0 });
  assert.equal(first.auc, second.auc);
  assert.notDeepEqual(first.outcome.trainingLoss, without.outcome.trainingLoss);
});

test('trained network separates the classes', async () => {
  const { auc, outcome } = await trainedAuc(1, { epochs: 20 });
  assert.ok(auc > 0.75, `AUC ${auc}`);
  assert.equal(outcome.trainingEvents, 600);
  assert.equal(outcome.validationEvents, 200);
  assert.equal(outcome.network.layers.at(-1)!.activation, 'sigmoid');
  assert.ok(outcome.bestEpoch >= 1, `best epoch ${outcome.bestEpoch}`);
  assert.ok(outcome.bestEpoch <= outcome.epochs, `best epoch ${outcome.bestEpoch} of ${outcome.epochs}`);
});

test('early stopping ends training', async () => {
  const { outcome } = await trainedAuc(1, { epochs: 200, patience: 2, learningRate: 0.05 });
  assert.ok(outcome.epochs < 200, `${outcome.epochs} epochs`);
  assert.equal(outcome.epochs - outcome.bestEpoch, 2);
});

test('class with zero weight sum is an input error', async () => {
  // Background (even events) weighted 0: the class balancing would divide by 0.
  const weights = Float64Array.from(training.labels, (label) => label);
  await assert.rejects(trainNetwork({ ...training, weights }, ['', '', '', ''], config, 1),
    (error: Error) => {
      assert.ok(error instanceof InputError, `${error.name}: ${error.message}`);
      assert.match(error.message, /weights of the 600 training events sum to \d+ for signal and 0 for background/);
      return true;
    });
});

test('negative weights with positive sums train', async () => {
  const weights = Float64Array.from({ length: training.count }, (_, i) => (i % 10 === 3 ? -0.5 : 1));
  const outcome = await trainNetwork({ ...training, weights }, ['', '', '', ''], config, 1);
  assert.ok(outcome.trainingLoss.every(Number.isFinite), outcome.trainingLoss.join(', '));
  const scores = predict(outcome.network, evaluation.features, evaluation.count);
  assert.ok(rocAuc({ scores, labels: evaluation.labels }) > 0.7);
});

test('loss never finite is an error, not a crash', async () => {
  const features = training.features.map((value, i) => (i % 4 === 0 ? NaN : value));
  await assert.rejects(trainNetwork({ ...training, features }, ['', '', '', ''], config, 1),
    /the loss was not finite in any of the \d+ epochs/);
});

test('standardisation uses the training events', () => {
  const set: EventSet = {
    inputs: ['x', 'constant'], count: 4,
    features: Float32Array.from([1, 5, 2, 5, 3, 5, 4, 5]),
    labels: new Uint8Array(4), weights: new Float64Array(4).fill(1),
  };
  const { mean, std } = standardisation(set);
  assert.deepEqual(mean, [2.5, 5]);
  assert.ok(Math.abs(std[0] - Math.sqrt(1.25)) < 1e-12);
  assert.equal(std[1], 1);
});

test('saved network stores the standardisation', async () => {
  const { outcome } = await trainedAuc(2);
  const { mean } = standardisation(training);
  assert.deepEqual(outcome.network.mean, mean);
  assert.ok(outcome.network.mean[0] > 9, `mean ${outcome.network.mean[0]}`);
  assert.ok(outcome.network.mean[0] < 13, `mean ${outcome.network.mean[0]}`);
});

// Why the training loop draws its own dropout masks: tfjs's Dropout layer passes its one
// seed to every call, so each batch would get the same mask.
test('tfjs Dropout layer repeats its mask with a seed', () => {
  const layer = tf.layers.dropout({ rate: 0.5, seed: 42 });
  const input = tf.ones([1, 64]);
  const first = (layer.apply(input, { training: true }) as tf.Tensor).dataSync();
  const second = (layer.apply(input, { training: true }) as tf.Tensor).dataSync();
  assert.deepEqual([...first], [...second]);
});

test('dense layer gradient matches tfjs matMul', () => {
  const x = tf.randomNormal([32, 5], 0, 1, 'float32', 11) as tf.Tensor2D;
  const kernel = tf.randomNormal([5, 7], 0, 1, 'float32', 12) as tf.Tensor2D;
  const bias = tf.randomNormal([7], 0, 1, 'float32', 13) as tf.Tensor1D;
  const weights = tf.randomNormal([32, 7], 0, 1, 'float32', 14);
  for (const relu of [true, false]) {
    const layer = denseLayer(relu);
    const ours = tf.grads((a, b, c) => tf.sum(tf.mul(layer(a, b, c), weights)))([x, kernel, bias]);
    const reference = tf.grads((a, b, c) => {
      const z = tf.add(tf.matMul(a, b), c);
      return tf.sum(tf.mul(relu ? tf.relu(z) : z, weights));
    })([x, kernel, bias]);
    ours.forEach((gradient, i) => {
      const difference = tf.max(tf.abs(tf.sub(gradient, reference[i]))).dataSync()[0];
      assert.ok(difference < 1e-5, `relu ${relu}, input ${i}: max difference ${difference}`);
    });
  }
});
