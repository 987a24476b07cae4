/**
 * The sufficient condition for the echo state property (seed 002, "simplified strategy"): if
 * sup ‖D_xG(u, x)‖₂ = μ < 1 over a convex set that the driven dynamics leave invariant, every
 * input has exactly one attracting response there, approached like μᵏ.
 *
 * Two numbers, of different standing:
 *  - analytic: for every model kind DG = keep·I + s·D·Weff (D·Weff → Weff·D for rate), with
 *    0 ≤ φ′ ≤ L, so ‖DG‖₂ ≤ |keep| + s·L·‖Weff‖₂ everywhere, for every input — for the leaky
 *    ESN (1 − α) + α·L·‖Weff‖₂. Below 1 it proves the ESP for all inputs (G is a global
 *    contraction); above 1 it says nothing.
 *  - sampled: max ‖DG(u_t, x)‖₂ over states sampled around the driven trajectories (jittered),
 *    each with the input of its time step. An estimate of the sup over that region, from
 *    below: it can miss the worst point, and power iteration (N > 128) converges from below.
 */
import { eigSym, gemm, zeros, type Matrix } from '../../linalg/index.js';
import type { Rng } from '../../random/index.js';
import type { ModelStepper } from './stepper.js';

export interface AnalyticBound {
  bound: number;
  holds: boolean;
  /** ‖Weff‖₂ (largest singular value, from the eigenvalues of WeffᵀWeff). */
  normWeff: number;
  keep: number;
  s: number;
  slopeBound: number;
  formula: string;
}

export interface ContractionBound {
  /** The global bound (null when not computed). */
  analytic: AnalyticBound | null;
  sampled: {
    max: number;
    median: number;
    /** Fraction of sampled points with ‖DG‖₂ < 1. */
    fractionBelowOne: number;
    points: number;
    method: 'dense' | 'power iteration';
    /** Largest relative change of a power-iteration estimate over its last 10 iterations. */
    convergence?: number;
    holds: boolean;
  } | null;
}

/** ‖Weff‖₂ = √λ_max(WeffᵀWeff). */
export function spectralNorm(W: Matrix): number {
  const G = zeros(W.cols, W.cols);
  gemm(true, false, 1, W, W, 0, G);
  const { values } = eigSym(G, false);
  let m = 0;
  for (const v of values) m = Math.max(m, v);
  return Math.sqrt(m);
}

/** The global bound |keep| + s·L·‖Weff‖₂ (see the file comment). */
export function analyticBound(stepper: ModelStepper): AnalyticBound {
  const normWeff = spectralNorm(stepper.Weff);
  const bound = Math.abs(stepper.keep) + stepper.s * stepper.slopeBound * normWeff;
  return {
    bound,
    holds: bound < 1,
    normWeff,
    keep: stepper.keep,
    s: stepper.s,
    slopeBound: stepper.slopeBound,
    formula: `|1 − s·c| + s·L·‖Weff‖₂ = ${Math.abs(stepper.keep)} + ${stepper.s}·${stepper.slopeBound}·${normWeff.toPrecision(6)}`,
  };
}

/**
 * ‖DG‖₂ at each row of X with the inputs of `inputs` (rows×I absolute offsets from the
 * stepper's baseline). Dense (eigenvalues of DGᵀDG) up to 128 units, power iteration on DGᵀDG
 * (all points in one batch) above.
 */
export function jacobianNorms(
  stepper: ModelStepper,
  X: Matrix,
  inputs: Matrix,
  rng: Rng,
  iterations = 100,
): { norms: Float64Array; method: 'dense' | 'power iteration'; convergence?: number } {
  const N = stepper.dim;
  const K = X.rows;
  const D = new Float64Array(K * N);
  stepper.slopes(X, K, D, { offsets: inputs });
  const norms = new Float64Array(K);
  if (N <= 128) {
    // DG column by column: DG·e_j for all j, one point at a time.
    const E = zeros(N, N);
    for (let j = 0; j < N; j++) E.data[j * N + j] = 1;
    const J = zeros(N, N);
    const Dk = new Float64Array(N * N);
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < N; j++) Dk.set(D.subarray(k * N, (k + 1) * N), j * N);
      stepper.jvp(Dk, E, N, J); // row j of J is DG·e_j, so J = DGᵀ
      const G = zeros(N, N);
      gemm(false, true, 1, J, J, 0, G); // J·Jᵀ = DGᵀ·DG
      let m = 0;
      for (const v of eigSym(G, false).values) m = Math.max(m, v);
      norms[k] = Math.sqrt(m);
    }
    return { norms, method: 'dense' };
  }
  const V = zeros(K, N);
  const W = zeros(K, N);
  for (let i = 0; i < K * N; i++) V.data[i] = rng.normal();
  const history: Float64Array[] = [];
  for (let it = 0; it < iterations; it++) {
    for (let k = 0; k < K; k++) {
      let n2 = 0;
      for (let i = 0; i < N; i++) n2 += V.data[k * N + i] ** 2;
      const inv = 1 / Math.sqrt(n2 || 1);
      for (let i = 0; i < N; i++) V.data[k * N + i] *= inv;
    }
    stepper.jvp(D, V, K, W);
    const est = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      let n2 = 0;
      for (let i = 0; i < N; i++) n2 += W.data[k * N + i] ** 2;
      est[k] = Math.sqrt(n2);
    }
    history.push(est);
    stepper.vjp(D, W, K, V);
  }
  const last = history[history.length - 1];
  const ref = history[Math.max(0, history.length - 11)];
  let convergence = 0;
  for (let k = 0; k < K; k++) {
    norms[k] = last[k];
    convergence = Math.max(convergence, Math.abs(last[k] - ref[k]) / (last[k] || 1));
  }
  return { norms, method: 'power iteration', convergence };
}
