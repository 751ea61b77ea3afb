import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runReport, temporaryRoot, textReport } from './helpers.ts';

const validReport = textReport('Test report');

/** Creates a build root with report `x` from the given report.yaml, and a previous build to protect. */
async function rootWith(reportYaml: string, files: Record<string, string> = {}): Promise<string> {
  const root = await temporaryRoot();
  await mkdir(join(root, 'content', 'x'), { recursive: true });
  await writeFile(join(root, 'content', 'x', 'report.yaml'), reportYaml);
  for (const [name, content] of Object.entries(files)) await writeFile(join(root, 'content', 'x', name), content);
  await mkdir(join(root, '_site'), { recursive: true });
  await writeFile(join(root, '_site', 'previous.html'), 'previous build');
  await mkdir(join(root, 'results', 'x'), { recursive: true });
  await writeFile(join(root, 'results', 'x', 'previous.json'), '{}');
  return root;
}

async function assertUntouched(root: string): Promise<void> {
  assert.equal(await readFile(join(root, '_site', 'previous.html'), 'utf8'), 'previous build');
  assert.deepEqual(await readdir(join(root, '_site')), ['previous.html']);
  assert.deepEqual(await readdir(join(root, 'results', 'x')), ['previous.json']);
  assert.deepEqual((await readdir(root)).filter((name) => name.startsWith('.build-')), []);
}

test('yaml syntax error names file, line and column', async () => {
  const root = await rootWith(validReport.replace('sections:', 'sections: [\n  oops'));
  const { code, stderr } = await runReport(['--root', root]);
  assert.equal(code, 1);
  assert.match(stderr, /content\/x\/report\.yaml:\d+:\d+: YAML syntax error/);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace for an input error');
  await assertUntouched(root);
});

test('schema error lists every bad key path', async () => {
  const bad = validReport
    .replace('a.physicist@example.org', 'not-an-email')
    .replace('motivation: [A bullet]', 'motivation: A bullet\n    colour: red');
  const root = await rootWith(bad);
  const { code, stderr } = await runReport(['--root', root]);
  assert.equal(code, 1);
  assert.match(stderr, /report\.yaml: invalid configuration/);
  assert.match(stderr, /author\.email: must match format "email"/);
  assert.match(stderr, /sections\[0\]\.motivation: expected array/);
  assert.match(stderr, /sections\[0\]\.colour: unknown key/);
  await assertUntouched(root);
});

test('unknown study kind names the config', async () => {
  const root = await rootWith(validReport.replace('    motivation: [A bullet]', '    study: study.yaml'),
    { 'study.yaml': 'kind: no-such-study\nname: s\n' });
  const { code, stderr } = await runReport(['--root', root]);
  assert.equal(code, 1);
  assert.match(stderr, /study\.yaml: unknown study kind "no-such-study"; known kinds: cut-importance/);
  await assertUntouched(root);
});

test('study config with bad name names key', async () => {
  const root = await rootWith(validReport.replace('    motivation: [A bullet]', '    study: study.yaml'),
    { 'study.yaml': 'kind: hlt-rates\nname: "two words"\n' });
  const { code, stderr } = await runReport(['--root', root]);
  assert.equal(code, 1);
  assert.match(stderr, /study\.yaml: invalid configuration/);
  assert.match(stderr, /  - name: must match pattern/);
  await assertUntouched(root);
});

test('unknown report name lists reports', async () => {
  const root = await rootWith(validReport);
  const { code, stderr } = await runReport(['--root', root, '--report', 'y']);
  assert.equal(code, 1);
  assert.match(stderr, /report y not found: no .*content\/y\/report\.yaml \(reports: x\)/);
  await assertUntouched(root);
});

test('bad option prints usage', async () => {
  const { code, stderr } = await runReport(['--colour']);
  assert.equal(code, 2);
  assert.match(stderr, /Unknown option '--colour'/);
  assert.match(stderr, /usage: npm run report/);
});

