import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, readdir, stat, symlink, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { publishReport } from '../../analysis/archive/publish.ts';
import { InputError } from '../../analysis/core/errors.ts';
import { createLogger } from '../../analysis/core/log.ts';
import { listFiles } from '../../analysis/archive/tree.ts';
import { makeRoot, writeReportTree } from './fixture.ts';

process.env.REPORT_QUIET = '1';
const log = createLogger('publish-test');
const publishScript = fileURLToPath(new URL('../../scripts/publish.ts', import.meta.url));

/** Reads every file of a folder into a map from relative path to content. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const path of await listFiles(dir)) files.set(path, await readFile(join(dir, path), 'utf8'));
  return files;
}

test('publish twice keeps first report', async () => {
  const root = await makeRoot('publish');
  const www = await makeRoot('publish-www');
  await mkdir(join(www, 'notes'));
  await writeFile(join(www, 'notes', 'index.html'), '<p>not a report</p>');
  await writeReportTree(root, '2022-08');
  await writeReportTree(root, '2022-09');

  const first = await publishReport({ root, report: '2022-08', to: www, log });
  assert.equal(first.target, join(www, '2022-08'));
  assert.equal(first.changes.added.length, 4);
  await publishReport({ root, report: '2022-09', to: www, log });

  assert.deepEqual((await readdir(www)).sort(), ['2022-08', '2022-09', 'notes']);
  assert.deepEqual(await snapshot(join(www, '2022-08')), await snapshot(join(root, '_site', '2022-08')));
  assert.deepEqual(await snapshot(join(www, '2022-09')), await snapshot(join(root, '_site', '2022-09')));
  assert.equal(await readFile(join(www, 'notes', 'index.html'), 'utf8'), '<p>not a report</p>');
});

test('dry run lists changes, writes nothing', async () => {
  const root = await makeRoot('publish-dry');
  const www = await makeRoot('publish-dry-www');
  await writeReportTree(root, 'demo', { pages: 2 });
  await publishReport({ root, report: 'demo', to: www, log });
  const published = await snapshot(join(www, 'demo'));

  await rm(join(root, '_site', 'demo', 'pages'), { recursive: true });
  await writeReportTree(root, 'demo', { edition: 'second' });
  await writeFile(join(root, '_site', 'demo', 'data', 'extra.json'), '{}');
  const dry = await publishReport({ root, report: 'demo', to: www, dryRun: true, log });

  assert.equal(dry.dryRun, true);
  assert.deepEqual(dry.changes.added, ['data/extra.json']);
  assert.deepEqual(dry.changes.changed,
    ['charts/auc.svg', 'data/cuts.json', 'index.html', 'slides.pdf']);
  assert.deepEqual(dry.changes.removed, ['pages/0000.html', 'pages/0001.html']);
  assert.deepEqual(await snapshot(join(www, 'demo')), published);
  assert.deepEqual(await readdir(www), ['demo']);

  const real = await publishReport({ root, report: 'demo', to: www, log });
  assert.deepEqual(real.changes, dry.changes);
  assert.deepEqual(await snapshot(join(www, 'demo')), await snapshot(join(root, '_site', 'demo')));
  assert.deepEqual(await readdir(www), ['demo'], 'a temporary folder was left behind');
});

test('interrupted publish leaves old copy', async () => {
  const root = await makeRoot('publish-kill');
  const www = await makeRoot('publish-kill-www');
  await writeReportTree(root, 'demo', { pages: 200 });
  await publishReport({ root, report: 'demo', to: www, log });
  const published = await snapshot(join(www, 'demo'));
  await writeReportTree(root, 'demo', { pages: 200, edition: 'second' });

  const child = spawn(process.execPath,
    ['--import', 'tsx', publishScript, '--root', root, '--report', 'demo', '--to', www],
    { env: { ...process.env, REPORT_PUBLISH_FILE_DELAY_MS: '20' }, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));

  // Kill the copy once some, but not all, of the 204 files are in the temporary folder.
  let copied = 0;
  for (let tries = 0; tries < 600 && copied < 30; tries++) {
    await sleep(50);
    const staging = (await readdir(www)).find((name) => name.startsWith('.demo.publishing-'));
    copied = staging ? (await listFiles(join(www, staging))).length : 0;
  }
  child.kill('SIGKILL');
  await exited;

  assert.ok(copied >= 30, `copy killed after only ${copied} files`);
  assert.ok(copied < 204, 'copy finished before it was killed');
  assert.deepEqual(await snapshot(join(www, 'demo')), published);
  const second = await publishReport({ root, report: 'demo', to: www, log });
  assert.equal(second.changes.changed.length, 204);
  assert.match(await readFile(join(www, 'demo', 'index.html'), 'utf8'), /second edition/);
});

test('missing target rejected before copying', async () => {
  const root = await makeRoot('publish-missing');
  await writeReportTree(root, 'demo');
  const missing = join(root, 'no-such-www');
  await assert.rejects(publishReport({ root, report: 'demo', to: missing, log }), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /publish target .*no-such-www does not exist/);
    return true;
  });
  await assert.rejects(readdir(missing), { code: 'ENOENT' });

  const file = join(root, 'www-file');
  await writeFile(file, '');
  await assert.rejects(publishReport({ root, report: 'demo', to: file, log }),
    /publish target .*www-file is not a folder/);
});

test('unwritable target rejected', { skip: process.getuid?.() === 0 && 'root can write anywhere' },
  async () => {
    const root = await makeRoot('publish-readonly');
    const www = await makeRoot('publish-readonly-www');
    await writeReportTree(root, 'demo');
    await chmod(www, 0o555);
    try {
      await assert.rejects(publishReport({ root, report: 'demo', to: www, log }),
        /publish target .* is not writable/);
      assert.deepEqual(await readdir(www), []);
    } finally {
      await chmod(www, 0o755);
    }
  });

test('unbuilt report rejected', async () => {
  const root = await makeRoot('publish-unbuilt');
  const www = await makeRoot('publish-unbuilt-www');
  await assert.rejects(publishReport({ root, report: 'demo', to: www, log }),
    /no built site for report 'demo': .*_site\/demo\/index\.html not found/);
  await assert.rejects(publishReport({ root, report: '../demo', to: www, log }),
    /invalid report name "\.\.\/demo"/);
});

test('report.yaml sets page address and access', async () => {
  const root = await makeRoot('publish-config');
  const www = await makeRoot('publish-config-www');
  await writeReportTree(root, 'demo');
  await writeFile(join(root, 'content', 'demo', 'report.yaml'), [
    'title: Demo',
    'publish:',
    '  base_url: https://jdoe.web.cern.ch/reports',
    '  access_groups: [cms-members, cms-b2g-conveners]',
    '',
  ].join('\n'));

  const result = await publishReport({ root, report: 'demo', to: www, log });
  assert.equal(result.url, 'https://jdoe.web.cern.ch/reports/demo/');
  assert.equal(result.accessFile, join(www, 'demo', '.htaccess'));
  const access = await readFile(join(www, 'demo', '.htaccess'), 'utf8');
  assert.match(access, /^AuthType shibboleth$/m);
  assert.match(access, /^ShibRequireSession On$/m);
  assert.match(access, /^Require ADFS_GROUP "cms-members" "cms-b2g-conveners"$/m);

  const open = await publishReport({ root, report: 'demo', to: www, access: { groups: [] }, log });
  assert.equal(open.accessFile, null);
  assert.deepEqual(open.changes.removed, ['.htaccess']);
  assert.deepEqual(await readdir(join(www, 'demo')).then((names) => names.includes('.htaccess')), false);
});

test('CLI prints page address', async () => {
  const root = await makeRoot('publish-cli');
  const www = await makeRoot('publish-cli-www');
  await writeReportTree(root, 'demo');
  const child = spawn(process.execPath, ['--import', 'tsx', publishScript, '--root', root,
    '--report', 'demo', '--to', www, '--base-url', 'https://jdoe.web.cern.ch/', '--dry-run'],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  const code = await new Promise((resolve) => child.on('exit', resolve));

  assert.equal(code, 0);
  assert.match(stdout, /^added {4}index\.html$/m);
  assert.match(stdout, /^https:\/\/jdoe\.web\.cern\.ch\/demo\/$/m);
  assert.deepEqual(await readdir(www), []);
});

test('invalid publish settings rejected', async () => {
  const root = await makeRoot('publish-invalid');
  const www = await makeRoot('publish-invalid-www');
  await writeReportTree(root, 'demo');
  const config = join(root, 'content', 'demo', 'report.yaml');

  await writeFile(config, 'publish:\n  base_url: https://jdoe.web.cern.ch/\n  acess_groups: [cms]\n');
  await assert.rejects(publishReport({ root, report: 'demo', to: www, log }),
    /report\.yaml: publish: invalid configuration\n {2}- acess_groups: unknown key/);

  await writeFile(config, 'publish:\n  access_groups: ["cms\\nRequire all granted"]\n');
  await assert.rejects(publishReport({ root, report: 'demo', to: www, log }),
    /publish\.access_groups: invalid e-group name "cms\\nRequire all granted"/);
  assert.deepEqual(await readdir(www), []);
});

/** Lists the permission bits of every folder and file under `dir`, as octal strings. */
async function modes(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const visit = async (path: string, name: string): Promise<void> => {
    const info = await stat(path);
    found.set(name, (info.mode & 0o777).toString(8));
    if (!info.isDirectory()) return;
    for (const entry of (await readdir(path)).sort()) {
      await visit(join(path, entry), name === '.' ? entry : `${name}/${entry}`);
    }
  };
  await visit(dir, '.');
  return found;
}

