import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../analysis/core/errors.ts';
import {
  expandFiles, isJagged, listBranches, readChunks, readColumns, type Chunk, type Jagged,
} from '../../analysis/io/events.ts';

const DATA = fileURLToPath(new URL('../../content/demo/data/', import.meta.url));
const NANO = join(DATA, 'NanoAODv5_sample.root');
const HIGGS_CSV = join(DATA, 'higgs.csv');

async function allChunks(...args: Parameters<typeof readChunks>): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  for await (const chunk of readChunks(...args)) chunks.push(chunk);
  return chunks;
}

function eventValues(column: Jagged, event: number): number[] {
  return [...column.content.subarray(column.offsets[event], column.offsets[event + 1])];
}

test('NanoAOD event numbers and trigger count', async () => {
  const data = await readColumns({ files: [NANO] }, ['event', 'HLT_Mu3_PFJet40']);
  assert.equal(data.length, 1000);
  assert.deepEqual([...data.columns.event.subarray(0, 3)], [12423832, 12423821, 12423834]);
  assert.deepEqual([...data.columns.HLT_Mu3_PFJet40.subarray(0, 3)], [0, 1, 0]);
  assert.equal(data.columns.HLT_Mu3_PFJet40.reduce((a, b) => a + b, 0), 443);
  assert.deepEqual(data.files, [NANO]);
});

test('NanoAOD jagged branch values', async () => {
  const [chunk] = await allChunks({ files: [NANO] }, ['Electron_dxy']);
  const dxy = chunk.columns.Electron_dxy as Jagged;
  assert.ok(isJagged(dxy));
  assert.equal(dxy.offsets.length, 1001);
  assert.equal(eventValues(dxy, 0).length, 1);
  assert.ok(Math.abs(eventValues(dxy, 0)[0] - 0.0003705) < 1e-7);
  assert.ok(Math.abs(eventValues(dxy, 1)[0] - -0.00981903) < 1e-7);
  assert.deepEqual(eventValues(dxy, 2), []);
});

test('chunks cover the file in order', async () => {
  const whole = (await allChunks({ files: [NANO] }, ['Jet_pt']))[0];
  const chunks = await allChunks({ files: [NANO] }, ['nJet', 'Jet_pt'], { chunkSize: 300 });
  assert.deepEqual(chunks.map((c) => c.firstEntry), [0, 300, 600, 900]);
  assert.deepEqual(chunks.map((c) => c.length), [300, 300, 300, 100]);
  let jets = 0;
  for (const chunk of chunks) {
    const pt = chunk.columns.Jet_pt as Jagged;
    const nJet = chunk.columns.nJet as Float64Array;
    for (let i = 0; i < chunk.length; i++) assert.equal(pt.offsets[i + 1] - pt.offsets[i], nJet[i]);
    const wholePt = whole.columns.Jet_pt as Jagged;
    const start = wholePt.offsets[chunk.firstEntry];
    assert.deepEqual([...pt.content], [...wholePt.content.subarray(start, start + pt.content.length)]);
    jets += pt.content.length;
  }
  assert.equal(jets, 9020);
});

test('chain of files with progress', async () => {
  const progress: Array<[number, number]> = [];
  const chunks = await allChunks({ files: [NANO, NANO] }, ['event'],
    { chunkSize: 600, onProgress: (entries, total) => progress.push([entries, total]) });
  assert.deepEqual(chunks.map((c) => [c.firstEntry, c.length]), [[0, 600], [600, 400], [0, 600], [600, 400]]);
  assert.deepEqual(progress.map(([entries]) => entries), [600, 1000, 1600, 2000]);
  assert.deepEqual(progress.at(-1), [2000, 2000]);
  assert.equal(progress[0][1], 2000, 'a chain of equal files is estimated exactly');
});

test('missing branch names the closest', async () => {
  await assert.rejects(readColumns({ files: [NANO] }, ['event', 'Jet_ptt']), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /NanoAODv5_sample\.root/);
    assert.match(error.message, /tree "Events"/);
    assert.match(error.message, /"Jet_ptt"/);
    assert.match(error.message, /closest existing: Jet_pt\b/);
    return true;
  });
});

test('missing tree names the closest', async () => {
  await assert.rejects(readColumns({ files: [NANO], tree: 'Event' }, ['event']), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /NanoAODv5_sample\.root: tree "Event" not found/);
    assert.match(error.message, /closest existing: Events\b/);
    return true;
  });
});

