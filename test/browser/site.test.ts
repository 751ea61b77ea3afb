// Drives headless Chromium (the Debian `chromium` package) through playwright-core
// against the site built from the fixture reports and served on 127.0.0.1 under a
// sub-path, as a personal web area would serve it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildSite } from '../../analysis/render/site.ts';
import { fixtureReports } from '../fixtures/render/reports.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PREFIX = '/user/r/report/';
const SCREENSHOTS = join('test-output', 'browser');
const skip = existsSync(CHROMIUM) ? false
  : `chromium not found at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.png': 'image/png', '.ttf': 'font/ttf', '.json': 'application/json', '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8', '.yaml': 'text/plain; charset=utf-8',
};

let siteDir = '';
let profileDir = '';
let server: Server;
let origin = '';
let context: BrowserContext;

/** Serves siteDir under PREFIX only; everything else is a 404. */
function serve(root: string): Promise<Server> {
  const httpServer = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith(PREFIX)) {
      response.writeHead(404).end('outside the site prefix');
      return;
    }
    let path = normalize(join(root, decodeURIComponent(url.pathname.slice(PREFIX.length))));
    if (!path.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
      const body = await readFile(path);
      response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve(httpServer)));
}

before(async () => {
  if (skip) return;
  siteDir = await mkdtemp(join(tmpdir(), 'report-site-'));
  profileDir = await mkdtemp(join(tmpdir(), 'report-chromium-'));
  await buildSite(fixtureReports, siteDir);
  // The pipeline writes these files. The test writes stand-ins, so that the links resolve.
  for (const report of fixtureReports) {
    const folder = join(siteDir, report.name);
    await mkdir(join(folder, 'data'), { recursive: true });
    await writeFile(join(folder, 'slides.pdf'), '%PDF-1.4\n');
    for (const section of report.sections) {
      if (section.resultsLink) await writeFile(join(folder, section.resultsLink), '{}');
      for (const download of section.presentation?.downloads ?? []) {
        await writeFile(join(folder, 'data', download.name), download.content);
      }
    }
  }
  server = await serve(siteDir);
  const address = server.address();
  assert.ok(address, 'server is listening');
  assert.ok(typeof address === 'object', 'server listens on a TCP address');
  origin = `http://127.0.0.1:${address.port}`;
  await mkdir(SCREENSHOTS, { recursive: true });
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await context?.close();
  server?.close();
  if (siteDir) await rm(siteDir, { recursive: true, force: true });
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

interface Visit {
  page: Page;
  consoleErrors: string[];
  failed: string[];
  foreign: string[];
}

