/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by Cuppen's divide and conquer,
 * in the form of Gu & Eisenstat (1995) that LAPACK's dstedc uses: split T at the middle
 * off-diagonal β into two halves plus a rank-one term, solve the halves recursively (implicit QL
 * below LEAF), then for D + ρ·z·zᵀ
 *   1. deflate: components with ρ|z_j| ≤ tol, and pairs of nearly equal d_j (one Givens rotation),
 *   2. solve the secular equation 1 + ρ Σ z_j²/(d_j − λ) = 0 for each remaining root, keeping
 *      every λ_i as (nearest pole) + τ_i so that d_j − λ_i is known to full relative accuracy,
 *   3. recompute z from the computed roots (Löwner's formula) so that the eigenvectors
 *      (ẑ_j/(d_j − λ_i))_j are numerically orthogonal without extra precision,
 *   4. multiply the halves' eigenvectors by those of the rank-one problem with two GEMMs whose
 *      zero blocks are skipped (columns grouped as top-only, mixed, bottom-only).
 * Almost all flops are in step 4, so the GEMM kernel sets the speed.
 */
import { RnnscopeError } from '../../errors.js';
import type { Workspace } from './decomp-workspace.js';
import { solveSecular, type SecularSums } from './secular.js';
import { tridiagonalQl as qlImplicit } from '../ts/eigsym.js';

/** Subproblems up to this size are solved by implicit QL (LAPACK uses 25). */
const LEAF = 32;
const EPS = Number.EPSILON;

interface State {
  ws: Workspace;
  /** Full size; Q's leading dimension. */
  N: number;
  /** Byte address of Q (N×N, eigenvectors as columns). */
  q: number;
  d: Float64Array;
  e: Float64Array;
  /** Scratch, N² doubles each: gathered columns, the rank-one eigenvectors, merged result. */
  g: number;
  u: number;
  r: number;
  /** Vectors of N doubles: d, d_org, τ, z, ẑ, column norms, δ; then 4 sums; then 2 index arrays. */
  vec: number;
}

const V_D = 0;
const V_DORG = 1;
const V_TAU = 2;
const V_Z = 3;
const V_ZH = 4;
const V_NORM = 5;
const V_DELTA = 6;
const V_SUMS = 7;
const V_ORDER = 8;
const V_IDX = 9;

/** Byte address of scratch vector `which`. */
function vp(st: State, which: number): number {
  return st.vec + 8 * which * st.N;
}

/**
 * Overwrites d with the ascending eigenvalues of the tridiagonal (d, e) (e[k] couples k, k+1) and
 * writes the orthonormal eigenvectors as the columns of the N×N row-major matrix at byte address q.
 */
export function tridiagonalEigen(ws: Workspace, d: Float64Array, e: Float64Array, q: number): void {
  const N = d.length;
  if (N === 0) return;
  const st: State = { ws, N, q, d, e, g: 0, u: 0, r: 0, vec: 0 };
  ws.h.fill(0, q / 8, q / 8 + N * N);
  if (N > LEAF) {
    st.g = ws.alloc(N * N);
    st.u = ws.alloc(N * N);
    st.r = ws.alloc(N * N);
    st.vec = ws.alloc(10 * N + 8);
    ws.reserveGemm(N, N, N);
  }
  solve(st, 0, N);
}

function solve(st: State, s: number, n: number): void {
  if (n <= LEAF) {
    leaf(st, s, n);
    return;
  }
  const m = n >> 1;
  const beta = st.e[s + m - 1];
  // T = diag(T₁ − |β|e_last e_lastᵀ, T₂ − |β|e₁e₁ᵀ) + |β|·w·wᵀ, w = e_last ± e₁.
  st.d[s + m - 1] -= Math.abs(beta);
  st.d[s + m] -= Math.abs(beta);
  solve(st, s, m);
  solve(st, s + m, n - m);
  merge(st, s, m, n - m, beta);
}

function leaf(st: State, s: number, n: number): void {
  const { d, e, N } = st;
  const dl = d.slice(s, s + n);
  const el = new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) el[i] = e[s + i];
  const zt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) zt[i * n + i] = 1;
  qlImplicit(dl, el, n, zt);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => dl[x] - dl[y] || x - y);
  const h = st.ws.h;
  const Q = st.q / 8 + s * N + s;
  for (let c = 0; c < n; c++) {
    const src = order[c] * n;
    d[s + c] = dl[order[c]];
    for (let r = 0; r < n; r++) h[Q + r * N + c] = zt[src + r];
  }
}

