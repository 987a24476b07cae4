import { describe, expect, it } from 'vitest';
import { sortEig, tsBackend } from '../../src/linalg/index.js';
import type { LinalgBackend } from '../../src/linalg/backend.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { hasPython, mulberry32, randn, runPython, toWire } from '../helpers/python.js';
import {
  eigResidual,
  expectRnnscopeError,
  leftResidual,
  naiveMul,
  spectrumDistance,
} from './util.js';
import {
  blockDiag,
  checkStructure,
  checkVectors,
  cyclicPermutation,
  expectScipyVectors,
  frank,
  graded,
  jordan,
  orthogonal,
  rot2,
  rotate,
} from './eig-checks.js';

const backends: LinalgBackend[] = [tsBackend];

// ---- test matrices --------------------------------------------------------------------------

/** S·D·S⁻¹ with cond(S) = 1e5: far from normal, eigenvalues still distinct. */
function nonNormal(rng: () => number, n: number): Matrix {
  const sv: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++) sv.data[i * n + i] = 10 ** ((-5 * i) / (n - 1));
  const S = naiveMul(naiveMul(orthogonal(rng, n), sv), orthogonal(rng, n));
  const D: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++) D.data[i * n + i] = i + 1;
  return naiveMul(naiveMul(S, D), tsBackend.solve(S, { rows: n, cols: n, data: identityData(n) }));
}

function identityData(n: number): Float64Array {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) d[i * n + i] = 1;
  return d;
}

/** Companion matrix of a random monic polynomial (already Hessenberg, badly scaled). */
function companion(rng: () => number, n: number): Matrix {
  const C: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let j = 0; j < n; j++) C.data[j] = 10 * (rng() - 0.5);
  for (let i = 1; i < n; i++) C.data[i * n + i - 1] = 1;
  return C;
}

function symmetric(rng: () => number, n: number): Matrix {
  const B = randn(rng, n, n);
  const A: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) A.data[i * n + j] = B.data[i * n + j] + B.data[j * n + i];
  return A;
}

interface Case {
  name: string;
  A: Matrix;
  /** Eigenvalues well conditioned: compare with scipy to 1e-10. */
  wellConditioned: boolean;
  /** Diagonalisable with a well-conditioned eigenvector matrix: left vectors can be tested. */
  left: boolean;
}

function cases(): Case[] {
  const rng = mulberry32(2024);
  const rnn = (n: number) => randn(rng, n, n, 1.5 / Math.sqrt(n)); // RNN-style J = g·W/√N
  return [
    {
      name: '1×1',
      A: { rows: 1, cols: 1, data: Float64Array.of(-3) },
      wellConditioned: true,
      left: true,
    },
    {
      name: '2×2 complex',
      A: { rows: 2, cols: 2, data: Float64Array.of(1, -2, 3, 1) },
      wellConditioned: true,
      left: true,
    },
    {
      name: '2×2 real pair',
      A: { rows: 2, cols: 2, data: Float64Array.of(2, 1, 1, 3) },
      wellConditioned: true,
      left: true,
    },
    { name: 'random 5', A: rnn(5), wellConditioned: true, left: true },
    { name: 'random 50', A: rnn(50), wellConditioned: true, left: true },
    { name: 'random 200', A: rnn(200), wellConditioned: true, left: true },
    { name: 'symmetric 40', A: symmetric(rng, 40), wellConditioned: true, left: true },
    {
      name: 'rotations 30 (complex spectrum)',
      A: rotate(
        rng,
        blockDiag(Array.from({ length: 15 }, (_, k) => rot2(1 + k / 10, 0.3 + k / 7))),
      ),
      wellConditioned: true,
      left: true,
    },
    { name: 'cyclic permutation 7', A: cyclicPermutation(7), wellConditioned: true, left: true },
    { name: 'rotation by 90°', A: rot2(1, Math.PI / 2), wellConditioned: true, left: true },
    {
      name: 'zero 4',
      A: { rows: 4, cols: 4, data: new Float64Array(16) },
      wellConditioned: true,
      left: true,
    },
    {
      name: 'upper triangular 6',
      A: {
        rows: 6,
        cols: 6,
        data: Float64Array.from({ length: 36 }, (_, i) =>
          i % 7 === 0 ? i / 7 + 1 : Math.floor(i / 6) < i % 6 ? 0.5 : 0,
        ),
      },
      wellConditioned: true,
      left: true,
    },
    { name: 'graded 60', A: graded(rng, 60), wellConditioned: false, left: false },
    {
      name: 'non-normal 30 (cond(S) = 1e5)',
      A: nonNormal(rng, 30),
      wellConditioned: false,
      left: false,
    },
    {
      name: 'Frank 40 (ill-conditioned eigenvalues)',
      A: frank(40),
      wellConditioned: false,
      left: false,
    },
    { name: 'companion 12', A: companion(rng, 12), wellConditioned: false, left: true },
    { name: 'Jordan block 6', A: jordan(6, 2), wellConditioned: false, left: false },
    {
      name: 'rotated Jordan blocks 10',
      A: rotate(
        rng,
        blockDiag([
          jordan(4, 1),
          jordan(3, -0.5),
          rot2(1, 1),
          { rows: 1, cols: 1, data: Float64Array.of(3) },
        ]),
      ),
      wellConditioned: false,
      left: false,
    },
  ];
}

const CASES = cases();

