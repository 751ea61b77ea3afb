import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/log.ts';
import type { ReportView, SectionView } from '../core/report-view.ts';
import type { ResultEnvelope } from './build.ts';
import type { PlannedReport } from './plan.ts';
import { buildSite } from '../render/site.ts';
import { writeSlides } from '../render/slides.ts';

/** A report whose results are all at hand, ready to render. */
export interface BuiltReport {
  plan: PlannedReport;
  /** Result of each study, by study name. */
  envelopes: Map<string, ResultEnvelope>;
  /** Studies shown from results that are no longer current (kept by --only). */
  stale?: Set<string>;
  /** Folder holding `<study>.json` and the studies' files. */
  resultsDir: string;
  /** Results of the earlier report named by `compare_with`, by study name. */
  previous?: { report: string; results: Map<string, unknown> };
}

/** Renders the site (all reports) and each report's slides and data files into `siteDir`. */
export async function renderReports(built: BuiltReport[], siteDir: string, log: Logger): Promise<void> {
  const views = built.map(reportView);
  await mkdir(siteDir, { recursive: true });
  const started = Date.now();
  await buildSite(views, siteDir);
  for (const [index, report] of built.entries()) {
    const view = views[index];
    const dataDir = join(siteDir, report.plan.name, 'data');
    await mkdir(dataDir, { recursive: true });
    for (const name of report.envelopes.keys()) {
      await cp(join(report.resultsDir, `${name}.json`), join(dataDir, `${name}.json`));
    }
    for (const download of view.sections.flatMap((section) => section.presentation?.downloads ?? [])) {
      await writeFile(join(dataDir, download.name), download.content);
    }
    await writeSlides(view, join(siteDir, report.plan.name, 'slides.pdf'));
  }
  log.info(`rendered ${views.length} report page(s) and slides in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export function reportView(built: BuiltReport): ReportView {
  const { plan } = built;
  const config = plan.config;
  const cms = { extra: config.cms?.extra ?? 'Private Work', period: config.cms?.period, energy: config.cms?.energy };
  const usedIds = new Set<string>();
  const sections: SectionView[] = plan.sections.map((section) => {
    const id = uniqueId(slug(section.config.title), usedIds);
    const view: SectionView = {
      id,
      title: section.config.title,
      motivation: section.config.motivation,
      method: section.config.method,
      methodTitle: section.config.method_title,
      comments: section.config.comments,
    };
    const study = section.study;
    const envelope = study ? built.envelopes.get(study.name) : undefined;
    if (study && envelope) {
      const previous = built.previous?.results.get(study.name);
      view.presentation = study.study.present(envelope.result, {
        report: plan.name,
        study: study.name,
        cms,
        ...(previous !== undefined ? { previous: { report: built.previous!.report, result: previous } } : {}),
      });
      view.resultsLink = `data/${study.name}.json`;
      view.provenance = envelope.archived_from
        ? `Archived results, read from ${envelope.archived_from}.`
        : `Computed on ${envelope.computed_at.slice(0, 10)} in ${envelope.seconds} s` +
          `${envelope.backend ? ` (tfjs backend ${envelope.backend})` : ''}, Node ${envelope.node}.`;
      if (built.stale?.has(study.name)) {
        view.provenance += ' Not current: its config, inputs or the analysis code changed since; ' +
          'rebuild without --only to rerun it.';
      }
    } else if (study) {
      view.presentation = { parts: [{ title: 'No results', blocks: [{ kind: 'note',
        text: `Study ${study.name} has not been run yet: build without --only to run it.` }] }] };
    }
    return view;
  });
  return {
    name: plan.name,
    title: config.title,
    subtitle: config.subtitle,
    date: config.date,
    meeting: config.meeting,
    author: config.author,
    cms,
    sections,
  };
}

function slug(text: string): string {
  const base = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return base || 'section';
}

function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
  used.add(id);
  return id;
}
