/**
 * Writing a report to disk (Node only): the HTML page, the JSON of its numbers, and optionally
 * one SVG (and PNG) per figure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RnnscopeError } from '../errors.js';
import { stringifyCompact } from '../io/json-text.js';
import { reportFigures, reportNumbers, type ReportDocument } from './document.js';
import { reportHtml } from './html.js';
import { loadPlotlyAsset } from './plotly-asset.js';
import { svgsToPng } from './png.js';
import { renderSvg } from './svg/render.js';

export interface WriteReportOptions {
  /** HTML file. */
  html: string;
  /** JSON file of the numbers (default: the HTML path with .json). */
  json?: string;
  /** Also write <dir>/<figure id>.svg. */
  svgDir?: string;
  /** Also write <dir>/<figure id>.png (needs Chromium and playwright-core). */
  pngDir?: string;
  /** Embed plotly.js for interactive figures (default true). */
  interactive?: boolean;
}

export interface WrittenReport {
  html: string;
  htmlBytes: number;
  json: string;
  jsonBytes: number;
  svgs: string[];
  pngs: string[];
}

function write(path: string, data: string | Uint8Array): number {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  } catch (e) {
    throw new RnnscopeError('IO_ERROR', `cannot write ${path}: ${(e as Error).message}`);
  }
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}

/** Default JSON path next to an HTML path: report.html → report.json. */
export const jsonPathFor = (html: string): string =>
  /\.html?$/i.test(html) ? html.replace(/\.html?$/i, '.json') : `${html}.json`;

/** Writes the page, its JSON and the requested figure files; returns the paths and sizes. */
export async function writeReport(
  doc: ReportDocument,
  opts: WriteReportOptions,
): Promise<WrittenReport> {
  const figures = reportFigures(doc);
  const svgs: Record<string, string> = {};
  for (const f of figures) svgs[f.id] = renderSvg(f);
  const written: WrittenReport = {
    html: opts.html,
    htmlBytes: 0,
    json: opts.json ?? jsonPathFor(opts.html),
    jsonBytes: 0,
    svgs: [],
    pngs: [],
  };
  if (opts.svgDir) {
    for (const [id, svg] of Object.entries(svgs)) {
      const p = join(opts.svgDir, `${id}.svg`);
      write(p, svg);
      written.svgs.push(p);
    }
  }
  written.jsonBytes = write(written.json, stringifyCompact(reportNumbers(doc)) + '\n');
  const plotly = opts.interactive === false ? null : loadPlotlyAsset();
  written.htmlBytes = write(opts.html, reportHtml(doc, { plotly, svgs }));
  // PNGs last: without Chromium they fail, and the page and its numbers are written by then.
  if (opts.pngDir) {
    const pngs = await svgsToPng(svgs);
    for (const [id, bytes] of Object.entries(pngs)) {
      const p = join(opts.pngDir, `${id}.png`);
      write(p, bytes);
      written.pngs.push(p);
    }
  }
  return written;
}
