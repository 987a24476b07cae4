/** What every optimiser gets, and the small dense kernels the second-order ones share. */
import type { Matrix } from '../../linalg/index.js';
import { activeStarts, gatherRows, retire, zeros, type Population } from './population.js';

export interface OptimiserContext {
  pop: Population;
  tolFixed: number;
  tolSlow: number;
  maxIterations: number;
  /** The size of the visited region (see `stateScale`); early merging is relative to it. */
  stateScale: number;
  uniqueTol: number;
  earlyMerge: boolean;
  gemm: (
    tA: boolean,
    tB: boolean,
    alpha: number,
    A: Matrix,
    B: Matrix,
    beta: number,
    C: Matrix,
  ) => void;
}

/** One iteration of all (or the current chunk of) active starts per `step`. */
export interface Optimiser {
  step(): void;
}

/** ‖∇q‖ ≤ GRADIENT_TOL·‖J‖·‖F‖: q is stationary although F is not zero (a local minimum of q). */
export const GRADIENT_TOL = 1e-10;

/** ‖g‖²/(‖Jg‖·‖F‖) — the cosine between F and the best descent direction Jg — below this: stationary. */
export const STATIONARY_COSINE = 1e-9;

/**
 * Eisenstat–Walker forcing term, choice 2 (γ = 0.9, α = 2) with their safeguard, capped at `max`:
 * `ratio` is q_new/q_old = (‖F_new‖/‖F_old‖)².
 */
export function eisenstatWalker(etaPrev: number, ratio: number, max: number): number {
  const safeguard = 0.9 * etaPrev * etaPrev;
  return Math.min(max, safeguard > 0.1 ? Math.max(0.9 * ratio, safeguard) : 0.9 * ratio);
}

/**
 * The matrix-free optimisers' common start of an iteration: the active starts (q = 0 retired
 * as 'exact'), their iterates and velocities gathered, the linearisation points set, and
 * g = JᵀF and J·g for each, as rows k of the returned matrices (start `live[k]`).
 */
export function gradientProducts(
  pop: Population,
): { live: number[]; Xa: Matrix; Fa: Matrix; G: Matrix; JG: Matrix } | undefined {
  const n = pop.n;
  const live = activeStarts(pop).filter((r) => {
    if (pop.q[r] === 0) retire(pop, r, 'exact');
    return !pop.done[r];
  });
  const L = live.length;
  if (L === 0) return undefined;
  const all = Int32Array.from(live, (_, k) => k);
  const Xa = gatherRows(pop.X, live, n);
  const Fa = gatherRows(pop.F, live, n);
  pop.batch.setPoints(Xa, L);
  const G = zeros(L, n);
  pop.batch.vjp(Fa, L, all, G);
  const JG = zeros(L, n);
  pop.batch.jvp(G, L, all, JG);
  return { live, Xa, Fa, G, JG };
}

/** Steps shorter than this relative to ‖x‖ change nothing in float64. */
export const STEP_TOL = 4 * Number.EPSILON;

/** Candidates for early merging must have moved by less than this fraction of the state scale. */
export const MERGE_STEP = 1e-3;

/** Starts that converged (q ≤ tolFixed and retired for a converged reason): merge anchors. */
export function convergedStarts(pop: Population, tolFixed: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < pop.count; r++) {
    const why = pop.reason[r];
    if (pop.done[r] && (why === 'exact' || why === 'round-off floor') && pop.q[r] <= tolFixed)
      out.push(r);
  }
  return out;
}

/**
 * In-place Cholesky A = L·Lᵀ of the n×n row-major A (lower triangle read and overwritten).
 * Returns false when A is not numerically positive definite (the caller raises the damping).
 */
export function choleskyInPlace(A: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = A[rj + j];
    for (let k = 0; k < j; k++) d -= A[rj + k] * A[rj + k];
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const l = Math.sqrt(d);
    A[rj + j] = l;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = A[ri + j];
      for (let k = 0; k < j; k++) s -= A[ri + k] * A[rj + k];
      A[ri + j] = s / l;
    }
  }
  return true;
}

/** Solves L·Lᵀ·x = b in place (b becomes x) with the factor from `choleskyInPlace`. */
export function choleskySolveInPlace(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const ri = i * n;
    for (let k = 0; k < i; k++) s -= L[ri + k] * b[k];
    b[i] = s / L[ri + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * b[k];
    b[i] = s / L[i * n + i];
  }
}

/** Euclidean norm of v[start .. start+n). */
export function norm(v: Float64Array, start = 0, n = v.length - start): number {
  let s = 0;
  for (let i = start; i < start + n; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
