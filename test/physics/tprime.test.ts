import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate } from '../../analysis/core/config.ts';
import { InputError } from '../../analysis/core/errors.ts';
import { readChunks, type Chunk, type Jagged } from '../../analysis/io/events.ts';
import {
  deltaPhi, deltaR, eta, fromPtEtaPhiM, mass, phi, pt, sum, type FourVector,
} from '../../analysis/physics/fourvector.ts';
import {
  computeTprimeVariables, TPRIME_VARIABLES, tprimeBranches, tprimeConfigSchema, type TprimeConfig,
} from '../../analysis/physics/tprime.ts';

const NANO = fileURLToPath(new URL('../../content/demo/data/NanoAODv5_sample.root', import.meta.url));

const configOf = (block: unknown = {}) => validate<TprimeConfig>(tprimeConfigSchema, block, 'test tprime');

async function wholeFile(config: TprimeConfig): Promise<Chunk> {
  for await (const chunk of readChunks({ files: [NANO] }, tprimeBranches(config))) return chunk;
  throw new Error('no chunk');
}

interface Jet { v: FourVector; pt: number; eta: number; phi: number; b: boolean }

/** Straightforward reimplementation, with the four-vector helpers, to check the fast one. */
function reference(chunk: Chunk, config: TprimeConfig, event: number): Record<string, number> {
  const column = (name: string) => chunk.columns[name] as Jagged;
  const [ptC, etaC, phiC, massC, idC, tagC] = tprimeBranches(config).map(column);
  const threshold = config.btag.thresholds[config.year];
  const jets: Jet[] = [];
  for (let j = ptC.offsets[event]; j < ptC.offsets[event + 1]; j++) {
    const id = idC.content[j];
    if (!(ptC.content[j] > config.jets.pt_min && Math.abs(etaC.content[j]) < config.jets.abs_eta_max
      && (id & config.jets.jet_id_bits) === config.jets.jet_id_bits)) continue;
    jets.push({ v: fromPtEtaPhiM(ptC.content[j], etaC.content[j], phiC.content[j], massC.content[j]),
      pt: ptC.content[j], eta: etaC.content[j], phi: phiC.content[j], b: tagC.content[j] > threshold });
  }
  jets.sort((x, y) => y.pt - x.pt);
  const out: Record<string, number> = Object.fromEntries(TPRIME_VARIABLES.map((n) => [n, NaN]));
  out.njets = jets.length;
  out.nbjets = jets.filter((j) => j.b).length;
  out.goodHT = jets.reduce((a, j) => a + j.pt, 0);

  let closest = Infinity;
  for (let a = 0; a < jets.length; a++) {
    for (let b = a + 1; b < jets.length; b++) {
      if (!jets[a].b || !jets[b].b) continue;
      const dr = deltaR(jets[a].eta, jets[a].phi, jets[b].eta, jets[b].phi);
      if (dr < closest) {
        closest = dr;
        out.mindR_dRbb = dr;
        out.mindR_mbb = mass(sum(jets[a].v, jets[b].v));
      }
    }
  }
  if (jets.length < 5) return out;

  const { masses: m, widths: s } = config;
  const n = Math.min(jets.length, config.leading_jets);
  let best = Infinity;
  let pick: number[] = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) {
    for (let c = 0; c < n; c++) for (let d = c + 1; d < n; d++) {
      if ([a, b].includes(c) || [a, b].includes(d)) continue;
      for (let k = 0; k < n; k++) {
        if ([a, b, c, d].includes(k)) continue;
        const chi = ((mass(sum(jets[a].v, jets[b].v)) - m.higgs) / s.higgs) ** 2
          + ((mass(sum(jets[c].v, jets[d].v)) - m.w) / s.w) ** 2
          + ((mass(sum(jets[c].v, jets[d].v, jets[k].v)) - m.top) / s.top) ** 2;
        if (chi < best) { best = chi; pick = [a, b, c, d, k]; }
      }
    }
  }
  const [a, b, c, d, k] = pick;
  const H = sum(jets[a].v, jets[b].v);
  const W = sum(jets[c].v, jets[d].v);
  const top = sum(W, jets[k].v);
  Object.assign(out, {
    Chi2_min: best,
    Chi2_min_H: ((mass(H) - m.higgs) / s.higgs) ** 2,
    Chi2_min_W: ((mass(W) - m.w) / s.w) ** 2,
    Chi2_min_Top: ((mass(top) - m.top) / s.top) ** 2,
    Chi2_dRHbb: deltaR(jets[a].eta, jets[a].phi, jets[b].eta, jets[b].phi),
    Chi2_dRWjj: deltaR(jets[c].eta, jets[c].phi, jets[d].eta, jets[d].phi),
    Chi2_dRbW: deltaR(jets[k].eta, jets[k].phi, eta(W), phi(W)),
    Chi2_dRHTop: deltaR(eta(H), phi(H), eta(top), phi(top)),
    Chi2_dEtaWH: Math.abs(eta(W) - eta(H)),
    Chi2_dPhiHTop: Math.abs(deltaPhi(phi(H), phi(top))),
    Chi2_mH: mass(H), Chi2_mW: mass(W), Chi2_mTop: mass(top),
    Chi2_mTprime: mass(sum(H, top)),
    RelHT: (pt(top) + pt(H)) / out.goodHT,
  });
  out.Chi2_Max = Math.max(out.Chi2_min_H, out.Chi2_min_W, out.Chi2_min_Top);

  const rest = jets.map((_, i) => i).filter((i) => !pick.includes(i)).slice(0, 10);
  let best2 = Infinity;
  for (let x = 0; x < rest.length; x++) for (let y = x + 1; y < rest.length; y++) {
    for (const z of rest) {
      if (z === rest[x] || z === rest[y]) continue;
      const w = sum(jets[rest[x]].v, jets[rest[y]].v);
      const t2 = sum(w, jets[z].v);
      const chi = ((mass(w) - m.w) / s.w) ** 2 + ((mass(t2) - m.top) / s.top) ** 2;
      if (chi < best2) {
        best2 = chi;
        Object.assign(out, { Chi2_min_Top2: chi, Chi2_mW2: mass(w), Chi2_mTop2: mass(t2) });
      }
    }
  }
  return out;
}

