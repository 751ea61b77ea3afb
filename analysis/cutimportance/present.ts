import type { PresentContext } from '../core/study.ts';
import type { Block, Cell, Part, Presentation } from '../core/presentation.ts';
import { describeTrainingCount, type CutImportanceResult, type StepResult } from './result.ts';

const AUC_DIGITS = 4;

/** Palette of the step curves: distinguishable in print, in step order. */
const COLOURS = ['#3f90da', '#ffa90e', '#bd1f01', '#94a4a2', '#832db6', '#a96b59', '#e76300',
  '#b9ac70', '#717581', '#92dadd'];

const auc = (value: number): Cell => ({ value, digits: AUC_DIGITS });

function aucTable(result: CutImportanceResult, id: string): Block {
  const trainings = Math.max(...result.steps.map((step) => step.trainings.length));
  const header = ['Cut step', 'Added variable',
    ...Array.from({ length: trainings }, (_, t) => `AUC (${t + 1})`), 'Mean', 'Spread'];
  const rows = result.steps.map((step) => [
    step.name,
    step.added.length > 0 ? step.added.join(', ') : '(base inputs)',
    ...Array.from({ length: trainings }, (_, t) => (step.trainings[t] ? auc(step.trainings[t].auc) : null)),
    auc(step.mean),
    step.std === null ? null : auc(step.std),
  ]);
  return {
    kind: 'table',
    id: `${id}-auc`,
    title: 'ROC AUC per cut step',
    header: [header],
    rows,
    labelColumns: 2,
    caption: 'Each step adds its variables to the inputs of the previous one, without cutting ' +
      `on them. ${spreadSentence(result)}`,
  };
}

/** Says what the spread is, for the trainings per step that the result has. */
function spreadSentence(result: CutImportanceResult): string {
  const counts = result.steps.map((step) => step.trainings.length);
  const least = Math.min(...counts);
  const most = Math.max(...counts);
  if (most === 1) return 'One training per step, so there is no spread (–).';
  if (least === most) return `Spread: sample standard deviation of the ${most} trainings of each step.`;
  const single = least === 1 ? '; – for a step with one training, which has no spread' : '';
  return `Spread: sample standard deviation of the trainings of each step ` +
    `(${describeTrainingCount(counts)})${single}.`;
}

function aucChart(result: CutImportanceResult, id: string, previous?: CutImportanceResult,
  previousReport?: string): Block {
  // A step with one training has no spread, so its error bar has zero length.
  const point = (step: StepResult) => ({
    y: step.mean, yMin: step.mean - (step.std ?? 0), yMax: step.mean + (step.std ?? 0),
  });
  const datasets: Array<Record<string, unknown>> = [{
    label: previous ? 'this report' : 'mean of the trainings',
    data: result.steps.map(point),
    borderColor: COLOURS[0],
    backgroundColor: COLOURS[0],
  }];
  if (previous) {
    datasets.push({
      label: previousReport ?? 'previous report',
      data: result.steps.map((step) => {
        const old = previous.steps.find((candidate) => candidate.name === step.name);
        return old ? point(old) : null;
      }),
      borderColor: COLOURS[1],
      backgroundColor: COLOURS[1],
      borderDash: [6, 4],
    });
  }
  return {
    kind: 'chart',
    id: `${id}-auc-by-step`,
    title: 'ROC AUC against cut step',
    chart: {
      type: 'lineWithErrorBars',
      // Two-line tick labels: the step, then what it adds.
      data: { labels: result.steps.map((step) => (step.added.length > 0
        ? [step.name, `+ ${step.added.join(', ')}`] : [step.name])), datasets },
      options: {
        plugins: { legend: { display: datasets.length > 1 } },
        scales: {
          x: { title: { display: true, text: 'Cut step' } },
          y: { title: { display: true, text: 'ROC AUC' } },
        },
      },
    },
    caption: result.steps.every((step) => step.std === null)
      ? 'One training per step, so there are no error bars.'
      : 'Error bars: sample standard deviation of the trainings of each step' +
        (result.steps.some((step) => step.std === null) ? ' (none for a step with one training).' : '.'),
  };
}

/** ROC curves of the first training of each step, when the result has them. */
function rocChart(result: CutImportanceResult, id: string): Block | undefined {
  const curves = result.steps
    .map((step, index) => ({ step, index, roc: step.trainings[0]?.roc }))
    .filter((entry) => entry.roc);
  if (curves.length === 0) return undefined;
  return {
    kind: 'chart',
    id: `${id}-roc`,
    title: 'ROC curves per cut step',
    chart: {
      type: 'scatter',
      data: {
        datasets: curves.map(({ step, index, roc }) => ({
          label: `${step.name} (AUC ${step.trainings[0].auc.toFixed(AUC_DIGITS)})`,
          data: roc!.signalEfficiency.map((x, i) => ({ x, y: roc!.backgroundRejection[i] })),
          showLine: true,
          pointRadius: 0,
          borderWidth: 1.5,
          borderColor: COLOURS[index % COLOURS.length],
          backgroundColor: COLOURS[index % COLOURS.length],
        })),
      },
      options: {
        scales: {
          x: { min: 0, max: 1, title: { display: true, text: 'Signal efficiency' } },
          y: { min: 0, max: 1, title: { display: true, text: 'Background rejection' } },
        },
      },
    },
    caption: `First training (seed ${result.steps[0].trainings[0].seed ?? '?'}) of each step, ` +
      'on its evaluation events.',
  };
}

