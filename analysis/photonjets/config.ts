/**
 * Configuration of the photon+jets delta-R study. Momenta in GeV, cross sections in pb.
 * The schema fills in every default, so the rest of the study trusts its input.
 */

export interface IdCut {
  /** Branch of the object collection, e.g. `Photon_mvaID_WP80` or `Jet_jetId`. */
  branch: string;
  /** Passes when the value is at least this. */
  min?: number;
  /** Passes when all these bits are set, e.g. 2 for the tight jet ID of `Jet_jetId`. */
  bits?: number;
}

export interface SampleConfig {
  name: string;
  /** NanoAOD files or globs, relative to the config file. */
  files: string[];
  /** Cross section in pb. */
  cross_section: number;
  tree: string;
}

export interface GeneratorCut {
  /** Minimum delta-R between the hard-process photon and every outgoing hard-process parton. */
  min_delta_r: number;
  /** GenPart status of outgoing hard-process particles (23 in Pythia 8). */
  outgoing_status: number;
}

export interface SampleSetConfig {
  name: string;
  samples: SampleConfig[];
  /** Applied to the generated particles before any reconstructed selection. */
  generator_cut: GeneratorCut | null;
  /** Shown on the page under the set's name. */
  note?: string;
}

export type HtSource = 'auto' | 'LHE_HT' | 'GenJet';
export type GenPhotonSource = 'auto' | 'GenIsolatedPhoton' | 'GenPart';

export interface PhotonJetsConfig {
  kind: 'photon-jets-dr';
  name: string;
  title: string;
  sets: SampleSetConfig[];
  ht: {
    /** `auto` takes `LHE_HT` from files that have it and the GEN-jet sum elsewhere. */
    source: HtSource;
    /** Bin edges in GeV; with `open_ended` the last edge starts a bin to infinity. */
    edges: number[];
    open_ended: boolean;
    /** GEN jets summed when HT comes from them (photon removal as for `gen_jet`). */
    gen_jet: { pt_min: number; abs_eta_max: number };
  };
  /** Delta-R axis: explicit edges, or `bins` equal bins from `low` to `high`. */
  delta_r: { edges?: number[]; bins?: number; low?: number; high?: number };
  photon: { pt_min: number; abs_eta_max: number; id: IdCut | null };
  jet: { pt_min: number; abs_eta_max: number; id: IdCut | null; photon_clean_dr: number };
  gen_jet: { pt_min: number; abs_eta_max: number; photon_clean_dr: number };
  /** The generated photon that GEN jets are cleaned against. */
  gen_photon: { source: GenPhotonSource; pt_min: number };
  events_per_chunk: number;
  files_per_job: number;
}

const idCut = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['branch'],
  properties: {
    branch: { type: 'string', minLength: 1 },
    min: { type: 'number' },
    bits: { type: 'integer', minimum: 1 },
  },
};

const kinematics = (ptMin: number, etaMax: number) => ({
  pt_min: { type: 'number', minimum: 0, default: ptMin },
  abs_eta_max: { type: 'number', exclusiveMinimum: 0, default: etaMax },
});

