/**
 * The wasm general eigensolver (src/linalg/wasm/eig.ts + asm/eig*.ts) against the TS reference
 * and numpy/scipy, on both kernel builds. Sizes straddle the kernels' block edges: the
 * Hessenberg panel (32 columns), the bulge-chase group (32 steps, windows of 36), the 128-column
 * chunks and the 8-row chains of the deferred updates; blocks of 75 and more exercise aggressive
 * early deflation, Schur reordering and batched sweeps.
 */
import { describe, expect, it } from 'vitest';
import type { EigResult } from '../../src/linalg/backend.js';
import { tsBackend } from '../../src/linalg/index.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { createWasmBackend } from '../../src/linalg/wasm/backend.js';
import { createWasmEig } from '../../src/linalg/wasm/eig.js';
import {
  freeWasm,
  loadWasmKernelsSync,
  toWasmMatrix,
  type WasmKernels,
} from '../../src/linalg/wasm/index.js';
import { hasPython, mulberry32, randn, runPython, toWire } from '../helpers/python.js';
import {
  eigResidual,
  expectRnnscopeError,
  leftResidual,
  spectrumDistance,
} from '../linalg/util.js';
import {
  blockDiag,
  checkStructure,
  checkVectors,
  cyclicPermutation,
  expectScipyVectors,
  frank,
  graded,
  jordan,
  rot2,
  rotate,
} from '../linalg/eig-checks.js';
import { availableBuilds } from './helpers.js';

const builds = availableBuilds();

// ---- test matrices --------------------------------------------------------------------------

const zeros = (n: number): Matrix => ({ rows: n, cols: n, data: new Float64Array(n * n) });

function fromRows(rows: number[][]): Matrix {
  return { rows: rows.length, cols: rows.length, data: Float64Array.from(rows.flat()) };
}

/** Upper triangular with diagonal 1..n and small entries above: already in Schur form. */
function upperTriangular(rng: () => number, n: number): Matrix {
  const T = randn(rng, n, n, 0.1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) T.data[i * n + j] = 0;
    T.data[i * n + i] = i + 1;
  }
  return T;
}

interface Case {
  name: string;
  A: Matrix;
  /** Well-conditioned eigenvalues: multisets compared with scipy and the reference to 1e-10. */
  wellConditioned: boolean;
  /** Well-conditioned eigenvector matrix: left vectors and vector-by-vector comparison. */
  left: boolean;
}

function cases(): Case[] {
  const rng = mulberry32(77);
  const rnn = (n: number): Matrix => randn(rng, n, n, 1.5 / Math.sqrt(n));
  const good = (name: string, A: Matrix): Case => ({ name, A, wellConditioned: true, left: true });
  const bad = (name: string, A: Matrix, left = false): Case => ({
    name,
    A,
    wellConditioned: false,
    left,
  });
  const list: Case[] = [
    good('1×1', fromRows([[-3]])),
    good(
      '2×2 complex',
      fromRows([
        [1, -2],
        [3, 1],
      ]),
    ),
    good(
      '2×2 real pair',
      fromRows([
        [2, 1],
        [1, 3],
      ]),
    ),
    good('2×2 zero', zeros(2)),
    good('zero 40', zeros(40)),
    good('identity 9', blockDiag(Array.from({ length: 9 }, () => fromRows([[1]])))),
    good('rotation by 90°', rot2(1, Math.PI / 2)),
    good('cyclic permutation 7 (exceptional shifts)', cyclicPermutation(7)),
    good('upper triangular 50', upperTriangular(rng, 50)),
    good(
      'complex spectrum 40 (rotated 2×2 blocks)',
      rotate(rng, blockDiag(Array.from({ length: 20 }, (_, k) => rot2(1 + k / 10, 0.3 + k / 7)))),
    ),
    good('reducible 37 (block diagonal, zero subdiagonals)', blockDiag([rnn(17), rnn(20)])),
    bad('graded 60', graded(rng, 60), true),
    bad('Frank 40 (ill-conditioned eigenvalues)', frank(40)),
    bad('Jordan block 6', jordan(6, 2)),
    bad(
      'rotated Jordan blocks 10 (defective)',
      rotate(rng, blockDiag([jordan(4, 1), jordan(3, -0.5), rot2(1, 1), fromRows([[3]])])),
    ),
  ];
  for (const n of [3, 5, 31, 32, 33, 34, 35, 36, 37, 63, 64, 65, 66, 67, 127, 128, 129, 130]) {
    list.push(good(`random ${n}`, rnn(n)));
  }
  // Active blocks of 250 rows or more go through aggressive early deflation, Schur reordering
  // and batched sweeps: structured cases at those sizes.
  list.push(
    good(
      'AED: complex spectrum 260',
      rotate(
        rng,
        blockDiag(Array.from({ length: 130 }, (_, k) => rot2(1 + k / 130, 0.2 + k / 20))),
      ),
    ),
    good('AED: cyclic permutation 260 (roots of unity)', cyclicPermutation(260)),
    bad(
      'AED: repeated complex pairs 260',
      rotate(rng, blockDiag(Array.from({ length: 130 }, () => rot2(1, 0.5)))),
    ),
    bad('AED: graded 260', graded(rng, 260), true),
    bad('AED: rotated Jordan block 260', rotate(rng, jordan(260, 0.5))),
  );
  return list;
}

