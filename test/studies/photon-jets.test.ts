import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadYamlFile, validate } from '../../analysis/core/config.ts';
import { InputError } from '../../analysis/core/errors.ts';
import type {
  ChartBlock, NoteBlock, Part, Presentation, TableBlock,
} from '../../analysis/core/presentation.ts';
import { createJobPool } from '../../analysis/core/jobs.ts';
import { createLogger } from '../../analysis/core/log.ts';
import type { ReportView } from '../../analysis/core/report-view.ts';
import type { StudyContext } from '../../analysis/core/study.ts';
import { readChunks, type Jagged } from '../../analysis/io/events.ts';
import { Histogram } from '../../analysis/physics/histogram.ts';
import { configSchema, type PhotonJetsConfig } from '../../analysis/photonjets/config.ts';
import { readRunsSumw, runJob } from '../../analysis/photonjets/job.ts';
import type { PhotonJetsResult } from '../../analysis/photonjets/result.ts';
import { histogramIndex, planFile } from '../../analysis/photonjets/selection.ts';
import { renderSlides } from '../../analysis/render/slides.ts';
import { photonJetsDeltaR } from '../../analysis/studies/photon-jets-dr.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const demo = join(root, 'content/demo');
const GJET = join(demo, 'data/GJet_v11_Skim.root');
const TTBAR = join(demo, 'data/NanoAODv5_sample.root');

function makeConfig(overrides: Record<string, unknown> = {}): PhotonJetsConfig {
  const sample = { name: 'GJet', files: [GJET], cross_section: 1 };
  return validate<PhotonJetsConfig>(configSchema, {
    kind: 'photon-jets-dr',
    name: 'test',
    sets: [
      { name: 'standard', samples: [sample] },
      { name: 'DR cut', generator_cut: { min_delta_r: 0.4 }, samples: [sample] },
    ],
    ...overrides,
  }, 'test config');
}

/** No cut beyond the object counts, so the flow gives the bare multiplicities. */
const NO_CUTS = {
  ht: { edges: [0] },
  photon: { pt_min: 0, abs_eta_max: 1e9, id: null },
  jet: { pt_min: 0, abs_eta_max: 1e9, id: null, photon_clean_dr: 0 },
};

const quiet = () => {};

function stepCount(output: { cutFlowRaw: number[] }, step: number): number {
  return output.cutFlowRaw[step];
}

/** Counts with a plain loop over the branches, independent of the study's selection code. */
async function countDirectly(file: string, cuts: { photonPt: number; jetPt: number }) {
  const branches = ['Photon_pt', 'Photon_eta', 'Photon_phi', 'Photon_mvaID_WP80', 'Jet_pt',
    'Jet_eta', 'Jet_phi', 'Jet_jetId', 'GenJet_pt'];
  const counts = { events: 0, photons: 0, jets: 0, genJets: 0, onePhotonAnyJet: 0,
    onePhoton: 0, onePhotonOneJet: 0, twoJets: 0 };
  for await (const chunk of readChunks({ files: [file] }, branches)) {
    const c = chunk.columns as Record<string, Jagged>;
    for (let i = 0; i < chunk.length; i++) {
      const photons: number[] = [];
      const nPhoton = c.Photon_pt.offsets[i + 1] - c.Photon_pt.offsets[i];
      const nJet = c.Jet_pt.offsets[i + 1] - c.Jet_pt.offsets[i];
      counts.events += 1;
      counts.photons += nPhoton;
      counts.jets += nJet;
      counts.genJets += c.GenJet_pt.offsets[i + 1] - c.GenJet_pt.offsets[i];
      if (nPhoton === 1 && nJet >= 1) counts.onePhotonAnyJet += 1;

      for (let k = c.Photon_pt.offsets[i]; k < c.Photon_pt.offsets[i + 1]; k++) {
        if (c.Photon_pt.content[k] > cuts.photonPt && Math.abs(c.Photon_eta.content[k]) < 2.5
          && c.Photon_mvaID_WP80.content[k] === 1) photons.push(k);
      }
      if (photons.length !== 1) continue;
      counts.onePhoton += 1;
      const [g] = photons;
      let jets = 0;
      for (let k = c.Jet_pt.offsets[i]; k < c.Jet_pt.offsets[i + 1]; k++) {
        let dPhi = Math.abs(c.Jet_phi.content[k] - c.Photon_phi.content[g]);
        if (dPhi > Math.PI) dPhi = 2 * Math.PI - dPhi;
        const dR = Math.hypot(c.Jet_eta.content[k] - c.Photon_eta.content[g], dPhi);
        const tight = (c.Jet_jetId.content[k] & 2) === 2;
        if (c.Jet_pt.content[k] > cuts.jetPt && Math.abs(c.Jet_eta.content[k]) < 2.5 && tight
          && dR > 0.4) jets += 1;
      }
      if (jets >= 1) counts.onePhotonOneJet += 1;
      if (jets >= 2) counts.twoJets += 1;
    }
  }
  return counts;
}

