// Builds the folders a report build leaves behind (content/, results/, _site/) in a
// temporary root, so publishing and archiving can be tested without running studies.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export async function makeRoot(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `${prefix}-`));
}

async function put(root: string, path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export interface ReportTreeOptions {
  /** Extra pages under `_site/<report>/pages/`, to make a copy take longer. */
  pages?: number;
  /** Text that differs between two builds of the same report. */
  edition?: string;
}

/** Writes a small built report with one study, its kept model and two input files. */
export async function writeReportTree(root: string, report: string,
  options: ReportTreeOptions = {}): Promise<void> {
  const edition = options.edition ?? 'first';
  const sample = 'pt,eta\n41.2,0.53\n87.9,-1.22\n';
  const events = 'run,lumi,event\n357329,12,100345\n';
  await put(root, `content/${report}/report.yaml`, `title: Report ${report}\nstudies: [cuts.yaml]\n`);
  await put(root, `content/${report}/cuts.yaml`, 'kind: cut-importance\nname: cuts\n');
  await put(root, `content/${report}/data/sample.csv`, sample);
  await put(root, 'samples/events.csv', events);

  await put(root, `results/${report}/cuts.json`,
    JSON.stringify({ key: 'k1', backend: 'wasm', steps: [{ name: 'Cut 1', auc: 0.7446 }] }));
  await put(root, `results/${report}/cuts/model.json`, JSON.stringify({ weights: [0.5, -1.25] }));
  await put(root, `results/${report}/inputs.json`, JSON.stringify({
    report,
    studies: [{
      study: 'cuts', kind: 'cut-importance', config: `content/${report}/cuts.yaml`, key: 'k1',
      inputs: [
        { path: `content/${report}/data/sample.csv`, size: sample.length, sha256: sha256(sample) },
        { path: 'samples/events.csv', size: events.length, sha256: sha256(events) },
      ],
    }],
  }));

  await put(root, `_site/${report}/index.html`, `<h1>Report ${report}, ${edition} edition</h1>\n`);
  await put(root, `_site/${report}/slides.pdf`, Buffer.from(`%PDF-1.7 ${edition}\n`));
  await put(root, `_site/${report}/data/cuts.json`, JSON.stringify({ edition }));
  await put(root, `_site/${report}/charts/auc.svg`, `<svg><title>${edition}</title></svg>`);
  for (let page = 0; page < (options.pages ?? 0); page++) {
    await put(root, `_site/${report}/pages/${String(page).padStart(4, '0')}.html`,
      `<p>page ${page}, ${edition} edition</p>\n`);
  }
}
