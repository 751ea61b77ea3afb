import type { ChartBlock, NoteBlock } from '../core/presentation.ts';
import { Histogram } from '../physics/histogram.ts';
import type { PhotonJetsResult } from './result.ts';
import { histogramIndex, LEVELS, PAIRS, type Level, type Pair } from './selection.ts';

/**
 * The six ΔR panels of one HT bin: three jet pairs at GEN and at RECO level, each a shape
 * chart with a ratio panel below it. One note per bin sums up what its panels lack.
 */

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
export const PAIR_LABEL: Record<Pair, string> = {
  j1j2: 'ΔR(j1, j2)', j2j3: 'ΔR(j2, j3)', j1j3: 'ΔR(j1, j3)',
};
export const SHAPE_AXIS = '1/N dN/dΔR';

/**
 * Drawing size in CSS pixels. Three panels side by side in two rows, below a note of one
 * or two lines, leave each chart about 280 x 150 pt on a 960 x 540 pt slide, and this
 * shape fills that cell.
 */
const PANEL_WIDTH = 440;
const PANEL_HEIGHT = 240;
/**
 * Text sizes in CSS pixels, below the styling's defaults. On a slide a panel is laid out
 * at about 3/4 of its CSS size, where its ratio panel, about 45 px high, must hold three
 * tick labels and the word "ratio".
 */
const TEXT_SIZE = 11;
const RATIO_TICK_SIZE = 10;
/**
 * Ratio panel range: a ratio or an error bar beyond it is cut at the frame. The top is
 * left without a tick label, so that the shape panel's 0 above it stays readable.
 */
const RATIO_RANGE = { min: 0, max: 2.5 };

/** Describes what every panel shows, for the selection box; `reference` is the first set. */
export function panelDescription(edges: number[], reference: string): string {
  return `Panels: ${SHAPE_AXIS}, normalised to unit area over ${edges[0]} ≤ ΔR < `
    + `${edges[edges.length - 1]}, with statistical uncertainties; below, each set divided by `
    + `"${reference}" (shown from ${RATIO_RANGE.min} to ${RATIO_RANGE.max})`;
}


/** Normalised shape of one set in one panel, or null when the set has no weight there. */
export interface PanelShape {
  set: string;
  shape: Histogram | null;
  /** Events that filled the panel's histogram, in range or not (unweighted). */
  entries: number;
}

export interface Panel {
  level: Level;
  pair: Pair;
  /** One per set, in the result's order; the first is the ratios' denominator. */
  shapes: PanelShape[];
}

export function panelShapes(result: PhotonJetsResult, bin: number, level: number,
  pair: number): PanelShape[] {
  return result.sets.map((set) => {
    const histogram = Histogram.fromJSON(set.histograms[histogramIndex(bin, level, pair)],
      `${set.name} histogram`);
    const empty = histogram.integral() === 0;
    const shape = empty ? null : histogram.normalized();
    return { set: set.name, shape, entries: histogram.entries };
  });
}

/** Returns the panels of HT bin `bin`: GEN then RECO, each with the pairs in PAIRS order. */
export function binPanels(result: PhotonJetsResult, bin: number): Panel[] {
  return LEVELS.flatMap((level, l) => PAIRS.map((pair, p) => ({
    level, pair, shapes: panelShapes(result, bin, l, p),
  })));
}

function point(x: number, y: number | null, error: number | null): Record<string, number | null> {
  if (y === null || error === null) return { x, y: null };
  return { x, y, yMin: y - error, yMax: y + error };
}

/** Step-like line through the bin centres; exact steps for equal-width bins. */
function lineStyle(index: number, dataset: Record<string, unknown>): Record<string, unknown> {
  const color = COLORS[index % COLORS.length];
  return {
    ...dataset,
    stepped: 'middle',
    borderColor: color,
    backgroundColor: color,
    borderWidth: 1.5,
    pointRadius: 2,
    fill: false,
    errorBarColor: color,
    errorBarWhiskerColor: color,
    errorBarWhiskerSize: 4,
  };
}

/** Builds the ratio axis datasets: a line at 1 and each set but the first divided by it. */
function ratioDatasets(panel: Panel, centers: number[], edges: number[]) {
  const reference = panel.shapes[0].shape;
  const datasets: Array<Record<string, unknown>> = [];
  if (!reference || !panel.shapes.some(({ shape }, s) => s > 0 && shape)) return datasets;
  datasets.push({
    type: 'line',
    label: '',
    yAxisID: 'ratio',
    data: [{ x: edges[0], y: 1 }, { x: edges[edges.length - 1], y: 1 }],
    borderColor: '#808080',
    borderWidth: 1,
    borderDash: [4, 3],
    pointRadius: 0,
    fill: false,
  });
  panel.shapes.forEach(({ shape }, s) => {
    if (s === 0 || !shape) return;
    const ratio = shape.ratio(reference);
    datasets.push(lineStyle(s, {
      label: '',
      yAxisID: 'ratio',
      data: ratio.values.map((y, i) => point(centers[i], y, ratio.errors[i])),
    }));
  });
  return datasets;
}