/** Column type: where its nonzeros are within the merged block. */
const TOP = 0;
const MIXED = 1;
const BOTTOM = 2;

function merge(st: State, s0: number, n1: number, n2: number, beta: number): void {
  const { ws, N, d } = st;
  const n = n1 + n2;
  const h = ws.h;
  const Q = st.q / 8 + s0 * N + s0;
  // z = blockdiag(Q₁, Q₂)ᵀ·w: last row of Q₁ and (±) first row of Q₂, normalised into ρ.
  const z = new Float64Array(n);
  const sgn = beta < 0 ? -1 : 1;
  for (let j = 0; j < n1; j++) z[j] = h[Q + (n1 - 1) * N + j];
  for (let j = 0; j < n2; j++) z[n1 + j] = sgn * h[Q + n1 * N + n1 + j];
  let zz = 0;
  for (let j = 0; j < n; j++) zz += z[j] * z[j];
  const rho = Math.abs(beta) * zz;
  const zs = 1 / Math.sqrt(zz);

  // Merge the two ascending halves into one ascending order.
  const col = new Int32Array(n);
  for (let a = 0, b = n1, k = 0; k < n; k++) {
    if (b >= n || (a < n1 && d[s0 + a] <= d[s0 + b])) col[k] = a++;
    else col[k] = b++;
  }
  const ds = new Float64Array(n);
  const zv = new Float64Array(n);
  const type = new Uint8Array(n);
  let dmax = 0;
  for (let k = 0; k < n; k++) {
    ds[k] = d[s0 + col[k]];
    zv[k] = z[col[k]] * zs;
    type[k] = col[k] < n1 ? TOP : BOTTOM;
    dmax = Math.max(dmax, Math.abs(ds[k]));
  }

  // Deflation. tol bounds the perturbation each deflation makes, relative to ‖T‖ ≈ max(|d|, ρ).
  const tol = 8 * EPS * Math.max(dmax, rho);
  const nd: number[] = [];
  const df: number[] = [];
  let prev = -1;
  for (let j = 0; j < n; j++) {
    if (rho * Math.abs(zv[j]) <= tol) {
      df.push(j);
      continue;
    }
    if (prev < 0) {
      prev = j;
      continue;
    }
    // Rotate (prev, j) so z_prev = 0; the coupling t·c·s it leaves behind is dropped when small.
    const tz = Math.hypot(zv[j], zv[prev]);
    const c = zv[j] / tz;
    const sn = -zv[prev] / tz;
    const t = ds[j] - ds[prev];
    if (Math.abs(t * c * sn) <= tol) {
      zv[j] = tz;
      zv[prev] = 0;
      const a = Q + col[prev];
      const b = Q + col[j];
      for (let r = 0; r < n; r++) {
        const qa = h[a + r * N];
        const qb = h[b + r * N];
        h[a + r * N] = c * qa + sn * qb;
        h[b + r * N] = c * qb - sn * qa;
      }
      if (type[prev] !== type[j]) type[prev] = type[j] = MIXED;
      const dp = ds[prev] * c * c + ds[j] * sn * sn;
      ds[j] = ds[prev] * sn * sn + ds[j] * c * c;
      ds[prev] = dp;
      df.push(prev);
    } else {
      nd.push(prev);
    }
    prev = j;
  }
  if (prev >= 0) nd.push(prev);
  const K = nd.length;

  // Final ascending order: non-deflated roots (already ascending) merged with deflated values.
  df.sort((x, y) => ds[x] - ds[y] || x - y);
  const lam = new Float64Array(K);
  if (K > 0) rankOneEigenvectors(st, s0, n, n1, nd, ds, zv, rho, col, type, lam);
  // R holds the merged block: columns 0..K−1 from the GEMMs, then copies of the deflated columns.
  const k = ws.k;
  const qb = st.q + 8 * (s0 * N + s0);
  let idx = ws.i32(vp(st, V_IDX), n);
  for (let m = 0; m < df.length; m++) idx[m] = col[df[m]];
  k.gatherColumns(n, qb, N, vp(st, V_IDX), df.length, st.r + 8 * K, n);
  idx = ws.i32(vp(st, V_IDX), n);
  for (let i = 0, m = 0, f = 0; f < n; f++) {
    if (m >= df.length || (i < K && lam[i] <= ds[df[m]])) {
      d[s0 + f] = lam[i];
      idx[f] = i++;
    } else {
      d[s0 + f] = ds[df[m]];
      idx[f] = K + m++;
    }
  }
  k.gatherColumns(n, st.r, n, vp(st, V_IDX), n, qb, N);
}

