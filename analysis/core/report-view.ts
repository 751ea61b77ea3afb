import type { CmsLabel, Presentation } from './presentation.ts';

/** Everything the renderers need of one report, built by the pipeline from report.yaml. */
export interface ReportView {
  /** Folder name under `content/`, also the site sub-folder, e.g. `2022-08`. */
  name: string;
  title: string;
  subtitle?: string;
  /** ISO date, YYYY-MM-DD. */
  date: string;
  meeting: string;
  author: { name: string; email: string; institute: string };
  /** Default label of every chart of the report. */
  cms: CmsLabel;
  sections: SectionView[];
}

export interface SectionView {
  /** Anchor id, unique within the report. */
  id: string;
  title: string;
  /** Markdown bullets written in report.yaml, each list possibly empty. */
  motivation: string[];
  method: string[];
  /** Heading of the method part: `Methodology` (default) or `Details`. */
  methodTitle: string;
  comments: string[];
  /** Absent for a section of text only. */
  presentation?: Presentation;
  /** Site-relative link (from the report page) to the results JSON, when there is one. */
  resultsLink?: string;
  /** Where the figures come from, e.g. `computed on 2026-12-04` or `archived: auc.yaml`. */
  provenance?: string;
}
