/**
 * The map a model iterates, applied to many states at once (rows of a matrix), with inputs that
 * may differ from row to row. Every analysis in this directory simulates ensembles — pulses of
 * many amplitudes from many nodes, or many initial states under one input — so each step is one
 * GEMM with the effective recurrent matrix instead of one GEMV per state.
 *
 * With (s, c) from models/kernels.ts (`time: 'map'`: the Euler map for rate/ctrnn) every kind
 * steps as
 *
 *   x' = (1 − s·c)·x + s·g,   g = a (rate) or φ(a),   a = Weff·ρ + Win·u + bias + Wfb·bout,
 *   ρ = φ(x) (rate) or x,  Weff = W + Wfb·Wout,
 *
 * which is `simulate`'s update written once (it equals it up to rounding), and its Jacobian is
 *
 *   DG·v  = (1 − s·c)·v + s·Weff·(d∘v)    (rate, d = φ′(x))
 *         = (1 − s·c)·v + s·d∘(Weff·v)    (others, d = φ′(a)),
 *   DGᵀ·v = (1 − s·c)·v + s·d∘(Weffᵀ·v)   (rate)
 *         = (1 − s·c)·v + s·Weffᵀ·(d∘v)   (others).
 */
import { RnnscopeError } from '../../errors.js';
import {
  freeWasm,
  getBackend,
  isWasmMatrix,
  toWasmMatrix,
  type LinalgBackend,
  type Matrix,
  type WasmBackend,
} from '../../linalg/index.js';
import { activation, createModel, type Activation } from '../../models/index.js';
import { actsOnState, velocityCoefficients } from '../../models/kernels.js';
import type { ModelParams } from '../../models/types.js';

/** Inputs of one step: `u` replaces the baseline input for every row; `offsets` (rows×I) add to it per row. */
export interface StepInput {
  u?: Float64Array;
  offsets?: Matrix;
}

export interface ModelStepper {
  readonly kind: ModelParams['kind'];
  readonly dim: number;
  readonly inputs: number;
  readonly outputs: number;
  /** x' = keep·x + s·g: keep = 1 − s·c. */
  readonly keep: number;
  readonly s: number;
  /** sup φ′ (tanh, relu, identity: 1; logistic: ¼). */
  readonly slopeBound: number;
  /** The baseline input every step uses unless told otherwise (copy). */
  readonly baseline: Float64Array;
  readonly Weff: Matrix;
  /** out ← G(X) for the first `rows` rows (out may not alias X). */
  step(X: Matrix, rows: number, out: Matrix, input?: StepInput): void;
  /** D ← φ′ at the rows of X (rows×N): φ′(x) for rate, φ′(a) otherwise. */
  slopes(X: Matrix, rows: number, D: Float64Array, input?: StepInput): void;
  /** out ← DG·V row by row, row r linearised where D row r was taken. */
  jvp(D: Float64Array, V: Matrix, rows: number, out: Matrix): void;
  /** out ← DGᵀ·V row by row. */
  vjp(D: Float64Array, V: Matrix, rows: number, out: Matrix): void;
  /** Z ← readout of the rows (rows×O); nothing when O = 0. */
  readout(X: Matrix, rows: number, Z: Matrix): void;
  /** Frees wasm storage; the stepper is unusable afterwards. */
  release(): void;
}

class Grow {
  private buf = new Float64Array(0);
  constructor(private readonly cols: number) {}
  get(rows: number): Matrix {
    if (this.buf.length < rows * this.cols) this.buf = new Float64Array(rows * this.cols);
    return { rows, cols: this.cols, data: this.buf };
  }
}

function slopeBound(act: Activation): number {
  return act.spec.name === 'logistic' ? 0.25 : 1;
}

/**
 * A batched stepper for `params` with baseline input `baseline` (default zeros). The weights are
 * copied once (Weff in wasm memory when the backend is wasm); later changes to `params` are not
 * seen. Call `release()` when done.
 *
 * @example
 * const st = modelStepper(model.params);
 * st.step(X, B, Y);                                   // B states, one step, baseline input
 * st.step(X, B, Y, { offsets: pulses });              // plus a different input per row
 */
