import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDirect } from '../../analysis/io/baskets.ts';
import { isJagged, type Chunk } from '../../analysis/io/events.ts';
import { openRootTree, readWithSelector, type RootTree } from '../../analysis/io/root.ts';

const DATA = fileURLToPath(new URL('../../content/demo/data/', import.meta.url));
const NANO = join(DATA, 'NanoAODv5_sample.root');
const LZMA_FILE = join(DATA, 'DYJetsToLL--UL17_v6-v2_109_Skim.root');

function assertSameChunk(direct: Chunk, reference: Chunk, names: string[]): void {
  assert.equal(direct.length, reference.length);
  assert.equal(direct.firstEntry, reference.firstEntry);
  for (const name of names) {
    const a = direct.columns[name];
    const b = reference.columns[name];
    assert.equal(isJagged(a), isJagged(b), name);
    if (isJagged(a) && isJagged(b)) {
      assert.deepEqual(a.offsets, b.offsets, name);
      assert.deepEqual(a.content, b.content, name);
    } else {
      assert.deepEqual(a, b, name);
    }
  }
}

/** Picks one branch of each leaf type in the file, jagged and flat. */
function branchesOfEachType(tree: RootTree): string[] {
  const picked = new Map<string, string>();
  for (const [name, branch] of tree.branches) {
    const leaf = branch.fLeaves?.arr?.[0];
    if (!leaf) continue;
    const kind = `${leaf._typename}${leaf.fIsUnsigned ? ' unsigned' : ''}${leaf.fLeafCount ? ' jagged' : ''}`;
    if (!picked.has(kind)) picked.set(kind, name);
  }
  return [...picked.values()];
}

test('direct baskets match jsroot', async (t) => {
  const tree = await openRootTree(NANO, 'Events');
  t.after(() => tree.close());
  const names = [...new Set([...branchesOfEachType(tree), 'nJet', 'Jet_pt', 'Jet_jetId', 'event'])];
  assert.ok(names.length >= 8, names.join(' '));
  for (const [first, count] of [[0, 1000], [0, 1], [333, 334], [999, 1]]) {
    const direct = readDirect(tree, names, first, count);
    assert.ok(direct, 'NanoAOD branches are read directly');
    assertSameChunk(direct, await readWithSelector(tree, names, first, count), names);
  }
});

test('LZMA baskets fall back to jsroot', async (t) => {
  const tree = await openRootTree(LZMA_FILE, 'Events');
  t.after(() => tree.close());
  assert.equal(readDirect(tree, ['Jet_pt'], 0, 100), null);
});
