/**
 * Blocked Householder bidiagonalisation B = Qᵀ·A·P of an m×n matrix (m ≥ n, B upper bidiagonal)
 * and the blocked back-transformations U = Q·U_B, V = P·V_B, on wasm memory (the
 * dgebrd/dlabrd + dormbr scheme; Golub & Van Loan §5.4.8, Dongarra, Sorensen & Hammarling 1989),
 * working on Aᵀ (n×m, row-major) so that A's columns are contiguous rows.
 *
 * Storage: left reflector c (acting on A's rows c..m−1) is kept in row c of Aᵀ from column c on,
 * right reflector c (A's columns c+1..n−1) in column c of Aᵀ from row c+1 on, both with their
 * leading 1 written in place (d and e are returned separately).
 *
 * Per panel of NB columns the trailing matrix stays A − U·Yᵀ − X·Vᵀ in factored form (U, V the
 * panel's reflectors, X, Y built alongside, as in dlabrd); each new column and row is brought up
 * to date with thin GEMVs, and after the panel one GEMM of depth 2·NB applies the whole update.
 * Every step also needs ŷ = Aᵀu and then x = A·v with v affine in ŷ: the kernel `bidiagPass`
 * computes ŷ and the two sums x is made of in ONE pass over the trailing matrix (half the memory
 * traffic of dlabrd's two GEMVs; this pass is where large reductions spend their time). When
 * those two sums nearly cancel — the new row is much shorter than before the left reflector,
 * as happens near rank deficiency — x is recomputed by a plain GEMV, which keeps the error of x
 * at the level of dlabrd's.
 */
import type { Workspace } from './decomp-workspace.js';
import type { WasmKernels } from './load.js';
import type { WorkerPool } from './pool.js';
import { makeReflector } from '../ts/householder.js';
import { formT } from './tridiag.js';

/** Panel width of the reduction. */
const NB = 32;
/** Reflectors per block in the back-transformations. */
const NB_Q = 64;
/**
 * The one-pass x = (P − τ·Q − β·row)/(α − β) loses about log2(CANCEL) bits to cancellation at
 * most; beyond that the plain GEMV is used.
 */
const CANCEL = 8;
/**
 * Trailing matrices above this size take the one-pass kernel. It does 3 FMAs per element where
 * the two GEMVs do 2, so it only pays once the matrix streams from memory (measured: 20 % faster
 * than the two GEMVs at 2000×2000, 40 % slower at 1000×1000, even near 1600×1600).
 */
export const FUSE_BYTES = 20e6;

/** Picks a worker pool for a call of this many flops (the wasm backend's pool selector). */
export interface PoolPicker {
  pick(flops: number, gemv: boolean): WorkerPool | undefined;
}

export interface Bidiagonal {
  /** Diagonal of B (n). */
  d: Float64Array;
  /** Superdiagonal: e[c] = B[c][c+1] (n; e[n−1] = 0). */
  e: Float64Array;
  /** τ of the left reflectors (n) and of the right ones (n; zero from n−2 on). */
  tauq: Float64Array;
  taup: Float64Array;
}

type Gemv = (
  trans: number,
  m: number,
  n: number,
  alpha: number,
  a: number,
  lda: number,
  x: number,
  beta: number,
  y: number,
) => void;

/** GEMV on this thread, or split over the pool when it is large enough to pay. */
function gemvOn(kernels: WasmKernels, pools?: PoolPicker): Gemv {
  const k = kernels.exports;
  return (trans, m, n, alpha, a, lda, x, beta, y) => {
    if (m <= 0 || n <= 0) {
      if (trans ? n > 0 : m > 0) k.scaleVector(trans ? n : m, beta, y);
      return;
    }
    const pool = pools?.pick(2 * m * n, true);
    (pool ?? k).gemv(trans, m, n, alpha, a, lda, x, beta, y);
  };
}

interface PassKernel {
  bidiagPass(
    rows: number,
    len: number,
    a: number,
    lda: number,
    u: number,
    coef: number,
    yhat: number,
    p: number,
    q: number,
  ): void;
}

function norm(h: Float64Array, at: number, len: number): number {
  let scale = 0;
  for (let i = 0; i < len; i++) scale = Math.max(scale, Math.abs(h[at + i]));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = 0; i < len; i++) {
    const t = h[at + i] / scale;
    s += t * t;
  }
  return scale * Math.sqrt(s);
}

