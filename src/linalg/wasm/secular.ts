/**
 * The secular equation of the rank-one update D + ρ·z·zᵀ (d ascending and distinct, ρ > 0):
 *   g(λ) = 1/ρ + Σ_j z_j² / (d_j − λ) = 0,
 * whose K roots interlace: d_i < λ_i < d_{i+1}, and d_{K−1} < λ_{K−1} ≤ d_{K−1} + ρ‖z‖².
 *
 * Each root is returned as λ_i = d_{org_i} + τ_i with org_i the nearer pole, so the differences
 * d_j − λ_i = (d_j − d_org) − τ_i that the eigenvectors need are accurate to a few ulps relative
 * (Gu & Eisenstat's requirement). The iteration fits ψ (poles left of the root) and φ (poles right
 * of it) each by a constant plus one simple pole at the nearest pole of their side, matching value
 * and slope at the current point (the "middle way" of Li, Bunch–Nielsen–Sorensen), and solves the
 * resulting quadratic; a bracket kept from the sign of g guards every step with bisection.
 */
import { RnnscopeError } from '../../errors.js';

const EPS = Number.EPSILON;
const MAX_ITER = 200;

/**
 * Evaluates the two halves of the secular function at x from δ (the poles relative to the current
 * origin, written by the solver into `delta`) and z: fills out[0..3] = ψ, ψ′, φ, φ′ where ψ sums
 * over poles 0..ip and φ over the rest. The wasm kernel `secularSums` or `jsSecularSums`.
 */
export interface SecularSums {
  delta: Float64Array;
  eval(K: number, ip: number, x: number): Float64Array;
}

/** Plain-JS evaluator (reference; the wasm one is used in the drivers). */
export function jsSecularSums(z: Float64Array, capacity: number): SecularSums {
  const delta = new Float64Array(capacity);
  const out = new Float64Array(4);
  return {
    delta,
    eval(K, ip, x) {
      let psi = 0;
      let dpsi = 0;
      let phi = 0;
      let dphi = 0;
      for (let j = 0; j <= ip; j++) {
        const t = z[j] / (delta[j] - x);
        psi += z[j] * t;
        dpsi += t * t;
      }
      for (let j = ip + 1; j < K; j++) {
        const t = z[j] / (delta[j] - x);
        phi += z[j] * t;
        dphi += t * t;
      }
      out[0] = psi;
      out[1] = dpsi;
      out[2] = phi;
      out[3] = dphi;
      return out;
    },
  };
}

export function solveSecular(
  K: number,
  d: Float64Array,
  z: Float64Array,
  rho: number,
  org: Int32Array,
  tau: Float64Array,
  sums: SecularSums,
): void {
  let zz = 0;
  for (let j = 0; j < K; j++) zz += z[j] * z[j];
  if (K === 1) {
    org[0] = 0;
    tau[0] = rho * zz;
    return;
  }
  const rinv = 1 / rho;
  for (let i = 0; i < K; i++) {
    let o: number;
    let lo: number;
    let hi: number;
    let x: number;
    let ip: number;
    if (i < K - 1) {
      // Which half of (d_i, d_{i+1}) holds the root decides the origin (the nearer pole).
      const mid = (d[i + 1] - d[i]) / 2;
      const delta = sums.delta;
      const di = d[i];
      for (let j = 0; j < K; j++) delta[j] = d[j] - di;
      const f = sums.eval(K, i, mid);
      if (rinv + f[0] + f[2] >= 0) {
        o = i;
        lo = 0;
        hi = mid;
        x = mid;
      } else {
        o = i + 1;
        lo = -mid;
        hi = 0;
        x = -mid;
      }
      ip = i;
    } else {
      o = K - 1;
      lo = 0;
      // g(d_{K−1} + ρ‖z‖²) ≥ 0; the margin covers rounding in zz.
      hi = rho * zz * (1 + 8 * EPS) + Number.MIN_VALUE;
      x = hi / 2;
      ip = K - 2;
    }
    const dor = d[o];
    const delta = sums.delta;
    for (let j = 0; j < K; j++) delta[j] = d[j] - dor;
    tau[i] = secularRoot(K, sums, rinv, ip, lo, hi, x, i);
    org[i] = o;
  }
}

/**
 * Root of 1/ρ + Σ z_j²/(δ_j − x) in the bracket (lo, hi) of shifted coordinates, starting at x0.
 * ip: the last pole counted in ψ (poles ip and ip+1 are the model's two poles). `what` names the
 * caller in the NOT_CONVERGED error (the SVD's divide and conquer solves the same equation).
 */
export function secularRoot(
  K: number,
  sums: SecularSums,
  rinv: number,
  ip: number,
  lo: number,
  hi: number,
  x0: number,
  which: number,
  what = 'eigSym',
): number {
  let x = x0;
  for (let iter = 0; iter < MAX_ITER; iter++) {
    const f = sums.eval(K, ip, x);
    const psi = f[0];
    const dpsi = f[1];
    const phi = f[2];
    const dphi = f[3];
    const w = rinv + psi + phi;
    // Rounding in the sums, plus the effect of an ulp in x itself.
    const err = 8 * (Math.abs(psi) + Math.abs(phi) + rinv) + Math.abs(x) * (dpsi + dphi);
    if (Math.abs(w) <= EPS * err) return x;
    if (w > 0) hi = x;
    else lo = x;
    if (hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) return w > 0 ? lo : hi;
    // Model: w + ... ≈ A + b/(d1 − η) + s/(d2 − η) around x, η the step; c·η² − a·η + b = 0.
    const d1 = sums.delta[ip] - x;
    const d2 = sums.delta[ip + 1] - x;
    const c = w - d1 * dpsi - d2 * dphi;
    const a = (d1 + d2) * w - d1 * d2 * (dpsi + dphi);
    const b = d1 * d2 * w;
    let next = NaN;
    if (c === 0) {
      if (a !== 0) next = x + b / a;
    } else {
      const sq = Math.sqrt(Math.max(a * a - 4 * b * c, 0));
      const q = 0.5 * (a + (a < 0 ? -sq : sq));
      const e1 = x + q / c;
      const e2 = q !== 0 ? x + b / q : NaN;
      const in1 = e1 > lo && e1 < hi;
      const in2 = e2 > lo && e2 < hi;
      if (in1 && in2) next = Math.abs(e1 - x) < Math.abs(e2 - x) ? e1 : e2;
      else if (in1) next = e1;
      else if (in2) next = e2;
    }
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (next === x) return x;
    x = next;
  }
  throw new RnnscopeError(
    'NOT_CONVERGED',
    `${what}: secular equation root ${which} did not converge in ${MAX_ITER} iterations`,
  );
}
