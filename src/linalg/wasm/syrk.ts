/**
 * SYRK on the wasm kernels (asm/syrk.ts): the lower triangle of C ← alpha·op(A)·op(A)ᵀ + beta·C.
 *
 * Threads: the triangle is split into bands of rows whose areas are equal (boundaries at
 * n·√(t/p), multiples of 4), one kernel call per band through the worker pool's `call`. Each
 * band packs the slabs of op(A) it needs itself, and every element of C is computed by the same
 * tile whatever the split, so the result is bit-identical for any thread count.
 */
import { syrkDims, type Matrix } from '../matrix.js';
import { tsBackend } from '../ts/backend.js';
import type { WasmKernels } from './load.js';
import type { WorkerPool } from './pool.js';
import { type Staging, bind, operand, unbind } from './staging.js';

/** Row boundaries 0 = b₀ < … < b_p = n of p bands of equal triangle area, interior ones multiples of 4. */
export function syrkBands(n: number, parts: number): number[] {
  const b = [0];
  for (let t = 1; t < parts; t++) {
    const x = Math.round((n * Math.sqrt(t / parts)) / 4) * 4;
    if (x > b[b.length - 1] && x < n) b.push(x);
  }
  b.push(n);
  return b;
}

const ALIGN = 64;
const align = (x: number): number => Math.ceil(x / ALIGN) * ALIGN;

export type SyrkFn = (trans: boolean, alpha: number, A: Matrix, beta: number, C: Matrix) => void;

/**
 * The backend's `syrk`. Operands outside wasm memory are copied through `staging` (C always, in
 * and out, because its upper triangle must come back unchanged); below `minFlops` such calls run
 * on the TS reference instead.
 */
export function createWasmSyrk(
  kernels: WasmKernels,
  staging: Staging,
  pick: (flops: number) => WorkerPool | undefined,
  minFlops: number,
): SyrkFn {
  const k = kernels.exports;
  const opA = operand();
  const opC = operand();
  const two = [opA, opC];
  return (trans, alpha, A, beta, C) => {
    const { n, k: kk } = syrkDims(trans, A, C);
    if (n === 0) return;
    const flops = n * (n + 1) * kk;
    if (flops < minFlops && !staging.allInMemory(A.data, C.data)) {
      tsBackend.syrk(trans, alpha, A, beta, C);
      return;
    }
    const skipA = alpha === 0 || kk === 0;
    bind(opA, A.data, skipA ? 0 : A.rows * A.cols, true, false);
    bind(opC, C.data, n * n, true, true);
    let pool = skipA ? undefined : pick(flops);
    // The GEMM threshold (adaptive) applies: `call` alone would hold SYRK to the GEMV one.
    if (pool && flops < pool.stats.gemmMinFlops) pool = undefined;
    const bands = syrkBands(n, pool ? pool.activeThreads() : 1);
    try {
      let total = 0;
      for (let p = 1; p < bands.length; p++) total += align(k.syrkWorkBytes(kk, bands[p]));
      let work = staging.stage(two, total);
      const calls: number[][] = [];
      for (let p = 1; p < bands.length; p++) {
        const t = trans ? 1 : 0;
        calls.push([
          t,
          n,
          kk,
          alpha,
          opA.ptr,
          A.cols,
          beta,
          opC.ptr,
          n,
          bands[p - 1],
          bands[p],
          work,
        ]);
        work += align(k.syrkWorkBytes(kk, bands[p]));
      }
      if (pool && calls.length > 1) pool.call('syrk', calls, flops);
      else for (const c of calls) k.syrk(...(c as Parameters<typeof k.syrk>));
      staging.unstage(two);
    } finally {
      unbind(two);
    }
  };
}
