// Runs the test files under test/ (or those under the folders and files given) with node's
// test runner and the tsx loader, and fails when no test ran: Node 20's `node --test`
// finds no .ts files by itself and would otherwise pass with zero tests.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : findTests(child);
      return entry.name.endsWith('.test.ts') ? [child] : [];
    })
    .sort();
}

const roots = process.argv.slice(2);
const files = (roots.length ? roots : ['test']).flatMap(findTests);
if (files.length === 0) {
  console.error(`no test files (*.test.ts) found under ${roots.join(', ') || 'test'}`);
  process.exit(1);
}

const child = spawn(process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=1', ...files],
  { stdio: ['ignore', 'pipe', 'inherit'] });
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', (code) => {
  const count = Number(/^# tests (\d+)$/m.exec(tail)?.[1] ?? 0);
  if (count === 0) {
    console.error('the test runner executed no test');
    process.exit(1);
  }
  process.exit(code ?? 1);
});
