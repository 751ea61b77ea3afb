/**
 * Presentation of a Taylor-importance result: two compact tables of the leading inputs and
 * pairs of every cut step, then per step a horizontal bar chart of the first-order values
 * and a heat map of the second-order values. Each part shows two steps, so that a slide
 * draws two charts large enough for 20 to 30 input names to stay readable.
 */
import type { PresentContext } from '../core/study.ts';
import type {
  Block, Cell, ChartBlock, Part, Presentation, TableBlock,
} from '../core/presentation.ts';
import type {
  RankedInput, RankedPair, StepTaylor, TaylorImportanceResult,
} from '../studies/taylor-importance.ts';

/** Leading inputs and pairs per step in the ranking tables. The result keeps `top` of each. */
export const SHOWN_RANKS = 5;
/** Cut steps per part, so that a slide draws two charts side by side. */
export const STEPS_PER_PART = 2;

/**
 * Font sizes in CSS pixels of the input names on the bar charts and on the heat maps. The
 * slides draw a chart's text at no less than 0.75 of its CSS size (MIN_CHART_SCALE in
 * analysis/render/slides.ts), so the names are at least 9 pt and 7.5 pt there.
 */
const BAR_FONT_SIZE = 12;
const HEAT_MAP_FONT_SIZE = 10;
/** CSS pixels per input along the input axis, and the room of the names and axis titles. */
const BAR_PITCH = 16;
const BAR_CHART_FRAME = 140;
const BAR_CHART_WIDTH = 560;
const CELL_PITCH = 15;
const HEAT_MAP_FRAME = 180;

/** Bar outline and fill of the inputs a step had before, and of the inputs it adds. */
const OLD_INPUT = { border: '#5790fc', fill: 'rgba(87, 144, 252, 0.75)' };
const ADDED_INPUT = { border: '#f89c20', fill: 'rgba(248, 156, 32, 0.75)' };

const NBSP = '\u00a0';

function symbol(result: TaylorImportanceResult, order: 1 | 2): string {
  const t = order === 1 ? 't_i' : 't_ij';
  return result.absolute ? `|${t}|` : t;
}

/** Inputs a step adds to those of an earlier step, or none when the step adds all its inputs. */
function addedInputs(step: StepTaylor): string[] {
  return step.added.length < step.inputs.length ? step.added : [];
}

/** A step's name with what it adds, e.g. `Step 3: + m_lv`, for chart titles. */
function stepTitle(step: StepTaylor): string {
  const added = addedInputs(step);
  if (added.length > 0) return `${step.name}: + ${added.join(', ')}`;
  return step.label && step.label !== step.name ? `${step.name}: ${step.label}` : step.name;
}

/** A value in percent with its spread, kept on one line by no-break spaces. */
function percent(entry: { mean: number; std: number }, digits: number): string {
  const value = (100 * entry.mean).toFixed(digits);
  return `${value}${NBSP}±${NBSP}${(100 * entry.std).toFixed(digits)}`;
}

function pairName(pair: RankedPair): string {
  const [a, b] = pair.inputs;
  return a === b ? `${a}²` : `${a} × ${b}`;
}

function ordinal(rank: number): string {
  const suffixes: Record<number, string> = { 1: 'st', 2: 'nd', 3: 'rd' };
  const teen = rank % 100 >= 11 && rank % 100 <= 13;
  return `${rank}${(!teen && suffixes[rank % 10]) || 'th'}`;
}

/** Number of rank columns: the longest ranking of any step, at most SHOWN_RANKS. */
function shownRanks(result: TaylorImportanceResult, of: 'inputs' | 'pairs'): number {
  return Math.min(SHOWN_RANKS, Math.max(1, ...result.steps.map((step) => step.ranking[of].length)));
}

/**
 * Builds the ranking table: one row per step, one column per rank, each cell a name and
 * its value. Only the step column is a label column; the text cells wrap at spaces.
 */
