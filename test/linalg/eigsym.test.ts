import { describe, expect, it } from 'vitest';
import { tsBackend } from '../../src/linalg/index.js';
import type { LinalgBackend } from '../../src/linalg/backend.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { hasPython, mulberry32, randn, runPython, toWire } from '../helpers/python.js';
import { expectRnnscopeError, fro, naiveMul, orthError } from './util.js';
import { symmetric, withSpectrum } from './eig-checks.js';

const backends: LinalgBackend[] = [tsBackend];

function laplacian(n: number): Matrix {
  const A: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++) {
    A.data[i * n + i] = 2;
    if (i > 0) A.data[i * n + i - 1] = -1;
    if (i + 1 < n) A.data[i * n + i + 1] = -1;
  }
  return A;
}

function cases(): Array<{ name: string; A: Matrix }> {
  const rng = mulberry32(31);
  return [
    { name: '1×1', A: { rows: 1, cols: 1, data: Float64Array.of(4) } },
    { name: '2×2', A: { rows: 2, cols: 2, data: Float64Array.of(2, 1, 1, 2) } },
    { name: 'random 5', A: symmetric(rng, 5) },
    { name: 'random 50', A: symmetric(rng, 50) },
    { name: 'random 200', A: symmetric(rng, 200) },
    {
      name: 'repeated eigenvalues 30',
      A: withSpectrum(
        rng,
        Array.from({ length: 30 }, (_, i) => Math.floor(i / 10)),
      ),
    },
    {
      name: 'clustered 1 ± 1e-12',
      A: withSpectrum(
        rng,
        Array.from({ length: 12 }, (_, i) => 1 + i * 1e-12),
      ),
    },
    {
      name: 'graded 1e-12…1e12',
      A: withSpectrum(
        rng,
        Array.from({ length: 25 }, (_, i) => 10 ** (i - 12)),
      ),
    },
    { name: 'zero 4', A: { rows: 4, cols: 4, data: new Float64Array(16) } },
    {
      name: 'diagonal',
      A: { rows: 3, cols: 3, data: Float64Array.of(3, 0, 0, 0, -1, 0, 0, 0, 2) },
    },
    { name: 'Laplacian 60', A: laplacian(60) },
  ];
}

const CASES = cases();

describe.each(backends)('eigSym ($name)', (b) => {
  for (const c of CASES) {
    it(`${c.name}: ascending values, residual and orthogonality < 1e-12, sign convention`, () => {
      const n = c.A.rows;
      const { values, vectors } = b.eigSym(c.A);
      const V = vectors!;
      for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
      const AV = naiveMul(c.A, V);
      const R = AV.data.map((x, i) => x - values[i % n] * V.data[i]);
      expect(fro(R) / (fro(c.A) * fro(V) || 1)).toBeLessThan(1e-12);
      expect(orthError(V)).toBeLessThan(1e-12);
      for (let k = 0; k < n; k++) {
        let max = 0;
        for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(V.data[i * n + k]));
        const dom = Array.from({ length: n }, (_, i) => i).find(
          (i) => Math.abs(V.data[i * n + k]) >= (1 - 1e-10) * max,
        )!;
        expect(V.data[dom * n + k]).toBeGreaterThan(0);
      }
      const only = b.eigSym(c.A, false);
      expect(only.vectors).toBeUndefined();
      const scale = Math.max(...Array.from(values, Math.abs), Number.MIN_VALUE);
      for (let k = 0; k < n; k++)
        expect(Math.abs(only.values[k] - values[k]) / scale).toBeLessThan(1e-13);
    });
  }

  it('extreme scales (1e±200) neither overflow nor underflow', () => {
    const A = symmetric(mulberry32(3), 15);
    const ref = b.eigSym(A, false).values;
    const rho = Math.max(...Array.from(ref, Math.abs));
    for (const c of [1e200, 1e-200]) {
      const { values, vectors } = b.eigSym({ rows: 15, cols: 15, data: A.data.map((x) => x * c) });
      ref.forEach((v, k) => expect(Math.abs(values[k] / c - v) / rho).toBeLessThan(1e-13));
      expect(orthError(vectors!)).toBeLessThan(1e-12);
    }
  });

  it('Laplacian eigenvalues are 2 − 2cos(kπ/(n+1))', () => {
    const n = 60;
    const { values } = b.eigSym(laplacian(n), false);
    for (let k = 0; k < n; k++)
      expect(values[k]).toBeCloseTo(2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)), 13);
  });

  it('diagonal input gives signed unit vectors in ascending order', () => {
    const { values, vectors } = b.eigSym({
      rows: 3,
      cols: 3,
      data: Float64Array.of(3, 0, 0, 0, -1, 0, 0, 0, 2),
    });
    expect(Array.from(values)).toEqual([-1, 2, 3]);
    expect(Array.from(vectors!.data)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
  });

  it('errors: non-square, non-symmetric, NaN', () => {
    const rng = mulberry32(2);
    expectRnnscopeError(() => b.eigSym(randn(rng, 2, 3)), 'SHAPE_MISMATCH', /square/);
    expectRnnscopeError(
      () => b.eigSym({ rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4) }),
      'INVALID_ARGUMENT',
      /symmetric.*A\[1\]\[0\] = 3/,
    );
    const A = symmetric(rng, 3);
    A.data[4] = NaN;
    expectRnnscopeError(() => b.eigSym(A), 'NON_FINITE', /NaN/);
  });
});

describe.skipIf(!hasPython())('eigSym against numpy.linalg.eigh', () => {
  it.each(backends)('eigenvalues agree to 1e-12 relative to the spectral radius ($name)', (b) => {
    const want = runPython<number[][]>(
      `out([np.linalg.eigvalsh(M(a)).tolist() for a in inp])`,
      CASES.map((c) => toWire(c.A)),
    );
    CASES.forEach((c, i) => {
      const { values } = b.eigSym(c.A, false);
      const scale = Math.max(...want[i].map(Math.abs), Number.MIN_VALUE);
      want[i].forEach((w, k) =>
        expect(Math.abs(values[k] - w) / scale, `${c.name} λ${k}`).toBeLessThan(1e-12),
      );
    });
  });
});
