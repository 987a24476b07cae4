/**
 * The inner loop of FORCE, behind one small interface with two implementations:
 *  - wasm (asm/force.ts): fused step and fused RLS sweep on packed P, with J and P stored in
 *    float64 or float32 (one wrapper, parameterised by the precision);
 *  - ts (./force-reference.ts): the same algorithm in plain float64 loops, the reference the
 *    tests compare with and the fallback where WebAssembly SIMD is missing.
 *
 * Per update (every δ steps), with the P update of update n deferred to update n+1 so that it
 * shares one sweep over P with the next P·r:
 *   k = P·r,  c = 1/(1 + rᵀk),  e = z − y,  Wout ← Wout − c·e·kᵀ,  z ← Wout·r,  P ← P − c·k·kᵀ.
 * This is exactly Sussillo & Abbott's RLS (P(0) = I/α); only the order of the memory sweeps changes.
 */
import { RnnscopeError } from '../errors.js';
import { defaultThreads, wasmKernels, type WasmKernels } from '../linalg/wasm/index.js';
import { sharedWorkerPool } from '../linalg/wasm/pool-select.js';
import type { WorkerPool } from '../linalg/wasm/pool.js';
import type { RateModel } from '../models/types.js';
import { createReferenceEngine, forceSizes, RLS_GROUPS } from './force-reference.js';

export type ForcePrecision = 'float64' | 'float32';

/** Mutable state of the inner loop, as plain arrays (for checkpoints). */
export interface ForceEngineState {
  x: Float64Array;
  Wout: Float64Array;
  /** Packed lower triangle of P (n(n+1)/2), float64 or float32 as stored. */
  P: Float64Array | Float32Array;
  /** k = P·r of the last update, waiting for its P update (valid when pendingC is not null). */
  k: Float64Array;
  pendingC: number | null;
}

export interface ForceEngine {
  readonly backend: 'wasm' | 'ts';
  readonly precision: ForcePrecision;
  /** Threads the sweeps may be split over (1: the calling thread only). */
  readonly threads: number;
  /** One Euler step with input u; afterwards readout() is z of the new state. */
  step(u: Float64Array): void;
  /** One RLS update against target y; writes e = z − y (before the update) into err. */
  update(y: Float64Array, err: Float64Array): void;
  /** Current readout z (O), rate r = tanh(x) (N). Views: read before the next call. */
  readout(): Float64Array;
  rate(): Float64Array;
  /** Copies the current state out (P's deferred update still pending, recorded in pendingC). */
  getState(): ForceEngineState;
  /** Restores a state produced by getState (same sizes and precision). */
  setState(s: ForceEngineState): void;
  /** Copies Wout into `out` (O×N row-major). */
  readWout(out: Float64Array): void;
  /** Releases wasm memory. */
  dispose(): void;
}

/**
 * asm/force.ts exports for one precision (suffix 64 or 32); pointers are byte addresses, 0 =
 * absent. "T" arrays hold the stored precision (for float64 they are the float64 arrays).
 */
interface ForceKernels {
  rateStep(
    n: number,
    o: number,
    ni: number,
    h: number,
    J: number,
    wfbT: number,
    winT: number,
    bias: number,
    u: number,
    x: number,
    rT: number,
    rOut: number,
    rTOut: number,
    z: number,
    wout: number,
    ext: number,
  ): void;
  rlsFused(
    n: number,
    ap: number,
    c: number,
    kT: number,
    rT: number,
    ys: number,
    kOut: number,
    kTOut: number,
  ): void;
  rlsReadout(
    n: number,
    o: number,
    k: number,
    r: number,
    z: number,
    y: number,
    wout: number,
    err: number,
  ): number;
  rlsGroupCount(): number;
  forceDrive(
    n: number,
    o: number,
    ni: number,
    wfbT: number,
    winT: number,
    bias: number,
    u: number,
    z: number,
    ext: number,
  ): void;
  rateFinish(
    n: number,
    o: number,
    x: number,
    rOut: number,
    rTOut: number,
    z: number,
    wout: number,
  ): void;
  rlsReduce(n: number, ys: number, kOut: number, kTOut: number): void;
  /** Export names of the split kernels, for WorkerPool.call. */
  rowsName: string;
  groupsName: string;
}

