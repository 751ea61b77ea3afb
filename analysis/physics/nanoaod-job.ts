import type { RunJob } from '../core/jobs.ts';
import {
  encodeColumn, variableChunks, type NanoAodJobInput, type NanoAodJobOutput,
} from './nanoaod-variables.ts';
import { concatFloat64 } from '../io/builders.ts';

/**
 * Reads T' variables and flat branches over a run of NanoAOD files, in a worker or as a
 * batch job. Progress is reported in entries.
 */
export const runJob: RunJob<NanoAodJobInput, NanoAodJobOutput> = async (input, progress) => {
  const parts: Record<string, Float64Array[]> = Object.fromEntries(input.names.map((n) => [n, []]));
  const summary: NanoAodJobOutput['summary'] = Object.fromEntries(
    input.names.map((name) => [name, { finite: 0, sum: 0 }]));
  let length = 0;
  const chunks = variableChunks(input.source, input.config, input.names,
    { chunkSize: input.chunkSize, onProgress: progress });
  for await (const chunk of chunks) {
    for (const name of input.names) {
      const values = chunk.values[name];
      const entry = summary[name];
      for (let i = 0; i < values.length; i++) {
        if (Number.isFinite(values[i])) {
          entry.finite += 1;
          entry.sum += values[i];
        }
      }
      if (input.keep) parts[name].push(values);
    }
    length += chunk.length;
  }

  const output: NanoAodJobOutput = { length, summary };
  if (input.keep) {
    output.columns = {};
    for (const name of input.names) output.columns[name] = encodeColumn(concatFloat64(parts[name], length));
  }
  return output;
};

