import seedrandom from 'seedrandom';
import { initBackend, type BackendRequest } from './backend.ts';
import { trainNetwork, type EventSet, type ModelConfig } from './network.ts';

/** Measures training speed on synthetic events: the job that `bench/training.ts` runs. */
export interface ThroughputJobInput {
  backend: BackendRequest;
  events: number;
  inputs: number;
  model: ModelConfig;
  seed: number;
}

export interface ThroughputJobOutput {
  backend: string;
  /** Events per second over the last epoch, which excludes setup and the first-batch warm-up. */
  eventsPerSecond: number;
  epochSeconds: number;
}

function syntheticEvents(count: number, width: number, seed: number): EventSet {
  const random = seedrandom.alea(`throughput:${seed}`);
  const features = new Float32Array(count * width);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 2;
    for (let j = 0; j < width; j++) features[i * width + j] = random() + 0.2 * labels[i];
  }
  return { inputs: Array.from({ length: width }, (_, j) => `x${j}`), count, features, labels,
    weights: new Float64Array(count).fill(1) };
}

export async function runJob(input: ThroughputJobInput,
  progress: (done: number, total: number) => void): Promise<ThroughputJobOutput> {
  const backend = await initBackend(input.backend);
  const set = syntheticEvents(input.events, input.inputs, input.seed);
  const ends: number[] = [];
  await trainNetwork(set, set.inputs.map(() => ''), { ...input.model, validationFraction: 0 },
    input.seed, (epoch) => {
      ends.push(performance.now());
      progress(epoch, input.model.epochs);
    });
  if (ends.length < 2) throw new Error('the throughput job needs at least 2 epochs');
  const epochSeconds = (ends.at(-1)! - ends.at(-2)!) / 1000;
  return { backend, eventsPerSecond: input.events / epochSeconds, epochSeconds };
}
