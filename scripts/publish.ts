// Publishes a built report into a web folder (a mounted EOS www folder or any folder):
//   npm run publish -- --report NAME --to DIR [--dry-run] [--base-url URL] [--access-group G]...
import { parseArgs } from 'node:util';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../analysis/core/errors.ts';
import { publishReport } from '../analysis/archive/publish.ts';
import { runCommand } from './command.ts';

const usage = `usage: npm run publish -- --report NAME --to DIR [options]

Copies _site/NAME/ into DIR/NAME/ through a temporary folder and a rename, leaving the
other entries of DIR as they are. Published folders get mode 0755 and files 0644 (0777
and 0666 less the umask), so that a web server running as another user can read them.

options:
  --report NAME         report to publish (a folder under content/ and _site/)
  --to DIR              existing folder to publish into, e.g. /eos/user/j/jdoe/www/reports;
                        it must lie outside the root's content/, results/ and _site/
  --dry-run             list the files that would be added, changed or removed; write nothing
  --base-url URL        address DIR is served at; the report's page address is printed
                        (default: publish.base_url in content/NAME/report.yaml)
  --access-group GROUP  restrict the report to members of this CERN e-group, by a .htaccess
                        file; repeat for several groups (default: publish.access_groups)
  --public              publish without an access file, whatever report.yaml says
  --root DIR            folder holding content/, results/ and _site/ (default: the repository)
  --help                show this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      report: { type: 'string' },
      to: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'base-url': { type: 'string' },
      'access-group': { type: 'string', multiple: true },
      public: { type: 'boolean', default: false },
      root: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  if (!values.report || !values.to) throw new InputError(`--report and --to are required\n\n${usage}`);
  if (values.public && values['access-group']) {
    throw new InputError('--public and --access-group exclude each other');
  }

  const groups = values.public ? [] : values['access-group'];
  const result = await publishReport({
    root: resolve(values.root ?? resolve(dirname(fileURLToPath(import.meta.url)), '..')),
    report: values.report,
    to: resolve(values.to),
    dryRun: values['dry-run'],
    baseUrl: values['base-url'],
    access: groups ? { groups } : undefined,
  });

  if (result.dryRun) {
    for (const path of result.changes.added) console.log(`added    ${path}`);
    for (const path of result.changes.changed) console.log(`changed  ${path}`);
    for (const path of result.changes.removed) console.log(`removed  ${path}`);
  }
  if (result.url) console.log(result.url);
}

await runCommand(main);