function networkBox(result: CutImportanceResult): Block {
  const model = result.model;
  const lines = [
    `Dense network: ${result.steps.at(-1)?.inputs.length ?? '?'} inputs at most, hidden ` +
      `layers ${model.hiddenLayers.join(' x ')} (${model.activation}), dropout ${model.dropout}, ` +
      `${model.output} output`,
    `Optimizer ${model.optimizer}${model.learningRate ? ` (learning rate ${model.learningRate})` : ''}, ` +
      `loss ${model.loss}, batch size ${model.batchSize}`,
  ];
  if (model.epochs) {
    lines.push(`At most ${model.epochs} epochs; early stopping after ${model.patience} epochs ` +
      `without a lower loss on ${Math.round((model.validationFraction ?? 0) * 100)}% of the ` +
      'training events held out, best epoch kept');
  }
  if (model.classWeight) lines.push(`Class weights: ${model.classWeight}`);
  lines.push(...result.strategy);
  if (result.backend) lines.push(`tfjs backend: ${result.backend}`);
  lines.push(`Base inputs: ${result.baseInputs.join(', ')}`);
  return { kind: 'box', title: 'Network and training strategy', lines };
}

function countsNote(result: CutImportanceResult): Block | undefined {
  const counts = result.steps[0].trainings[0]?.counts;
  if (!counts) return undefined;
  const { training, evaluation, validation } = counts;
  const weighted = (value: number) => String(Number(value.toPrecision(4)));
  const describe = (c: typeof training) => `${c.signal} signal and ${c.background} background events ` +
    `(weighted ${weighted(c.signalWeighted)} and ${weighted(c.backgroundWeighted)})`;
  return {
    kind: 'text',
    markdown: `Training: ${describe(training)}, of which ${validation} held out for early stopping. ` +
      `Evaluation: ${describe(evaluation)}. The same events at every step.`,
  };
}

/** A mean AUC with its spread as error, or without one for a step with one training. */
function meanCell(step: StepResult): Cell {
  return step.std === null ? { value: step.mean, digits: AUC_DIGITS }
    : { value: step.mean, digits: AUC_DIGITS, error: step.std };
}

function comparisonTable(result: CutImportanceResult, previous: CutImportanceResult,
  previousReport: string, id: string): Block {
  const rows = result.steps.map((step) => {
    const old = previous.steps.find((candidate) => candidate.name === step.name);
    const shift = old ? step.mean - old.mean : undefined;
    return [
      step.name,
      step.added.join(', ') || '(base inputs)',
      old ? meanCell(old) : null,
      meanCell(step),
      shift === undefined ? null : { value: shift, digits: AUC_DIGITS },
    ] as Cell[];
  });
  return {
    kind: 'table',
    id: `${id}-auc-change`,
    title: `Mean AUC per step: ${previousReport} and now`,
    header: [['Cut step', 'Added variable', previousReport, 'now', 'change']],
    rows,
    labelColumns: 2,
    caption: 'Steps are matched by name; mean +- sample standard deviation of the trainings.',
  };
}

/** Turns a result (computed or archived) into the table, charts and box the report shows. */
export function presentResult(result: CutImportanceResult, context: PresentContext): Presentation {
  const id = context.study;
  const previous = context.previous?.result as CutImportanceResult | undefined;
  const previousReport = context.previous?.report;

  const tableBlocks: Block[] = [aucTable(result, id)];
  if (result.archived) {
    tableBlocks.push({ kind: 'note', text: `Archived result (${result.archived.source}), ` +
      `not recomputed: ${result.signal ?? 'signal'}${result.year ? `, ${result.year}` : ''}.` });
  }
  const counts = countsNote(result);
  if (counts) tableBlocks.push(counts);
  const parts: Part[] = [{ title: 'ROC AUC per cut step', blocks: tableBlocks }];

  const chartBlocks = [aucChart(result, id, previous, previousReport), rocChart(result, id)]
    .filter((block): block is Block => block !== undefined);
  parts.push({ title: 'ROC AUC against cut step', blocks: chartBlocks, columns: chartBlocks.length });

  if (previous && previousReport && Array.isArray(previous.steps)) {
    parts.push({ title: `Change since ${previousReport}`,
      blocks: [comparisonTable(result, previous, previousReport, id)] });
  }
  parts.push({ title: 'Network and training', blocks: [networkBox(result)] });
  if (result.notTested?.length) {
    parts[parts.length - 1].blocks.push({ kind: 'text',
      markdown: `Candidates not tested: ${result.notTested.join(', ')}.` });
  }
  return { parts };
}
