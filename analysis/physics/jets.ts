import type { Chunk, Jagged } from '../io/events.ts';
import { isJagged } from '../io/events.ts';
import { InputError } from '../core/errors.ts';

/** Jet selection cuts: pt in GeV, |eta| of the jet axis, and the NanoAOD `Jet_jetId` bits. */
export interface JetCuts {
  pt_min: number;
  abs_eta_max: number;
  /** Bits that must all be set in `Jet_jetId` (2: tight, 6: tight and lepton veto); 0 keeps all. */
  jet_id_bits: number;
}

/** b-tagging by working point: a jet is a b-jet when its discriminant exceeds the threshold. */
export interface BTagCut {
  /** Jet branch holding the discriminant, e.g. `Jet_btagDeepFlavB` (DeepJet). */
  branch: string;
  threshold: number;
}

/**
 * The selected jets of one event, ordered by decreasing pt, in reusable buffers: entries
 * [0, count) are valid. Momenta and masses in GeV, angles in radians.
 */
export class JetList {
  count = 0;
  pt: Float64Array;
  eta: Float64Array;
  phi: Float64Array;
  mass: Float64Array;
  btag: Uint8Array;
  px: Float64Array;
  py: Float64Array;
  pz: Float64Array;
  e: Float64Array;
  #order: number[] = [];

  constructor(capacity = 64) {
    this.pt = new Float64Array(capacity);
    this.eta = new Float64Array(capacity);
    this.phi = new Float64Array(capacity);
    this.mass = new Float64Array(capacity);
    this.btag = new Uint8Array(capacity);
    this.px = new Float64Array(capacity);
    this.py = new Float64Array(capacity);
    this.pz = new Float64Array(capacity);
    this.e = new Float64Array(capacity);
  }

  /** Fills the list with the jets of event `event` that pass the cuts. */
  select(jets: JetColumns, event: number, cuts: JetCuts, btag: BTagCut): void {
    const begin = jets.pt.offsets[event];
    const end = jets.pt.offsets[event + 1];
    if (end - begin > this.pt.length) this.#grow(end - begin);
    const order = this.#order;
    order.length = 0;
    for (let j = begin; j < end; j++) {
      const id = jets.jetId.content[j];
      if (jets.pt.content[j] > cuts.pt_min && Math.abs(jets.eta.content[j]) < cuts.abs_eta_max
        && (id & cuts.jet_id_bits) === cuts.jet_id_bits) order.push(j);
    }
    // NanoAOD stores jets by decreasing pt already; sorting keeps that true after any change.
    const pts = jets.pt.content;
    order.sort((a, b) => pts[b] - pts[a]);

    this.count = order.length;
    for (let k = 0; k < order.length; k++) {
      const j = order[k];
      const pt = pts[j];
      const eta = jets.eta.content[j];
      const phi = jets.phi.content[j];
      const mass = jets.mass.content[j];
      this.pt[k] = pt;
      this.eta[k] = eta;
      this.phi[k] = phi;
      this.mass[k] = mass;
      this.btag[k] = jets.btag.content[j] > btag.threshold ? 1 : 0;
      this.px[k] = pt * Math.cos(phi);
      this.py[k] = pt * Math.sin(phi);
      this.pz[k] = pt * Math.sinh(eta);
      this.e[k] = Math.sqrt(this.px[k] ** 2 + this.py[k] ** 2 + this.pz[k] ** 2 + mass * mass);
    }
  }

  #grow(capacity: number): void {
    const size = Math.max(capacity, this.pt.length * 2);
    for (const key of ['pt', 'eta', 'phi', 'mass', 'px', 'py', 'pz', 'e'] as const) {
      this[key] = new Float64Array(size);
    }
    this.btag = new Uint8Array(size);
  }
}

/** The jagged jet branches the selection reads. */
export interface JetColumns {
  pt: Jagged;
  eta: Jagged;
  phi: Jagged;
  mass: Jagged;
  jetId: Jagged;
  btag: Jagged;
}

/** Lists the NanoAOD branches that jet selection and b-tagging read. */
export function jetBranches(btag: BTagCut): string[] {
  return ['Jet_pt', 'Jet_eta', 'Jet_phi', 'Jet_mass', 'Jet_jetId', btag.branch];
}

/** Picks the jet branches out of a chunk, checking that each one is jagged. */
export function jetColumns(chunk: Chunk, btag: BTagCut): JetColumns {
  const [pt, eta, phi, mass, jetId, tag] = jetBranches(btag).map((name) => {
    const column = chunk.columns[name];
    if (!column) throw new InputError(`${chunk.file}: branch "${name}" was not read`);
    if (!isJagged(column)) {
      throw new InputError(`${chunk.file}: branch "${name}" is flat, expected one value per jet`);
    }
    return column;
  });
  return { pt, eta, phi, mass, jetId, btag: tag };
}
