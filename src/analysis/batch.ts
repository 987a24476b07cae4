/**
 * Many states at once. The fixed-point optimisers move hundreds of candidate states together;
 * for model systems every velocity or Jacobian-vector product of all of them is one GEMM
 * with the effective recurrent matrix instead of one GEMV per state.
 *
 * `batchSystem(sys)` wraps any DynamicalSystem (a loop over rows); `batchModelSystem(params, u)`
 * recognises the model structure (see models/kernels.ts):
 *
 *   F(x) = s·(g − c·x),  g = a (rate) or φ(a),  a = Weff·ρ + k₀,
 *   ρ = φ(x) (rate) or x,  Weff = W + Wfb·Wout,  k₀ = Win·u + bias + Wfb·bout,
 *   J·v  = s·(Weff·(d∘v) − c·v)  (rate, d = φ′(x)),   s·(d∘(Weff·v) − c·v)  (others, d = φ′(a)),
 *   Jᵀ·v = s·(d∘(Weffᵀ·v) − c·v)  (rate),              s·(Weffᵀ·(d∘v) − c·v)  (others).
 *
 * With the states as rows of X (B×N), Weff·ρ for all of them is ρ·Weffᵀ: one GEMM.
 */
import { RnnscopeError } from '../errors.js';
import {
  freeWasm,
  gemv,
  getBackend,
  isWasmMatrix,
  toWasmMatrix,
  type LinalgBackend,
  type Matrix,
  type WasmBackend,
} from '../linalg/index.js';
import { activation, createModel } from '../models/index.js';
import { actsOnState, naturalTime, velocityCoefficients } from '../models/kernels.js';
import type { ModelParams } from '../models/types.js';
import type { DynamicalSystem } from '../systems/types.js';

/**
 * A DynamicalSystem evaluated on many states at once. Rows of X are states; only the first
 * `rows` rows are read or written. `setPoints` fixes the linearisation points; `jvp`/`vjp` then
 * pair row r of V with point `which[r]` (so a shrinking set of systems can share one call).
 */
export interface BatchedSystem {
  readonly system: DynamicalSystem;
  readonly dim: number;
  readonly time: 'flow' | 'map';
  /** True when the evaluations are GEMM-shaped (model systems), false for a per-row loop. */
  readonly structured: boolean;
  velocity(X: Matrix, rows: number, out: Matrix): void;
  setPoints(X: Matrix, rows: number): void;
  jvp(V: Matrix, rows: number, which: Int32Array, out: Matrix): void;
  vjp(V: Matrix, rows: number, which: Int32Array, out: Matrix): void;
  /** Frees storage held outside the JS heap (wasm memory); the batch is unusable afterwards. */
  release?(): void;
}

/** A DynamicalSystem that also carries its batched form (what `batchModelSystem` returns). */
export interface SystemWithBatch extends DynamicalSystem {
  readonly batch: BatchedSystem;
}

/** Whether `sys` carries a batched form (made by `batchModelSystem`). */
export function hasBatch(sys: DynamicalSystem): sys is SystemWithBatch {
  return typeof (sys as Partial<SystemWithBatch>).batch === 'object';
}

/** The batched form of `sys`: its own if it has one, otherwise a loop over rows. */
export function batchSystem(sys: DynamicalSystem): BatchedSystem {
  return hasBatch(sys) ? sys.batch : loopBatch(sys);
}

const view = (M: Matrix, r: number, n: number) => M.data.subarray(r * n, (r + 1) * n);

/** Central-difference J·v for systems without jvp and too large for a cached Jacobian. */
function fdJvp(sys: DynamicalSystem, x: Float64Array, v: Float64Array, out: Float64Array): void {
  const n = sys.dim;
  let xn = 0;
  let vn = 0;
  for (let i = 0; i < n; i++) {
    xn += x[i] * x[i];
    vn += v[i] * v[i];
  }
  if (vn === 0) return void out.fill(0, 0, n);
  const h = (Math.cbrt(Number.EPSILON) * (1 + Math.sqrt(xn))) / Math.sqrt(vn);
  const xp = new Float64Array(n);
  const fm = new Float64Array(n);
  for (let i = 0; i < n; i++) xp[i] = x[i] - h * v[i];
  sys.velocity(xp, fm);
  for (let i = 0; i < n; i++) xp[i] = x[i] + h * v[i];
  sys.velocity(xp, out);
  for (let i = 0; i < n; i++) out[i] = (out[i] - fm[i]) / (2 * h);
}

