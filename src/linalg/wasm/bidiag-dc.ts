/**
 * Singular values and vectors of an upper bidiagonal matrix by divide and conquer, in the form
 * LAPACK's dbdsdc/dlasd0–dlasd4 use (Jessup & Sorensen 1994; Gu & Eisenstat 1995):
 *
 * A block with rows lo..lo+nr−1 and columns lo..lo+nr−1+sqre (sqre = 1: one extra column) is
 * split at row s = lo + k into an upper block k×(k+1), the row s (d_s at column s, e_s at s+1) and
 * a lower block, both solved recursively (implicit QR below LEAF, ../ts/bidiag.ts). With the
 * halves' SVDs B₁ = U₁[D₁ 0]V₁ᵀ, B₂ = U₂[D₂ (0)]V₂ᵀ the block is diag(U₁, 1, U₂)·M·diag(V₁, V₂)ᵀ,
 * where M has D₁, D₂ on its diagonal and one dense row z = (d_s·(last row of V₁), e_s·(first row
 * of V₂)); the columns of the halves' null vectors carry only z (for sqre = 1 two of them, merged
 * by one rotation so that the block's own null vector splits off). After deflation (tiny z_j, or
 * two nearly equal d, or a tiny d, each removed by one rotation) the singular values of M are the
 * roots σ of the secular equation 1 + Σ z_j²/(d_j² − σ²) = 0 with d₀ = 0, solved as σ² = d_o² + μ
 * about the nearest pole d_o so that every d_j² − σ² = (d_j − d_o)(d_j + d_o) − μ keeps full
 * relative accuracy; z is then recomputed from the roots (Löwner's formula, Gu–Eisenstat) so that
 * the singular vectors v_i ∝ (ẑ_j/(d_j² − σ_i²)), u_i ∝ (−1, d_j·ẑ_j/(d_j² − σ_i²)) come out
 * orthogonal (./svd-secular.ts). Each merge ends with two GEMMs per side that skip the zero blocks of diag(U₁, U₂)
 * and diag(V₁, V₂); nearly all flops are there.
 */
import { bidiagonalSvd } from '../ts/bidiag.js';
import type { Workspace } from './decomp-workspace.js';
import { arrowSvd } from './svd-secular.js';

/** Blocks up to this many rows are solved by bidiagonal QR. */
const LEAF = 32;
const EPS = Number.EPSILON;
const TOP = 0;
const MIXED = 1;
const BOTTOM = 2;

interface State {
  ws: Workspace;
  /** Order of the whole problem; leading dimension of U and V. */
  N: number;
  /** Byte addresses of U and V (N×N, singular vectors as columns). */
  u: number;
  v: number;
  d: Float64Array;
  e: Float64Array;
  /** Scratch, N² doubles each: gathered basis columns, rows of the small vectors, results. */
  g: number;
  mm: number;
  r: number;
  /** Scratch vectors: δ, z and sums for the secular kernel, then an Int32 index array. */
  vec: number;
}

/**
 * Overwrites d with the ascending singular values of the N×N upper bidiagonal (d, e) (e[k] at
 * (k, k+1); e[N−1] ignored) and writes the left and right singular vectors as the columns of the
 * row-major N×N matrices at byte addresses u and v (B = U·diag(d)·Vᵀ).
 */
export function bidiagonalSvdDc(
  ws: Workspace,
  d: Float64Array,
  e: Float64Array,
  u: number,
  v: number,
): void {
  const N = d.length;
  if (N === 0) return;
  const st: State = { ws, N, u, v, d, e, g: 0, mm: 0, r: 0, vec: 0 };
  ws.h.fill(0, u / 8, u / 8 + N * N);
  ws.h.fill(0, v / 8, v / 8 + N * N);
  if (N > LEAF) {
    st.g = ws.alloc(N * N);
    st.mm = ws.alloc(N * N);
    st.r = ws.alloc(N * N);
    st.vec = ws.alloc(5 * N + 8);
    ws.reserveGemm(N, N, N);
  }
  solve(st, 0, N, 0);
}

