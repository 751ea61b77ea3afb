import type { Chunk } from '../io/events.ts';
import { deltaPhi, deltaR } from './fourvector.ts';
import { JetList, jetBranches, jetColumns } from './jets.ts';
import { btagCut, type TprimeConfig } from './tprime-config.ts';

export { tprimeConfigSchema, type TprimeConfig } from './tprime-config.ts';

/**
 * Event variables of the fully hadronic T' -> t H search (t -> b W -> b q q', H -> b b),
 * computed from NanoAOD jets. docs/variables.md gives each formula. A variable that an
 * event cannot define (too few selected jets or b-jets) is NaN for that event.
 */
export const TPRIME_VARIABLES = [
  'njets', 'nbjets', 'goodHT',
  'Chi2_min', 'Chi2_min_H', 'Chi2_min_W', 'Chi2_min_Top', 'Chi2_Max',
  'Chi2_dRHbb', 'Chi2_dRWjj', 'Chi2_dRbW', 'Chi2_dRHTop', 'Chi2_dEtaWH', 'Chi2_dPhiHTop',
  'Chi2_mH', 'Chi2_mW', 'Chi2_mTop', 'Chi2_mTprime', 'RelHT',
  'Chi2_min_Top2', 'Chi2_mW2', 'Chi2_mTop2',
  'mindR_dRbb', 'mindR_mbb',
] as const;

export type TprimeVariable = typeof TPRIME_VARIABLES[number];

/** Jets the second top is searched among, out of those the best assignment left over. */
const SECOND_TOP_MAX_JETS = 10;

/** Lists the NanoAOD branches that computeTprimeVariables reads. */
export function tprimeBranches(config: TprimeConfig): string[] {
  return jetBranches(btagCut(config));
}

/** Computes every variable of TPRIME_VARIABLES for each event of the chunk. */
export function computeTprimeVariables(chunk: Chunk, config: TprimeConfig):
  Record<TprimeVariable, Float64Array> {
  const btag = btagCut(config);
  const jetData = jetColumns(chunk, btag);
  const out = {} as Record<TprimeVariable, Float64Array>;
  for (const name of TPRIME_VARIABLES) out[name] = new Float64Array(chunk.length).fill(NaN);

  const jets = new JetList();
  const reco = new Chi2Reconstruction(config);
  for (let i = 0; i < chunk.length; i++) {
    jets.select(jetData, i, config.jets, btag);
    let ht = 0;
    let nb = 0;
    for (let k = 0; k < jets.count; k++) {
      ht += jets.pt[k];
      nb += jets.btag[k];
    }
    out.njets[i] = jets.count;
    out.nbjets[i] = nb;
    out.goodHT[i] = ht;
    closestBPair(jets, out, i);
    if (jets.count >= 5) reco.fill(jets, ht, out, i);
  }
  return out;
}

/** mindR_dRbb and mindR_mbb: the pair of b-tagged jets closest in delta-R. */
function closestBPair(jets: JetList, out: Record<TprimeVariable, Float64Array>, i: number): void {
  let best = Infinity;
  let mass = NaN;
  for (let a = 0; a < jets.count; a++) {
    if (!jets.btag[a]) continue;
    for (let b = a + 1; b < jets.count; b++) {
      if (!jets.btag[b]) continue;
      const dr = deltaR(jets.eta[a], jets.phi[a], jets.eta[b], jets.phi[b]);
      if (dr < best) {
        best = dr;
        mass = massOf(jets.e[a] + jets.e[b], jets.px[a] + jets.px[b], jets.py[a] + jets.py[b],
          jets.pz[a] + jets.pz[b]);
      }
    }
  }
  if (best < Infinity) {
    out.mindR_dRbb[i] = best;
    out.mindR_mbb[i] = mass;
  }
}

function massOf(e: number, px: number, py: number, pz: number): number {
  const m2 = e * e - px * px - py * py - pz * pz;
  return m2 >= 0 ? Math.sqrt(m2) : -Math.sqrt(-m2);
}

function etaOf(px: number, py: number, pz: number): number {
  const pt = Math.hypot(px, py);
  if (pt > 0) return Math.asinh(pz / pt);
  return pz === 0 ? 0 : Math.sign(pz) * Infinity;
}

/**
 * The chi-square assignment of the leading jets to H -> b b (an unordered pair), W -> j j
 * (another pair) and the b of t -> b W (a fifth jet), minimising
 * ((m_bb - m_H)/s_H)^2 + ((m_jj - m_W)/s_W)^2 + ((m_bjj - m_t)/s_t)^2.
 */
class Chi2Reconstruction {
  readonly #config: TprimeConfig;
  readonly #pairMass = new Float64Array(16 * 16);
  readonly #remaining: number[] = [];

  constructor(config: TprimeConfig) {
    this.#config = config;
  }

  fill(jets: JetList, ht: number, out: Record<TprimeVariable, Float64Array>, i: number): void {
    const { masses, widths } = this.#config;
    const n = Math.min(jets.count, this.#config.leading_jets);
    const stride = 16;
    const pairMass = this.#pairMass;
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        pairMass[a * stride + b] = massOf(jets.e[a] + jets.e[b], jets.px[a] + jets.px[b],
          jets.py[a] + jets.py[b], jets.pz[a] + jets.pz[b]);
      }
    }