test('readColumns rejects a jagged branch', async () => {
  await assert.rejects(readColumns({ files: [NANO] }, ['Jet_pt']), /branch "Jet_pt" is jagged/);
});

test('listBranches of ROOT and CSV files', async () => {
  const branches = await listBranches(NANO);
  assert.equal(branches.length, 1479);
  assert.ok(branches.includes('Jet_btagDeepFlavB'));
  const header = await listBranches(HIGGS_CSV);
  assert.equal(header[0], 'lepton_pT');
  assert.equal(header.at(-1), 'label');
  assert.equal(header.length, 29);
});

test('CSV columns and chunks', async () => {
  const data = await readColumns({ files: [HIGGS_CSV] }, ['label', 'lepton_pT']);
  assert.equal(data.length, 10984);
  assert.equal(data.columns.label.reduce((a, b) => a + b, 0), 5821);
  const chunks = await allChunks({ files: [HIGGS_CSV] }, ['label'], { chunkSize: 5000 });
  assert.deepEqual(chunks.map((c) => [c.firstEntry, c.length]), [[0, 5000], [5000, 5000], [10000, 984]]);
});

test('CSV errors name file, line and column', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'events-csv-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const bad = join(dir, 'bad.csv');
  await writeFile(bad, '# comment\nx,y,flag\n1,2.5,true\n3,abc,false\n');
  await assert.rejects(readColumns({ files: [bad] }, ['x', 'y']), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /bad\.csv:4: column "y" \(column 2\): invalid number "abc"/);
    return true;
  });
  const unselected = await readColumns({ files: [bad] }, ['x', 'flag']);
  assert.deepEqual([...unselected.columns.flag], [1, 0], 'only the columns read are parsed');
  await assert.rejects(readColumns({ files: [bad] }, ['z']), /no column "z" in the CSV header/);
  const short = join(dir, 'short.csv');
  await writeFile(short, 'x,y\n1,2\n3\n');
  await assert.rejects(readColumns({ files: [short] }, ['x']), /short\.csv:3: 1 fields, the header has 2/);
  const words = join(dir, 'words.csv');
  await writeFile(words, 'a,"b"\nnan,-inf\nTRUE,1e3\n');
  const parsed = await readColumns({ files: [words] }, ['a', 'b']);
  assert.ok(Number.isNaN(parsed.columns.a[0]));
  assert.equal(parsed.columns.a[1], 1);
  assert.deepEqual([...parsed.columns.b], [-Infinity, 1000]);
});

test('expandFiles sorts, dedupes and rejects', async () => {
  const files = await expandFiles([join(DATA, '*.root'), NANO]);
  assert.ok(files.includes(NANO));
  assert.deepEqual(files, [...new Set(files)].sort());
  await assert.rejects(expandFiles([join(DATA, 'nothing-*.root')]), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /no input file matches ".*nothing-\*\.root"/);
    return true;
  });
  await assert.rejects(expandFiles([join(DATA, 'missing.root')]), /missing\.root/);
});

test('unknown extension needs a format', async () => {
  await assert.rejects(readColumns({ files: ['/tmp/events.txt'] }, ['x']), /unknown event file format ".txt"/);
});

test('truncated and corrupt ROOT files fail naming the file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'events-root-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const bytes = await readFile(NANO);
  const truncated = join(dir, 'truncated.root');
  await writeFile(truncated, bytes.subarray(0, 1_500_000));
  await assert.rejects(readColumns({ files: [truncated] }, ['event']), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /truncated\.root: truncated, 1500000 bytes of the 3030882/);
    return true;
  });

  // Zeroing a stretch in the middle destroys baskets while the header and keys stay intact.
  const zeroed = join(dir, 'zeroed.root');
  const damaged = Buffer.from(bytes);
  damaged.fill(0, 1_000_000, 1_500_000);
  await writeFile(zeroed, damaged);
  const read: number[] = [];
  await assert.rejects((async () => {
    for await (const chunk of readChunks({ files: [NANO, zeroed] }, ['event', 'Jet_pt'])) read.push(chunk.length);
  })(), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /cannot read ROOT file .*zeroed\.root/);
    return true;
  });
  assert.deepEqual(read, [1000], 'the intact first file is read before the failure');

  const text = join(dir, 'text.root');
  await writeFile(text, 'not a ROOT file\n');
  await assert.rejects(readColumns({ files: [text] }, ['event']), /text\.root/);
});
