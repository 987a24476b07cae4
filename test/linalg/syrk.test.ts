/**
 * SYRK (lower triangle of C ← alpha·op(A)·op(A)ᵀ + beta·C) on both backends: against numpy, against
 * naive loops with a componentwise error bound on ragged sizes, BLAS corner cases, and the
 * untouched upper triangle.
 */
import { describe, expect, it } from 'vitest';
import { tsBackend } from '../../src/linalg/index.js';
import type { LinalgBackend } from '../../src/linalg/backend.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { createWasmBackend, toWasmMatrix, wasmMatrix } from '../../src/linalg/wasm/index.js';
import { hasPython, mulberry32, randn, runPython, toWire } from '../helpers/python.js';
import { expectRnnscopeError } from './util.js';

const EPS = 2 ** -52;
// minFlopsToCopy 0: even tiny copied calls run the wasm kernel rather than the TS fallback.
const backends: LinalgBackend[] = [tsBackend, createWasmBackend({ threads: 1, minFlopsToCopy: 0 })];

/** Naive lower triangle of alpha·op(A)·op(A)ᵀ + beta·C0, with the bound |alpha|·|A||A|ᵀ + |beta·C0|. */
function naive(trans: boolean, alpha: number, A: Matrix, beta: number, C0: Float64Array) {
  const n = trans ? A.cols : A.rows;
  const k = trans ? A.rows : A.cols;
  const at = (i: number, p: number): number =>
    trans ? A.data[p * A.cols + i] : A.data[i * A.cols + p];
  const C = new Float64Array(n * n);
  const scale = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      let sa = 0;
      for (let p = 0; p < k; p++) {
        s += at(i, p) * at(j, p);
        sa += Math.abs(at(i, p) * at(j, p));
      }
      const c0 = beta === 0 ? 0 : beta * C0[i * n + j];
      C[i * n + j] = alpha * s + c0;
      scale[i * n + j] = Math.abs(alpha) * sa + Math.abs(c0);
    }
  }
  return { C, scale };
}

describe.each(backends)('syrk ($name)', (b) => {
  it('ragged sizes, both forms, alpha/beta: lower triangle within (k+2)·eps, upper untouched', () => {
    const rng = mulberry32(5);
    for (const [n, k] of [
      [1, 1],
      [3, 2],
      [5, 9],
      [8, 8],
      [13, 1],
      [33, 64],
      [70, 257], // k over one 256-deep slab
      [131, 40], // rows over one 128-row block
    ]) {
      for (const trans of [false, true]) {
        for (const [alpha, beta] of [
          [1, 0],
          [-0.5, 1.5],
          [2, 1],
        ]) {
          const A = trans ? randn(rng, k, n) : randn(rng, n, k);
          const C0 = randn(rng, n, n).data;
          const C = { rows: n, cols: n, data: C0.slice() };
          // beta = 0 must not read C: a NaN in the lower triangle must not survive.
          if (beta === 0) for (let i = 0; i < n; i++) C.data[i * n] = NaN;
          b.syrk(trans, alpha, A, beta, C);
          const want = naive(trans, alpha, A, beta, C0);
          const label = JSON.stringify({ n, k, trans, alpha, beta });
          let worst = 0; // error / allowed, over the lower triangle
          let upperChanged = 0;
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              const g = C.data[i * n + j];
              if (j > i) {
                if (!Object.is(g, C0[i * n + j])) upperChanged++;
              } else {
                const err = Math.abs(g - want.C[i * n + j]);
                worst = Math.max(worst, err / ((k + 2) * EPS * want.scale[i * n + j]));
                if (Number.isNaN(err)) worst = Infinity;
              }
            }
          }
          expect(upperChanged, label).toBe(0);
          expect(worst, label).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('alpha = 0 or k = 0 only scales (A not read); n = 0 is a no-op', () => {
    const A = { rows: 4, cols: 3, data: new Float64Array(12).fill(NaN) };
    const C = { rows: 4, cols: 4, data: Float64Array.from({ length: 16 }, (_, i) => i) };
    b.syrk(false, 0, A, 2, C);
    expect(Array.from(C.data)).toEqual([0, 1, 2, 3, 8, 10, 6, 7, 16, 18, 20, 11, 24, 26, 28, 30]);
    b.syrk(true, 1, { rows: 0, cols: 4, data: new Float64Array(0) }, 0, C);
    expect(Array.from(C.data)).toEqual([0, 1, 2, 3, 0, 0, 6, 7, 0, 0, 0, 11, 0, 0, 0, 0]);
    b.syrk(false, 1, { rows: 0, cols: 5, data: new Float64Array(0) }, 0, {
      rows: 0,
      cols: 0,
      data: new Float64Array(0),
    });
  });

  it('errors: C of the wrong shape', () => {
    const A = randn(mulberry32(2), 3, 5);
    expectRnnscopeError(
      () => b.syrk(true, 1, A, 0, { rows: 3, cols: 3, data: new Float64Array(9) }),
      'SHAPE_MISMATCH',
      /op\(A\) is 5×3 \(Aᵀ\), so C must be 5×5, got 3×3/,
    );
  });
});

describe('syrk (wasm) with operands in wasm memory', () => {
  it('matches the copying path bit for bit', () => {
    const b = createWasmBackend({ threads: 1 });
    const A = randn(mulberry32(9), 300, 45);
    const C1 = { rows: 45, cols: 45, data: new Float64Array(45 * 45) };
    b.syrk(true, 1, A, 0, C1);
    const Aw = toWasmMatrix(A);
    const Cw = wasmMatrix(45, 45);
    b.syrk(true, 1, Aw, 0, Cw);
    expect(Array.from(Cw.data)).toEqual(Array.from(C1.data));
  });
});

describe.skipIf(!hasPython())('syrk against numpy', () => {
  const rng = mulberry32(11);
  const cases = [
    { trans: true, A: randn(rng, 400, 37), alpha: 1, beta: 0 },
    { trans: false, A: randn(rng, 61, 300), alpha: -2, beta: 0.5 },
    { trans: true, A: randn(rng, 1000, 130), alpha: 0.25, beta: 1 },
  ].map((c) => {
    const n = c.trans ? c.A.cols : c.A.rows;
    return { ...c, C0: randn(rng, n, n) };
  });
  const want = hasPython()
    ? runPython<number[][]>(
        `res = []
for c in inp:
    A = M(c['A']); C0 = M(c['C0'])
    G = A.T @ A if c['trans'] else A @ A.T
    res.append((c['alpha'] * G + c['beta'] * C0).ravel().tolist())
out(res)`,
        cases.map((c) => ({ ...c, A: toWire(c.A), C0: toWire(c.C0) })),
      )
    : [];

  it.each(backends)('lower triangle agrees to 1e-13 relative to max|C| ($name)', (b) => {
    cases.forEach((c, i) => {
      const n = c.C0.rows;
      const C = { rows: n, cols: n, data: c.C0.data.slice() };
      b.syrk(c.trans, c.alpha, c.A, c.beta, C);
      const scale = Math.max(...want[i].map(Math.abs));
      for (let r = 0; r < n; r++) {
        for (let j = 0; j <= r; j++) {
          expect(Math.abs(C.data[r * n + j] - want[i][r * n + j]) / scale).toBeLessThan(1e-13);
        }
      }
    });
  });
});
