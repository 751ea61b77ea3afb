import { InputError } from '../core/errors.ts';
import { isJagged, listBranches, readChunks } from '../io/events.ts';
import { Histogram, type HistogramJSON } from '../physics/histogram.ts';
import { deltaREdges, htBins, type PhotonJetsConfig } from './config.ts';
import {
  cutFlowSteps, emptyFills, LEVELS, PAIRS, planFile, selectChunk, type FilePlan,
} from './selection.ts';

/**
 * One job of the photon+jets delta-R study: one pass over a chunk of the files of one
 * sample. Histograms are filled with genWeight alone. The study scales them by cross
 * section / sum of genWeight once every job of the sample is done, because that sum
 * covers all of the sample's files.
 */

export interface PhotonJetsJobInput {
  config: PhotonJetsConfig;
  set: number;
  sample: number;
  /** Absolute paths. */
  files: string[];
}

export interface FileSummary {
  file: string;
  entries: number;
  /** Sum of genWeight of the file, from the `Runs` tree or, where it has none, the events. */
  sumw: number;
  sumwSource: 'Runs' | 'Events';
  htSource: FilePlan['htSource'];
  genPhotonSource: FilePlan['genPhotonSource'];
}

export interface PhotonJetsJobOutput {
  files: FileSummary[];
  /** Histograms per HT bin, level and pair, flattened as `histogramIndex` orders them. */
  histograms: HistogramJSON[];
  cutFlowRaw: number[];
  cutFlowSumw: number[];
  warnings: string[];
}

/** Branch names of the generator sum of weights in `Runs`; older NanoAOD appends `_`. */
const RUNS_SUMW_BRANCHES = ['genEventSumw', 'genEventSumw_'];

/** Reads the sum of genWeight from the file's `Runs` tree, or returns null when it has none. */
export async function readRunsSumw(file: string): Promise<number | null> {
  let branches: string[];
  try {
    branches = await listBranches(file, 'Runs');
  } catch (error) {
    if (error instanceof InputError && /tree "Runs" not found/.test(error.message)) return null;
    throw error;
  }
  const branch = RUNS_SUMW_BRANCHES.find((name) => branches.includes(name));
  if (!branch) return null;
  let total = 0;
  for await (const chunk of readChunks({ files: [file], tree: 'Runs' }, [branch])) {
    const column = chunk.columns[branch];
    if (isJagged(column)) {
      throw new InputError(`${file}: Runs branch "${branch}" is not a number per run`);
    }
    for (const value of column) total += value;
  }
  return total;
}

export async function runJob(input: PhotonJetsJobInput,
  progress: (done: number, total: number) => void): Promise<PhotonJetsJobOutput> {
  const { config } = input;
  const set = config.sets[input.set];
  const sample = set.samples[input.sample];
  const bins = htBins(config.ht);
  const edges = deltaREdges(config.delta_r);
  const steps = cutFlowSteps(config, set, bins);
  const histograms = Array.from({ length: bins.length * LEVELS.length * PAIRS.length },
    () => Histogram.variable(edges));
  const cutFlowRaw = new Array(steps.length).fill(0);
  const cutFlowSumw = new Array(steps.length).fill(0);
  const files: FileSummary[] = [];
  const warnings: string[] = [];

  let done = 0;
  for (const file of input.files) {
    const available = new Set(await listBranches(file, sample.tree));
    const plan = planFile(file, sample.tree, available, config, set);
    const runsSumw = await readRunsSumw(file);
    let entries = 0;
    let eventSumw = 0;
    const source = { files: [file], tree: sample.tree };
    const chunks = readChunks(source, plan.branches, { chunkSize: config.events_per_chunk });
    for await (const chunk of chunks) {
      const fills = emptyFills(bins.length, steps.length);
      try {
        selectChunk(chunk.columns, chunk.length, plan, config, set, bins, fills);
      } catch (error) {
        if (error instanceof InputError) throw new InputError(`${file}: ${error.message}`);
        throw error;
      }
      fills.values.forEach((values, h) => histograms[h].fill(values, fills.weights[h]));
      fills.cutFlowRaw.forEach((count, s) => { cutFlowRaw[s] += count; });
      fills.cutFlowSumw.forEach((sumw, s) => { cutFlowSumw[s] += sumw; });
      eventSumw += fills.eventSumw;
      entries += chunk.length;
      done += chunk.length;
      progress(done, Math.max(done, 1));
    }
    if (runsSumw === null) {
      warnings.push(`${file}: no genEventSumw in a Runs tree, so the sum of genWeight `
        + `(${Number(eventSumw.toPrecision(7))}) comes from the ${entries} events read`);
    }
    files.push({
      file,
      entries,
      sumw: runsSumw ?? eventSumw,
      sumwSource: runsSumw === null ? 'Events' : 'Runs',
      htSource: plan.htSource,
      genPhotonSource: plan.genPhotonSource,
    });
  }
  return {
    files, histograms: histograms.map((h) => h.toJSON()), cutFlowRaw, cutFlowSumw, warnings,
  };
}
