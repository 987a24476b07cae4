/**
 * A report as plain data: a title, a summary table, sections of figures with short texts, and
 * warnings. The HTML page and the JSON file are two views of the same object, so the JSON holds
 * every number the page shows.
 */
import type { Figure } from './types.js';

export interface ReportSection {
  id: string;
  title: string;
  /** Paragraphs (plain text). */
  text: string[];
  figures: Figure[];
}

export interface ReportSummaryRow {
  label: string;
  value: string | number | boolean | null;
}

export interface ReportDocument {
  title: string;
  /** What was analysed: a model file path or `builtin:NAME`. */
  source: string;
  /** ISO time stamp. */
  created: string;
  /** rnnscope version that wrote it. */
  generator: string;
  summary: ReportSummaryRow[];
  sections: ReportSection[];
  warnings: string[];
  /** True when the analysis was stopped early (SIGINT): what is shown is what was done. */
  interrupted: boolean;
}

/** The JSON file of a report: everything shown, figure by figure. */
export interface ReportNumbers {
  format: 'rnnscope-report';
  version: 1;
  title: string;
  source: string;
  created: string;
  generator: string;
  interrupted: boolean;
  summary: ReportSummaryRow[];
  warnings: string[];
  sections: { id: string; title: string; text: string[]; figures: string[] }[];
  figures: Record<string, { title: string; numbers: Record<string, unknown> }>;
}

/** All figures of a report in order. */
export const reportFigures = (doc: ReportDocument): Figure[] =>
  doc.sections.flatMap((s) => s.figures);

/** The numbers of a report (what `report.json` holds and what the HTML embeds). */
export function reportNumbers(doc: ReportDocument): ReportNumbers {
  const figures: ReportNumbers['figures'] = {};
  for (const f of reportFigures(doc)) figures[f.id] = { title: f.title, numbers: f.numbers };
  return {
    format: 'rnnscope-report',
    version: 1,
    title: doc.title,
    source: doc.source,
    created: doc.created,
    generator: doc.generator,
    interrupted: doc.interrupted,
    summary: doc.summary,
    warnings: doc.warnings,
    sections: doc.sections.map((s) => ({
      id: s.id,
      title: s.title,
      text: s.text,
      figures: s.figures.map((f) => f.id),
    })),
    figures,
  };
}
