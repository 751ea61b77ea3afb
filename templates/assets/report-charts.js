// Chart styling shared by the browser page and the server renderers (PNG and SVG), so that
// one chart definition draws the same picture everywhere. Written as a classic script
// without imports or exports: a page opened from disk (file://) cannot load ES modules,
// and Node imports the file for its side effect and reads `globalThis.ReportCharts`.
(function () {
  'use strict';

  // 'Report Sans' is the shipped DejaVu Sans, registered under this name by the renderers
  // and by the page's @font-face rules.
  const FONT_FAMILY = "'Report Sans', 'DejaVu Sans', Arial, sans-serif";
  const BASE_FONT_SIZE = 13;
  const AXIS_TITLE_SIZE = 14;
  const CMS_LABEL_SIZE = 16;
  const MIN_CMS_LABEL_SIZE = 10;
  /**
   * Below this viewport width (CSS pixels), a phone held upright, page charts get a
   * taller shape, smaller text and no side legend. The viewport decides, not the chart's
   * frame: two charts side by side in a wide window have narrow frames but the room of
   * a desktop screen, and their text stays at full size.
   */
  const NARROW_VIEWPORT = 600;
  /** Width over height of a chart on a narrow screen, at most: taller than wide. */
  const NARROW_ASPECT = 0.8;
  /** Factor on the text sizes of a chart on a narrow screen. */
  const NARROW_TEXT = 0.85;
  /** Room above the legend for the CMS label line, in CSS pixels. */
  const LABEL_HEIGHT = 26;
  const INK = '#000000';

  // Colour-blind-safe sequence recommended for CMS plots (the "Petroff" 6-colour set).
  const PALETTE = ['#5790fc', '#f89c20', '#e42536', '#964a8b', '#9c9ca1', '#7a21dd'];

  // Viridis, sampled at 9 points, for matrix heat maps given without colours.
  const VIRIDIS = [
    [68, 1, 84], [72, 40, 120], [62, 73, 137], [49, 104, 142], [38, 130, 142],
    [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37],
  ];

  function viridis(fraction) {
    const t = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    const position = t * (VIRIDIS.length - 1);
    const low = Math.floor(position);
    const high = Math.min(VIRIDIS.length - 1, low + 1);
    const weight = position - low;
    const channel = (i) => Math.round(VIRIDIS[low][i] * (1 - weight) + VIRIDIS[high][i] * weight);
    return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
  }

  function withAlpha(hex, alpha) {
    const value = parseInt(hex.slice(1), 16);
    return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
  }

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  /** Fills `target` with every key of `defaults` it lacks, recursively; returns `target`. */
  function fillDefaults(target, defaults) {
    for (const [key, value] of Object.entries(defaults)) {
      if (!(key in target)) target[key] = value;
      else if (isObject(target[key]) && isObject(value)) fillDefaults(target[key], value);
    }
    return target;
  }

  /** Draws "CMS <extra>" top left and "<period> (<energy>)" top right, and a frame. */
  const cmsLabelPlugin = {
    id: 'cmsLabel',
    afterDraw(chart, _args, options) {
      const area = chart.chartArea;
      if (!area) return;
      const ctx = chart.ctx;
      ctx.save();
      if (options.frame !== false) {
        ctx.strokeStyle = INK;
        ctx.lineWidth = 1;
        ctx.strokeRect(area.left, area.top, area.right - area.left, area.bottom - area.top);
      }
      if (options.display !== false) {
        const baseline = Math.max(CMS_LABEL_SIZE, (chart.options.layout?.padding?.top ?? 0) - 6);
        const right = [options.period, options.energy ? `(${options.energy})` : '']
          .filter(Boolean).join(' ');
        // On a narrow chart both labels shrink together until they fit side by side.
        const fonts = (size) => ({
          cms: `bold ${size}px ${FONT_FAMILY}`,
          extra: `italic ${size - 2}px ${FONT_FAMILY}`,
          right: `${size - 2}px ${FONT_FAMILY}`,
        });
        const widths = (size) => {
          const font = fonts(size);
          ctx.font = font.cms;
          const cms = ctx.measureText('CMS ').width;
          ctx.font = font.extra;
          const extra = options.extra ? ctx.measureText(options.extra).width : 0;
          ctx.font = font.right;
          const rightWidth = right ? ctx.measureText(right).width : 0;
          return { cms, total: cms + extra + rightWidth + size };
        };
        let size = CMS_LABEL_SIZE;
        while (size > MIN_CMS_LABEL_SIZE && widths(size).total > area.right - area.left) size -= 1;
        const font = fonts(size);
        ctx.fillStyle = INK;
        ctx.textBaseline = 'alphabetic';
        ctx.textAlign = 'left';
        ctx.font = font.cms;
        ctx.fillText('CMS', area.left, baseline);
        if (options.extra) {
          const cmsWidth = widths(size).cms;
          ctx.font = font.extra;
          ctx.fillText(options.extra, area.left + cmsWidth, baseline);
        }
        if (right) {
          ctx.textAlign = 'right';
          ctx.font = font.right;
          ctx.fillText(right, area.right, baseline);
        }
      }
      ctx.restore();
    },
  };

  /** Paints the canvas white below the chart, so that exported images are not transparent. */
  const whiteBackgroundPlugin = {
    id: 'whiteBackground',
    beforeDraw(chart) {
      const ctx = chart.ctx;
      ctx.save();
      ctx.globalCompositeOperation = 'destination-over';
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    },
  };

  function styleScale(scale) {
    fillDefaults(scale, {
      border: { display: true, color: INK, width: 1 },
      grid: { drawOnChartArea: false, drawTicks: true, tickLength: 6, color: INK },
      ticks: { color: INK, font: { size: BASE_FONT_SIZE }, padding: 4 },
    });
    if (scale.title && scale.title.text) {
      fillDefaults(scale.title, {
        display: true,
        align: 'end',
        color: INK,
        font: { size: AXIS_TITLE_SIZE },
      });
    }
  }

  function styleDataset(dataset, index, type) {
    const colour = typeof dataset.borderColor === 'string'
      ? dataset.borderColor : PALETTE[index % PALETTE.length];
    const kind = dataset.type || type;
    if (kind === 'matrix') return;
    const filled = kind === 'bar' || kind === 'barWithErrorBars';
    fillDefaults(dataset, {
      borderColor: colour,
      backgroundColor: filled && colour.startsWith('#') ? withAlpha(colour, 0.75) : colour,
      borderWidth: filled ? 1 : 2,
    });
    if (kind === 'barWithErrorBars' || kind === 'lineWithErrorBars'
      || kind === 'scatterWithErrorBars') {
      fillDefaults(dataset, { errorBarColor: INK, errorBarWhiskerColor: INK });
    }
  }

  // Matrix cells need their size and colour as functions of the drawn chart, which a JSON
  // definition cannot contain. The cell size follows from the number of distinct x and y
  // values, and a missing colour from the cell's `v` on the viridis scale.
  function finishMatrixDataset(dataset) {
    const points = Array.isArray(dataset.data) ? dataset.data : [];
    const xs = new Set(points.map((point) => point.x));
    const ys = new Set(points.map((point) => point.y));
    const values = points.map((point) => Number(point.v)).filter(Number.isFinite);
    const min = values.length ? Math.min(...values) : 0;
    const max = values.length ? Math.max(...values) : 1;
    const span = max - min || 1;
    if (dataset.width === undefined) {
      dataset.width = ({ chart }) => (chart.chartArea ? chart.chartArea.width / xs.size - 1 : 0);
    }
    if (dataset.height === undefined) {
      dataset.height = ({ chart }) => (chart.chartArea ? chart.chartArea.height / ys.size - 1 : 0);
    }
    if (dataset.backgroundColor === undefined) {
      dataset.backgroundColor = (context) => {
        const point = context.dataset.data[context.dataIndex];
        return viridis(point ? (Number(point.v) - min) / span : 0);
      };
    }
    if (dataset.borderWidth === undefined) dataset.borderWidth = 0;
  }

  /**
   * Returns a copy of a JSON chart definition with the report's look added: fonts, axes
   * drawn like a physics plot (frame, outer ticks, axis titles at the axis end), colours
   * for datasets without them, and the CMS label. `label` is `{ extra, period, energy }`
   * or false for no label. Keys already present in the definition are kept.
   */
  function styleChart(definition, label) {
    const config = JSON.parse(JSON.stringify(definition));
    const type = config.type;
    config.options = config.options || {};
    const options = config.options;
    const padding = label === false ? 8 : LABEL_HEIGHT;
    fillDefaults(options, {
      font: { family: FONT_FAMILY, size: BASE_FONT_SIZE },
      color: INK,
      layout: { padding: { top: padding, right: 12, bottom: 4, left: 4 } },
      plugins: {
        legend: {
          position: 'top',
          align: 'end',
          labels: { color: INK, boxWidth: 18, boxHeight: 10,
            font: { family: FONT_FAMILY, size: BASE_FONT_SIZE } },
        },
        tooltip: { intersect: false, mode: 'nearest' },
        cmsLabel: label === false ? { display: false } : {
          extra: label.extra, period: label.period, energy: label.energy,
        },
      },
    });
    if (type !== 'pie' && type !== 'doughnut' && type !== 'radar') {
      options.scales = options.scales || {};
      if (!options.scales.x) options.scales.x = {};
      if (!options.scales.y) options.scales.y = {};
      for (const scale of Object.values(options.scales)) styleScale(scale);
      // Points of a line chart over categories sit mid-category, as bars do, so that the
      // first and last points and their error bars stay clear of the frame.
      const x = options.scales.x;
      if ((type === 'line' || type === 'lineWithErrorBars')
        && (x.type === undefined || x.type === 'category') && x.offset === undefined) {
        x.offset = true;
      }
    }
    // A dataset without a label (a reference line, say) stays out of the legend.
    const legendLabels = options.plugins.legend.labels;
    if (legendLabels && legendLabels.filter === undefined) {
      legendLabels.filter = (item) => Boolean(item.text);
    }
    const datasets = (config.data && config.data.datasets) || [];
    datasets.forEach((dataset, index) => {
      if ((dataset.type || type) === 'matrix') finishMatrixDataset(dataset);
      else styleDataset(dataset, index, type);
    });
    return config;
  }

  /** Draws every `<canvas data-chart="ID">` of the page from `<script id="chart-ID">`. */
  function drawPageCharts(Chart) {
    Chart.defaults.font.family = FONT_FAMILY;
    for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
      const source = document.getElementById(`chart-${canvas.dataset.chart}`);
      if (!source) continue;
      const { chart, label, width, height } = JSON.parse(source.textContent);
      const config = styleChart(chart, label);
      config.options.responsive = true;
      config.options.maintainAspectRatio = true;
      const legend = config.options.plugins.legend;
      const wide = { aspectRatio: width / height, legend: legend.position };
      // A narrow screen gets a taller chart with smaller text, and a legend beside the
      // data moves above it, where it takes no width from the data. The choice is made
      // once, for the viewport width the page has when it is drawn.
      const fonts = [legend.labels.font];
      for (const scale of Object.values(config.options.scales || {})) {
        if (scale.ticks && scale.ticks.font) fonts.push(scale.ticks.font);
        if (scale.title && scale.title.font) fonts.push(scale.title.font);
      }
      const sizes = fonts.map((font) => font.size);
      const adapt = (options, viewportWidth, frameWidth) => {
        const narrow = viewportWidth < NARROW_VIEWPORT;
        // Text keeps its size in a frame narrower than the drawing, so the chart keeps
        // its drawing height there (down to NARROW_ASPECT) instead of squeezing the data.
        const kept = frameWidth < width ? Math.max(frameWidth / height, NARROW_ASPECT) : Infinity;
        options.aspectRatio = narrow ? Math.min(wide.aspectRatio, NARROW_ASPECT)
          : Math.min(wide.aspectRatio, kept);
        const side = wide.legend === 'left' || wide.legend === 'right';
        options.plugins.legend.position = narrow && side ? 'top' : wide.legend;
        fonts.forEach((font, i) => {
          if (typeof sizes[i] === 'number') font.size = narrow ? sizes[i] * NARROW_TEXT : sizes[i];
        });
      };
      adapt(config.options, document.documentElement.clientWidth || globalThis.innerWidth,
        canvas.parentElement ? canvas.parentElement.clientWidth : width);
      // No animation: a chart shows its values at once, and screenshots are stable.
      config.options.animation = false;
      config.plugins = [cmsLabelPlugin, whiteBackgroundPlugin];
      // The canvas stays hidden until here, so that readers without JavaScript see no
      // empty box; it must be shown before Chart.js measures it.
      canvas.closest('figure')?.classList.add('chart-drawn');
      new Chart(canvas, config);
    }
  }

  globalThis.ReportCharts = {
    FONT_FAMILY, cmsLabelPlugin, whiteBackgroundPlugin, styleChart, drawPageCharts, viridis,
  };
})();
