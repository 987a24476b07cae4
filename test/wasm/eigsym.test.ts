/**
 * Wasm symmetric eigensolver (blocked tridiagonalisation + divide and conquer + blocked
 * back-transformation) against the TS reference and numpy/scipy, on both kernel builds.
 */
import { describe, expect, it } from 'vitest';
import { tsBackend } from '../../src/linalg/index.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { wasmEigSym } from '../../src/linalg/wasm/eigsym.js';
import { createWasmBackend, createWorkerPool, wasmKernels } from '../../src/linalg/wasm/index.js';
import { hasPython, mulberry32, randn, runPython, toWire } from '../helpers/python.js';
import { expectRnnscopeError, fro, naiveMul, orthError } from '../linalg/util.js';
import { symmetric, withSpectrum } from '../linalg/eig-checks.js';
import { availableBuilds } from './helpers.js';

function tridiagonal(n: number, diag: (i: number) => number, off: (i: number) => number): Matrix {
  const A: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++) {
    A.data[i * n + i] = diag(i);
    if (i + 1 < n) A.data[i * n + i + 1] = A.data[(i + 1) * n + i] = off(i);
  }
  return A;
}

function diagonal(values: number[]): Matrix {
  const n = values.length;
  const A: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  values.forEach((v, i) => (A.data[i * n + i] = v));
  return A;
}

function cases(): Array<{ name: string; A: Matrix }> {
  const rng = mulberry32(41);
  const out: Array<{ name: string; A: Matrix }> = [
    { name: '1×1', A: { rows: 1, cols: 1, data: Float64Array.of(-3) } },
    { name: '2×2', A: { rows: 2, cols: 2, data: Float64Array.of(2, 1, 1, 2) } },
    { name: '3×3', A: symmetric(rng, 3) },
  ];
  // Around the panel width (32), the divide-and-conquer leaf (32) and GEMM tiles.
  for (const n of [5, 31, 32, 33, 34, 35, 63, 64, 65, 66, 97, 130, 200]) {
    out.push({ name: `random ${n}`, A: symmetric(rng, n) });
  }
  const rep = Array.from({ length: 150 }, (_, i) => Math.floor(i / 30) - 2);
  out.push(
    {
      name: 'repeated eigenvalues 30',
      A: withSpectrum(
        rng,
        Array.from({ length: 30 }, (_, i) => Math.floor(i / 10)),
      ),
    },
    { name: 'five eigenvalues ×30 (150)', A: withSpectrum(rng, rep) },
    {
      name: 'clustered 1 ± 1e-12 (12)',
      A: withSpectrum(
        rng,
        Array.from({ length: 12 }, (_, i) => 1 + i * 1e-12),
      ),
    },
    {
      name: 'clustered 1 + k·1e-13 (80)',
      A: withSpectrum(
        rng,
        Array.from({ length: 80 }, (_, i) => 1 + i * 1e-13),
      ),
    },
    {
      name: 'graded 1e-12…1e12 (25)',
      A: withSpectrum(
        rng,
        Array.from({ length: 25 }, (_, i) => 10 ** (i - 12)),
      ),
    },
    {
      name: 'graded 1e-15…1 (90)',
      A: withSpectrum(
        rng,
        Array.from({ length: 90 }, (_, i) => 10 ** (-i / 6)),
      ),
    },
    { name: 'rank 3 of 70 (ill-conditioned)', A: lowRank(rng, 70, 3) },
    { name: 'zero 4', A: { rows: 4, cols: 4, data: new Float64Array(16) } },
    { name: 'zero 50', A: { rows: 50, cols: 50, data: new Float64Array(2500) } },
    { name: 'identity 40', A: diagonal(Array.from({ length: 40 }, () => 1)) },
    { name: 'diagonal 3', A: diagonal([3, -1, 2]) },
    { name: 'diagonal 70', A: diagonal(Array.from({ length: 70 }, (_, i) => Math.sin(i) * 10)) },
    {
      name: 'Laplacian 200',
      A: tridiagonal(
        200,
        () => 2,
        () => -1,
      ),
    },
    {
      name: 'Wilkinson W⁺ 81',
      A: tridiagonal(
        81,
        (i) => Math.abs(i - 40),
        () => 1,
      ),
    },
    {
      name: 'split tridiagonal 90',
      A: tridiagonal(
        90,
        (i) => i % 7,
        (i) => (i === 44 ? 0 : 1e-3 * (i + 1)),
      ),
    },
  );
  return out;
}

