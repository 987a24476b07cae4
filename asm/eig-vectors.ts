// Eigenvectors of the real quasi-triangular Schur factor T by back-substitution (the approach of
// EISPACK hqr2 and LAPACK trevc, as in src/linalg/ts/eigvec.ts), and the inverse of the
// resulting block-triangular eigenvector matrix for left eigenvectors.
//
// Xt holds one eigenvector of T per row, so every inner product is a contiguous dot of a row of
// T with a row of Xt.

import { at, dot, axpy, mm } from './eig-util';

const EPS: f64 = f64.EPSILON;

// Results of the complex helpers (AssemblyScript has no tuples).
let o0: f64 = 0, o1: f64 = 0, o2: f64 = 0, o3: f64 = 0;

/** (o0, o1) ← (ar + i·ai) / (br + i·bi), Smith's algorithm. */
function cdiv(ar: f64, ai: f64, br: f64, bi: f64): void {
  if (abs(br) >= abs(bi)) {
    const r = bi / br;
    const d = br + r * bi;
    o0 = (ar + r * ai) / d;
    o1 = (ai - r * ar) / d;
  } else {
    const r = br / bi;
    const d = bi + r * br;
    o0 = (r * ar + ai) / d;
    o1 = (r * ai - ar) / d;
  }
}

/** Elimination on a pivoted 2×2 complex system [[p, q], [u, v]]·x = (s1, s2); x in o0..o3. */
function finish(
  pr: f64, pi: f64, qr: f64, qi: f64, ur: f64, ui: f64, vr: f64, vi: f64,
  s1r: f64, s1i: f64, s2r: f64, s2i: f64, small: f64,
): void {
  if (pr == 0 && pi == 0) pr = small;
  cdiv(ur, ui, pr, pi);
  const lr = o0, li = o1;
  let dr = vr - (lr * qr - li * qi);
  const di = vi - (lr * qi + li * qr);
  if (dr == 0 && di == 0) dr = small;
  const tr = s2r - (lr * s1r - li * s1i);
  const ti = s2i - (lr * s1i + li * s1r);
  cdiv(tr, ti, dr, di);
  const x2r = o0, x2i = o1;
  cdiv(s1r - (qr * x2r - qi * x2i), s1i - (qr * x2i + qi * x2r), pr, pi);
  o2 = x2r;
  o3 = x2i;
}

/**
 * Solves [[a − λ, b], [c, d − λ]]·x = r for complex λ = lr + i·li by elimination with partial
 * pivoting; a zero pivot becomes `small` (the usual perturbation for repeated eigenvalues).
 */
function solve2(
  a: f64, b: f64, c: f64, d: f64, lr: f64, li: f64,
  r1r: f64, r1i: f64, r2r: f64, r2i: f64, small: f64,
): void {
  const m11r = a - lr, m11i = -li, m22r = d - lr, m22i = -li;
  if (abs(c) > Math.sqrt(m11r * m11r + m11i * m11i)) {
    finish(c, 0, m22r, m22i, m11r, m11i, b, 0, r2r, r2i, r1r, r1i, small);
  } else {
    finish(m11r, m11i, b, 0, c, 0, m22r, m22i, r1r, r1i, r2r, r2i, small);
  }
}

/** −Σ_{j=i+1}^{k} T[i][j]·x[j]. */
// @ts-ignore: decorator
@inline function negRowDot(t: usize, n: i32, i: i32, k: i32, x: usize): f64 {
  return -dot(k - i, at(t, i * n + i + 1), at(x, i + 1));
}

/** Rescales x[from..to] (and the imaginary row xi if non-zero) when it nears overflow, as hqr2 does. */
function guardOverflow(x: usize, xi: usize, from: i32, to: i32, t: f64): void {
  if (EPS * t * t <= 1) return;
  for (let j = from; j <= to; j++) {
    store<f64>(at(x, j), load<f64>(at(x, j)) / t);
    if (xi != 0) store<f64>(at(xi, j), load<f64>(at(xi, j)) / t);
  }
}

/** Eigenvectors solved together, so each row of T is read from memory once per group. */
const VEC_GROUP: i32 = 16;

/**
 * Fills xt (n×n, zeroed here) with the eigenvectors of T, one per row: for a real eigenvalue at
 * k, row k is x with x_k = 1 and x_j = 0 for j > k; for a pair at (k, k+1), wi[k] > 0, rows k
 * and k+1 are the real and imaginary parts of the eigenvector of wr[k] + i·wi[k]. T must have
 * 2×2 blocks only where wi ≠ 0 (as `francis` leaves it).
 *
 * Each vector is the same back-substitution as in the TS reference; they are advanced in groups
 * of VEC_GROUP, up the diagonal blocks of T together, because one vector alone streams the
 * whole upper triangle of T from memory.
 */