test('GJet file object counts', async () => {
  const counts = await countDirectly(GJET, { photonPt: 20, jetPt: 15 });
  assert.equal(counts.events, 100);
  assert.equal(counts.photons, 164);
  assert.equal(counts.jets, 244);
  assert.equal(counts.genJets, 286);
  assert.equal(counts.onePhotonAnyJet, 38);
});

test('job cut flow without cuts', async () => {
  const output = await runJob({ config: makeConfig(NO_CUTS), set: 0, sample: 0, files: [GJET] },
    quiet);
  assert.equal(stepCount(output, 0), 100, 'all events');
  assert.equal(stepCount(output, 2), 38, 'exactly 1 photon and at least 1 jet');
  assert.equal(output.cutFlowSumw[2], 38, 'genWeight is 1 in this file');
  assert.deepEqual(output.files.map((f) => f.entries), [100]);
});

test('job cut flow with ID cuts', async () => {
  const direct = await countDirectly(GJET, { photonPt: 20, jetPt: 15 });
  const config = makeConfig({ jet: { pt_min: 15 }, ht: { edges: [0] } });
  const output = await runJob({ config, set: 0, sample: 0, files: [GJET] }, quiet);
  assert.equal(stepCount(output, 1), direct.onePhoton);
  assert.equal(stepCount(output, 2), direct.onePhotonOneJet);
  assert.equal(direct.onePhoton, 67);
  assert.equal(direct.onePhotonOneJet, 51);

  // Every event with two selected jets fills RECO j1j2 in exactly one HT bin.
  const recoPairs = Histogram.fromJSON(output.histograms[histogramIndex(0, 1, 0)]);
  assert.equal(recoPairs.entries, direct.twoJets);
});

test('generator cut on GJet events', async () => {
  // No outgoing hard-process parton of this sample lies within delta-R 0.4 of the
  // hard-process photon, so the cut removes no event.
  const output = await runJob({ config: makeConfig(NO_CUTS), set: 1, sample: 0, files: [GJET] },
    quiet);
  assert.equal(stepCount(output, 0), 100);
  assert.equal(stepCount(output, 1), 100);

  // Every parton is within delta-R 100 of the photon, so this cut removes every event.
  const config = makeConfig(NO_CUTS);
  config.sets[1].generator_cut = { min_delta_r: 100, outgoing_status: 23 };
  const removed = await runJob({ config, set: 1, sample: 0, files: [GJET] }, quiet);
  assert.equal(stepCount(removed, 1), 0);
});

test('Runs sum of genWeight', async () => {
  assert.equal(await readRunsSumw(GJET), 211846);
  assert.equal(await readRunsSumw(TTBAR), null, 'NanoAODv5 sample has no Runs tree');
});