/**
 * Reduces A (m×n, m ≥ n ≥ 1), given as Aᵀ: n×m row-major at byte address `at` (destroyed), to upper
 * bidiagonal form, leaving the reflectors in place (see the file comment). `fuseBytes`: trailing
 * matrices larger than this take the one-pass kernel (tests lower it to reach that path).
 */
export function bidiagonalize(
  ws: Workspace,
  at: number,
  m: number,
  n: number,
  pools?: PoolPicker,
  fuseBytes = FUSE_BYTES,
): Bidiagonal {
  const gemv = gemvOn(ws.kernels, pools);
  const pass = ws.k as unknown as PassKernel;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tauq = new Float64Array(n);
  const taup = new Float64Array(n);
  const T = at / 8;
  const nb = Math.min(NB, n);
  // [Yᵀ; Vᵀ] (2nb rows of length n) and [U; Xᵀ] (2nb rows of length m): the GEMM operands of the
  // trailing update Aᵀ −= Y·Uᵀ + V·Xᵀ, stacked so that one GEMM of depth 2nb applies it.
  const yv = ws.zeros(2 * nb * n);
  const ux = ws.zeros(2 * nb * m);
  const yt = yv;
  const vt = yv + 8 * nb * n;
  const uc = ux;
  const xt = ux + 8 * nb * m;
  const big = Math.max(m, n);
  const s1 = ws.alloc(nb); // Uᵀu, then (A[c, :] of the panel's U) …
  const s2 = ws.alloc(nb);
  const corr = ws.alloc(n);
  const coef = ws.alloc(n);
  const yhat = ws.alloc(n);
  const pv = ws.alloc(big);
  const qv = ws.alloc(big);
  const xh = ws.alloc(big);
  ws.reserveGemm(n, m, 2 * nb);
  const Y = yt / 8;
  const V = vt / 8;
  const X = xt / 8;

  for (let i0 = 0; i0 < n; i0 += nb) {
    const kb = Math.min(nb, n - i0);
    for (let j = 0; j < kb; j++) {
      const c = i0 + j;
      const mr = m - c;
      const nr = n - c - 1;
      const colC = at + 8 * (c * m + c); // A[c:, c] = row c of Aᵀ from column c
      let h = ws.h;
      // A[c:, c] −= U·Y[c, :j]ᵀ + X·V[:j, c].
      if (j > 0) {
        for (let l = 0; l < j; l++) {
          h[s1 / 8 + l] = h[Y + l * n + c];
          h[s2 / 8 + l] = h[V + l * n + c];
        }
        gemv(1, j, mr, -1, at + 8 * (i0 * m + c), m, s1, 1, colC);
        gemv(1, j, mr, -1, xt + 8 * c, m, s2, 1, colC);
        h = ws.h;
      }
      const tq = makeReflector(h, T + c * m + c, 1, mr);
      tauq[c] = tq;
      d[c] = h[T + c * m + c];
      h[T + c * m + c] = 1;
      if (nr <= 0) continue;
      // corr = Y·(Uᵀu) + V·(Xᵀu) and r = A[c, c+1:] brought up to date except for u_c's own term.
      gemv(0, j, mr, 1, at + 8 * (i0 * m + c), m, colC, 0, s1);
      gemv(0, j, mr, 1, xt + 8 * c, m, colC, 0, s2);
      gemv(1, j, nr, 1, yt + 8 * (c + 1), n, s1, 0, corr);
      gemv(1, j, nr, 1, vt + 8 * (c + 1), n, s2, 1, corr);
      h = ws.h;
      const R = coef / 8;
      for (let i = 0; i < nr; i++) h[R + i] = h[T + (c + 1 + i) * m + c];
      for (let l = 0; l < j; l++) {
        h[s1 / 8 + l] = h[T + (i0 + l) * m + c];
        h[s2 / 8 + l] = h[X + l * m + c];
      }
      gemv(1, j, nr, -1, yt + 8 * (c + 1), n, s1, 1, coef);
      gemv(1, j, nr, -1, vt + 8 * (c + 1), n, s2, 1, coef);
      h = ws.h;
      const C = corr / 8;
      for (let i = 0; i < nr; i++) h[R + i] += tq * h[C + i];
      // One pass: ŷ = A_trᵀu, P = A_tr·coef, Q = A_tr·ŷ (A_tr: rows c+1.., columns c+1.. of A),
      // when the trailing matrix is too large for the cache; else ŷ alone (x by a GEMV below).
      const mx = mr - 1;
      const fused = 8 * nr * mr > fuseBytes;
      if (fused) {
        h.fill(0, pv / 8, pv / 8 + mx);
        h.fill(0, qv / 8, qv / 8 + mx);
        pass.bidiagPass(nr, mr, at + 8 * ((c + 1) * m + c), m, colC, coef, yhat, pv, qv);
      } else {
        gemv(0, nr, mr, 1, at + 8 * ((c + 1) * m + c), m, colC, 0, yhat);
      }
      h = ws.h;
      // y_c = τq·(ŷ − corr); the new row c of A is coef − τq·ŷ.
      const YH = yhat / 8;
      const row = new Float64Array(nr);
      for (let i = 0; i < nr; i++) {
        h[Y + j * n + c + 1 + i] = tq * (h[YH + i] - h[C + i]);
        row[i] = h[R + i] - tq * h[YH + i];
      }
      const alpha = row[0];
      const rowNorm = norm(row, 0, nr);
      const tp = makeReflector(row, 0, 1, nr);
      taup[c] = tp;
      e[c] = row[0];
      row[0] = 1;
      for (let i = 0; i < nr; i++) {
        h[T + (c + 1 + i) * m + c] = row[i];
        h[V + j * n + c + 1 + i] = row[i];
      }
      const xo = X + j * m + c + 1;
      if (tp === 0 || mx <= 0) {
        h.fill(0, xo, xo + mx);
        continue;
      }
      const vrow = vt + 8 * (j * n + c + 1);
      const XH = xh / 8;
      const beta = e[c];
      const spread = norm(h, R, nr) + Math.abs(tq) * norm(h, YH, nr);
      if (fused && CANCEL * rowNorm >= spread) {
        // x̂ = A_tr·v = (P − τq·Q − β·A_tr[:, 0])/(α − β), A_tr[:, 0] = row c+1 of Aᵀ.
        const inv = 1 / (alpha - beta);
        const P = pv / 8;
        const Qv = qv / 8;
        const A0 = T + (c + 1) * m + c + 1;
        for (let i = 0; i < mx; i++)
          h[XH + i] = (h[P + i] - tq * h[Qv + i] - beta * h[A0 + i]) * inv;
      } else {
        gemv(1, nr, mx, 1, at + 8 * ((c + 1) * m + c + 1), m, vrow, 0, xh);
      }
      // x_c = τp·(x̂ − U·(Yᵀv) − X·(Vᵀv)) over A's rows c+1.., with u_c included in U.
      gemv(0, j + 1, nr, 1, yt + 8 * (c + 1), n, vrow, 0, s1);
      gemv(1, j + 1, mx, -1, at + 8 * (i0 * m + c + 1), m, s1, 1, xh);
      gemv(0, j, nr, 1, vt + 8 * (c + 1), n, vrow, 0, s2);
      gemv(1, j, mx, -1, xt + 8 * (c + 1), m, s2, 1, xh);
      h = ws.h;
      for (let i = 0; i < mx; i++) h[xo + i] = tp * h[XH + i];
    }
    // Trailing Aᵀ (rows and columns from r) −= Y·Uᵀ + V·Xᵀ: one GEMM of depth 2·kb.
    const r = i0 + kb;
    if (r >= n) break;
    const h = ws.h;
    for (let l = 0; l < kb; l++) {
      h.copyWithin(uc / 8 + l * m + r, T + (i0 + l) * m + r, T + (i0 + l) * m + m);
    }
    const tr = at + 8 * (r * m + r);
    if (kb === nb) {
      ws.gemm(1, 0, n - r, m - r, 2 * kb, -1, yv + 8 * r, n, ux + 8 * r, m, 1, tr, m);
    } else {
      ws.gemm(1, 0, n - r, m - r, kb, -1, yt + 8 * r, n, uc + 8 * r, m, 1, tr, m);
      ws.gemm(1, 0, n - r, m - r, kb, -1, vt + 8 * r, n, xt + 8 * r, m, 1, tr, m);
    }
  }
  return { d, e, tauq, taup };
}

