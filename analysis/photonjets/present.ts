import { hepdataTable, type HepdataDependent } from '../core/hepdata.ts';
import type {
  Block, ChartBlock, Download, NoteBlock, Part, Presentation, TableBlock,
} from '../core/presentation.ts';
import type { PresentContext } from '../core/study.ts';
import { Histogram } from '../physics/histogram.ts';
import { htLabel, type HtBin } from './config.ts';
import type { PhotonJetsResult, SampleResult } from './result.ts';
import { histogramIndex, LEVELS, PAIRS, type Level, type Pair } from './selection.ts';

/**
 * Turns the result into one part per HT bin (six panels: three pairs at GEN and at RECO),
 * a part with the samples and the selection, and one with the cut flows, plus one HEPData
 * table per HT bin.
 */

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const PAIR_LABEL: Record<Pair, string> = {
  j1j2: 'ΔR(j1, j2)', j2j3: 'ΔR(j2, j3)', j1j3: 'ΔR(j1, j3)',
};
const SHAPE_AXIS = '1/N dN/dΔR';

/** Normalised shape of one set in one panel, or null when the set has no weight there. */
interface PanelShape {
  set: string;
  shape: Histogram | null;
  entries: number;
}

function panelShapes(result: PhotonJetsResult, bin: number, level: number,
  pair: number): PanelShape[] {
  return result.sets.map((set) => {
    const histogram = Histogram.fromJSON(set.histograms[histogramIndex(bin, level, pair)],
      `${set.name} histogram`);
    const empty = histogram.integral() === 0;
    const shape = empty ? null : histogram.normalized();
    return { set: set.name, shape, entries: histogram.entries };
  });
}

function point(x: number, y: number | null, error: number | null): Record<string, number | null> {
  if (y === null || error === null) return { x, y: null };
  return { x, y, yMin: y - error, yMax: y + error };
}

