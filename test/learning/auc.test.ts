import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { InputError } from '../../analysis/core/errors.ts';
import { rocAuc, rocCurve, thinRoc } from '../../analysis/learning/auc.ts';

interface Case { name: string; labels: number[]; scores: number[]; weights?: number[]; auc: number }

const fixture = JSON.parse(await readFile(new URL('../fixtures/auc/roc_auc_cases.json', import.meta.url),
  'utf8')) as { cases: Case[] };

test('fixture has the scikit-learn cases', () => {
  assert.equal(fixture.cases.length, 10);
});

for (const entry of fixture.cases) {
  test(`rocAuc matches scikit-learn: ${entry.name}`, () => {
    const value = rocAuc({ scores: entry.scores, labels: entry.labels, weights: entry.weights });
    assert.ok(Math.abs(value - entry.auc) < 1e-9, `AUC ${value}, scikit-learn ${entry.auc}`);
  });
}

test('rocAuc credits ties with one half', () => {
  assert.equal(rocAuc({ scores: [0.5, 0.5], labels: [1, 0] }), 0.5);
  assert.equal(rocAuc({ scores: [0.9, 0.5, 0.5], labels: [1, 1, 0] }), 0.75);
});

test('rocAuc of a single-class sample is an error', () => {
  assert.throws(() => rocAuc({ scores: [0.1, 0.2], labels: [1, 1] }, 'test events'),
    (error: Error) => error instanceof InputError && /test events: no background/.test(error.message));
  assert.throws(() => rocAuc({ scores: [0.1, 0.2], labels: [0, 0] }), /no signal/);
});

test('rocAuc with zero signal weight is an error', () => {
  assert.throws(() => rocAuc({ scores: [0.1, 0.2, 0.3], labels: [1, 0, 0], weights: [0, 1, 1] }),
    /no signal/);
});

test('rocAuc rejects NaN scores', () => {
  assert.throws(() => rocAuc({ scores: [0.1, NaN], labels: [1, 0] }), /score of event 1 is NaN/);
});

test('rocCurve runs from (0, 0) to (1, 1)', () => {
  const curve = rocCurve({ scores: [0.9, 0.8, 0.3, 0.1], labels: [1, 0, 1, 0] });
  assert.deepEqual([...curve.fpr], [0, 0, 0.5, 0.5, 1]);
  assert.deepEqual([...curve.tpr], [0, 0.5, 0.5, 1, 1]);
  assert.equal(curve.thresholds[0], Infinity);
});

test('thinRoc keeps both ends and bounds the points', () => {
  const scores = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
  const labels = scores.map((_, i) => i % 2);
  const points = thinRoc(rocCurve({ scores, labels }), 51);
  assert.ok(points.signalEfficiency.length <= 52, `${points.signalEfficiency.length} points`);
  assert.equal(points.signalEfficiency[0], 0);
  assert.equal(points.backgroundRejection[0], 1);
  assert.equal(points.signalEfficiency.at(-1), 1);
  assert.equal(points.backgroundRejection.at(-1), 0);
});
