import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  Jet, activationDerivatives, checkNetwork, closedFormHolds, evaluateNetwork,
  evaluateNetworkJet, evenSubset, layerTensors, meanTaylorCoefficients, networkDerivatives, runJob,
  taylorCoefficients, useBackend, type SecondOrderMethod,
} from '../../analysis/learning/taylor.ts';
import {
  loadEvaluationSet, loadNetwork, type Activation, type EvaluationSet, type SavedNetwork,
} from '../../analysis/learning/saved-model.ts';

const fixtures = fileURLToPath(new URL('../fixtures/taylor/', import.meta.url));
let relu: SavedNetwork;
let tanh: SavedNetwork;
let events: EvaluationSet;

before(async () => {
  await useBackend('cpu');
  relu = await loadNetwork(join(fixtures, 'step-1/training-0'));
  tanh = await loadNetwork(join(fixtures, 'tanh'));
  events = await loadEvaluationSet(join(fixtures, 'step-1'));
});

function standardised(network: SavedNetwork, set: EvaluationSet, event: number): Float64Array {
  const d = network.inputs.length;
  return Float64Array.from({ length: d },
    (_, i) => (set.features[event * d + i] - network.mean[i]) / network.std[i]);
}

/** Hidden relu units' signs: equal patterns mean no kink lies between two points. */
function reluPattern(network: SavedNetwork, x: ArrayLike<number>): string {
  let activations = Array.from(x);
  let pattern = '';
  for (const layer of network.layers) {
    const next: number[] = [];
    for (let j = 0; j < layer.outputs; j++) {
      let h = layer.bias[j];
      for (let i = 0; i < layer.inputs; i++) h += activations[i] * layer.kernel[i * layer.outputs + j];
      if (layer.activation === 'relu') pattern += h > 0 ? '1' : '0';
      next.push(activationDerivatives(layer.activation, h)[0]);
    }
    activations = next;
  }
  return pattern;
}

const STEP = 1e-3;

/** Central finite differences of the float64 network: gradient and full Hessian. */
function finiteDifferences(network: SavedNetwork, x: Float64Array):
  { gradient: number[]; hessian: number[]; points: Float64Array[] } {
  const d = x.length;
  const points: Float64Array[] = [];
  const at = (shifts: Array<[number, number]>) => {
    const point = Float64Array.from(x);
    for (const [i, amount] of shifts) point[i] += amount;
    points.push(point);
    return evaluateNetwork(network, point);
  };
  const gradient = Array.from({ length: d },
    (_, i) => (at([[i, STEP]]) - at([[i, -STEP]])) / (2 * STEP));
  const hessian = new Array<number>(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      hessian[i * d + j] = (at([[i, STEP], [j, STEP]]) - at([[i, STEP], [j, -STEP]])
        - at([[i, -STEP], [j, STEP]]) + at([[i, -STEP], [j, -STEP]])) / (4 * STEP * STEP);
    }
  }
  return { gradient, hessian, points };
}

/** Largest |a - b| relative to the largest |b| of the array. */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let difference = 0;
  for (let k = 0; k < b.length; k++) {
    scale = Math.max(scale, Math.abs(b[k]));
    difference = Math.max(difference, Math.abs(a[k] - b[k]));
  }
  return scale > 0 ? difference / scale : difference;
}

function derivativesOf(network: SavedNetwork, x: Float64Array, method: SecondOrderMethod) {
  const layers = network.layers.map(layerTensors);
  const input = tf.tensor2d(Float32Array.from(x), [1, x.length]);
  const { output, gradient, hessian } = networkDerivatives(layers, input, method);
  const values = { gradient: gradient.dataSync(), hessian: hessian.dataSync() };
  tf.dispose([input, output, gradient, hessian, ...layers.flatMap((l) => [l.kernel, l.bias])]);
  return values;
}

