import { dirname, resolve } from 'node:path';
import { loadYamlFile, validate } from '../core/config.ts';
import { InputError } from '../core/errors.ts';

/** A section of report.yaml: the text around one study, or text alone. */
export interface SectionConfig {
  title: string;
  /** Study config file, run live (relative to report.yaml). */
  study?: string;
  /** Archived results file, rendered as it is (relative to report.yaml). */
  archived?: string;
  /** Study kind of an archived results file. */
  kind?: string;
  /** Name of the archived study (defaults to the file name without extension). */
  name?: string;
  motivation: string[];
  method: string[];
  method_title: string;
  comments: string[];
}

export interface ReportConfig {
  title: string;
  subtitle?: string;
  author: { name: string; email: string; institute: string };
  date: string;
  meeting: string;
  cms: { extra: string; period?: string; energy?: string };
  /** An earlier archive of a report, whose results are shown beside this month's. */
  compare_with?: string;
  publish?: { base_url?: string; access_groups?: string[] };
  sections: SectionConfig[];
}

const bullets = { type: 'array', items: { type: 'string' }, default: [] };

export const reportSchema = {
  type: 'object',
  required: ['title', 'author', 'date', 'meeting', 'sections'],
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1 },
    subtitle: { type: 'string' },
    author: {
      type: 'object',
      required: ['name', 'email', 'institute'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        email: { type: 'string', format: 'email' },
        institute: { type: 'string', minLength: 1 },
      },
    },
    date: { type: 'string', format: 'date' },
    meeting: { type: 'string', minLength: 1 },
    cms: {
      type: 'object',
      additionalProperties: false,
      default: { extra: 'Private Work' },
      properties: {
        extra: {
          enum: ['', 'Simulation', 'Private Work', 'Preliminary', 'Simulation Preliminary',
            'Work in Progress', 'Simulation Private Work', 'Open Data'],
          default: 'Private Work',
        },
        period: { type: 'string' },
        energy: { type: 'string' },
      },
    },
    compare_with: { type: 'string' },
    publish: {
      type: 'object',
      additionalProperties: false,
      properties: {
        base_url: { type: 'string', format: 'uri' },
        access_groups: { type: 'array', items: { type: 'string', minLength: 1 } },
      },
    },
    sections: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['title'],
        additionalProperties: false,
        properties: {
          title: { type: 'string', pattern: '\\S' },
          study: { type: 'string' },
          archived: { type: 'string' },
          kind: { type: 'string' },
          name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' },
          motivation: bullets,
          method: bullets,
          method_title: { type: 'string', default: 'Methodology' },
          comments: bullets,
        },
        dependentRequired: { archived: ['kind'] },
      },
    },
  },
};

/** Loads and checks `content/<name>/report.yaml`. */
export async function loadReportConfig(file: string): Promise<ReportConfig> {
  const document = await loadYamlFile(file);
  if (document === null || document === undefined) throw new InputError(`${file}: the file is empty`);
  const report = validate<ReportConfig>(reportSchema, document, file);
  report.sections.forEach((section, index) => {
    const empty = !section.study && !section.archived && section.motivation.length === 0 &&
      section.method.length === 0 && section.comments.length === 0;
    if (empty) {
      throw new InputError(`${file}: invalid configuration\n  - sections[${index}] (${section.title}): ` +
        'has no study, archived results, motivation, method or comments');
    }
    if (section.study && section.archived) {
      throw new InputError(`${file}: invalid configuration\n  - sections[${index}]: ` +
        'names both `study` and `archived`; a section shows one study, live or archived');
    }
  });
  return report;
}

export function resolveFrom(file: string, path: string): string {
  return resolve(dirname(file), path);
}
