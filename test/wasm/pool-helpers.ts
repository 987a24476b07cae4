/** Shared by the worker-pool tests: operands in wasm memory, and single- vs multi-threaded runs. */
import type { WasmKernels } from '../../src/linalg/wasm/index.js';
import type { WorkerPool } from '../../src/linalg/wasm/pool.js';
import { fill, rng } from './helpers.js';

export const EPS = 2 ** -52;

/** Operands in the kernel memory; `view` re-reads the buffer (the memory may have grown). */
export function alloc(kernels: WasmKernels, n: number): { ptr: number; view: () => Float64Array } {
  const ptr = kernels.arena.alloc(Math.max(1, n) * 8);
  return { ptr, view: () => kernels.arena.f64(ptr, n) };
}

export function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

export interface GemmCase {
  tA: 0 | 1;
  tB: 0 | 1;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
}

/** Runs one GEMM through the pool and through the raw single-thread kernel on identical inputs. */
export function gemmBoth(kernels: WasmKernels, pool: WorkerPool, c: GemmCase, seed: number) {
  const { tA, tB, m, n, k, alpha, beta } = c;
  const next = rng(seed);
  const [ar, ac] = tA ? [k, m] : [m, k];
  const [br, bc] = tB ? [n, k] : [k, n];
  const A = alloc(kernels, ar * ac);
  const B = alloc(kernels, br * bc);
  const C1 = alloc(kernels, m * n);
  const C2 = alloc(kernels, m * n);
  fill(A.view(), next);
  fill(B.view(), next);
  const c0 = fill(new Float64Array(m * n), next);
  // beta = 0 must not read C: NaN there would leak into the result.
  if (beta === 0) c0.fill(NaN);
  C1.view().set(c0);
  C2.view().set(c0);
  const work = kernels.arena.alloc(kernels.exports.gemmWorkBytes(m, n, k));
  kernels.exports.gemm(tA, tB, m, n, k, alpha, A.ptr, ac, B.ptr, bc, beta, C1.ptr, n, work);
  pool.gemm(tA, tB, m, n, k, alpha, A.ptr, ac, B.ptr, bc, beta, C2.ptr, n);
  const a = { rows: ar, cols: ac, data: A.view().slice() };
  const b = { rows: br, cols: bc, data: B.view().slice() };
  const single = C1.view().slice();
  const pooled = C2.view().slice();
  for (const p of [A.ptr, B.ptr, C1.ptr, C2.ptr, work]) kernels.arena.free(p);
  return { single, pooled, a, b, c0 };
}

export function gemvBoth(
  kernels: WasmKernels,
  pool: WorkerPool,
  trans: 0 | 1,
  m: number,
  n: number,
  alpha: number,
  beta: number,
  seed: number,
) {
  const next = rng(seed);
  const [nx, ny] = trans ? [m, n] : [n, m];
  const A = alloc(kernels, m * n);
  const x = alloc(kernels, nx);
  const y1 = alloc(kernels, ny);
  const y2 = alloc(kernels, ny);
  fill(A.view(), next);
  fill(x.view(), next);
  const y0 = fill(new Float64Array(ny), next);
  if (beta === 0) y0.fill(NaN);
  y1.view().set(y0);
  y2.view().set(y0);
  kernels.exports.gemv(trans, m, n, alpha, A.ptr, n, x.ptr, beta, y1.ptr);
  pool.gemv(trans, m, n, alpha, A.ptr, n, x.ptr, beta, y2.ptr);
  const a = A.view().slice();
  const xs = x.view().slice();
  const single = y1.view().slice();
  const pooled = y2.view().slice();
  for (const p of [A.ptr, x.ptr, y1.ptr, y2.ptr]) kernels.arena.free(p);
  return { single, pooled, a, xs, y0 };
}
