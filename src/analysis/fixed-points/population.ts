/**
 * The candidate states every optimiser moves: current iterates, their velocities and q, and
 * per-start bookkeeping (iterations, stop reason, merges). One matrix row per start, so the
 * batched evaluators see GEMM-shaped blocks.
 */
import type { Matrix } from '../../linalg/index.js';
import type { BatchedSystem } from '../batch.js';
import type { StopReason } from './types.js';

export interface Population {
  readonly n: number;
  readonly count: number;
  readonly batch: BatchedSystem;
  /** Current iterates (count×n) and F at them. */
  readonly X: Matrix;
  readonly F: Matrix;
  readonly q: Float64Array;
  readonly iterations: Int32Array;
  readonly done: Uint8Array;
  readonly reason: (StopReason | undefined)[];
  readonly mergedInto: Int32Array;
}

/** q = ½‖f‖², or +∞ if any entry is non-finite. */
export function halfSquaredNorm(f: Float64Array, start: number, n: number): number {
  let s = 0;
  for (let i = start; i < start + n; i++) s += f[i] * f[i];
  return Number.isFinite(s) ? 0.5 * s : Infinity;
}

/** A rows×cols matrix of zeros. */
export const zeros = (rows: number, cols: number): Matrix => ({
  rows,
  cols,
  data: new Float64Array(rows * cols),
});

/** Dot product of a[ao .. ao+n) and b[bo .. bo+n). */
export function rowDot(
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  n: number,
): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[ao + i] * b[bo + i];
  return s;
}

export function rowOf(M: Matrix, r: number, n: number): Float64Array {
  return M.data.subarray(r * n, (r + 1) * n);
}

/**
 * Copies the initial states, evaluates F at all of them in one batched call and retires
 * starts whose state or velocity is not finite (reason 'non-finite').
 */
export function createPopulation(batch: BatchedSystem, X0: Matrix): Population {
  const n = batch.dim;
  const count = X0.rows;
  const X: Matrix = { rows: count, cols: n, data: X0.data.slice(0, count * n) };
  const F: Matrix = { rows: count, cols: n, data: new Float64Array(count * n) };
  const pop: Population = {
    n,
    count,
    batch,
    X,
    F,
    q: new Float64Array(count).fill(Infinity),
    iterations: new Int32Array(count),
    done: new Uint8Array(count),
    reason: new Array<StopReason | undefined>(count).fill(undefined),
    mergedInto: new Int32Array(count).fill(-1),
  };
  const finite: number[] = [];
  for (let r = 0; r < count; r++) {
    let ok = true;
    for (let i = r * n; i < (r + 1) * n; i++) if (!Number.isFinite(X.data[i])) ok = false;
    if (ok) finite.push(r);
    else retire(pop, r, 'non-finite');
  }
  const trial = gatherRows(X, finite, n);
  const Ft: Matrix = { rows: finite.length, cols: n, data: new Float64Array(finite.length * n) };
  if (finite.length > 0) batch.velocity(trial, finite.length, Ft);
  finite.forEach((r, k) => {
    F.data.set(Ft.data.subarray(k * n, (k + 1) * n), r * n);
    pop.q[r] = halfSquaredNorm(Ft.data, k * n, n);
    if (!Number.isFinite(pop.q[r])) retire(pop, r, 'non-finite');
  });
  return pop;
}

export function retire(pop: Population, r: number, reason: StopReason): void {
  pop.done[r] = 1;
  pop.reason[r] = reason;
}

/** Indices of the starts still being optimised. */
export function activeStarts(pop: Population): number[] {
  const out: number[] = [];
  for (let r = 0; r < pop.count; r++) if (!pop.done[r]) out.push(r);
  return out;
}

/** Rows `idx` of M stacked into a new matrix (or into `into` when given and large enough). */
export function gatherRows(M: Matrix, idx: readonly number[], n: number, into?: Matrix): Matrix {
  const data =
    into && into.data.length >= idx.length * n ? into.data : new Float64Array(idx.length * n);
  for (let k = 0; k < idx.length; k++)
    data.set(M.data.subarray(idx[k] * n, (idx[k] + 1) * n), k * n);
  return { rows: idx.length, cols: n, data };
}

/**
 * Early de-duplication: among the candidates (starts that just took a full, converging step),
 * a start within `radius(i) + radius(j)` of a lower-q start is retired as 'merged' into it.
 * The radius is what the optimiser knows about its distance to the solution (the last step
 * length, which bounds it in the quadratic regime), floored at `minDist`. `anchors` are starts
 * that already converged (radius as given), which candidates may merge into.
 */
export function mergeConverging(
  pop: Population,
  candidates: readonly number[],
  radius: (r: number) => number,
  minDist: number,
  anchors: readonly number[] = [],
): number {
  const n = pop.n;
  const order = [...candidates].sort((a, b) => pop.q[a] - pop.q[b]);
  const kept: number[] = [...anchors];
  const x = pop.X.data;
  let merged = 0;
  for (const r of order) {
    let into = -1;
    const rr = radius(r);
    for (const k of kept) {
      const lim = Math.max(minDist, 2 * (rr + radius(k)));
      const lim2 = lim * lim;
      let d2 = 0;
      for (let i = 0; i < n && d2 <= lim2; i++) {
        const d = x[r * n + i] - x[k * n + i];
        d2 += d * d;
      }
      if (d2 <= lim2) {
        into = k;
        break;
      }
    }
    if (into >= 0) {
      retire(pop, r, 'merged');
      pop.mergedInto[r] = into;
      merged++;
    } else kept.push(r);
  }
  return merged;
}
