/**
 * The wasm thin SVD (bidiagonalisation + divide and conquer, QR first for tall matrices) against
 * numpy.linalg.svd and the TS reference, on shapes and spectra that reach every path: several
 * levels of merges, QR-first and direct tall paths, wide via Aᵀ, ill-conditioned, rank-deficient,
 * repeated and clustered singular values (deflation by rotation), zero and diagonal matrices.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tsBackend } from '../../src/linalg/index.js';
import type { SvdResult } from '../../src/linalg/backend.js';
import { wasmSvd } from '../../src/linalg/wasm/svd.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { createWasmBackend, createWorkerPool, wasmKernels } from '../../src/linalg/wasm/index.js';
import { hasPython, mulberry32, randn, runPython, toWire } from '../helpers/python.js';
import { fro, naiveMul, orthError, sub } from '../linalg/util.js';
import { sameBits } from './pool-helpers.js';

const wasm = createWasmBackend({ threads: 1 });

/** Q·diag(s)·Wᵀ with random orthogonal Q (m×k) and W (n×k), k = s.length. */
function withSpectrum(rng: () => number, m: number, n: number, s: number[]): Matrix {
  const k = s.length;
  const Q = tsBackend.qr(randn(rng, m, k)).Q;
  const W = tsBackend.qr(randn(rng, n, k)).Q;
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) Q.data[i * k + j] *= s[j];
  return naiveMul(Q, W, false, true);
}

function cases(): Array<{ name: string; A: Matrix; cond?: boolean }> {
  const rng = mulberry32(23);
  const graded = randn(rng, 80, 80);
  for (let i = 0; i < 80; i++)
    for (let j = 0; j < 80; j++) graded.data[i * 80 + j] *= 10 ** (-i / 8);
  const diag = { rows: 60, cols: 60, data: new Float64Array(3600) };
  for (let i = 0; i < 60; i++) diag.data[i * 60 + i] = ((i * 37) % 60) - 29.5;
  const bidiag = { rows: 64, cols: 64, data: new Float64Array(64 * 64) };
  for (let i = 0; i < 64; i++) {
    bidiag.data[i * 65] = rng();
    if (i < 63) bidiag.data[i * 65 + 1] = rng();
  }
  // Zero and tiny diagonal entries: halves with (near-)zero singular values at the merges.
  const holes = { rows: 100, cols: 100, data: new Float64Array(100 * 100) };
  for (let i = 0; i < 100; i++) {
    holes.data[i * 101] = i === 5 || i === 70 ? 0 : i === 40 ? 1e-17 : 1 + rng();
    if (i < 99) holes.data[i * 101 + 1] = rng();
  }
  return [
    { name: 'random 150×150 (three levels of merges)', A: randn(rng, 150, 150) },
    { name: 'tall 400×90 (QR first)', A: randn(rng, 400, 90) },
    { name: 'wide 90×300 (through Aᵀ)', A: randn(rng, 90, 300) },
    { name: '130×100 (bidiagonalised directly, m > n)', A: randn(rng, 130, 100) },
    {
      name: 'ill-conditioned 120×120, σ from 1 to 1e-14',
      A: withSpectrum(
        rng,
        120,
        120,
        Array.from({ length: 120 }, (_, i) => 10 ** ((-14 * i) / 119)),
      ),
      cond: true,
    },
    {
      name: 'rank 15, 140×100',
      A: naiveMul(randn(rng, 140, 15), randn(rng, 15, 100)),
      cond: true,
    },
    {
      name: 'orthogonal ×3, 100×100 (all σ equal)',
      A: withSpectrum(rng, 100, 100, Array(100).fill(3)),
    },
    {
      name: 'clusters 1 ± 1e-13 and 2 ± 1e-13, 90×90',
      A: withSpectrum(
        rng,
        90,
        90,
        Array.from({ length: 90 }, (_, i) => (i < 45 ? 2 : 1) + 1e-13 * (i % 7)),
      ),
    },
    { name: 'graded rows 80×80 (row i × 10^(−i/8))', A: graded, cond: true },
    { name: 'zero 70×50', A: { rows: 70, cols: 50, data: new Float64Array(3500) } },
    { name: 'diagonal 60×60 (already bidiagonal, e = 0)', A: diag },
    { name: 'upper bidiagonal 64×64', A: bidiag },
    { name: 'bidiagonal 100×100 with zero and 1e-17 diagonal entries', A: holes, cond: true },
    { name: '1×1', A: { rows: 1, cols: 1, data: Float64Array.of(-2) } },
    { name: '40×1', A: randn(rng, 40, 1) },
    { name: '1×40', A: randn(rng, 1, 40) },
    { name: '2×2', A: randn(rng, 2, 2) },
  ];
}

const CASES = cases();

/** The same SVD with the one-pass bidiagonalisation kernel forced (large inputs take it). */
const fused = (A: Matrix): SvdResult => wasmSvd(wasmKernels(), A, undefined, { fuseBytes: 0 });

