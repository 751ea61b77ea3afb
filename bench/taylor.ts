// Times the Taylor coefficients (first and second order together) of one network of the
// group's shape, 28 inputs and three hidden layers of 100, on 10 000 events with the wasm
// backend. The weights and events are seeded random numbers, because the time does not
// depend on their values. The limit is 3 s for one network. The study uses the closed form
// for relu networks with a sigmoid output; the general path is timed for comparison.
import seedrandom from 'seedrandom';
import { initBackend } from '../analysis/learning/backend.ts';
import { meanTaylorCoefficients, type SecondOrderMethod } from '../analysis/learning/taylor.ts';
import type { Activation, EvaluationSet, SavedNetwork } from '../analysis/learning/saved-model.ts';

const EVENTS = 10_000;
const INPUTS = 28;
const HIDDEN = [100, 100, 100];
const LIMIT_S = 3;

function randomNetwork(random: () => number, hidden: Activation): SavedNetwork {
  const sizes = [INPUTS, ...HIDDEN, 1];
  const layers = sizes.slice(1).map((outputs, l) => ({
    inputs: sizes[l],
    outputs,
    activation: l === HIDDEN.length ? 'sigmoid' as const : hidden,
    kernel: Float32Array.from({ length: sizes[l] * outputs },
      () => (random() - 0.5) * 2 * Math.sqrt(6 / (sizes[l] + outputs))),
    bias: Float32Array.from({ length: outputs }, () => 0.1 * (random() - 0.5)),
  }));
  const inputs = Array.from({ length: INPUTS }, (_, i) => `x${i}`);
  return { inputs, units: inputs.map(() => ''), mean: inputs.map(() => 0), std: inputs.map(() => 1), layers };
}

function randomEvents(random: () => number): EvaluationSet {
  return {
    inputs: Array.from({ length: INPUTS }, (_, i) => `x${i}`),
    count: EVENTS,
    features: Float32Array.from({ length: EVENTS * INPUTS }, () => 2 * random() - 1),
    labels: Uint8Array.from({ length: EVENTS }, () => (random() < 0.5 ? 1 : 0)),
    weights: new Float64Array(EVENTS).fill(1),
  };
}

export async function run(): Promise<void> {
  const backend = await initBackend('wasm');
  const random = seedrandom.alea('taylor-bench');
  const events = randomEvents(random);
  const cases: Array<[string, SavedNetwork, SecondOrderMethod]> = [
    ['relu, closed form', randomNetwork(random, 'relu'), 'closed-form'],
    ['relu, general path', randomNetwork(random, 'relu'), 'general'],
    ['tanh, general path', randomNetwork(random, 'tanh'), 'general'],
  ];
  console.log(`${EVENTS} events, ${INPUTS} inputs, hidden layers ${HIDDEN.join('-')}, ` +
    `${backend} backend, first and second order together (best of 3 after a warm-up)`);
  for (const [label, network, method] of cases) {
    const options = { units: 'standardised' as const, absolute: true, method };
    await meanTaylorCoefficients(network, events, { ...options, maxEvents: 2048 });
    const times: number[] = [];
    for (let repeat = 0; repeat < 3; repeat++) {
      times.push((await meanTaylorCoefficients(network, events, options)).seconds);
    }
    const best = Math.min(...times);
    const verdict = best < LIMIT_S ? `under the ${LIMIT_S} s limit` : `OVER the ${LIMIT_S} s limit`;
    console.log(`  ${label.padEnd(20)} ${best.toFixed(2)} s ` +
      `(${(EVENTS / best).toFixed(0)} events/s; runs ${times.map((t) => t.toFixed(2)).join(', ')} s) ${verdict}`);
  }
}
