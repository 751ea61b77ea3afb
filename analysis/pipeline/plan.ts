import { access, readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { loadYamlFile, validate } from '../core/config.ts';
import { InputError } from '../core/errors.ts';
import type { Study } from '../core/study.ts';
import { studies } from '../studies/index.ts';
import { loadReportConfig, resolveFrom, type ReportConfig, type SectionConfig } from './report-config.ts';

/** One study of a report, configured and checked, not yet run. */
export interface PlannedStudy {
  name: string;
  kind: string;
  study: Study;
  /** Live: the checked config. Archived: the archived document as read. */
  config: unknown;
  /** The study config file, or the archived results file. */
  file: string;
  archived: boolean;
  /** Absolute paths of the input files (the archived file itself for archived results). */
  inputs: string[];
  dependsOn: string[];
}

export interface PlannedSection {
  config: SectionConfig;
  study?: PlannedStudy;
}

export interface PlannedReport {
  name: string;
  dir: string;
  file: string;
  config: ReportConfig;
  sections: PlannedSection[];
  studies: PlannedStudy[];
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Names of the folders under `content/` that hold a report.yaml, sorted. */
export async function listReports(contentDir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(contentDir, { withFileTypes: true });
  } catch {
    throw new InputError(`no content folder at ${contentDir}: a report lives in content/<name>/report.yaml`);
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && await exists(join(contentDir, entry.name, 'report.yaml'))) {
      names.push(entry.name);
    }
  }
  return names.sort();
}

/**
 * Loads a report's definition and every study config it names, checks them against their
 * schemas and checks that every input file exists, before anything runs.
 */
export async function planReport(contentDir: string, name: string,
  options: { checkInputs?: boolean } = {}): Promise<PlannedReport> {
  const checkInputs = options.checkInputs ?? true;
  const dir = join(contentDir, name);
  const file = join(dir, 'report.yaml');
  const config = await loadReportConfig(file);
  if (checkInputs && config.compare_with && !await exists(resolveFrom(file, config.compare_with))) {
    throw new InputError(`${file}: compare_with: archive ${resolveFrom(file, config.compare_with)} not found`);
  }
  const sections: PlannedSection[] = [];
  for (const [index, section] of config.sections.entries()) {
    const where = `${file}: sections[${index}] (${section.title})`;
    if (section.study && (section.kind || section.name)) {
      throw new InputError(`${where}: \`kind\` and \`name\` belong to archived sections; ` +
        `a live study takes both from its config (${section.study})`);
    }
    if (section.study) {
      sections.push({ config: section, study: await planLiveStudy(file, section.study, where, checkInputs) });
    }
    else if (section.archived) sections.push({ config: section, study: await planArchived(file, section, where) });
    else sections.push({ config: section });
  }
  const planned = sections.flatMap((section) => (section.study ? [section.study] : []));
  checkNames(file, planned);
  return { name, dir, file, config, sections, studies: orderByDependencies(file, planned) };
}

function studyOfKind(kind: unknown, where: string): Study {
  const study = typeof kind === 'string' ? studies.get(kind) : undefined;
  if (!study) {
    throw new InputError(`${where}: unknown study kind ${JSON.stringify(kind)}; ` +
      `known kinds: ${[...studies.keys()].join(', ')}`);
  }
  return study;
}

async function planLiveStudy(reportFile: string, path: string, where: string,
  checkInputs: boolean): Promise<PlannedStudy> {
  const file = resolveFrom(reportFile, path);
  if (!await exists(file)) throw new InputError(`${where}: study config not found: ${file}`);
  const document = await loadYamlFile(file) as Record<string, unknown> | null;
  const kind = document && typeof document === 'object' ? document.kind : undefined;
  if (kind === undefined) {
    throw new InputError(`${file}: invalid configuration\n  - kind: missing (required); ` +
      `known kinds: ${[...studies.keys()].join(', ')}`);
  }
  const study = studyOfKind(kind, file);
  const config = validate<Record<string, unknown>>(withNameAndKind(study.configSchema), document, file);
  const name = config.name as string;
  const context = planningContext(file);
  const inputs = checkInputs ? await study.inputs(config, context as never) : [];
  for (const input of inputs) {
    const kind = await fileKind(input);
    if (kind === 'missing') {
      throw new InputError(`input file not found: ${input}\n  (named by ${file}, study ${name})`);
    }
    if (kind !== 'file') {
      throw new InputError(`input ${input} is a ${kind}, not a file\n  (named by ${file}, study ${name})`);
    }
  }
  return { name, kind: study.kind, study, config, file, archived: false, inputs,
    dependsOn: study.dependsOn?.(config) ?? [] };
}

