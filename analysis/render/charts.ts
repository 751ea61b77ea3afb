import { pathToFileURL, fileURLToPath } from 'node:url';
import { GlobalFonts, createCanvas, SvgExportFlag } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import {
  BarWithErrorBarsController, BarWithErrorBar, LineWithErrorBarsController,
  PointWithErrorBar, ScatterWithErrorBarsController,
} from 'chartjs-chart-error-bars';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import type { ChartBlock, CmsLabel } from '../core/presentation.ts';
import { FONT_FACES, FONT_FAMILY_NAME } from './fonts.ts';

/** Drawing size of a chart in CSS pixels when its block gives none. */
export const DEFAULT_CHART_WIDTH = 640;
export const DEFAULT_CHART_HEIGHT = 400;

/** The browser-side styling script, shared so that the page draws the same charts. */
export const CHART_SCRIPT = fileURLToPath(
  new URL('../../templates/assets/report-charts.js', import.meta.url));

interface ChartStyling {
  styleChart(chart: Record<string, unknown>, label: CmsLabel | false): ChartConfiguration;
  cmsLabelPlugin: object;
  whiteBackgroundPlugin: object;
}

let styling: Promise<ChartStyling> | undefined;

/** Registers fonts and Chart.js extensions once, and loads the shared styling script. */
function loadStyling(): Promise<ChartStyling> {
  styling ??= (async () => {
    for (const face of Object.values(FONT_FACES)) {
      const key = GlobalFonts.registerFromPath(face.file, FONT_FAMILY_NAME,
        { weight: face.weight, style: face.style });
      if (!key) throw new Error(`failed to load font ${face.file}`);
    }
    Chart.register(...registerables, BarWithErrorBarsController, BarWithErrorBar,
      LineWithErrorBarsController, PointWithErrorBar, ScatterWithErrorBarsController,
      MatrixController, MatrixElement);
    await import(pathToFileURL(CHART_SCRIPT).href);
    return (globalThis as unknown as { ReportCharts: ChartStyling }).ReportCharts;
  })();
  return styling;
}

/** Returns the label a chart carries: its own, none, or the report's default. */
export function chartLabel(block: ChartBlock, reportLabel?: CmsLabel): CmsLabel | false {
  if (block.cms === false) return false;
  return block.cms ?? reportLabel ?? { extra: '' };
}

export function chartSize(block: ChartBlock): { width: number; height: number } {
  return { width: block.width ?? DEFAULT_CHART_WIDTH, height: block.height ?? DEFAULT_CHART_HEIGHT };
}

interface DrawOptions {
  scale: number;
  label?: CmsLabel;
}

/** Builds the Chart.js configuration for a fixed-size, unanimated server render. */
async function serverConfig(block: ChartBlock, options: DrawOptions): Promise<ChartConfiguration> {
  const { styleChart, cmsLabelPlugin, whiteBackgroundPlugin } = await loadStyling();
  const config = styleChart(block.chart, chartLabel(block, options.label));
  config.options = {
    ...config.options,
    responsive: false,
    animation: false,
    devicePixelRatio: options.scale,
    events: [],
  };
  config.plugins = [...(config.plugins ?? []), cmsLabelPlugin, whiteBackgroundPlugin] as
    ChartConfiguration['plugins'];
  return config;
}

function describe(block: ChartBlock): string {
  return `chart '${block.id}' (${String(block.chart.type ?? 'no type')})`;
}

function drawChart(canvas: unknown, config: ChartConfiguration, block: ChartBlock): Chart {
  try {
    // Chart.js accepts any object with a 2D context when no DOM is present.
    return new Chart(canvas as HTMLCanvasElement, config);
  } catch (error) {
    throw new Error(`failed to draw ${describe(block)}: ${(error as Error).message}`,
      { cause: error });
  }
}

/**
 * Renders a chart block to a PNG. `scale` is the device pixel ratio (default 2), so the
 * image is scale times the block's CSS size. `label` is the report's CMS label, used when
 * the block has none of its own.
 */
export async function renderChartPng(block: ChartBlock,
  options: { scale?: number; label?: CmsLabel } = {}): Promise<Buffer> {
  const scale = options.scale ?? 2;
  const { width, height } = chartSize(block);
  const config = await serverConfig(block, { scale, label: options.label });
  // Created at the CSS size: Chart.js multiplies the canvas by devicePixelRatio itself.
  const canvas = createCanvas(width, height);
  const chart = drawChart(canvas, config, block);
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}

/**
 * Renders a chart block to SVG at its CSS size, with text converted to paths so that
 * the vector image needs no fonts where it is placed (the PDF slides).
 */
export async function renderChartSvg(block: ChartBlock,
  options: { label?: CmsLabel } = {}): Promise<string> {
  const { width, height } = chartSize(block);
  const config = await serverConfig(block, { scale: 1, label: options.label });
  const canvas = createCanvas(width, height, SvgExportFlag.ConvertTextToPaths);
  const chart = drawChart(canvas, config, block);
  try {
    return canvas.getContent().toString('utf8');
  } finally {
    chart.destroy();
  }
}
