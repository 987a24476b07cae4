/**
 * Streamed PCA (XᵀX accumulated chunk by chunk, shifted for accuracy) against an SVD of the
 * centred data in numpy (what scikit-learn's PCA computes), on the TS and wasm backends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend, pca, projectOnto, setBackend, tsBackend } from '../../src/linalg/index.js';
import type { LinalgBackend } from '../../src/linalg/backend.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { createWasmBackend, createWorkerPool, wasmKernels } from '../../src/linalg/wasm/index.js';
import {
  hasPython,
  mulberry32,
  randn,
  runPython,
  toWire,
  type WireMatrix,
} from '../helpers/python.js';
import { expectRnnscopeError } from './util.js';

const original = getBackend();
afterEach(() => setBackend(original));

const backends: LinalgBackend[] = [tsBackend, createWasmBackend()];

/** T×N data with correlated columns, column offsets `offset·(j+1)` and per-column scales. */
function data(seed: number, T: number, N: number, offset: number): Matrix {
  const rng = mulberry32(seed);
  const Z = randn(rng, T, N);
  const mix = randn(rng, N, N, 1 / Math.sqrt(N));
  const X = new Float64Array(T * N);
  for (let i = 0; i < T; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += Z.data[i * N + k] * mix.data[k * N + j] * (k + 1);
      X[i * N + j] = s + offset * (j + 1);
    }
  }
  return { rows: T, cols: N, data: X };
}

function* rowChunks(X: Matrix, sizes: number[]): Generator<Matrix> {
  let r = 0;
  let i = 0;
  while (r < X.rows) {
    const n = Math.min(sizes[i++ % sizes.length], X.rows - r);
    yield { rows: n, cols: X.cols, data: X.data.subarray(r * X.cols, (r + n) * X.cols) };
    r += n;
  }
}

const REF = `
res = []
for item in inp:
    X = M(item['X']); k = item['k']; center = item['center']
    T = X.shape[0]
    if center:
        mu = X.mean(axis=0); Xc = X - mu
        U, S, Vt = np.linalg.svd(Xc, full_matrices=False)
        ev = S**2 / (T - 1)
    else:
        mu = np.zeros(X.shape[1]); Xc = X
        w, V = np.linalg.eigh(X.T @ X / T)
        order = np.argsort(w)[::-1]; ev = w[order]; Vt = V[:, order].T
    C = Vt[:k].T.copy()
    for c in range(k):
        col = C[:, c]; m = np.abs(col).max()
        i = int(np.argmax(np.abs(col) >= (1 - 1e-10) * m))
        if col[i] < 0: C[:, c] = -col
    res.append({'mean': mu.tolist(), 'comps': W(C), 'ev': ev[:k].tolist(),
                'total': float(ev.sum()), 'scores': W(Xc @ C)})
out(res)
`;

interface Ref {
  mean: number[];
  comps: WireMatrix;
  ev: number[];
  total: number;
  scores: WireMatrix;
}

function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < want.length; i++) {
    d = Math.max(d, Math.abs(got[i] - want[i]));
    s = Math.max(s, Math.abs(want[i]));
  }
  return d / (s || 1);
}

