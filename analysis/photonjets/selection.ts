import { InputError } from '../core/errors.ts';
import { closestNames } from '../io/names.ts';
import type { Jagged } from '../io/events.ts';
import { isJagged } from '../io/events.ts';
import { deltaR } from '../physics/fourvector.ts';
import type { HtBin, IdCut, PhotonJetsConfig, SampleSetConfig } from './config.ts';
import { htLabel } from './config.ts';

/**
 * The event selection of the photon+jets delta-R study, over the columns of one chunk of
 * NanoAOD events. Momenta in GeV, angles in radians.
 */

export const LEVELS = ['GEN', 'RECO'] as const;
export const PAIRS = ['j1j2', 'j2j3', 'j1j3'] as const;
export type Level = (typeof LEVELS)[number];
export type Pair = (typeof PAIRS)[number];

/** Jet indices (0-based, ordered by pt) of each pair. */
const PAIR_JETS: Record<Pair, [number, number]> = { j1j2: [0, 1], j2j3: [1, 2], j1j3: [0, 2] };

/** GenPart_statusFlags bits, from the NanoAOD documentation of the branch. */
const IS_PROMPT = 1 << 0;
const IS_HARD_PROCESS = 1 << 7;
const PHOTON_PDG_ID = 22;
const GLUON_PDG_ID = 21;

/** Reading plan of one file: the branches it needs and its HT and GEN-photon sources. */
export interface FilePlan {
  htSource: 'LHE_HT' | 'GenJet';
  genPhotonSource: 'GenIsolatedPhoton' | 'GenPart';
  branches: string[];
}

const GEN_PART = ['GenPart_pt', 'GenPart_eta', 'GenPart_phi', 'GenPart_pdgId', 'GenPart_status',
  'GenPart_statusFlags'];
const GEN_ISOLATED_PHOTON = ['GenIsolatedPhoton_pt', 'GenIsolatedPhoton_eta',
  'GenIsolatedPhoton_phi'];

/**
 * Chooses the HT and GEN-photon sources for a file from its branches, and lists what the
 * selection reads. Raises an InputError naming the file and every missing branch, with the
 * config key that asked for it, where one did, and the closest branches of the tree.
 */
export function planFile(file: string, tree: string, available: ReadonlySet<string>,
  config: PhotonJetsConfig, set: SampleSetConfig): FilePlan {
  const htSource = config.ht.source === 'auto'
    ? (available.has('LHE_HT') ? 'LHE_HT' : 'GenJet')
    : config.ht.source;
  const genPhotonSource = config.gen_photon.source === 'auto'
    ? (GEN_ISOLATED_PHOTON.every((b) => available.has(b)) ? 'GenIsolatedPhoton' : 'GenPart')
    : config.gen_photon.source;

  const generatorCut = `read for sets[${config.sets.indexOf(set)}].generator_cut`;
  const genPhoton = config.gen_photon.source === 'auto'
    ? null : `read for gen_photon.source: ${genPhotonSource}`;
  // Each branch maps to a phrase naming the config key that made the selection read it,
  // or to null for a branch that it always reads.
  const needed = new Map<string, string | null>();
  const need = (branches: string[], reason: string | null) => {
    for (const branch of branches) if (!needed.get(branch)) needed.set(branch, reason);
  };
  need(['genWeight', 'Photon_pt', 'Photon_eta', 'Photon_phi', 'Jet_pt', 'Jet_eta', 'Jet_phi',
    'GenJet_pt', 'GenJet_eta', 'GenJet_phi'], null);
  if (config.photon.id) need([config.photon.id.branch], 'named by photon.id.branch');
  if (config.jet.id) need([config.jet.id.branch], 'named by jet.id.branch');
  if (htSource === 'LHE_HT') {
    need(['LHE_HT'], config.ht.source === 'auto' ? null : 'read for ht.source: LHE_HT');
  }
  if (set.generator_cut) need(GEN_PART, generatorCut);
  if (genPhotonSource === 'GenPart') need(GEN_PART, genPhoton);
  if (genPhotonSource === 'GenIsolatedPhoton') need(GEN_ISOLATED_PHOTON, genPhoton);

  const missing = [...needed].filter(([branch]) => !available.has(branch));
  if (missing.length > 0) {
    const lines = missing.map(([branch, reason]) => `  - ${branch}`
      + `${reason ? `, ${reason}` : ''} (${closestNames(branch, available)})`);
    throw new InputError(`${file}: tree "${tree}" lacks ${missing.length} `
      + `branch${missing.length > 1 ? 'es' : ''} that the photon+jets selection reads:\n`
      + lines.join('\n'));
  }
  return { htSource, genPhotonSource, branches: [...needed.keys()] };
}

