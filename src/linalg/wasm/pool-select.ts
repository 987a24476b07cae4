/**
 * How a backend reaches the worker pool: one shared pool per kernel instance and thread count,
 * started lazily by the first call big enough to use it.
 */
import { RnnscopeError } from '../../errors.js';
import type { WasmKernels } from './load.js';
import { GEMM_MIN_FLOPS, GEMV_MIN_FLOPS, createWorkerPool, type WorkerPool } from './pool.js';
import { checkThreads, defaultThreads } from './pool-spawn.js';

const sharedPools = new WeakMap<WasmKernels, Map<number, WorkerPool>>();

/** The process-wide pool for a kernel instance and thread count, created on first request. */
export function sharedWorkerPool(kernels: WasmKernels, threads: number): WorkerPool {
  let byThreads = sharedPools.get(kernels);
  if (!byThreads) sharedPools.set(kernels, (byThreads = new Map()));
  let pool = byThreads.get(threads);
  if (!pool) byThreads.set(threads, (pool = createWorkerPool({ kernels, threads })));
  return pool;
}

/** What `createWasmBackend` accepts. */
export interface PoolChoice {
  /** Threads including the caller; 'auto' (default): `defaultThreads()`; 1: no pool. */
  threads?: number | 'auto';
  /** A pool to use (made for the backend's kernels); overrides `threads`. */
  pool?: WorkerPool;
}

/**
 * For a backend: returns, per call, the pool to run it on, or undefined for the plain kernel.
 * The shared pool is created only when a call first reaches the work threshold, so backends that
 * only see small problems never start threads.
 */
export function poolSelector(
  kernels: WasmKernels,
  choice: PoolChoice,
): { pick(flops: number, gemv: boolean): WorkerPool | undefined; releaseScratch(): void } {
  if (choice.pool && choice.pool.kernels !== kernels) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      'the worker pool was created for another kernel instance than this backend',
    );
  }
  const t = choice.threads;
  const threads =
    choice.pool?.requestedThreads ??
    checkThreads(t === undefined || t === 'auto' ? defaultThreads() : t);
  let pool = choice.pool;
  return {
    pick(flops, gemv) {
      if (threads === 1) return undefined;
      if (!pool) {
        if (flops < (gemv ? GEMV_MIN_FLOPS : GEMM_MIN_FLOPS)) return undefined;
        pool = sharedWorkerPool(kernels, threads);
      }
      return pool.fallbackReason !== undefined && pool.activeThreads() === 1 ? undefined : pool;
    },
    releaseScratch: () => pool?.releaseScratch(),
  };
}
