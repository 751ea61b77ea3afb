import { stat } from 'node:fs/promises';
import { openFile } from 'jsroot';
import { treeProcess, TSelector } from 'jsroot/tree';
import { InputError } from '../core/errors.ts';
import { closestNames } from './names.ts';
import { ColumnBuilder, JaggedBuilder } from './builders.ts';
import type { Chunk } from './events.ts';

/** An opened TTree: jsroot's tree object and what the reader needs to know about it. */
export interface RootTree {
  file: string;
  treeName: string;
  entries: number;
  /** Every branch name, sub-branches included, in the order of the tree. */
  branchNames: string[];
  /** jsroot's branch objects by name. */
  branches: Map<string, any>;
  tree: any;
}

/** Opens `file` and reads its tree; a missing file or tree or a corrupt file is an InputError. */
export async function openRootTree(file: string, treeName: string): Promise<RootTree> {
  try {
    await stat(file);
  } catch (error) {
    throw new InputError(`cannot read ROOT file ${file}: ${(error as NodeJS.ErrnoException).code}`);
  }

  let rootFile: any;
  try {
    rootFile = await openFile(file);
  } catch (error) {
    throw corrupt(file, error);
  }
  const keyNames: string[] = (rootFile.fKeys ?? []).map((key: any) => key.fName);
  if (!treeName.includes('/') && !keyNames.includes(treeName)) {
    throw new InputError(`${file}: tree "${treeName}" not found (${closestNames(treeName, keyNames)})`);
  }

  let tree: any;
  try {
    tree = await rootFile.readObject(treeName);
  } catch (error) {
    throw new InputError(`${file}: cannot read tree "${treeName}": ${(error as Error).message}`,
      { cause: error });
  }
  if (!tree || tree._typename !== 'TTree' && tree._typename !== 'TNtuple' && tree._typename !== 'TNtupleD') {
    throw new InputError(`${file}: "${treeName}" is a ${tree?._typename ?? 'unreadable object'}, not a TTree`);
  }

  const branches = new Map<string, any>();
  const visit = (list: any[]) => {
    for (const branch of list) {
      if (!branches.has(branch.fName)) branches.set(branch.fName, branch);
      visit(branch.fBranches?.arr ?? []);
    }
  };
  visit(tree.fBranches?.arr ?? []);
  return {
    file, treeName, entries: Number(tree.fEntries), branchNames: [...branches.keys()], branches, tree,
  };
}

function corrupt(file: string, error: unknown): InputError {
  const reason = error instanceof Error ? error.message : String(error);
  return new InputError(`cannot read ROOT file ${file} (truncated or corrupt?): ${reason}`,
    { cause: error });
}

/** Checks that every name is a branch of the tree, naming the closest ones otherwise. */
export function checkBranches(tree: RootTree, branches: string[]): void {
  const known = new Set(tree.branchNames);
  for (const branch of branches) {
    if (!known.has(branch)) {
      throw new InputError(`${tree.file}: tree "${tree.treeName}" has no branch "${branch}" `
        + `(${closestNames(branch, tree.branchNames)})`);
    }
  }
}

/**
 * Orders branches so that a counter branch (`nJet`) comes before the jagged branches that it
 * sizes (`Jet_pt[nJet]`): jsroot cannot read a counter it has already set up for a jagged one.
 */
function counterFirst(tree: RootTree, branches: string[]): string[] {
  const counters = new Set<string>();
  for (const name of branches) {
    const branch = tree.branches.get(name);
    const counter = branch?.fLeaves?.arr?.[0]?.fLeafCount?.fName;
    if (counter) counters.add(counter);
  }
  return [...branches.filter((b) => counters.has(b)), ...branches.filter((b) => !counters.has(b))];
}

/**
 * Reads entries [first, first + count) of the named branches. Scalars (numbers, booleans
 * as 0/1) become flat columns; arrays, whether sized by a counter or fixed, become jagged.
 */
export async function readRootRange(tree: RootTree, branches: string[], first: number,
  count: number): Promise<Chunk> {
  const ordered = counterFirst(tree, branches);
  const builders = new Map<string, ColumnBuilder | JaggedBuilder>();
  const selector = new TSelector();
  for (const name of ordered) selector.addBranch(name);

  let row = 0;
  let failure: Error | null = null;
  selector.Process = function process(this: { tgtobj: Record<string, unknown> }) {
    if (failure) return;
    for (const name of ordered) {
      const value = this.tgtobj[name];
      let builder = builders.get(name);
      if (!builder) {
        builder = isArrayLike(value) ? new JaggedBuilder(count) : new ColumnBuilder(count);
        builders.set(name, builder);
      }
      if (!builder.push(value)) {
        failure = new InputError(`${tree.file}: branch "${name}" of tree "${tree.treeName}" `
          + `holds ${describe(value)} at entry ${first + row}, not numbers`);
        selector.Abort();
        return;
      }
    }
    row += 1;
  };

  const finished = new Promise<boolean>((resolve) => {
    selector.Terminate = (ok: boolean) => resolve(ok);
  });
  try {
    await Promise.race([
      treeProcess(tree.tree, selector, { firstentry: first, numentries: count }),
      finished,
    ]);
    const ok = await finished;
    if (failure) throw failure;
    if (!ok || row !== count) {
      throw new Error(`read ${row} of the ${count} entries from ${first}`);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw corrupt(tree.file, error);
  }

  const columns: Chunk['columns'] = {};
  for (const name of branches) columns[name] = builders.get(name)!.finish();
  return { file: tree.file, firstEntry: first, length: count, columns };
}

function isArrayLike(value: unknown): boolean {
  return Array.isArray(value) || ArrayBuffer.isView(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'no value';
  if (typeof value === 'object') return `an object (${(value as any)._typename ?? value.constructor?.name})`;
  return `a ${typeof value}`;
}
