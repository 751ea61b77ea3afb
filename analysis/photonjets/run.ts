import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { InputError } from '../core/errors.ts';
import type { JobSpec } from '../core/jobs.ts';
import type { StudyContext } from '../core/study.ts';
import { expandFiles } from '../io/events.ts';
import { Histogram } from '../physics/histogram.ts';
import { deltaREdges, htBins, type IdCut, type PhotonJetsConfig } from './config.ts';
import type { PhotonJetsJobInput, PhotonJetsJobOutput } from './job.ts';
import type { PhotonJetsResult, SampleResult, SetResult } from './result.ts';
import { cutFlowSteps, describeId } from './selection.ts';

const JOB_MODULE = fileURLToPath(new URL('./job.ts', import.meta.url));

/** Lists every input file; a pattern that matches nothing is returned as its resolved path. */
export async function listInputs(config: PhotonJetsConfig,
  context: StudyContext): Promise<string[]> {
  const files = new Set<string>();
  for (const set of config.sets) {
    for (const sample of set.samples) {
      for (const pattern of sample.files.map((file) => context.resolve(file))) {
        const matches = fg.isDynamicPattern(pattern) ? await expandFiles([pattern]).catch(() => [])
          : [pattern];
        for (const match of matches.length > 0 ? matches : [pattern]) files.add(match);
      }
    }
  }
  return [...files].sort();
}

interface PlannedJob {
  set: number;
  sample: number;
  spec: JobSpec<PhotonJetsJobInput>;
}

async function planJobs(config: PhotonJetsConfig, context: StudyContext): Promise<PlannedJob[]> {
  const jobs: PlannedJob[] = [];
  for (const [s, set] of config.sets.entries()) {
    for (const [p, sample] of set.samples.entries()) {
      const files = await expandFiles(sample.files.map((file) => context.resolve(file)));
      for (let first = 0; first < files.length; first += config.files_per_job) {
        const chunk = files.slice(first, first + config.files_per_job);
        const label = `${set.name} / ${sample.name}, files ${first + 1}-${first + chunk.length}`
          + ` of ${files.length}`;
        jobs.push({
          set: s,
          sample: p,
          spec: { module: JOB_MODULE, label, input: { config, set: s, sample: p, files: chunk } },
        });
      }
    }
  }
  return jobs;
}

/**
 * Runs one job per chunk of files of each sample, then merges: per sample it adds the
 * histograms and cut flows, scales them by cross section / sum of genWeight, and adds the
 * samples of each set.
 */
export async function runStudy(config: PhotonJetsConfig,
  context: StudyContext): Promise<PhotonJetsResult> {
  const bins = htBins(config.ht);
  const edges = deltaREdges(config.delta_r);
  const jobs = await planJobs(config, context);
  const started = Date.now();
  const progress = context.log.progress('photon+jets jobs', jobs.length, 'jobs');
  let outputs: PhotonJetsJobOutput[];
  try {
    outputs = await context.jobs.runAll<PhotonJetsJobOutput>(jobs.map((job) => job.spec),
      () => progress.increment());
  } finally {
    progress.stop();
  }

  for (const warning of outputs.flatMap((output) => output.warnings)) context.log.warn(warning);
  // The page names files without their folder, so that results do not depend on the checkout.
  const warnings = outputs.flatMap((output) => output.files)
    .filter((file) => file.sumwSource === 'Events')
    .map((file) => `${basename(file.file)}: no genEventSumw in a Runs tree, so its sum of `
      + `genWeight is that of its ${file.entries} events, right only if the file holds the `
      + 'whole sample.');

  const sets: SetResult[] = config.sets.map((set, s) => {
    const steps = cutFlowSteps(config, set, bins);
    const samples: SampleResult[] = [];
    let setHistograms: Histogram[] | null = null;
    for (const [p, sample] of set.samples.entries()) {
      const mine = outputs.filter((_, j) => jobs[j].set === s && jobs[j].sample === p);
      const files = mine.flatMap((output) => output.files);
      const sumw = files.reduce((total, file) => total + file.sumw, 0);
      if (!(sumw > 0)) {
        throw new InputError(`sample "${sample.name}" of set "${set.name}": the sum of genWeight `
          + `is ${sumw}, so the events cannot be normalised to the cross section`);
      }
      const scale = sample.cross_section / sumw;
      const histograms = mine
        .map((output) => output.histograms.map((json) => Histogram.fromJSON(json)))
        .reduce((sum, next) => sum.map((h, i) => h.add(next[i])))
        .map((h) => h.scale(scale));
      setHistograms = setHistograms
        ? setHistograms.map((h, i) => h.add(histograms[i]))
        : histograms;
      samples.push({
        name: sample.name,
        crossSection: sample.cross_section,
        sumw,
        files: files.map((file) => ({ ...file, file: basename(file.file) })),
        cutFlow: steps.map((step, i) => ({
          step,
          raw: mine.reduce((total, output) => total + output.cutFlowRaw[i], 0),
          weighted: scale * mine.reduce((total, output) => total + output.cutFlowSumw[i], 0),
        })),
      });
      const selected = samples[samples.length - 1].cutFlow[steps.length - bins.length - 1];
      context.log.info(`${set.name} / ${sample.name}: ${selected.raw} of `
        + `${files.reduce((total, file) => total + file.entries, 0)} events selected `
        + `(${files.length} files, sum of genWeight ${Number(sumw.toPrecision(7))})`);
    }
    return {
      name: set.name,
      ...(set.note ? { note: set.note } : {}),
      generatorCut: set.generator_cut,
      samples,
      histograms: (setHistograms ?? []).map((h) => h.toJSON()),
    };
  });
  const seconds = (Date.now() - started) / 1000;
  context.log.info(`photon+jets: ${jobs.length} jobs in ${seconds.toFixed(1)} s`);

  return {
    title: config.title,
    htBins: bins,
    deltaREdges: edges,
    selection: describeSelection(config),
    sets,
    warnings,
  };
}

function describeSelection(config: PhotonJetsConfig): string[] {
  const { photon, jet, gen_jet: genJet, ht } = config;
  const id = (cut: IdCut | null) => (cut ? describeId(cut) : 'none');
  const genJetHt = `the scalar sum of GEN-jet pT (pT > ${ht.gen_jet.pt_min} GeV, `
    + `|η| < ${ht.gen_jet.abs_eta_max}, photon removed as for the GEN jets)`;
  const htLine = ht.source === 'LHE_HT' ? 'LHE_HT'
    : ht.source === 'GenJet' ? genJetHt
      : `LHE_HT where the file has it, else ${genJetHt}`;
  return [
    `Photon: exactly one with pT > ${photon.pt_min} GeV, |η| < ${photon.abs_eta_max}, `
      + `ID ${id(photon.id)}`,
    `RECO jets: pT > ${jet.pt_min} GeV, |η| < ${jet.abs_eta_max}, ID ${id(jet.id)}, `
      + `removed within ΔR ≤ ${jet.photon_clean_dr} of the photon; at least one`,
    `GEN jets: pT > ${genJet.pt_min} GeV, |η| < ${genJet.abs_eta_max}, removed within `
      + `ΔR ≤ ${genJet.photon_clean_dr} of the leading generated photon `
      + `(source: ${config.gen_photon.source})`,
    `HT: ${htLine}`,
    'Jets ordered by pT; a pair is filled only when both of its jets exist',
  ];
}