export function modelStepper(
  params: ModelParams,
  baseline?: Float64Array,
  backend?: LinalgBackend,
): ModelStepper {
  const model = createModel(params);
  const { units: N, inputs: I, outputs: O } = model.sizes;
  const base = new Float64Array(I);
  if (baseline !== undefined) {
    if (baseline.length !== I)
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `baseline input must have length ${I} (inputs), got ${baseline.length}`,
      );
    for (let i = 0; i < I; i++)
      if (!Number.isFinite(baseline[i]))
        throw new RnnscopeError('NON_FINITE', `baseline input u[${i}] is ${baseline[i]}`);
    base.set(baseline);
  }
  const { s, c } = velocityCoefficients(params, 'map');
  const keep = 1 - s * c;
  const act = activation(params.activation);
  const onState = actsOnState(params);
  const be = backend ?? getBackend();
  const mm = be.gemm.bind(be);
  const kernels = (be as Partial<WasmBackend>).kernels;
  const WeffPlain = model.effectiveW();
  const Weff = kernels ? toWasmMatrix(WeffPlain, kernels) : WeffPlain;
  // Win as N×I row-major (for per-row offsets) and the constant part of the drive.
  const Win = params.Win && I > 0 ? params.Win.data : new Float64Array(0);
  const kConst = new Float64Array(N);
  if (params.bias) kConst.set(params.bias);
  if (params.Wfb && params.bout && O > 0)
    for (let i = 0; i < N; i++)
      for (let o = 0; o < O; o++) kConst[i] += params.Wfb.data[i * O + o] * params.bout[o];
  const driveBase = new Float64Array(N);
  const driveOf = (u: Float64Array, out: Float64Array) => {
    out.set(kConst);
    for (let i = 0; i < N; i++) {
      let acc = 0;
      for (let j = 0; j < I; j++) acc += Win[i * I + j] * u[j];
      out[i] += acc;
    }
  };
  driveOf(base, driveBase);
  const driveShared = new Float64Array(N);

  const rhoBuf = new Grow(N);
  const aBuf = new Grow(N);
  const tBuf = new Grow(N);

  const checkRows = (M: Matrix, rows: number, what: string) => {
    if (M.cols !== N || M.data.length < rows * N)
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `${what} must hold ${rows} rows of ${N} values, got ${M.rows}×${M.cols}`,
      );
  };

  /** A ← ρ·Weffᵀ + k(u) (+ per-row offsets). */
  const drive = (X: Matrix, rows: number, input?: StepInput): Matrix => {
    const A = aBuf.get(rows);
    let P: Matrix = { rows, cols: N, data: X.data };
    if (onState) {
      P = rhoBuf.get(rows);
      act.value(X.data, P.data, rows * N);
    }
    mm(false, true, 1, { rows, cols: N, data: P.data }, Weff, 0, A);
    let k = driveBase;
    if (input?.u) {
      if (input.u.length !== I)
        throw new RnnscopeError(
          'SHAPE_MISMATCH',
          `input u must have length ${I}, got ${input.u.length}`,
        );
      driveOf(input.u, driveShared);
      k = driveShared;
    }
    const a = A.data;
    for (let r = 0; r < rows; r++) {
      const o = r * N;
      for (let i = 0; i < N; i++) a[o + i] += k[i];
    }
    const off = input?.offsets;
    if (off && I > 0) {
      if (off.cols !== I || off.data.length < rows * I)
        throw new RnnscopeError('SHAPE_MISMATCH', `input offsets must be ${rows}×${I}`);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < I; j++) {
          const v = off.data[r * I + j];
          if (v === 0) continue;
          const o = r * N;
          for (let i = 0; i < N; i++) a[o + i] += v * Win[i * I + j];
        }
    }
    return A;
  };

  return {
    kind: params.kind,
    dim: N,
    inputs: I,
    outputs: O,
    keep,
    s,
    slopeBound: slopeBound(act),
    baseline: Float64Array.from(base),
    Weff: WeffPlain,
    step(X, rows, out, input) {
      checkRows(X, rows, 'states');
      checkRows(out, rows, 'output states');
      const A = drive(X, rows, input);
      const a = A.data;
      if (!onState) act.value(a, a, rows * N);
      const x = X.data;
      const o = out.data;
      if (keep === 0) for (let k = 0; k < rows * N; k++) o[k] = s * a[k];
      else for (let k = 0; k < rows * N; k++) o[k] = keep * x[k] + s * a[k];
    },
    slopes(X, rows, D, input) {
      checkRows(X, rows, 'states');
      if (onState) act.derivative(X.data, D, rows * N);
      else {
        const A = drive(X, rows, input);
        act.derivative(A.data, D, rows * N);
      }
    },
    jvp(D, V, rows, out) {
      const v = V.data;
      const o = out.data;
      if (onState) {
        const T = tBuf.get(rows);
        for (let k = 0; k < rows * N; k++) T.data[k] = D[k] * v[k];
        mm(false, true, 1, T, Weff, 0, { rows, cols: N, data: o });
        for (let k = 0; k < rows * N; k++) o[k] = keep * v[k] + s * o[k];
      } else {
        mm(false, true, 1, { rows, cols: N, data: v }, Weff, 0, { rows, cols: N, data: o });
        for (let k = 0; k < rows * N; k++) o[k] = keep * v[k] + s * D[k] * o[k];
      }
    },
    vjp(D, V, rows, out) {
      const v = V.data;
      const o = out.data;
      if (onState) {
        mm(false, false, 1, { rows, cols: N, data: v }, Weff, 0, { rows, cols: N, data: o });
        for (let k = 0; k < rows * N; k++) o[k] = keep * v[k] + s * D[k] * o[k];
      } else {
        const T = tBuf.get(rows);
        for (let k = 0; k < rows * N; k++) T.data[k] = D[k] * v[k];
        mm(false, false, 1, T, Weff, 0, { rows, cols: N, data: o });
        for (let k = 0; k < rows * N; k++) o[k] = keep * v[k] + s * o[k];
      }
    },
    readout(X, rows, Z) {
      if (O === 0 || !params.Wout) return;
      let P: Matrix = { rows, cols: N, data: X.data };
      if (onState) {
        P = rhoBuf.get(rows);
        act.value(X.data, P.data, rows * N);
      }
      const z = Z.data;
      const Wo = params.Wout.data;
      for (let r = 0; r < rows; r++)
        for (let q = 0; q < O; q++) {
          let acc = params.bout ? params.bout[q] : 0;
          for (let i = 0; i < N; i++) acc += Wo[q * N + i] * P.data[r * N + i];
          z[r * O + q] = acc;
        }
    },
    release() {
      if (isWasmMatrix(Weff)) freeWasm(Weff);
    },
  };
}