/** Jacobians cached per point when a system has no jvp, up to this many numbers in all. */
const JACOBIAN_CACHE_LIMIT = 1 << 25;

function loopBatch(sys: DynamicalSystem): BatchedSystem {
  const n = sys.dim;
  let points = new Float64Array(0);
  let jac: Float64Array | undefined;
  let tmp = new Float64Array(n);
  const times = (J: Float64Array, p: number, v: Float64Array, out: Float64Array, t: boolean) => {
    const base = p * n * n;
    for (let i = 0; i < n; i++) {
      let s = 0;
      if (t) for (let k = 0; k < n; k++) s += J[base + k * n + i] * v[k];
      else for (let k = 0; k < n; k++) s += J[base + i * n + k] * v[k];
      out[i] = s;
    }
  };
  return {
    system: sys,
    dim: n,
    time: sys.time,
    structured: false,
    velocity(X, rows, out) {
      for (let r = 0; r < rows; r++) sys.velocity(view(X, r, n), view(out, r, n));
    },
    setPoints(X, rows) {
      points = X.data.slice(0, rows * n);
      jac = undefined;
      if ((!sys.jvp || !sys.vjp) && rows * n * n <= JACOBIAN_CACHE_LIMIT) {
        jac = new Float64Array(rows * n * n);
        for (let r = 0; r < rows; r++)
          sys.jacobian(view(X, r, n), jac.subarray(r * n * n, (r + 1) * n * n));
      }
    },
    jvp(V, rows, which, out) {
      for (let r = 0; r < rows; r++) {
        const p = which[r];
        const x = points.subarray(p * n, (p + 1) * n);
        if (sys.jvp) sys.jvp(x, view(V, r, n), view(out, r, n));
        else if (jac) times(jac, p, view(V, r, n), view(out, r, n), false);
        else fdJvp(sys, x, view(V, r, n), view(out, r, n));
      }
    },
    vjp(V, rows, which, out) {
      for (let r = 0; r < rows; r++) {
        const p = which[r];
        const x = points.subarray(p * n, (p + 1) * n);
        if (sys.vjp) sys.vjp(x, view(V, r, n), view(out, r, n));
        else if (jac) times(jac, p, view(V, r, n), view(out, r, n), true);
        else {
          // Without vjp or a cached Jacobian, form each Jacobian once per call (rare: large
          // generic systems lacking vjp); the optimisers that need vjp say so in their docs.
          if (tmp.length < n * n) tmp = new Float64Array(n * n);
          sys.jacobian(x, tmp);
          const vr = view(V, r, n);
          const o = view(out, r, n);
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += tmp[k * n + i] * vr[k];
            o[i] = s;
          }
        }
      }
    },
  };
}

/** Growable row-major scratch matrix (reallocated only when more rows are needed). */
class Scratch {
  private buf = new Float64Array(0);
  constructor(private readonly cols: number) {}
  get(rows: number): Matrix {
    if (this.buf.length < rows * this.cols) this.buf = new Float64Array(rows * this.cols);
    return { rows, cols: this.cols, data: this.buf };
  }
}

/**
 * The model with input `u` frozen as a DynamicalSystem (exactly `createModel(params).system(u,
 * time)`) that also carries a GEMM-batched form, `batch`. The batched form copies the weights
 * once (Weff = W + Wfb·Wout), so later in-place changes to `params` are not seen by it.
 * `backend` runs the batched GEMMs (default: the current linalg backend); with the wasm backend
 * Weff lives in wasm memory until `batch.release()`.
 *
 * @example
 * const sys = batchModelSystem(model.params, Float64Array.of(0, 0, 0));
 * const result = findFixedPoints(sys, starts); // optimisers use sys.batch automatically
 */