/** Names of the cut-flow steps, in order; the HT-bin rows follow the last one. */
export function cutFlowSteps(config: PhotonJetsConfig, set: SampleSetConfig,
  bins: HtBin[]): string[] {
  const { photon, jet } = config;
  const steps = ['all events'];
  if (set.generator_cut) {
    steps.push(`generator ΔR(γ, partons) > ${set.generator_cut.min_delta_r}`);
  }
  steps.push(`exactly 1 γ (pT > ${photon.pt_min} GeV, |η| < ${photon.abs_eta_max}`
    + `${photon.id ? `, ${describeId(photon.id)}` : ''})`);
  steps.push(`≥ 1 jet (pT > ${jet.pt_min} GeV, |η| < ${jet.abs_eta_max}`
    + `${jet.id ? `, ${describeId(jet.id)}` : ''}, ΔR(j, γ) > ${jet.photon_clean_dr})`);
  const low = bins[0].low;
  const high = bins[bins.length - 1].high;
  steps.push(high === null ? `HT ≥ ${low} GeV` : `${low} ≤ HT < ${high} GeV`);
  for (const bin of bins) steps.push(`  of which ${htLabel(bin)}`);
  return steps;
}

/** Formats an ID cut for the page, e.g. `Jet_jetId & 2 = 2`. */
export function describeId(id: IdCut): string {
  const parts = [];
  if (id.min !== undefined) parts.push(`${id.branch} ≥ ${id.min}`);
  if (id.bits !== undefined) parts.push(`${id.branch} & ${id.bits} = ${id.bits}`);
  return parts.length > 0 ? parts.join(', ') : `${id.branch} ≠ 0`;
}

/**
 * Accumulated values of one chunk: per (HT bin, level, pair) the delta-R values and
 * genWeights, and the cut flow as raw counts and sums of genWeight.
 */
export interface ChunkFills {
  values: number[][];
  weights: number[][];
  cutFlowRaw: number[];
  cutFlowSumw: number[];
  /** Sum of genWeight over every event read, for files without a `Runs` tree. */
  eventSumw: number;
}

/** Index of a (HT bin, level, pair) histogram in `ChunkFills.values`. */
export function histogramIndex(bin: number, level: number, pair: number): number {
  return (bin * LEVELS.length + level) * PAIRS.length + pair;
}

export function emptyFills(bins: number, steps: number): ChunkFills {
  const count = bins * LEVELS.length * PAIRS.length;
  return {
    values: Array.from({ length: count }, () => []),
    weights: Array.from({ length: count }, () => []),
    cutFlowRaw: new Array(steps).fill(0),
    cutFlowSumw: new Array(steps).fill(0),
    eventSumw: 0,
  };
}

type Columns = Record<string, Float64Array | Jagged>;

function flat(columns: Columns, name: string): Float64Array {
  const column = columns[name];
  if (isJagged(column)) {
    throw new InputError(`branch "${name}" is jagged, expected one value per event`);
  }
  return column;
}

function jagged(columns: Columns, name: string): Jagged {
  const column = columns[name];
  if (!isJagged(column)) {
    throw new InputError(`branch "${name}" is flat, expected an array per event`);
  }
  return column;
}

function passesId(id: IdCut | null, values: Float64Array | null, index: number): boolean {
  if (!id || !values) return true;
  const value = values[index];
  if (id.min !== undefined && !(value >= id.min)) return false;
  if (id.bits !== undefined && (value & id.bits) !== id.bits) return false;
  return id.min !== undefined || id.bits !== undefined || value !== 0;
}

