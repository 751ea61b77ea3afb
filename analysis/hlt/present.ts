import type { Cell, ChartBlock, CmsLabel, Download, Part, TableBlock } from '../core/presentation.ts';
import { hepdataTable } from '../core/hepdata.ts';
import type { CheckChange, CheckFigures, RateFigures } from './figures.ts';
import { shortPathLabels } from './labels.ts';

/** Parts and downloads of the HLT rates study, built from its figures alone. */

/** One colour family per check, one shade per run. */
const CHECK_PALETTES = [
  ['#1f4e99', '#3f6fc0', '#6f95d6', '#a3bde6', '#c9d8f0'],
  ['#b23c17', '#e0642d', '#f08c4f', '#f6b27f', '#fad3b3'],
  ['#2a7a3b', '#44a155', '#70c07e', '#a2d9ab', '#cdebd1'],
  ['#6b3d99', '#8e5fc0', '#b08ad6', '#cfb5e8', '#e6d8f4'],
];
const PALETTE_NAMES = ['blue', 'orange', 'green', 'purple'];
const PATH_COLOURS = ['#222222', '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];
const CHECK_MARKERS = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot'];

export interface PresentOptions {
  /** Id prefix, unique in the report (the study name). */
  id: string;
  cms?: CmsLabel;
  previous?: { report: string; figures: RateFigures };
}

export function presentFigures(figures: RateFigures, options: PresentOptions): { parts: Part[]; downloads: Download[] } {
  const labels = shortPathLabels(figures.paths);
  const parts: Part[] = figures.checks.map((check) => ({
    title: `HLT rates, check of ${check.checked}`,
    blocks: [rateTable(figures, check, options.id)],
  }));
  parts.push({ title: 'Rate per path and run', blocks: [rateBars(figures, labels, options)] });
  parts.push({ title: 'Rate against pile-up', blocks: [rateVsPileup(figures, labels, options)] });
  for (const change of figures.changes) {
    parts.push({
      title: `Change from ${change.from} to ${change.to}`,
      blocks: [changeBars(figures, change, labels, options), changeTable(figures, change, options.id)],
    });
  }
  if (options.previous) parts.push(comparePrevious(figures, options.previous, labels, options));
  return { parts, downloads: figures.checks.map((check) => hepdataDownload(figures, check, options.id)) };
}

/**
 * Builds the table of one check: one row per path and one column per run. The three header
 * rows give the fill (spanning consecutive runs of one fill), the run and its pile-up.
 */
function rateTable(figures: RateFigures, check: CheckFigures, id: string): TableBlock {
  const fills: Array<{ text: string; span: number }> = [];
  for (const run of check.runs) {
    const last = fills.at(-1);
    if (last && last.text === `Fill ${run.fill}`) last.span++;
    else fills.push({ text: `Fill ${run.fill}`, span: 1 });
  }
  const ranges = check.runs.filter((run) => run.lumisections)
    .map((run) => `run ${run.run}: lumisections ${run.lumisections![0]}–${run.lumisections![1]}`);
  return {
    kind: 'table',
    id: `${id}-rates-${check.checked}`,
    title: `Rates in Hz, check of ${check.checked}`,
    header: [
      ['HLT path', ...fills],
      ['', ...check.runs.map((run) => `Run ${run.run}`)],
      ['', ...check.runs.map((run) => `pile-up ${formatNumber(run.pu)}`)],
    ],
    rows: figures.paths.map((path): Cell[] => [path, ...check.rates_hz[path].map((rate) => ({ value: rate, digits: 2 }))]),
    labelColumns: 1,
    caption: `Rates read off the CMS Online Monitoring System on ${check.checked}; pile-up is the run's `
      + `average. ${ranges.length ? `Averaged over ${ranges.join(', ')}.` : 'Whole-run averages.'}`,
  };
}

function rateBars(figures: RateFigures, labels: Record<string, string>, options: PresentOptions): ChartBlock {
  const datasets = figures.checks.flatMap((check, c) => check.runs.map((run, r) => ({
    label: `${run.run} (${check.checked})`,
    data: figures.paths.map((path) => check.rates_hz[path][r]),
    backgroundColor: palette(c)[r % palette(c).length],
    borderWidth: 0,
  })));
  return chart(`${options.id}-bars`, 'Rate per path and run', options, {
    type: 'bar',
    data: { labels: figures.paths.map((path) => labels[path]), datasets },
    options: {
      plugins: { legend: { position: 'top' } },
      scales: { y: { beginAtZero: true, title: { display: true, text: 'Rate (Hz)' } } },
    },
  }, `Bar colours: ${figures.checks.map((check, c) => `${PALETTE_NAMES[c % PALETTE_NAMES.length]} for `
    + `the runs of ${check.checked}`).join(', ')}. Paths by short name; the tables give the full names.`, 900);
}

function rateVsPileup(figures: RateFigures, labels: Record<string, string>, options: PresentOptions): ChartBlock {
  const datasets = figures.paths.map((path, p) => {
    const points = figures.checks.flatMap((check, c) => check.runs.map((run, r) => ({
      point: { x: run.pu, y: check.rates_hz[path][r] },
      marker: CHECK_MARKERS[c % CHECK_MARKERS.length],
    })));
    return {
      label: labels[path],
      data: points.map((entry) => entry.point),
      pointStyle: points.map((entry) => entry.marker),
      pointRadius: 5,
      backgroundColor: PATH_COLOURS[p % PATH_COLOURS.length],
      borderColor: PATH_COLOURS[p % PATH_COLOURS.length],
    };
  });
  const pileups = figures.checks.flatMap((check) => check.runs.map((run) => run.pu));
  const margin = Math.max(1, 0.05 * (Math.max(...pileups) - Math.min(...pileups)));
  const markers = figures.checks.map((check, c) => `${CHECK_MARKERS[c % CHECK_MARKERS.length]}s: ${check.checked}`);
  return chart(`${options.id}-pileup`, 'Rate against pile-up', options, {
    type: 'scatter',
    data: { datasets },
    options: {
      plugins: { legend: { position: 'top' } },
      scales: {
        x: {
          min: Math.floor(Math.min(...pileups) - margin),
          max: Math.ceil(Math.max(...pileups) + margin),
          title: { display: true, text: 'Average pile-up' },
        },
        y: { beginAtZero: true, title: { display: true, text: 'Rate (Hz)' } },
      },
    },
  }, `One point per run; ${markers.join(', ')}.`, 900);
}

function changeBars(figures: RateFigures, change: CheckChange, labels: Record<string, string>,
  options: PresentOptions): ChartBlock {
  const reference = labels[figures.reference];
  return chart(`${options.id}-change-${change.from}-${change.to}`, `Rate ratio ${change.to} / ${change.from}`, options, {
    type: 'bar',
    data: {
      labels: change.paths.map((entry) => labels[entry.path]),
      datasets: [
        { label: 'mean rate ratio', data: change.paths.map((entry) => entry.ratio), backgroundColor: '#3f6fc0' },
        {
          label: `ratio relative to ${reference}`,
          data: change.paths.map((entry) => entry.ratio_to_reference),
          backgroundColor: '#e0642d',
        },
      ],
    },
    options: {
      scales: { y: { beginAtZero: true, title: { display: true, text: `Mean rate ${change.to} / ${change.from}` } } },
    },
  }, `Ratio of the mean rates over the runs of each check; the second bar divides it by the ratio `
    + `of the reference path ${figures.reference}.`, 800);
}

function changeTable(figures: RateFigures, change: CheckChange, id: string): TableBlock {
  const number = (value: number | null, digits: number): Cell => (value === null ? null : { value, digits });
  return {
    kind: 'table',
    id: `${id}-change-table-${change.from}-${change.to}`,
    title: `Change of the mean rate from ${change.from} to ${change.to}`,
    header: [
      ['HLT path', { text: 'Mean rate (Hz)', span: 2 }, { text: 'Change', span: 2 },
        { text: `Relative to reference`, span: 2 }, 'Per pile-up'],
      ['', change.from, change.to, 'ratio', '%', 'ratio', '%', 'ratio'],
    ],
    rows: change.paths.map((entry): Cell[] => [
      entry.path === figures.reference ? `${entry.path} (reference)` : entry.path,
      number(entry.from_mean_hz, 2), number(entry.to_mean_hz, 2),
      number(entry.ratio, 2), number(entry.percent, 0),
      number(entry.ratio_to_reference, 2), number(entry.percent_to_reference, 0),
      number(entry.per_pileup_ratio, 2),
    ]),
    labelColumns: 1,
    caption: 'Relative to reference: the path\'s ratio divided by the reference path\'s. '
      + 'Per pile-up: ratio of the mean rates divided by each run\'s average pile-up.',
  };
}

function comparePrevious(figures: RateFigures, previous: { report: string; figures: RateFigures },
  labels: Record<string, string>, options: PresentOptions): Part {
  const now = figures.checks.at(-1)!;
  const then = previous.figures.checks.at(-1);
  const shared = figures.paths.filter((path) => then?.mean_rate_hz[path] !== undefined);
  const title = `Now and in report ${previous.report}`;
  if (!then || shared.length === 0) {
    return { title, blocks: [{ kind: 'note', text: `Report ${previous.report} has no rates of the paths shown here.` }] };
  }
  return {
    title,
    blocks: [chart(`${options.id}-previous`, `Mean rate now and in report ${previous.report}`, options, {
      type: 'bar',
      data: {
        labels: shared.map((path) => labels[path]),
        datasets: [
          { label: `${previous.report}: ${then.checked}`, data: shared.map((path) => then.mean_rate_hz[path]), backgroundColor: '#a3bde6' },
          { label: `now: ${now.checked}`, data: shared.map((path) => now.mean_rate_hz[path]), backgroundColor: '#1f4e99' },
        ],
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'Mean rate (Hz)' } } } },
    }, 'Mean over the runs of the latest check of each report.', 800)],
  };
}

