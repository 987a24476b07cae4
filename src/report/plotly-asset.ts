/**
 * The plotly.js bundle for self-contained reports (Node only): plotly.js-dist-min's
 * plotly.min.js (≈ 4.9 MB), gzip-compressed (≈ 1.46 MB) and base64-encoded (≈ 1.95 MB). The
 * page inflates it with the browser's DecompressionStream, so a report with all its figures
 * stays around 2 MB instead of 5.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { RnnscopeError } from '../errors.js';

export interface PlotlyAsset {
  /** plotly.js version. */
  version: string;
  /** Size of plotly.min.js in bytes. */
  rawBytes: number;
  /** gzip of plotly.min.js, base64. */
  gzipBase64: string;
}

let cached: PlotlyAsset | undefined;

/** Reads, compresses and caches plotly.min.js from the installed plotly.js-dist-min. */
export function loadPlotlyAsset(): PlotlyAsset {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let path: string;
  let version = 'unknown';
  try {
    path = require.resolve('plotly.js-dist-min/plotly.min.js');
    version = String((require('plotly.js-dist-min/package.json') as { version?: unknown }).version);
  } catch (e) {
    throw new RnnscopeError(
      'IO_ERROR',
      `plotly.js-dist-min is not installed (${(e as Error).message}); run npm install, or write static figures only`,
    );
  }
  const raw = readFileSync(path);
  cached = {
    version,
    rawBytes: raw.length,
    gzipBase64: gzipSync(raw, { level: 9 }).toString('base64'),
  };
  return cached;
}