function lowRank(rng: () => number, n: number, r: number): Matrix {
  const B = randn(rng, n, r);
  return naiveMul(B, B, false, true);
}

const CASES = cases();
const BUILDS = availableBuilds();

function check(A: Matrix, values: Float64Array, V: Matrix, name: string): void {
  const n = A.rows;
  for (let k = 1; k < n; k++) expect(values[k], name).toBeGreaterThanOrEqual(values[k - 1]);
  const AV = naiveMul(A, V);
  const R = AV.data.map((x, i) => x - values[i % n] * V.data[i]);
  expect(fro(R) / (fro(A) * fro(V) || 1), `${name} residual`).toBeLessThan(1e-12);
  expect(orthError(V), `${name} orthogonality`).toBeLessThan(1e-12);
  for (let k = 0; k < n; k++) {
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(V.data[i * n + k]));
    const dom = Array.from({ length: n }, (_, i) => i).find(
      (i) => Math.abs(V.data[i * n + k]) >= (1 - 1e-10) * max,
    )!;
    expect(V.data[dom * n + k], `${name} sign of column ${k}`).toBeGreaterThan(0);
  }
}

describe.each(BUILDS)('wasm eigSym ($variant build)', ({ kernels }) => {
  for (const c of CASES) {
    it(`${c.name}: residual and orthogonality < 1e-12, values match the TS reference`, () => {
      const before = kernels.arena.bytesInUse;
      const { values, vectors } = wasmEigSym(kernels, c.A);
      check(c.A, values, vectors!, c.name);
      const ref = tsBackend.eigSym(c.A, false).values;
      const radius = Math.max(...Array.from(ref, Math.abs), Number.MIN_VALUE);
      for (let k = 0; k < ref.length; k++)
        expect(Math.abs(values[k] - ref[k]) / radius, `${c.name} λ${k}`).toBeLessThan(1e-13);
      const only = wasmEigSym(kernels, c.A, false);
      expect(only.vectors).toBeUndefined();
      for (let k = 0; k < ref.length; k++)
        expect(
          Math.abs(only.values[k] - ref[k]) / radius,
          `${c.name} values-only λ${k}`,
        ).toBeLessThan(1e-13);
      expect(kernels.arena.bytesInUse).toBe(before);
    });
  }

  it('eigenvectors of a well-separated spectrum equal the TS reference (same sign convention)', () => {
    const A = symmetric(mulberry32(5), 150);
    const w = wasmEigSym(kernels, A).vectors!.data;
    const t = tsBackend.eigSym(A).vectors!.data;
    let worst = 0;
    for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(w[i] - t[i]));
    expect(worst).toBeLessThan(1e-9);
  });

  it('Laplacian eigenvalues are 2 − 2cos(kπ/(n+1))', () => {
    const n = 200;
    const { values } = wasmEigSym(
      kernels,
      tridiagonal(
        n,
        () => 2,
        () => -1,
      ),
    );
    for (let k = 0; k < n; k++)
      expect(Math.abs(values[k] - (2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))))).toBeLessThan(
        1e-13,
      );
  });

  it('extreme scales (1e±200) neither overflow nor underflow', () => {
    const A = symmetric(mulberry32(3), 70);
    const ref = wasmEigSym(kernels, A, false).values;
    const rho = Math.max(...Array.from(ref, Math.abs));
    for (const c of [1e200, 1e-200]) {
      const Ac = { rows: 70, cols: 70, data: A.data.map((x) => x * c) };
      const { values, vectors } = wasmEigSym(kernels, Ac);
      ref.forEach((v, k) => expect(Math.abs(values[k] / c - v) / rho).toBeLessThan(1e-13));
      expect(orthError(vectors!)).toBeLessThan(1e-12);
    }
  });

  it('diagonal input gives signed unit vectors in ascending order; 0×0 is empty', () => {
    const { values, vectors } = wasmEigSym(kernels, diagonal([3, -1, 2]));
    expect(Array.from(values)).toEqual([-1, 2, 3]);
    expect(Array.from(vectors!.data)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    const empty = wasmEigSym(kernels, { rows: 0, cols: 0, data: new Float64Array(0) });
    expect(empty.values.length).toBe(0);
    expect(empty.vectors!.rows).toBe(0);
  });

  it('errors (same codes and messages as the TS reference) leave no memory behind', () => {
    const before = kernels.arena.bytesInUse;
    const rng = mulberry32(2);
    expectRnnscopeError(() => wasmEigSym(kernels, randn(rng, 2, 3)), 'SHAPE_MISMATCH', /square/);
    expectRnnscopeError(
      () => wasmEigSym(kernels, { rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4) }),
      'INVALID_ARGUMENT',
      /symmetric.*A\[1\]\[0\] = 3/,
    );
    const A = symmetric(rng, 3);
    A.data[4] = NaN;
    expectRnnscopeError(() => wasmEigSym(kernels, A), 'NON_FINITE', /NaN/);
    expect(kernels.arena.bytesInUse).toBe(before);
  });
});