/**
 * Roots lam (ascending) of D + ρzzᵀ restricted to the non-deflated set `nd`, and their eigenvectors
 * multiplied into the merged block: R[:, 0..K) = Q_block[:, nd]·U.
 */
function rankOneEigenvectors(
  st: State,
  s0: number,
  n: number,
  n1: number,
  nd: number[],
  ds: Float64Array,
  zv: Float64Array,
  rho: number,
  col: Int32Array,
  type: Uint8Array,
  lam: Float64Array,
): void {
  const { ws, N } = st;
  const k = ws.k;
  const K = nd.length;
  const dk = ws.f64(vp(st, V_D), K);
  const zk = ws.f64(vp(st, V_Z), K);
  const tau = ws.f64(vp(st, V_TAU), K);
  for (let i = 0; i < K; i++) {
    dk[i] = ds[nd[i]];
    zk[i] = zv[nd[i]];
  }
  const org = new Int32Array(K);
  const out = ws.f64(vp(st, V_SUMS), 4);
  const pDelta = vp(st, V_DELTA);
  const pZ = vp(st, V_Z);
  const pSums = vp(st, V_SUMS);
  const sums: SecularSums = {
    delta: ws.f64(pDelta, K),
    eval(kk, ip, x) {
      k.secularSums(kk, pDelta, pZ, x, ip, pSums);
      return out;
    },
  };
  solveSecular(K, dk, zk, rho, org, tau, sums);
  const dorg = ws.f64(vp(st, V_DORG), K);
  for (let i = 0; i < K; i++) {
    dorg[i] = dk[org[i]];
    lam[i] = dorg[i] + tau[i];
  }
  k.loewner(K, vp(st, V_D), vp(st, V_DORG), vp(st, V_TAU), pZ, rho, vp(st, V_ZH));

  // Row order of U: top-only columns, then mixed, then bottom-only, so each half's GEMM reads a
  // contiguous band of U's rows and skips the zero block of blockdiag(Q₁, Q₂).
  const order = ws.i32(vp(st, V_ORDER), K);
  let kt = 0;
  let km = 0;
  let at = 0;
  for (const t of [TOP, MIXED, BOTTOM]) {
    for (let j = 0; j < K; j++) {
      if (type[nd[j]] !== t) continue;
      order[at++] = j;
      if (t === TOP) kt++;
      else if (t === MIXED) km++;
    }
  }
  k.rankOneVectors(
    K,
    vp(st, V_ORDER),
    vp(st, V_D),
    vp(st, V_DORG),
    vp(st, V_TAU),
    vp(st, V_ZH),
    st.u,
    vp(st, V_NORM),
  );
  const norm = ws.f64(vp(st, V_NORM), K);
  for (let i = 0; i < K; i++) {
    if (!Number.isFinite(norm[i])) {
      throw new RnnscopeError(
        'NOT_CONVERGED',
        'eigSym: divide and conquer produced a non-finite eigenvector',
      );
    }
  }

  // Gather the block's columns that the rank-one eigenvectors combine, then two GEMMs.
  const ktm = kt + km;
  const kmb = K - kt;
  const qb = st.q + 8 * (s0 * N + s0);
  const idx = ws.i32(vp(st, V_IDX), K);
  for (let c = 0; c < K; c++) idx[c] = col[nd[order[c]]];
  k.gatherColumns(n1, qb, N, vp(st, V_IDX), ktm, st.g, ktm);
  const g2 = st.g + 8 * n1 * ktm;
  k.gatherColumns(n - n1, qb + 8 * n1 * N, N, vp(st, V_IDX) + 4 * kt, kmb, g2, kmb);
  ws.gemm(0, 0, n1, K, ktm, 1, st.g, ktm, st.u, K, 0, st.r, n);
  ws.gemm(0, 0, n - n1, K, kmb, 1, g2, kmb, st.u + 8 * kt * K, K, 0, st.r + 8 * n1 * n, n);
}