test('missing branches named', async () => {
  const config = makeConfig({ ht: { source: 'LHE_HT' }, photon: { id: { branch: 'Photon_idX' } } });
  await assert.rejects(runJob({ config, set: 0, sample: 0, files: [GJET] }, quiet), (error) => {
    assert.ok(error instanceof InputError);
    const [first, ...lines] = error.message.split('\n');
    assert.match(first, /GJet_v11_Skim\.root: tree "Events" lacks 2 branches that the photon/);
    assert.match(lines[0], /^ {2}- Photon_idX, named by photon\.id\.branch \(closest existing: /);
    assert.match(lines[1], /^ {2}- LHE_HT, read for ht\.source: LHE_HT \(closest existing: /);
    assert.equal(lines.length, 2);
    return true;
  });
});

test('mistyped ID branch: closest names', async () => {
  const config = makeConfig({ photon: { id: { branch: 'Photon_mvaID_WP8', min: 1 } } });
  await assert.rejects(runJob({ config, set: 0, sample: 0, files: [GJET] }, quiet), (error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /lacks 1 branch that the photon\+jets selection reads:\n/);
    assert.match(error.message, new RegExp('  - Photon_mvaID_WP8, named by photon\\.id\\.branch '
      + '\\(closest existing: Photon_mvaID_WP80, Photon_mvaID_WP90, '));
    return true;
  });
});

test('file plan picks sources', () => {
  const config = makeConfig();
  const base = ['genWeight', 'Photon_pt', 'Photon_eta', 'Photon_phi', 'Photon_mvaID_WP80',
    'Jet_pt', 'Jet_eta', 'Jet_phi', 'Jet_jetId', 'GenJet_pt', 'GenJet_eta', 'GenJet_phi',
    'GenPart_pt', 'GenPart_eta', 'GenPart_phi', 'GenPart_pdgId', 'GenPart_status',
    'GenPart_statusFlags'];
  const plain = planFile('a.root', 'Events', new Set(base), config, config.sets[0]);
  assert.equal(plain.htSource, 'GenJet');
  assert.equal(plain.genPhotonSource, 'GenPart');
  const rich = planFile('b.root', 'Events', new Set([...base, 'LHE_HT', 'GenIsolatedPhoton_pt',
    'GenIsolatedPhoton_eta', 'GenIsolatedPhoton_phi']), config, config.sets[0]);
  assert.equal(rich.htSource, 'LHE_HT');
  assert.equal(rich.genPhotonSource, 'GenIsolatedPhoton');
  assert.throws(() => planFile('c.root', 'Events', new Set(base.slice(1)), config, config.sets[0]),
    /c\.root: tree "Events" lacks 1 branch .*:\n {2}- genWeight \(closest existing: .*\)$/);

  const noGen = new Set(base.filter((branch) => !branch.startsWith('GenPart_')));
  assert.throws(() => planFile('d.root', 'Events', noGen, config, config.sets[1]),
    /lacks 6 branches .*\n {2}- GenPart_pt, read for sets\[1\]\.generator_cut \(/);
  assert.throws(() => planFile('d.root', 'Events', noGen, config, config.sets[0]),
    /lacks 6 branches .*\n {2}- GenPart_pt \(closest existing: /);
  const isolated = makeConfig({ gen_photon: { source: 'GenIsolatedPhoton' } });
  assert.throws(() => planFile('e.root', 'Events', new Set(base), isolated, isolated.sets[0]),
    /\n {2}- GenIsolatedPhoton_pt, read for gen_photon\.source: GenIsolatedPhoton \(/);
});

function contextFor(configFile: string): StudyContext {
  return {
    report: 'demo',
    study: 'photon-jets-dr',
    configFile,
    resolve: (path) => resolve(dirname(configFile), path),
    workDir: '/nonexistent',
    log: createLogger('photon-jets-test', { write: () => true, isTTY: false } as any),
    jobs: createJobPool(0),
    backend: async () => 'wasm',
    dependency: () => { throw new Error('no dependencies'); },
  };
}

test('study error names study and config', async () => {
  const configFile = join(demo, 'photon_jets.yaml');
  const config = makeConfig({ photon: { id: { branch: 'Photon_mvaID_WP8', min: 1 } } });
  await assert.rejects(photonJetsDeltaR.run(config, contextFor(configFile)), (error) => {
    assert.ok(error instanceof InputError);
    assert.ok(error.message.startsWith(`photon+jets study photon-jets-dr (${configFile}): `),
      error.message);
    assert.match(error.message, /standard \/ GJet, files 1-1 of 1: .*GJet_v11_Skim\.root: /);
    assert.match(error.message, /Photon_mvaID_WP8, named by photon\.id\.branch/);
    return true;
  });
});

test('delta-R axis errors name keys', async () => {
  const configFile = join(demo, 'photon_jets.yaml');
  const cases = [
    { delta_r: { bins: 10, low: 5, high: 0 },
      message: 'delta_r.low = 5 must be below delta_r.high = 0: the 10 bins run from low up to high' },
    { delta_r: { bins: 4, low: 1, high: 1 },
      message: 'delta_r.low = 1 must be below delta_r.high = 1: the 4 bins run from low up to high' },
    { delta_r: { edges: [0, 2, 1.5] },
      message: 'delta_r.edges must increase strictly, but delta_r.edges[1] = 2 and '
        + 'delta_r.edges[2] = 1.5' },
    { delta_r: { edges: [0, Infinity] },
      message: 'delta_r.edges[1] = Infinity: expected a finite number' },
  ];
  for (const { delta_r: axis, message } of cases) {
    const config = makeConfig({ delta_r: axis });
    await assert.rejects(photonJetsDeltaR.run(config, contextFor(configFile)), (error) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.message, `photon+jets study photon-jets-dr (${configFile}): ${message}`);
      return true;
    });
  }
});

/** Lists every number in a JSON-like value that is not finite, with its path. */
function nonFinite(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (typeof value === 'function') return [`${path} (function)`];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => nonFinite(child, `${path}.${key}`));
  }
  return [];
}