test('analytic function coefficients', () => {
  // f = x y + x y^2 + y^3 at (x, y) = (3, 2).
  const x = Jet.variable(3, 0, 2);
  const y = Jet.variable(2, 1, 2);
  const f = x.mul(y).add(x.mul(y).mul(y)).add(y.mul(y).mul(y));
  assert.equal(f.value, 3 * 2 + 3 * 4 + 8);
  const { first, second } = taylorCoefficients(f.gradient, f.hessian);
  assert.deepEqual(first, [6, 27]);
  assert.equal(second[0][0], 0);
  assert.equal(second[0][1], 5);
  assert.equal(second[1][0], 5);
  assert.equal(second[1][1], 9);
});

test('activation derivatives match differences', () => {
  const activations: Activation[] = ['linear', 'relu', 'sigmoid', 'tanh', 'elu', 'selu', 'softplus'];
  for (const activation of activations) {
    for (const h of [-1.7, -0.3, 0.4, 2.2]) {
      const [, first, second] = activationDerivatives(activation, h);
      const f = (u: number) => activationDerivatives(activation, u)[0];
      const slope = (f(h + 1e-5) - f(h - 1e-5)) / 2e-5;
      const curvature = (f(h + 1e-4) - 2 * f(h) + f(h - 1e-4)) / 1e-8;
      assert.ok(Math.abs(first - slope) < 1e-6, `${activation}'(${h}) = ${first}, not ${slope}`);
      assert.ok(Math.abs(second - curvature) < 1e-5,
        `${activation}''(${h}) = ${second}, not ${curvature}`);
    }
  }
});

test('relu network matches finite differences', () => {
  let checked = 0;
  for (let event = 0; event < events.count && checked < 10; event++) {
    const x = standardised(relu, events, event);
    const fd = finiteDifferences(relu, x);
    const pattern = reluPattern(relu, x);
    if (!fd.points.every((point) => reluPattern(relu, point) === pattern)) continue;
    checked += 1;
    for (const method of ['general', 'closed-form'] as const) {
      const exact = derivativesOf(relu, x, method);
      const gradientError = relativeDifference(exact.gradient, fd.gradient);
      const hessianError = relativeDifference(exact.hessian, fd.hessian);
      assert.ok(gradientError < 1e-3, `event ${event} ${method}: gradient off by ${gradientError}`);
      assert.ok(hessianError < 1e-3, `event ${event} ${method}: Hessian off by ${hessianError}`);
    }
  }
  assert.equal(checked, 10);
});

test('tanh network matches finite differences', () => {
  for (let event = 0; event < 5; event++) {
    const x = standardised(tanh, events, event);
    const fd = finiteDifferences(tanh, x);
    const exact = derivativesOf(tanh, x, 'general');
    assert.ok(relativeDifference(exact.gradient, fd.gradient) < 1e-3, `event ${event}: gradient`);
    assert.ok(relativeDifference(exact.hessian, fd.hessian) < 1e-3, `event ${event}: Hessian`);
  }
});

test('batched paths match float64 jets', () => {
  for (const [network, method] of [[relu, 'closed-form'], [relu, 'general'], [tanh, 'general']] as const) {
    for (let event = 0; event < 5; event++) {
      const x = standardised(network, events, event);
      const jet = evaluateNetworkJet(network, x);
      const exact = derivativesOf(network, x, method);
      assert.ok(relativeDifference(exact.gradient, jet.gradient) < 1e-5, `${method} gradient`);
      assert.ok(relativeDifference(exact.hessian, jet.hessian) < 1e-5, `${method} Hessian`);
    }
  }
});