/** Opens a page and records console errors, failed requests and requests to other hosts. */
async function visit(path: string, width: number): Promise<Visit> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 900 });
  const visited: Visit = { page, consoleErrors: [], failed: [], foreign: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') visited.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => visited.consoleErrors.push(error.message));
  // Every request is routed: one for another host is recorded and aborted.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
    visited.foreign.push(url);
    return route.abort();
  });
  page.on('requestfailed', (request) => visited.failed.push(request.url()));
  page.on('response', (response) => {
    if (response.status() >= 400) visited.failed.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${origin}${PREFIX}${path}`, { waitUntil: 'networkidle' });
  return visited;
}

// Scripts evaluated in the page. They are strings because this project type-checks
// without the DOM library.

/** Per canvas on the page: its chart id and how many pixels are not near white. */
const CANVAS_INK = `[...document.querySelectorAll('canvas[data-chart]')].map((canvas) => {
  const context = canvas.getContext('2d');
  if (!context || canvas.width === 0 || canvas.height === 0) {
    return { id: canvas.dataset.chart, ink: 0 };
  }
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] > 0 && (pixels[i] < 200 || pixels[i + 1] < 200 || pixels[i + 2] < 200)) {
      ink += 1;
    }
  }
  return { id: canvas.dataset.chart, ink };
})`;

const HORIZONTAL_OVERFLOW =
  'document.documentElement.scrollWidth - document.documentElement.clientWidth';

const pages = ['index.html', ...fixtureReports.map((report) => `${report.name}/index.html`)];

for (const path of pages) {
  test(`page ${path} loads cleanly`, { skip }, async () => {
    const { page, consoleErrors, failed, foreign } = await visit(path, 1280);
    assert.deepEqual(consoleErrors, [], 'console errors');
    assert.deepEqual(failed, [], 'failed requests');
    assert.deepEqual(foreign, [], 'requests to other hosts');
    const name = path.replace(/\/index\.html$|\.html$/, '').replace(/\//g, '_') || 'index';
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-1280.png`), fullPage: true });
    await page.close();
  });

  test(`page ${path} fits 375 px`, { skip }, async () => {
    const { page, consoleErrors } = await visit(path, 375);
    assert.deepEqual(consoleErrors, []);
    const overflow = await page.evaluate<number>(HORIZONTAL_OVERFLOW);
    assert.ok(overflow <= 0, `page is ${overflow} px wider than the 375 px viewport`);
    const name = path.replace(/\/index\.html$|\.html$/, '').replace(/\//g, '_') || 'index';
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-375.png`), fullPage: true });
    await page.close();
  });
}

for (const report of fixtureReports) {
  test(`charts of ${report.name} are drawn`, { skip }, async () => {
    const { page } = await visit(`${report.name}/index.html`, 1280);
    const expected = report.sections.flatMap((section) => (section.presentation?.parts ?? [])
      .flatMap((part) => part.blocks.filter((block) => block.kind === 'chart')
        .map((block) => block.id)));
    await page.waitForFunction(
      `document.querySelectorAll('figure.chart-drawn').length === ${expected.length}`);
    const ink = await page.evaluate<Array<{ id: string; ink: number }>>(CANVAS_INK);
    assert.deepEqual(ink.map((canvas) => canvas.id), expected);
    for (const canvas of ink) assert.ok(canvas.ink > 500, `canvas '${canvas.id}' is blank`);
    await page.close();
  });
}

/** Per drawn chart: its id, its aspect ratio on the page and the one its block gives. */
const CHART_SHAPES = `[...document.querySelectorAll('canvas[data-chart]')].map((canvas) => {
  const source = JSON.parse(document.getElementById('chart-' + canvas.dataset.chart).textContent);
  const options = Chart.getChart(canvas).options;
  return { id: canvas.dataset.chart, drawn: options.aspectRatio,
    legendFont: options.plugins.legend.labels.font.size, width: source.width, height: source.height, frame: canvas.parentElement.clientWidth };
})`;

interface ChartShape {
  id: string;
  drawn: number;
  legendFont: number;
  width: number;
  height: number;
  frame: number;
}

/** The aspect ratio report-charts.js must give a chart, for the viewport it is in. */
function expectedAspect(shape: ChartShape, narrow: boolean): number {
  const aspect = shape.width / shape.height;
  if (narrow) return Math.min(aspect, 0.8);
  // A frame narrower than the drawing keeps the drawing's height, down to 0.8.
  return shape.frame < shape.width ? Math.min(aspect, Math.max(shape.frame / shape.height, 0.8))
    : aspect;
}

test('page charts follow viewport width', { skip }, async () => {
  for (const [width, narrow] of [[1280, false], [375, true]] as const) {
    const { page } = await visit(`${fixtureReports[0].name}/index.html`, width);
    await page.waitForFunction("document.querySelectorAll('figure.chart-drawn').length > 0");
    const shapes = await page.evaluate<ChartShape[]>(CHART_SHAPES);
    assert.ok(shapes.length > 0);
    if (!narrow) {
      assert.ok(shapes.some((shape) => shape.frame < 560), 'no chart frame under 560 px at 1280');
    }
    for (const shape of shapes) {
      const expected = expectedAspect(shape, narrow);
      assert.ok(Math.abs(shape.drawn - expected) < 1e-6,
        `${shape.id} at ${width} px: aspect ratio ${shape.drawn}, expected ${expected}`);
      // 13 px is the base font size of report-charts.js, 0.85 its factor on a phone.
      const font = narrow ? 13 * 0.85 : 13;
      assert.ok(Math.abs(shape.legendFont - font) < 1e-6,
        `${shape.id} at ${width} px: legend font ${shape.legendFont} px, expected ${font}`);
    }
    await page.close();
  }
});

test('text cells wrap to fit the page', { skip }, async () => {
  const { page } = await visit(`${fixtureReports[1].name}/index.html`, 1280);
  const table = await page.evaluate<{ scroll: number; client: number; lines: number;
    indent: string; missing: string }>(`(() => {
    const figure = document.getElementById('leading-inputs');
    const frame = figure.querySelector('.table-scroll');
    const cell = figure.querySelector('tbody td');
    const lineHeight = parseFloat(getComputedStyle(cell).lineHeight);
    const label = figure.querySelectorAll('tbody th')[1];
    return { scroll: frame.scrollWidth, client: frame.clientWidth,
      lines: Math.round((cell.clientHeight - 8) / lineHeight),
      indent: label.textContent, missing: figure.querySelectorAll('tbody tr')[1].children[2].textContent };
  })()`);
  assert.ok(table.scroll <= table.client, `table is ${table.scroll} px wide in ${table.client} px`);
  assert.ok(table.lines >= 2, `a text cell has ${table.lines} line(s)`);
  assert.ok(table.indent.startsWith('  of which'), `label reads '${table.indent}'`);
  assert.equal(table.missing, '–');
  await page.close();
});

test('raw HTML in bullets renders as text', { skip }, async () => {
  const { page } = await visit(`${fixtureReports[0].name}/index.html`, 1280);
  const text = await page.textContent('#delta-r');
  assert.ok(text?.includes('<script>alert("x")</script>'));
  assert.equal(await page.$$eval('#delta-r b', (elements) => elements.length), 0);
  assert.equal(await page.$$eval('main script:not([type])', (elements) => elements.length), 0);
  await page.close();
});

test('report page links slides and data', { skip }, async () => {
  const { page } = await visit(`${fixtureReports[0].name}/index.html`, 1280);
  const links = await page.$$eval('a[href]', (anchors) =>
    anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
  assert.ok(links.includes('slides.pdf'));
  assert.ok(links.includes('data/cut-importance.json'));
  assert.ok(links.includes('data/cut-importance.hepdata.yaml'));
  for (const link of links) {
    assert.ok(!/^[a-z]+:\/\//i.test(link), `link ${link} names a host`);
    assert.ok(!link.startsWith('/'), `link ${link} is absolute`);
  }
  await page.close();
});

test('index lists reports newest first', { skip }, async () => {
  const { page } = await visit('index.html', 1280);
  const hrefs = await page.$$eval('.report-link', (anchors) =>
    anchors.map((anchor) => anchor.getAttribute('href')));
  assert.deepEqual(hrefs, ['2022-09/index.html', '2022-08/index.html']);
  await page.close();
});

test('report page works from disk', { skip }, async () => {
  const page = await context.newPage();
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  await page.goto(`file://${join(siteDir, fixtureReports[0].name, 'index.html')}`);
  await page.waitForFunction("document.querySelectorAll('figure.chart-drawn').length > 0");
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign, []);
  await page.close();
});
