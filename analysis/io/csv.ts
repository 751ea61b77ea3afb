import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { InputError } from '../core/errors.ts';
import { closestNames } from './names.ts';
import type { Chunk } from './events.ts';

/**
 * CSV event files: the first line that is neither blank nor a `#` comment is the header,
 * every later line one event of comma-separated numbers. Besides what `Number` accepts,
 * values may be `nan`, `inf`, `-inf` (any case) and `true`/`false` (as 1/0). Fields may be
 * wrapped in double quotes; quoted commas are not supported. A file must have at least one
 * row after its header.
 */

/** Reads the header of a CSV file. */
export async function readCsvHeader(file: string): Promise<string[]> {
  for await (const { line, text } of csvLines(file)) return splitFields(text, file, line);
  throw new InputError(`${file}: CSV file has no header line`);
}

/** Reads the named columns in chunks of `chunkSize` rows, reporting the bytes read so far. */
export async function* readCsvChunks(file: string, columns: string[], chunkSize: number,
  onBytes?: (bytes: number) => void): AsyncGenerator<Chunk> {
  await checkReadable(file);
  let header: string[] | null = null;
  let indexes: number[] = [];
  let values: Float64Array[] = [];
  let length = 0;
  let firstEntry = 0;

  const flush = (): Chunk => {
    const chunk: Chunk = { file, firstEntry, length, columns: {} };
    columns.forEach((name, k) => { chunk.columns[name] = values[k].slice(0, length); });
    firstEntry += length;
    length = 0;
    return chunk;
  };

  for await (const { line, text, bytes } of csvLines(file)) {
    if (!header) {
      header = splitFields(text, file, line);
      indexes = columns.map((name) => columnIndex(header!, name, file));
      values = columns.map(() => new Float64Array(chunkSize));
      continue;
    }
    const fields = splitFields(text, file, line);
    if (fields.length !== header.length) {
      throw new InputError(`${file}:${line}: ${fields.length} fields, the header has ${header.length}`);
    }
    for (let k = 0; k < indexes.length; k++) {
      values[k][length] = parseValue(fields[indexes[k]], file, line, header[indexes[k]], indexes[k]);
    }
    length += 1;
    if (length === chunkSize) {
      onBytes?.(bytes);
      yield flush();
    }
  }
  if (!header) throw new InputError(`${file}: CSV file has no header line`);
  // A header alone is most often an output whose writer failed, not a sample without events.
  if (firstEntry === 0 && length === 0) throw new InputError(`${file} has a header but no rows`);
  if (length > 0) yield flush();
}

function columnIndex(header: string[], name: string, file: string): number {
  const index = header.indexOf(name);
  if (index < 0) {
    throw new InputError(`${file}: no column "${name}" in the CSV header (${closestNames(name, header)})`);
  }
  return index;
}

async function checkReadable(file: string): Promise<void> {
  try {
    await stat(file);
  } catch (error) {
    throw new InputError(`cannot read CSV file ${file}: ${(error as NodeJS.ErrnoException).code}`);
  }
}

/** Yields the non-blank, non-comment lines with their 1-based line numbers. */
async function* csvLines(file: string): AsyncGenerator<{ line: number; text: string; bytes: number }> {
  await checkReadable(file);
  const stream = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      const trimmed = text.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      yield { line, text, bytes: stream.bytesRead };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

function splitFields(text: string, file: string, line: number): string[] {
  return text.split(',').map((field) => {
    const trimmed = field.trim();
    if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
      return trimmed.slice(1, -1);
    }
    if (trimmed.includes('"')) throw new InputError(`${file}:${line}: unbalanced quotes in "${trimmed}"`);
    return trimmed;
  });
}

const WORDS: Record<string, number> = {
  nan: NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity, true: 1, false: 0,
};

function parseValue(text: string, file: string, line: number, column: string,
  index: number): number {
  if (text !== '') {
    const number = Number(text);
    if (!Number.isNaN(number)) return number;
    const word = WORDS[text.toLowerCase()];
    if (word !== undefined) return word;
  }
  throw new InputError(`${file}:${line}: column "${column}" (column ${index + 1}): invalid number "${text}"`);
}