function rankingTable<Entry extends RankedInput | RankedPair>(result: TaylorImportanceResult,
  of: 'inputs' | 'pairs', name: (entry: Entry) => string, digits: number): TableBlock {
  const ranks = shownRanks(result, of);
  const rows: Cell[][] = result.steps.map((step) => {
    const entries = step.ranking[of] as Entry[];
    const cells = Array.from({ length: ranks }, (_, r): Cell =>
      (entries[r] ? `${name(entries[r])} ${percent(entries[r], digits)}` : null));
    const added = addedInputs(step);
    return [added.length > 0 ? `${step.name} (+ ${added.join(', ')})` : step.name, ...cells];
  });
  const order = of === 'inputs' ? 1 : 2;
  const kept = Math.max(...result.steps.map((step) => step.ranking[of].length));
  return {
    kind: 'table',
    id: `${result.from}-taylor-ranking-${of}`,
    title: of === 'inputs' ? `Leading inputs, normalised mean ${symbol(result, 1)} (%)`
      : `Leading pairs, normalised mean ${symbol(result, 2)} (%)`,
    header: [['Step', ...Array.from({ length: ranks }, (_, r) => ordinal(r + 1))]],
    rows,
    labelColumns: 1,
    caption: `Normalised mean ${symbol(result, order)} over all events in percent, ± the ` +
      'standard deviation of the trainings.' +
      (order === 2 ? ' A squared input is the diagonal term, with 1/2.' : '') +
      ` The results JSON keeps the ${kept} leading ${of} of each step.`,
  };
}

/** Largest number of inputs of any step: all charts of the study get the same size. */
function maxInputs(result: TaylorImportanceResult): number {
  return Math.max(1, ...result.steps.map((step) => step.inputs.length));
}

/** Axis range that contains every step's bars and error bars, so that neighbours compare. */
function valueRange(result: TaylorImportanceResult):
  { suggestedMin: number; suggestedMax: number } {
  let low = 0;
  let high = 0;
  for (const step of result.steps) {
    const { mean, std } = step.summary.all.normalisedFirst;
    mean.forEach((value, i) => {
      low = Math.min(low, value - std[i]);
      high = Math.max(high, value + std[i]);
    });
  }
  return { suggestedMin: low, suggestedMax: high };
}

function importanceChart(result: TaylorImportanceResult, step: StepTaylor,
  index: number): ChartBlock {
  const { mean, std } = step.summary.all.normalisedFirst;
  const added = new Set(addedInputs(step));
  const colours = step.inputs.map((input) => (added.has(input) ? ADDED_INPUT : OLD_INPUT));
  const axisTitle = `normalised mean ${symbol(result, 1)}`;
  return {
    kind: 'chart',
    id: `${result.from}-taylor-first-${index}`,
    title: stepTitle(step),
    chart: {
      type: 'barWithErrorBars',
      data: {
        labels: step.inputs,
        datasets: [{
          label: axisTitle,
          data: mean.map((x, i) => ({ x, xMin: x - std[i], xMax: x + std[i] })),
          backgroundColor: colours.map((colour) => colour.fill),
          borderColor: colours.map((colour) => colour.border),
        }],
      },
      options: {
        indexAxis: 'y',
        plugins: { legend: { display: false } },
        scales: {
          x: { beginAtZero: true, ...valueRange(result),
            title: { display: true, text: axisTitle } },
          y: { ticks: { autoSkip: false, font: { size: BAR_FONT_SIZE } } },
        },
      },
    },
    width: BAR_CHART_WIDTH,
    height: BAR_CHART_FRAME + BAR_PITCH * maxInputs(result),
    caption: `Mean of ${step.trainings.length} trainings, error bars ±1 standard deviation; ` +
      'each network\'s values sum to 1.' +
      (added.size > 0 ? ` Orange: the input${added.size > 1 ? 's' : ''} this step adds.` : ''),
  };
}

