import { cp, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { validate } from '../core/config.ts';
import { InputError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/files.ts';
import { createJobPool, type JobPool } from '../core/jobs.ts';
import { createLogger, type Logger } from '../core/log.ts';
import type { StudyContext } from '../core/study.ts';
import { analysisCodeHash, cacheKey, describeInput, type InputRecord } from './cache.ts';
import { listReports, planReport, type PlannedReport, type PlannedStudy } from './plan.ts';
import { resolveFrom } from './report-config.ts';
import { renderReports, reportView, type BuiltReport } from './render.ts';
import { createStaging, removeAbandoned } from './staging.ts';
import { chooseBackend } from './backend.ts';

export interface BuildOptions {
  /** Folder holding content/, results/ and _site/: the repository normally. */
  root: string;
  /** Reports to build (folder names under content/); all when absent or empty. */
  reports?: string[];
  /** Study names to run; the other studies are shown from their last results. */
  only?: string[];
  /** Rerun the studies even when their results are current. */
  force?: boolean;
  /** Rebuild site and slides from this archive alone, with no training and no inputs. */
  fromArchive?: string;
  /** Worker threads for jobs (default: one per core). */
  workers?: number;
  log?: Logger;
}

export interface BuildSummary {
  reports: string[];
  /** Studies run, as `<report>/<study>`. */
  ran: string[];
  /** Studies whose last results were reused (current, or kept by --only). */
  reused: string[];
}

/** The file written for each study: its result and what it was computed from. */
export interface ResultEnvelope {
  format: 'study-result-1';
  study: string;
  kind: string;
  key: string;
  computed_at: string;
  seconds: number;
  node: string;
  backend: string | null;
  archived_from?: string;
  inputs: InputRecord[];
  result: unknown;
}

export interface InputManifest {
  report: string;
  studies: Array<{ study: string; kind: string; config: string; key: string; inputs: InputRecord[] }>;
}

/**
 * Builds reports: runs each study whose results are not current, then renders the site
 * and the slides. Everything is written under a staging folder first and moved into
 * `results/` and `_site/` only when the whole build succeeded.
 */
export async function buildReports(options: BuildOptions): Promise<BuildSummary> {
  const root = resolve(options.root);
  const log = options.log ?? createLogger();
  const started = Date.now();
  removeAbandoned(root, log);
  if (options.fromArchive) return rebuildFromArchive(root, options.fromArchive, log);

  const contentDir = join(root, 'content');
  const available = await listReports(contentDir);
  const selected = selectReports(available, options.reports, contentDir);
  const plans = await Promise.all(selected.map((name) => planReport(contentDir, name)));
  checkOnly(plans, options.only);

  const staging = await createStaging(root, log);
  const pool = createJobPool(options.workers);
  const summary: BuildSummary = { reports: selected, ran: [], reused: [] };
  try {
    const built: BuiltReport[] = [];
    for (const plan of plans) {
      built.push(await runReport(plan, { root, staging: staging.dir, pool, log, options, summary }));
    }
    const others = available.filter((report) => !selected.includes(report));
    await renderWithOthers(root, staging.dir, built, others, log);
    await staging.moveIntoPlace(selected);
  } finally {
    await pool.close();
    await staging.release();
  }
  log.info(`built ${selected.length} report(s) in ${seconds(started)} s: ` +
    `${summary.ran.length} studies run, ${summary.reused.length} reused`);
  return summary;
}

function selectReports(available: string[], requested: string[] | undefined, contentDir: string): string[] {
  if (!requested?.length) {
    if (available.length === 0) throw new InputError(`no report found: ${contentDir} has no <name>/report.yaml`);
    return available;
  }
  for (const name of requested) {
    if (!available.includes(name)) {
      throw new InputError(`report ${name} not found: no ${join(contentDir, name, 'report.yaml')} ` +
        `(reports: ${available.join(', ') || 'none'})`);
    }
  }
  return [...new Set(requested)];
}

function checkOnly(plans: PlannedReport[], only: string[] | undefined): void {
  const names = new Set(plans.flatMap((plan) => plan.studies.map((study) => study.name)));
  for (const name of only ?? []) {
    if (!names.has(name)) {
      throw new InputError(`--only ${name}: no such study in the reports built ` +
        `(studies: ${[...names].join(', ') || 'none'})`);
    }
  }
}

interface RunState {
  root: string;
  staging: string;
  pool: JobPool;
  log: Logger;
  options: BuildOptions;
  summary: BuildSummary;
}

async function runReport(plan: PlannedReport, state: RunState): Promise<BuiltReport> {
  const { root, staging, log } = state;
  const previousDir = join(root, 'results', plan.name);
  const stagedDir = join(staging, 'results', plan.name);
  await mkdir(stagedDir, { recursive: true });
  const code = await analysisCodeHash();
  const envelopes = new Map<string, ResultEnvelope>();
  const stale = new Set<string>();
  const manifest: InputManifest = { report: plan.name, studies: [] };

  for (const planned of plan.studies) {
    const inputs = await Promise.all(planned.inputs.map((file) => describeInput(file, root)));
    const dependencies = planned.dependsOn.map((name) => envelopes.get(name)!.key);
    const key = cacheKey({ kind: planned.kind, config: planned.config, inputs, code, dependencies });
    const previous = await readEnvelope(join(previousDir, `${planned.name}.json`));
    const label = `${plan.name}/${planned.name}`;
    const selectedByOnly = !state.options.only?.length || state.options.only.includes(planned.name);
    const current = previous !== null && previous.key === key;

    let envelope: ResultEnvelope;
    if (previous && (!selectedByOnly || (current && !state.options.force))) {
      await copyStudyFiles(previousDir, stagedDir, planned.name);
      envelope = previous;
      state.summary.reused.push(label);
      if (current) {
        log.info(`${label}: results current, computed ${previous.computed_at}`);
      } else {
        stale.add(planned.name);
        log.warn(`${label}: results out of date (its config, inputs or the analysis code changed ` +
          `since ${previous.computed_at}); shown as they are, since --only leaves it out`);
      }
    } else if (!selectedByOnly) {
      log.warn(`${label}: no results yet and not selected by --only; its section shows none`);
      continue;
    } else {
      envelope = await runStudy(planned, { plan, key, inputs, envelopes, stagedDir, state });
      state.summary.ran.push(label);
    }
    envelopes.set(planned.name, envelope);
    manifest.studies.push({ study: planned.name, kind: planned.kind, config: relativeTo(root, planned.file),
      key: envelope.key, inputs: envelope.inputs });
  }
  await writeFileAtomic(join(stagedDir, 'inputs.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { plan, envelopes, stale, resultsDir: stagedDir, previous: await loadComparison(plan, log) };
}

async function runStudy(planned: PlannedStudy, run: {
  plan: PlannedReport; key: string; inputs: InputRecord[]; envelopes: Map<string, ResultEnvelope>;
  stagedDir: string; state: RunState;
}): Promise<ResultEnvelope> {
  const { plan, key, inputs, envelopes, stagedDir, state } = run;
  const label = `${plan.name}/${planned.name}`;
  const started = Date.now();
  let backend: string | null = null;
  let result: unknown;
  if (planned.archived) {
    result = planned.study.importArchived!(planned.config, planned.file);
  } else {
    const workDir = join(stagedDir, planned.name);
    await mkdir(workDir, { recursive: true });
    const studyLog = state.log.child(label);
    const context: StudyContext = {
      report: plan.name,
      study: planned.name,
      configFile: planned.file,
      resolve: (path) => resolveFrom(planned.file, path),
      workDir,
      log: studyLog,
      jobs: state.pool,
      backend: async () => (backend = await chooseBackend(studyLog)),
      dependency: (name) => {
        const envelope = envelopes.get(name);
        if (!envelope) throw new Error(`study ${planned.name} asked for ${name}, which it does not depend on`);
        return { result: envelope.result, dir: join(stagedDir, name) };
      },
    };
    studyLog.info(`running ${planned.kind} study`);
    result = await planned.study.run(planned.config, context);
  }
  validate(planned.study.resultSchema, result, `${label}: result of ${planned.kind} study`);
  const envelope: ResultEnvelope = {
    format: 'study-result-1',
    study: planned.name,
    kind: planned.kind,
    key,
    computed_at: new Date().toISOString(),
    seconds: Number(seconds(started)),
    node: process.version,
    backend,
    ...(planned.archived ? { archived_from: relativeTo(state.root, planned.file) } : {}),
    inputs,
    result,
  };
  await writeFileAtomic(join(stagedDir, `${planned.name}.json`), `${JSON.stringify(envelope, null, 1)}\n`);
  state.log.info(`${label}: ${planned.archived ? 'read archived results' : 'ran'} in ${seconds(started)} s`);
  return envelope;
}

/**
 * Renders the reports built now and, from their last results, every other report of the
 * root. A report that cannot be shown from its last results keeps its previous pages,
 * which the index then leaves out.
 */
async function renderWithOthers(root: string, stagingDir: string, built: BuiltReport[], others: string[],
  log: Logger): Promise<void> {
  const siteDir = join(stagingDir, '_site');
  const shown = [...built];
  const kept: string[] = [];
  for (const name of others) {
    const other = await loadBuiltReport(root, name, log);
    if (other) shown.push(other);
    else kept.push(name);
  }
  await renderReports(shown, siteDir, log);
  for (const name of kept) {
    const previous = join(root, '_site', name);
    if (await isDirectory(previous)) {
      await cp(previous, join(siteDir, name), { recursive: true });
      log.warn(`kept the previous pages of report ${name}, which the index leaves out until it is rebuilt`);
    }
  }
}

/**
 * Loads a report from its last results, for the site. Each result is checked against its
 * study's result schema first (results/ is not versioned, and may be older than the code).
 * Returns null with a warning when the report cannot be shown, or with `strict` raises.
 */
async function loadBuiltReport(root: string, name: string, log: Logger, strict = false):
  Promise<BuiltReport | null> {
  const reject = (reason: string) => {
    if (strict) throw new InputError(reason);
    log.warn(`report ${name} is not rendered from its last results: ${reason}`);
    return null;
  };
  let plan: PlannedReport;
  try {
    plan = await planReport(join(root, 'content'), name, { checkInputs: false });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return reject(error.message);
  }
  const resultsDir = join(root, 'results', name);
  const envelopes = new Map<string, ResultEnvelope>();
  for (const study of plan.studies) {
    const file = join(resultsDir, `${study.name}.json`);
    const envelope = await readEnvelope(file);
    if (!envelope) return reject(`no results for study ${study.name} (${file}); build it with --report ${name}`);
    try {
      validate(study.study.resultSchema, envelope.result, `${file}: result of ${study.kind} study`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return reject(`${error.message}\n  (results older than the code? rebuild with --report ${name} --force)`);
    }
    envelopes.set(study.name, envelope);
  }
  const built: BuiltReport = { plan, envelopes, resultsDir, previous: await loadComparison(plan, log) };
  try {
    reportView(built);
  } catch (error) {
    return reject(`its results cannot be presented: ${(error as Error).message}`);
  }
  return built;
}

/** Results of the earlier archived report named by `compare_with`, by study name. */
async function loadComparison(plan: PlannedReport, log: Logger): Promise<BuiltReport['previous']> {
  const archive = plan.config.compare_with;
  if (!archive) return undefined;
  const file = resolveFrom(plan.file, archive);
  if (!await isFile(file)) {
    log.warn(`${plan.name}: compare_with archive ${file} not found; the comparison is left out`);
    return undefined;
  }
  const { readArchivedResults } = await import('./archived.ts');
  const previous = await readArchivedResults(file);
  log.info(`${plan.name}: comparing with report ${previous.report} archived in ${file}`);
  return previous;
}

async function readEnvelope(file: string): Promise<ResultEnvelope | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const envelope = JSON.parse(text) as ResultEnvelope;
    return envelope.format === 'study-result-1' ? envelope : null;
  } catch {
    return null;
  }
}

async function copyStudyFiles(fromDir: string, toDir: string, name: string): Promise<void> {
  await cp(join(fromDir, `${name}.json`), join(toDir, `${name}.json`));
  if (await isDirectory(join(fromDir, name))) {
    await cp(join(fromDir, name), join(toDir, name), { recursive: true });
  }
}

/**
 * Rebuilds a report's site and slides from an archive alone. The archive is checked,
 * unpacked into the staging folder, and its results are checked and rendered there. Only
 * then do its content/ and results/ move into `root`. The root must not hold that report
 * already, so that no working copy is overwritten.
 */
async function rebuildFromArchive(root: string, archive: string, log: Logger): Promise<BuildSummary> {
  const { extractArchive } = await import('../archive/archive.ts');
  const staging = await createStaging(root, log);
  try {
    const unpacked = join(staging.dir, 'archive');
    const { report } = await extractArchive(resolve(archive), unpacked);
    for (const folder of ['content', 'results']) {
      if (await isDirectory(join(root, folder, report))) {
        throw new InputError(`${join(root, folder, report)} exists already; rebuild from an archive into ` +
          'an empty folder (--root DIR) so that nothing is overwritten');
      }
    }
    log.info(`extracted archive ${archive} (report ${report})`);
    const built = (await loadBuiltReport(unpacked, report, log, true))!;
    const others = (await listReports(join(root, 'content')).catch(() => [])).filter((name) => name !== report);
    await renderWithOthers(root, staging.dir, [built], others, log);
    for (const folder of ['content', 'results']) {
      await mkdir(join(root, folder), { recursive: true });
      await rename(join(unpacked, folder, report), join(root, folder, report));
    }
    await staging.moveIntoPlace([]);
    log.info(`rebuilt report ${report} from ${archive} into ${root}`);
    return { reports: [report], ran: [], reused: [...built.envelopes.keys()] };
  } finally {
    await staging.release();
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function relativeTo(root: string, file: string): string {
  return file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}
