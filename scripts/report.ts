// Builds the monthly reports: runs the studies whose results are not current, then writes
// results/<report>/, _site/index.html, _site/<report>/index.html and slides.pdf.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { InputError } from '../analysis/core/errors.ts';
import { createLogger } from '../analysis/core/log.ts';
import { JobError } from '../analysis/core/jobs.ts';
import { buildReports } from '../analysis/pipeline/build.ts';

const usage = `usage: npm run report -- [options]

  --report NAME        build only this report (content/NAME/report.yaml); repeatable
  --only STUDY         run only this study (by its config's name); repeatable
  --force              rerun studies whose results are current
  --backend NAME       tfjs backend: tensorflow (tfjs-node), wasm, or auto (default)
  --workers N          worker threads for trainings and file passes (default: one per core)
  --from-archive FILE  rebuild site and slides from an archive alone, with no training
  --root DIR           folder holding content/, results/ and _site/ (default: the repository)
  -h, --help           show this help`;

const BACKENDS = ['auto', 'tensorflow', 'wasm'];
const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        report: { type: 'string', multiple: true },
        only: { type: 'string', multiple: true },
        force: { type: 'boolean', default: false },
        backend: { type: 'string' },
        workers: { type: 'string' },
        'from-archive': { type: 'string' },
        root: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (values.backend) {
    if (!BACKENDS.includes(values.backend)) {
      console.error(`invalid --backend ${values.backend}: expected ${BACKENDS.join(', ')}`);
      return 2;
    }
    process.env.REPORT_BACKEND = values.backend;
  }
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) {
    console.error(`invalid --workers ${values.workers}: expected a whole number >= 0 (0 runs jobs in the main thread)`);
    return 2;
  }
  const log = createLogger();
  try {
    await buildReports({
      root: values.root ?? repositoryRoot,
      reports: values.report,
      only: values.only,
      force: values.force,
      workers,
      fromArchive: values['from-archive'],
      log,
    });
    return 0;
  } catch (error) {
    if (error instanceof InputError) {
      console.error(`error: ${error.message}`);
      return 1;
    }
    if (error instanceof JobError && !process.env.DEBUG) {
      // A job failed inside a worker: its stack is in the worker's code, rarely useful here.
      console.error(`error: ${error.message}\n(set DEBUG=report:* to see the stack trace)`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