/** HEPData table of one check: independent variable the run, one dependent variable per path. */
function hepdataDownload(figures: RateFigures, check: CheckFigures, id: string): Download {
  const runOrder = (values: number[]) => values.map(formatNumber).join(', ');
  const fills = [...new Set(check.runs.map((run) => run.fill))];
  const content = hepdataTable({
    description: `HLT path rates per run, read off the CMS Online Monitoring System on ${check.checked}.\n`
      + 'The Fill and Average pile-up qualifiers list the values of the runs in the order of the Run column.',
    independent: [{ header: { name: 'Run' }, values: check.runs.map((run) => run.run) }],
    dependent: figures.paths.map((path) => ({
      header: { name: `Rate of ${path}`, units: 'Hz' },
      qualifiers: [
        { name: 'Trigger path', value: path },
        { name: 'Check date', value: check.checked },
        { name: 'Fill', value: fills.length === 1 ? fills[0] : runOrder(check.runs.map((run) => run.fill)) },
        { name: 'Average pile-up', value: runOrder(check.runs.map((run) => run.pu)) },
        ...(check.runs.some((run) => run.lumisections) ? [{
          name: 'Lumisections',
          value: check.runs.map((run) => (run.lumisections ? run.lumisections.join('-') : 'all')).join(', '),
        }] : []),
      ],
      values: check.rates_hz[path],
    })),
  });
  return { name: `${id}-${check.checked}.hepdata.yaml`, label: `HEPData table, check of ${check.checked}`, content };
}

function chart(id: string, title: string, options: PresentOptions, config: Record<string, unknown>,
  caption: string, width = 640): ChartBlock {
  return { kind: 'chart', id, title, chart: config, width, height: 420, caption, ...(options.cms ? { cms: options.cms } : {}) };
}

function palette(check: number): string[] {
  return CHECK_PALETTES[check % CHECK_PALETTES.length];
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