/** Builds the ΔR axis, the shape axis and, when there are ratios, the ratio axis below it. */
function panelScales(pair: Pair, edges: number[], withRatio: boolean): Record<string, unknown> {
  const x = {
    type: 'linear',
    min: edges[0],
    max: edges[edges.length - 1],
    title: { display: true, text: PAIR_LABEL[pair], padding: 0, font: { size: TEXT_SIZE + 1 } },
    ticks: { font: { size: TEXT_SIZE } },
  };
  const y = {
    type: 'linear',
    position: 'left',
    beginAtZero: true,
    ticks: { maxTicksLimit: 4, font: { size: TEXT_SIZE } },
    title: { display: true, text: SHAPE_AXIS, font: { size: TEXT_SIZE } },
  };
  if (!withRatio) return { x, y };
  // Chart.js 4 lays out the scales of one left-hand stack from the top in the reverse
  // order of their definition, so the ratio, defined first, comes out below.
  return {
    x,
    ratio: {
      type: 'linear',
      position: 'left',
      stack: 'panel',
      stackWeight: 2,
      ...RATIO_RANGE,
      ticks: { stepSize: 1, includeBounds: false, font: { size: RATIO_TICK_SIZE } },
      title: { display: true, text: 'ratio', align: 'center', font: { size: TEXT_SIZE } },
    },
    y: { ...y, stack: 'panel', stackWeight: 3 },
  };
}

/**
 * Builds one panel: the normalised shape of every set with weight there, its event count
 * in the legend, and below it each other set divided by the first, with a dashed line at
 * 1. The ratios share their set's colour and have no legend entry, because the chart
 * styling leaves unlabelled datasets out of the legend. A panel without ratios has no
 * ratio axis, and the caption of a panel without any curve states that it has no events.
 */
export function panelChart(id: string, title: string, panel: Panel, edges: number[]): ChartBlock {
  const centers = edges.slice(0, -1).map((low, i) => (low + edges[i + 1]) / 2);
  const shapes = panel.shapes.flatMap(({ set, shape, entries }, s) => {
    if (!shape) return [];
    const errors = shape.errors();
    return [lineStyle(s, {
      label: `${set} (${entries})`,
      yAxisID: 'y',
      data: shape.values().map((y, i) => point(centers[i], y, errors[i])),
    })];
  });
  const ratios = ratioDatasets(panel, centers, edges);

  return {
    kind: 'chart',
    id,
    title,
    chart: {
      type: 'lineWithErrorBars',
      data: { datasets: [...shapes, ...ratios] },
      options: {
        animation: false,
        scales: panelScales(panel.pair, edges, ratios.length > 0),
        plugins: {
          legend: {
            position: 'top',
            labels: { boxWidth: 12, boxHeight: 8, padding: 6, font: { size: TEXT_SIZE } },
          },
        },
      },
    },
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    ...(shapes.length ? {} : { caption: 'No events in any set' }),
  };
}

/** Names panels compactly: "GEN panels", "RECO ΔR(j2, j3), ΔR(j1, j3)", "every panel". */
function describePanels(panels: Panel[]): string {
  const byLevel = LEVELS.map((level) => {
    const mine = panels.filter((panel) => panel.level === level);
    if (mine.length === PAIRS.length) return `the ${level} panels`;
    return mine.length ? `${level} ${mine.map((panel) => PAIR_LABEL[panel.pair]).join(', ')}` : '';
  });
  if (panels.length === LEVELS.length * PAIRS.length) return 'every panel';
  return byLevel.filter(Boolean).join(' and ');
}

function quoted(names: string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

/** Returns whether set `s` has the first set's shape, to rounding, in every panel. */
function sameShapes(panels: Panel[], s: number): boolean {
  return panels.every(({ shapes }) => {
    const [first, other] = [shapes[0].shape, shapes[s].shape];
    if (!first || !other) return first === other;
    return first.sumw.every((value, i) =>
      Math.abs(value - other.sumw[i]) <= 1e-12 * Math.max(Math.abs(value), 1));
  });
}

/**
 * Sums up one HT bin in a single note: the selected events per set, the sets identical
 * to the first, the panels where a set has no curve and where no ratio can be drawn.
 * `selected` is the selected event count per set. Kept to about two slide lines, because
 * a taller note leaves room for one row of panels only.
 */
export function binNote(panels: Panel[], selected: number[]): NoteBlock {
  const names = panels[0].shapes.map(({ set }) => set);
  const reference = names[0];
  const sentences = [
    `Selected events: ${names.map((name, s) => `${name} ${selected[s]}`).join(', ')}.`,
  ];

  const identical = names.filter((_, s) => s > 0 && selected[s] > 0 && sameShapes(panels, s));
  if (identical.length) {
    sentences.push(`${quoted(identical)} ${identical.length > 1 ? 'are' : 'is'} identical to `
      + `"${reference}" (hidden under it).`);
  }

  // Sets with no selected event lack every curve, which the count above already states.
  const missing = new Map<string, string[]>();
  names.forEach((name, s) => {
    if (selected[s] === 0) return;
    const empty = panels.filter(({ shapes }) => !shapes[s].shape);
    if (!empty.length) return;
    const where = describePanels(empty);
    missing.set(where, [...(missing.get(where) ?? []), name]);
  });
  for (const [where, sets] of missing) {
    sentences.push(`No curve for ${quoted(sets)} in ${where} (no events there).`);
  }

  const others = (panel: Panel) => panel.shapes.some(({ shape }, s) => s > 0 && shape);
  const noRatio = panels.filter((panel) => !panel.shapes[0].shape && others(panel));
  if (selected[0] === 0 && noRatio.length) {
    sentences.push(`No ratio: "${reference}" has no events in this bin.`);
  } else if (noRatio.length) {
    sentences.push(`No ratio in ${describePanels(noRatio)}, where "${reference}" is empty.`);
  }
  return { kind: 'note', text: sentences.join(' ') };
}