/**
 * Z (rows × cols at byte address z, ld cols) ← H·Z for the block reflector H = H_{k0}…H_{k0+kb−1}
 * = I − W·T·Wᵀ whose vectors are the rows of Wᵀ (kb × len at wt, each starting at offset 0 =
 * row `first` of Z, i.e. Z's rows first..first+len−1 are touched).
 */
function applyBlock(
  ws: Workspace,
  wt: number,
  kb: number,
  len: number,
  tau: Float64Array,
  k0: number,
  z: number,
  first: number,
  cols: number,
  s: number,
  t: number,
  w1: number,
  w2: number,
): void {
  ws.gemm(0, 1, kb, kb, len, 1, wt, len, wt, len, 0, s, kb);
  formT(ws.h, s / 8, t / 8, kb, tau, k0);
  const zs = z + 8 * first * cols;
  ws.gemm(0, 0, kb, cols, len, 1, wt, len, zs, cols, 0, w1, cols);
  ws.gemm(0, 0, kb, cols, kb, 1, t, kb, w1, cols, 0, w2, cols);
  ws.gemm(1, 0, len, cols, kb, -1, wt, len, w2, cols, 1, zs, cols);
}

/**
 * Z (m×cols at byte address z) ← Q·Z with Q = H₀·…·H_{n−1} the left reflectors of
 * `bidiagonalize` (Aᵀ at byte address at, n×m). Used as U = Q·[U_B; 0].
 */
