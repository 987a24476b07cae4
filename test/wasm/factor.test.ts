/**
 * Wasm LU / solve / Cholesky / QR (recursive and blocked, GEMM-based) against the TS reference
 * and numpy, on both kernel builds; sizes straddle the leaf and panel widths.
 */
import { describe, expect, it } from 'vitest';
import { tsBackend } from '../../src/linalg/index.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { wasmCholesky, wasmLu, wasmSolve } from '../../src/linalg/wasm/factor.js';
import { wasmQr } from '../../src/linalg/wasm/qr.js';
import { createWasmBackend, createWorkerPool, wasmKernels } from '../../src/linalg/wasm/index.js';
import {
  hasPython,
  mulberry32,
  randn,
  runPython,
  toWire,
  type WireMatrix,
} from '../helpers/python.js';
import { expectRnnscopeError, fro, naiveMul, orthError, sub } from '../linalg/util.js';
import { availableBuilds } from './helpers.js';

const BUILDS = availableBuilds();

function spd(rng: () => number, n: number): Matrix {
  const B = randn(rng, n, n);
  const A = naiveMul(B, B, false, true);
  for (let i = 0; i < n; i++) A.data[i * n + i] += n;
  return A;
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe.each(BUILDS)('wasm LU and solve ($variant build)', ({ kernels }) => {
  it('PA = LU, |L| ≤ 1, sign = parity, same pivots and factors as the TS reference', () => {
    const rng = mulberry32(1);
    for (const n of [1, 2, 7, 15, 16, 17, 31, 33, 64, 100, 257]) {
      const A = randn(rng, n, n);
      const { lu, pivots, sign } = wasmLu(kernels, A);
      const L: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
      const U: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (j < i) L.data[i * n + j] = lu.data[i * n + j];
          else U.data[i * n + j] = lu.data[i * n + j];
        }
        L.data[i * n + i] = 1;
        for (let j = 0; j < i; j++) expect(Math.abs(L.data[i * n + j])).toBeLessThanOrEqual(1);
      }
      const PA: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
      for (let i = 0; i < n; i++)
        PA.data.set(A.data.subarray(pivots[i] * n, pivots[i] * n + n), i * n);
      expect(fro(sub(PA, naiveMul(L, U))) / fro(A), `n=${n}`).toBeLessThan(1e-14);
      let inversions = 0;
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) if (pivots[i] > pivots[j]) inversions++;
      expect(sign).toBe(inversions % 2 === 0 ? 1 : -1);
      const ref = tsBackend.lu(A);
      expect(Array.from(pivots), `pivots n=${n}`).toEqual(Array.from(ref.pivots));
      expect(maxDiff(lu.data, ref.lu.data), `factors n=${n}`).toBeLessThan(1e-11);
    }
  });

  it('singular and zero matrices: zero pivot kept in U, as the reference does', () => {
    const singular = { rows: 3, cols: 3, data: Float64Array.of(1, 2, 3, 2, 4, 6, 1, 0, 1) };
    const got = wasmLu(kernels, singular);
    const ref = tsBackend.lu(singular);
    expect(Array.from(got.pivots)).toEqual(Array.from(ref.pivots));
    expect(maxDiff(got.lu.data, ref.lu.data)).toBeLessThan(1e-15);
    const zero = wasmLu(kernels, { rows: 40, cols: 40, data: new Float64Array(1600) });
    expect(zero.lu.data.every((x) => x === 0)).toBe(true);
    expect(zero.sign).toBe(1);
    expect(wasmLu(kernels, { rows: 0, cols: 0, data: new Float64Array(0) }).pivots.length).toBe(0);
  });

  it('solve: small residual for 1, 3 and n right-hand sides (the last is the inverse)', () => {
    const rng = mulberry32(2);
    for (const n of [1, 5, 33, 120]) {
      const A = randn(rng, n, n);
      for (const k of [1, 3, n]) {
        const B = randn(rng, n, k);
        const X = wasmSolve(kernels, A, B);
        expect(fro(sub(naiveMul(A, X), B)) / (fro(A) * fro(X)), `n=${n} k=${k}`).toBeLessThan(
          1e-14,
        );
        const ref = tsBackend.solve(A, B);
        expect(fro(sub(X, ref)) / fro(ref)).toBeLessThan(1e-11);
      }
    }
  });

  it('errors match the TS reference and free their memory', () => {
    const before = kernels.arena.bytesInUse;
    const rng = mulberry32(5);
    expectRnnscopeError(
      () => wasmLu(kernels, randn(rng, 3, 4)),
      'SHAPE_MISMATCH',
      /lu needs a square matrix, got 3×4/,
    );
    expectRnnscopeError(
      () => wasmSolve(kernels, randn(rng, 3, 3), randn(rng, 4, 1)),
      'SHAPE_MISMATCH',
      /right-hand side has 4 rows/,
    );
    const nan = randn(rng, 3, 3);
    nan.data[4] = NaN;
    expectRnnscopeError(() => wasmLu(kernels, nan), 'NON_FINITE', /NaN at \(1, 1\)/);
    const singular = { rows: 3, cols: 3, data: Float64Array.of(1, 2, 3, 2, 4, 6, 1, 0, 1) };
    expectRnnscopeError(
      () => wasmSolve(kernels, singular, randn(rng, 3, 1)),
      'SINGULAR',
      /singular.*pivot/,
    );
    const tiny = { rows: 2, cols: 2, data: Float64Array.of(1, 0, 0, 1e-320) };
    expectRnnscopeError(
      () => wasmSolve(kernels, tiny, { rows: 2, cols: 1, data: Float64Array.of(1, 1e10) }),
      'SINGULAR',
      /overflowed/,
    );
    expect(kernels.arena.bytesInUse).toBe(before);
  });
});