async function publishUnderUmask(umask: number, prefix: string,
  publishLog = log): Promise<Map<string, string>> {
  const root = await makeRoot(prefix);
  const www = await makeRoot(`${prefix}-www`);
  await writeReportTree(root, 'demo');
  // Modes in _site/ must not carry over: the build may leave private files and folders.
  await chmod(join(root, '_site', 'demo', 'index.html'), 0o600);
  await chmod(join(root, '_site', 'demo', 'charts'), 0o700);
  const previous = process.umask(umask);
  try {
    await publishReport({ root, report: 'demo', to: www, access: { groups: ['cms-members'] },
      log: publishLog });
  } finally {
    process.umask(previous);
  }
  return modes(join(www, 'demo'));
}

test('published tree readable by others', async () => {
  const published = await publishUnderUmask(0o022, 'publish-modes');
  const folders = ['.', 'charts', 'data'];
  for (const [path, mode] of published) {
    assert.equal(mode, folders.includes(path) ? '755' : '644', `mode of ${path}`);
  }
  assert.equal(published.get('.htaccess'), '644');
  assert.equal(published.size, 8);
});

test('published modes follow the umask', async () => {
  const published = await publishUnderUmask(0o027, 'publish-umask');
  assert.equal(published.get('.'), '750');
  assert.equal(published.get('charts'), '750');
  assert.equal(published.get('index.html'), '640');
  assert.equal(published.get('charts/auc.svg'), '640');
});