/** Indices of the objects of event `event` that pass the cuts, ordered by decreasing pt. */
function selectObjects(pt: Jagged, eta: Jagged, phi: Jagged, event: number,
  cuts: { pt_min: number; abs_eta_max: number }, accept: (index: number) => boolean,
  veto: { eta: number; phi: number; dr: number } | null): number[] {
  const selected: number[] = [];
  for (let k = pt.offsets[event]; k < pt.offsets[event + 1]; k++) {
    if (!(pt.content[k] > cuts.pt_min) || !(Math.abs(eta.content[k]) < cuts.abs_eta_max)) continue;
    if (!accept(k)) continue;
    if (veto && deltaR(eta.content[k], phi.content[k], veto.eta, veto.phi) <= veto.dr) continue;
    selected.push(k);
  }
  return selected.sort((a, b) => pt.content[b] - pt.content[a]);
}

interface Particle { eta: number; phi: number }

/** Leading generated photon, or null: GenIsolatedPhoton, or a prompt final-state GenPart photon. */
function generatedPhoton(columns: Columns, plan: FilePlan, event: number,
  ptMin: number): Particle | null {
  if (plan.genPhotonSource === 'GenIsolatedPhoton') {
    const pt = jagged(columns, 'GenIsolatedPhoton_pt');
    const best = leading(pt, event, () => true, ptMin);
    if (best < 0) return null;
    return {
      eta: jagged(columns, 'GenIsolatedPhoton_eta').content[best],
      phi: jagged(columns, 'GenIsolatedPhoton_phi').content[best],
    };
  }
  const pdgId = jagged(columns, 'GenPart_pdgId').content;
  const status = jagged(columns, 'GenPart_status').content;
  const flags = jagged(columns, 'GenPart_statusFlags').content;
  const best = leading(jagged(columns, 'GenPart_pt'), event,
    (k) => pdgId[k] === PHOTON_PDG_ID && status[k] === 1 && (flags[k] & IS_PROMPT) !== 0, ptMin);
  if (best < 0) return null;
  return {
    eta: jagged(columns, 'GenPart_eta').content[best],
    phi: jagged(columns, 'GenPart_phi').content[best],
  };
}

function leading(pt: Jagged, event: number, accept: (k: number) => boolean, ptMin: number): number {
  let best = -1;
  for (let k = pt.offsets[event]; k < pt.offsets[event + 1]; k++) {
    if (!(pt.content[k] > ptMin) || !accept(k)) continue;
    if (best < 0 || pt.content[k] > pt.content[best]) best = k;
  }
  return best;
}

/**
 * Applies the generator-level cut: the event passes when it has an outgoing hard-process
 * photon and every outgoing hard-process quark or gluon lies further than `min_delta_r`
 * from it. Events without such a photon fail.
 */
function passesGeneratorCut(columns: Columns, event: number,
  cut: NonNullable<SampleSetConfig['generator_cut']>): boolean {
  const pdgIdColumn = jagged(columns, 'GenPart_pdgId');
  const pdgId = pdgIdColumn.content;
  const status = jagged(columns, 'GenPart_status').content;
  const flags = jagged(columns, 'GenPart_statusFlags').content;
  const eta = jagged(columns, 'GenPart_eta').content;
  const phi = jagged(columns, 'GenPart_phi').content;
  const start = pdgIdColumn.offsets[event];
  const end = pdgIdColumn.offsets[event + 1];
  const outgoing = (k: number) =>
    status[k] === cut.outgoing_status && (flags[k] & IS_HARD_PROCESS) !== 0;

  let photon = -1;
  for (let k = start; k < end && photon < 0; k++) {
    if (pdgId[k] === PHOTON_PDG_ID && outgoing(k)) photon = k;
  }
  if (photon < 0) return false;
  for (let k = start; k < end; k++) {
    const id = Math.abs(pdgId[k]);
    const parton = (id >= 1 && id <= 6) || id === GLUON_PDG_ID;
    if (!parton || !outgoing(k)) continue;
    if (deltaR(eta[k], phi[k], eta[photon], phi[photon]) <= cut.min_delta_r) return false;
  }
  return true;
}

