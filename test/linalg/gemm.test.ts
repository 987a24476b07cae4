import { describe, expect, it } from 'vitest';
import { tsBackend } from '../../src/linalg/index.js';
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
import { expectRnnscopeError, fro, naiveMul } from './util.js';

const backends: LinalgBackend[] = [tsBackend];
const SIZES = [1, 7, 33, 130];
const CASES: Array<[number, number]> = [
  [1, 0], // plain product
  [1, 1], // accumulate
  [-0.75, 2.5], // general alpha and beta
];

/** Expected alpha·op(A)·op(B) + beta·C from the naive product. */
function expected(
  A: Matrix,
  B: Matrix,
  C: Matrix,
  tA: boolean,
  tB: boolean,
  alpha: number,
  beta: number,
): Float64Array {
  const P = naiveMul(A, B, tA, tB);
  return P.data.map((p, i) => alpha * p + (beta === 0 ? 0 : beta * C.data[i]));
}

function operands(rng: () => number, m: number, n: number, k: number, tA: boolean, tB: boolean) {
  const A = tA ? randn(rng, k, m) : randn(rng, m, k);
  const B = tB ? randn(rng, n, k) : randn(rng, k, n);
  const C = randn(rng, m, n);
  return { A, B, C };
}

function relErr(got: Float64Array, want: Float64Array): number {
  let d = 0;
  for (let i = 0; i < want.length; i++) d += (got[i] - want[i]) ** 2;
  return Math.sqrt(d) / (fro(want) || 1);
}

describe.each(backends)('gemm/gemv ($name) against a naive loop', (b) => {
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      it(`op = ${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} on odd sizes with alpha/beta`, () => {
        const rng = mulberry32(1000 + (tA ? 2 : 0) + (tB ? 1 : 0));
        for (const m of SIZES)
          for (const n of SIZES)
            for (const k of [1, 7, 130]) {
              const [alpha, beta] = CASES[(m + n + k) % CASES.length];
              const { A, B, C } = operands(rng, m, n, k, tA, tB);
              const want = expected(A, B, C, tA, tB, alpha, beta);
              b.gemm(tA, tB, alpha, A, B, beta, C);
              expect(relErr(C.data, want), `${m}×${n}×${k}`).toBeLessThan(1e-13);
            }
      });
    }
  }

  it('crosses every blocking boundary (KC, MC, NC edges)', () => {
    const rng = mulberry32(7);
    for (const [m, n, k] of [
      [97, 2049, 3],
      [193, 9, 513],
      [2, 17, 257],
    ] as const) {
      const { A, B, C } = operands(rng, m, n, k, false, true);
      const want = expected(A, B, C, false, true, 1.25, -1);
      b.gemm(false, true, 1.25, A, B, -1, C);
      expect(relErr(C.data, want)).toBeLessThan(1e-13);
    }
  });

  it('beta = 0 overwrites C even when it holds NaN/Inf', () => {
    const rng = mulberry32(3);
    const { A, B } = operands(rng, 9, 11, 5, false, false);
    const C: Matrix = { rows: 9, cols: 11, data: new Float64Array(99).fill(NaN) };
    C.data[5] = Infinity;
    b.gemm(false, false, 2, A, B, 0, C);
    const want = naiveMul(A, B).data.map((x) => 2 * x);
    expect(relErr(C.data, want)).toBeLessThan(1e-13);
  });

  it('alpha = 0 and k = 0 never read A or B (NaN there does not leak)', () => {
    const A: Matrix = { rows: 4, cols: 3, data: new Float64Array(12).fill(NaN) };
    const B: Matrix = { rows: 3, cols: 5, data: new Float64Array(15).fill(NaN) };
    const C: Matrix = { rows: 4, cols: 5, data: new Float64Array(20).fill(2) };
    b.gemm(false, false, 0, A, B, 3, C);
    expect(Array.from(C.data)).toEqual(new Array(20).fill(6));
    b.gemm(false, false, 0, A, B, 0, C);
    expect(Array.from(C.data)).toEqual(new Array(20).fill(0));
    const A0: Matrix = { rows: 4, cols: 0, data: new Float64Array(0) };
    const B0: Matrix = { rows: 0, cols: 5, data: new Float64Array(0) };
    C.data.fill(1);
    b.gemm(false, false, 1, A0, B0, 0.5, C);
    expect(Array.from(C.data)).toEqual(new Array(20).fill(0.5));
  });

  it('handles empty outputs', () => {
    const A: Matrix = { rows: 0, cols: 3, data: new Float64Array(0) };
    const B: Matrix = { rows: 3, cols: 4, data: new Float64Array(12) };
    const C: Matrix = { rows: 0, cols: 4, data: new Float64Array(0) };
    expect(() => b.gemm(false, false, 1, A, B, 0, C)).not.toThrow();
  });

  it('uses only rows·cols entries of oversized buffers', () => {
    const rng = mulberry32(11);
    const A = randn(rng, 5, 6);
    const big = new Float64Array(40).fill(NaN);
    big.set(randn(rng, 6, 4).data);
    const B: Matrix = { rows: 6, cols: 4, data: big };
    const C: Matrix = { rows: 5, cols: 4, data: new Float64Array(20) };
    b.gemm(false, false, 1, A, B, 0, C);
    expect(C.data.every(Number.isFinite)).toBe(true);
  });

  it('rejects mismatched shapes with SHAPE_MISMATCH', () => {
    const rng = mulberry32(5);
    const A = randn(rng, 3, 4);
    const B = randn(rng, 5, 2);
    const C = randn(rng, 3, 2);
    expectRnnscopeError(
      () => b.gemm(false, false, 1, A, B, 0, C),
      'SHAPE_MISMATCH',
      /op\(A\) is 3×4.*op\(B\) is 5×2/,
    );
    expectRnnscopeError(
      () => b.gemm(false, false, 1, A, randn(rng, 4, 2), 0, randn(rng, 2, 3)),
      'SHAPE_MISMATCH',
      /C is 2×3/,
    );
    expectRnnscopeError(
      () => b.gemv(false, 1, A, new Float64Array(3), 0, new Float64Array(3)),
      'SHAPE_MISMATCH',
      /x needs length 4/,
    );
    expectRnnscopeError(
      () => b.gemv(true, 1, A, new Float64Array(3), 0, new Float64Array(3)),
      'SHAPE_MISMATCH',
      /y length 4/,
    );
  });

  for (const trans of [false, true]) {
    it(`gemv ${trans ? 'T' : 'N'} matches the naive product, beta = 0 overwrites NaN`, () => {
      const rng = mulberry32(trans ? 21 : 20);
      for (const m of [1, 3, 7, 33, 130])
        for (const n of [1, 4, 7, 130]) {
          const A = randn(rng, m, n);
          const x = randn(rng, trans ? m : n, 1).data;
          const y0 = randn(rng, trans ? n : m, 1).data;
          const Ax = naiveMul(A, { rows: x.length, cols: 1, data: x }, trans, false).data;
          for (const [alpha, beta] of CASES) {
            const y = y0.slice();
            b.gemv(trans, alpha, A, x, beta, y);
            const want = Ax.map((v, i) => alpha * v + (beta === 0 ? 0 : beta * y0[i]));
            expect(relErr(y, want), `${m}×${n}`).toBeLessThan(1e-13);
          }
          const y = new Float64Array(y0.length).fill(NaN);
          b.gemv(trans, 1, A, x, 0, y);
          expect(relErr(y, Ax)).toBeLessThan(1e-13);
        }
    });
  }
});

