/**
 * A persistent worker pool for the wasm GEMM/GEMV kernels.
 *
 * Every worker instantiates the already-compiled kernel module on the one shared
 * `WebAssembly.Memory`, so operands are never copied: a call splits C (or y) into contiguous
 * blocks of rows or columns, hands each worker the byte addresses of its block through a control
 * block in a SharedArrayBuffer (Atomics.store + notify, not postMessage), computes the first block
 * on the calling thread and waits (Atomics.wait) for the others.
 *
 * Bit-identical results: each element of C is produced by the same sequence of operations
 * whichever block holds it (the k-blocking depends on k only; ragged edge tiles are computed on
 * zero padding with the same micro-kernel; GEMV's per-row / per-column order does not depend on
 * its neighbours). Block boundaries are multiples of 4, which keeps GEMVᵀ's SIMD pairs and its odd
 * last column where the single-threaded call has them (its scalar tail is not fused).
 *
 * Where no worker can run (see ./pool-spawn.ts `whyNoPool`: no shared memory, a browser main
 * thread, threads = 1) the pool runs the kernels on the calling thread and says why in
 * `fallbackReason`. A hard crash of a worker thread in the middle of a call (not a kernel error,
 * which is reported) would leave the caller waiting; the kernels do not allocate, so this takes
 * an engine failure.
 */
import { RnnscopeError } from '../../errors.js';
import { wasmKernels, type KernelExports, type WasmKernels } from './load.js';
import {
  checkThreads,
  defaultThreads,
  startWorkers,
  whyNoPool,
  type Simulate,
} from './pool-spawn.js';
import * as W from './pool-worker.js';

export { defaultThreads } from './pool-spawn.js';

export interface WorkerPoolOptions {
  /** Kernel instance whose memory the workers share; default the process-wide `wasmKernels()`. */
  kernels?: WasmKernels;
  /** Threads including the caller. Default `RNNSCOPE_THREADS`, else min(available cores, 4). */
  threads?: number;
  /** GEMMs below this many flops (2mnk) stay on the calling thread. Default GEMM_MIN_FLOPS. */
  minFlops?: number;
  /** GEMVs below this many flops (2mn) stay on the calling thread. Default GEMV_MIN_FLOPS. */
  minGemvFlops?: number;
  /**
   * Raise the thresholds while split calls do not pay (default true): when the workers finish
   * well after the caller's own block — they were asleep, or the machine is busy — the size
   * below which calls stay on one thread doubles; fast calls halve it back to the minimum. Every
   * 64th call between the two is split anyway, to notice when things improve.
   */
  adaptive?: boolean;
  /**
   * Microseconds a worker polls for the next command after finishing one, and the caller for
   * the workers, before sleeping in Atomics.wait. Waking a sleeping thread cost 20–100 µs on the
   * VMs measured, as long as a whole 10⁶-flop GEMM; polling catches the bursts of calls that
   * decompositions and training steps make. Defaults WORKER_SPIN_US, CALLER_SPIN_US.
   */
  spinMicros?: { worker?: number; caller?: number };
  /** Testing hook: behave as if this environment lacked SharedArrayBuffer or a blocking wait. */
  simulate?: Simulate;
}

type DropLast<T extends unknown[]> = T extends [...infer H, unknown] ? H : never;
/** The `gemm` kernel's arguments without the workspace (the pool keeps one per thread). */
export type GemmArgs = DropLast<Parameters<KernelExports['gemm']>>;

