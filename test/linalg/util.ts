/** Numeric helpers for the linalg tests, written naively on purpose (independent of the code under test). */
import { expect } from 'vitest';
import { isRnnscopeError, type ErrorCode } from '../../src/errors.js';
import type { Matrix } from '../../src/linalg/matrix.js';

export function fro(m: Matrix | Float64Array | number[]): number {
  const a = Array.isArray(m)
    ? m
    : m instanceof Float64Array
      ? m
      : m.data.subarray(0, m.rows * m.cols);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** Naive op(A)·op(B) with three loops; the reference for GEMM. */
export function naiveMul(A: Matrix, B: Matrix, tA = false, tB = false): Matrix {
  const m = tA ? A.cols : A.rows;
  const k = tA ? A.rows : A.cols;
  const n = tB ? B.rows : B.cols;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const a = tA ? A.data[p * A.cols + i] : A.data[i * A.cols + p];
        const b = tB ? B.data[j * B.cols + p] : B.data[p * B.cols + j];
        s += a * b;
      }
      out[i * n + j] = s;
    }
  }
  return { rows: m, cols: n, data: out };
}

export function sub(A: Matrix, B: Matrix): Matrix {
  return { rows: A.rows, cols: A.cols, data: A.data.map((x, i) => x - B.data[i]) };
}

/** ‖QᵀQ − I‖_F for a matrix with (supposedly) orthonormal columns. */
export function orthError(Q: Matrix): number {
  const QtQ = naiveMul(Q, Q, true, false);
  for (let i = 0; i < QtQ.rows; i++) QtQ.data[i * QtQ.cols + i] -= 1;
  return fro(QtQ);
}

/** ‖A·V − V·Λ‖_F / (‖A‖_F·‖V‖_F) for complex eigenpairs, V = Vr + i·Vi. */
export function eigResidual(
  A: Matrix,
  re: Float64Array,
  im: Float64Array,
  Vr: Matrix,
  Vi: Matrix,
): number {
  const n = A.rows;
  let s = 0;
  let v2 = 0;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      let ar = 0;
      let ai = 0;
      for (let j = 0; j < n; j++) {
        ar += A.data[i * n + j] * Vr.data[j * n + k];
        ai += A.data[i * n + j] * Vi.data[j * n + k];
      }
      const vr = Vr.data[i * n + k];
      const vi = Vi.data[i * n + k];
      ar -= re[k] * vr - im[k] * vi;
      ai -= re[k] * vi + im[k] * vr;
      s += ar * ar + ai * ai;
      v2 += vr * vr + vi * vi;
    }
  }
  return Math.sqrt(s) / (fro(A) * Math.sqrt(v2) || 1);
}

/** ‖Yᴴ·A − Λ·Yᴴ‖_F / (‖A‖_F·‖Y‖_F) for left eigenvectors Y = Yr + i·Yi (columns). */
export function leftResidual(
  A: Matrix,
  re: Float64Array,
  im: Float64Array,
  Yr: Matrix,
  Yi: Matrix,
): number {
  const n = A.rows;
  let s = 0;
  let y2 = 0;
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      // (yᴴA)_j = Σ_i conj(y_i)·A_ij; compare with λ·conj(y_j).
      let ar = 0;
      let ai = 0;
      for (let i = 0; i < n; i++) {
        ar += Yr.data[i * n + k] * A.data[i * n + j];
        ai -= Yi.data[i * n + k] * A.data[i * n + j];
      }
      const yr = Yr.data[j * n + k];
      const yi = -Yi.data[j * n + k];
      ar -= re[k] * yr - im[k] * yi;
      ai -= re[k] * yi + im[k] * yr;
      s += ar * ar + ai * ai;
      y2 += yr * yr + yi * yi;
    }
  }
  return Math.sqrt(s) / (fro(A) * Math.sqrt(y2) || 1);
}

/**
 * Largest distance between two eigenvalue multisets after greedy nearest matching, relative to
 * the spectral radius of the reference. Greedy matching is exact for separated spectra.
 */
export function spectrumDistance(
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  refRe: number[],
  refIm: number[],
): number {
  expect(re.length).toBe(refRe.length);
  const n = refRe.length;
  const used = new Uint8Array(n);
  let radius = 0;
  for (let j = 0; j < n; j++) radius = Math.max(radius, Math.hypot(refRe[j], refIm[j]));
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < n; j++) {
      if (used[j]) continue;
      const d = Math.hypot(re[i] - refRe[j], im[i] - refIm[j]);
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    used[best] = 1;
    worst = Math.max(worst, bestD);
  }
  return radius > 0 ? worst / radius : worst;
}

/** Asserts that `fn` throws an RnnscopeError with `code` whose message matches `pattern`. */
export function expectRnnscopeError(fn: () => unknown, code: ErrorCode, pattern?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an error to be thrown').toBeDefined();
  expect(isRnnscopeError(caught), `expected RnnscopeError, got ${String(caught)}`).toBe(true);
  if (isRnnscopeError(caught)) {
    expect(caught.code).toBe(code);
    if (pattern) expect(caught.message).toMatch(pattern);
  }
}
