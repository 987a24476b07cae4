/**
 * State files given to the analysis commands (`--states`, `--trajectory`): JSON rows,
 * `{"states": rows}` (a trajectory file from `rnnscope simulate --out`) or CSV.
 */
import { readFileSync } from 'node:fs';
import { RnnscopeError } from '../errors.js';
import { parseNumericCsv } from '../io/csv.js';
import type { Matrix } from '../linalg/index.js';

/**
 * The file's content: a CSV file parsed to a matrix, or for JSON (text starting with `[` or
 * `{`) the rows value, unchecked — the array itself or its `states` member.
 */
function readStateFile(
  path: string,
  what: string,
): { csv: Matrix; rows?: undefined } | { csv?: undefined; rows: unknown } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RnnscopeError('IO_ERROR', `cannot read ${what} ${path}: ${(e as Error).message}`);
  }
  const t = text.trim();
  if (!t.startsWith('[') && !t.startsWith('{')) return { csv: parseNumericCsv(text, path) };
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch (e) {
    throw new RnnscopeError(
      'INVALID_FILE',
      `${what} ${path} is not valid JSON (${(e as Error).message})`,
    );
  }
  return { rows: Array.isArray(v) ? v : (v as { states?: unknown }).states };
}

/**
 * Rows of numbers, equal in length; in JSON `null` reads as NaN (JSON has none), so such rows
 * reach the analysis and are reported there as non-finite starts.
 */
export function readRows(path: string, what: string): Matrix {
  const { csv, rows } = readStateFile(path, what);
  if (csv) return csv;
  if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r) && r.length === rows[0].length)) {
    throw new RnnscopeError(
      'INVALID_FILE',
      `${what} ${path} must hold an array of equal-length rows of numbers (or {"states": [...]})`,
    );
  }
  const cols = rows.length > 0 ? (rows[0] as unknown[]).length : 0;
  const data = Float64Array.from(rows.flat() as unknown[], (x) =>
    typeof x === 'number' ? x : NaN,
  );
  return { rows: rows.length, cols, data };
}

/** States whose rows must each have `n` finite values (the model's units). */
export function readStateRows(path: string, what: string, n: number): Matrix {
  const { csv, rows } = readStateFile(path, what);
  let M: Matrix;
  if (csv) M = csv;
  else {
    if (
      !Array.isArray(rows) ||
      !rows.every(
        (r) => Array.isArray(r) && r.every((x) => typeof x === 'number' && Number.isFinite(x)),
      )
    )
      throw new RnnscopeError(
        'INVALID_FILE',
        `${what} ${path} must hold an array of rows of finite numbers (or {"states": rows})`,
      );
    const flat = (rows as number[][]).flat();
    M = {
      rows: rows.length,
      cols: rows.length > 0 ? (rows[0] as number[]).length : n,
      data: Float64Array.from(flat),
    };
    if (!(rows as number[][]).every((r) => r.length === M.cols))
      throw new RnnscopeError('INVALID_FILE', `${what} ${path}: rows have different lengths`);
  }
  if (M.cols !== n)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `${what} ${path} has rows of ${M.cols} values, but the model has ${n} units`,
    );
  return M;
}