test('closed form agrees with general path', () => {
  const layers = relu.layers.map(layerTensors);
  const d = relu.inputs.length;
  const x = tf.tidy(() => tf.div(tf.sub(tf.tensor2d(events.features, [events.count, d]),
    tf.tensor1d(relu.mean)), tf.tensor1d(relu.std)) as tf.Tensor2D);
  const closed = networkDerivatives(layers, x, 'closed-form');
  const general = networkDerivatives(layers, x, 'general');
  const closedHessian = closed.hessian.dataSync();
  const generalHessian = general.hessian.dataSync();
  let nonZero = 0;
  for (let event = 0; event < events.count; event++) {
    const range = [event * d * d, (event + 1) * d * d];
    const a = closedHessian.subarray(range[0], range[1]);
    const b = generalHessian.subarray(range[0], range[1]);
    if (b.some((v) => v !== 0)) nonZero += 1;
    assert.ok(relativeDifference(a, b) < 1e-4, `event ${event}: Hessians differ`);
  }
  assert.ok(relativeDifference(closed.gradient.dataSync(), general.gradient.dataSync()) < 1e-5);
  assert.ok(nonZero > events.count / 2, `only ${nonZero} events have a non-zero Hessian`);
  tf.dispose([x, closed.output, closed.gradient, closed.hessian, general.output,
    general.gradient, general.hessian, ...layers.flatMap((l) => [l.kernel, l.bias])]);
});

test('closed form used only where it holds', async () => {
  assert.equal(closedFormHolds(relu), true);
  assert.equal(closedFormHolds(tanh), false);
  const linearOutput = { ...relu, layers: relu.layers.map((layer, index) =>
    index === relu.layers.length - 1 ? { ...layer, activation: 'linear' as const } : layer) };
  assert.equal(closedFormHolds(linearOutput), false);
  const options = { units: 'standardised' as const, absolute: true, maxEvents: 10 };
  assert.equal((await meanTaylorCoefficients(tanh, events, options)).method, 'general');
  assert.equal((await meanTaylorCoefficients(relu, events, options)).method, 'closed-form');
  await assert.rejects(meanTaylorCoefficients(tanh, events, { ...options, method: 'closed-form' }),
    /closed-form Hessian needs relu or linear hidden layers .* not tanh, tanh, sigmoid/);
});

test('mean coefficients match per-event jets', async () => {
  const count = 60;
  const d = relu.inputs.length;
  // Unequal weights so that a plain mean would fail.
  const set = { ...events, weights: Float64Array.from(events.weights, (_, e) => 1 + (e % 3)) };
  for (const absolute of [true, false]) {
    for (const units of ['standardised', 'physical'] as const) {
      const summary = await meanTaylorCoefficients(tanh, set,
        { units, absolute, maxEvents: count, batchSize: 25 });
      for (const [name, label] of [['all', -1], ['signal', 1], ['background', 0]] as const) {
        const first = new Float64Array(d);
        const second = new Float64Array(d * d);
        let sumWeights = 0;
        let selected = 0;
        for (let k = 0; k < count; k++) {
          // maxEvents takes events at an even stride over the set.
          const event = Math.floor((k * set.count) / count);
          if (label >= 0 && set.labels[event] !== label) continue;
          const jet = evaluateNetworkJet(tanh, standardised(tanh, set, event));
          const w = set.weights[event];
          const metric = absolute ? Math.abs : (v: number) => v;
          const scale = (i: number) => (units === 'physical' ? tanh.std[i] : 1);
          for (let i = 0; i < d; i++) first[i] += w * metric(jet.gradient[i]) / scale(i);
          for (let k = 0; k < d * d; k++) {
            const factor = Math.floor(k / d) === k % d ? 0.5 : 1;
            second[k] += w * factor * metric(jet.hessian[k]) / scale(Math.floor(k / d)) / scale(k % d);
          }
          sumWeights += w;
          selected += 1;
        }
        const result = summary.classes[name];
        const what = `${name}, ${units}, absolute ${absolute}`;
        assert.equal(result.events, selected, `${what}: events`);
        assert.equal(result.sumWeights, sumWeights, `${what}: sum of weights`);
        assert.ok(relativeDifference(result.first, first.map((v) => v / sumWeights)) < 1e-4,
          `${what}: first order`);
        assert.ok(relativeDifference(result.second.flat(), second.map((v) => v / sumWeights)) < 1e-4,
          `${what}: second order`);
      }
    }
  }
});

