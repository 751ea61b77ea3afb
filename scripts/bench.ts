// Runs the benchmarks under bench/ and prints their figures. Each bench module exports
// `run()`. Pass names to run some of them: `npm run bench -- training taylor`.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { basename, join } from 'node:path';
import { availableParallelism, cpus } from 'node:os';

const benchDir = fileURLToPath(new URL('../bench/', import.meta.url));
const requested = process.argv.slice(2);
const available = (await readdir(benchDir)).filter((name) => name.endsWith('.ts')).map((name) => basename(name, '.ts')).sort();
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length) {
  console.error(`unknown bench ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`);
for (const name of requested.length ? requested : available) {
  console.log(`\n== ${name}`);
  const started = Date.now();
  const module = await import(pathToFileURL(join(benchDir, `${name}.ts`)).href);
  await module.run();
  console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(1)} s in all)`);
}
