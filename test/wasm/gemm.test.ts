import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/linalg/matrix.js';
import {
  createWasmBackend,
  freeWasm,
  toWasmMatrix,
  wasmMatrix,
} from '../../src/linalg/wasm/index.js';
import { availableBuilds, fill, maxRelError, naiveGemm, randomMatrix, rng } from './helpers.js';

const builds = availableBuilds();
const TOL = 1e-13;

/** (m, n, k): every small odd combination plus the large odd shapes that cross block edges. */
const small = [1, 3, 7, 33];
const shapes: [number, number, number][] = [];
for (const m of small) for (const n of small) for (const k of small) shapes.push([m, n, k]);
shapes.push(
  [130, 130, 130],
  [257, 257, 257],
  [130, 257, 33],
  [257, 130, 257],
  [33, 7, 257],
  [1, 257, 130],
  [257, 1, 130],
  [130, 33, 1],
  [7, 257, 257],
);

const transCombos: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

function operands(transA: boolean, transB: boolean, m: number, n: number, k: number, seed: number) {
  const next = rng(seed);
  const A = transA ? randomMatrix(k, m, next) : randomMatrix(m, k, next);
  const B = transB ? randomMatrix(n, k, next) : randomMatrix(k, n, next);
  const C = randomMatrix(m, n, next);
  return { A, B, C };
}