describe.each(BUILDS)('wasm Cholesky ($variant build)', ({ kernels }) => {
  it('L·Lᵀ = A, L lower with positive diagonal, equal to the TS reference', () => {
    const rng = mulberry32(6);
    for (const n of [1, 4, 31, 32, 33, 65, 130, 200]) {
      const A = spd(rng, n);
      const L = wasmCholesky(kernels, A);
      for (let i = 0; i < n; i++) {
        expect(L.data[i * n + i]).toBeGreaterThan(0);
        for (let j = i + 1; j < n; j++) expect(L.data[i * n + j]).toBe(0);
      }
      expect(fro(sub(naiveMul(L, L, false, true), A)) / fro(A), `n=${n}`).toBeLessThan(1e-14);
      const ref = tsBackend.cholesky(A);
      expect(fro(sub(L, ref)) / fro(ref)).toBeLessThan(1e-13);
    }
  });

  it('reads only the lower triangle; names the failing pivot like the reference', () => {
    const rng = mulberry32(7);
    const A = spd(rng, 100);
    const lower = { rows: 100, cols: 100, data: A.data.slice() };
    for (let i = 0; i < 100; i++) for (let j = i + 1; j < 100; j++) lower.data[i * 100 + j] += 1e-9;
    expect(Array.from(wasmCholesky(kernels, lower).data)).toEqual(
      Array.from(wasmCholesky(kernels, A).data),
    );
    // Make the leading 71×71 block singular-indefinite: pivot 70 fails (inside a later leaf).
    const B = spd(rng, 100);
    B.data[70 * 100 + 70] = -1e6;
    const before = kernels.arena.bytesInUse;
    expectRnnscopeError(
      () => wasmCholesky(kernels, B),
      'INVALID_ARGUMENT',
      /not positive definite \(pivot 70 is -/,
    );
    expectRnnscopeError(() => tsBackend.cholesky(B), 'INVALID_ARGUMENT', /pivot 70 is -/);
    const negative = { rows: 2, cols: 2, data: Float64Array.of(-1, 0, 0, 1) };
    expectRnnscopeError(() => wasmCholesky(kernels, negative), 'INVALID_ARGUMENT', /pivot 0 is -1/);
    expectRnnscopeError(
      () => wasmCholesky(kernels, { rows: 2, cols: 2, data: Float64Array.of(2, 1, 0, 2) }),
      'INVALID_ARGUMENT',
      /symmetric/,
    );
    expect(kernels.arena.bytesInUse).toBe(before);
  });
});

describe.each(BUILDS)('wasm QR ($variant build)', ({ kernels }) => {
  for (const [m, n] of [
    [1, 1],
    [5, 5],
    [40, 12],
    [33, 33],
    [64, 65],
    [120, 120],
    [200, 37],
    [12, 40],
    [70, 150],
    [300, 100],
  ] as const) {
    it(`${m}×${n}: orthonormal Q, triangular R ≥ 0 on the diagonal, A = QR, equal to the TS reference`, () => {
      const rng = mulberry32(m * 1000 + n);
      const A = randn(rng, m, n);
      const { Q, R } = wasmQr(kernels, A);
      const p = Math.min(m, n);
      expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([m, p, p, n]);
      expect(orthError(Q)).toBeLessThan(1e-12);
      expect(fro(sub(naiveMul(Q, R), A)) / fro(A)).toBeLessThan(1e-13);
      for (let i = 0; i < p; i++) {
        expect(R.data[i * n + i]).toBeGreaterThanOrEqual(0);
        for (let j = 0; j < i; j++) expect(R.data[i * n + j]).toBe(0);
      }
      const ref = tsBackend.qr(A);
      expect(fro(sub(Q, ref.Q)) / fro(ref.Q)).toBeLessThan(1e-11);
      expect(fro(sub(R, ref.R)) / fro(ref.R)).toBeLessThan(1e-12);
    });
  }

  it('rank-deficient and zero matrices still give orthonormal Q; NaN rejected', () => {
    const rng = mulberry32(8);
    const A = randn(rng, 80, 40);
    for (let i = 0; i < 80; i++) {
      A.data[i * 40 + 1] = 0;
      A.data[i * 40 + 35] = 2 * A.data[i * 40];
    }
    for (const M of [A, { rows: 6, cols: 3, data: new Float64Array(18) }]) {
      const { Q, R } = wasmQr(kernels, M);
      expect(orthError(Q)).toBeLessThan(1e-12);
      expect(fro(sub(naiveMul(Q, R), M))).toBeLessThan(1e-13 * Math.max(1, fro(M)));
    }
    const bad = randn(rng, 4, 3);
    bad.data[7] = -Infinity;
    expectRnnscopeError(() => wasmQr(kernels, bad), 'NON_FINITE', /-Infinity at \(2, 1\)/);
  });
});

describe.skipIf(!hasPython())('wasm LU/solve, Cholesky, QR against numpy', () => {
  it.each(BUILDS)('agree with numpy/scipy ($variant)', ({ kernels }) => {
    const rng = mulberry32(77);
    const sq = [1, 6, 50, 150].map((n) => randn(rng, n, n, 1 / Math.sqrt(n)));
    const rhs = sq.map((A) => randn(rng, A.rows, 2));
    const pd = [1, 5, 60, 140].map((n) => spd(rng, n));
    const rect = [randn(rng, 30, 8), randn(rng, 8, 30), randn(rng, 100, 100), randn(rng, 160, 70)];
    const want = runPython<{
      x: WireMatrix[];
      lu: WireMatrix[];
      chol: WireMatrix[];
      r: WireMatrix[];
    }>(
      `
sq = [M(a) for a in inp['sq']]
x = [W(np.linalg.solve(A, M(b))) for A, b in zip(sq, inp['rhs'])]
lu = [W(sla.lu_factor(A)[0]) for A in sq]
chol = [W(np.linalg.cholesky(M(a))) for a in inp['pd']]
rs = []
for a in inp['rect']:
    R = np.linalg.qr(M(a), mode='reduced')[1]
    s = np.sign(np.diag(R)); s[s == 0] = 1
    rs.append(W(s[:, None] * R))
out({'x': x, 'lu': lu, 'chol': chol, 'r': rs})
`,
      { sq: sq.map(toWire), rhs: rhs.map(toWire), pd: pd.map(toWire), rect: rect.map(toWire) },
    );
    const rel = (got: Float64Array, w: WireMatrix): number => {
      const ref = Float64Array.from(w.data);
      return fro(got.map((v, j) => v - ref[j])) / fro(ref);
    };
    sq.forEach((A, i) => {
      expect(rel(wasmSolve(kernels, A, rhs[i]).data, want.x[i]), `solve ${A.rows}`).toBeLessThan(
        1e-11,
      );
      expect(rel(wasmLu(kernels, A).lu.data, want.lu[i]), `lu ${A.rows}`).toBeLessThan(1e-12);
    });
    pd.forEach((A, i) =>
      expect(rel(wasmCholesky(kernels, A).data, want.chol[i])).toBeLessThan(1e-13),
    );
    rect.forEach((A, i) => expect(rel(wasmQr(kernels, A).R.data, want.r[i])).toBeLessThan(1e-12));
  });
});

describe('decompositions on the worker pool', () => {
  it('threaded GEMMs give bit-identical LU, solve, Cholesky and QR', async () => {
    const pool = createWorkerPool({ threads: 2, kernels: wasmKernels() });
    await pool.ready();
    const one = createWasmBackend({ threads: 1 });
    const two = createWasmBackend({ pool });
    const rng = mulberry32(99);
    const A = randn(rng, 300, 300);
    const P = spd(rng, 300);
    const B = randn(rng, 300, 40);
    expect(Array.from(two.lu(A).lu.data)).toEqual(Array.from(one.lu(A).lu.data));
    expect(Array.from(two.solve(A, B).data)).toEqual(Array.from(one.solve(A, B).data));
    expect(Array.from(two.cholesky(P).data)).toEqual(Array.from(one.cholesky(P).data));
    expect(Array.from(two.qr(A).Q.data)).toEqual(Array.from(one.qr(A).Q.data));
    if (pool.activeThreads() > 1) expect(pool.stats.split).toBeGreaterThan(0);
    await pool.close();
  });
});
