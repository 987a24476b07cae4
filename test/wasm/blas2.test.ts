import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/linalg/matrix.js';
import {
  createWasmBackend,
  toWasmMatrix,
  wasmMatrix,
  wasmVector,
} from '../../src/linalg/wasm/index.js';
import { availableBuilds, fill, maxRelError, randomMatrix, rng } from './helpers.js';

const builds = availableBuilds();
const TOL = 1e-13;
const sizes = [1, 2, 3, 7, 33, 130, 257];

/** y = alpha·op(A)·x + beta·y0 by a plain loop, with the componentwise error scale. */
function naiveGemv(
  trans: boolean,
  alpha: number,
  A: Matrix,
  x: Float64Array,
  beta: number,
  y0: Float64Array,
) {
  const ny = trans ? A.cols : A.rows;
  const nx = trans ? A.rows : A.cols;
  const y = new Float64Array(ny);
  const scale = new Float64Array(ny);
  for (let i = 0; i < ny; i++) {
    let s = 0;
    let sa = 0;
    for (let j = 0; j < nx; j++) {
      const a = trans ? A.data[j * A.cols + i] : A.data[i * A.cols + j];
      s += a * x[j];
      sa += Math.abs(a * x[j]);
    }
    const c0 = beta === 0 ? 0 : beta * y0[i];
    y[i] = alpha * s + c0;
    scale[i] = Math.abs(alpha) * sa + Math.abs(c0);
  }
  return { y, scale };
}

function randomSymmetric(n: number, next: () => number): Matrix {
  const A = randomMatrix(n, n, next);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A.data[j * n + i] = A.data[i * n + j];
  return A;
}

function packLower(A: Matrix): Float64Array {
  const n = A.rows;
  const ap = new Float64Array((n * (n + 1)) / 2);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) ap[(i * (i + 1)) / 2 + j] = A.data[i * n + j];
  return ap;
}

describe.each(builds)('wasm BLAS-2, $variant build', ({ kernels }) => {
  const backend = createWasmBackend({ kernels });

  it('gemv, both transposes, odd shapes, alpha/beta (A in wasm memory)', () => {
    let seed = 1;
    for (const m of sizes) {
      for (const n of sizes) {
        const next = rng(seed++);
        const A = toWasmMatrix(randomMatrix(m, n, next), kernels);
        for (const trans of [false, true]) {
          const x = fill(new Float64Array(trans ? m : n), next);
          const y0 = fill(new Float64Array(trans ? n : m), next);
          for (const [alpha, beta] of [
            [1, 0],
            [-0.5, 1],
            [2, 0.25],
          ]) {
            const { y: want, scale } = naiveGemv(trans, alpha, A, x, beta, y0);
            const y = y0.slice();
            backend.gemv(trans, alpha, A, x, beta, y);
            const err = maxRelError(y, want, scale);
            if (!(err <= TOL))
              throw new Error(`gemv ${m}×${n} trans=${trans} alpha=${alpha} beta=${beta}: ${err}`);
          }
        }
      }
    }
  });

  it('gemv: beta = 0 ignores NaN in y; alpha = 0 ignores NaN in A and x', () => {
    const A = toWasmMatrix(randomMatrix(5, 3, rng(2)), kernels);
    const x = Float64Array.from([1, 2, 3]);
    const y = new Float64Array(5).fill(NaN);
    backend.gemv(false, 1, A, x, 0, y);
    expect(Array.from(y).every(Number.isFinite)).toBe(true);
    A.data.fill(NaN);
    y.fill(1);
    backend.gemv(false, 0, A, new Float64Array(3).fill(NaN), 3, y);
    expect(Array.from(y)).toEqual([3, 3, 3, 3, 3]);
  });

  it('symv and spmv read only the lower triangle', () => {
    let seed = 50;
    for (const n of sizes) {
      const next = rng(seed++);
      const S = randomSymmetric(n, next);
      const { y: want, scale } = naiveGemv(
        false,
        0.7,
        S,
        fill(new Float64Array(n), rng(seed)),
        -1.5,
        fill(new Float64Array(n), rng(seed + 1)),
      );
      const x = fill(new Float64Array(n), rng(seed));
      const y0 = fill(new Float64Array(n), rng(seed + 1));
      const lowerOnly = toWasmMatrix(S, kernels);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) lowerOnly.data[i * n + j] = NaN;
      const y = y0.slice();
      backend.symv(0.7, lowerOnly, x, -1.5, y);
      expect(maxRelError(y, want, scale)).toBeLessThanOrEqual(TOL);
      const yp = y0.slice();
      backend.spmv(0.7, packLower(S), x, -1.5, yp);
      expect(maxRelError(yp, want, scale)).toBeLessThanOrEqual(TOL);
    }
  });

  it('syr updates both triangles, bitwise symmetric; spr matches on packed storage', () => {
    let seed = 80;
    for (const n of sizes) {
      const next = rng(seed++);
      const S = randomSymmetric(n, next);
      const x = fill(new Float64Array(n), next);
      const alpha = -1 / 3.7; // FORCE: P ← P − k kᵀ / c
      const want = new Float64Array(n * n);
      const scale = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          want[i * n + j] = S.data[i * n + j] + alpha * x[i] * x[j];
          scale[i * n + j] = Math.abs(S.data[i * n + j]) + Math.abs(alpha * x[i] * x[j]);
        }
      }
      const P = toWasmMatrix(S, kernels);
      backend.syr(alpha, x, P);
      expect(maxRelError(P.data, want, scale)).toBeLessThanOrEqual(TOL);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < i; j++) expect(P.data[i * n + j]).toBe(P.data[j * n + i]);
      const ap = packLower(S);
      backend.spr(alpha, x, ap);
      expect(Array.from(ap)).toEqual(Array.from(packLower(P)));
    }
  });

  it('FORCE step on wasm storage: k = P r, c = 1 + rᵀk, P ← P − k kᵀ/c keeps P symmetric', () => {
    const n = 65;
    const P = wasmMatrix(n, n, kernels);
    for (let i = 0; i < n; i++) P.data[i * n + i] = 1;
    const r = wasmVector(n, kernels);
    const k = wasmVector(n, kernels);
    const next = rng(7);
    for (let step = 0; step < 20; step++) {
      fill(r.data, next);
      backend.symv(1, P, r.data, 0, k.data);
      let c = 1;
      for (let i = 0; i < n; i++) c += r.data[i] * k.data[i];
      backend.syr(-1 / c, k.data, P);
    }
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) expect(P.data[i * n + j]).toBe(P.data[j * n + i]);
  });
});
