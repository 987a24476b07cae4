/**
 * Blocked Householder tridiagonalisation of a symmetric matrix and the blocked back-transformation
 * of eigenvectors, on wasm memory (the dsytrd/dlatrd + dormtr scheme; Golub & Van Loan §8.3.1 and
 * §5.1.7 for the compact WY form).
 *
 * Storage: the symmetric matrix is held in the UPPER triangle of a row-major n×n buffer, which is
 * the lower triangle column-major: "column" k below the diagonal is row k right of it, contiguous.
 * Reflector k (acting on indices k+1..n−1) is built in row k and stays there, with its leading 1
 * stored explicitly.
 *
 * Per panel of NB columns, each column is brought up to date with the panel's earlier reflectors
 * (two GEMVs), its reflector is formed, and w = τ(A₂₂ − VWᵀ − WVᵀ)v is computed with one symmetric
 * matrix-vector product on the not-yet-updated trailing matrix plus four thin GEMVs. Only after the
 * panel does the trailing matrix get the rank-2·NB update A₂₂ −= VWᵀ + WVᵀ, as a GEMM per block row
 * of the upper triangle. Half the flops are in GEMM, the other half in the memory-bound SYMV.
 */
import type { Workspace } from './decomp-workspace.js';
import { makeReflector } from '../ts/householder.js';

/** Panel width of the reduction: wider panels move flops to GEMM but lengthen the thin GEMVs. */
const NB = 32;
/** Block rows of the trailing rank-2k update: the diagonal blocks are computed whole (both triangles). */
const BS = 128;
/** Reflectors per block in the back-transformation. */
const NB_Q = 64;

export interface Tridiagonal {
  d: Float64Array;
  /** e[k] couples k and k+1; e[n−1] = 0. */
  e: Float64Array;
  /** tau[k] of reflector k, k = 0..n−3. */
  tau: Float64Array;
}

/**
 * Reduces the symmetric matrix at byte address `a` (upper triangle valid; destroyed) to
 * tridiagonal form T = Qᵀ·A·Q, Q = H₀·H₁·…·H_{n−3}, leaving the reflectors in the rows of `a`.
 */
export function tridiagonalize(ws: Workspace, a: number, n: number): Tridiagonal {
  const k = ws.k;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = new Float64Array(Math.max(n - 2, 0));
  const A = a / 8;
  const nb = Math.min(NB, Math.max(n - 2, 1));
  const wp = ws.zeros(nb * n); // W: row j holds w_j (valid right of its column)
  const vw = ws.alloc(2 * nb * n);
  const wv = ws.alloc(2 * nb * n);
  const x1 = ws.alloc(nb);
  const x2 = ws.alloc(nb);
  ws.reserveGemm(BS, n, 2 * nb);

  for (let k0 = 0; k0 < n - 2; k0 += nb) {
    const kb = Math.min(nb, n - 2 - k0);
    for (let j = 0; j < kb; j++) {
      const c = k0 + j;
      let h = ws.h;
      const rowC = a + 8 * (c * n + c);
      if (j > 0) {
        // Row c (= column c) ← row c − Vᵀ·W[:, c] − Wᵀ·V[:, c] over the panel's earlier reflectors.
        for (let p = 0; p < j; p++) {
          h[x1 / 8 + p] = h[wp / 8 + p * n + c];
          h[x2 / 8 + p] = h[A + (k0 + p) * n + c];
        }
        k.gemv(1, j, n - c, -1, a + 8 * (k0 * n + c), n, x1, 1, rowC);
        k.gemv(1, j, n - c, -1, wp + 8 * c, n, x2, 1, rowC);
        h = ws.h;
      }
      d[c] = h[A + c * n + c];
      const r = n - c - 1;
      const off = A + c * n + c + 1;
      const t = makeReflector(h, off, 1, r);
      tau[c] = t;
      e[c] = h[off];
      h[off] = 1;
      const v = a + 8 * (c * n + c + 1);
      const w = wp + 8 * (j * n + c + 1);
      if (t === 0) {
        h.fill(0, w / 8, w / 8 + r);
        continue;
      }
      k.symvUpper(r, 1, a + 8 * ((c + 1) * n + c + 1), n, v, 0, w);
      if (j > 0) {
        const vPanel = a + 8 * (k0 * n + c + 1);
        const wPanel = wp + 8 * (c + 1);
        k.gemv(0, j, r, 1, wPanel, n, v, 0, x1);
        k.gemv(1, j, r, -1, vPanel, n, x1, 1, w);
        k.gemv(0, j, r, 1, vPanel, n, v, 0, x2);
        k.gemv(1, j, r, -1, wPanel, n, x2, 1, w);
      }
      // w ← τ·w − (τ/2)(τ·wᵀv)·v makes A₂₂ − v·wᵀ − w·vᵀ the two-sided reflection.
      h = ws.h;
      const W = w / 8;
      const V = v / 8;
      let s = 0;
      for (let i = 0; i < r; i++) {
        const wi = h[W + i] * t;
        h[W + i] = wi;
        s += wi * h[V + i];
      }
      const K = -0.5 * t * s;
      for (let i = 0; i < r; i++) h[W + i] += K * h[V + i];
    }
    trailingUpdate(ws, a, n, k0, kb, wp, vw, wv);
  }
  const h = ws.h;
  if (n >= 2) {
    d[n - 2] = h[A + (n - 2) * n + n - 2];
    e[n - 2] = h[A + (n - 2) * n + n - 1];
  }
  if (n >= 1) d[n - 1] = h[A + n * n - 1];
  return { d, e, tau };
}

