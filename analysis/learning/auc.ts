import { InputError } from '../core/errors.ts';

/**
 * Weighted ROC curve: one point per distinct score, scanned from the highest score down.
 * `fpr[i]` and `tpr[i]` are the weighted fractions of background and signal with a score
 * of at least `thresholds[i]`; the first point is (0, 0) at threshold +Infinity. Tied
 * scores form one point, so a tie contributes the trapezoid between its neighbours, as in
 * scikit-learn's `roc_curve`.
 */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

export interface ScoredEvents {
  scores: ArrayLike<number>;
  /** 1 (or true) for signal, 0 for background. */
  labels: ArrayLike<number>;
  /** Event weights; all 1 when absent. */
  weights?: ArrayLike<number>;
}

/**
 * Computes the weighted ROC curve. Throws when the sample lacks signal or background (or
 * their weights sum to zero or less), because the curve is then undefined; `what` names
 * the sample in that message.
 */
export function rocCurve(events: ScoredEvents, what = 'evaluation sample'): RocCurve {
  const { scores, labels, weights } = events;
  const count = scores.length;
  if (labels.length !== count || (weights && weights.length !== count)) {
    throw new Error(`ROC curve of ${what}: ${count} scores, ${labels.length} labels` +
      (weights ? ` and ${weights.length} weights` : ''));
  }
  for (let i = 0; i < count; i++) {
    if (Number.isNaN(scores[i])) throw new InputError(`ROC curve of ${what}: score of event ${i} is NaN`);
  }
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);

  const tps: number[] = [0];
  const fps: number[] = [0];
  const thresholds: number[] = [Infinity];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < count; k++) {
    const i = order[k];
    const score = scores[i];
    const weight = weights ? weights[i] : 1;
    if (labels[i]) tp += weight; else fp += weight;
    if (k === count - 1 || scores[order[k + 1]] !== score) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(score);
    }
  }
  if (!(tp > 0) || !(fp > 0)) {
    const missing = !(tp > 0) ? 'signal' : 'background';
    throw new InputError(`ROC curve of ${what}: no ${missing} events (or their weights sum ` +
      `to ${!(tp > 0) ? tp : fp}), so the AUC is undefined`);
  }
  return {
    fpr: Float64Array.from(fps, (value) => value / fp),
    tpr: Float64Array.from(tps, (value) => value / tp),
    thresholds: Float64Array.from(thresholds),
  };
}

/** Area under a ROC curve by the trapezoidal rule. */
export function areaUnderCurve(curve: RocCurve): number {
  let area = 0;
  for (let i = 1; i < curve.fpr.length; i++) {
    area += ((curve.fpr[i] - curve.fpr[i - 1]) * (curve.tpr[i] + curve.tpr[i - 1])) / 2;
  }
  return area;
}

/** Weighted ROC AUC, equal to scikit-learn's `roc_auc_score(labels, scores, sample_weight=weights)`. */
export function rocAuc(events: ScoredEvents, what?: string): number {
  return areaUnderCurve(rocCurve(events, what));
}

/** ROC points for plotting: signal efficiency against background rejection (1 - fpr). */
export interface RocPoints {
  signalEfficiency: number[];
  backgroundRejection: number[];
}

/**
 * Thins a curve to about `points` points, evenly spaced in signal efficiency, keeping both
 * ends. Values are rounded to 5 decimals, far below what a plot resolves.
 */
export function thinRoc(curve: RocCurve, points = 101): RocPoints {
  const round = (value: number) => Math.round(value * 1e5) / 1e5;
  const signalEfficiency: number[] = [];
  const backgroundRejection: number[] = [];
  let next = 0;
  const last = curve.tpr.length - 1;
  for (let i = 0; i <= last; i++) {
    if (i !== last && curve.tpr[i] < next) continue;
    signalEfficiency.push(round(curve.tpr[i]));
    backgroundRejection.push(round(1 - curve.fpr[i]));
    while (next <= curve.tpr[i]) next += 1 / (points - 1);
  }
  return { signalEfficiency, backgroundRejection };
}
