import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/files.ts';
import { InputError } from '../core/errors.ts';

/**
 * A trained dense network in a form that needs no tfjs to read: the layers in order,
 * dropout left out (inference only), and the standardisation that maps physical inputs
 * to what the first layer sees: x_std = (x - mean) / std.
 */
export interface SavedNetwork {
  inputs: string[];
  /** Unit of each input ('' for dimensionless), same order as `inputs`. */
  units: string[];
  mean: number[];
  std: number[];
  layers: DenseLayer[];
}

export type Activation = 'relu' | 'sigmoid' | 'tanh' | 'linear' | 'elu' | 'selu' | 'softplus';

export interface DenseLayer {
  inputs: number;
  outputs: number;
  /** Row-major `inputs x outputs`: kernel[i * outputs + j] connects input i to unit j. */
  kernel: Float32Array;
  bias: Float32Array;
  activation: Activation;
}

/** The evaluation events of one cut step, in physical units (before standardisation). */
export interface EvaluationSet {
  inputs: string[];
  count: number;
  /** Row-major `count x inputs`. */
  features: Float32Array;
  /** 1 for signal, 0 for background. */
  labels: Uint8Array;
  weights: Float64Array;
}

const NETWORK_FILE = 'network.json';
const EVALUATION_FILE = 'evaluation.json';

const encode = (array: ArrayBufferView) =>
  Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');

function decodeFloat32(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function decodeFloat64(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export async function saveNetwork(dir: string, network: SavedNetwork): Promise<void> {
  const document = {
    format: 'dense-network-1',
    inputs: network.inputs,
    units: network.units,
    mean: network.mean,
    std: network.std,
    layers: network.layers.map((layer) => ({
      inputs: layer.inputs,
      outputs: layer.outputs,
      activation: layer.activation,
      kernel: encode(layer.kernel),
      bias: encode(layer.bias),
    })),
  };
  await writeFileAtomic(join(dir, NETWORK_FILE), JSON.stringify(document));
}

export async function loadNetwork(dir: string): Promise<SavedNetwork> {
  const file = join(dir, NETWORK_FILE);
  const document = await readJson(file);
  if (document.format !== 'dense-network-1') {
    throw new InputError(`${file}: not a saved network (format ${JSON.stringify(document.format)})`);
  }
  const layers: DenseLayer[] = document.layers.map((layer: any, index: number) => {
    const kernel = decodeFloat32(layer.kernel);
    const bias = decodeFloat32(layer.bias);
    if (kernel.length !== layer.inputs * layer.outputs || bias.length !== layer.outputs) {
      throw new InputError(`${file}: layer ${index} has ${kernel.length} kernel and ` +
        `${bias.length} bias values for ${layer.inputs} x ${layer.outputs} units`);
    }
    return { inputs: layer.inputs, outputs: layer.outputs, activation: layer.activation, kernel, bias };
  });
  return { inputs: document.inputs, units: document.units, mean: document.mean, std: document.std, layers };
}

export async function saveEvaluationSet(dir: string, set: EvaluationSet): Promise<void> {
  const document = {
    format: 'evaluation-set-1',
    inputs: set.inputs,
    count: set.count,
    features: encode(set.features),
    labels: encode(set.labels),
    weights: encode(set.weights),
  };
  await writeFileAtomic(join(dir, EVALUATION_FILE), JSON.stringify(document));
}

export async function loadEvaluationSet(dir: string): Promise<EvaluationSet> {
  const file = join(dir, EVALUATION_FILE);
  const document = await readJson(file);
  if (document.format !== 'evaluation-set-1') {
    throw new InputError(`${file}: not an evaluation set (format ${JSON.stringify(document.format)})`);
  }
  const features = decodeFloat32(document.features);
  const labels = new Uint8Array(Buffer.from(document.labels, 'base64'));
  const weights = decodeFloat64(document.weights);
  const count = document.count;
  if (features.length !== count * document.inputs.length || labels.length !== count || weights.length !== count) {
    throw new InputError(`${file}: array sizes do not match ${count} events x ${document.inputs.length} inputs`);
  }
  return { inputs: document.inputs, count, features, labels, weights };
}

async function readJson(file: string): Promise<any> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: invalid JSON: ${(error as Error).message}`);
  }
}
