import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isJagged, listBranches, readChunks, readColumns, type Chunk } from '../../analysis/io/events.ts';
import { openRootTree } from '../../analysis/io/root.ts';

// The compressions found in the bundled files: zlib (NanoAODv5_sample.root, every basket),
// LZMA and uncompressed baskets (the DYJetsToLL skim: 1615 LZMA and 43 stored as they are).
// jsroot also reads ZSTD and LZ4, but no bundled file uses them, so they are not tested.
const DATA = fileURLToPath(new URL('../../content/demo/data/', import.meta.url));
const LZMA_FILE = join(DATA, 'DYJetsToLL--UL17_v6-v2_109_Skim.root');
const ZLIB_FILE = join(DATA, 'NanoAODv5_sample.root');

async function firstChunk(file: string, branches: string[]): Promise<Chunk> {
  for await (const chunk of readChunks({ files: [file] }, branches, { chunkSize: 100_000 })) return chunk;
  throw new Error(`no chunk from ${file}`);
}

/** Sorts branches by how their first basket is stored, from its key header and magic bytes. */
async function basketKinds(file: string): Promise<Map<string, string[]>> {
  const tree = await openRootTree(file, 'Events');
  const kinds = new Map<string, string[]>();
  try {
    for (const [name, branch] of tree.branches) {
      const seek = Number(branch.fBasketSeek[0]);
      const key = tree.readBytes(seek, 18);
      const [bytes, objectLength, keyLength] = [key.getInt32(0), key.getInt32(6), key.getInt16(14)];
      const magic = tree.readBytes(seek + keyLength, 2);
      const kind = bytes - keyLength === objectLength ? 'uncompressed'
        : String.fromCharCode(magic.getUint8(0), magic.getUint8(1));
      kinds.set(kind, [...(kinds.get(kind) ?? []), name]);
    }
  } finally {
    tree.close();
  }
  return kinds;
}

test('LZMA and uncompressed baskets', async () => {
  assert.equal((await listBranches(LZMA_FILE)).length, 1658);
  const kinds = await basketKinds(LZMA_FILE);
  assert.deepEqual([...kinds.keys()].sort(), ['XZ', 'uncompressed']);
  const uncompressed = kinds.get('uncompressed')!;
  const lzma = kinds.get('XZ')!.filter((name) => !name.startsWith('n')).slice(0, 30);
  assert.ok(uncompressed.length > 0);
  const branches = [...uncompressed, ...lzma, 'nJet', 'Jet_pt'];
  const chunk = await firstChunk(LZMA_FILE, [...new Set(branches)]);
  assert.equal(chunk.length, 100);
  for (const name of new Set(branches)) {
    const column = chunk.columns[name];
    const count = isJagged(column) ? column.offsets.length - 1 : column.length;
    assert.equal(count, 100, name);
  }
  const nJet = chunk.columns.nJet as Float64Array;
  const jetPt = chunk.columns.Jet_pt;
  assert.ok(isJagged(jetPt));
  for (let i = 0; i < 100; i++) assert.equal(jetPt.offsets[i + 1] - jetPt.offsets[i], nJet[i]);
  const run = (await readColumns({ files: [LZMA_FILE] }, ['run'])).columns.run;
  assert.ok(run.every((value) => value === 1), 'simulation has run number 1');
});

test('zlib baskets of the NanoAODv5 sample', async () => {
  assert.deepEqual([...(await basketKinds(ZLIB_FILE)).keys()], ['ZL']);
  const jetBranches = (await listBranches(ZLIB_FILE)).filter((name) => name.startsWith('Jet_'));
  const chunk = await firstChunk(ZLIB_FILE, jetBranches);
  assert.equal(chunk.length, 1000);
  for (const name of jetBranches) {
    const column = chunk.columns[name];
    assert.ok(isJagged(column), name);
    assert.equal(column.content.length, 9020, name);
  }
});
