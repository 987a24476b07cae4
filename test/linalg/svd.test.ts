import { describe, expect, it } from 'vitest';
import { tsBackend } from '../../src/linalg/index.js';
import { createWasmBackend } from '../../src/linalg/wasm/index.js';
import type { LinalgBackend } from '../../src/linalg/backend.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { hasPython, mulberry32, randn, runPython, toWire } from '../helpers/python.js';
import { expectRnnscopeError, fro, naiveMul, orthError, sub } from './util.js';

const backends: LinalgBackend[] = [tsBackend, createWasmBackend({ threads: 1 })];

/** Every column equal: rank one, with exact cancellations during the factorisation. */
function duplicateColumns(rng: () => number, m: number, n: number): Matrix {
  const A = randn(rng, m, n);
  for (let i = 0; i < m; i++) for (let j = 1; j < n; j++) A.data[i * n + j] = A.data[i * n];
  return A;
}

function cases(): Array<{ name: string; A: Matrix }> {
  const rng = mulberry32(17);
  const lowRank = naiveMul(randn(rng, 50, 5), randn(rng, 5, 40));
  const scaledCols = randn(rng, 30, 10);
  for (let i = 0; i < 30; i++)
    for (let j = 0; j < 10; j++) scaledCols.data[i * 10 + j] *= 10 ** (j - 5);
  return [
    { name: '1×1', A: { rows: 1, cols: 1, data: Float64Array.of(-2) } },
    { name: '1×6', A: randn(rng, 1, 6) },
    { name: '6×1', A: randn(rng, 6, 1) },
    { name: 'square 60', A: randn(rng, 60, 60) },
    { name: 'tall 120×30', A: randn(rng, 120, 30) },
    { name: 'wide 25×90', A: randn(rng, 25, 90) },
    { name: 'rank 5, 50×40', A: lowRank },
    { name: 'columns scaled 1e-5…1e4', A: scaledCols },
    { name: 'zero 5×3', A: { rows: 5, cols: 3, data: new Float64Array(15) } },
    { name: 'duplicate columns 40×12', A: duplicateColumns(rng, 40, 12) },
    { name: 'square 200', A: randn(rng, 200, 200) },
    { name: 'tall 300×80', A: randn(rng, 300, 80) },
  ];
}

const CASES = cases();

describe.each(backends)('svd ($name)', (b) => {
  for (const c of CASES) {
    it(`${c.name}: A = U·S·Vᵀ, orthonormal U and V, descending S`, () => {
      const { rows: m, cols: n } = c.A;
      const k = Math.min(m, n);
      const { U, S, V } = b.svd(c.A);
      expect([U.rows, U.cols, S.length, V.rows, V.cols]).toEqual([m, k, k, n, k]);
      for (let j = 1; j < k; j++) expect(S[j]).toBeLessThanOrEqual(S[j - 1]);
      for (let j = 0; j < k; j++) expect(S[j]).toBeGreaterThanOrEqual(0);
      const US = { rows: m, cols: k, data: U.data.map((u, i) => u * S[i % k]) };
      expect(fro(sub(naiveMul(US, V, false, true), c.A)) / (fro(c.A) || 1)).toBeLessThan(1e-12);
      expect(orthError(U)).toBeLessThan(1e-12);
      expect(orthError(V)).toBeLessThan(1e-12);
      for (let j = 0; j < k; j++) {
        // Sign convention: the first entry of largest modulus in each V column is positive.
        let max = 0;
        for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(V.data[i * k + j]));
        const dom = Array.from({ length: n }, (_, i) => i).find(
          (i) => Math.abs(V.data[i * k + j]) >= (1 - 1e-10) * max,
        )!;
        expect(V.data[dom * k + j]).toBeGreaterThan(0);
      }
    });
  }

  it('extreme scales (1e±200) neither overflow nor underflow', () => {
    const A = randn(mulberry32(3), 12, 7);
    const ref = b.svd(A).S;
    for (const c of [1e200, 1e-200]) {
      const S = b.svd({ rows: 12, cols: 7, data: A.data.map((x) => x * c) }).S;
      ref.forEach((s, k) => expect(Math.abs(S[k] / c - s) / ref[0]).toBeLessThan(1e-13));
    }
  });

  it('errors: NaN/Inf', () => {
    const A = randn(mulberry32(1), 3, 4);
    A.data[0] = Infinity;
    expectRnnscopeError(() => b.svd(A), 'NON_FINITE', /Infinity at \(0, 0\)/);
  });
});

describe.skipIf(!hasPython())('svd against numpy', () => {
  it.each(backends)('singular values agree to 1e-12 relative to the largest ($name)', (b) => {
    const want = runPython<number[][]>(
      `out([np.linalg.svd(M(a), compute_uv=False).tolist() for a in inp])`,
      CASES.map((c) => toWire(c.A)),
    );
    CASES.forEach((c, i) => {
      const { S } = b.svd(c.A);
      const scale = want[i][0] || 1;
      want[i].forEach((w, k) =>
        expect(Math.abs(S[k] - w) / scale, `${c.name} σ${k}`).toBeLessThan(1e-12),
      );
    });
  });
});
