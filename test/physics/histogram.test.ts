import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Histogram } from '../../analysis/physics/histogram.ts';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);

test('regular edges', () => {
  const h = Histogram.regular(4, 0, 2);
  assert.deepEqual(Array.from(h.edges), [0, 0.5, 1, 1.5, 2]);
  assert.equal(h.bins, 4);
  assert.equal(h.sumw.length, 6);
  assert.deepEqual(h.centers(), [0.25, 0.75, 1.25, 1.75]);
  assert.deepEqual(h.widths(), [0.5, 0.5, 0.5, 0.5]);
});

test('bad edges rejected', () => {
  assert.throws(() => Histogram.variable([0]), /at least 2 edges/);
  assert.throws(() => Histogram.variable([0, 1, 1]), /increase strictly/);
  assert.throws(() => Histogram.variable([0, Number.NaN]), /finite/);
  assert.throws(() => Histogram.regular(0, 0, 1), /positive integer/);
  assert.throws(() => Histogram.regular(3, 1, 1), /low < high/);
});

test('fill bins, flows and edges', () => {
  const h = Histogram.variable([0, 1, 3, 6]);
  h.fill([-0.5, 0, 0.99, 1, 2.5, 3, 6, 7, Number.NaN, Infinity, -Infinity]);
  // Half-open bins: 0 and 0.99 in bin 0, 1 and 2.5 in bin 1, 3 in bin 2, the last edge
  // (6) and beyond in the overflow, NaN in the overflow.
  assert.deepEqual(Array.from(h.sumw), [2, 2, 2, 1, 4]);
  assert.equal(h.underflow, 2);
  assert.equal(h.overflow, 4);
  assert.equal(h.entries, 11);
  assert.equal(h.integral(), 5);
  assert.equal(h.integral({ flow: true }), 11);
});

test('fill weights vectorised', () => {
  const h = Histogram.regular(2, 0, 2);
  h.fill(Float64Array.from([0.5, 0.5, 1.5]), Float64Array.from([2, 3, -1]));
  assert.deepEqual(h.values(), [5, -1]);
  assert.deepEqual(Array.from(h.sumw2), [0, 13, 1, 0]);
  assert.deepEqual(h.errors(), [Math.sqrt(13), 1]);
  h.fill([0.2, 1.2], 0.5);
  assert.deepEqual(h.values(), [5.5, -0.5]);
  h.fill(1.7);
  assert.equal(h.values()[1], 0.5);
  assert.equal(h.entries, 6);
});

test('fill length mismatch and bad weight', () => {
  const h = Histogram.regular(2, 0, 2);
  assert.throws(() => h.fill([1, 2], [1]), /2 values but 1 weights/);
  assert.throws(() => h.fill([1, 2], [1, Number.NaN]), /weight 1 is NaN/);
});

test('add sums bins and entries', () => {
  const a = Histogram.regular(2, 0, 2).fill([0.5, 5], [1, 2]);
  const b = Histogram.regular(2, 0, 2).fill([0.5, 1.5, -1], [3, 4, 5]);
  const sum = a.add(b);
  assert.deepEqual(Array.from(sum.sumw), [5, 4, 4, 2]);
  assert.deepEqual(Array.from(sum.sumw2), [25, 10, 16, 4]);
  assert.equal(sum.entries, 5);
  assert.deepEqual(Array.from(a.sumw), [0, 1, 0, 2], 'add leaves its operands unchanged');
});

test('add rejects other edges', () => {
  const a = Histogram.regular(2, 0, 2);
  assert.throws(() => a.add(Histogram.regular(2, 0, 3)), /different edges/);
  assert.throws(() => a.add(Histogram.regular(3, 0, 2)), /different edges/);
});

test('scale multiplies sumw and sumw2', () => {
  const h = Histogram.regular(2, 0, 2).fill([0.5, 1.5, 1.5], [1, 2, 3]);
  const scaled = h.scale(0.5);
  assert.deepEqual(scaled.values(), [0.5, 2.5]);
  assert.deepEqual(Array.from(scaled.sumw2), [0, 0.25, 13 * 0.25, 0]);
  assert.equal(scaled.entries, 3);
  assert.deepEqual(h.values(), [1, 5], 'scale leaves the original unchanged');
  assert.throws(() => h.scale(Infinity), /factor is Infinity/);
});

