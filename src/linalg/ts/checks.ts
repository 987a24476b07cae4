/**
 * Argument validation shared by the decompositions. Kept out of the kernels so that the hot
 * loops stay free of checks and every routine reports user errors with the same wording.
 */
import { RnnscopeError } from '../../errors.js';
import type { Matrix } from '../matrix.js';

export function requireSquare(A: Matrix, what: string): number {
  if (A.rows !== A.cols) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `${what} needs a square matrix, got ${A.rows}×${A.cols}`,
    );
  }
  return A.rows;
}

export function requireFinite(A: Matrix, what: string): void {
  const { rows, cols, data } = A;
  const len = rows * cols;
  for (let i = 0; i < len; i++) {
    if (!Number.isFinite(data[i])) {
      const r = Math.floor(i / cols);
      throw new RnnscopeError(
        'NON_FINITE',
        `${what}: input has a non-finite entry ${data[i]} at (${r}, ${i - r * cols})`,
      );
    }
  }
}

/**
 * Rejects matrices that are clearly not symmetric. Routines that assume symmetry read only one
 * triangle, so a non-symmetric input would otherwise give a silently wrong answer. The tolerance
 * is loose enough to accept products like XᵀX that are symmetric only up to rounding.
 */
export function requireSymmetric(A: Matrix, what: string, relTol = 1e-8): void {
  const n = A.rows;
  const a = A.data;
  let maxAbs = 0;
  for (let i = 0; i < n * n; i++) maxAbs = Math.max(maxAbs, Math.abs(a[i]));
  const tol = relTol * maxAbs;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(a[i * n + j] - a[j * n + i]) > tol) {
        throw new RnnscopeError(
          'INVALID_ARGUMENT',
          `${what} needs a symmetric matrix, but A[${i}][${j}] = ${a[i * n + j]} and A[${j}][${i}] = ${a[j * n + i]}`,
        );
      }
    }
  }
}

/** Copies the first rows·cols entries into a fresh, exactly sized matrix (input never mutated). */
export function copyMatrix(A: Matrix): Matrix {
  return { rows: A.rows, cols: A.cols, data: A.data.slice(0, A.rows * A.cols) };
}

/** Scaled sqrt(a² + b²) without destructive overflow or underflow. */
export function hypot2(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x === 0) return y;
  if (y === 0) return x;
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/** In-place transpose of a square n×n row-major buffer. */
export function transposeSquareInPlace(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const t = a[i * n + j];
      a[i * n + j] = a[j * n + i];
      a[j * n + i] = t;
    }
  }
}

/**
 * The power of two nearest to max|A| (1 for a zero matrix). Dividing by it is exact and brings
 * the entries to O(1), so iterative algorithms never over- or underflow on extreme scales.
 */
export function powerOfTwoScale(A: Matrix): number {
  let max = 0;
  const len = A.rows * A.cols;
  for (let i = 0; i < len; i++) max = Math.max(max, Math.abs(A.data[i]));
  if (max === 0) return 1;
  return 2 ** Math.max(-1000, Math.min(1000, Math.round(Math.log2(max))));
}