async function planArchived(reportFile: string, section: SectionConfig, where: string): Promise<PlannedStudy> {
  const file = resolveFrom(reportFile, section.archived!);
  const study = studyOfKind(section.kind, where);
  if (!study.importArchived) {
    throw new InputError(`${where}: study kind ${study.kind} cannot render archived results`);
  }
  if (!await exists(file)) throw new InputError(`${where}: archived results file not found: ${file}`);
  const name = section.name ?? basename(file, extname(file));
  const document = extname(file) === '.json' ? await loadJsonFile(file) : await loadYamlFile(file);
  return { name, kind: study.kind, study, config: document, file, archived: true, inputs: [file], dependsOn: [] };
}

/** Returns the study's own schema, with the `kind` and `name` keys every config has. */
function withNameAndKind(schema: object): object {
  const base = schema as { properties?: Record<string, unknown>; required?: string[] };
  return {
    ...base,
    properties: {
      ...base.properties,
      kind: { type: 'string' },
      name: { type: 'string', pattern: NAME_PATTERN.source },
    },
    required: [...new Set(['kind', 'name', ...(base.required ?? [])])],
  };
}

/** Returns the part of a StudyContext that `inputs()` may use: paths only, nothing runs. */
function planningContext(configFile: string) {
  return { configFile, resolve: (path: string) => resolveFrom(configFile, path) };
}

/** Names of files the pipeline writes beside the studies' results. */
const RESERVED_NAMES = new Set(['inputs']);

function checkNames(reportFile: string, planned: PlannedStudy[]): void {
  const seen = new Map<string, string>();
  for (const study of planned) {
    if (RESERVED_NAMES.has(study.name)) {
      throw new InputError(`${study.file}: the study name ${study.name} is reserved ` +
        `(results/<report>/${study.name}.json is the pipeline's own); choose another \`name\``);
    }
    const other = seen.get(study.name);
    if (other) {
      throw new InputError(`${reportFile}: two studies are named ${study.name} (${other} and ${study.file}); ` +
        'give each a unique `name`');
    }
    seen.set(study.name, study.file);
  }
}

/** Orders studies so that each runs after those it depends on; a missing or circular dependency is an error. */
function orderByDependencies(reportFile: string, planned: PlannedStudy[]): PlannedStudy[] {
  const byName = new Map(planned.map((study) => [study.name, study]));
  const ordered: PlannedStudy[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (study: PlannedStudy, chain: string[]) => {
    if (state.get(study.name) === 'done') return;
    if (state.get(study.name) === 'visiting') {
      throw new InputError(`${reportFile}: circular study dependency: ${[...chain, study.name].join(' -> ')}`);
    }
    state.set(study.name, 'visiting');
    for (const dependency of study.dependsOn) {
      const target = byName.get(dependency);
      if (!target) {
        throw new InputError(`${study.file}: depends on study ${dependency}, which report ${reportFile} ` +
          `does not contain (its studies: ${[...byName.keys()].join(', ') || 'none'})`);
      }
      visit(target, [...chain, study.name]);
    }
    state.set(study.name, 'done');
    ordered.push(study);
  };
  for (const study of planned) visit(study, []);
  return ordered;
}

async function loadJsonFile(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: invalid JSON: ${(error as Error).message}`);
  }
}

async function fileKind(path: string): Promise<'file' | 'folder' | 'special file' | 'missing'> {
  try {
    const info = await stat(path);
    return info.isFile() ? 'file' : info.isDirectory() ? 'folder' : 'special file';
  } catch {
    return 'missing';
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