test('normalized to unit area', () => {
  const h = Histogram.variable([0, 1, 3]).fill([0.5, 0.5, 0.5, 2], [1, 1, 1, 1]);
  h.fill(10);
  const density = h.normalized();
  const areas = density.values().map((v, i) => v * density.widths()[i]);
  close(areas[0] + areas[1], 1, 'area');
  close(density.values()[0], 0.75, 'density of bin 0');
  close(density.values()[1], 0.125, 'density of bin 1');
  close(density.overflow, 0.25, 'overflow divided by the in-range total');

  const fractions = h.normalized({ density: false });
  assert.deepEqual(fractions.values(), [0.75, 0.25]);
  // Unit weights: var(f) = f (1 - f) / N, the binomial variance.
  close(fractions.sumw2[1], (0.75 * 0.25) / 4, 'variance of bin 0');
  close(fractions.sumw2[2], (0.25 * 0.75) / 4, 'variance of bin 1');
  close(density.sumw2[2], (0.25 * 0.75) / 4 / 4, 'density variance divided by width^2');

  const withFlow = h.normalized({ density: false, flow: true });
  close(withFlow.integral({ flow: true }), 1, 'flow-inclusive total');
});

test('normalized empty raises', () => {
  assert.throws(() => Histogram.regular(2, 0, 1).normalized(), /empty/);
  const onlyOverflow = Histogram.regular(2, 0, 1).fill(5);
  assert.throws(() => onlyOverflow.normalized(), /empty/);
});

test('ratio with uncertainty', () => {
  const a = Histogram.regular(3, 0, 3).fill([0.5, 0.5, 1.5], [2, 2, 1]);
  const b = Histogram.regular(3, 0, 3).fill([0.5, 1.5, 1.5], [2, 1, 1]);
  const ratio = a.ratio(b);
  assert.deepEqual(ratio.values, [2, 0.5, null]);
  // Bin 0: a = 4 (sumw2 8), b = 2 (sumw2 4): sqrt(8 + 4 * 4) / 2.
  close(ratio.errors[0] as number, Math.sqrt(24) / 2, 'error of bin 0');
  // Bin 1: a = 1 (1), b = 2 (2): sqrt(1 + 0.25 * 2) / 2.
  close(ratio.errors[1] as number, Math.sqrt(1.5) / 2, 'error of bin 1');
  assert.equal(ratio.errors[2], null);
  assert.deepEqual(ratio.edges, [0, 1, 2, 3]);
});

test('compare within tolerance', () => {
  const a = Histogram.regular(2, 0, 2).fill([0.5, 1.5], [1, 1]);
  const b = a.scale(1 + 1e-12);
  assert.ok(a.equals(b));
  const c = a.scale(1.01);
  assert.ok(!a.equals(c));
  assert.ok(a.equals(c, { rtol: 0.03 }));
  assert.deepEqual(a.compare(c), [
    'bin 0 [0, 1): sumw 1 vs 1.01',
    'bin 0 [0, 1): sumw2 1 vs 1.0201',
    'bin 1 [1, 2): sumw 1 vs 1.01',
    'bin 1 [1, 2): sumw2 1 vs 1.0201',
  ]);
  assert.deepEqual(a.compare(Histogram.regular(3, 0, 2)), ['bins differ: 2 vs 3']);
  assert.deepEqual(a.compare(a.clone().fill(-1)).slice(0, 1), ['underflow: sumw 0 vs 1']);
});

test('JSON round trip', () => {
  const h = Histogram.variable([0, 0.4, 1, 2.5]).fill([-1, 0.1, 0.7, 0.7, 3], [0.3, 1.5, 2, 2, 7]);
  const text = JSON.stringify(h);
  const parsed = JSON.parse(text);
  assert.deepEqual(parsed.edges, [0, 0.4, 1, 2.5]);
  assert.deepEqual(parsed.sumw, [0.3, 1.5, 4, 0, 7]);
  assert.deepEqual(parsed.sumw2, [0.09, 2.25, 8, 0, 49]);
  assert.equal(parsed.entries, 5);
  const back = Histogram.fromJSON(parsed);
  assert.deepEqual(back.compare(h, { rtol: 0 }), []);
  assert.deepEqual(back.toJSON(), h.toJSON());
});

test('fromJSON names bad fields', () => {
  const good = Histogram.regular(2, 0, 1).toJSON();
  assert.throws(() => Histogram.fromJSON(null, 'h'), /h: expected an object/);
  assert.throws(() => Histogram.fromJSON({ ...good, edges: 3 }, 'h'), /h\.edges: expected an array/);
  assert.throws(() => Histogram.fromJSON({ ...good, sumw: [1, 2] }, 'h'),
    /h\.sumw: expected an array of 4 numbers/);
  assert.throws(() => Histogram.fromJSON({ ...good, sumw2: [0, 0, null, 0] }, 'h'),
    /h\.sumw2\[2\]: expected a finite number/);
  assert.throws(() => Histogram.fromJSON({ ...good, entries: -1 }, 'h'), /h\.entries/);
});
