/**
 * Plain numeric CSV, the input format for time series (one row per time step). Deliberately
 * strict: every field must be a finite decimal number, so a stray "NaN" or a misplaced column
 * is reported with its line rather than silently becoming data.
 */
import { RnnscopeError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses one decimal number (no hex, no empty string, no NaN/Infinity); undefined if invalid. */
export function parseDecimal(s: string): number | undefined {
  const t = s.trim();
  if (!DECIMAL.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * Parses comma-separated numbers into a T×C matrix. Blank lines and lines starting with `#` are
 * skipped; a first row made only of non-numeric fields is taken as a header.
 * @throws RnnscopeError INVALID_FILE naming the line and column of the first bad field.
 */
export function parseNumericCsv(text: string, source = 'CSV input'): Matrix {
  const rows: number[][] = [];
  let width = -1;
  let headerAllowed = true;
  const lines = text.split(/\r?\n/);
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln].trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(',');
    const values = fields.map(parseDecimal);
    if (headerAllowed && values.every((v) => v === undefined)) {
      headerAllowed = false;
      continue;
    }
    headerAllowed = false;
    const bad = values.findIndex((v) => v === undefined);
    if (bad >= 0) {
      throw new RnnscopeError(
        'INVALID_FILE',
        `${source} line ${ln + 1}, column ${bad + 1}: ${JSON.stringify(fields[bad].trim())} is not a finite number`,
      );
    }
    if (width >= 0 && values.length !== width) {
      throw new RnnscopeError(
        'INVALID_FILE',
        `${source} line ${ln + 1} has ${values.length} values, expected ${width} like the first data row`,
      );
    }
    width = values.length;
    rows.push(values as number[]);
  }
  if (rows.length === 0) throw new RnnscopeError('INVALID_FILE', `${source} contains no data rows`);
  const data = new Float64Array(rows.length * width);
  rows.forEach((r, i) => data.set(r, i * width));
  return { rows: rows.length, cols: width, data };
}