test('closed-form sums match general sums', async () => {
  for (const absolute of [true, false]) {
    const options = { units: 'standardised' as const, absolute, batchSize: 150 };
    const closed = await meanTaylorCoefficients(relu, events, { ...options, method: 'closed-form' });
    const general = await meanTaylorCoefficients(relu, events, { ...options, method: 'general' });
    for (const name of ['all', 'signal', 'background'] as const) {
      assert.ok(relativeDifference(closed.classes[name].first, general.classes[name].first) < 1e-5);
      assert.ok(relativeDifference(closed.classes[name].second.flat(),
        general.classes[name].second.flat()) < 1e-4, `${name}, absolute ${absolute}`);
    }
  }
});

test('second order is symmetric', async () => {
  const summary = await meanTaylorCoefficients(relu, events, { units: 'physical', absolute: true });
  const { second } = summary.classes.all;
  for (let i = 0; i < second.length; i++) {
    for (let j = 0; j < i; j++) assert.equal(second[i][j], second[j][i], `(${i}, ${j})`);
  }
});

test('job names mismatched inputs', async () => {
  const expected = ['m_jj', 'm_jjj', 'm_lv', 'm_jlv', 'm_bb', 'm_wbb', 'm_wwbb', 'lepton_pT'];
  await assert.rejects(runJob({
    networkDir: join(fixtures, 'step-1/training-0'),
    evaluationDir: join(fixtures, 'step-1'),
    inputs: expected,
    label: 'demo step-1/training-0',
    backend: 'cpu',
    options: { units: 'standardised', absolute: true },
  }, () => {}), /demo step-1\/training-0: the network has inputs that do not match the study's variables .*: not in the study: missing_energy_magnitude, jet_1_pt, jet_2_pt/);
});

test('job returns coefficients', async () => {
  const progress: number[] = [];
  const summary = await runJob({
    networkDir: join(fixtures, 'step-0/training-1'),
    evaluationDir: join(fixtures, 'step-0'),
    inputs: ['m_jj', 'm_jjj', 'm_lv', 'm_jlv', 'm_bb', 'm_wbb', 'm_wwbb'],
    label: 'demo step-0/training-1',
    backend: 'cpu',
    options: { units: 'standardised', absolute: true, batchSize: 100 },
  }, (done) => progress.push(done));
  assert.deepEqual(progress, [100, 200, 300, 400]);
  assert.equal(summary.classes.all.events, 400);
  assert.equal(summary.classes.signal.events + summary.classes.background.events, 400);
  assert.equal(summary.classes.all.first.length, 7);
  assert.ok(summary.classes.all.first.every((v) => v > 0));
});

test('network check names the problem', () => {
  assert.throws(() => checkNetwork({ ...relu, layers: [] }, 'net.json'), /net.json: the network has no layers/);
  assert.throws(() => checkNetwork({ ...relu, std: relu.std.map((s, i) => (i === 2 ? 0 : s)) }, 'net.json'),
    /net.json: input m_lv has standardisation width 0, expected a positive number/);
  const twoOutputs = { ...relu, layers: [{ ...relu.layers[0], outputs: 2, bias: new Float32Array(2),
    kernel: new Float32Array(relu.inputs.length * 2) }] };
  assert.throws(() => checkNetwork(twoOutputs, 'net.json'), /the network has 2 outputs, expected 1/);
});

test('maxEvents keeps both classes', () => {
  const sorted = { ...events, labels: Uint8Array.from(events.labels).sort().reverse() };
  const subset = evenSubset(sorted, 10);
  assert.equal(subset.count, 10);
  assert.equal(subset.features.length, 10 * sorted.inputs.length);
  assert.ok(subset.labels.includes(1), 'signal kept');
  assert.ok(subset.labels.includes(0), 'background kept');
  assert.equal(evenSubset(sorted, sorted.count + 1), sorted);
});
