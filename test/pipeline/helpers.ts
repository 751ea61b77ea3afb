import { spawn } from 'node:child_process';
import { cp, mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A temporary build root with copies of the named report folders from content/. */
export async function temporaryRoot(reports: string[] = []): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'report-build-'));
  await mkdir(join(root, 'content'));
  for (const report of reports) {
    await cp(join(repositoryRoot, 'content', report), join(root, 'content', report), { recursive: true });
  }
  return root;
}

/** Runs `scripts/report.ts` in a child process; resolves with its exit code and output. */
export function runReport(args: string[], env: Record<string, string> = {}):
  Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repositoryRoot, 'scripts/report.ts'), ...args],
      { cwd: repositoryRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Returns a report.yaml with one section of text only, which builds without any study. */
export function textReport(title: string): string {
  return `title: ${title}
author: {name: A. Physicist, email: a.physicist@example.org, institute: Some University}
date: 2026-11-05
meeting: Group meeting
sections:
  - title: Text only
    motivation: [A bullet]
`;
}