    let best = Infinity;
    let bestH = 0, bestW = 0, bestTop = 0, mTop = 0;
    let h1 = -1, h2 = -1, w1 = -1, w2 = -1, bj = -1;
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const chiH = ((pairMass[a * stride + b] - masses.higgs) / widths.higgs) ** 2;
        if (chiH >= best) continue;
        for (let c = 0; c < n; c++) {
          if (c === a || c === b) continue;
          for (let d = c + 1; d < n; d++) {
            if (d === a || d === b) continue;
            const chiW = ((pairMass[c * stride + d] - masses.w) / widths.w) ** 2;
            if (chiH + chiW >= best) continue;
            const px = jets.px[c] + jets.px[d];
            const py = jets.py[c] + jets.py[d];
            const pz = jets.pz[c] + jets.pz[d];
            const e = jets.e[c] + jets.e[d];
            for (let k = 0; k < n; k++) {
              if (k === a || k === b || k === c || k === d) continue;
              const m = massOf(e + jets.e[k], px + jets.px[k], py + jets.py[k], pz + jets.pz[k]);
              const chiTop = ((m - masses.top) / widths.top) ** 2;
              const total = chiH + chiW + chiTop;
              if (total < best) {
                best = total;
                bestH = chiH; bestW = chiW; bestTop = chiTop; mTop = m;
                h1 = a; h2 = b; w1 = c; w2 = d; bj = k;
              }
            }
          }
        }
      }
    }

    const H = sumOf(jets, h1, h2, -1);
    const W = sumOf(jets, w1, w2, -1);
    const top = sumOf(jets, w1, w2, bj);
    const etaH = etaOf(H.px, H.py, H.pz);
    const etaW = etaOf(W.px, W.py, W.pz);
    const etaTop = etaOf(top.px, top.py, top.pz);
    const phiH = Math.atan2(H.py, H.px);
    const phiW = Math.atan2(W.py, W.px);
    const phiTop = Math.atan2(top.py, top.px);

    out.Chi2_min[i] = best;
    out.Chi2_min_H[i] = bestH;
    out.Chi2_min_W[i] = bestW;
    out.Chi2_min_Top[i] = bestTop;
    out.Chi2_Max[i] = Math.max(bestH, bestW, bestTop);
    out.Chi2_dRHbb[i] = deltaR(jets.eta[h1], jets.phi[h1], jets.eta[h2], jets.phi[h2]);
    out.Chi2_dRWjj[i] = deltaR(jets.eta[w1], jets.phi[w1], jets.eta[w2], jets.phi[w2]);
    out.Chi2_dRbW[i] = deltaR(jets.eta[bj], jets.phi[bj], etaW, phiW);
    out.Chi2_dRHTop[i] = deltaR(etaH, phiH, etaTop, phiTop);
    out.Chi2_dEtaWH[i] = Math.abs(etaW - etaH);
    out.Chi2_dPhiHTop[i] = Math.abs(deltaPhi(phiH, phiTop));
    out.Chi2_mH[i] = pairMass[h1 * stride + h2];
    out.Chi2_mW[i] = pairMass[w1 * stride + w2];
    out.Chi2_mTop[i] = mTop;
    out.Chi2_mTprime[i] = massOf(H.e + top.e, H.px + top.px, H.py + top.py, H.pz + top.pz);
    out.RelHT[i] = (Math.hypot(top.px, top.py) + Math.hypot(H.px, H.py)) / ht;

    this.#secondTop(jets, [h1, h2, w1, w2, bj], out, i);
  }

  /** The best W -> j j plus b trijet among the selected jets the first assignment left. */
  #secondTop(jets: JetList, used: number[], out: Record<TprimeVariable, Float64Array>,
    i: number): void {
    const { masses, widths } = this.#config;
    const rest = this.#remaining;
    rest.length = 0;
    for (let k = 0; k < jets.count && rest.length < SECOND_TOP_MAX_JETS; k++) {
      if (!used.includes(k)) rest.push(k);
    }
    if (rest.length < 3) return;

    let best = Infinity;
    let mW = NaN;
    let mTop = NaN;
    for (let x = 0; x < rest.length; x++) {
      for (let y = x + 1; y < rest.length; y++) {
        const c = rest[x];
        const d = rest[y];
        const px = jets.px[c] + jets.px[d];
        const py = jets.py[c] + jets.py[d];
        const pz = jets.pz[c] + jets.pz[d];
        const e = jets.e[c] + jets.e[d];
        const w = massOf(e, px, py, pz);
        const chiW = ((w - masses.w) / widths.w) ** 2;
        if (chiW >= best) continue;
        for (const k of rest) {
          if (k === c || k === d) continue;
          const m = massOf(e + jets.e[k], px + jets.px[k], py + jets.py[k], pz + jets.pz[k]);
          const total = chiW + ((m - masses.top) / widths.top) ** 2;
          if (total < best) {
            best = total;
            mW = w;
            mTop = m;
          }
        }
      }
    }
    out.Chi2_min_Top2[i] = best;
    out.Chi2_mW2[i] = mW;
    out.Chi2_mTop2[i] = mTop;
  }
}

function sumOf(jets: JetList, a: number, b: number, c: number) {
  const v = { px: jets.px[a] + jets.px[b], py: jets.py[a] + jets.py[b],
    pz: jets.pz[a] + jets.pz[b], e: jets.e[a] + jets.e[b] };
  if (c >= 0) {
    v.px += jets.px[c];
    v.py += jets.py[c];
    v.pz += jets.pz[c];
    v.e += jets.e[c];
  }
  return v;
}
