/**
 * A one-dimensional weighted histogram as a value: bin edges, the sum of weights (sumw) and
 * the sum of squared weights (sumw2) per bin, with the underflow and overflow bins kept.
 *
 * Bins are half-open, [low, high): a value equal to the last edge goes to the overflow, as
 * in ROOT and boost-histogram. NaN values also go to the overflow (boost-histogram's rule),
 * so that no filled event disappears from the totals.
 *
 * `fill` changes the histogram in place; `add`, `scale`, `normalized` return new ones.
 */

/** The JSON form: `sumw` and `sumw2` have one entry per bin plus underflow (first) and
 * overflow (last), so `edges.length + 1` entries. */
export interface HistogramJSON {
  edges: number[];
  sumw: number[];
  sumw2: number[];
  /** Number of values filled (unweighted), flow bins included. */
  entries: number;
}

export interface Tolerance {
  /** Relative tolerance on each sum (default 1e-9). */
  rtol?: number;
  /** Absolute tolerance on each sum (default 0). */
  atol?: number;
}

/** A bin-by-bin quotient: null where the denominator bin is empty (no ratio is defined). */
export interface Ratio {
  edges: number[];
  values: Array<number | null>;
  errors: Array<number | null>;
}

export class Histogram {
  readonly edges: Float64Array;
  /** Per bin, index 0 the underflow and index `bins + 1` the overflow. */
  readonly sumw: Float64Array;
  readonly sumw2: Float64Array;
  entries = 0;

  /** Creates an empty histogram on the given edges (strictly increasing, finite). */
  constructor(edges: ArrayLike<number>) {
    checkEdges(edges, 'histogram edges');
    this.edges = Float64Array.from(edges);
    this.sumw = new Float64Array(edges.length + 1);
    this.sumw2 = new Float64Array(edges.length + 1);
  }