const cleaning = { type: 'number', minimum: 0, default: 0.4 };

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'name', 'sets'],
  properties: {
    kind: { const: 'photon-jets-dr' },
    name: { type: 'string', minLength: 1 },
    title: { type: 'string', default: 'Photon+jets: delta-R between the leading jets' },
    sets: {
      type: 'array',
      minItems: 2,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'samples'],
        properties: {
          name: { type: 'string', minLength: 1 },
          note: { type: 'string' },
          generator_cut: {
            type: ['object', 'null'],
            default: null,
            additionalProperties: false,
            required: ['min_delta_r'],
            properties: {
              min_delta_r: { type: 'number', minimum: 0 },
              outgoing_status: { type: 'integer', default: 23 },
            },
          },
          samples: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'files', 'cross_section'],
              properties: {
                name: { type: 'string', minLength: 1 },
                files: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
                cross_section: { type: 'number', exclusiveMinimum: 0 },
                tree: { type: 'string', default: 'Events' },
              },
            },
          },
        },
      },
    },
    ht: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        source: { enum: ['auto', 'LHE_HT', 'GenJet'], default: 'auto' },
        edges: {
          type: 'array', minItems: 1, items: { type: 'number', minimum: 0 },
          default: [100, 200, 400, 600],
        },
        open_ended: { type: 'boolean', default: true },
        gen_jet: {
          type: 'object',
          default: {},
          additionalProperties: false,
          properties: kinematics(30, 5),
        },
      },
    },
    delta_r: {
      type: 'object',
      default: { bins: 25, low: 0, high: 5 },
      additionalProperties: false,
      properties: {
        edges: { type: 'array', minItems: 2, items: { type: 'number' } },
        bins: { type: 'integer', minimum: 1 },
        low: { type: 'number' },
        high: { type: 'number' },
      },
      oneOf: [{ required: ['edges'] }, { required: ['bins', 'low', 'high'] }],
    },
    photon: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        ...kinematics(20, 2.5),
        id: { ...idCut, default: { branch: 'Photon_mvaID_WP80', min: 1 } },
      },
    },
    jet: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        ...kinematics(30, 2.5),
        id: { ...idCut, default: { branch: 'Jet_jetId', bits: 2 } },
        photon_clean_dr: cleaning,
      },
    },
    gen_jet: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: { ...kinematics(30, 2.5), photon_clean_dr: cleaning },
    },
    gen_photon: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        source: { enum: ['auto', 'GenIsolatedPhoton', 'GenPart'], default: 'auto' },
        pt_min: { type: 'number', minimum: 0, default: 0 },
      },
    },
    events_per_chunk: { type: 'integer', minimum: 1, default: 50_000 },
    files_per_job: { type: 'integer', minimum: 1, default: 4 },
  },
};

/** One HT bin in GeV; `high` is null for the open-ended last bin. */
export interface HtBin {
  low: number;
  high: number | null;
}

/** Turns the HT edges into bins. Raises when the edges are not finite or do not increase. */
export function htBins(ht: PhotonJetsConfig['ht']): HtBin[] {
  const { edges, open_ended: openEnded } = ht;
  edges.forEach((edge, i) => {
    checkFinite(edge, `ht.edges[${i}]`);
    if (i > 0 && !(edge > edges[i - 1])) {
      throw new RangeError(`ht.edges must increase strictly, but [${i - 1}] = ${edges[i - 1]} `
        + `and [${i}] = ${edge}`);
    }
  });
  if (!openEnded && edges.length < 2) {
    throw new RangeError('ht.edges needs at least 2 edges when ht.open_ended is false');
  }
  const bins: HtBin[] = [];
  for (let i = 0; i + 1 < edges.length; i++) bins.push({ low: edges[i], high: edges[i + 1] });
  if (openEnded) bins.push({ low: edges[edges.length - 1], high: null });
  return bins;
}

/**
 * Returns the delta-R bin edges the config describes. Raises a RangeError naming the
 * `delta_r` keys when the edges are not finite or do not increase strictly.
 */
export function deltaREdges(axis: PhotonJetsConfig['delta_r']): number[] {
  if (axis.edges) {
    axis.edges.forEach((edge, i) => {
      checkFinite(edge, `delta_r.edges[${i}]`);
      if (i > 0 && !(edge > axis.edges![i - 1])) {
        throw new RangeError(`delta_r.edges must increase strictly, but delta_r.edges[${i - 1}] `
          + `= ${axis.edges![i - 1]} and delta_r.edges[${i}] = ${edge}`);
      }
    });
    return axis.edges;
  }
  const { bins = 1, low = 0, high = 1 } = axis;
  checkFinite(low, 'delta_r.low');
  checkFinite(high, 'delta_r.high');
  if (!(low < high)) {
    throw new RangeError(`delta_r.low = ${low} must be below delta_r.high = ${high}: `
      + `the ${bins} bins run from low up to high`);
  }
  return Array.from({ length: bins + 1 },
    (_, i) => (i === bins ? high : low + ((high - low) * i) / bins));
}

function checkFinite(value: number, key: string): void {
  if (!Number.isFinite(value)) throw new RangeError(`${key} = ${value}: expected a finite number`);
}

/** Formats an HT bin for titles: `100 ≤ HT < 200 GeV` or `HT ≥ 600 GeV`. */
export function htLabel(bin: HtBin): string {
  return bin.high === null ? `HT ≥ ${bin.low} GeV` : `${bin.low} ≤ HT < ${bin.high} GeV`;
}
