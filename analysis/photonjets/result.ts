import type { HistogramJSON } from '../physics/histogram.ts';
import type { GeneratorCut, HtBin } from './config.ts';
import type { FileSummary } from './job.ts';

/** The study's result, as written to the results JSON. Cross sections in pb. */
export interface PhotonJetsResult {
  title: string;
  htBins: HtBin[];
  deltaREdges: number[];
  /** Selection thresholds, one readable line each, for the page. */
  selection: string[];
  sets: SetResult[];
  warnings: string[];
}

export interface SetResult {
  name: string;
  note?: string;
  generatorCut: GeneratorCut | null;
  samples: SampleResult[];
  /**
   * Per HT bin, level and pair (flattened as `histogramIndex` orders them), the sum of the
   * samples' histograms, each weighted by genWeight x cross section / sum of genWeight.
   */
  histograms: HistogramJSON[];
}

export interface SampleResult {
  name: string;
  crossSection: number;
  /** Sum of genWeight over the sample's files. */
  sumw: number;
  files: FileSummary[];
  cutFlow: Array<{ step: string; raw: number; weighted: number }>;
}

const histogramJson = {
  type: 'object',
  required: ['edges', 'sumw', 'sumw2', 'entries'],
  properties: {
    edges: { type: 'array', items: { type: 'number' } },
    sumw: { type: 'array', items: { type: 'number' } },
    sumw2: { type: 'array', items: { type: 'number' } },
    entries: { type: 'number' },
  },
};

export const resultSchema = {
  type: 'object',
  required: ['title', 'htBins', 'deltaREdges', 'selection', 'sets', 'warnings'],
  properties: {
    title: { type: 'string' },
    htBins: {
      type: 'array',
      items: {
        type: 'object',
        required: ['low', 'high'],
        properties: { low: { type: 'number' }, high: { type: ['number', 'null'] } },
      },
    },
    deltaREdges: { type: 'array', items: { type: 'number' }, minItems: 2 },
    selection: { type: 'array', items: { type: 'string' } },
    warnings: { type: 'array', items: { type: 'string' } },
    sets: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'generatorCut', 'samples', 'histograms'],
        properties: {
          name: { type: 'string' },
          note: { type: 'string' },
          generatorCut: { type: ['object', 'null'] },
          histograms: { type: 'array', items: histogramJson },
          samples: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'crossSection', 'sumw', 'files', 'cutFlow'],
              properties: {
                name: { type: 'string' },
                crossSection: { type: 'number' },
                sumw: { type: 'number' },
                files: { type: 'array' },
                cutFlow: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['step', 'raw', 'weighted'],
                    properties: {
                      step: { type: 'string' },
                      raw: { type: 'number' },
                      weighted: { type: 'number' },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