export function schurVectors(n: i32, t: usize, wr: usize, wi: usize, xt: usize): void {
  let tnorm: f64 = 0;
  for (let i = 0; i < n; i++) for (let j = max(i - 1, 0); j < n; j++) tnorm += abs(load<f64>(at(t, i * n + j)));
  const small = tnorm > 0 ? EPS * tnorm : EPS;
  memory.fill(xt, 0, (<usize>n * <usize>n) << 3);
  let k1 = n;
  while (k1 > 0) {
    let k0 = max(0, k1 - VEC_GROUP);
    if (k0 > 0 && load<f64>(at(wi, k0)) < 0) k0--; // a pair's two rows stay in one group
    for (let k = k0; k < k1; k++) if (load<f64>(at(wi, k)) >= 0) startVector(t, n, k, load<f64>(at(wr, k)), load<f64>(at(wi, k)), xt);
    let i = k1 - 1;
    while (i >= 0) {
      const two = load<f64>(at(wi, i)) < 0; // rows i−1, i form a 2×2 block of T
      for (let k = max(k0, i + 1); k < k1; k++) {
        const im = load<f64>(at(wi, k));
        if (im < 0) continue;
        if (im == 0) realStep(t, n, i, two, k, load<f64>(at(wr, k)), xt, small);
        else complexStep(t, n, i, two, k, load<f64>(at(wr, k)), im, xt, small);
      }
      i -= two ? 2 : 1;
    }
    k1 = k0;
  }
}

/** The components of vector k fixed by its own diagonal block. */
function startVector(t: usize, n: i32, k: i32, lr: f64, li: f64, xt: usize): void {
  const xr = at(xt, k * n);
  if (li == 0) {
    store<f64>(at(xr, k), 1);
    return;
  }
  const xi = at(xt, (k + 1) * n);
  const k1 = k + 1;
  const a = load<f64>(at(t, k * n + k)), b = load<f64>(at(t, k * n + k1));
  const c = load<f64>(at(t, k1 * n + k)), d = load<f64>(at(t, k1 * n + k1));
  // Fix the last two components from the row of the 2×2 block with the larger off-diagonal.
  if (abs(b) >= abs(c)) {
    store<f64>(at(xr, k), 1);
    store<f64>(at(xr, k1), (lr - a) / b);
    store<f64>(at(xi, k1), li / b);
  } else {
    store<f64>(at(xr, k1), 1);
    store<f64>(at(xr, k), (lr - d) / c);
    store<f64>(at(xi, k), li / c);
  }
}

/** Real vector k: solves for the components of the diagonal block of T ending at row i. */
function realStep(t: usize, n: i32, i: i32, two: bool, k: i32, lam: f64, xt: usize, small: f64): void {
  const x = at(xt, k * n);
  if (two) {
    // 2×2 block on rows i−1, i (a complex pair of T, not of λ): a real 2×2 solve.
    const i0 = i - 1;
    const r1 = negRowDot(t, n, i0, k, x);
    const r2 = negRowDot(t, n, i, k, x);
    solve2(
      load<f64>(at(t, i0 * n + i0)), load<f64>(at(t, i0 * n + i)),
      load<f64>(at(t, i * n + i0)), load<f64>(at(t, i * n + i)),
      lam, 0, r1, 0, r2, 0, small,
    );
    store<f64>(at(x, i0), o0);
    store<f64>(at(x, i), o2);
    guardOverflow(x, 0, i0, k, max(abs(o0), abs(o2)));
  } else {
    const r = negRowDot(t, n, i, k, x);
    let den = load<f64>(at(t, i * n + i)) - lam;
    if (den == 0) den = small;
    const v = r / den;
    store<f64>(at(x, i), v);
    guardOverflow(x, 0, i, k, abs(v));
  }
}

