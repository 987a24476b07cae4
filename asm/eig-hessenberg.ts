// Blocked Householder reduction to upper Hessenberg form, H = Qᵀ·A·Q, and the explicit Qᵀ
// (the scheme of LAPACK dgehrd/dlahr2 as revised by Quintana-Ortí & van de Geijn, written for
// row-major storage).
//
// A block of nb reflectors, Q_b = H_p···H_{p+nb−1} = I − V·T·Vᵀ (compact WY), is built one
// column at a time; each column only needs A·v (one GEMV with the trailing matrix) and small
// products with the block's V, T and Y = A·V·T. The trailing matrix is then updated by
// A ← A − Y·Vᵀ (right) and A ← (I − V·Tᵀ·Vᵀ)·A (left), both GEMMs, so ~80 % of the flops run in
// the packed GEMM kernel instead of memory-bound rank-2 updates.
//
// Layout: V and Y are held transposed (Vt, Yt: nb×n, row l = reflector l / column l of Y over
// the global row index), so the per-column work is on contiguous rows and every GEMM reads them
// through its transpose flags. Vt rows carry explicit zeros above the unit entry, which lets
// plain GEMMs replace LAPACK's triangular products.

import { at, dot, axpy, scal, mm } from './eig-util';
import { gemv } from './blas2';

/** β of the last reflector built by `reflector`. */
let lastBeta: f64 = 0;

function hypot2(a: f64, b: f64): f64 {
  const x = abs(a);
  const y = abs(b);
  const big = max(x, y);
  if (big == 0) return 0;
  const r = min(x, y) / big;
  return big * Math.sqrt(1 + r * r);
}

/**
 * Householder reflector on x (len contiguous entries): H·x = β·e₁ with H = I − τ·v·vᵀ, v₀ = 1.
 * Overwrites x[1..] with v[1..], returns τ (0 when x is already a multiple of e₁). β has the
 * sign opposite to x₀ so that x₀ − β never cancels; the norm is computed scaled so it cannot
 * over- or underflow.
 */
function reflector(len: i32, x: usize): f64 {
  const alpha = load<f64>(x);
  let scale: f64 = 0;
  for (let i = 1; i < len; i++) scale = max(scale, abs(load<f64>(at(x, i))));
  if (scale == 0) {
    lastBeta = alpha;
    return 0;
  }
  let ss: f64 = 0;
  for (let i = 1; i < len; i++) {
    const t = load<f64>(at(x, i)) / scale;
    ss += t * t;
  }
  const beta = (alpha >= 0 ? -1.0 : 1.0) * hypot2(alpha, scale * Math.sqrt(ss));
  scal(len - 1, 1 / (alpha - beta), x + 8);
  lastBeta = beta;
  return (beta - alpha) / beta;
}

/**
 * Reduces columns p..p+ib−1 (dlahr2). On exit those columns are final below row p, Vt rows
 * 0..ib−1 hold the reflectors, T (ld nb) the upper triangular factor, and Yt rows 0..ib−1
 * hold Y = A·V·T over rows p+1..n−1 (rows 0..p are filled by the caller with one GEMM).
 * `b` (n entries) and `w` (nb entries) are scratch.
 */
function panel(
  n: i32, a: usize, p: i32, ib: i32, vt: usize, yt: usize, t: usize, nb: i32, b: usize, w: usize,
): void {
  const m = n - p - 1;
  const ld = <usize>n << 3;
  // T's strict lower triangle is read by the caller's GEMMs as explicit zeros.
  memory.fill(t, 0, <usize>(ib * nb) << 3);
  for (let i = 0; i < ib; i++) {
    const j = p + i;
    const colJ = a + <usize>(p + 1) * ld + (<usize>j << 3);
    for (let r = 0; r < m; r++) store<f64>(at(b, r), load<f64>(colJ + <usize>r * ld));
    if (i > 0) {
      // Column j of A·Q_i (right side: A − Y·Vᵀ), then Q_iᵀ from the left: b −= V·(Tᵀ·(Vᵀ·b)).
      for (let l = 0; l < i; l++) {
        axpy(m, -load<f64>(at(vt + <usize>l * ld, j)), at(yt + <usize>l * ld, p + 1), b);
      }
      for (let l = 0; l < i; l++) {
        const from = p + l + 1; // v_l is zero above its unit entry
        store<f64>(at(w, l), dot(n - from, at(vt + <usize>l * ld, from), at(b, l)));
      }
      for (let l = i - 1; l >= 0; l--) {
        let s: f64 = 0;
        for (let q = 0; q <= l; q++) s += load<f64>(at(t, q * nb + l)) * load<f64>(at(w, q));
        store<f64>(at(w, l), s);
      }
      for (let l = 0; l < i; l++) {
        const from = p + l + 1;
        axpy(n - from, -load<f64>(at(w, l)), at(vt + <usize>l * ld, from), at(b, l));
      }
    }
    const tau = reflector(m - i, at(b, i));
    // Column j is final: updated rows p+1..j, β on the subdiagonal, exact zeros below.
    for (let r = 0; r < i; r++) store<f64>(colJ + <usize>r * ld, load<f64>(at(b, r)));
    store<f64>(colJ + <usize>i * ld, lastBeta);
    for (let r = i + 1; r < m; r++) store<f64>(colJ + <usize>r * ld, 0);
    const vi = vt + <usize>i * ld;
    memory.fill(vi, 0, <usize>(j + 1) << 3);
    store<f64>(at(vi, j + 1), 1);
    memory.copy(at(vi, j + 2), at(b, i + 1), <usize>(m - i - 1) << 3);
    // Y column i = τ·(A·v_i − Y_i·(V_iᵀ·v_i)); columns > j of A are still those of the block's start.
    const yi = at(yt + <usize>i * ld, p + 1);
    gemv(0, m, n - j - 1, 1.0, a + <usize>(p + 1) * ld + (<usize>(j + 1) << 3), n, at(vi, j + 1), 0.0, yi);
    for (let l = 0; l < i; l++) {
      store<f64>(at(w, l), dot(n - j - 1, at(vt + <usize>l * ld, j + 1), at(vi, j + 1)));
    }
    for (let l = 0; l < i; l++) axpy(m, -load<f64>(at(w, l)), at(yt + <usize>l * ld, p + 1), yi);
    scal(m, tau, yi);
    // T column i = −τ·T_i·(V_iᵀ·v_i), T_ii = τ.
    for (let s = 0; s < i; s++) {
      let acc: f64 = 0;
      for (let l = s; l < i; l++) acc += load<f64>(at(t, s * nb + l)) * load<f64>(at(w, l));
      store<f64>(at(t, s * nb + i), -tau * acc);
    }
    store<f64>(at(t, i * nb + i), tau);
  }
}