describe.each([
  { path: 'default', svd: (A: Matrix) => wasm.svd(A) },
  { path: 'one-pass reduction', svd: fused },
])('wasm svd ($path): factorisation', ({ svd }) => {
  it.each(CASES)('$name: A = U·S·Vᵀ and orthonormality to 1e-12, S descending', ({ A }) => {
    const { rows: m, cols: n } = A;
    const k = Math.min(m, n);
    const { U, S, V } = svd(A);
    expect([U.rows, U.cols, S.length, V.rows, V.cols]).toEqual([m, k, k, n, k]);
    for (let j = 0; j < k; j++) expect(S[j]).toBeGreaterThanOrEqual(0);
    for (let j = 1; j < k; j++) expect(S[j]).toBeLessThanOrEqual(S[j - 1]);
    const US = { rows: m, cols: k, data: U.data.map((u, i) => u * S[i % k]) };
    expect(fro(sub(naiveMul(US, V, false, true), A)) / (fro(A) || 1)).toBeLessThan(1e-12);
    expect(orthError(U)).toBeLessThan(1e-12);
    expect(orthError(V)).toBeLessThan(1e-12);
    for (let j = 0; j < k; j++) {
      // Sign convention of the reference: the first entry of largest modulus in each V column > 0.
      let max = 0;
      for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(V.data[i * k + j]));
      if (max === 0) continue;
      let i = 0;
      while (Math.abs(V.data[i * k + j]) < (1 - 1e-10) * max) i++;
      expect(V.data[i * k + j]).toBeGreaterThan(0);
    }
  });

  it('agrees with the TS reference (values, and vectors where σ is well separated)', () => {
    const A = CASES[0].A;
    const w = svd(A);
    const t = tsBackend.svd(A);
    const k = w.S.length;
    for (let j = 0; j < k; j++) expect(Math.abs(w.S[j] - t.S[j])).toBeLessThan(1e-13 * t.S[0]);
    for (let j = 0; j < k; j++) {
      const gap = Math.min(
        j > 0 ? t.S[j - 1] - t.S[j] : Infinity,
        j < k - 1 ? t.S[j] - t.S[j + 1] : Infinity,
      );
      let d = 0;
      for (let i = 0; i < A.cols; i++)
        d = Math.max(d, Math.abs(w.V.data[i * k + j] - t.V.data[i * k + j]));
      for (let i = 0; i < A.rows; i++)
        d = Math.max(d, Math.abs(w.U.data[i * k + j] - t.U.data[i * k + j]));
      expect(d, `column ${j}`).toBeLessThan((1e-13 * t.S[0]) / gap);
    }
  });

  it('extreme scales (1e±200) neither overflow nor underflow', () => {
    const A = randn(mulberry32(4), 50, 40);
    const ref = svd(A).S;
    for (const c of [1e200, 1e-200]) {
      const S = svd({ rows: 50, cols: 40, data: A.data.map((x) => x * c) }).S;
      ref.forEach((s, k) => expect(Math.abs(S[k] / c - s) / ref[0]).toBeLessThan(1e-13));
    }
  });
});

describe.skipIf(!hasPython())('wasm svd against numpy', () => {
  const want = hasPython()
    ? runPython<number[][]>(
        `out([np.linalg.svd(M(a), compute_uv=False).tolist() for a in inp])`,
        CASES.map((c) => toWire(c.A)),
      )
    : [];
  it.each([
    { path: 'default', svd: (A: Matrix) => wasm.svd(A) },
    { path: 'one-pass reduction', svd: fused },
  ])('singular values: 1e-10 relative (+1e-13·σ₁ where ill-conditioned) ($path)', ({ svd }) => {
    CASES.forEach((c, i) => {
      const { S } = svd(c.A);
      const s1 = want[i][0] || 1;
      want[i].forEach((w, k) => {
        const tol = c.cond ? 1e-10 * w + 1e-13 * s1 : 1e-10 * w + 1e-15 * s1;
        expect(Math.abs(S[k] - w), `${c.name} σ${k}`).toBeLessThanOrEqual(tol);
      });
    });
  });
});

describe('wasm svd on the worker pool', () => {
  const pool = createWorkerPool({
    kernels: wasmKernels(),
    threads: 2,
    minFlops: 0,
    minGemvFlops: 0,
    adaptive: false,
  });
  afterAll(() => pool.close());
  it('gives the same bits as one thread (split GEMMs and GEMVs are bit-identical)', async () => {
    await pool.ready();
    const A = randn(mulberry32(8), 160, 120);
    const one = wasm.svd(A);
    const split0 = pool.stats.split;
    const two = createWasmBackend({ pool }).svd(A);
    expect(sameBits(two.S, one.S)).toBe(true);
    expect(sameBits(two.U.data, one.U.data)).toBe(true);
    expect(sameBits(two.V.data, one.V.data)).toBe(true);
    if (pool.activeThreads() > 1) expect(pool.stats.split).toBeGreaterThan(split0);
  });
});
