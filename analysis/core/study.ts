import type { Presentation } from './presentation.ts';
import type { Logger } from './log.ts';
import type { JobPool } from './jobs.ts';

/**
 * What every study provides. A study is configured by one YAML file whose `kind` names it,
 * runs on its inputs, and returns a result that is checked against `resultSchema` before it
 * is written to `results/<report>/<study>.json`.
 */
export interface Study<Config = any, Result = any> {
  /** The `kind:` value in a study config, e.g. `cut-importance`. */
  kind: string;
  title: string;
  /** JSON Schema (draft 2020-12, checked with Ajv) of the config, `kind` and `name` included. */
  configSchema: object;
  resultSchema: object;
  /**
   * Lists the files the study reads, resolved to absolute paths; their contents are part
   * of the cache key. An input that does not exist must be returned anyway: the pipeline
   * reports it with the config that asked for it.
   */
  inputs(config: Config, context: StudyContext): Promise<string[]>;
  /** Names of other studies of the same report whose results this one needs. */
  dependsOn?(config: Config): string[];
  run(config: Config, context: StudyContext): Promise<Result>;
  /** Turns a result (live or archived) into what the site and the slides show. */
  present(result: Result, context: PresentContext): Presentation;
  /**
   * Converts an archived result in the group's own format (e.g. a YAML table kept from an
   * earlier report) into this study's result. Absent when only this tool's JSON is accepted.
   */
  importArchived?(document: unknown, source: string): Result;
}

export interface StudyContext {
  /** Report name, i.e. the folder under `content/`. */
  report: string;
  /** The study's name (its config's `name`), unique within the report. */
  study: string;
  /** Absolute path of the study's config file. */
  configFile: string;
  /** Resolves a path written in the config, relative to the config file's folder. */
  resolve(path: string): string;
  /**
   * Folder, empty at start, for files the study keeps beside its results JSON (saved
   * models, intermediate job outputs). It is moved to `results/<report>/<study>/` only
   * when the whole run succeeds.
   */
  workDir: string;
  log: Logger;
  /** Worker-thread pool shared by all studies of the run. */
  jobs: JobPool;
  /** tfjs backend in use (`tensorflow` or `wasm`); initialised on first call. */
  backend(): Promise<string>;
  /** Results of the studies named by `dependsOn`, with the folder holding their files. */
  dependency(name: string): { result: unknown; dir: string };
}

export interface PresentContext {
  report: string;
  study: string;
  /** Default CMS label of the report's plots. */
  cms: { extra: string; period?: string; energy?: string };
  /**
   * The same study's result in an earlier archived report named by report.yaml's
   * `compare_with`, when there is one; present() then shows the change.
   */
  previous?: { report: string; result: unknown };
}