function solve(st: State, lo: number, nr: number, sqre: number): void {
  if (nr <= LEAF) {
    leaf(st, lo, nr, sqre);
    return;
  }
  const k = nr >> 1;
  solve(st, lo, k, 1);
  solve(st, lo + k + 1, nr - k - 1, sqre);
  merge(st, lo, nr, sqre, k);
}

/**
 * Bidiagonal QR on the block, padded with a zero row when sqre = 1 (that row's singular value 0
 * keeps its left vector e_last exactly, so its right vector is the block's null vector).
 */
function leaf(st: State, lo: number, nr: number, sqre: number): void {
  const { N, d, e } = st;
  const nc = nr + sqre;
  const s = new Float64Array(nc);
  const ee = new Float64Array(nc);
  for (let i = 0; i < nr; i++) s[i] = d[lo + i];
  for (let i = 0; i + 1 < nc; i++) ee[i] = e[lo + i];
  const ut = new Float64Array(nc * nc);
  const vt = new Float64Array(nc * nc);
  for (let i = 0; i < nc; i++) ut[i * nc + i] = vt[i * nc + i] = 1;
  bidiagonalSvd(s, ee, nc, ut, vt);
  const order = Array.from({ length: nr }, (_, i) => i).sort((x, y) => s[x] - s[y] || x - y);
  const h = st.ws.h;
  const U0 = st.u / 8 + lo * N + lo;
  const V0 = st.v / 8 + lo * N + lo;
  for (let c = 0; c < nr; c++) {
    const j = order[c];
    d[lo + c] = s[j];
    for (let i = 0; i < nr; i++) h[U0 + i * N + c] = ut[j * nc + i];
    for (let i = 0; i < nc; i++) h[V0 + i * N + c] = vt[j * nc + i];
  }
  if (sqre) for (let i = 0; i < nc; i++) h[V0 + i * N + nr] = vt[(nc - 1) * nc + i];
}

/** Columns a and b of the block at element index base (rows rows, ld N) ← (c·a + s·b, c·b − s·a). */
function rotateColumns(
  h: Float64Array,
  base: number,
  N: number,
  rows: number,
  a: number,
  b: number,
  c: number,
  s: number,
): void {
  for (let i = 0; i < rows; i++) {
    const o = base + i * N;
    const x = h[o + a];
    const y = h[o + b];
    h[o + a] = c * x + s * y;
    h[o + b] = c * y - s * x;
  }
}

/** One entry of the merged problem: pole d, z, and which U/V columns it stands for. */
interface Entries {
  dv: Float64Array;
  zv: Float64Array;
  /** Column (global index) in U; −1 for entry 0, whose left vector is the unit vector e_s. */
  uCol: Int32Array;
  vCol: Int32Array;
  uType: Uint8Array;
  vType: Uint8Array;
}

