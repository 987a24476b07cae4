import { describe, expect, it } from 'vitest';
import { det, inverse, solveVector, tsBackend } from '../../src/linalg/index.js';
import type { LinalgBackend } from '../../src/linalg/backend.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import {
  hasPython,
  mulberry32,
  randn,
  runPython,
  toWire,
  type WireMatrix,
} from '../helpers/python.js';
import { expectRnnscopeError, fro, naiveMul, orthError, sub } from './util.js';

const backends: LinalgBackend[] = [tsBackend];

function spd(rng: () => number, n: number): Matrix {
  const B = randn(rng, n, n);
  const A = naiveMul(B, B, false, true);
  for (let i = 0; i < n; i++) A.data[i * n + i] += n;
  return A;
}

const withNaN = (A: Matrix, at = 0): Matrix => {
  const d = A.data.slice();
  d[at] = NaN;
  return { rows: A.rows, cols: A.cols, data: d };
};

describe.each(backends)('LU, solve, det ($name)', (b) => {
  it('PA = LU for square matrices of several sizes', () => {
    const rng = mulberry32(1);
    for (const n of [1, 2, 7, 33, 100]) {
      const A = randn(rng, n, n);
      const { lu, pivots, sign } = b.lu(A);
      const L: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
      const U: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (j < i) L.data[i * n + j] = lu.data[i * n + j];
          else U.data[i * n + j] = lu.data[i * n + j];
        }
        L.data[i * n + i] = 1;
        for (let j = 0; j < i; j++) expect(Math.abs(L.data[i * n + j])).toBeLessThanOrEqual(1); // partial pivoting
      }
      const PA: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
      for (let i = 0; i < n; i++)
        PA.data.set(A.data.subarray(pivots[i] * n, pivots[i] * n + n), i * n);
      expect(fro(sub(PA, naiveMul(L, U))) / fro(A)).toBeLessThan(1e-14);
      let inversions = 0;
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) if (pivots[i] > pivots[j]) inversions++;
      expect(sign).toBe(inversions % 2 === 0 ? 1 : -1);
    }
  });

  it('solve: small residual for matrix and vector right-hand sides', () => {
    const rng = mulberry32(2);
    for (const n of [1, 5, 60]) {
      const A = randn(rng, n, n);
      const B = randn(rng, n, 3);
      const X = b.solve(A, B);
      expect(fro(sub(naiveMul(A, X), B)) / (fro(A) * fro(X))).toBeLessThan(1e-14);
      const x = solveVector(
        A,
        B.data.filter((_, i) => i % 3 === 0),
      );
      expect(x.length).toBe(n);
      for (let i = 0; i < n; i++) expect(x[i]).toBeCloseTo(X.data[i * 3], 10);
    }
  });

  it('solve does not modify its inputs', () => {
    const rng = mulberry32(3);
    const A = randn(rng, 6, 6);
    const B = randn(rng, 6, 2);
    const a0 = A.data.slice();
    const b0 = B.data.slice();
    b.solve(A, B);
    expect(Array.from(A.data)).toEqual(Array.from(a0));
    expect(Array.from(B.data)).toEqual(Array.from(b0));
  });

  it('det of known matrices, inverse', () => {
    expect(det({ rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4) })).toBeCloseTo(-2, 14);
    expect(det({ rows: 3, cols: 3, data: Float64Array.of(0, 1, 0, 0, 0, 1, 1, 0, 0) })).toBe(1);
    expect(det({ rows: 0, cols: 0, data: new Float64Array(0) })).toBe(1);
    const singular = { rows: 3, cols: 3, data: Float64Array.of(1, 2, 3, 2, 4, 6, 1, 0, 1) };
    expect(det(singular)).toBe(0);
    const rng = mulberry32(4);
    const A = randn(rng, 20, 20);
    const Ai = inverse(A);
    const I = naiveMul(A, Ai);
    for (let i = 0; i < 20; i++) I.data[i * 21] -= 1;
    expect(fro(I)).toBeLessThan(1e-12);
  });

  it('errors: non-square, shape mismatch, NaN, singular', () => {
    const rng = mulberry32(5);
    expectRnnscopeError(
      () => b.lu(randn(rng, 3, 4)),
      'SHAPE_MISMATCH',
      /lu needs a square matrix, got 3×4/,
    );
    expectRnnscopeError(
      () => b.solve(randn(rng, 3, 4), randn(rng, 3, 1)),
      'SHAPE_MISMATCH',
      /square/,
    );
    expectRnnscopeError(
      () => b.solve(randn(rng, 3, 3), randn(rng, 4, 1)),
      'SHAPE_MISMATCH',
      /right-hand side has 4 rows/,
    );
    expectRnnscopeError(
      () => solveVector(randn(rng, 3, 3), new Float64Array(2)),
      'SHAPE_MISMATCH',
      /b has length 2/,
    );
    expectRnnscopeError(() => b.lu(withNaN(randn(rng, 3, 3), 4)), 'NON_FINITE', /NaN at \(1, 1\)/);
    expectRnnscopeError(
      () => b.solve(randn(rng, 3, 3), withNaN(randn(rng, 3, 1), 2)),
      'NON_FINITE',
      /right-hand side/,
    );
    const singular = { rows: 3, cols: 3, data: Float64Array.of(1, 2, 3, 2, 4, 6, 1, 0, 1) };
    expectRnnscopeError(() => b.solve(singular, randn(rng, 3, 1)), 'SINGULAR', /singular.*pivot/);
    expectRnnscopeError(() => inverse({ rows: 2, cols: 2, data: new Float64Array(4) }), 'SINGULAR');
  });
});