describe.each(builds)('wasm gemm, $variant build', ({ variant, kernels }) => {
  // minFlopsToCopy 0: even 1×1×1 runs in wasm, so the test exercises the kernels, not the TS fallback.
  const backend = createWasmBackend({ kernels, minFlopsToCopy: 0 });

  it('uses the requested build', () => {
    expect(backend.name).toBe(`wasm-${variant}`);
    expect(kernels.exports.hasFma()).toBe(variant === 'fma' ? 1 : 0);
  });

  it.each(transCombos)('transA=%s transB=%s over odd shapes, alpha/beta', (transA, transB) => {
    let seed = 1;
    for (const [m, n, k] of shapes) {
      const { A, B, C } = operands(transA, transB, m, n, k, seed++);
      for (const [alpha, beta] of [
        [1, 0],
        [-0.75, 1],
        [1.5, -0.5],
      ]) {
        const C0 = C.data.slice();
        const { C: want, scale } = naiveGemm(transA, transB, alpha, A, B, beta, C0, m, n);
        const out: Matrix = { rows: m, cols: n, data: C0.slice() };
        backend.gemm(transA, transB, alpha, A, B, beta, out);
        const err = maxRelError(out.data, want, scale);
        if (!(err <= TOL))
          throw new Error(`${m}×${n}×${k} alpha=${alpha} beta=${beta}: error ${err}`);
      }
    }
  });

  it('operands that live in wasm memory are used in place and give the same result', () => {
    for (const [transA, transB] of transCombos) {
      const [m, n, k] = [130, 33, 257];
      const { A, B, C } = operands(transA, transB, m, n, k, 99);
      const wA = toWasmMatrix(A, kernels);
      const wB = toWasmMatrix(B, kernels);
      const wC = toWasmMatrix(C, kernels);
      const { C: want, scale } = naiveGemm(transA, transB, 0.5, A, B, 2, C.data, m, n);
      backend.gemm(transA, transB, 0.5, wA, wB, 2, wC);
      expect(maxRelError(wC.data, want, scale)).toBeLessThanOrEqual(TOL);
      freeWasm(wA);
      freeWasm(wB);
      freeWasm(wC);
    }
  });

  it('beta = 0 ignores NaN and Inf already in C (views and copies)', () => {
    const { A, B } = operands(false, false, 33, 7, 3, 5);
    const { C: want } = naiveGemm(false, false, 1, A, B, 0, new Float64Array(33 * 7), 33, 7);
    const plain: Matrix = { rows: 33, cols: 7, data: new Float64Array(33 * 7).fill(NaN) };
    plain.data[3] = Infinity;
    backend.gemm(false, false, 1, A, B, 0, plain);
    const inWasm = wasmMatrix(33, 7, kernels);
    inWasm.data.fill(NaN);
    backend.gemm(false, false, 1, toWasmMatrix(A, kernels), toWasmMatrix(B, kernels), 0, inWasm);
    for (const got of [plain.data, inWasm.data]) {
      expect(Array.from(got).every(Number.isFinite)).toBe(true);
      expect(
        maxRelError(
          got,
          want,
          want.map((v) => Math.abs(v) + 1e-300),
        ),
      ).toBeLessThanOrEqual(TOL);
    }
  });

  it('alpha = 0 or k = 0 only scales C and never reads A or B', () => {
    const A: Matrix = { rows: 5, cols: 4, data: new Float64Array(20).fill(NaN) };
    const B: Matrix = { rows: 4, cols: 3, data: new Float64Array(12).fill(NaN) };
    const C: Matrix = { rows: 5, cols: 3, data: fill(new Float64Array(15), rng(3)) };
    const C0 = C.data.slice();
    backend.gemm(false, false, 0, A, B, 2, C);
    expect(Array.from(C.data)).toEqual(Array.from(C0, (v) => 2 * v));
    const A0: Matrix = { rows: 5, cols: 0, data: new Float64Array(0) };
    const B0: Matrix = { rows: 0, cols: 3, data: new Float64Array(0) };
    C.data.fill(NaN);
    backend.gemm(false, false, 1, A0, B0, 0, C);
    expect(Array.from(C.data)).toEqual(new Array(15).fill(0));
  });

  it('C aliasing an input view is staged, not corrupted', () => {
    const next = rng(11);
    const n = 37;
    const A = toWasmMatrix(randomMatrix(n, n, next), kernels);
    const copy = { rows: n, cols: n, data: A.data.slice() };
    const { C: want, scale } = naiveGemm(
      false,
      true,
      1,
      copy,
      copy,
      0,
      new Float64Array(n * n),
      n,
      n,
    );
    backend.gemm(false, true, 1, A, A, 0, A); // A ← A·Aᵀ in place
    expect(maxRelError(A.data, want, scale)).toBeLessThanOrEqual(TOL);
    freeWasm(A);
  });

  it('small non-view products fall back to the TS kernel with the same semantics', () => {
    const fallback = createWasmBackend({ kernels }); // default threshold
    const { A, B, C } = operands(true, false, 3, 3, 3, 8);
    const { C: want, scale } = naiveGemm(true, false, 2, A, B, 0.5, C.data, 3, 3);
    fallback.gemm(true, false, 2, A, B, 0.5, C);
    expect(maxRelError(C.data, want, scale)).toBeLessThanOrEqual(TOL);
  });

  it('rejects mismatched shapes with SHAPE_MISMATCH', () => {
    const A: Matrix = { rows: 2, cols: 3, data: new Float64Array(6) };
    const C: Matrix = { rows: 2, cols: 2, data: new Float64Array(4) };
    expect(() => backend.gemm(false, false, 1, A, A, 0, C)).toThrow(/op\(A\) is 2×3/);
  });
});

describe('wasm builds', () => {
  it('both builds are available in Node 20 (FMA via the V8 flag)', () => {
    expect(builds.map((b) => b.variant)).toEqual(['simd', 'fma']);
  });

  it('SIMD and FMA builds agree to rounding on a large product', () => {
    if (builds.length < 2) return;
    const { A, B } = operands(false, false, 200, 200, 200, 21);
    const results = builds.map(({ kernels }) => {
      const C: Matrix = { rows: 200, cols: 200, data: new Float64Array(200 * 200) };
      createWasmBackend({ kernels }).gemm(false, false, 1, A, B, 0, C);
      return C.data;
    });
    const { scale } = naiveGemm(false, false, 1, A, B, 0, new Float64Array(0), 200, 200);
    expect(maxRelError(results[0], results[1], scale)).toBeLessThanOrEqual(TOL);
  });
});