function merge(st: State, lo: number, nr: number, sqre: number, k: number): void {
  const { ws, N, d, e } = st;
  const nc = nr + sqre;
  const s = lo + k;
  const alpha = d[s];
  const beta = e[s];
  let h = ws.h;
  const U0 = st.u / 8 + lo * N; // row lo of U (add a global column index)
  const V0 = st.v / 8 + lo * N;
  const zc = new Float64Array(nc);
  for (let c = 0; c <= k; c++) zc[c] = alpha * h[V0 + k * N + lo + c];
  for (let c = k + 1; c < nc; c++) zc[c] = beta * h[V0 + (k + 1) * N + lo + c];
  if (sqre) {
    // Two columns carry only z: rotate them so that the last one is the block's null vector.
    const r = Math.hypot(zc[k], zc[nc - 1]);
    const cs = r > 0 ? zc[k] / r : 1;
    const sn = r > 0 ? zc[nc - 1] / r : 0;
    rotateColumns(h, V0, N, nc, lo + k, lo + nc - 1, cs, sn);
    zc[k] = r;
    zc[nc - 1] = 0;
  }

  // Entry 0 (pole 0), then the halves' singular values merged into one ascending order.
  const en: Entries = {
    dv: new Float64Array(nr),
    zv: new Float64Array(nr),
    uCol: new Int32Array(nr),
    vCol: new Int32Array(nr),
    uType: new Uint8Array(nr),
    vType: new Uint8Array(nr),
  };
  en.zv[0] = zc[k];
  en.uCol[0] = -1;
  en.vCol[0] = lo + k;
  en.vType[0] = sqre ? MIXED : TOP;
  let dmax = Math.max(Math.abs(alpha), Math.abs(beta));
  for (let a = 0, b = k + 1, j = 1; j < nr; j++) {
    const c = b >= nr || (a < k && d[lo + a] <= d[lo + b]) ? a++ : b++;
    en.dv[j] = d[lo + c];
    en.zv[j] = zc[c];
    en.uCol[j] = en.vCol[j] = lo + c;
    en.uType[j] = en.vType[j] = c < k ? TOP : BOTTOM;
    dmax = Math.max(dmax, en.dv[j]);
  }

  const tol = 8 * EPS * dmax;
  const nd: number[] = [];
  const df: number[] = [];
  if (tol > 0) {
    // z₀ is never deflated (it couples the middle row to all the others); at worst it is raised
    // to tol, a perturbation of that size.
    if (Math.abs(en.zv[0]) <= tol) en.zv[0] = tol;
    nd.push(0);
  } else {
    // The whole block is zero: every entry deflates, entry 0 with the unit vector e_s, which
    // column s of U (zero so far: the halves never touch row or column s) becomes.
    h[U0 + k * N + s] = 1;
    en.uCol[0] = s;
    df.push(0);
  }
  let prev = -1;
  for (let j = tol > 0 ? 1 : nr; j < nr; j++) {
    if (Math.abs(en.zv[j]) <= tol) {
      df.push(j);
      continue;
    }
    if (en.dv[j] <= tol) {
      // A negligible pole next to pole 0: one rotation of the right vectors moves z_j into z_0,
      // leaving c·d_j alone in column j (the dropped s·d_j is below tol).
      const r = Math.hypot(en.zv[0], en.zv[j]);
      const cs = en.zv[0] / r;
      const sn = en.zv[j] / r;
      rotateColumns(h, V0, N, nc, en.vCol[0], en.vCol[j], cs, sn);
      en.zv[0] = r;
      en.zv[j] = 0;
      let sigma = cs * en.dv[j];
      if (sigma < 0) {
        sigma = -sigma;
        for (let i = 0; i < nc; i++) h[V0 + i * N + en.vCol[j]] *= -1;
      }
      en.dv[j] = sigma;
      if (en.vType[0] !== en.vType[j]) en.vType[0] = en.vType[j] = MIXED;
      df.push(j);
      continue;
    }
    if (prev < 0) {
      prev = j;
      continue;
    }
    // Nearly equal poles: rotate (prev, j) on both sides so z_prev = 0, when the coupling
    // (d_j − d_prev)·c·s this leaves out of M is negligible.
    const r = Math.hypot(en.zv[j], en.zv[prev]);
    const cs = en.zv[j] / r;
    const sn = -en.zv[prev] / r;
    const t = en.dv[j] - en.dv[prev];
    if (Math.abs(t * cs * sn) <= tol) {
      rotateColumns(h, U0, N, nr, en.uCol[prev], en.uCol[j], cs, sn);
      rotateColumns(h, V0, N, nc, en.vCol[prev], en.vCol[j], cs, sn);
      en.zv[j] = r;
      en.zv[prev] = 0;
      const dp = en.dv[prev] * cs * cs + en.dv[j] * sn * sn;
      en.dv[j] = en.dv[prev] * sn * sn + en.dv[j] * cs * cs;
      en.dv[prev] = dp;
      if (en.uType[prev] !== en.uType[j]) en.uType[prev] = en.uType[j] = MIXED;
      if (en.vType[prev] !== en.vType[j]) en.vType[prev] = en.vType[j] = MIXED;
      df.push(prev);
    } else {
      nd.push(prev);
    }
    prev = j;
  }
  if (prev >= 0) nd.push(prev);
  for (let j = tol > 0 ? nr : 1; j < nr; j++) df.push(j);
  const K = nd.length;

  const p = new Float64Array(K);
  const z = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    p[i] = en.dv[nd[i]];
    z[i] = en.zv[nd[i]];
  }
  const { sigma, um, vm } = arrowSvd(ws, st.vec, p, z);
  df.sort((x, y) => en.dv[x] - en.dv[y] || x - y);
  h = ws.h;

  // Final order: roots (ascending) merged with the deflated values; idx[f] = column of R.
  const order = new Int32Array(nr);
  for (let i = 0, m = 0, f = 0; f < nr; f++) {
    if (m >= df.length || (i < K && sigma[i] <= en.dv[df[m]])) {
      d[lo + f] = sigma[i];
      order[f] = i++;
    } else {
      d[lo + f] = en.dv[df[m]];
      order[f] = K + m++;
    }
  }
  combine(st, en, nd, df, um, K, lo, nr, k, true, order);
  combine(st, en, nd, df, vm, K, lo, nc, k + 1, false, order);
}