describe.skipIf(!hasPython())('gemm/gemv against numpy', () => {
  it.each(backends)('all transpose combinations and alpha/beta agree with numpy ($name)', (b) => {
    const rng = mulberry32(42);
    type Job = {
      A: WireMatrix;
      B: WireMatrix;
      C: WireMatrix;
      tA: boolean;
      tB: boolean;
      alpha: number;
      beta: number;
    };
    const jobs: Job[] = [];
    const ours: Float64Array[] = [];
    for (const [m, n, k] of [
      [1, 1, 1],
      [7, 33, 130],
      [130, 7, 33],
      [33, 130, 7],
      [130, 130, 130],
    ] as const) {
      for (const tA of [false, true])
        for (const tB of [false, true]) {
          const [alpha, beta] = CASES[jobs.length % CASES.length];
          const { A, B, C } = operands(rng, m, n, k, tA, tB);
          jobs.push({ A: toWire(A), B: toWire(B), C: toWire(C), tA, tB, alpha, beta });
          b.gemm(tA, tB, alpha, A, B, beta, C);
          ours.push(C.data);
        }
    }
    const gv = { A: randn(rng, 130, 33), x: randn(rng, 33, 1).data, xt: randn(rng, 130, 1).data };
    const want = runPython<{ gemm: WireMatrix[]; gemv: number[][] }>(
      `
res = []
for j in inp['jobs']:
    A = M(j['A']); B = M(j['B']); C = M(j['C'])
    A = A.T if j['tA'] else A
    B = B.T if j['tB'] else B
    res.append(W(j['alpha'] * (A @ B) + j['beta'] * C))
A = M(inp['gv']['A'])
out({'gemm': res, 'gemv': [(0.5 * (A @ np.array(inp['gv']['x']))).tolist(), (A.T @ np.array(inp['gv']['xt'])).tolist()]})
`,
      { jobs, gv: { A: toWire(gv.A), x: Array.from(gv.x), xt: Array.from(gv.xt) } },
    );
    want.gemm.forEach((w, i) =>
      expect(relErr(ours[i], Float64Array.from(w.data)), `job ${i}`).toBeLessThan(1e-13),
    );
    const y = new Float64Array(130);
    b.gemv(false, 0.5, gv.A, gv.x, 0, y);
    expect(relErr(y, Float64Array.from(want.gemv[0]))).toBeLessThan(1e-13);
    const yt = new Float64Array(33);
    b.gemv(true, 1, gv.A, gv.xt, 0, yt);
    expect(relErr(yt, Float64Array.from(want.gemv[1]))).toBeLessThan(1e-13);
  });
});