/** Complex vector of the pair at (k, k+1), rows k (Re) and k+1 (Im) of xt: one block of T. */
function complexStep(t: usize, n: i32, i: i32, two: bool, k: i32, lr: f64, li: f64, xt: usize, small: f64): void {
  const xr = at(xt, k * n);
  const xi = at(xt, (k + 1) * n);
  const k1 = k + 1;
  if (two) {
    const i0 = i - 1;
    const r1r = negRowDot(t, n, i0, k1, xr), r1i = negRowDot(t, n, i0, k1, xi);
    const r2r = negRowDot(t, n, i, k1, xr), r2i = negRowDot(t, n, i, k1, xi);
    solve2(
      load<f64>(at(t, i0 * n + i0)), load<f64>(at(t, i0 * n + i)),
      load<f64>(at(t, i * n + i0)), load<f64>(at(t, i * n + i)),
      lr, li, r1r, r1i, r2r, r2i, small,
    );
    store<f64>(at(xr, i0), o0);
    store<f64>(at(xi, i0), o1);
    store<f64>(at(xr, i), o2);
    store<f64>(at(xi, i), o3);
    guardOverflow(xr, xi, i0, k1, max(max(abs(o0), abs(o1)), max(abs(o2), abs(o3))));
  } else {
    const rr = negRowDot(t, n, i, k1, xr);
    const ri = negRowDot(t, n, i, k1, xi);
    cdiv(rr, ri, load<f64>(at(t, i * n + i)) - lr, -li);
    store<f64>(at(xr, i), o0);
    store<f64>(at(xi, i), o1);
    guardOverflow(xr, xi, i, k1, max(abs(o0), abs(o1)));
  }
}

/** Rows per block of `invertBlockLower` (the rest of the work is one GEMM per block). */
const INV_BLOCK: i32 = 64;

/**
 * m (n×n) ← xt⁻¹ for the block lower-triangular xt that `schurVectors` produces (1×1 diagonal
 * blocks, 2×2 where wi[k] > 0), by blocked forward substitution on rows:
 * M_I = X_II⁻¹·(E_I − X_{I,<I}·M_{<I}). The coupling to earlier rows is one GEMM per block of
 * rows; inside a block, rows are substituted one by one. A zero pivot is not guarded: the host
 * detects the resulting non-finite entries (SINGULAR).
 */
export function invertBlockLower(n: i32, xt: usize, wi: usize, m: usize, work: usize, workBytes: i32): void {
  memory.fill(m, 0, (<usize>n * <usize>n) << 3);
  let i0 = 0;
  while (i0 < n) {
    let i1 = min(n, i0 + INV_BLOCK);
    if (i1 < n && load<f64>(at(wi, i1 - 1)) > 0) i1++; // keep a 2×2 block whole
    for (let r = i0; r < i1; r++) store<f64>(at(m, r * n + r), 1);
    // Earlier rows of M vanish from column i0 on, so only M[0:i0, 0:i0] couples.
    if (i0 > 0) mm(0, 0, i1 - i0, i0, i0, -1.0, at(xt, i0 * n), n, m, n, 1.0, at(m, i0 * n), n, work, workBytes);
    let i = i0;
    while (i < i1) {
      const two = load<f64>(at(wi, i)) > 0 && i + 1 < n;
      const top = i + (two ? 2 : 1); // rows i..top−1 of M have entries in columns < top
      for (let r = i; r < top; r++) {
        const mr = at(m, r * n);
        const xr = at(xt, r * n);
        let j = i0;
        while (j < i) {
          // Row j of M is non-zero in columns ≤ j (or ≤ j+1 inside a 2×2 block).
          const jt = load<f64>(at(wi, j)) > 0 ? j + 2 : j + 1;
          for (let q = j; q < jt; q++) axpy(jt, -load<f64>(at(xr, q)), at(m, q * n), mr);
          j = jt;
        }
      }
      if (!two) {
        const inv = 1 / load<f64>(at(xt, i * n + i));
        const mr = at(m, i * n);
        for (let c = 0; c <= i; c++) store<f64>(at(mr, c), load<f64>(at(mr, c)) * inv);
      } else {
        solveRows2(n, xt, m, i, top);
      }
      i = top;
    }
    i0 = i1;
  }
}

/**
 * [M_i; M_i+1] ← B⁻¹·[M_i; M_i+1] over columns < top, B the 2×2 diagonal block of xt at i; the
 * equations are swapped when that gives the larger pivot (the unknowns keep their rows).
 */
function solveRows2(n: i32, xt: usize, m: usize, i: i32, top: i32): void {
  const a = load<f64>(at(xt, i * n + i)), b = load<f64>(at(xt, i * n + i + 1));
  const c = load<f64>(at(xt, (i + 1) * n + i)), d = load<f64>(at(xt, (i + 1) * n + i + 1));
  const swap = abs(c) > abs(a);
  const pa = swap ? c : a, pb = swap ? d : b, qa = swap ? a : c, qb = swap ? b : d;
  const f = qa / pa;
  const dd = qb - f * pb;
  const m0 = at(m, i * n), m1 = at(m, (i + 1) * n);
  for (let col = 0; col < top; col++) {
    const e0 = load<f64>(at(swap ? m1 : m0, col));
    const e1 = load<f64>(at(swap ? m0 : m1, col));
    const u1 = (e1 - f * e0) / dd;
    store<f64>(at(m1, col), u1);
    store<f64>(at(m0, col), (e0 - pb * u1) / pa);
  }
}