export function batchModelSystem(
  params: ModelParams,
  u?: Float64Array,
  time?: 'flow' | 'map',
  backend?: LinalgBackend,
): SystemWithBatch {
  const model = createModel(params);
  const system = model.system(u, time);
  const t = time ?? naturalTime(params);
  const N = model.sizes.units;
  const { s, c } = velocityCoefficients(params, t);
  const act = activation(params.activation);
  const onState = actsOnState(params);
  const be = backend ?? getBackend();
  const mm = be.gemm.bind(be);
  // The wasm backend uses operands in its own memory in place: keep the N×N matrix there
  // rather than copying 8·N² bytes in on every product.
  const kernels = (be as Partial<WasmBackend>).kernels;
  const Weff = kernels ? toWasmMatrix(model.effectiveW(), kernels) : model.effectiveW();
  const k0 = new Float64Array(N);
  if (params.Win && model.sizes.inputs > 0 && u) gemv(false, 1, params.Win, u, 0, k0);
  if (params.bias) for (let i = 0; i < N; i++) k0[i] += params.bias[i];
  if (params.Wfb && params.bout) gemv(false, 1, params.Wfb, params.bout, 1, k0);

  const rho = new Scratch(N);
  const drive = new Scratch(N);
  const work = new Scratch(N);
  let slopes = new Float64Array(0);

  /** A ← ρ·Weffᵀ + k₀ for the first `rows` rows; ρ = φ(X) (rate) or X. */
  const driveOf = (X: Matrix, rows: number): Matrix => {
    const A = drive.get(rows);
    let P: Matrix = { rows, cols: N, data: X.data };
    if (onState) {
      P = rho.get(rows);
      act.value(X.data, P.data, rows * N);
    }
    mm(false, true, 1, { rows, cols: N, data: P.data }, Weff, 0, A);
    const a = A.data;
    for (let r = 0; r < rows; r++) for (let i = 0; i < N; i++) a[r * N + i] += k0[i];
    return A;
  };

  const batch: BatchedSystem = {
    system,
    dim: N,
    time: t,
    structured: true,
    velocity(X, rows, out) {
      const A = driveOf(X, rows);
      const a = A.data;
      const x = X.data;
      const o = out.data;
      if (!onState) act.value(a, a, rows * N);
      for (let k = 0; k < rows * N; k++) o[k] = s * (a[k] - c * x[k]);
    },
    setPoints(X, rows) {
      if (slopes.length < rows * N) slopes = new Float64Array(rows * N);
      if (onState) act.derivative(X.data, slopes, rows * N);
      else {
        const A = driveOf(X, rows);
        act.derivative(A.data, slopes, rows * N);
      }
    },
    jvp(V, rows, which, out) {
      const v = V.data;
      const o = out.data;
      const d = slopes;
      if (onState) {
        const T = work.get(rows);
        for (let r = 0; r < rows; r++) {
          const p = which[r] * N;
          for (let i = 0; i < N; i++) T.data[r * N + i] = d[p + i] * v[r * N + i];
        }
        mm(false, true, 1, T, Weff, 0, { rows, cols: N, data: o });
        for (let k = 0; k < rows * N; k++) o[k] = s * (o[k] - c * v[k]);
      } else {
        mm(false, true, 1, { rows, cols: N, data: v }, Weff, 0, { rows, cols: N, data: o });
        for (let r = 0; r < rows; r++) {
          const p = which[r] * N;
          for (let i = 0; i < N; i++) {
            const k = r * N + i;
            o[k] = s * (d[p + i] * o[k] - c * v[k]);
          }
        }
      }
    },
    vjp(V, rows, which, out) {
      const v = V.data;
      const o = out.data;
      const d = slopes;
      if (onState) {
        mm(false, false, 1, { rows, cols: N, data: v }, Weff, 0, { rows, cols: N, data: o });
        for (let r = 0; r < rows; r++) {
          const p = which[r] * N;
          for (let i = 0; i < N; i++) {
            const k = r * N + i;
            o[k] = s * (d[p + i] * o[k] - c * v[k]);
          }
        }
      } else {
        const T = work.get(rows);
        for (let r = 0; r < rows; r++) {
          const p = which[r] * N;
          for (let i = 0; i < N; i++) T.data[r * N + i] = d[p + i] * v[r * N + i];
        }
        mm(false, false, 1, T, Weff, 0, { rows, cols: N, data: o });
        for (let k = 0; k < rows * N; k++) o[k] = s * (o[k] - c * v[k]);
      }
    },
  };
  batch.release = () => {
    if (isWasmMatrix(Weff)) freeWasm(Weff);
  };
  if (!(s > 0)) throw new RnnscopeError('INVALID_MODEL', `model velocity scale must be > 0`);
  return { ...system, batch };
}