test('target inside the report tree rejected', async () => {
  const root = await makeRoot('publish-inside');
  await writeReportTree(root, '2022-08');
  await mkdir(join(root, 'results', 'web'));
  const before = await snapshot(root);
  const inside = [
    { to: join(root, '_site'), pattern: /publish target .*\/_site is .*\/_site\/, which/ },
    { to: join(root, '_site', '2022-08'), pattern: /\/_site\/2022-08 is inside .*\/_site\// },
    { to: join(root, 'results', 'web'), pattern: /is inside .*\/results\/, which the report/ },
    { to: join(root, 'content'), pattern: /content is .*\/content\/, which the report build reads/ },
  ];
  for (const { to, pattern } of inside) {
    await assert.rejects(publishReport({ root, report: '2022-08', to, log }), (error: Error) => {
      assert.ok(error instanceof InputError, `${to}: ${error}`);
      assert.match(error.message, pattern);
      assert.match(error.message, /publish into a folder outside _site\/, results\/ and content\//);
      return true;
    });
  }

  const link = join(await makeRoot('publish-link'), 'www');
  await symlink(join(root, '_site'), link);
  await assert.rejects(publishReport({ root, report: '2022-08', to: link, log }),
    /publish target .*\/www is .*\/_site\//);
  assert.deepEqual(await snapshot(root), before);
  assert.deepEqual(await readdir(join(root, '_site')), ['2022-08']);
});

test('target beside the report tree accepted', async () => {
  const root = await makeRoot('publish-beside');
  await writeReportTree(root, 'demo');
  await mkdir(join(root, '_site-www'));
  const result = await publishReport({ root, report: 'demo', to: join(root, '_site-www'), log });
  assert.equal(result.changes.added.length, 4);
});

test('private umask warned about', async () => {
  let written = '';
  const stream = { write: (text: string) => { written += text; return true; }, isTTY: false };
  const warnLog = createLogger('publish-test', stream as unknown as NodeJS.WriteStream);
  const published = await publishUnderUmask(0o077, 'publish-private', warnLog);
  assert.equal(published.get('index.html'), '600');
  assert.match(written, /warning: the umask \(077\) leaves the published files unreadable by other users/);
});