export interface WorkerPool {
  readonly kernels: WasmKernels;
  /** Threads including the caller that the pool was asked for (after the environment default). */
  readonly requestedThreads: number;
  /** Why the pool runs on fewer threads than requested, or undefined. */
  readonly fallbackReason: string | undefined;
  /** Calls served, how many were split, and the current (adaptive) thresholds in flops. */
  readonly stats: { calls: number; split: number; gemmMinFlops: number; gemvMinFlops: number };
  /** Threads a call can use right now: the caller plus workers that have started. */
  activeThreads(): number;
  /** Resolves with activeThreads() once every worker has started or failed; never rejects. */
  ready(): Promise<number>;
  /** C ← alpha·op(A)·op(B) + beta·C on byte addresses: the `gemm` kernel's arguments without its workspace. */
  gemm(...args: GemmArgs): void;
  /** y ← alpha·op(A)·x + beta·y on byte addresses (A is m×n with leading dimension lda). */
  gemv(...args: Parameters<KernelExports['gemv']>): void;
  /**
   * Calls the kernel export `name` once per argument list (numbers, at most 16 each): the first
   * on the calling thread, the next ones on workers, any beyond the live workers on the calling
   * thread after its first. The calls must write disjoint memory, so that the results do not
   * depend on where each ran. `flops` (all calls together) is held against the GEMV threshold,
   * adaptive as for GEMV: below it every call runs on the calling thread, in order.
   */
  call(name: string, calls: readonly (readonly number[])[], flops: number): void;
  /** Returns the per-thread workspaces to the arena (the pool stays usable). */
  releaseScratch(): void;
  /** Stops the workers and frees the workspaces; later calls run on the calling thread only. */
  close(): Promise<void>;
}

/**
 * Measured with bench/pool.mjs (2 threads): a split GEMM pays from ~6·10⁴ flops when the worker
 * is awake and from ~10⁶–2·10⁶ when it must be woken; GEMV (memory-bound) from ~5·10⁴ awake
 * and ~10⁶ asleep. The defaults favour bursts of calls; `adaptive` covers isolated ones.
 */
export const GEMM_MIN_FLOPS = 1e6;
export const GEMV_MIN_FLOPS = 2e5;
export const WORKER_SPIN_US = 200;
export const CALLER_SPIN_US = 10;
/** Adaptive thresholds stop rising here: a GEMM this large (N ≈ 800) always splits. */
const ADAPTIVE_CAP = 1e9;
/** Block boundaries in rows/columns: the micro-tile size, and even for GEMVᵀ's SIMD pairs. */
const QUANTUM = 4;

interface Threshold {
  base: number;
  current: number;
  below: number;
}

function nonNegative(x: number | undefined, fallback: number, what: string): number {
  if (x === undefined) return fallback;
  if (!(x >= 0)) throw new RnnscopeError('INVALID_ARGUMENT', `${what} must be ≥ 0, got ${x}`);
  return x;
}

/** Boundaries 0 = b₀ < b₁ < … < b_p = len, interior ones multiples of QUANTUM; returns p. */
function split(len: number, parts: number, out: number[]): number {
  const units = Math.ceil(len / QUANTUM);
  const p = Math.max(1, Math.min(parts, units));
  out.length = p + 1;
  for (let i = 0; i <= p; i++) out[i] = Math.min(len, Math.floor((units * i) / p) * QUANTUM);
  return p;
}

function asPoolError(e: unknown, where: string): RnnscopeError {
  if (e instanceof RnnscopeError) return e;
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new RnnscopeError('INVALID_ARGUMENT', `wasm pool (${where}): ${text}`, { cause: e });
}

/**
 * Creates a pool. Never throws for an unsuitable environment: it then runs single-threaded and
 * says why in `fallbackReason`. Workers start in the background; calls made before they are up
 * run on fewer threads (the results are identical either way).
 * @example
 *   const pool = createWorkerPool({ threads: 2 });
 *   await pool.ready(); // optional
 *   const backend = createWasmBackend({ pool });
 */
