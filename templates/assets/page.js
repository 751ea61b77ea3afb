// Draws the report page's charts once the shipped fonts are loaded, so that the canvas
// text uses them. Chart.js and its extensions are the UMD builds loaded before this file.
(function () {
  'use strict';
  const bars = globalThis.ChartErrorBars;
  if (bars) {
    Chart.register(bars.BarWithErrorBarsController, bars.BarWithErrorBar,
      bars.LineWithErrorBarsController, bars.PointWithErrorBar,
      bars.ScatterWithErrorBarsController);
  }
  const draw = () => globalThis.ReportCharts.drawPageCharts(Chart);
  if (document.fonts && document.fonts.load) {
    Promise.all([
      document.fonts.load("13px 'Report Sans'"),
      document.fonts.load("bold 16px 'Report Sans'"),
      document.fonts.load("italic 14px 'Report Sans'"),
    ]).then(draw, draw);
  } else {
    draw();
  }
})();