  /** Creates an empty histogram of `bins` equal bins from `low` to `high`. */
  static regular(bins: number, low: number, high: number): Histogram {
    if (!Number.isInteger(bins) || bins < 1) {
      throw new RangeError(`histogram bins must be a positive integer, got ${bins}`);
    }
    if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
      throw new RangeError(`histogram range must be finite with low < high, got [${low}, ${high}]`);
    }
    const edges = Array.from({ length: bins + 1 }, (_, i) => low + ((high - low) * i) / bins);
    edges[bins] = high;
    return new Histogram(edges);
  }

  /** Creates an empty histogram with variable bin edges. */
  static variable(edges: ArrayLike<number>): Histogram {
    return new Histogram(edges);
  }

  /** Reads the JSON form back and checks its shape. `what` names the source in errors. */
  static fromJSON(json: unknown, what = 'histogram'): Histogram {
    const value = json as Partial<HistogramJSON> | null;
    if (typeof value !== 'object' || value === null) {
      throw new TypeError(`${what}: expected an object with edges, sumw, sumw2 and entries`);
    }
    if (!Array.isArray(value.edges)) throw new TypeError(`${what}.edges: expected an array`);
    checkEdges(value.edges, `${what}.edges`);
    const histogram = new Histogram(value.edges);
    const length = histogram.sumw.length;
    for (const key of ['sumw', 'sumw2'] as const) {
      const sums = value[key];
      if (!Array.isArray(sums) || sums.length !== length) {
        throw new TypeError(`${what}.${key}: expected an array of ${length} numbers `
          + `(${length - 2} bins plus underflow and overflow)`);
      }
      sums.forEach((sum, i) => {
        if (typeof sum !== 'number' || !Number.isFinite(sum)) {
          throw new TypeError(`${what}.${key}[${i}]: expected a finite number, got ${sum}`);
        }
        histogram[key][i] = sum;
      });
    }
    if (typeof value.entries !== 'number' || !(value.entries >= 0)) {
      throw new TypeError(`${what}.entries: expected a non-negative number`);
    }
    histogram.entries = value.entries;
    return histogram;
  }

  /** Number of regular bins, flow bins excluded. */
  get bins(): number {
    return this.edges.length - 1;
  }

  /** Index into `sumw` of the bin holding `x`: 0 underflow, 1..bins, bins + 1 overflow. */
  index(x: number): number {
    const edges = this.edges;
    if (Number.isNaN(x) || x >= edges[edges.length - 1]) return edges.length;
    if (x < edges[0]) return 0;
    // Upper bound: the first edge greater than x, found by bisection.
    let low = 0;
    let high = edges.length - 1;
    while (high - low > 1) {
      const middle = (low + high) >> 1;
      if (edges[middle] <= x) low = middle; else high = middle;
    }
    return high;
  }

  /**
   * Fills values with weights (a number for all, an array of the same length, or 1 when
   * absent). Returns this histogram. A non-finite weight raises a RangeError naming it.
   */
  fill(values: ArrayLike<number> | number, weights: ArrayLike<number> | number = 1): this {
    const xs = typeof values === 'number' ? [values] : values;
    if (typeof weights !== 'number' && weights.length !== xs.length) {
      throw new RangeError(`fill: ${xs.length} values but ${weights.length} weights`);
    }
    for (let i = 0; i < xs.length; i++) {
      const w = typeof weights === 'number' ? weights : weights[i];
      if (!Number.isFinite(w)) throw new RangeError(`fill: weight ${i} is ${w}`);
      const bin = this.index(xs[i]);
      this.sumw[bin] += w;
      this.sumw2[bin] += w * w;
    }
    this.entries += xs.length;
    return this;
  }

  /** Returns the bin-by-bin sum. Raises a RangeError unless the edges are the same. */
  add(other: Histogram): Histogram {
    this.#checkSameEdges(other, 'add');
    const sum = this.clone();
    for (let i = 0; i < sum.sumw.length; i++) {
      sum.sumw[i] += other.sumw[i];
      sum.sumw2[i] += other.sumw2[i];
    }
    sum.entries += other.entries;
    return sum;
  }

  /** Returns the histogram with every weight multiplied by `factor` (sumw2 by its square). */
  scale(factor: number): Histogram {
    if (!Number.isFinite(factor)) throw new RangeError(`scale: factor is ${factor}`);
    const scaled = this.clone();
    for (let i = 0; i < scaled.sumw.length; i++) {
      scaled.sumw[i] *= factor;
      scaled.sumw2[i] *= factor * factor;
    }
    return scaled;
  }

  clone(): Histogram {
    const copy = new Histogram(this.edges);
    copy.sumw.set(this.sumw);
    copy.sumw2.set(this.sumw2);
    copy.entries = this.entries;
    return copy;
  }

  /** Sum of weights over the regular bins, or over all bins with `flow`. */
  integral({ flow = false } = {}): number {
    const start = flow ? 0 : 1;
    const end = flow ? this.sumw.length : this.sumw.length - 1;
    let total = 0;
    for (let i = start; i < end; i++) total += this.sumw[i];
    return total;
  }

  /** Contents of the regular bins. */
  values(): number[] {
    return Array.from(this.sumw.subarray(1, this.sumw.length - 1));
  }

  /** Statistical uncertainty of each regular bin, the square root of sumw2. */
  errors(): number[] {
    return Array.from(this.sumw2.subarray(1, this.sumw2.length - 1), Math.sqrt);
  }

  get underflow(): number {
    return this.sumw[0];
  }

  get overflow(): number {
    return this.sumw[this.sumw.length - 1];
  }

  centers(): number[] {
    return Array.from({ length: this.bins }, (_, i) => (this.edges[i] + this.edges[i + 1]) / 2);
  }

  widths(): number[] {
    return Array.from({ length: this.bins }, (_, i) => this.edges[i + 1] - this.edges[i]);
  }

  /**
   * Returns the shape normalised to unit area: each bin divided by the total weight W of
   * the regular bins (of all bins with `flow`) and, with `density` (the default), by its
   * width. The returned sumw2 contains each bin's variance, propagated from the bin's own sum
   * w_i and the rest R = W - w_i as independent: var(w_i / W) = (R^2 s_i + w_i^2 (S - s_i))
   * / W^4, with s_i the bin's sumw2 and S the total sumw2. The flow bins are divided by W
   * as well. Raises a RangeError when W is zero, so an empty histogram never becomes NaN.
   */
  normalized({ density = true, flow = false } = {}): Histogram {
    const total = this.integral({ flow });
    if (total === 0) {
      throw new RangeError('normalized: the histogram is empty (total weight 0)');
    }
    const start = flow ? 0 : 1;
    const end = flow ? this.sumw.length : this.sumw.length - 1;
    let totalSumw2 = 0;
    for (let i = start; i < end; i++) totalSumw2 += this.sumw2[i];

    const shape = new Histogram(this.edges);
    shape.entries = this.entries;
    for (let i = 0; i < this.sumw.length; i++) {
      const inside = i >= start && i < end;
      const w = this.sumw[i];
      const s = this.sumw2[i];
      const rest = total - (inside ? w : 0);
      const restSumw2 = totalSumw2 - (inside ? s : 0);
      const width = density && i >= 1 && i <= this.bins ? this.edges[i] - this.edges[i - 1] : 1;
      shape.sumw[i] = w / total / width;
      shape.sumw2[i] = (rest * rest * s + w * w * restSumw2) / total ** 4 / (width * width);
    }
    return shape;
  }

  /**
   * Divides this histogram by `denominator` bin by bin, over the regular bins, treating the
   * two as independent: var(a / b) = (var(a) + (a / b)^2 var(b)) / b^2. Bins where the
   * denominator is zero get null.
   */
  ratio(denominator: Histogram): Ratio {
    this.#checkSameEdges(denominator, 'ratio');
    const values: Array<number | null> = [];
    const errors: Array<number | null> = [];
    for (let i = 1; i <= this.bins; i++) {
      const a = this.sumw[i];
      const b = denominator.sumw[i];
      if (b === 0) {
        values.push(null);
        errors.push(null);
        continue;
      }
      const r = a / b;
      values.push(r);
      errors.push(Math.sqrt(this.sumw2[i] + r * r * denominator.sumw2[i]) / Math.abs(b));
    }
    return { edges: Array.from(this.edges), values, errors };
  }

  /**
   * Lists the differences from `other` beyond the tolerance (|a - b| <= atol + rtol |b|),
   * one readable line each: edges, then sumw and sumw2 per bin, then entries. Empty when
   * the two agree.
   */
  compare(other: Histogram, { rtol = 1e-9, atol = 0 }: Tolerance = {}): string[] {
    const close = (a: number, b: number) => Math.abs(a - b) <= atol + rtol * Math.abs(b);
    if (this.edges.length !== other.edges.length) {
      return [`bins differ: ${this.bins} vs ${other.bins}`];
    }
    const differences: string[] = [];
    this.edges.forEach((edge, i) => {
      if (!close(edge, other.edges[i])) differences.push(`edge ${i}: ${edge} vs ${other.edges[i]}`);
    });
    if (differences.length > 0) return differences;
    for (let i = 0; i < this.sumw.length; i++) {
      for (const key of ['sumw', 'sumw2'] as const) {
        if (!close(this[key][i], other[key][i])) {
          differences.push(`${this.#binName(i)}: ${key} ${this[key][i]} vs ${other[key][i]}`);
        }
      }
    }
    if (this.entries !== other.entries) {
      differences.push(`entries: ${this.entries} vs ${other.entries}`);
    }
    return differences;
  }

  /** True when `compare` finds no difference beyond the tolerance. */
  equals(other: Histogram, tolerance: Tolerance = {}): boolean {
    return this.compare(other, tolerance).length === 0;
  }

  toJSON(): HistogramJSON {
    return {
      edges: Array.from(this.edges),
      sumw: Array.from(this.sumw),
      sumw2: Array.from(this.sumw2),
      entries: this.entries,
    };
  }

  #binName(index: number): string {
    if (index === 0) return 'underflow';
    if (index === this.sumw.length - 1) return 'overflow';
    return `bin ${index - 1} [${this.edges[index - 1]}, ${this.edges[index]})`;
  }

  #checkSameEdges(other: Histogram, operation: string): void {
    const same = other.edges.length === this.edges.length
      && this.edges.every((edge, i) => edge === other.edges[i]);
    if (!same) {
      throw new RangeError(`${operation}: the histograms have different edges `
        + `([${Array.from(this.edges).join(', ')}] vs [${Array.from(other.edges).join(', ')}])`);
    }
  }
}

function checkEdges(edges: ArrayLike<number>, what: string): void {
  if (edges.length < 2) {
    throw new RangeError(`${what}: at least 2 edges are needed, got ${edges.length}`);
  }
  for (let i = 0; i < edges.length; i++) {
    if (typeof edges[i] !== 'number' || !Number.isFinite(edges[i])) {
      throw new RangeError(`${what}[${i}]: expected a finite number, got ${edges[i]}`);
    }
    if (i > 0 && !(edges[i] > edges[i - 1])) {
      throw new RangeError(`${what}: edges must increase strictly, but [${i - 1}] = `
        + `${edges[i - 1]} and [${i}] = ${edges[i]}`);
    }
  }
}