/**
 * Reduces the n×n row-major `a` in place to upper Hessenberg form (zeros below the subdiagonal).
 * keepAll ≠ 0: the reflectors of every block are kept for `hessenbergFormQt` — Vt of the block
 * starting at column p at vAll + p·n·8 (vAll n×n), its T at tAll + p·nb·8 (tAll ≥ (n+nb)·nb).
 * keepAll = 0: vAll (nb×n) and tAll (nb×nb) are reused by every block.
 * Scratch: yt (nb×n), z1 (n×nb), wk and wk2 (nb×n each), b (n), w (nb), GEMM work.
 */
export function hessenbergReduce(
  n: i32, a: usize, nb: i32, keepAll: i32, vAll: usize, tAll: usize,
  yt: usize, z1: usize, wk: usize, wk2: usize, b: usize, w: usize, work: usize, workBytes: i32,
): void {
  const ld = <usize>n << 3;
  for (let p = 0; p + 2 < n; p += nb) {
    const ib = min(nb, n - 2 - p);
    const vt = keepAll ? vAll + <usize>p * ld : vAll;
    const t = keepAll ? at(tAll, p * nb) : tAll;
    panel(n, a, p, ib, vt, yt, t, nb, b, w);
    const m = n - p - 1;
    const vs = at(vt, p + 1);
    // Rows 0..p of Y = A·V·T: (A[0:p+1, p+1:n]·V)·T, stored transposed in Yt[:, 0:p+1].
    mm(0, 1, p + 1, ib, m, 1.0, at(a, p + 1), n, vs, n, 0.0, z1, ib, work, workBytes);
    mm(1, 1, ib, p + 1, ib, 1.0, t, nb, z1, ib, 0.0, yt, n, work, workBytes);
    // Right update of the panel's own columns above the panel (rows 0..p)...
    if (ib > 1) mm(1, 0, p + 1, ib - 1, ib, -1.0, yt, n, vs, n, 1.0, at(a, p + 1), n, work, workBytes);
    // ...and of every row of the trailing columns: A ← A − Y·Vᵀ.
    const nc = n - p - ib;
    const trail = at(a, p + ib);
    mm(1, 0, n, nc, ib, -1.0, yt, n, at(vt, p + ib), n, 1.0, trail, n, work, workBytes);
    // Left update of rows p+1..n−1: A ← A − V·(Tᵀ·(Vᵀ·A)).
    const rows = trail + <usize>(p + 1) * ld;
    mm(0, 0, ib, nc, m, 1.0, vs, n, rows, n, 0.0, wk, nc, work, workBytes);
    mm(1, 0, ib, nc, ib, 1.0, t, nb, wk, nc, 0.0, wk2, nc, work, workBytes);
    mm(1, 0, m, nc, ib, -1.0, vs, n, wk2, nc, 1.0, rows, n, work, workBytes);
  }
}

/**
 * q (n×n) ← Qᵀ from the reflectors kept by `hessenbergReduce(keepAll = 1)`, accumulated
 * backwards (Qᵀ = Q_Bᵀ···Q_0ᵀ, each step touching only the trailing block that is not yet the
 * identity). Qᵀ rather than Q: the QR iteration then rotates rows, contiguous in row-major.
 * Scratch wk, wk2: n×nb each.
 */
export function hessenbergFormQt(
  n: i32, q: usize, nb: i32, vAll: usize, tAll: usize, wk: usize, wk2: usize, work: usize, workBytes: i32,
): void {
  const ld = <usize>n << 3;
  memory.fill(q, 0, <usize>n * ld);
  for (let i = 0; i < n; i++) store<f64>(at(q, i * n + i), 1);
  if (n < 3) return;
  for (let p = ((n - 3) / nb) * nb; p >= 0; p -= nb) {
    const ib = min(nb, n - 2 - p);
    const vs = at(vAll + <usize>p * ld, p + 1);
    const t = at(tAll, p * nb);
    const ms = n - p - 1;
    const qs = at(q + <usize>(p + 1) * ld, p + 1);
    // Qᵀ_s ← Qᵀ_s·(I − V·Tᵀ·Vᵀ) = Qᵀ_s − ((Qᵀ_s·V)·Tᵀ)·Vᵀ.
    mm(0, 1, ms, ib, ms, 1.0, qs, n, vs, n, 0.0, wk, ib, work, workBytes);
    mm(0, 1, ms, ib, ib, 1.0, wk, ib, t, nb, 0.0, wk2, ib, work, workBytes);
    mm(0, 0, ms, ms, ib, -1.0, wk2, ib, vs, n, 1.0, qs, n, work, workBytes);
  }
}