describe.skipIf(!hasPython())('pca against numpy (SVD of the centred data)', () => {
  const X1 = data(1, 300, 7, 10);
  const X2 = data(2, 1000, 40, 1e6); // mean 1e6·j, spread O(1): naive XᵀX − Tμμᵀ would lose ~12 digits
  const X3 = data(3, 257, 12, 3);
  const cases = [
    { X: X1, k: 3, center: true },
    { X: X2, k: 5, center: true },
    { X: X3, k: 12, center: false },
  ];
  const want = hasPython()
    ? runPython<Ref[]>(
        REF,
        cases.map((c) => ({ X: toWire(c.X), k: c.k, center: c.center })),
      )
    : [];

  it.each(backends)(
    'mean, components, variances, ratios and scores agree to 1e-10 ($name)',
    (b) => {
      setBackend(b);
      cases.forEach((c, i) => {
        const w = want[i];
        for (const input of [c.X, rowChunks(c.X, [1, 64, 7, 100])]) {
          const p = pca(input, { components: c.k, center: c.center, chunkRows: 50 });
          expect(p.samples).toBe(c.X.rows);
          expect(relErr(p.mean, w.mean), `case ${i} mean`).toBeLessThan(1e-12);
          expect(relErr(p.components.data, w.comps.data), `case ${i} components`).toBeLessThan(
            1e-10,
          );
          expect(relErr(p.explainedVariance, w.ev), `case ${i} variance`).toBeLessThan(1e-10);
          expect(Math.abs(p.totalVariance - w.total) / w.total).toBeLessThan(1e-10);
          const ratio = w.ev.map((v) => v / w.total);
          expect(relErr(p.explainedVarianceRatio, ratio)).toBeLessThan(1e-10);
          // Scores inherit the rounding of X − μ itself (|X|·eps absolute; |X| ≈ 4e7 in case 1).
          const scoreTol = i === 1 ? 1e-8 : 1e-10;
          expect(relErr(projectOnto(p, c.X).data, w.scores.data), `case ${i} scores`).toBeLessThan(
            scoreTol,
          );
        }
      });
    },
  );
});

describe('pca on the worker pool', () => {
  it('the threaded SYRK gives the same result as one thread', async () => {
    const pool = createWorkerPool({ threads: 2, kernels: wasmKernels() });
    await pool.ready();
    const X = data(8, 3000, 120, 5);
    setBackend(createWasmBackend({ threads: 1 }));
    const one = pca(X, { components: 4 });
    setBackend(createWasmBackend({ pool }));
    const two = pca(X, { components: 4 });
    expect(Array.from(two.explainedVariance)).toEqual(Array.from(one.explainedVariance));
    expect(Array.from(two.components.data)).toEqual(Array.from(one.components.data));
    if (pool.activeThreads() > 1) expect(pool.stats.split).toBeGreaterThan(0);
    await pool.close();
  });
});

describe.each(backends)('pca ($name)', (b) => {
  it('chunking does not change the result; default chunk size; all components by default', () => {
    setBackend(b);
    const X = data(4, 500, 9, 2);
    const whole = pca(X);
    expect(whole.components.cols).toBe(9);
    const parts = pca(rowChunks(X, [13, 250, 1]), { chunkRows: 31 });
    expect(relErr(parts.explainedVariance, whole.explainedVariance)).toBeLessThan(1e-13);
    expect(relErr(parts.components.data, whole.components.data)).toBeLessThan(1e-10);
    const sum = whole.explainedVarianceRatio.reduce((s, v) => s + v, 0);
    expect(sum).toBeCloseTo(1, 12);
  });

  it('one sample: zero variance, the sample is the mean', () => {
    setBackend(b);
    const p = pca({ rows: 1, cols: 3, data: Float64Array.of(1, 2, 3) }, { components: 2 });
    expect(Array.from(p.mean)).toEqual([1, 2, 3]);
    expect(Array.from(p.explainedVariance)).toEqual([0, 0]);
    expect(p.totalVariance).toBe(0);
  });

  it('errors: no rows, mismatched chunks, bad component count, non-finite data', () => {
    setBackend(b);
    expectRnnscopeError(() => pca([]), 'INVALID_ARGUMENT', /no rows/);
    const X = data(5, 20, 4, 0);
    expectRnnscopeError(() => pca([X, data(6, 3, 5, 0)]), 'SHAPE_MISMATCH', /4 columns/);
    expectRnnscopeError(() => pca(X, { components: 5 }), 'INVALID_ARGUMENT', /\[1, 4\]/);
    expectRnnscopeError(() => pca(X, { components: 0 }), 'INVALID_ARGUMENT', /components/);
    const bad = { rows: 20, cols: 4, data: X.data.slice() };
    bad.data[13] = NaN;
    expectRnnscopeError(() => pca(bad), 'NON_FINITE', /column 1/);
    expectRnnscopeError(
      () => projectOnto(pca(X), data(7, 2, 3, 0)),
      'SHAPE_MISMATCH',
      /4 variables/,
    );
  });
});
