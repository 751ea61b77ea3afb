import { hepdataTable, type HepdataDependent } from '../core/hepdata.ts';
import type { Block, Download, Part, Presentation, TableBlock } from '../core/presentation.ts';
import type { PresentContext } from '../core/study.ts';
import { htLabel, type HtBin } from './config.ts';
import {
  binNote, binPanels, panelChart, panelDescription, panelShapes, PAIR_LABEL, SHAPE_AXIS,
} from './present-panels.ts';
import type { PhotonJetsResult, SampleResult } from './result.ts';
import { LEVELS, PAIRS } from './selection.ts';

function htPart(result: PhotonJetsResult, study: string, bin: HtBin, b: number): Part {
  const panels = binPanels(result, b);
  const charts = panels.map((panel) => panelChart(`${study}-ht${b}-${panel.level}-${panel.pair}`,
    `${panel.level} ${PAIR_LABEL[panel.pair]}, ${htLabel(bin)}`, panel, result.deltaREdges));
  const selected = result.sets.map((set) => set.samples.reduce((total, sample) =>
    total + sample.cutFlow[sample.cutFlow.length - result.htBins.length + b].raw, 0));
  return {
    title: `Jet separations, ${htLabel(bin)}`,
    columns: 3,
    blocks: [...charts, binNote(panels, selected)],
  };
}

/** Returns the decimals that show `value` to three significant digits (none from 100). */
function significantDigits(value: number): number {
  if (value === 0) return 0;
  return Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
}

/**
 * Lists every cut-flow step of the sets in order: the steps common to all sets once,
 * and a step only some sets have (a generator cut) after the step that precedes it there.
 */
function cutFlowSteps(samples: SampleResult[]): string[] {
  const steps: string[] = [];
  for (const sample of samples) {
    let at = 0;
    for (const { step } of sample.cutFlow) {
      const found = steps.indexOf(step);
      if (found >= 0) at = found + 1;
      else steps.splice(at++, 0, step);
    }
  }
  return steps;
}

/**
 * Builds one table of the cut flows of all samples: per sample the events, the weighted
 * events (σ × ε in pb) and the fraction of the weighted total. A step that a sample does
 * not have is a missing cell.
 */
function cutFlowTable(result: PhotonJetsResult, study: string): TableBlock {
  const columns = result.sets.flatMap((set) => set.samples.map((sample) => ({
    label: set.samples.length === 1 ? set.name : `${set.name}: ${sample.name}`,
    sample,
  })));
  const steps = cutFlowSteps(columns.map(({ sample }) => sample));
  const rows = steps.map((step) => [step, ...columns.flatMap(({ sample }) => {
    const row = sample.cutFlow.find((entry) => entry.step === step);
    if (!row) return [null, null, null];
    const all = sample.cutFlow[0].weighted;
    return [
      row.raw,
      { value: row.weighted, digits: significantDigits(row.weighted) },
      all === 0 ? null : { value: row.weighted / all, digits: 3 },
    ];
  })]);
  return {
    kind: 'table',
    id: `${study}-cutflow`,
    header: [
      ['', ...columns.map(({ label }) => ({ text: label, span: 3 }))],
      ['step', ...columns.flatMap(() => ['events', 'σ × ε (pb)', 'fraction'])],
    ],
    labelColumns: 1,
    rows,
    caption: 'σ × ε: events weighted by genWeight × σ / (sum of genWeight), with σ and the '
      + 'sum of genWeight of each sample as in the samples table; fraction: of the weighted '
      + 'total of all events.',
  };
}

/** Returns the decimals of a number as written in the config, e.g. 2 for 831.76. */
function decimals(value: number): number {
  const text = String(value);
  if (text.includes('e')) return significantDigits(value);
  return (text.split('.')[1] ?? '').length;
}

/** Formats a sum of genWeight to seven significant digits at most. */
function formatSumw(sumw: number): string {
  return String(Number(sumw.toPrecision(7)));
}

function samplesPart(result: PhotonJetsResult, study: string): Part {
  const rows = result.sets.flatMap((set) => set.samples.flatMap((sample) =>
    sample.files.map((file) => [
      set.name, sample.name, file.file, file.entries,
      { value: sample.crossSection, digits: decimals(sample.crossSection) },
      `${formatSumw(file.sumw)} (${file.sumwSource === 'Runs' ? 'Runs tree' : 'events'})`,
      file.htSource === 'LHE_HT' ? 'LHE_HT' : 'GEN jets',
      file.genPhotonSource,
    ])));
  // The set notes and the run's warnings share one note, so that the table and the
  // selection stay on the same slide.
  const remarks = [
    ...result.sets.filter((set) => set.note).map((set) => `${set.name}: ${set.note}`),
    ...result.warnings,
  ].map((remark) => (/[.!?]$/.test(remark) ? remark : `${remark}.`));
  const blocks: Block[] = [];
  if (remarks.length) blocks.push({ kind: 'note', text: remarks.join(' ') });
  blocks.push(
    {
      kind: 'table',
      id: `${study}-samples`,
      title: 'Samples',
      header: [['set', 'sample', 'file', 'events', 'σ (pb)', 'sum of genWeight',
        'HT from', 'GEN photon']],
      labelColumns: 2,
      rows,
    },
    { kind: 'box', title: 'Selection', lines: [...result.selection,
      panelDescription(result.deltaREdges, result.sets[0].name)] },
  );
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

/**
 * Turns the result into a part with the samples and the selection, one part per HT bin
 * (six panels and one note), and one with the cut flows, plus one HEPData table per HT bin.
 */
export function presentResult(result: PhotonJetsResult, context: PresentContext): Presentation {
  const study = context.study;
  const parts: Part[] = [samplesPart(result, study)];
  result.htBins.forEach((bin, b) => parts.push(htPart(result, study, bin, b)));
  parts.push({ title: 'Cut flow', blocks: [cutFlowTable(result, study)] });
  return {
    parts,
    downloads: result.htBins.map((bin, b) => hepdataDownload(result, study, bin, b)),
  };
}