describe.each(backends)('Cholesky ($name)', (b) => {
  it('L·Lᵀ = A, L lower triangular with positive diagonal', () => {
    const rng = mulberry32(6);
    for (const n of [1, 4, 50]) {
      const A = spd(rng, n);
      const L = b.cholesky(A);
      for (let i = 0; i < n; i++) {
        expect(L.data[i * n + i]).toBeGreaterThan(0);
        for (let j = i + 1; j < n; j++) expect(L.data[i * n + j]).toBe(0);
      }
      expect(fro(sub(naiveMul(L, L, false, true), A)) / fro(A)).toBeLessThan(1e-14);
    }
  });

  it('errors: not positive definite (names the pivot), not symmetric, NaN, non-square', () => {
    const indefinite = { rows: 3, cols: 3, data: Float64Array.of(4, 2, 0, 2, 1, 0, 0, 0, 1) };
    expectRnnscopeError(
      () => b.cholesky(indefinite),
      'INVALID_ARGUMENT',
      /not positive definite \(pivot 1 /,
    );
    const negative = { rows: 2, cols: 2, data: Float64Array.of(-1, 0, 0, 1) };
    expectRnnscopeError(() => b.cholesky(negative), 'INVALID_ARGUMENT', /pivot 0 is -1/);
    const asym = { rows: 2, cols: 2, data: Float64Array.of(2, 1, 0, 2) };
    expectRnnscopeError(() => b.cholesky(asym), 'INVALID_ARGUMENT', /symmetric/);
    const rng = mulberry32(7);
    expectRnnscopeError(() => b.cholesky(withNaN(spd(rng, 3))), 'NON_FINITE');
    expectRnnscopeError(() => b.cholesky(randn(rng, 2, 3)), 'SHAPE_MISMATCH');
  });
});

describe.each(backends)('QR ($name)', (b) => {
  for (const [m, n] of [
    [1, 1],
    [5, 5],
    [40, 12],
    [120, 120],
    [200, 37],
    [12, 40],
  ] as const) {
    it(`${m}×${n}: orthonormal Q, triangular R with non-negative diagonal, A = QR`, () => {
      const rng = mulberry32(m * 1000 + n);
      const A = randn(rng, m, n);
      const { Q, R } = b.qr(A);
      const p = Math.min(m, n);
      expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([m, p, p, n]);
      expect(orthError(Q)).toBeLessThan(1e-12);
      expect(fro(sub(naiveMul(Q, R), A)) / fro(A)).toBeLessThan(1e-13);
      for (let i = 0; i < p; i++) {
        expect(R.data[i * n + i]).toBeGreaterThanOrEqual(0);
        for (let j = 0; j < i; j++) expect(R.data[i * n + j]).toBe(0);
      }
    });
  }

  it('rank-deficient and zero matrices still give orthonormal Q', () => {
    const rng = mulberry32(8);
    const A = randn(rng, 10, 4);
    for (let i = 0; i < 10; i++) {
      A.data[i * 4 + 1] = 0; // a zero column
      A.data[i * 4 + 3] = 2 * A.data[i * 4]; // a dependent column
    }
    for (const M of [A, { rows: 6, cols: 3, data: new Float64Array(18) }]) {
      const { Q, R } = b.qr(M);
      expect(orthError(Q)).toBeLessThan(1e-12);
      expect(fro(sub(naiveMul(Q, R), M))).toBeLessThan(1e-13 * Math.max(1, fro(M)));
    }
  });

  it('rejects NaN/Inf', () => {
    const rng = mulberry32(9);
    const A = randn(rng, 4, 3);
    A.data[7] = -Infinity;
    expectRnnscopeError(() => b.qr(A), 'NON_FINITE', /-Infinity at \(2, 1\)/);
  });
});

describe.skipIf(!hasPython())('LU/solve/det, Cholesky, QR against numpy', () => {
  it.each(backends)('agree with numpy ($name)', (b) => {
    const rng = mulberry32(77);
    const sq = [1, 6, 50, 120].map((n) => randn(rng, n, n, 1 / Math.sqrt(n)));
    const rhs = sq.map((A) => randn(rng, A.rows, 2));
    const pd = [1, 5, 60].map((n) => spd(rng, n));
    const rect = [randn(rng, 30, 8), randn(rng, 8, 30), randn(rng, 25, 25)];
    const want = runPython<{ x: WireMatrix[]; det: number[]; chol: WireMatrix[]; r: WireMatrix[] }>(
      `
sq = [M(a) for a in inp['sq']]
x = [W(np.linalg.solve(A, M(b))) for A, b in zip(sq, inp['rhs'])]
det = [float(np.linalg.det(A)) for A in sq]
chol = [W(np.linalg.cholesky(M(a))) for a in inp['pd']]
rs = []
for a in inp['rect']:
    R = np.linalg.qr(M(a), mode='reduced')[1]
    s = np.sign(np.diag(R)); s[s == 0] = 1
    rs.append(W(s[:, None] * R))
out({'x': x, 'det': det, 'chol': chol, 'r': rs})
`,
      { sq: sq.map(toWire), rhs: rhs.map(toWire), pd: pd.map(toWire), rect: rect.map(toWire) },
    );
    sq.forEach((A, i) => {
      const X = b.solve(A, rhs[i]);
      const ref = Float64Array.from(want.x[i].data);
      expect(fro(X.data.map((v, j) => v - ref[j])) / fro(ref), `solve ${A.rows}`).toBeLessThan(
        1e-11,
      );
      const d = det(A);
      expect(Math.abs(d - want.det[i]) / Math.abs(want.det[i]), `det ${A.rows}`).toBeLessThan(
        1e-12,
      );
    });
    pd.forEach((A, i) => {
      const L = b.cholesky(A);
      const ref = Float64Array.from(want.chol[i].data);
      expect(fro(L.data.map((v, j) => v - ref[j])) / fro(ref)).toBeLessThan(1e-13);
    });
    rect.forEach((A, i) => {
      const { R } = b.qr(A);
      const ref = Float64Array.from(want.r[i].data);
      expect(fro(R.data.map((v, j) => v - ref[j])) / fro(ref)).toBeLessThan(1e-12);
    });
  });
});
