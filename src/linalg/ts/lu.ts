/**
 * LU with partial pivoting (PA = LU) and the solves built on it. Row-major, right-looking: the
 * trailing update subtracts multiples of the pivot row, so the inner loop is contiguous.
 */
import { RnnscopeError } from '../../errors.js';
import type { LuResult } from '../backend.js';
import type { Matrix } from '../matrix.js';
import { copyMatrix, requireFinite, requireSquare } from './checks.js';

/**
 * Factorises a square matrix. An exactly singular A is not an error here (like LAPACK getrf):
 * the zero pivot is left in U, `det` returns 0 and `solve` throws SINGULAR.
 */
export function lu(A: Matrix): LuResult {
  const n = requireSquare(A, 'lu');
  requireFinite(A, 'lu');
  const M = copyMatrix(A);
  const a = M.data;
  const pivots = new Int32Array(n);
  for (let i = 0; i < n; i++) pivots[i] = i;
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let max = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > max) {
        max = v;
        p = i;
      }
    }
    if (p !== k) {
      // Whole rows move (multipliers included) so that `lu` always holds L and U of PA.
      const rk = k * n;
      const rp = p * n;
      for (let j = 0; j < n; j++) {
        const t = a[rk + j];
        a[rk + j] = a[rp + j];
        a[rp + j] = t;
      }
      const t = pivots[k];
      pivots[k] = pivots[p];
      pivots[p] = t;
      sign = -sign;
    }
    const pivot = a[k * n + k];
    if (pivot === 0) continue; // column already zero below the diagonal: nothing to eliminate
    const rk = k * n;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const l = a[ri + k] / pivot;
      a[ri + k] = l;
      if (l === 0) continue;
      for (let j = k + 1; j < n; j++) a[ri + j] -= l * a[rk + j];
    }
  }
  return { lu: M, pivots, sign };
}

/** det(A) from its LU factors: sign(P)·∏ U_ii. */
export function detFromLu(f: LuResult): number {
  const { lu: M, sign } = f;
  const n = M.rows;
  let d = sign;
  for (let i = 0; i < n; i++) d *= M.data[i * n + i];
  return d === 0 ? 0 : d; // no −0 for singular matrices
}

/** Solves A X = B given the LU factors of A; B is n×k and is not modified. */
export function solveLu(f: LuResult, B: Matrix): Matrix {
  const { lu: M, pivots } = f;
  const n = M.rows;
  if (B.rows !== n) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `solve: A is ${n}×${n} but the right-hand side has ${B.rows} rows`,
    );
  }
  const a = M.data;
  for (let i = 0; i < n; i++) {
    if (a[i * n + i] === 0) {
      throw new RnnscopeError(
        'SINGULAR',
        `solve: matrix is singular (zero pivot U[${i}][${i}] in the LU factorisation)`,
      );
    }
  }
  const k = B.cols;
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) x.set(B.data.subarray(pivots[i] * k, pivots[i] * k + k), i * k);
  // Forward substitution with unit-lower L, then back substitution with U, on whole rows of X.
  for (let i = 0; i < n; i++) {
    const ri = i * k;
    for (let j = 0; j < i; j++) {
      const l = a[i * n + j];
      if (l === 0) continue;
      const rj = j * k;
      for (let c = 0; c < k; c++) x[ri + c] -= l * x[rj + c];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * k;
    for (let j = i + 1; j < n; j++) {
      const u = a[i * n + j];
      if (u === 0) continue;
      const rj = j * k;
      for (let c = 0; c < k; c++) x[ri + c] -= u * x[rj + c];
    }
    const d = a[i * n + i];
    for (let c = 0; c < k; c++) x[ri + c] /= d;
  }
  for (let i = 0; i < n * k; i++) {
    if (!Number.isFinite(x[i])) {
      throw new RnnscopeError(
        'SINGULAR',
        'solve: the solution overflowed; the matrix is numerically singular',
      );
    }
  }
  return { rows: n, cols: k, data: x };
}

/** Solves A X = B; B is n×k (use an n×1 matrix for a single vector). */
export function solve(A: Matrix, B: Matrix): Matrix {
  const n = requireSquare(A, 'solve');
  if (B.rows !== n) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `solve: A is ${n}×${n} but the right-hand side has ${B.rows} rows`,
    );
  }
  requireFinite(B, 'solve (right-hand side)');
  return solveLu(lu(A), B);
}
