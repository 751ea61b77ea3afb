// Measures reading and T' variable speed: 10 jet branches, plus the variables computed from
// them, over a chain of 100 copies of the 1000-event NanoAOD sample. The chain lists the
// same file 100 times and is read in worker threads, one job per run of consecutive files.
import { fileURLToPath } from 'node:url';
import { availableParallelism, loadavg } from 'node:os';
import { createJobPool, defaultWorkerCount, type RunJob } from '../analysis/core/jobs.ts';
import { validate } from '../analysis/core/config.ts';
import { readChunks, type EventSource } from '../analysis/io/events.ts';
import { computeTprimeVariables, tprimeBranches, tprimeConfigSchema, type TprimeConfig }
  from '../analysis/physics/tprime.ts';
import { splitFiles } from '../analysis/physics/nanoaod-variables.ts';

const SAMPLE = fileURLToPath(new URL('../content/demo/data/NanoAODv5_sample.root', import.meta.url));
const COPIES = 100;
const EXTRA_JET_BRANCHES = ['Jet_btagDeepB', 'Jet_puId', 'Jet_qgl', 'Jet_area'];

interface BenchInput { source: EventSource; config: TprimeConfig }
interface BenchOutput { entries: number; reconstructed: number; sumTopMass: number }

/** Reads the jet branches of a run of files and computes the variables, keeping a summary. */
export const runJob: RunJob<BenchInput, BenchOutput> = async ({ source, config }, progress) => {
  const branches = [...tprimeBranches(config), ...EXTRA_JET_BRANCHES];
  const output = { entries: 0, reconstructed: 0, sumTopMass: 0 };
  for await (const chunk of readChunks(source, branches, { onProgress: progress })) {
    const top = computeTprimeVariables(chunk, config).Chi2_mTop;
    for (let i = 0; i < top.length; i++) {
      if (Number.isNaN(top[i])) continue;
      output.reconstructed += 1;
      output.sumTopMass += top[i];
    }
    output.entries += chunk.length;
  }
  return output;
};

async function pass(files: string[], workers: number, config: TprimeConfig) {
  const pool = createJobPool(workers);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  try {
    const outputs = await pool.runAll<BenchOutput>(splitFiles(files, Math.max(workers, 1))
      .map((run, index) => ({
        module: fileURLToPath(import.meta.url),
        label: `bench io, run ${index + 1}`,
        input: { source: { files: run }, config } satisfies BenchInput,
      })));
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const entries = outputs.reduce((a, o) => a + o.entries, 0);
    const reconstructed = outputs.reduce((a, o) => a + o.reconstructed, 0);
    const meanTop = outputs.reduce((a, o) => a + o.sumTopMass, 0) / reconstructed;
    return { seconds, cpuSeconds, entries, reconstructed, meanTop };
  } finally {
    await pool.close();
  }
}

export async function run(): Promise<void> {
  const config = validate<TprimeConfig>(tprimeConfigSchema, {}, 'bench tprime config');
  const files = new Array<string>(COPIES).fill(SAMPLE);
  // Each worker peaks near 300 MB (jsroot's TTree objects and the tsx loader), so two
  // workers keep the whole process under 1 GB; REPORT_WORKERS overrides the cap.
  const workers = process.env.REPORT_WORKERS ? defaultWorkerCount() : Math.min(defaultWorkerCount(), 2);
  console.log(`chain: ${COPIES} x ${SAMPLE} (1000 events each); `
    + `${6 + EXTRA_JET_BRANCHES.length} jet branches read, T' variables computed`);

  for (const size of [...new Set([1, workers])]) {
    const result = await pass(files, size, config);
    console.log(`${size} worker${size > 1 ? 's' : ''} (of ${availableParallelism()} cores): `
      + `${result.entries} events in ${result.seconds.toFixed(2)} s = `
      + `${Math.round(result.entries / result.seconds)} events/s; CPU time `
      + `${result.cpuSeconds.toFixed(1)} s, ${Math.round(result.entries / result.cpuSeconds)} `
      + `events per CPU second; ${result.reconstructed} with a chi-square top, mean m_t `
      + `${result.meanTop.toFixed(1)} GeV`);
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    console.log(`  peak resident memory so far (this process, workers included): `
      + `${maxRssMb.toFixed(0)} MB`);
  }
  console.log(`load average over the last minute: ${loadavg()[0].toFixed(1)} `
    + '(the figures are lower while other processes share the cores)');
}