export function applyQ(
  ws: Workspace,
  at: number,
  m: number,
  n: number,
  tauq: Float64Array,
  z: number,
  cols: number,
): void {
  const nb = Math.min(NB_Q, n);
  const wt = ws.alloc(nb * m);
  const s = ws.alloc(nb * nb);
  const t = ws.alloc(nb * nb);
  const w1 = ws.alloc(nb * cols);
  const w2 = ws.alloc(nb * cols);
  ws.reserveGemm(m, cols, nb);
  const T = at / 8;
  for (let k0 = Math.floor((n - 1) / nb) * nb; k0 >= 0; k0 -= nb) {
    const kb = Math.min(nb, n - k0);
    const len = m - k0;
    const h = ws.h;
    for (let p = 0; p < kb; p++) {
      const row = wt / 8 + p * len;
      const c = k0 + p;
      h.fill(0, row, row + p);
      h.copyWithin(row + p, T + c * m + c, T + c * m + m);
    }
    applyBlock(ws, wt, kb, len, tauq, k0, z, k0, cols, s, t, w1, w2);
  }
}

/**
 * Z (n×cols at byte address z) ← P·Z with P = G₀·…·G_{n−3} the right reflectors of
 * `bidiagonalize` (Aᵀ at byte address at, n×m; reflector c acts on rows c+1..n−1). Used as
 * V = P·V_B.
 */
export function applyP(
  ws: Workspace,
  at: number,
  m: number,
  n: number,
  taup: Float64Array,
  z: number,
  cols: number,
): void {
  const count = n - 2; // reflectors with a non-trivial vector
  if (count <= 0) return;
  const nb = Math.min(NB_Q, count);
  const wt = ws.alloc(nb * n);
  const s = ws.alloc(nb * nb);
  const t = ws.alloc(nb * nb);
  const w1 = ws.alloc(nb * cols);
  const w2 = ws.alloc(nb * cols);
  ws.reserveGemm(n, cols, nb);
  const T = at / 8;
  for (let k0 = Math.floor((count - 1) / nb) * nb; k0 >= 0; k0 -= nb) {
    const kb = Math.min(nb, count - k0);
    const len = n - k0 - 1;
    const h = ws.h;
    for (let p = 0; p < kb; p++) {
      const row = wt / 8 + p * len;
      const c = k0 + p;
      h.fill(0, row, row + p);
      for (let i = p; i < len; i++) h[row + i] = h[T + (k0 + 1 + i) * m + c];
    }
    applyBlock(ws, wt, kb, len, taup, k0, z, k0 + 1, cols, s, t, w1, w2);
  }
}
