/**
 * The inner loop of FORCE, behind one small interface with two implementations:
 *  - wasm (asm/force.ts): fused step and fused RLS pass on packed P, float64 or float32 storage;
 *  - ts: the same algorithm in plain loops (float64 only), the reference the tests compare with
 *    and the fallback where WebAssembly SIMD is missing.
 *
 * Per update (every δ steps), with the P update of update n deferred to update n+1 so that it
 * shares one sweep over P with the next P·r (see rlsFused64):
 *   k = P·r,  c = 1/(1 + rᵀk),  e = z − y,  Wout ← Wout − c·e·kᵀ,  z ← Wout·r,  P ← P − c·k·kᵀ.
 * This is exactly Sussillo & Abbott's RLS (P(0) = I/α); only the order of the memory sweeps changes.
 */
import { RnnscopeError } from '../errors.js';
import { wasmKernels, type WasmKernels } from '../linalg/wasm/index.js';
import type { RateModel } from '../models/types.js';

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

/** asm/force.ts exports; pointers are byte addresses, 0 = absent. */
interface RawForceExports {
  rateStep64(
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
    r: number,
    rOut: number,
    z: number,
    wout: number,
    ext: number,
  ): void;
  rateStep32(
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
    rf: number,
    rOut: number,
    rfOut: number,
    z: number,
    wout: number,
    ext: number,
  ): void;
  rlsFused64(n: number, ap: number, c: number, k: number, r: number, y: number): void;
  rlsFused32(
    n: number,
    ap: number,
    c: number,
    kf: number,
    rf: number,
    yf: number,
    kOut: number,
    kfOut: number,
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
}

export interface ForceEngineOptions {
  alpha: number;
  precision?: ForcePrecision;
  backend?: 'wasm' | 'ts' | 'auto';
  x0: Float64Array;
}

/** Sizes and fixed weights of a rate model trained by FORCE. */
function sizesOf(m: RateModel): { n: number; o: number; ni: number } {
  const n = m.W.rows;
  const o = m.Wout?.rows ?? 0;
  const ni = m.Win?.cols ?? 0;
  if (o === 0 || !m.Wout)
    throw new RnnscopeError('INVALID_MODEL', 'FORCE needs a readout Wout (outputs ≥ 1)');
  if (m.activation.name !== 'tanh')
    throw new RnnscopeError(
      'INVALID_MODEL',
      `FORCE kernels implement tanh units (seed 000); got activation ${m.activation.name}`,
    );
  if (m.bout && m.bout.some((v) => v !== 0))
    throw new RnnscopeError('INVALID_MODEL', 'FORCE trains Wout only; bout must be absent or zero');
  return { n, o, ni };
}

/**
 * Creates the FORCE inner loop for `model` (kind 'rate', tanh). The engine copies the weights
 * it needs; Wout is trained inside it and read back with readWout.
 */
export function createForceEngine(model: RateModel, opts: ForceEngineOptions): ForceEngine {
  const want = opts.backend ?? 'auto';
  const precision = opts.precision ?? 'float64';
  if (want === 'ts') {
    if (precision !== 'float64')
      throw new RnnscopeError('INVALID_ARGUMENT', 'the float32 FORCE mode needs the wasm kernels');
    return createTsEngine(model, opts);
  }
  let kernels: WasmKernels;
  try {
    kernels = wasmKernels();
  } catch (e) {
    if (want === 'wasm' || precision !== 'float64') throw e;
    return createTsEngine(model, opts);
  }
  return createWasmEngine(model, opts, kernels, precision);
}

function createWasmEngine(
  model: RateModel,
  opts: ForceEngineOptions,
  kernels: WasmKernels,
  precision: ForcePrecision,
): ForceEngine {
  const { n, o, ni } = sizesOf(model);
  const k = kernels.exports as unknown as RawForceExports;
  const arena = kernels.arena;
  const single = precision === 'float32';
  const packed = (n * (n + 1)) / 2;
  const ptrs: number[] = [];
  // Zero-filled: the arena hands back freed memory as is, and stale NaNs in the first pending k
  // would survive the c = 0 pass (0·NaN = NaN).
  const alloc = (bytes: number): number => {
    const size = Math.ceil(Math.max(bytes, 8) / 8) * 8;
    const p = arena.alloc(size);
    ptrs.push(p);
    new Uint8Array(kernels.memory.buffer, p, size).fill(0);
    return p;
  };
  const pJ = alloc(n * n * (single ? 4 : 8));
  const pP = alloc(packed * (single ? 4 : 8));
  // Feedback and input weights transposed (o×n, ni×n): the kernel adds them as vector axpys.
  const pWfb = model.Wfb ? alloc(n * o * 8) : 0;
  const pWin = model.Win && ni > 0 ? alloc(n * ni * 8) : 0;
  const pExt = alloc(n * 8);
  const pBias = model.bias ? alloc(n * 8) : 0;
  const pU = alloc(ni * 8);
  const pX = alloc(n * 8);
  const pR = [alloc(n * 8), alloc(n * 8)];
  const pRf = [alloc(n * 4), alloc(n * 4)];
  const pZ = alloc(o * 8);
  const pWout = alloc(o * n * 8);
  const pY = alloc(o * 8);
  const pErr = alloc(o * 8);
  const pK = [alloc(n * 8), alloc(n * 8)];
  const pKf = [alloc(n * 4), alloc(n * 4)];
  const pYf = alloc(n * 4);
  const mem = () => kernels.memory.buffer;
  const f64 = (p: number, len: number) => new Float64Array(mem(), p, len);
  const f32 = (p: number, len: number) => new Float32Array(mem(), p, len);

  if (single) f32(pJ, n * n).set(model.W.data.subarray(0, n * n));
  else f64(pJ, n * n).set(model.W.data.subarray(0, n * n));
  const transposeInto = (p: number, M: Float64Array, cols: number) => {
    const t = f64(p, n * cols);
    for (let i = 0; i < n; i++) for (let q = 0; q < cols; q++) t[q * n + i] = M[i * cols + q];
  };
  if (pWfb) transposeInto(pWfb, model.Wfb!.data, o);
  if (pWin) transposeInto(pWin, model.Win!.data, ni);
  if (pBias) f64(pBias, n).set(model.bias!);
  f64(pWout, o * n).set(model.Wout!.data.subarray(0, o * n));
  // P(0) = I/α in packed lower storage: the diagonal (i, i) sits at i(i+1)/2 + i.
  const P0 = single ? f32(pP, packed) : f64(pP, packed);
  P0.fill(0);
  for (let i = 0; i < n; i++) P0[(i * (i + 1)) / 2 + i] = 1 / opts.alpha;

  let cur = 0; // which of the double buffers holds r (and rf)
  let kCur = 0; // which holds the pending k
  let pendingC: number | null = null;

  const refreshRate = () => {
    // r = tanh(x), z = Wout·r, through a zero-gain step (h = 0 keeps x exactly).
    if (single)
      k.rateStep32(
        n,
        o,
        ni,
        0,
        pJ,
        pWfb,
        pWin,
        pBias,
        pU,
        pX,
        pRf[cur],
        pR[cur],
        pRf[cur],
        pZ,
        pWout,
        pExt,
      );
    else
      k.rateStep64(
        n,
        o,
        ni,
        0,
        pJ,
        pWfb,
        pWin,
        pBias,
        pU,
        pX,
        pR[cur],
        pR[1 - cur],
        pZ,
        pWout,
        pExt,
      );
    if (!single) cur = 1 - cur;
  };
  f64(pX, n).set(opts.x0);
  if (single) {
    // rf must hold f32(tanh(x)) before the first zero-gain step reads it; any values do,
    // because h = 0 discards the product, and the step then writes r and rf.
    f32(pRf[cur], n).fill(0);
  }
  refreshRate();

  return {
    backend: 'wasm',
    precision,
    step(u) {
      if (ni > 0) f64(pU, ni).set(u.subarray(0, ni));
      const h = model.dt / model.tau;
      const next = 1 - cur;
      if (single)
        k.rateStep32(
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
          pRf[cur],
          pR[next],
          pRf[next],
          pZ,
          pWout,
          pExt,
        );
      else
        k.rateStep64(
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
          pR[cur],
          pR[next],
          pZ,
          pWout,
          pExt,
        );
      cur = next;
    },
    update(y, err) {
      f64(pY, o).set(y.subarray(0, o));
      const c = pendingC ?? 0;
      const kNew = 1 - kCur;
      if (single) k.rlsFused32(n, pP, c, pKf[kCur], pRf[cur], pYf, pK[kNew], pKf[kNew]);
      else k.rlsFused64(n, pP, c, pK[kCur], pR[cur], pK[kNew]);
      kCur = kNew;
      pendingC = k.rlsReadout(n, o, pK[kCur], pR[cur], pZ, pY, pWout, pErr);
      err.set(f64(pErr, o));
    },
    readout: () => f64(pZ, o),
    rate: () => f64(pR[cur], n),
    getState() {
      return {
        x: f64(pX, n).slice(),
        Wout: f64(pWout, o * n).slice(),
        P: single ? f32(pP, packed).slice() : f64(pP, packed).slice(),
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
      (single ? f32(pP, packed) : f64(pP, packed)).set(s.P);
      f64(pK[kCur], n).set(s.k);
      if (single) f32(pKf[kCur], n).set(s.k);
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

/** The reference engine: the same sweeps as the wasm kernels, in plain float64 loops. */
function createTsEngine(model: RateModel, opts: ForceEngineOptions): ForceEngine {
  const { n, o, ni } = sizesOf(model);
  const J = model.W.data;
  const Wfb = model.Wfb?.data;
  const Win = ni > 0 ? model.Win?.data : undefined;
  const bias = model.bias;
  const packed = (n * (n + 1)) / 2;
  const P = new Float64Array(packed);
  for (let i = 0; i < n; i++) P[(i * (i + 1)) / 2 + i] = 1 / opts.alpha;
  const Wout = Float64Array.from(model.Wout!.data.subarray(0, o * n));
  const x = Float64Array.from(opts.x0);
  const r = new Float64Array(n);
  const z = new Float64Array(o);
  let kv = new Float64Array(n);
  let kNext = new Float64Array(n);
  let pendingC: number | null = null;

  const activate = () => {
    for (let i = 0; i < n; i++) r[i] = Math.tanh(x[i]);
    for (let q = 0; q < o; q++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Wout[q * n + j] * r[j];
      z[q] = s;
    }
  };
  activate();
  const a = new Float64Array(n);
  return {
    backend: 'ts',
    precision: 'float64',
    step(u) {
      const h = model.dt / model.tau;
      for (let i = 0; i < n; i++) {
        let s = 0;
        const row = i * n;
        for (let j = 0; j < n; j++) s += J[row + j] * r[j];
        if (Wfb) for (let q = 0; q < o; q++) s += Wfb[i * o + q] * z[q];
        if (Win) for (let q = 0; q < ni; q++) s += Win[i * ni + q] * u[q];
        if (bias) s += bias[i];
        a[i] = s;
      }
      for (let i = 0; i < n; i++) x[i] += h * (a[i] - x[i]);
      activate();
    },
    update(y, err) {
      const c = pendingC ?? 0;
      kNext.fill(0);
      for (let i = 0; i < n; i++) {
        const row = (i * (i + 1)) / 2;
        const m = -c * kv[i];
        let acc = 0;
        for (let j = 0; j <= i; j++) {
          const p = P[row + j] + m * kv[j];
          P[row + j] = p;
          acc += p * r[j];
          if (j < i) kNext[j] += p * r[i];
        }
        kNext[i] += acc;
      }
      [kv, kNext] = [kNext, kv];
      let rk = 0;
      for (let j = 0; j < n; j++) rk += kv[j] * r[j];
      const cNew = 1 / (1 + rk);
      for (let q = 0; q < o; q++) {
        const e = z[q] - y[q];
        err[q] = e;
        let s = 0;
        for (let j = 0; j < n; j++) {
          Wout[q * n + j] -= cNew * e * kv[j];
          s += Wout[q * n + j] * r[j];
        }
        z[q] = s;
      }
      pendingC = cNew;
    },
    readout: () => z,
    rate: () => r,
    getState: () => ({ x: x.slice(), Wout: Wout.slice(), P: P.slice(), k: kv.slice(), pendingC }),
    setState(s) {
      if (!(s.P instanceof Float64Array) || s.P.length !== packed || s.x.length !== n)
        throw new RnnscopeError('SHAPE_MISMATCH', 'FORCE state does not match the model');
      x.set(s.x);
      Wout.set(s.Wout);
      P.set(s.P);
      kv.set(s.k);
      pendingC = s.pendingC;
      activate();
    },
    readWout(out) {
      out.set(Wout);
    },
    dispose() {},
  };
}
