import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractArchive } from '../archive/archive.ts';
import type { ResultEnvelope } from './build.ts';

/** Reads the study results of an archived report, by study name, checking the archive on the way. */
export async function readArchivedResults(file: string): Promise<{ report: string; results: Map<string, unknown> }> {
  const dir = await mkdtemp(join(tmpdir(), 'report-archive-'));
  try {
    const manifest = await extractArchive(file, dir) as { report: string };
    const resultsDir = join(dir, 'results', manifest.report);
    const results = new Map<string, unknown>();
    for (const name of await readdir(resultsDir)) {
      if (!name.endsWith('.json') || name === 'inputs.json') continue;
      const envelope = JSON.parse(await readFile(join(resultsDir, name), 'utf8')) as ResultEnvelope;
      if (envelope.format === 'study-result-1') results.set(envelope.study, envelope.result);
    }
    return { report: manifest.report, results };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