function forceKernels(kernels: WasmKernels, single: boolean): ForceKernels {
  const e = kernels.exports as unknown as Record<string, unknown>;
  const s = single ? '32' : '64';
  const k = {
    rateStep: e[`rateStep${s}`],
    rlsFused: e[`rlsFused${s}`],
    rlsReadout: e.rlsReadout,
    rlsGroupCount: e.rlsGroupCount,
    forceDrive: e.forceDrive,
    rateFinish: e[`rateFinish${s}`],
    rlsReduce: e[`rlsReduce${s}`],
    rowsName: `rateRows${s}`,
    groupsName: `rlsGroups${s}`,
  } as ForceKernels;
  if (typeof k.rlsGroupCount !== 'function' || k.rlsGroupCount() !== RLS_GROUPS)
    throw new RnnscopeError(
      'UNSUPPORTED_VERSION',
      'the wasm kernels do not match this version of the FORCE engine (rebuild: node scripts/build-wasm.mjs)',
    );
  return k;
}

export interface ForceEngineOptions {
  alpha: number;
  precision?: ForcePrecision;
  backend?: 'wasm' | 'ts' | 'auto';
  x0: Float64Array;
  /**
   * Threads (including the caller) the J·r rows and the P sweep may be split over; 'auto'
   * (default): `defaultThreads()` (RNNSCOPE_THREADS, else min(cores, 4)). Networks below
   * THREADED_MIN_UNITS stay on one thread. Results are the same bits for any thread count.
   */
  threads?: number | 'auto';
}

/** Below this many units a split step costs more in synchronisation than it saves. */
export const THREADED_MIN_UNITS = 256;
/** Updates timed split and unsplit at the start of every cycle of PROBE_CYCLE updates. */
const PROBE_UPDATES = 16;
const PROBE_CYCLE = 512;
/** Split only when its window was this much faster: short windows are noisy on a busy machine. */
const SPLIT_MARGIN = 0.85;

/**
 * Creates the FORCE inner loop for `model` (kind 'rate'; tanh on the wasm kernels, any activation
 * on the plain-TypeScript engine, which 'auto' picks for non-tanh units). The engine copies the weights
 * it needs; Wout is trained inside it and read back with readWout.
 */
export function createForceEngine(model: RateModel, opts: ForceEngineOptions): ForceEngine {
  const want = opts.backend ?? 'auto';
  const precision = opts.precision ?? 'float64';
  const t = opts.threads;
  if (t !== undefined && t !== 'auto' && !(Number.isInteger(t) && t >= 1))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `threads must be 'auto' or an integer ≥ 1, got ${String(t)}`,
    );
  if (want === 'ts' || (want === 'auto' && model.activation.name !== 'tanh')) {
    // The kernels fuse tanh; other activations (seed 000 fig. 9's logistic units) run here.
    if (precision !== 'float64')
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        'the float32 FORCE mode needs the wasm kernels (tanh units only)',
      );
    return createReferenceEngine(model, opts);
  }
  let kernels: WasmKernels;
  try {
    kernels = wasmKernels();
  } catch (e) {
    if (want === 'wasm' || precision !== 'float64') throw e;
    return createReferenceEngine(model, opts);
  }
  return createWasmEngine(model, opts, kernels, precision);
}

