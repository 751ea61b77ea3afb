import { basename, dirname, resolve } from 'node:path';
import type { JobPool } from '../core/jobs.ts';
import { createLogger, type Logger } from '../core/log.ts';
import type { StudyContext } from '../core/study.ts';
import { initBackend, requestedBackend } from '../learning/backend.ts';

/**
 * A study context for running a study outside the report pipeline (benchmarks, tests):
 * paths resolve from the config's folder, and the results and saved files go to `workDir`.
 */
export function standaloneContext(configFile: string, workDir: string, jobs: JobPool,
  log: Logger = createLogger(basename(configFile, '.yaml'))): StudyContext {
  return {
    report: basename(dirname(configFile)),
    study: basename(configFile, '.yaml'),
    configFile,
    resolve: (path) => resolve(dirname(configFile), path),
    workDir,
    log,
    jobs,
    backend: () => initBackend(requestedBackend(), (line) => log.info(line)),
    dependency: (name) => {
      throw new Error(`a standalone run has no dependency ${name}`);
    },
  };
}