function panelChart(id: string, title: string, pair: Pair, shapes: PanelShape[],
  centers: number[], edges: number[]): ChartBlock {
  const reference = shapes[0];
  const datasets: Array<Record<string, unknown>> = [];
  shapes.forEach(({ set, shape }, s) => {
    if (!shape) return;
    const errors = shape.errors();
    datasets.push(lineStyle(s, {
      label: set,
      yAxisID: 'y',
      data: shape.values().map((y, i) => point(centers[i], y, errors[i])),
    }));
  });
  shapes.forEach(({ set, shape }, s) => {
    if (s === 0 || !shape || !reference.shape) return;
    const ratio = shape.ratio(reference.shape);
    datasets.push(lineStyle(s, {
      label: `${set} / ${reference.set}`,
      yAxisID: 'ratio',
      data: ratio.values.map((y, i) => point(centers[i], y, ratio.errors[i])),
    }));
  });

  return {
    kind: 'chart',
    id,
    title,
    chart: {
      type: 'lineWithErrorBars',
      data: { datasets },
      options: {
        animation: false,
        scales: {
          x: {
            type: 'linear',
            min: edges[0],
            max: edges[edges.length - 1],
            title: { display: true, text: PAIR_LABEL[pair] },
          },
          // Chart.js 4 lays out the scales of one left-hand stack from the top in the
          // reverse order of their definition, so the ratio, defined first, comes out below.
          ratio: {
            type: 'linear',
            position: 'left',
            stack: 'panel',
            stackWeight: 1.2,
            offset: true,
            min: 0,
            suggestedMax: 2,
            ticks: { maxTicksLimit: 3 },
            title: { display: true, text: `ratio to ${reference.set}` },
          },
          y: {
            type: 'linear',
            position: 'left',
            stack: 'panel',
            stackWeight: 3,
            beginAtZero: true,
            title: { display: true, text: SHAPE_AXIS },
          },
        },
        plugins: { legend: { position: 'top', labels: { boxWidth: 12 } } },
      },
    },
    width: 480,
    height: 420,
    caption: 'Shapes normalised to unit area over '
      + `${edges[0]} ≤ ΔR < ${edges[edges.length - 1]}, `
      + 'with statistical uncertainties; below, each set divided by the first.',
  };
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

function emptyNotes(shapes: PanelShape[], where: string): NoteBlock[] {
  const notes: NoteBlock[] = [];
  const empty = shapes.filter(({ shape }) => !shape).map(({ set }) => `"${set}"`);
  if (empty.length === shapes.length) {
    notes.push({ kind: 'note', text: `${where}: no set has events there, so the panel is empty.` });
  } else if (empty.length > 0) {
    notes.push({ kind: 'note', text: `${where}: no events of ${empty.join(', ')}, so the panel `
      + 'has no curve for them.' });
  }
  if (!shapes[0].shape && empty.length < shapes.length) {
    notes.push({ kind: 'note',
      text: `${where}: no ratio is drawn because "${shapes[0].set}" has no events there.` });
  }
  return notes;
}

function htPart(result: PhotonJetsResult, study: string, bin: HtBin, b: number): Part {
  const edges = result.deltaREdges;
  const centers = edges.slice(0, -1).map((low, i) => (low + edges[i + 1]) / 2);
  const charts: Block[] = [];
  const notes: NoteBlock[] = [];
  LEVELS.forEach((level: Level, l) => {
    PAIRS.forEach((pair: Pair, p) => {
      const shapes = panelShapes(result, b, l, p);
      const title = `${level} ${PAIR_LABEL[pair]}, ${htLabel(bin)}`;
      const id = `${study}-ht${b}-${level}-${pair}`;
      charts.push(panelChart(id, title, pair, shapes, centers, edges));
      notes.push(...emptyNotes(shapes, `${level} ${PAIR_LABEL[pair]}`));
    });
  });
  const counts = result.sets.map((set) => {
    const selected = set.samples.reduce((total, sample) =>
      total + sample.cutFlow[sample.cutFlow.length - result.htBins.length + b].raw, 0);
    return `${set.name}: ${selected}`;
  });
  const summary: NoteBlock = {
    kind: 'note', text: `Selected events in ${htLabel(bin)}: ${counts.join(', ')}.`,
  };
  return {
    title: `Jet separations, ${htLabel(bin)}`,
    columns: 3,
    blocks: [...charts, summary, ...notes],
  };
}

function cutFlowTable(study: string, setName: string, sample: SampleResult, s: number,
  p: number): TableBlock {
  const all = sample.cutFlow[0].weighted;
  return {
    kind: 'table',
    id: `${study}-cutflow-${s}-${p}`,
    title: `Cut flow: ${setName} / ${sample.name}`,
    header: [['step', 'events', 'σ × ε (pb)', 'fraction']],
    labelColumns: 1,
    rows: sample.cutFlow.map((row) => [
      row.step,
      row.raw,
      { value: row.weighted, digits: 4 },
      all === 0 ? '–' : { value: row.weighted / all, digits: 3 },
    ]),
    caption: `Events weighted by genWeight × ${sample.crossSection} pb / ${sample.sumw} `
      + '(sum of genWeight); fraction of the weighted total.',
  };
}

function samplesPart(result: PhotonJetsResult, study: string): Part {
  const rows = result.sets.flatMap((set) => set.samples.flatMap((sample) =>
    sample.files.map((file) => [
      set.name, sample.name, file.file, file.entries, sample.crossSection,
      file.sumwSource === 'Runs' ? 'Runs tree' : 'events (no Runs tree)',
      file.htSource === 'LHE_HT' ? 'LHE_HT' : 'GEN jets',
      file.genPhotonSource,
    ])));
  const blocks: Block[] = [
    {
      kind: 'table',
      id: `${study}-samples`,
      title: 'Samples',
      header: [['set', 'sample', 'file', 'events', 'σ (pb)', 'sum of genWeight from', 'HT from',
        'GEN photon']],
      labelColumns: 2,
      rows,
    },
    { kind: 'box', title: 'Selection', lines: result.selection },
  ];
  for (const set of result.sets) {
    if (set.note) blocks.push({ kind: 'note', text: `${set.name}: ${set.note}` });
  }
  for (const warning of result.warnings) blocks.push({ kind: 'note', text: warning });
  return { title: 'Samples and selection', blocks };
}

function hepdataDownload(result: PhotonJetsResult, study: string, bin: HtBin, b: number): Download {
  const edges = result.deltaREdges;
  const independent = [{
    header: { name: 'ΔR' },
    values: edges.slice(0, -1).map((low, i) => ({ low, high: edges[i + 1] })),
  }];
  const dependent: HepdataDependent[] = [];
  const htRange = bin.high === null ? `>= ${bin.low}` : `${bin.low}-${bin.high}`;
  LEVELS.forEach((level, l) => {
    PAIRS.forEach((pair, p) => {
      const shapes = panelShapes(result, b, l, p);
      shapes.forEach(({ set, shape }, s) => {
        const qualifiers = [
          { name: 'HT', value: htRange, units: 'GEV' },
          { name: 'level', value: level },
          { name: 'pair', value: pair },
          { name: 'sample set', value: set },
        ];
        const errors = shape?.errors();
        dependent.push({
          header: { name: SHAPE_AXIS },
          qualifiers,
          values: shape
            ? shape.values().map((value, i) => ({ value, symerror: errors![i] }))
            : edges.slice(1).map(() => '-'),
        });
        const reference = shapes[0].shape;
        if (s === 0) return;
        const ratio = shape && reference ? shape.ratio(reference) : null;
        dependent.push({
          header: { name: `ratio to ${shapes[0].set}` },
          qualifiers,
          values: edges.slice(1).map((_, i) => {
            const value = ratio?.values[i];
            const error = ratio?.errors[i];
            return value === null || value === undefined || error === null || error === undefined
              ? '-'
              : { value, symerror: error };
          }),
        });
      });
    });
  });
  const name = `${study}-ht-${bin.low}-${bin.high ?? 'inf'}.yaml`;
  return {
    name,
    label: `HEPData table, ${htLabel(bin)}`,
    content: hepdataTable({
      description: `${result.title}: normalised ΔR shapes and ratios, ${htLabel(bin)}`,
      independent,
      dependent,
    }),
  };
}

export function presentResult(result: PhotonJetsResult, context: PresentContext): Presentation {
  const study = context.study;
  const parts: Part[] = [samplesPart(result, study)];
  result.htBins.forEach((bin, b) => parts.push(htPart(result, study, bin, b)));
  parts.push({
    title: 'Cut flow',
    blocks: result.sets.flatMap((set, s) =>
      set.samples.map((sample, p) => cutFlowTable(study, set.name, sample, s, p))),
  });
  return {
    parts,
    downloads: result.htBins.map((bin, b) => hepdataDownload(result, study, bin, b)),
  };
}