/** A₂₂ −= VᵀW + WᵀV on the upper triangle from row/column k0+kb, V and W as rows (row-major). */
function trailingUpdate(
  ws: Workspace,
  a: number,
  n: number,
  k0: number,
  kb: number,
  wp: number,
  vw: number,
  wv: number,
): void {
  const c1 = k0 + kb;
  const m = n - c1;
  if (m <= 0) return;
  const h = ws.h;
  const A = a / 8;
  // [V; W] and [W; V] as contiguous 2kb×m blocks so one GEMM forms VᵀW + WᵀV.
  for (let p = 0; p < kb; p++) {
    const vRow = h.subarray(A + (k0 + p) * n + c1, A + (k0 + p) * n + n);
    const wRow = h.subarray(wp / 8 + p * n + c1, wp / 8 + p * n + n);
    h.set(vRow, vw / 8 + p * m);
    h.set(wRow, vw / 8 + (kb + p) * m);
    h.set(wRow, wv / 8 + p * m);
    h.set(vRow, wv / 8 + (kb + p) * m);
  }
  for (let rb = 0; rb < m; rb += BS) {
    const bs = Math.min(BS, m - rb);
    ws.gemm(
      1,
      0,
      bs,
      m - rb,
      2 * kb,
      -1,
      vw + 8 * rb,
      m,
      wv + 8 * rb,
      m,
      1,
      a + 8 * ((c1 + rb) * n + c1 + rb),
      n,
    );
  }
}

/**
 * Z ← Q·Z for the n×n row-major Z at byte address z, Q = H₀·…·H_{n−3} from `tridiagonalize`.
 * Blocks of NB_Q reflectors are applied last-first as I − Y·T·Yᵀ (T upper triangular, the forward
 * compact WY form), three GEMMs each.
 */
export function applyQ(ws: Workspace, a: number, tau: Float64Array, n: number, z: number): void {
  const nr = n - 2;
  if (nr <= 0) return;
  const nb = Math.min(NB_Q, nr);
  const yt = ws.alloc(nb * n);
  const s = ws.alloc(nb * nb);
  const tm = ws.alloc(nb * nb);
  const w1 = ws.alloc(nb * n);
  const w2 = ws.alloc(nb * n);
  ws.reserveGemm(n, n, nb);
  const A = a / 8;
  for (let k0 = Math.floor((nr - 1) / nb) * nb; k0 >= 0; k0 -= nb) {
    const kb = Math.min(nb, nr - k0);
    const r0 = k0 + 1;
    const m = n - r0;
    let h = ws.h;
    // Yᵀ: row p is reflector k0+p over rows r0..n−1 (zeros above its leading 1).
    for (let p = 0; p < kb; p++) {
      const row = yt / 8 + p * m;
      h.fill(0, row, row + p);
      h[row + p] = 1;
      const src = A + (k0 + p) * n + r0;
      h.set(h.subarray(src + p + 1, src + m), row + p + 1);
    }
    ws.gemm(0, 1, kb, kb, m, 1, yt, m, yt, m, 0, s, kb);
    h = ws.h;
    formT(h, s / 8, tm / 8, kb, tau, k0);
    ws.gemm(0, 0, kb, n, m, 1, yt, m, z + 8 * r0 * n, n, 0, w1, n);
    ws.gemm(0, 0, kb, n, kb, 1, tm, kb, w1, n, 0, w2, n);
    ws.gemm(1, 0, m, n, kb, -1, yt, m, w2, n, 1, z + 8 * r0 * n, n);
  }
}

/**
 * The upper-triangular T of H_{k0}·…·H_{k0+kb−1} = I − Y·T·Yᵀ from S = YᵀY (kb×kb at index S):
 * T[j][j] = τ_j and T[0:j, j] = −τ_j·T[0:j, 0:j]·S[0:j, j] (the forward, column-wise recurrence).
 */
export function formT(
  h: Float64Array,
  S: number,
  T: number,
  kb: number,
  tau: Float64Array,
  k0: number,
): void {
  h.fill(0, T, T + kb * kb);
  const tmp = new Float64Array(kb);
  for (let j = 0; j < kb; j++) {
    const tj = tau[k0 + j];
    h[T + j * kb + j] = tj;
    if (tj === 0) continue;
    for (let i = 0; i < j; i++) tmp[i] = h[S + i * kb + j];
    for (let i = 0; i < j; i++) {
      let acc = 0;
      for (let l = i; l < j; l++) acc += h[T + i * kb + l] * tmp[l];
      h[T + i * kb + j] = -tj * acc;
    }
  }
}
