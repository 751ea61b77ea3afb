// Archives a built report, or checks an archive:
//   npm run archive -- --report NAME
//   npm run archive -- --verify FILE
import { parseArgs } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../analysis/core/errors.ts';
import { createArchive, extractArchive } from '../analysis/archive/archive.ts';
import { runCommand } from './command.ts';

const usage = `usage: npm run archive -- --report NAME [--archive-dir DIR] [--root DIR]
       npm run archive -- --verify FILE

--report NAME      writes archive/NAME/<version>.tar.gz with the results, kept files, site,
                   slides and content of report NAME, and a manifest of all of them; each
                   run writes the next version and never replaces an archive
--archive-dir DIR  folder holding the NAME/ folders of archives (default: ROOT/archive)
--root DIR         folder holding content/, results/ and _site/ (default: the repository)
--verify FILE      extracts FILE into a temporary folder, checks every file against the
                   manifest and prints the manifest's summary
--help             show this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      report: { type: 'string' },
      'archive-dir': { type: 'string' },
      root: { type: 'string' },
      verify: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  if (values.verify) {
    await verify(resolve(values.verify));
    return;
  }
  if (!values.report) throw new InputError(`--report or --verify is required\n\n${usage}`);

  const root = resolve(values.root ?? resolve(dirname(fileURLToPath(import.meta.url)), '..'));
  const { file } = await createArchive({
    root,
    report: values.report,
    archiveDir: values['archive-dir'] ? resolve(values['archive-dir']) : undefined,
  });
  console.log(file);
}

async function verify(file: string): Promise<void> {
  const destination = await mkdtemp(join(tmpdir(), 'report-archive-verify-'));
  try {
    const manifest = await extractArchive(file, destination);
    const bytes = manifest.files.reduce((sum, record) => sum + record.size, 0);
    const git = manifest.git
      ? `${manifest.git.commit}${manifest.git.dirty ? ' (uncommitted changes)' : ''}` : 'unknown';
    console.log(`${file}: ${manifest.files.length} files (${bytes} bytes) match the manifest`);
    console.log(`report ${manifest.report}, version ${manifest.version}, written ${manifest.created}`);
    console.log(`input files: ${manifest.inputs.length}; backend: ${manifest.backend}; ` +
      `node ${manifest.node}; commit ${git}`);
  } finally {
    await rm(destination, { recursive: true, force: true });
  }
}

await runCommand(main);
