/**
 * Test matrices and checks shared by the eigensolver tests of both backends (test/linalg and
 * test/wasm): structured spectra (Jordan blocks, rotations, permutations, graded and Frank
 * matrices) and the result conventions every backend follows.
 */
import { expect } from 'vitest';
import type { EigResult } from '../../src/linalg/backend.js';
import { tsBackend } from '../../src/linalg/index.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { randn } from '../helpers/python.js';
import { naiveMul } from './util.js';

export function orthogonal(rng: () => number, n: number): Matrix {
  return tsBackend.qr(randn(rng, n, n)).Q;
}

/** Q·M·Qᵀ for a random orthogonal Q: same spectrum and conditioning, dense entries. */
export function rotate(rng: () => number, M: Matrix): Matrix {
  const Q = orthogonal(rng, M.rows);
  return naiveMul(naiveMul(Q, M), Q, false, true);
}

export function jordan(n: number, lambda: number): Matrix {
  const J: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++) {
    J.data[i * n + i] = lambda;
    if (i + 1 < n) J.data[i * n + i + 1] = 1;
  }
  return J;
}

export function blockDiag(blocks: Matrix[]): Matrix {
  const n = blocks.reduce((s, b) => s + b.rows, 0);
  const M: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  let o = 0;
  for (const b of blocks) {
    for (let i = 0; i < b.rows; i++)
      for (let j = 0; j < b.cols; j++) M.data[(o + i) * n + o + j] = b.data[i * b.cols + j];
    o += b.rows;
  }
  return M;
}

export const rot2 = (r: number, t: number): Matrix => ({
  rows: 2,
  cols: 2,
  data: Float64Array.of(r * Math.cos(t), -r * Math.sin(t), r * Math.sin(t), r * Math.cos(t)),
});

export function cyclicPermutation(n: number): Matrix {
  const P: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++) P.data[((i + 1) % n) * n + i] = 1;
  return P;
}

/** Entries spanning ~1e±9 by rows/columns: a badly scaled but well-balanced-after-scaling matrix. */
export function graded(rng: () => number, n: number): Matrix {
  const A = randn(rng, n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) A.data[i * n + j] *= 2 ** (((i - j) * 30) / n);
  return A;
}

/** Frank matrix: upper Hessenberg with notoriously ill-conditioned small eigenvalues. */
export function frank(n: number): Matrix {
  const F: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++)
    for (let j = Math.max(i - 1, 0); j < n; j++) F.data[i * n + j] = n - Math.max(i, j);
  return F;
}

export function checkStructure(r: EigResult, n: number): void {
  for (let k = 0; k < n; k++) {
    if (r.im[k] > 0) {
      expect(k + 1).toBeLessThan(n);
      expect(r.re[k + 1]).toBe(r.re[k]);
      expect(r.im[k + 1]).toBe(-r.im[k]);
    } else if (r.im[k] < 0) {
      expect(r.im[k - 1]).toBe(-r.im[k]); // +im member comes first
    }
  }
}

/** Unit norm, dominant component real positive, conjugate pairs with conjugate vectors. */
export function checkVectors(V: { re: Matrix; im: Matrix }, im: Float64Array, n: number): void {
  for (let k = 0; k < n; k++) {
    let ss = 0;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.hypot(V.re.data[i * n + k], V.im.data[i * n + k]);
      ss += a * a;
      max = Math.max(max, a);
    }
    expect(Math.abs(Math.sqrt(ss) - 1)).toBeLessThan(1e-14);
    const dom = Array.from({ length: n }, (_, i) => i).find(
      (i) => Math.hypot(V.re.data[i * n + k], V.im.data[i * n + k]) >= (1 - 1e-10) * max,
    )!;
    expect(V.re.data[dom * n + k]).toBeGreaterThan(0);
    expect(V.im.data[dom * n + k]).toBe(0);
    if (im[k] === 0) for (let i = 0; i < n; i++) expect(V.im.data[i * n + k]).toBe(0);
    if (im[k] > 0) {
      for (let i = 0; i < n; i++) {
        expect(V.re.data[i * n + k + 1]).toBe(V.re.data[i * n + k]);
        expect(V.im.data[i * n + k + 1]).toBe(0 - V.im.data[i * n + k]);
      }
    }
  }
}

/**
 * Each eigenvector of `r` (right and left) against scipy's for the nearest eigenvalue: unit vectors
 * equal up to a phase, |⟨ours, theirs⟩| = 1 to 1e-10. `want` is scipy's `eig(left=True)` with
 * vectors as rows.
 */
export function expectScipyVectors(
  r: EigResult,
  want: {
    re: number[];
    im: number[];
    vr: number[][];
    vi: number[][];
    lr: number[][];
    li: number[][];
  },
  n: number,
): void {
  for (let k = 0; k < n; k++) {
    // scipy's eigenvector for the eigenvalue closest to ours; |⟨ours, theirs⟩| must be 1.
    let j = 0;
    for (let t = 1; t < n; t++) {
      if (
        Math.hypot(want.re[t] - r.re[k], want.im[t] - r.im[k]) <
        Math.hypot(want.re[j] - r.re[k], want.im[j] - r.im[k])
      )
        j = t;
    }
    for (const [ours, tr, ti] of [
      [r.vectors!, want.vr[j], want.vi[j]],
      [r.leftVectors!, want.lr[j], want.li[j]],
    ] as const) {
      let dr = 0;
      let di = 0;
      let nt = 0;
      for (let i = 0; i < n; i++) {
        const ar = ours.re.data[i * n + k];
        const ai = ours.im.data[i * n + k];
        dr += ar * tr[i] + ai * ti[i];
        di += ar * ti[i] - ai * tr[i];
        nt += tr[i] ** 2 + ti[i] ** 2;
      }
      expect(Math.abs(Math.hypot(dr, di) / Math.sqrt(nt) - 1)).toBeLessThan(1e-10);
    }
  }
}

/** (B + Bᵀ)/2 for B with N(0, scale²) entries. */
export function symmetric(rng: () => number, n: number, scale = 1): Matrix {
  const B = randn(rng, n, n, scale);
  const A: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) A.data[i * n + j] = (B.data[i * n + j] + B.data[j * n + i]) / 2;
  return A;
}

/** Q·diag(values)·Qᵀ with a random orthogonal Q, made exactly symmetric. */
export function withSpectrum(rng: () => number, values: number[]): Matrix {
  const n = values.length;
  const Q = tsBackend.qr(randn(rng, n, n)).Q;
  const QD = { rows: n, cols: n, data: Q.data.map((q, i) => q * values[i % n]) };
  const A = naiveMul(QD, Q, false, true);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A.data[j * n + i] = A.data[i * n + j];
  return A;
}
