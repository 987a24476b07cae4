/**
 * CGLS for many damped least-squares problems at once:
 *
 *   minimise ‖J_b·p + f_b‖² + μ_b‖p‖²   ⇔   (J_bᵀJ_b + μ_b·I)·p = −J_bᵀf_b,
 *
 * conjugate gradients on the normal equations written with J and Jᵀ products only (Björck's
 * CGLS, which never forms JᵀJ and loses less accuracy than CG on JᵀJ·p). The unfinished systems
 * advance in lockstep, so each iteration costs one batched J·v and one batched Jᵀ·v product
 * (one GEMM each for model systems). From p₀ = 0:
 *
 *   r = −f,  s = Jᵀr,  d = s,  γ = ‖s‖²
 *   repeat:  w = J·d,  α = γ / (‖w‖² + μ‖d‖²),  p += α·d,  r −= α·w,
 *            s = Jᵀr − μ·p,  γ' = ‖s‖²,  d = s + (γ'/γ)·d,  γ = γ'
 *
 * until ‖s‖ ≤ rtol_b·‖s₀‖ (the normal-equation residual relative to ‖Jᵀf‖) or the iteration
 * cap. Every iterate decreases ‖r‖² + μ‖p‖² from ‖f‖², so any truncated p is a descent
 * direction for ½‖f‖² and ‖f + J·p‖ = ‖r‖ ≤ ‖f‖.
 */
import type { Matrix } from '../../linalg/index.js';
import type { BatchedSystem } from '../batch.js';
import { rowDot } from './population.js';

export interface CglsOptions {
  /** Damping μ_b ≥ 0 per system. */
  mu: Float64Array;
  /** Stop when ‖Jᵀr − μp‖ ≤ rtol_b·‖Jᵀf‖. */
  rtol: Float64Array;
  /** Iteration cap per system. */
  maxIterations: Int32Array;
  /** Linearisation point of system b (the `which` passed to the batch); default b. */
  points?: Int32Array;
  /** Also return the iterates after 1, 2, 4, 8, … iterations (the Krylov path; see `path`). */
  keepPath?: boolean;
}

/** An iterate on the way: p after `iterations` steps and ‖f + J·p‖² there. */
export interface CglsIterate {
  iterations: number;
  p: Float64Array;
  residual2: number;
}

export interface CglsResult {
  iterations: Int32Array;
  /** ‖f + J·p‖² per system (the Gauss–Newton model's residual at the returned p). */
  residual2: Float64Array;
  /** Achieved ‖Jᵀr − μp‖/‖Jᵀf‖. */
  relResidual: Float64Array;
  /** Batched products used (J·v and Jᵀ·v each count one). */
  products: number;
  /** With `keepPath`: per system, the iterates after 1, 2, 4, … iterations (not the final one). */
  path?: CglsIterate[][];
}

/**
 * Solves the damped problems for b < rows (points already set with `batch.setPoints`); f_b is
 * row b of `f`, the step p_b is written into row b of `out`.
 */
export function batchedCgls(
  batch: BatchedSystem,
  f: Matrix,
  rows: number,
  opts: CglsOptions,
  out: Matrix,
): CglsResult {
  const n = batch.dim;
  const point = (b: number) => (opts.points ? opts.points[b] : b);
  const p = out.data;
  p.fill(0, 0, rows * n);
  const r = new Float64Array(rows * n);
  const d = new Float64Array(rows * n);
  const gamma = new Float64Array(rows);
  const s0 = new Float64Array(rows);
  const its = new Int32Array(rows);
  const res2 = new Float64Array(rows);
  const rel = new Float64Array(rows);
  const running = new Uint8Array(rows);
  const path: CglsIterate[][] | undefined = opts.keepPath
    ? Array.from({ length: rows }, () => [])
    : undefined;
  let products = 0;

  for (let k = 0; k < rows * n; k++) r[k] = -f.data[k];
  const all = Int32Array.from({ length: rows }, (_, b) => point(b));
  const S = new Float64Array(rows * n);
  batch.vjp({ rows, cols: n, data: r }, rows, all, { rows, cols: n, data: S });
  products++;
  for (let b = 0; b < rows; b++) {
    const o = b * n;
    d.set(S.subarray(o, o + n), o);
    gamma[b] = rowDot(S, o, S, o, n);
    s0[b] = Math.sqrt(gamma[b]);
    res2[b] = rowDot(r, o, r, o, n);
    running[b] = s0[b] > 0 && Number.isFinite(s0[b]) && opts.maxIterations[b] > 0 ? 1 : 0;
    rel[b] = s0[b] > 0 ? 1 : 0;
  }

  let Dm = new Float64Array(0);
  let Wm = new Float64Array(0);
  for (;;) {
    const R: number[] = [];
    for (let b = 0; b < rows; b++) if (running[b]) R.push(b);
    if (R.length === 0) break;
    const m = R.length;
    if (Dm.length < m * n) {
      Dm = new Float64Array(m * n);
      Wm = new Float64Array(m * n);
    }
    const which = Int32Array.from(R, point);
    R.forEach((b, k) => Dm.set(d.subarray(b * n, (b + 1) * n), k * n));
    batch.jvp({ rows: m, cols: n, data: Dm }, m, which, { rows: m, cols: n, data: Wm });
    products++;
    R.forEach((b, k) => {
      const o = b * n;
      const ko = k * n;
      const mu = opts.mu[b];
      const denom = rowDot(Wm, ko, Wm, ko, n) + mu * rowDot(d, o, d, o, n);
      const alpha = gamma[b] / denom;
      if (!(denom > 0) || !Number.isFinite(alpha)) {
        running[b] = 0;
        return;
      }
      for (let i = 0; i < n; i++) {
        p[o + i] += alpha * d[o + i];
        r[o + i] -= alpha * Wm[ko + i];
      }
    });
    const R2 = R.filter((b) => running[b]);
    if (R2.length === 0) break;
    // Jᵀr for the systems still running.
    const m2 = R2.length;
    R2.forEach((b, k) => Dm.set(r.subarray(b * n, (b + 1) * n), k * n));
    batch.vjp({ rows: m2, cols: n, data: Dm }, m2, Int32Array.from(R2, point), {
      rows: m2,
      cols: n,
      data: Wm,
    });
    products++;
    R2.forEach((b, k) => {
      const o = b * n;
      const ko = k * n;
      const mu = opts.mu[b];
      for (let i = 0; i < n; i++) Wm[ko + i] -= mu * p[o + i];
      const g2 = rowDot(Wm, ko, Wm, ko, n);
      const beta = g2 / gamma[b];
      for (let i = 0; i < n; i++) d[o + i] = Wm[ko + i] + beta * d[o + i];
      gamma[b] = g2;
      its[b]++;
      rel[b] = Math.sqrt(g2) / s0[b];
      res2[b] = rowDot(r, o, r, o, n);
      if (!Number.isFinite(g2) || rel[b] <= opts.rtol[b] || its[b] >= opts.maxIterations[b])
        running[b] = 0;
      else if (path && (its[b] & (its[b] - 1)) === 0)
        path[b].push({ iterations: its[b], p: p.slice(o, o + n), residual2: res2[b] });
    });
  }
  for (let b = 0; b < rows; b++) res2[b] = rowDot(r, b * n, r, b * n, n);
  return { iterations: its, residual2: res2, relResidual: rel, products, path };
}