/**
 * Multiplies the block's basis vectors (columns of U or V, rows lo..lo+rows−1) by the vectors of
 * M, copies the deflated columns, and writes the block's first nr columns in `order`. The first
 * `top` rows belong to the upper half; entry 0 of U is the unit vector at row `top` instead.
 */
function combine(
  st: State,
  en: Entries,
  nd: number[],
  df: number[],
  coef: Float64Array,
  K: number,
  lo: number,
  rows: number,
  top: number,
  left: boolean,
  order: Int32Array,
): void {
  const { ws, N } = st;
  const k = ws.k;
  const nr = order.length;
  const col = left ? en.uCol : en.vCol;
  const type = left ? en.uType : en.vType;
  // Basis entries ordered top-only, mixed, bottom-only; U's entry 0 is handled as its own row.
  const ord: number[] = [];
  let kt = 0;
  let km = 0;
  for (const t of [TOP, MIXED, BOTTOM]) {
    for (let i = 0; i < K; i++) {
      const j = nd[i];
      if ((left && j === 0) || type[j] !== t) continue;
      ord.push(i);
      if (t === TOP) kt++;
      else if (t === MIXED) km++;
    }
  }
  const cnt = ord.length;
  const base = (left ? st.u : st.v) + 8 * (lo * N);
  let h = ws.h;
  // Rows of the small vectors in basis order.
  for (let a = 0; a < cnt; a++) h.set(coef.subarray(ord[a] * K, ord[a] * K + K), st.mm / 8 + a * K);
  const idx = ws.i32(st.vec + 32 * N, Math.max(cnt, df.length, nr));
  for (let a = 0; a < cnt; a++) idx[a] = col[nd[ord[a]]];
  const bottom = left ? top + 1 : top;
  const ktm = kt + km;
  const kmb = cnt - kt;
  k.gatherColumns(top, base, N, st.vec + 32 * N, ktm, st.g, ktm);
  const g2 = st.g + 8 * top * ktm;
  k.gatherColumns(rows - bottom, base + 8 * bottom * N, N, st.vec + 32 * N + 4 * kt, kmb, g2, kmb);
  ws.gemm(0, 0, top, K, ktm, 1, st.g, ktm, st.mm, K, 0, st.r, nr);
  ws.gemm(
    0,
    0,
    rows - bottom,
    K,
    kmb,
    1,
    g2,
    kmb,
    st.mm + 8 * kt * K,
    K,
    0,
    st.r + 8 * bottom * nr,
    nr,
  );
  h = ws.h;
  if (left) for (let i = 0; i < K; i++) h[st.r / 8 + top * nr + i] = coef[i];
  // Deflated columns are copied as they stand, after the K root columns.
  const idx2 = ws.i32(st.vec + 32 * N, Math.max(df.length, nr));
  for (let m = 0; m < df.length; m++) idx2[m] = col[df[m]];
  k.gatherColumns(rows, base, N, st.vec + 32 * N, df.length, st.r + 8 * K, nr);
  const idx3 = ws.i32(st.vec + 32 * N, nr);
  idx3.set(order);
  k.gatherColumns(rows, st.r, nr, st.vec + 32 * N, nr, base + 8 * lo, N);
}