describe('createWasmBackend().eigSym', () => {
  it('is the wasm solver and reads only the lower triangle', () => {
    const b = createWasmBackend();
    const A = symmetric(mulberry32(9), 40);
    const L = { rows: 40, cols: 40, data: A.data.slice() };
    for (let i = 0; i < 40; i++) for (let j = i + 1; j < 40; j++) L.data[i * 40 + j] += 1e-10; // within the symmetry tolerance
    const got = b.eigSym(L);
    const want = wasmEigSym(b.kernels, A);
    expect(Array.from(got.values)).toEqual(Array.from(want.values));
  });
});

describe('wasm eigSym on the worker pool', () => {
  it('threaded GEMMs give bit-identical eigenvalues and eigenvectors', async () => {
    const pool = createWorkerPool({ threads: 2, kernels: wasmKernels() });
    await pool.ready();
    const A = symmetric(mulberry32(12), 300);
    const one = createWasmBackend({ threads: 1 }).eigSym(A);
    const two = createWasmBackend({ pool }).eigSym(A);
    expect(Array.from(two.values)).toEqual(Array.from(one.values));
    expect(Array.from(two.vectors!.data)).toEqual(Array.from(one.vectors!.data));
    if (pool.activeThreads() > 1) expect(pool.stats.split).toBeGreaterThan(0);
    await pool.close();
  });
});

describe.skipIf(!hasPython())('wasm eigSym against scipy.linalg.eigh', () => {
  it.each(BUILDS)(
    'eigenvalues agree to 1e-10 relative; N=400 residual and orthogonality ($variant)',
    ({ kernels }) => {
      const mats = [...CASES.map((c) => c.A), symmetric(mulberry32(77), 400)];
      const want = runPython<number[][]>(
        `out([sla.eigh(M(a), eigvals_only=True).tolist() for a in inp])`,
        mats.map(toWire),
      );
      mats.forEach((A, i) => {
        const { values } = wasmEigSym(kernels, A);
        const scale = Math.max(...want[i].map(Math.abs), Number.MIN_VALUE);
        want[i].forEach((w, k) =>
          expect(Math.abs(values[k] - w) / scale, `matrix ${i} λ${k}`).toBeLessThan(1e-10),
        );
      });
      const big = mats[mats.length - 1];
      const r = wasmEigSym(kernels, big);
      check(big, r.values, r.vectors!, 'random 400');
    },
  );
});