function htBinOf(ht: number, bins: HtBin[]): number {
  return bins.findIndex((bin) => ht >= bin.low && (bin.high === null || ht < bin.high));
}

/** Runs the selection over one chunk and adds its delta-R values and cut flow to `fills`. */
export function selectChunk(columns: Columns, length: number, plan: FilePlan,
  config: PhotonJetsConfig, set: SampleSetConfig, bins: HtBin[], fills: ChunkFills): void {
  const genWeight = flat(columns, 'genWeight');
  const photon = ['Photon_pt', 'Photon_eta', 'Photon_phi'].map((n) => jagged(columns, n));
  const jet = ['Jet_pt', 'Jet_eta', 'Jet_phi'].map((n) => jagged(columns, n));
  const genJet = ['GenJet_pt', 'GenJet_eta', 'GenJet_phi'].map((n) => jagged(columns, n));
  const photonId = config.photon.id ? jagged(columns, config.photon.id.branch).content : null;
  const jetId = config.jet.id ? jagged(columns, config.jet.id.branch).content : null;
  const lheHt = plan.htSource === 'LHE_HT' ? flat(columns, 'LHE_HT') : null;
  const firstBinStep = fills.cutFlowRaw.length - bins.length;

  for (let event = 0; event < length; event++) {
    const w = genWeight[event];
    fills.eventSumw += w;
    let step = 0;
    const pass = () => {
      fills.cutFlowRaw[step] += 1;
      fills.cutFlowSumw[step] += w;
      step += 1;
    };
    pass();

    if (set.generator_cut) {
      if (!passesGeneratorCut(columns, event, set.generator_cut)) continue;
      pass();
    }

    const photons = selectObjects(photon[0], photon[1], photon[2], event, config.photon,
      (k) => passesId(config.photon.id, photonId, k), null);
    if (photons.length !== 1) continue;
    pass();

    const recoVeto = { eta: photon[1].content[photons[0]], phi: photon[2].content[photons[0]],
      dr: config.jet.photon_clean_dr };
    const jets = selectObjects(jet[0], jet[1], jet[2], event, config.jet,
      (k) => passesId(config.jet.id, jetId, k), recoVeto);
    if (jets.length < 1) continue;
    pass();

    const genPhoton = generatedPhoton(columns, plan, event, config.gen_photon.pt_min);
    const genVeto = genPhoton ? { ...genPhoton, dr: config.gen_jet.photon_clean_dr } : null;
    let ht: number;
    if (lheHt) {
      ht = lheHt[event];
    } else {
      const htJets = selectObjects(genJet[0], genJet[1], genJet[2], event, config.ht.gen_jet,
        () => true, genVeto);
      ht = htJets.reduce((total, k) => total + genJet[0].content[k], 0);
    }
    const bin = htBinOf(ht, bins);
    if (bin < 0) continue;
    pass();
    fills.cutFlowRaw[firstBinStep + bin] += 1;
    fills.cutFlowSumw[firstBinStep + bin] += w;

    const genJets = selectObjects(genJet[0], genJet[1], genJet[2], event, config.gen_jet,
      () => true, genVeto);
    fillPairs(fills, histogramIndex(bin, 0, 0), genJets, genJet, w);
    fillPairs(fills, histogramIndex(bin, 1, 0), jets, jet, w);
  }
}

function fillPairs(fills: ChunkFills, first: number, selected: number[], objects: Jagged[],
  w: number): void {
  PAIRS.forEach((pair, p) => {
    const [a, b] = PAIR_JETS[pair];
    if (selected.length <= Math.max(a, b)) return;
    const [i, j] = [selected[a], selected[b]];
    fills.values[first + p].push(deltaR(objects[1].content[i], objects[2].content[i],
      objects[1].content[j], objects[2].content[j]));
    fills.weights[first + p].push(w);
  });
}
