/**
 * The small SVD at the heart of each divide-and-conquer merge (./bidiag-dc.ts): M = e₀·zᵀ +
 * diag(0, p₁, …, p_{K−1}), a "broken arrow" whose singular values are the roots σ of the secular
 * equation 1 + Σ z_j²/(p_j² − σ²) = 0 (p₀ = 0), interlacing p_i < σ_i < p_{i+1}.
 *
 * Each root is found as σ² = p_o² + μ about the pole p_o nearer in σ² (the eigen divide and
 * conquer's root finder, ./secular.ts, on the poles shifted to that origin), so that every
 * p_j² − σ_i² = (p_j − p_o)(p_j + p_o) − μ_i is known to full relative accuracy. z is then
 * recomputed from the roots (Löwner's formula, Gu & Eisenstat 1995),
 *   ẑ_j² = Π_i (σ_i² − p_j²) / Π_{i≠j} (p_i² − p_j²),
 * so that the vectors v_i ∝ (ẑ_j/(p_j² − σ_i²))_j and u_i ∝ (−1, p_j·ẑ_j/(p_j² − σ_i²))_{j≥1}
 * (dlasd3's formulas) come out orthogonal to working precision.
 */
import { RnnscopeError } from '../../errors.js';
import type { Workspace } from './decomp-workspace.js';
import { secularRoot, type SecularSums } from './secular.js';

const EPS = Number.EPSILON;

/** Singular values (ascending) and vectors of M = e₀·zᵀ + diag(p): um[j·K + i] = u_i(j), vm likewise. */
export interface ArrowSvd {
  sigma: Float64Array;
  um: Float64Array;
  vm: Float64Array;
}

/**
 * SVD of the K×K matrix M whose first row is z and whose diagonal below it is p₁…p_{K−1}
 * (0 = p₀ < p₁ < … ascending, every |z_j| above the deflation tolerance). `scratch`: byte address
 * of 2K + 4 doubles of wasm memory for the secular-sum kernel.
 */
export function arrowSvd(
  ws: Workspace,
  scratch: number,
  p: Float64Array,
  z: Float64Array,
): ArrowSvd {
  const K = p.length;
  const sigma = new Float64Array(K);
  const org = new Int32Array(K);
  const mu = new Float64Array(K);
  solveRoots(ws, scratch, p, z, org, mu);
  for (let i = 0; i < K; i++) sigma[i] = Math.sqrt(p[org[i]] * p[org[i]] + mu[i]);
  // λ_i − p_j² with full relative accuracy: μ_i − (p_j − p_o)(p_j + p_o).
  const gap = (i: number, j: number): number => {
    const po = p[org[i]];
    return mu[i] - (p[j] - po) * (p[j] + po);
  };
  const zh = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    let prod = gap(K - 1, j);
    for (let i = 0; i < j; i++) prod *= gap(i, j) / ((p[i] - p[j]) * (p[i] + p[j]));
    for (let i = j; i < K - 1; i++) prod *= gap(i, j) / ((p[i + 1] - p[j]) * (p[i + 1] + p[j]));
    zh[j] = Math.sign(z[j]) * Math.sqrt(Math.abs(prod));
  }
  const um = new Float64Array(K * K);
  const vm = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    let su = 1;
    let sv = 0;
    um[i] = -1;
    for (let j = 0; j < K; j++) {
      const w = zh[j] / -gap(i, j);
      vm[j * K + i] = w;
      sv += w * w;
      if (j > 0) {
        um[j * K + i] = p[j] * w;
        su += p[j] * w * (p[j] * w);
      }
    }
    const nu = 1 / Math.sqrt(su);
    const nv = 1 / Math.sqrt(sv);
    if (!Number.isFinite(nu) || !Number.isFinite(nv)) {
      throw new RnnscopeError(
        'NOT_CONVERGED',
        'svd: divide and conquer produced a non-finite singular vector',
      );
    }
    for (let j = 0; j < K; j++) {
      um[j * K + i] *= nu;
      vm[j * K + i] *= nv;
    }
  }
  return { sigma, um, vm };
}

/**
 * Solves 1 + Σ z_j²/(p_j² − σ²) = 0 (0 = p₀ < p₁ < …): root i as σ_i² = p_{org_i}² + mu_i, with
 * org_i the pole nearer in σ², using the eigen divide and conquer's root finder on the poles
 * shifted to that origin (wasm kernel for the sums).
 */
function solveRoots(
  ws: Workspace,
  scratch: number,
  p: Float64Array,
  z: Float64Array,
  org: Int32Array,
  mu: Float64Array,
): void {
  const K = p.length;
  let zz = 0;
  for (let j = 0; j < K; j++) zz += z[j] * z[j];
  if (K === 1) {
    org[0] = 0;
    mu[0] = zz;
    return;
  }
  const pDelta = scratch;
  const pZ = scratch + 8 * K;
  const pSums = scratch + 16 * K;
  ws.f64(pZ, K).set(z);
  const out = ws.f64(pSums, 4);
  const sums: SecularSums = {
    delta: ws.f64(pDelta, K),
    eval(kk, ip, x) {
      ws.k.secularSums(kk, pDelta, pZ, x, ip, pSums);
      return out;
    },
  };
  const delta = sums.delta;
  const shift = (o: number): void => {
    const po = p[o];
    for (let j = 0; j < K; j++) delta[j] = (p[j] - po) * (p[j] + po);
  };
  for (let i = 0; i < K; i++) {
    let o: number;
    let lo: number;
    let hi: number;
    let x: number;
    let ip: number;
    if (i < K - 1) {
      const mid = ((p[i + 1] - p[i]) * (p[i + 1] + p[i])) / 2;
      shift(i);
      const f = sums.eval(K, i, mid);
      if (1 + f[0] + f[2] >= 0) {
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
      hi = zz * (1 + 8 * EPS) + Number.MIN_VALUE;
      x = hi / 2;
      ip = K - 2;
    }
    shift(o);
    mu[i] = secularRoot(K, sums, 1, ip, lo, hi, x, i, 'svd');
    org[i] = o;
  }
}
