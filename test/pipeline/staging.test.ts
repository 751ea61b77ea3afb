import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repositoryRoot, runReport, temporaryRoot, textReport } from './helpers.ts';

async function addReport(root: string, name: string, yaml: string): Promise<void> {
  await mkdir(join(root, 'content', name), { recursive: true });
  await writeFile(join(root, 'content', name, 'report.yaml'), yaml);
}

const buildFolders = async (root: string) => (await readdir(root)).filter((name) => name.startsWith('.build-'));

test('other reports keep their pages', async () => {
  const root = await temporaryRoot();
  await addReport(root, 'a', textReport('Report A'));
  await addReport(root, 'b', textReport('Report B'));
  assert.equal((await runReport(['--root', root])).code, 0);
  await writeFile(join(root, 'content', 'b', 'report.yaml'), 'title: [');

  const { code, stderr } = await runReport(['--root', root, '--report', 'a']);
  assert.equal(code, 0);
  assert.match(stderr, /kept the previous pages of report b/);
  assert.ok((await stat(join(root, '_site', 'b', 'index.html'))).isFile(), 'b keeps its page');
  assert.ok((await stat(join(root, '_site', 'a', 'index.html'))).isFile(), 'a is rebuilt');
});

test('abandoned build folder is removed', async () => {
  const root = await temporaryRoot();
  await addReport(root, 'a', textReport('Report A'));
  const abandoned = join(root, '.build-dead0001');
  await mkdir(abandoned);
  // A process id that cannot be running: above the kernel's maximum.
  await writeFile(join(abandoned, 'pid'), '99999999');
  const { code, stderr } = await runReport(['--root', root]);
  assert.equal(code, 0);
  assert.match(stderr, /removed .*\.build-dead0001, left by an interrupted build/);
  assert.deepEqual(await buildFolders(root), []);
});

test('parked site is restored after a kill', async () => {
  const root = await temporaryRoot();
  await addReport(root, 'a', textReport('Report A'));
  const abandoned = join(root, '.build-dead0002');
  await mkdir(join(abandoned, 'old-site'), { recursive: true });
  await writeFile(join(abandoned, 'pid'), '99999999');
  await writeFile(join(abandoned, 'old-site', 'marker.html'), 'parked');
  // Planning fails, so nothing is built: the restored site must be the parked one.
  await writeFile(join(root, 'content', 'a', 'report.yaml'), 'title: [');
  const { code } = await runReport(['--root', root]);
  assert.equal(code, 1);
  assert.equal(await readFile(join(root, '_site', 'marker.html'), 'utf8'), 'parked');
  assert.deepEqual(await buildFolders(root), []);
});

test('SIGTERM removes the staging folder', async () => {
  const root = await temporaryRoot();
  await addReport(root, 'a', textReport('Report A'));
  await mkdir(join(root, '_site'));
  await writeFile(join(root, '_site', 'previous.html'), 'previous build');
  const child = spawn(process.execPath, ['--import', 'tsx', join(repositoryRoot, 'scripts/report.ts'), '--root', root],
    { cwd: repositoryRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  // Wait until the staging folder exists, then interrupt.
  for (let tries = 0; tries < 400 && (await buildFolders(root)).length === 0; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code === 0) return; // The build finished before the signal: nothing to check.
  assert.equal(code, 143, stderr);
  assert.match(stderr, /build interrupted by SIGTERM/);
  assert.deepEqual(await buildFolders(root), []);
  assert.equal(await readFile(join(root, '_site', 'previous.html'), 'utf8'), 'previous build');
});