test('schema fills documented defaults', () => {
  const config = configOf();
  assert.equal(config.year, '2018');
  assert.deepEqual(config.jets, { pt_min: 30, abs_eta_max: 2.4, jet_id_bits: 2 });
  assert.equal(config.btag.branch, 'Jet_btagDeepFlavB');
  assert.equal(config.btag.thresholds['2018'], 0.277);
  assert.deepEqual(config.masses, { higgs: 125, w: 80.4, top: 172.5 });
  assert.deepEqual(config.widths, { higgs: 15, w: 10, top: 20 });
  assert.equal(config.leading_jets, 6);
  assert.deepEqual(tprimeBranches(config),
    ['Jet_pt', 'Jet_eta', 'Jet_phi', 'Jet_mass', 'Jet_jetId', 'Jet_btagDeepFlavB']);
  assert.throws(() => configOf({ leading_jets: 4 }), /leading_jets: must be >= 5/);
  assert.throws(() => configOf({ jets: { pt_mim: 20 } }), /jets\.pt_mim: unknown key/);
  assert.throws(() => tprimeBranches(configOf({ year: '2022' })),
    (error: Error) => error instanceof InputError && /year 2022 has no b-tag threshold/.test(error.message));
});

test('variables match a plain reimplementation', async () => {
  for (const block of [{}, { leading_jets: 7, jets: { pt_min: 25 } }]) {
    const config = configOf(block);
    const chunk = await wholeFile(config);
    const variables = computeTprimeVariables(chunk, config);
    assert.deepEqual(Object.keys(variables).sort(), [...TPRIME_VARIABLES].sort());
    for (let i = 0; i < chunk.length; i++) {
      const expected = reference(chunk, config, i);
      for (const name of TPRIME_VARIABLES) {
        const got = variables[name][i];
        const want = expected[name];
        if (Number.isNaN(want)) {
          assert.ok(Number.isNaN(got), `${name}, event ${i}: ${got}, expected NaN`);
        } else {
          assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)),
            `${name}, event ${i}: ${got}, expected ${want}`);
        }
      }
    }
  }
});

test('too few jets give NaN', async () => {
  const config = configOf();
  const variables = computeTprimeVariables(await wholeFile(config), config);
  for (let i = 0; i < variables.njets.length; i++) {
    if (variables.njets[i] < 5) assert.ok(Number.isNaN(variables.Chi2_min[i]), `event ${i}`);
    else assert.ok(Number.isFinite(variables.Chi2_min[i]), `event ${i}`);
    if (variables.nbjets[i] < 2) assert.ok(Number.isNaN(variables.mindR_dRbb[i]), `event ${i}`);
  }
});

test('HT with the loose jet selection', async () => {
  // The data README gives, for jets with pt > 30 GeV and |eta| < 2.5 and no jet ID,
  // a median HT of 313 GeV and a maximum of 1928 GeV; the median is that of the 995 events
  // with at least one such jet.
  const config = configOf({ jets: { pt_min: 30, abs_eta_max: 2.5, jet_id_bits: 0 } });
  const ht = [...computeTprimeVariables(await wholeFile(config), config).goodHT]
    .filter((value) => value > 0).sort((a, b) => a - b);
  assert.equal(ht.length, 995);
  assert.equal(Math.round(ht[497]), 313);
  assert.equal(Math.round(ht[994]), 1928);
});

function histogram(values: Float64Array, low: number, width: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const value of values) {
    const bin = Math.floor((value - low) / width);
    if (bin >= 0 && bin < bins) counts[bin] += 1;
  }
  return counts;
}

test('W and top mass peaks in ttbar', async () => {
  const config = configOf();
  const variables = computeTprimeVariables(await wholeFile(config), config);
  const reconstructed = variables.Chi2_mW.filter(Number.isFinite).length;
  assert.equal(reconstructed, 456, 'events with at least 5 selected jets');

  const w = histogram(variables.Chi2_mW, 0, 10, 20);
  const wPeak = w.indexOf(Math.max(...w));
  assert.equal(wPeak, 8, `W peak bin: ${w.join(' ')}`);
  assert.ok(Math.abs(wPeak * 10 + 5 - 80) <= 10, 'W peak within 80 +- 10 GeV');
  assert.equal(w[wPeak], 173);

  const top = histogram(variables.Chi2_mTop, 0, 20, 20);
  const topPeak = top.indexOf(Math.max(...top));
  assert.equal(topPeak, 8, `top peak bin: ${top.join(' ')}`);
  assert.ok(Math.abs(topPeak * 20 + 10 - 172) <= 15, 'top peak within 172 +- 15 GeV');
  assert.equal(top[topPeak], 148);
});
