/** Test-only references and utilities for the wasm kernel tests. */
import type { Matrix } from '../../src/linalg/matrix.js';
import { loadWasmKernelsSync, wasmSupport, type WasmKernels } from '../../src/linalg/wasm/index.js';

/** Deterministic uniform(−1, 1) stream (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

export function fill(a: Float64Array, next: () => number): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] = next();
  return a;
}

export function randomMatrix(rows: number, cols: number, next: () => number): Matrix {
  return { rows, cols, data: fill(new Float64Array(rows * cols), next) };
}

/** op(X)(i, j) for row-major X. */
function at(X: Matrix, trans: boolean, i: number, j: number): number {
  return trans ? X.data[j * X.cols + i] : X.data[i * X.cols + j];
}

/**
 * Naive triple loop, plus the componentwise error scale |alpha|·|op(A)|·|op(B)| + |beta|·|C0|
 * that any correctly rounded-per-operation GEMM stays within k·eps of.
 */
export function naiveGemm(
  transA: boolean,
  transB: boolean,
  alpha: number,
  A: Matrix,
  B: Matrix,
  beta: number,
  C0: Float64Array,
  m: number,
  n: number,
): { C: Float64Array; scale: Float64Array } {
  const k = transA ? A.rows : A.cols;
  const C = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let sa = 0;
      for (let p = 0; p < k; p++) {
        const prod = at(A, transA, i, p) * at(B, transB, p, j);
        s += prod;
        sa += Math.abs(prod);
      }
      const c0 = beta === 0 ? 0 : beta * C0[i * n + j];
      C[i * n + j] = alpha * s + c0;
      scale[i * n + j] = Math.abs(alpha) * sa + Math.abs(c0);
    }
  }
  return { C, scale };
}

/** max_i |got_i − want_i| / scale_i (scale 0 ⇒ the difference must be 0). */
export function maxRelError(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  scale: ArrayLike<number>,
): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (Number.isNaN(d)) return Infinity;
    const e = scale[i] === 0 ? (d === 0 ? 0 : Infinity) : d / scale[i];
    if (e > worst) worst = e;
  }
  return worst;
}

/** Distance in units in the last place (via the ordered integer representation). */
export function ulpDiff(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  const buf = new DataView(new ArrayBuffer(16));
  buf.setFloat64(0, a);
  buf.setFloat64(8, b);
  const ia = buf.getBigInt64(0);
  const ib = buf.getBigInt64(8);
  const oa = ia < 0n ? -(ia & 0x7fffffffffffffffn) : ia;
  const ob = ib < 0n ? -(ib & 0x7fffffffffffffffn) : ib;
  const d = oa - ob;
  return Number(d < 0n ? -d : d);
}

/** Every build this engine runs, each on its own instance: both in Node 20 (FMA after the V8 flag). */
export function availableBuilds(): { variant: 'simd' | 'fma'; kernels: WasmKernels }[] {
  const s = wasmSupport();
  const out: { variant: 'simd' | 'fma'; kernels: WasmKernels }[] = [];
  if (s.simd) out.push({ variant: 'simd', kernels: loadWasmKernelsSync({ variant: 'simd' }) });
  if (s.fma) out.push({ variant: 'fma', kernels: loadWasmKernelsSync({ variant: 'fma' }) });
  return out;
}