const CASES = cases();

// ---- checks ---------------------------------------------------------------------------------

/**
 * Largest difference between the eigenvectors of two results, each vector of `a` compared with
 * the vector of `b` whose eigenvalue is nearest; meaningful for well-separated eigenvalues,
 * where the phase convention fixes each vector. (Sorting both would not do: equal moduli, as
 * for a permutation matrix, sort by rounding noise.)
 */
function vectorDistance(a: EigResult, b: EigResult, which: 'vectors' | 'leftVectors'): number {
  const n = a.re.length;
  const va = a[which]!;
  const vb = b[which]!;
  let worst = 0;
  for (let k = 0; k < n; k++) {
    let j = 0;
    for (let t = 1; t < n; t++) {
      if (
        Math.hypot(b.re[t] - a.re[k], b.im[t] - a.im[k]) <
        Math.hypot(b.re[j] - a.re[k], b.im[j] - a.im[k])
      )
        j = t;
    }
    for (let i = 0; i < n; i++) {
      worst = Math.max(
        worst,
        Math.abs(va.re.data[i * n + k] - vb.re.data[i * n + j]),
        Math.abs(va.im.data[i * n + k] - vb.im.data[i * n + j]),
      );
    }
  }
  return worst;
}

/** Smallest gap between distinct eigenvalues relative to the spectral radius. */
function relativeGap(r: EigResult): number {
  let radius = 0;
  for (let k = 0; k < r.re.length; k++) radius = Math.max(radius, Math.hypot(r.re[k], r.im[k]));
  let gap = Infinity;
  for (let i = 0; i < r.re.length; i++)
    for (let j = i + 1; j < r.re.length; j++)
      gap = Math.min(gap, Math.hypot(r.re[i] - r.re[j], r.im[i] - r.im[j]));
  return radius > 0 ? gap / radius : 0;
}

// ---- tests ----------------------------------------------------------------------------------

