// Runs one job outside the report, as a batch system would:
//   tsx scripts/run-job.ts JOB.json
// where JOB.json is {"module": PATH, "input": {...}, "outputFile": PATH}.
import { readFile } from 'node:fs/promises';
import { resolve, dirname } from 'node:path';
import { createJobPool, type JobSpec } from '../analysis/core/jobs.ts';

const [jobFile] = process.argv.slice(2);
if (!jobFile) {
  console.error('usage: tsx scripts/run-job.ts JOB.json');
  process.exit(2);
}
const spec = JSON.parse(await readFile(jobFile, 'utf8')) as JobSpec;
const base = dirname(resolve(jobFile));
const module = resolve(base, spec.module);
const outputFile = spec.outputFile ? resolve(base, spec.outputFile) : undefined;
const pool = createJobPool(0);
const started = Date.now();
await pool.run({ ...spec, module, outputFile, label: spec.label ?? jobFile });
console.error(`job ${spec.label ?? jobFile} done in ${((Date.now() - started) / 1000).toFixed(1)} s` +
  (outputFile ? `, output written to ${outputFile}` : ''));