let demoRun: Promise<PhotonJetsResult> | undefined;

/** Runs the demo study once for all the tests below. */
function demoResult(): Promise<PhotonJetsResult> {
  demoRun ??= (async () => {
    const configFile = join(demo, 'photon_jets.yaml');
    const config = validate<PhotonJetsConfig>(photonJetsDeltaR.configSchema,
      await loadYamlFile(configFile), configFile);
    const context = contextFor(configFile);
    assert.deepEqual(await photonJetsDeltaR.inputs(config, context), [GJET, TTBAR]);
    return validate<PhotonJetsResult>(photonJetsDeltaR.resultSchema,
      JSON.parse(JSON.stringify(await photonJetsDeltaR.run(config, context))), 'result');
  })();
  return demoRun;
}

const CMS = { extra: 'Simulation', energy: '13 TeV' };

async function demoPresentation(): Promise<Presentation> {
  return photonJetsDeltaR.present(await demoResult(),
    { report: 'demo', study: 'photon-jets-dr', cms: CMS });
}

function notesOf(part: Part): string[] {
  return part.blocks.filter((block): block is NoteBlock => block.kind === 'note')
    .map((block) => block.text);
}

function chartsOf(part: Part): ChartBlock[] {
  return part.blocks.filter((block): block is ChartBlock => block.kind === 'chart');
}

function legendLabels(chart: ChartBlock): string[] {
  const data = chart.chart.data as { datasets: Array<{ label: string }> };
  return data.datasets.map((dataset) => dataset.label).filter(Boolean);
}

test('demo study end to end', async () => {
  const result = await demoResult();
  const [standard, drCut, ttbar] = result.sets;
  const flow = (set: typeof standard) => set.samples[0].cutFlow.map((row) => row.raw);
  // Steps: all, 1 photon, >= 1 jet, HT >= 20 GeV, then the four HT bins.
  assert.deepEqual(flow(standard), [100, 67, 51, 51, 26, 18, 7, 0]);
  assert.deepEqual(flow(drCut), [100, 100, 67, 51, 51, 26, 18, 7, 0]);
  assert.deepEqual(flow(ttbar), [1000, 122, 121, 121, 0, 0, 4, 117]);
  assert.equal(ttbar.samples[0].files[0].sumwSource, 'Events');
  assert.equal(standard.samples[0].files[0].htSource, 'GenJet');
  assert.equal(ttbar.samples[0].files[0].htSource, 'LHE_HT');
  assert.equal(standard.samples[0].sumw, 211846);
  assert.ok(Math.abs(standard.samples[0].cutFlow[0].weighted - 100 / 211846) < 1e-15,
    'weighted by cross section 1 pb / sum of genWeight');

  const presentation = await demoPresentation();
  assert.deepEqual(nonFinite(presentation), [], 'no NaN, infinity or function in the output');
  assert.equal(presentation.parts.length, 1 + result.htBins.length + 1);

  const downloads = presentation.downloads ?? [];
  assert.deepEqual(downloads.map((d) => d.name), ['photon-jets-dr-ht-20-40.yaml',
    'photon-jets-dr-ht-40-60.yaml', 'photon-jets-dr-ht-60-100.yaml',
    'photon-jets-dr-ht-100-inf.yaml']);
  const table = parse(downloads[2].content);
  assert.equal(table.independent_variables[0].values.length, 10);
  assert.deepEqual(table.independent_variables[0].values[0], { low: 0, high: 0.5 });
  // Per level and pair: three shapes and two ratios.
  assert.equal(table.dependent_variables.length, 2 * 3 * 5);
  const first = table.dependent_variables[0];
  assert.ok('errors' in first.values.find((v: { value: unknown }) => typeof v.value === 'number'));
});