/** Sequential scale from white to dark blue for |t|, or blue-white-red for signed values. */
function cellColour(value: number, max: number, signed: boolean): string {
  const fraction = max > 0 ? Math.min(Math.abs(value) / max, 1) : 0;
  const mix = (from: number[], to: number[]) =>
    from.map((c, k) => Math.round(c + (to[k] - c) * fraction));
  const white = [255, 255, 255];
  const end = !signed || value >= 0 ? [8, 48, 107] : [165, 15, 21];
  return `rgb(${mix(white, end).join(', ')})`;
}

function hessianChart(result: TaylorImportanceResult, step: StepTaylor, index: number): ChartBlock {
  const values = step.summary.all.normalisedSecond.mean;
  const max = Math.max(...values.flat().map(Math.abs));
  const signed = !result.absolute;
  const points = step.inputs.flatMap((y, i) =>
    step.inputs.map((x, j) => ({ x, y, v: values[i][j] })));
  const ticks = { autoSkip: false, font: { size: HEAT_MAP_FONT_SIZE } };
  // The names take about the same room below the map as beside it, so a square drawing
  // gives square cells; the extra height is the CMS label above the map.
  const side = HEAT_MAP_FRAME + CELL_PITCH * maxInputs(result);
  return {
    kind: 'chart',
    id: `${result.from}-taylor-second-${index}`,
    title: stepTitle(step),
    chart: {
      type: 'matrix',
      data: {
        datasets: [{
          label: `normalised mean ${symbol(result, 2)}`,
          data: points,
          backgroundColor: points.map((point) => cellColour(point.v, max, signed)),
          borderWidth: 0,
        }],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: {
          x: { type: 'category', labels: step.inputs, offset: true, grid: { display: false },
            ticks: { ...ticks, minRotation: 90, maxRotation: 90 } },
          y: { type: 'category', labels: step.inputs, offset: true, grid: { display: false },
            ticks },
        },
      },
    },
    width: side,
    height: side + 20,
    caption: `${symbol(result, 2)}, 1/2 on the diagonal, mean of ${step.trainings.length} ` +
      `trainings; entries i <= j sum to 1; darkest cell ${formatPercent(max)}.`,
  };
}

function formatPercent(value: number): string {
  return `${(100 * value).toFixed(1)} %`;
}

/** Parts of at most STEPS_PER_PART charts each, titled with the steps they show. */
function chartParts(result: TaylorImportanceResult, heading: string,
  chart: (result: TaylorImportanceResult, step: StepTaylor, index: number) => ChartBlock): Part[] {
  const parts: Part[] = [];
  for (let start = 0; start < result.steps.length; start += STEPS_PER_PART) {
    const steps = result.steps.slice(start, start + STEPS_PER_PART);
    const names = steps.map((step) => step.name);
    parts.push({
      title: `${heading}, ${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ` : ''}` +
        `${names[names.length - 1]}`,
      blocks: steps.map((step, k) => chart(result, step, start + k)),
      columns: STEPS_PER_PART,
    });
  }
  return parts;
}

export function presentTaylor(result: TaylorImportanceResult,
  _context: PresentContext): Presentation {
  const units = result.units === 'physical' ? 'physical units' : 'the standardised inputs';
  const method = [...new Set(result.steps.flatMap((s) => s.trainings.map((t) => t.method)))];
  const note: Block = {
    kind: 'text',
    markdown: `Networks of study \`${result.from}\`; derivatives in ${units}, Hessian from the ` +
      `${method.join(' and ')} propagation through the layers (${result.backend} backend).`,
  };
  return {
    parts: [
      { title: 'Leading inputs per cut step',
        blocks: [note, rankingTable<RankedInput>(result, 'inputs', (entry) => entry.input, 1)] },
      { title: 'Leading pairs of inputs per cut step',
        blocks: [rankingTable<RankedPair>(result, 'pairs', pairName, 2)] },
      ...chartParts(result, 'First-order importance', importanceChart),
      ...chartParts(result, 'Second-order importance', hessianChart),
    ],
  };
}