test('missing input file names config', async () => {
  const root = await rootWith(validReport.replace('    motivation: [A bullet]', '    study: rates.yaml'),
    { 'rates.yaml': 'kind: hlt-rates\nname: rates\nrates: no_such_rates.yaml\n' });
  const { code, stderr } = await runReport(['--root', root]);
  assert.equal(code, 1);
  assert.match(stderr, /input file not found: .*content\/x\/no_such_rates\.yaml/);
  assert.match(stderr, /named by .*content\/x\/rates\.yaml, study rates/);
  await assertUntouched(root);
});

test('reserved study name is rejected', async () => {
  const root = await rootWith(validReport.replace('    motivation: [A bullet]', '    study: rates.yaml'),
    { 'rates.yaml': 'kind: hlt-rates\nname: inputs\nrates: rates_hz.yaml\n', 'rates_hz.yaml': 'paths: []\n' });
  const { code, stderr } = await runReport(['--root', root]);
  assert.equal(code, 1);
  assert.match(stderr, /rates\.yaml: the study name inputs is reserved/);
  await assertUntouched(root);
});

test('input that is a folder is named', async () => {
  const root = await rootWith(validReport.replace('    motivation: [A bullet]', '    study: rates.yaml'),
    { 'rates.yaml': 'kind: hlt-rates\nname: rates\nrates: .\n' });
  const { code, stderr } = await runReport(['--root', root]);
  assert.equal(code, 1);
  assert.match(stderr, /input .*content\/x is a folder, not a file/);
  assert.match(stderr, /named by .*rates\.yaml, study rates/);
  await assertUntouched(root);
});

test('archived JSON syntax error names file', async () => {
  const section = '    archived: auc.json\n    kind: cut-importance';
  const root = await rootWith(validReport.replace('    motivation: [A bullet]', section),
    { 'auc.json': '{"steps": [1, }' });
  const { code, stderr } = await runReport(['--root', root]);
  assert.equal(code, 1);
  assert.match(stderr, /content\/x\/auc\.json: invalid JSON/);
  assert.doesNotMatch(stderr, /\n\s+at /);
  await assertUntouched(root);
});

test('live section with kind is rejected', async () => {
  const section = '    study: rates.yaml\n    kind: cut-importance';
  const root = await rootWith(validReport.replace('    motivation: [A bullet]', section),
    { 'rates.yaml': 'kind: hlt-rates\nname: rates\n' });
  const { code, stderr } = await runReport(['--root', root]);
  assert.equal(code, 1);
  assert.match(stderr, /`kind` and `name` belong to archived sections/);
  await assertUntouched(root);
});

test('study config without kind says so', async () => {
  const root = await rootWith(validReport.replace('    motivation: [A bullet]', '    study: study.yaml'),
    { 'study.yaml': 'name: s\n' });
  const { code, stderr } = await runReport(['--root', root]);
  assert.equal(code, 1);
  assert.match(stderr, /study\.yaml: invalid configuration\n  - kind: missing \(required\)/);
  await assertUntouched(root);
});

test('empty report file and blank title', async () => {
  const empty = await rootWith('');
  const first = await runReport(['--root', empty]);
  assert.equal(first.code, 1);
  assert.match(first.stderr, /report\.yaml: the file is empty/);

  const blank = await rootWith(validReport.replace('title: Text only', 'title: "   "'));
  const second = await runReport(['--root', blank]);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /sections\[0\]\.title: must not be blank/);
});

test('section without content is rejected', async () => {
  const root = await rootWith(validReport.replace('    motivation: [A bullet]\n', ''));
  const { code, stderr } = await runReport(['--root', root]);
  assert.equal(code, 1);
  assert.match(stderr, /sections\[0\] \(Text only\): has no study, archived results, motivation/);
});

test('invalid backend is rejected at start', async () => {
  const root = await rootWith(validReport);
  const { code, stderr } = await runReport(['--root', root, '--backend', 'cuda']);
  assert.equal(code, 2);
  assert.match(stderr, /invalid --backend cuda: expected auto, tensorflow, wasm/);
  await assertUntouched(root);
});