test('HT bin parts: six panels, one note', async () => {
  const presentation = await demoPresentation();
  const htParts = presentation.parts.slice(1, -1);
  for (const part of htParts) {
    assert.equal(part.columns, 3);
    assert.equal(chartsOf(part).length, 6, part.title);
    assert.equal(notesOf(part).length, 1, part.title);
    assert.equal(part.blocks[part.blocks.length - 1].kind, 'note', 'the note follows the panels');
  }
  const [low, middle, , open] = htParts;
  const [lowNote] = notesOf(low);
  assert.match(lowNote, /^Selected events: standard 26, DR cut 26, ttbar control 0\./);
  assert.match(lowNote, /"DR cut" is identical to "standard"/);
  assert.match(lowNote, /No curve for "standard", "DR cut" in the GEN panels/);
  assert.doesNotMatch(lowNote, /No ratio/, 'standard has a curve wherever another set has one');
  assert.match(notesOf(middle)[0], /in GEN ΔR\(j2, j3\), ΔR\(j1, j3\) \(no events there\)/);

  assert.equal(open.title, 'Jet separations, HT ≥ 100 GeV');
  assert.equal(notesOf(open)[0], 'Selected events: standard 0, DR cut 0, ttbar control 117. '
    + 'No ratio: "standard" has no events in this bin.');
});

test('HT bin panels: counts and ratios', async () => {
  const [, low, , , open] = (await demoPresentation()).parts;
  const [genPair, , , recoPair] = chartsOf(low);
  assert.equal(genPair.caption, 'No events in any set');
  assert.deepEqual(legendLabels(genPair), []);
  assert.equal(recoPair.caption, undefined);
  assert.deepEqual(legendLabels(recoPair), ['standard (13)', 'DR cut (13)']);
  const scales = (chart: ChartBlock) =>
    Object.keys((chart.chart.options as { scales: object }).scales);
  assert.deepEqual(scales(recoPair), ['x', 'ratio', 'y']);

  // Only the ttbar control reaches HT >= 100 GeV, so there is nothing to divide by.
  const openReco = chartsOf(open)[3];
  assert.deepEqual(legendLabels(openReco), ['ttbar control (117)']);
  assert.deepEqual(scales(openReco), ['x', 'y']);
});

test('cut flows share one table', async () => {
  const cutFlow = (await demoPresentation()).parts.at(-1)!;
  const tables = cutFlow.blocks.filter((block): block is TableBlock => block.kind === 'table');
  assert.equal(tables.length, 1);
  const [table] = tables;
  assert.deepEqual(table.header[0].slice(1).map((cell) => (cell as { text: string }).text),
    ['standard', 'DR cut', 'ttbar control']);
  // The generator cut of "DR cut" is a row of its own, missing for the other sets.
  assert.equal(table.rows.length, 9);
  const generator = table.rows[1];
  assert.match(String(generator[0]), /^generator ΔR\(γ, partons\) > 0\.4/);
  assert.deepEqual([generator[1], generator[4], generator[7]], [null, 100, null]);
  const last = table.rows[8];
  assert.equal(last[0], '  of which HT ≥ 100 GeV');
  assert.deepEqual([last[1], last[4], last[7]], [0, 0, 117]);
  // Three significant digits of the weighted events: 100 / 211846 pb.
  const weighted = table.rows[0][2] as { value: number; digits: number };
  assert.ok(Math.abs(weighted.value - 100 / 211846) < 1e-15);
  assert.equal(weighted.digits, 6);
});

test('samples part: one note', async () => {
  const samples = (await demoPresentation()).parts[0];
  assert.deepEqual(samples.blocks.map((block) => block.kind), ['note', 'table', 'box']);
  const [note] = notesOf(samples);
  assert.match(note, /^standard: GJet_v11_Skim\.root/);
  assert.match(note, /NanoAODv5_sample\.root: no genEventSumw in a Runs tree/);
  const table = samples.blocks[1] as TableBlock;
  assert.deepEqual(table.rows.map((row) => row[5]),
    ['211846 (Runs tree)', '211846 (Runs tree)', '997.5803 (events)']);
});

test('demo slides: one slide a part', async () => {
  const presentation = await demoPresentation();
  const report: ReportView = {
    name: 'demo', title: 'Photon+jets', date: '2026-12-04', meeting: 'test',
    author: { name: 'Analysis group', email: 'group@example.org', institute: 'CMS' },
    cms: CMS,
    sections: [{ id: 'photon-jets', title: 'Photon + jets', motivation: [], method: [],
      methodTitle: 'Methodology', comments: [], presentation }],
  };
  const slides = await renderSlides(report);
  const continued = slides.layout.filter((box) => box.label?.endsWith('(cont.)'));
  assert.deepEqual(continued.map((box) => box.label), []);
  assert.equal(slides.pages, 1 + presentation.parts.length);
  const panels = slides.layout.filter((box) => box.kind === 'chart-svg');
  assert.equal(panels.length, 6 * 4);
  for (const panel of panels) {
    assert.ok(panel.height >= 130, `${panel.label}: drawn ${panel.height.toFixed(0)} pt high`);
  }
});
