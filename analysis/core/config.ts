import { readFile } from 'node:fs/promises';
import { parseDocument, LineCounter } from 'yaml';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { InputError } from './errors.ts';

const ajv = new Ajv2020.default({ allErrors: true, strict: false, useDefaults: true });
addFormats.default(ajv);

/** Parses a YAML file; a syntax error names the file, line and column. */
export async function loadYamlFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  return parseYaml(text, file);
}

export function parseYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(`${file}:${line}:${col}: YAML syntax error: ${reason}`);
  }
  try {
    return document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // The yaml package raises a ReferenceError for an alias to nothing or too many aliases.
    throw new InputError(`${file}: invalid YAML: ${(error as Error).message}`);
  }
}

/**
 * Checks a value against a JSON Schema and fills in its defaults. On failure the error
 * lists every bad value by key path (`model.dropout`, `steps[2].name`) with what was
 * expected, prefixed by `what` (usually the file name).
 */
export function validate<T>(schema: object, value: unknown, what: string): T {
  const check = ajv.compile(schema);
  if (check(value)) return value as T;
  const lines = (check.errors ?? []).map(describeError);
  throw new InputError(`${what}: invalid configuration\n${[...new Set(lines)].map((l) => `  - ${l}`).join('\n')}`);
}

function keyPath(pointer: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = '';
  for (const part of parts) {
    if (/^\d+$/.test(part)) path += `[${part}]`;
    else if (path) path += `.${part}`;
    else path = part;
  }
  return path || '(top level)';
}

function describeError(error: ErrorObject): string {
  const at = keyPath(error.instancePath);
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'required':
      return `${at === '(top level)' ? '' : `${at}.`}${params.missingProperty}: missing (required)`;
    case 'additionalProperties':
      return `${at === '(top level)' ? '' : `${at}.`}${params.additionalProperty}: unknown key`;
    case 'enum':
      return `${at}: must be one of ${params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${at}: expected ${params.type}`;
    case 'pattern':
      return params.pattern === '\\S' ? `${at}: must not be blank` : `${at}: ${error.message}`;
    default:
      return `${at}: ${error.message}`;
  }
}