export function createWorkerPool(options: WorkerPoolOptions = {}): WorkerPool {
  const kernels = options.kernels ?? wasmKernels();
  const requested = checkThreads(options.threads ?? defaultThreads());
  const threshold = (base: number): Threshold => ({ base, current: base, below: 0 });
  const thresholds = {
    gemm: threshold(nonNegative(options.minFlops, GEMM_MIN_FLOPS, 'minFlops')),
    gemv: threshold(nonNegative(options.minGemvFlops, GEMV_MIN_FLOPS, 'minGemvFlops')),
    call: threshold(nonNegative(options.minGemvFlops, GEMV_MIN_FLOPS, 'minGemvFlops')),
  };
  const adaptive = options.adaptive ?? true;
  const spinMicros = nonNegative(options.spinMicros?.worker, WORKER_SPIN_US, 'spinMicros.worker');
  const callerSpinMs =
    nonNegative(options.spinMicros?.caller, CALLER_SPIN_US, 'spinMicros.caller') / 1000;
  const k = kernels.exports;
  const arena = kernels.arena;
  let reason = whyNoPool(kernels, requested, options.simulate);
  const nWorkers = reason ? 0 : requested - 1;

  // Where there are no workers SharedArrayBuffer may not even exist (a non-isolated page).
  const control =
    nWorkers > 0 ? new SharedArrayBuffer(nWorkers * W.SLOT_INTS * 4) : new ArrayBuffer(8);
  const i32 = new Int32Array(control);
  const f64 = new Float64Array(control);
  const seq = new Int32Array(nWorkers);
  const failed = new Array<boolean>(nWorkers).fill(false);
  const heard = new Array<boolean>(nWorkers).fill(false);
  const scratch: { ptr: number; bytes: number }[] = [];
  const bounds: number[] = [];
  const blocks: number[][] = [];
  let live: number[] = []; // indices of the workers that are serving
  const stats = {
    calls: 0,
    split: 0,
    gemmMinFlops: thresholds.gemm.base,
    gemvMinFlops: thresholds.gemv.base,
  };
  let closed = false;
  let settled = 0;
  let onSettled: (() => void) | undefined;
  const allSettled = new Promise<void>((resolve) => (onSettled = resolve));
  if (nWorkers === 0) onSettled?.();

  const stop =
    nWorkers === 0
      ? async () => undefined
      : startWorkers(
          nWorkers,
          (slot) => ({ module: kernels.module, memory: kernels.memory, control, slot, spinMicros }),
          (w, error) => {
            if (error !== undefined && !failed[w]) {
              failed[w] = true;
              if (!closed) reason ??= `worker ${w + 1}: ${error}`;
            }
            if (!heard[w]) {
              heard[w] = true;
              if (++settled === nWorkers) onSettled?.();
            }
          },
        );

  /** Refreshes `live` from the READY flags in shared memory (event handlers may not have run). */
  function refreshLive(): number {
    if (closed || nWorkers === 0) return 0;
    if (live.length < nWorkers || failed.some(Boolean)) {
      live = [];
      for (let w = 0; w < nWorkers; w++)
        if (!failed[w] && Atomics.load(i32, w * W.SLOT_INTS + W.READY) === 1) live.push(w);
    }
    return live.length;
  }

  /** Workspace for block t (0 = caller's), reserved before dispatch since growing may move views. */
  function work(t: number, bytes: number): number {
    const s = (scratch[t] ??= { ptr: 0, bytes: 0 });
    if (bytes > s.bytes) {
      const want = Math.max(bytes, Math.ceil(s.bytes * 1.5), 1 << 16);
      if (s.bytes > 0) arena.free(s.ptr);
      s.bytes = 0;
      s.ptr = arena.alloc(want);
      s.bytes = want;
    }
    return s.ptr;
  }

  function threadsFor(flops: number, t: Threshold): number {
    stats.calls++;
    if (flops < t.base || refreshLive() === 0) return 1;
    if (flops < t.current && (++t.below & 63) !== 0) return 1;
    // Each thread should get at least half the base threshold's work.
    const byWork = t.base > 0 ? Math.floor(flops / (t.base / 2)) : Infinity;
    return Math.min(live.length + 1, Math.max(1, byWork));
  }

  /**
   * One thread alone would have taken about parts × callerMs, so the split gained
   * parts·callerMs / totalMs; below (parts + 1)/2·callerMs total (a gain under 4/3 for 2
   * threads) it did not pay for the CPU it took. 5 µs of slack ignores timer granularity.
   */
  function adapt(
    t: Threshold,
    flops: number,
    parts: number,
    callerMs: number,
    totalMs: number,
  ): void {
    if (!adaptive) return;
    if (totalMs > ((parts + 1) / 2) * callerMs + 0.005)
      t.current = Math.min(ADAPTIVE_CAP, 2 * Math.max(t.current, flops));
    else if (totalMs < 1.2 * callerMs) t.current = Math.max(t.base, t.current / 2);
    stats.gemmMinFlops = thresholds.gemm.current;
    stats.gemvMinFlops = thresholds.gemv.current;
  }

  function post(w: number, op: number, args: number[]): void {
    const base = w * W.SLOT_INTS;
    const a = (base + W.ARGS) / 2;
    for (let i = 0; i < args.length; i++) f64[a + i] = args[i];
    i32[base + W.OP] = op;
    i32[base + W.STATUS] = 0;
    seq[w] = (seq[w] + 1) | 0;
    Atomics.store(i32, base + W.CMD, seq[w]);
    Atomics.notify(i32, base + W.CMD);
  }

  /** Waits for worker w's current command; returns its error, if any. */
  function join(w: number): RnnscopeError | undefined {
    const base = w * W.SLOT_INTS;
    const want = seq[w];
    let d = Atomics.load(i32, base + W.DONE);
    const t0 = performance.now();
    for (let s = 1; d !== want; s++) {
      if ((s & 255) === 0 && performance.now() - t0 > callerSpinMs) break;
      d = Atomics.load(i32, base + W.DONE);
    }
    while (d !== want) {
      Atomics.wait(i32, base + W.DONE, d);
      d = Atomics.load(i32, base + W.DONE);
    }
    if (i32[base + W.STATUS] === 0) return undefined;
    const u16 = new Uint16Array(control, (base + W.MSG) * 4, i32[base + W.MSG_LEN]);
    const text = String.fromCharCode(...u16);
    return new RnnscopeError('INVALID_ARGUMENT', `wasm pool (worker ${w + 1}): ${text}`);
  }

  function kernel(op: number, x: number[]): void {
    if (op === W.OP_GEMM)
      k.gemm(
        x[0],
        x[1],
        x[2],
        x[3],
        x[4],
        x[5],
        x[6],
        x[7],
        x[8],
        x[9],
        x[10],
        x[11],
        x[12],
        x[13],
      );
    else k.gemv(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8]);
  }

  /** Runs `blocks[0..parts)` (kernel arguments), block 0 here and block p on live worker p − 1. */
  function run(op: number, parts: number, t: Threshold, flops: number): void {
    if (parts === 1) {
      try {
        kernel(op, blocks[0]);
      } catch (e) {
        throw asPoolError(e, 'calling thread');
      }
      return;
    }
    stats.split++;
    const t0 = performance.now();
    for (let p = 1; p < parts; p++) post(live[p - 1], op, blocks[p]);
    let error: RnnscopeError | undefined;
    try {
      kernel(op, blocks[0]);
    } catch (e) {
      error = asPoolError(e, 'calling thread');
    }
    const callerMs = performance.now() - t0;
    // Every worker must be finished before returning, error or not: they write into C.
    for (let p = 1; p < parts; p++) {
      const e = join(live[p - 1]);
      error ??= e;
    }
    if (error) throw error;
    adapt(t, flops, parts, callerMs, performance.now() - t0);
  }

  function gemm(...x: GemmArgs): void {
    const [tA, tB, m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc] = x;
    const flops = 2 * m * n * kk;
    const threads = threadsFor(flops, thresholds.gemm);
    // Split the longer side of C: fewer ragged tiles; each thread packs its own copy of the
    // shared operand, which costs O(k·len) against O(m·n·k / p) of arithmetic.
    const byRows = m >= n;
    const parts = split(byRows ? m : n, threads, bounds);
    for (let p = 0; p < parts; p++) {
      const s = bounds[p];
      const len = bounds[p + 1] - s;
      const ws = work(p, byRows ? k.gemmWorkBytes(len, n, kk) : k.gemmWorkBytes(m, len, kk));
      blocks[p] = byRows
        ? [
            tA,
            tB,
            len,
            n,
            kk,
            alpha,
            a + (tA ? s : s * lda) * 8,
            lda,
            b,
            ldb,
            beta,
            c + s * ldc * 8,
            ldc,
            ws,
          ]
        : [
            tA,
            tB,
            m,
            len,
            kk,
            alpha,
            a,
            lda,
            b + (tB ? s * ldb : s) * 8,
            ldb,
            beta,
            c + s * 8,
            ldc,
            ws,
          ];
    }
    run(W.OP_GEMM, parts, thresholds.gemm, flops);
  }

  function gemv(...x: Parameters<KernelExports['gemv']>): void {
    const [trans, m, n, alpha, a, lda, xp, beta, y] = x;
    const flops = 2 * m * n;
    const threads = threadsFor(flops, thresholds.gemv);
    // Blocks of y: rows of A (y = A·x) or columns of A (y = Aᵀ·x).
    const parts = split(trans ? n : m, threads, bounds);
    for (let p = 0; p < parts; p++) {
      const s = bounds[p];
      const len = bounds[p + 1] - s;
      blocks[p] = trans
        ? [1, m, len, alpha, a + s * 8, lda, xp, beta, y + s * 8]
        : [0, len, n, alpha, a + s * lda * 8, lda, xp, beta, y + s * 8];
    }
    run(W.OP_GEMV, parts, thresholds.gemv, flops);
  }

  // Workers index the exports the same way: same module, same export order.
  const exportNames = Object.keys(k);

  function call(name: string, calls: readonly (readonly number[])[], flops: number): void {
    const fn = (k as unknown as Record<string, unknown>)[name];
    const index = exportNames.indexOf(name);
    if (typeof fn !== 'function' || index < 0)
      throw new RnnscopeError('INVALID_ARGUMENT', `wasm pool: the kernels export no '${name}'`);
    if (calls.some((a) => a.length > W.MAX_ARGS))
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `wasm pool: '${name}' takes ≤ ${W.MAX_ARGS} args`,
      );
    const f = fn as (...a: readonly number[]) => unknown;
    const parts = calls.length > 1 ? Math.min(calls.length, threadsFor(flops, thresholds.call)) : 1;
    let error: RnnscopeError | undefined;
    if (parts === 1) {
      try {
        for (const a of calls) f(...a);
      } catch (e) {
        throw asPoolError(e, 'calling thread');
      }
      return;
    }
    stats.split++;
    const t0 = performance.now();
    for (let p = 1; p < parts; p++) {
      const base = live[p - 1] * W.SLOT_INTS;
      i32[base + W.FN] = index;
      i32[base + W.ARGC] = calls[p].length;
      post(live[p - 1], W.OP_CALL, calls[p] as number[]);
    }
    try {
      f(...calls[0]);
      for (let p = parts; p < calls.length; p++) f(...calls[p]);
    } catch (e) {
      error = asPoolError(e, 'calling thread');
    }
    const callerMs = performance.now() - t0;
    for (let p = 1; p < parts; p++) {
      const e = join(live[p - 1]);
      error ??= e;
    }
    if (error) throw error;
    adapt(thresholds.call, flops, parts, callerMs, performance.now() - t0);
  }

  function releaseScratch(): void {
    for (const s of scratch) if (s.bytes > 0) arena.free(s.ptr);
    scratch.length = 0;
  }

  return {
    kernels,
    requestedThreads: requested,
    get fallbackReason() {
      return reason;
    },
    stats,
    activeThreads: () => refreshLive() + 1,
    ready: async () => {
      await allSettled;
      return refreshLive() + 1;
    },
    gemm,
    gemv,
    call,
    releaseScratch,
    async close() {
      if (closed) return;
      closed = true;
      // A worker that has not started yet finds QUIT waiting when it does.
      for (let w = 0; w < nWorkers; w++) post(w, W.OP_QUIT, []);
      await stop();
      releaseScratch();
    },
  };
}