describe.each(builds)('wasm eig, $variant build', ({ kernels }) => {
  const eig = createWasmEig(kernels);

  for (const c of CASES) {
    it(`${c.name}: residual, structure, phase, values-only path, agreement with the reference`, () => {
      const n = c.A.rows;
      const a0 = c.A.data.slice();
      const inUse = kernels.arena.bytesInUse;
      const r = eig(c.A);
      expect(Array.from(c.A.data)).toEqual(Array.from(a0)); // input untouched
      expect(kernels.arena.bytesInUse).toBe(inUse); // every buffer returned
      checkStructure(r, n);
      expect(eigResidual(c.A, r.re, r.im, r.vectors!.re, r.vectors!.im)).toBeLessThan(1e-12);
      checkVectors(r.vectors!, r.im, n);
      const v = eig(c.A, { vectors: false });
      expect(v.vectors).toBeUndefined();
      checkStructure(v, n);
      const ref = tsBackend.eig(c.A);
      if (c.wellConditioned) {
        const want = [Array.from(ref.re), Array.from(ref.im)] as const;
        expect(spectrumDistance(r.re, r.im, ...want)).toBeLessThan(1e-12);
        expect(spectrumDistance(v.re, v.im, ...want)).toBeLessThan(1e-12);
        if (c.left && relativeGap(ref) > 1e-6)
          expect(vectorDistance(r, ref, 'vectors')).toBeLessThan(1e-9);
      }
    });
  }

  for (const c of CASES.filter((x) => x.left)) {
    it(`${c.name}: left eigenvectors`, () => {
      const r = eig(c.A, { left: true });
      const Y = r.leftVectors!;
      expect(leftResidual(c.A, r.re, r.im, Y.re, Y.im)).toBeLessThan(1e-12);
      checkVectors(Y, r.im, c.A.rows);
      expect(eigResidual(c.A, r.re, r.im, r.vectors!.re, r.vectors!.im)).toBeLessThan(1e-12);
      const ref = tsBackend.eig(c.A, { left: true });
      if (c.wellConditioned && relativeGap(ref) > 1e-6)
        expect(vectorDistance(r, ref, 'leftVectors')).toBeLessThan(1e-9);
    });
  }

  it('left eigenvectors of defective matrices throw SINGULAR (as the reference does)', () => {
    for (const A of [jordan(3, 1), jordan(6, 2), frank(40)]) {
      const inUse = kernels.arena.bytesInUse;
      expectRnnscopeError(() => eig(A, { left: true }), 'SINGULAR', /defective/);
      expectRnnscopeError(() => tsBackend.eig(A, { left: true }), 'SINGULAR', /defective/);
      expect(kernels.arena.bytesInUse).toBe(inUse);
    }
  });

  it('a larger random matrix (300: many panels and chase groups)', () => {
    const A = randn(mulberry32(5), 300, 300, 1 / Math.sqrt(300));
    const r = eig(A, { left: true });
    expect(eigResidual(A, r.re, r.im, r.vectors!.re, r.vectors!.im)).toBeLessThan(1e-12);
    expect(leftResidual(A, r.re, r.im, r.leftVectors!.re, r.leftVectors!.im)).toBeLessThan(1e-12);
    const ref = tsBackend.eig(A, { vectors: false });
    expect(spectrumDistance(r.re, r.im, Array.from(ref.re), Array.from(ref.im))).toBeLessThan(
      1e-12,
    );
  });

  it('extreme scales (1e±200) neither overflow nor underflow', () => {
    const A = randn(mulberry32(8), 40, 40, 1 / Math.sqrt(40));
    const ref = eig(A);
    for (const c of [1e200, 1e-200]) {
      const r = eig({ rows: 40, cols: 40, data: A.data.map((x) => x * c) });
      const re = r.re.map((x) => x / c);
      const im = r.im.map((x) => x / c);
      expect(spectrumDistance(re, im, Array.from(ref.re), Array.from(ref.im))).toBeLessThan(1e-12);
      expect(eigResidual(A, ref.re, ref.im, r.vectors!.re, r.vectors!.im)).toBeLessThan(1e-12);
    }
  });

  it('0×0 input, and data longer than rows·cols', () => {
    const r = eig(zeros(0), { left: true });
    expect(r.re.length).toBe(0);
    expect(r.vectors!.re.rows).toBe(0);
    const A = fromRows([
      [1, 2],
      [3, 4],
    ]);
    const long = { rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, 4, NaN, NaN) };
    expect(Array.from(eig(long).re)).toEqual(Array.from(eig(A).re));
  });

  it('errors: non-square, NaN, Inf', () => {
    const rng = mulberry32(1);
    expectRnnscopeError(
      () => eig(randn(rng, 3, 2)),
      'SHAPE_MISMATCH',
      /eig needs a square matrix, got 3×2/,
    );
    const A = randn(rng, 3, 3);
    A.data[5] = NaN;
    expectRnnscopeError(() => eig(A), 'NON_FINITE', /NaN at \(1, 2\)/);
    A.data[5] = Infinity;
    expectRnnscopeError(() => eig(A, { vectors: false }), 'NON_FINITE');
  });

  it('is what createWasmBackend uses', () => {
    const A = randn(mulberry32(3), 20, 20);
    const viaBackend = createWasmBackend({ kernels }).eig(A, { left: true });
    const direct = eig(A, { left: true });
    expect(Array.from(viaBackend.re)).toEqual(Array.from(direct.re));
    expect(Array.from(viaBackend.leftVectors!.im.data)).toEqual(
      Array.from(direct.leftVectors!.im.data),
    );
  });
});

describe.skipIf(builds.length === 0)('wasm eig with inputs in kernel memory', () => {
  it('survives the growth of unshared memory during the call (wasmMatrix and raw views)', () => {
    const fresh = (): WasmKernels => loadWasmKernelsSync({ shared: false, initialBytes: 1 << 16 });
    const A = randn(mulberry32(17), 90, 90, 1 / Math.sqrt(90));
    const want = createWasmEig(fresh())(A, { left: true });
    for (const raw of [false, true]) {
      const kernels = fresh();
      const W = toWasmMatrix(A, kernels);
      const M: Matrix = raw ? { rows: 90, cols: 90, data: kernels.arena.f64(W.ptr, 90 * 90) } : W;
      const capacity = kernels.arena.capacity;
      const r = createWasmEig(kernels)(M, { left: true });
      expect(kernels.arena.capacity).toBeGreaterThan(capacity); // the call grew the memory
      expect(Array.from(r.re)).toEqual(Array.from(want.re));
      expect(Array.from(r.leftVectors!.re.data)).toEqual(Array.from(want.leftVectors!.re.data));
      freeWasm(W);
    }
  });
});

describe.skipIf(!hasPython() || builds.length === 0)('wasm eig against scipy', () => {
  const eig = createWasmEig(builds[builds.length - 1].kernels);

  it('eigenvalue multisets match scipy.linalg.eigvals to 1e-10', () => {
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
      for (const r of [eig(c.A), eig(c.A, { vectors: false })])
        expect(spectrumDistance(r.re, r.im, want[i].re, want[i].im), c.name).toBeLessThan(1e-10);
    });
  });

  it('right and left eigenvectors match scipy up to phase', () => {
    const n = 70;
    const A = randn(mulberry32(99), n, n, 1 / Math.sqrt(n));
    const r = eig(A, { left: true });
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
    expectScipyVectors(r, want, n);
  });
});