describe.each(backends)('eig ($name)', (b) => {
  for (const c of CASES) {
    it(`${c.name}: residual, pair structure, normalisation, values-only path`, () => {
      const n = c.A.rows;
      const a0 = c.A.data.slice();
      const r = b.eig(c.A);
      expect(Array.from(c.A.data)).toEqual(Array.from(a0)); // input untouched
      expect(r.vectors).toBeDefined();
      checkStructure(r, n);
      const V = r.vectors!;
      expect(eigResidual(c.A, r.re, r.im, V.re, V.im)).toBeLessThan(1e-12);
      checkVectors(V, r.im, n);
      const v = b.eig(c.A, { vectors: false });
      expect(v.vectors).toBeUndefined();
      checkStructure(v, n);
      if (c.wellConditioned)
        expect(spectrumDistance(v.re, v.im, Array.from(r.re), Array.from(r.im))).toBeLessThan(
          1e-12,
        );
    });
  }

  for (const c of CASES.filter((x) => x.left)) {
    it(`${c.name}: left eigenvectors`, () => {
      const r = b.eig(c.A, { left: true });
      const Y = r.leftVectors!;
      expect(leftResidual(c.A, r.re, r.im, Y.re, Y.im)).toBeLessThan(1e-12);
      checkVectors(Y, r.im, c.A.rows);
      expect(r.vectors).toBeDefined();
    });
  }

  it('left eigenvectors of an exactly defective matrix throw SINGULAR', () => {
    expectRnnscopeError(() => b.eig(jordan(3, 1), { left: true }), 'SINGULAR', /defective/);
  });

  it('extreme scales (1e±200) neither overflow nor underflow', () => {
    const A = randn(mulberry32(8), 20, 20, 1 / Math.sqrt(20));
    const ref = b.eig(A);
    for (const c of [1e200, 1e-200]) {
      const r = b.eig({ rows: 20, cols: 20, data: A.data.map((x) => x * c) });
      const re = r.re.map((x) => x / c);
      const im = r.im.map((x) => x / c);
      expect(spectrumDistance(re, im, Array.from(ref.re), Array.from(ref.im))).toBeLessThan(1e-12);
      // Eigenvectors do not depend on the scale; the residual of A itself must stay small.
      expect(eigResidual(A, ref.re, ref.im, r.vectors!.re, r.vectors!.im)).toBeLessThan(1e-12);
    }
  });

  it('0×0 input', () => {
    const r = b.eig({ rows: 0, cols: 0, data: new Float64Array(0) });
    expect(r.re.length).toBe(0);
  });

  it('errors: non-square, NaN, Inf', () => {
    const rng = mulberry32(1);
    expectRnnscopeError(
      () => b.eig(randn(rng, 3, 2)),
      'SHAPE_MISMATCH',
      /eig needs a square matrix, got 3×2/,
    );
    const A = randn(rng, 3, 3);
    A.data[5] = NaN;
    expectRnnscopeError(() => b.eig(A), 'NON_FINITE', /NaN at \(1, 2\)/);
    A.data[5] = Infinity;
    expectRnnscopeError(() => b.eig(A, { vectors: false }), 'NON_FINITE');
  });
});

describe('sortEig', () => {
  it('orders by modulus or real part, keeps pairs adjacent and vectors attached', () => {
    const A = blockDiag([
      { rows: 1, cols: 1, data: Float64Array.of(0.5) },
      rot2(2, 1),
      { rows: 1, cols: 1, data: Float64Array.of(-3) },
      rot2(0.1, 2),
    ]);
    const r = tsBackend.eig(A, { left: true });
    const s = sortEig(r);
    expect(Array.from(s.re).map((x, k) => Math.hypot(x, s.im[k]))).toEqual(
      [3, 2, 2, 0.5, 0.1, 0.1].map((x) => expect.closeTo(x, 12) as unknown as number),
    );
    expect(s.im[1]).toBeGreaterThan(0);
    expect(s.im[2]).toBe(-s.im[1]);
    expect(eigResidual(A, s.re, s.im, s.vectors!.re, s.vectors!.im)).toBeLessThan(1e-14);
    expect(leftResidual(A, s.re, s.im, s.leftVectors!.re, s.leftVectors!.im)).toBeLessThan(1e-14);
    const t = sortEig(r, 'real');
    expect(Array.from(t.re)).toEqual([...t.re].sort((x, y) => y - x));
  });
});

describe.skipIf(!hasPython())('eig against scipy', () => {
  it.each(backends)('eigenvalue multisets match scipy.linalg.eigvals to 1e-10 ($name)', (b) => {
    const wc = CASES.filter((c) => c.wellConditioned);
    const want = runPython<Array<{ re: number[]; im: number[] }>>(
      `
res = []
for a in inp:
    w = sla.eigvals(M(a))
    res.append({'re': w.real.tolist(), 'im': w.imag.tolist()})
out(res)
`,
      wc.map((c) => toWire(c.A)),
    );
    wc.forEach((c, i) => {
      const r = b.eig(c.A, { vectors: false });
      expect(spectrumDistance(r.re, r.im, want[i].re, want[i].im), c.name).toBeLessThan(1e-10);
    });
  });

  it.each(backends)('right and left eigenvectors match scipy up to phase ($name)', (b) => {
    const rng = mulberry32(99);
    const A = randn(rng, 30, 30, 1 / Math.sqrt(30));
    const r = b.eig(A, { left: true });
    const want = runPython<{
      re: number[];
      im: number[];
      vr: number[][];
      vi: number[][];
      lr: number[][];
      li: number[][];
    }>(
      `
w, vl, vr = sla.eig(M(inp), left=True, right=True)
out({'re': w.real.tolist(), 'im': w.imag.tolist(), 'vr': vr.real.T.tolist(), 'vi': vr.imag.T.tolist(), 'lr': vl.real.T.tolist(), 'li': vl.imag.T.tolist()})
`,
      toWire(A),
    );
    const n = 30;
    expectScipyVectors(r, want, n);
  });
});