function createWasmEngine(
  model: RateModel,
  opts: ForceEngineOptions,
  kernels: WasmKernels,
  precision: ForcePrecision,
): ForceEngine {
  const { n, o, ni } = forceSizes(model);
  const single = precision === 'float32';
  const k = forceKernels(kernels, single);
  const arena = kernels.arena;
  const bytes = single ? 4 : 8; // per stored element of J, P and the "T" vectors
  const packed = (n * (n + 1)) / 2;
  const ptrs: number[] = [];
  // Zero-filled: the arena hands back freed memory as is, and stale NaNs in the first pending k
  // would survive the c = 0 pass (0·NaN = NaN).
  const alloc = (size: number): number => {
    const s = Math.ceil(Math.max(size, 8) / 8) * 8;
    const p = arena.alloc(s);
    ptrs.push(p);
    new Uint8Array(kernels.memory.buffer, p, s).fill(0);
    return p;
  };
  const pJ = alloc(n * n * bytes);
  const pP = alloc(packed * bytes);
  // Feedback and input weights transposed (o×n, ni×n): the kernel adds them as vector axpys.
  const pWfb = model.Wfb ? alloc(n * o * 8) : 0;
  const pWin = model.Win && ni > 0 ? alloc(n * ni * 8) : 0;
  const pExt = alloc(n * 8);
  const pBias = model.bias ? alloc(n * 8) : 0;
  const pU = alloc(ni * 8);
  const pX = alloc(n * 8);
  const pZ = alloc(o * 8);
  const pWout = alloc(o * n * 8);
  const pY = alloc(o * 8);
  const pErr = alloc(o * 8);
  const pYs = alloc(RLS_GROUPS * n * bytes);
  // Double buffers of r and k in float64 and, for float32, their float32 copies ("T").
  const pR = [alloc(n * 8), alloc(n * 8)];
  const pK = [alloc(n * 8), alloc(n * 8)];
  const pRT = single ? [alloc(n * 4), alloc(n * 4)] : pR;
  const pKT = single ? [alloc(n * 4), alloc(n * 4)] : pK;
  const mem = () => kernels.memory.buffer;
  const f64 = (p: number, len: number) => new Float64Array(mem(), p, len);
  const stored = (p: number, len: number) =>
    single ? new Float32Array(mem(), p, len) : new Float64Array(mem(), p, len);

  stored(pJ, n * n).set(model.W.data.subarray(0, n * n));
  const transposeInto = (p: number, M: Float64Array, cols: number) => {
    const t = f64(p, n * cols);
    for (let i = 0; i < n; i++) for (let q = 0; q < cols; q++) t[q * n + i] = M[i * cols + q];
  };
  if (pWfb) transposeInto(pWfb, model.Wfb!.data, o);
  if (pWin) transposeInto(pWin, model.Win!.data, ni);
  if (pBias) f64(pBias, n).set(model.bias!);
  f64(pWout, o * n).set(model.Wout!.data.subarray(0, o * n));
  // P(0) = I/α in packed lower storage: the diagonal (i, i) sits at i(i+1)/2 + i.
  const P0 = stored(pP, packed);
  for (let i = 0; i < n; i++) P0[(i * (i + 1)) / 2 + i] = 1 / opts.alpha;

  const wanted =
    opts.threads === undefined || opts.threads === 'auto' ? defaultThreads() : opts.threads;
  const pool: WorkerPool | undefined =
    wanted > 1 && n >= THREADED_MIN_UNITS && kernels.shared
      ? sharedWorkerPool(kernels, wanted)
      : undefined;
  const rowCalls: number[][] = [];
  const groupCalls: number[][] = [];
  /** Argument lists of the split kernels for `parts` threads (rows at multiples of 6). */
  const plan = (parts: number) => {
    if (rowCalls.length === parts) return;
    rowCalls.length = 0;
    groupCalls.length = 0;
    for (let p = 0; p < parts; p++) {
      const i0 = p === 0 ? 0 : 6 * Math.round((n * p) / parts / 6);
      const i1 = p === parts - 1 ? n : 6 * Math.round((n * (p + 1)) / parts / 6);
      rowCalls.push([n, i0, i1, 0, pJ, 0, pX, pExt]);
      const g0 = Math.floor((RLS_GROUPS * p) / parts);
      const g1 = Math.floor((RLS_GROUPS * (p + 1)) / parts);
      groupCalls.push([n, g0, g1, pP, 0, 0, 0, pYs]);
    }
  };
  // Whether splitting pays depends on what else the machine runs, so it is measured, not
  // assumed: every cycle times PROBE updates split and PROBE on one thread, then keeps the faster
  // for the rest of the cycle, the split only if clearly faster. (The bits are the same either way.)
  let split = true;
  let cycle = 0;
  let mark = -1;
  let splitMs = 0;
  const probe = () => {
    const now = performance.now();
    if (mark < 0) {
      mark = now; // the first update starts the clock
      return;
    }
    cycle++;
    if (cycle === PROBE_UPDATES) {
      splitMs = now - mark;
      split = false;
      mark = now;
    } else if (cycle === 2 * PROBE_UPDATES) split = splitMs < SPLIT_MARGIN * (now - mark);
    else if (cycle === PROBE_CYCLE) {
      cycle = 0;
      split = true;
      mark = now;
    }
  };
  const parts = () => (pool && split ? Math.min(pool.activeThreads(), RLS_GROUPS) : 1);

  let cur = 0; // which of the double buffers holds r
  let kCur = 0; // which holds the pending k
  let pendingC: number | null = null;

  /** One Euler step of gain h from the rates in buffer `cur` into the other buffer. */
  const eulerStep = (h: number) => {
    const next = 1 - cur;
    const p = parts();
    if (p > 1) {
      k.forceDrive(n, o, ni, pWfb, pWin, pBias, pU, pZ, pExt);
      plan(p);
      for (const a of rowCalls) {
        a[3] = h;
        a[5] = pRT[cur];
      }
      pool!.call(k.rowsName, rowCalls, 2 * n * n);
      k.rateFinish(n, o, pX, pR[next], pRT[next], pZ, pWout);
      cur = next;
      return;
    }
    k.rateStep(
      n,
      o,
      ni,
      h,
      pJ,
      pWfb,
      pWin,
      pBias,
      pU,
      pX,
      pRT[cur],
      pR[next],
      pRT[next],
      pZ,
      pWout,
      pExt,
    );
    cur = next;
  };
  // r = tanh(x), z = Wout·r through a zero-gain step (h = 0 keeps x exactly; the rates read are
  // zeros or the previous ones, finite either way).
  const refreshRate = () => eulerStep(0);
  f64(pX, n).set(opts.x0);
  refreshRate();

  return {
    backend: 'wasm',
    precision,
    threads: pool ? Math.min(wanted, RLS_GROUPS) : 1,
    step(u) {
      if (ni > 0) f64(pU, ni).set(u.subarray(0, ni));
      eulerStep(model.dt / model.tau);
    },
    update(y, err) {
      f64(pY, o).set(y.subarray(0, o));
      const kNew = 1 - kCur;
      const p = parts();
      if (p > 1) {
        plan(p);
        for (const a of groupCalls) {
          a[4] = pendingC ?? 0;
          a[5] = pKT[kCur];
          a[6] = pRT[cur];
        }
        pool!.call(k.groupsName, groupCalls, 3 * n * n);
        k.rlsReduce(n, pYs, pK[kNew], pKT[kNew]);
      } else k.rlsFused(n, pP, pendingC ?? 0, pKT[kCur], pRT[cur], pYs, pK[kNew], pKT[kNew]);
      kCur = kNew;
      pendingC = k.rlsReadout(n, o, pK[kCur], pR[cur], pZ, pY, pWout, pErr);
      err.set(f64(pErr, o));
      if (pool) probe();
    },
    readout: () => f64(pZ, o),
    rate: () => f64(pR[cur], n),
    getState() {
      return {
        x: f64(pX, n).slice(),
        Wout: f64(pWout, o * n).slice(),
        P: stored(pP, packed).slice(),
        k: f64(pK[kCur], n).slice(),
        pendingC,
      };
    },
    setState(s) {
      if (s.x.length !== n || s.Wout.length !== o * n || s.P.length !== packed)
        throw new RnnscopeError('SHAPE_MISMATCH', 'FORCE state does not match the model sizes');
      if (single !== s.P instanceof Float32Array)
        throw new RnnscopeError('INVALID_ARGUMENT', `FORCE state precision is not ${precision}`);
      f64(pX, n).set(s.x);
      f64(pWout, o * n).set(s.Wout);
      stored(pP, packed).set(s.P);
      f64(pK[kCur], n).set(s.k);
      if (single) stored(pKT[kCur], n).set(s.k);
      pendingC = s.pendingC;
      refreshRate();
    },
    readWout(out) {
      out.set(f64(pWout, o * n));
    },
    dispose() {
      for (const p of ptrs.splice(0)) arena.free(p);
    },
  };
}
