import { RnnscopeError } from '../errors.js';

/**
 * A dense row-major float64 matrix: element (i, j) lives at `data[i * cols + j]`.
 * Plain data (no methods) so it crosses layers, workers and wasm memory views unchanged.
 * `data` may be longer than rows*cols only when it is a view into a larger buffer; every
 * routine uses exactly rows*cols elements starting at index 0.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export function zeros(rows: number, cols: number): Matrix {
  if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows >= 0 && cols >= 0)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `matrix size must be non-negative integers, got ${rows}×${cols}`,
    );
  }
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function identity(n: number): Matrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** Wraps existing storage without copying. */
export function fromData(rows: number, cols: number, data: Float64Array): Matrix {
  if (data.length < rows * cols) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `buffer of length ${data.length} cannot hold a ${rows}×${cols} matrix`,
    );
  }
  return { rows, cols, data };
}

/** Copies nested arrays (`a[i][j]` = row i, column j) into a matrix; all rows must have equal length. */
export function fromRows(a: ArrayLike<ArrayLike<number>>): Matrix {
  const rows = a.length;
  const cols = rows === 0 ? 0 : a[0].length;
  const m = zeros(rows, cols);
  for (let i = 0; i < rows; i++) {
    const r = a[i];
    if (r.length !== cols) {
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `row ${i} has ${r.length} entries, expected ${cols}`,
      );
    }
    for (let j = 0; j < cols; j++) m.data[i * cols + j] = r[j];
  }
  return m;
}

export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++)
    out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

export function clone(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.slice(0, m.rows * m.cols) };
}

export function get(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

export function transpose(m: Matrix, out: Matrix = zeros(m.cols, m.rows)): Matrix {
  if (out.rows !== m.cols || out.cols !== m.rows) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `transpose of ${m.rows}×${m.cols} needs a ${m.cols}×${m.rows} output`,
    );
  }
  const { rows, cols, data } = m;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) out.data[j * rows + i] = data[i * cols + j];
  return out;
}

/** Row i as a view (no copy). */
export function row(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j];
  return out;
}

export function assertShape(m: Matrix, rows: number, cols: number, what: string): void {
  if (m.rows !== rows || m.cols !== cols) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `${what} must be ${rows}×${cols}, got ${m.rows}×${m.cols}`,
    );
  }
}

/** Index of the first non-finite entry, or -1. */
export function firstNonFinite(a: ArrayLike<number>, length = a.length): number {
  for (let i = 0; i < length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}

/**
 * Dimensions of C ← op(A)·op(B), checked: returns {m, n, k} or throws SHAPE_MISMATCH naming all
 * three shapes. Shared by every backend so their messages agree.
 */
export function gemmDims(
  transA: boolean,
  transB: boolean,
  A: Matrix,
  B: Matrix,
  C: Matrix,
): { m: number; n: number; k: number } {
  const m = transA ? A.cols : A.rows;
  const k = transA ? A.rows : A.cols;
  const kB = transB ? B.cols : B.rows;
  const n = transB ? B.rows : B.cols;
  if (k !== kB || C.rows !== m || C.cols !== n) {
    const opA = `${m}×${k}${transA ? ' (Aᵀ)' : ''}`;
    const opB = `${kB}×${n}${transB ? ' (Bᵀ)' : ''}`;
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `gemm: op(A) is ${opA}, op(B) is ${opB}, C is ${C.rows}×${C.cols}`,
    );
  }
  return { m, n, k };
}

/**
 * Dimensions of C ← op(A)·op(A)ᵀ (SYRK), checked: returns {n, k} (op(A) is n×k, C must be n×n)
 * or throws SHAPE_MISMATCH. Shared by every backend so their messages agree.
 */
export function syrkDims(trans: boolean, A: Matrix, C: Matrix): { n: number; k: number } {
  const n = trans ? A.cols : A.rows;
  const k = trans ? A.rows : A.cols;
  for (const [M, what] of [
    [A, 'A'],
    [C, 'C'],
  ] as const) {
    if (M.data.length < M.rows * M.cols) {
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `syrk: ${what} is ${M.rows}×${M.cols} but its data has ${M.data.length} entries`,
      );
    }
  }
  if (C.rows !== n || C.cols !== n) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `syrk: op(A) is ${n}×${k}${trans ? ' (Aᵀ)' : ''}, so C must be ${n}×${n}, got ${C.rows}×${C.cols}`,
    );
  }
  return { n, k };
}

/**
 * Checks y ← op(A)·x shapes: x must have op(A)'s column count and y its row count; throws
 * SHAPE_MISMATCH otherwise. Shared by every backend so their messages agree.
 */
export function checkGemvShapes(
  trans: boolean,
  A: Matrix,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): void {
  const nx = trans ? A.rows : A.cols;
  const ny = trans ? A.cols : A.rows;
  if (x.length !== nx || y.length !== ny) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `gemv: op(A) is ${ny}×${nx}${trans ? ' (Aᵀ)' : ''}, so x needs length ${nx} (got ${x.length}) and y length ${ny} (got ${y.length})`,
    );
  }
}
