// Level-2 kernels, row-major, byte-address pointers, leading dimensions in elements.
// These are memory-bound: the point of each loop shape is to touch every matrix element once.
//
// Symmetric storage used here:
//  - full: an n×n row-major matrix; `symv` reads only its lower triangle (j ≤ i), `syr` updates
//    both triangles and keeps them bitwise equal (each a_ij gets alpha·(x_i·x_j), a commutative product).
//  - packed: the lower triangle row by row, element (i, j ≤ i) at index i(i+1)/2 + j
//    (the same bytes as LAPACK's upper-packed column-major 'U' layout).

import { madd, hsum } from './simd';

/** y ← alpha·op(A)·x + beta·y. A is m×n; trans = 0: y has m entries, trans = 1: y has n. */
export function gemv(trans: i32, m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void {
  const ylen = trans ? n : m;
  if (ylen <= 0) return;
  if (alpha == 0.0 || (trans ? m : n) <= 0) {
    scaleVector(ylen, beta, y);
    return;
  }
  if (trans) gemvT(m, n, alpha, a, lda, x, beta, y);
  else gemvN(m, n, alpha, a, lda, x, beta, y);
}

export function scaleVector(n: i32, beta: f64, y: usize): void {
  if (beta == 1.0) return;
  if (beta == 0.0) {
    memory.fill(y, 0, <usize>n << 3);
    return;
  }
  for (let i = 0; i < n; i++) store<f64>(y + (<usize>i << 3), beta * load<f64>(y + (<usize>i << 3)));
}

// @ts-ignore: decorator
@inline function finishRow(s: f64, alpha: f64, beta: f64, yp: usize): void {
  store<f64>(yp, beta == 0.0 ? alpha * s : alpha * s + beta * load<f64>(yp));
}

/** Four rows at a time, so every load of x feeds four dot products. */
function gemvN(m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void {
  const ld = <usize>lda << 3;
  const n2 = n & ~1;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const r0 = a + <usize>i * ld;
    const r1 = r0 + ld;
    const r2 = r1 + ld;
    const r3 = r2 + ld;
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    for (let j = 0; j < n2; j += 2) {
      const o = <usize>j << 3;
      const xv = v128.load(x + o);
      s0 = madd(v128.load(r0 + o), xv, s0);
      s1 = madd(v128.load(r1 + o), xv, s1);
      s2 = madd(v128.load(r2 + o), xv, s2);
      s3 = madd(v128.load(r3 + o), xv, s3);
    }
    let t0 = hsum(s0), t1 = hsum(s1), t2 = hsum(s2), t3 = hsum(s3);
    if (n2 < n) {
      const o = <usize>n2 << 3;
      const xv = load<f64>(x + o);
      t0 += load<f64>(r0 + o) * xv;
      t1 += load<f64>(r1 + o) * xv;
      t2 += load<f64>(r2 + o) * xv;
      t3 += load<f64>(r3 + o) * xv;
    }
    const yp = y + (<usize>i << 3);
    finishRow(t0, alpha, beta, yp);
    finishRow(t1, alpha, beta, yp + 8);
    finishRow(t2, alpha, beta, yp + 16);
    finishRow(t3, alpha, beta, yp + 24);
  }
  for (; i < m; i++) {
    const r = a + <usize>i * ld;
    let s = f64x2.splat(0);
    for (let j = 0; j < n2; j += 2) s = madd(v128.load(r + (<usize>j << 3)), v128.load(x + (<usize>j << 3)), s);
    let t = hsum(s);
    if (n2 < n) t += load<f64>(r + (<usize>n2 << 3)) * load<f64>(x + (<usize>n2 << 3));
    finishRow(t, alpha, beta, y + (<usize>i << 3));
  }
}

/** y ← beta·y, then y += Σ_i (alpha·x_i)·A[i,:], four rows per pass over y. */
function gemvT(m: i32, n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void {
  scaleVector(n, beta, y);
  const ld = <usize>lda << 3;
  const n2 = n & ~1;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const r0 = a + <usize>i * ld;
    const r1 = r0 + ld;
    const r2 = r1 + ld;
    const r3 = r2 + ld;
    const xp = x + (<usize>i << 3);
    const k0 = alpha * load<f64>(xp);
    const k1 = alpha * load<f64>(xp, 8);
    const k2 = alpha * load<f64>(xp, 16);
    const k3 = alpha * load<f64>(xp, 24);
    const v0 = f64x2.splat(k0), v1 = f64x2.splat(k1), v2 = f64x2.splat(k2), v3 = f64x2.splat(k3);
    for (let j = 0; j < n2; j += 2) {
      const o = <usize>j << 3;
      let acc = v128.load(y + o);
      acc = madd(v0, v128.load(r0 + o), acc);
      acc = madd(v1, v128.load(r1 + o), acc);
      acc = madd(v2, v128.load(r2 + o), acc);
      acc = madd(v3, v128.load(r3 + o), acc);
      v128.store(y + o, acc);
    }
    if (n2 < n) {
      const o = <usize>n2 << 3;
      store<f64>(y + o, load<f64>(y + o) + k0 * load<f64>(r0 + o) + k1 * load<f64>(r1 + o) + k2 * load<f64>(r2 + o) + k3 * load<f64>(r3 + o));
    }
  }
  for (; i < m; i++) {
    const r = a + <usize>i * ld;
    const k = alpha * load<f64>(x + (<usize>i << 3));
    const kv = f64x2.splat(k);
    for (let j = 0; j < n2; j += 2) {
      const o = <usize>j << 3;
      v128.store(y + o, madd(kv, v128.load(r + o), v128.load(y + o)));
    }
    if (n2 < n) {
      const o = <usize>n2 << 3;
      store<f64>(y + o, load<f64>(y + o) + k * load<f64>(r + o));
    }
  }
}

// @ts-ignore: decorator
@inline function rowStart(a: usize, lda: i32, packed: bool, i: i32): usize {
  return packed ? a + (<usize>(i * (i + 1) / 2) << 3) : a + (<usize>i * <usize>lda << 3);
}

/**
 * y ← alpha·A·x + beta·y for symmetric A, reading only the lower triangle: each a_ij (j < i) is
 * used twice (y_j += a_ij x_i and y_i += a_ij x_j), so A is streamed once instead of twice.
 */
function symmetricMv(n: i32, alpha: f64, a: usize, lda: i32, packed: bool, x: usize, beta: f64, y: usize): void {
  if (n <= 0) return;
  scaleVector(n, beta, y);
  if (alpha == 0.0) return;
  for (let i = 0; i < n; i++) {
    const row = rowStart(a, lda, packed, i);
    const t1 = alpha * load<f64>(x + (<usize>i << 3));
    const t1v = f64x2.splat(t1);
    let t2v = f64x2.splat(0);
    const i2 = i & ~1;
    for (let j = 0; j < i2; j += 2) {
      const o = <usize>j << 3;
      const av = v128.load(row + o);
      v128.store(y + o, madd(t1v, av, v128.load(y + o)));
      t2v = madd(av, v128.load(x + o), t2v);
    }
    let t2 = hsum(t2v);
    if (i2 < i) {
      const o = <usize>i2 << 3;
      const av = load<f64>(row + o);
      store<f64>(y + o, load<f64>(y + o) + t1 * av);
      t2 += av * load<f64>(x + o);
    }
    const yi = y + (<usize>i << 3);
    store<f64>(yi, load<f64>(yi) + t1 * load<f64>(row + (<usize>i << 3)) + alpha * t2);
  }
}

/** y ← alpha·A·x + beta·y, A symmetric n×n in full storage (lower triangle read). */
export function symv(n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void {
  symmetricMv(n, alpha, a, lda, false, x, beta, y);
}

/** y ← alpha·A·x + beta·y, A symmetric in lower packed storage. */
export function spmv(n: i32, alpha: f64, ap: usize, x: usize, beta: f64, y: usize): void {
  symmetricMv(n, alpha, ap, 0, true, x, beta, y);
}

/**
 * a_ij ← a_ij + alpha·(x_i·x_j) over `len` entries of one row. The odd last entry goes through
 * a one-lane vector op so that it rounds exactly like the paired entries (FMA or not), which is
 * what keeps the two triangles of a full matrix bitwise equal.
 */
// @ts-ignore: decorator
@inline function rank1Row(row: usize, len: i32, alpha: f64, xi: f64, x: usize): void {
  const av = f64x2.splat(alpha);
  const xv = f64x2.splat(xi);
  const l2 = len & ~1;
  for (let j = 0; j < l2; j += 2) {
    const o = <usize>j << 3;
    v128.store(row + o, madd(av, f64x2.mul(xv, v128.load(x + o)), v128.load(row + o)));
  }
  if (l2 < len) {
    const o = <usize>l2 << 3;
    const r = madd(av, f64x2.mul(xv, v128.load64_splat(x + o)), v128.load64_splat(row + o));
    v128.store64_lane(row + o, r, 0);
  }
}

/** A ← A + alpha·x·xᵀ on a full symmetric n×n matrix (both triangles; FORCE: alpha = −1/c, x = P·r). */
export function syr(n: i32, alpha: f64, x: usize, a: usize, lda: i32): void {
  if (alpha == 0.0) return;
  for (let i = 0; i < n; i++) rank1Row(rowStart(a, lda, false, i), n, alpha, load<f64>(x + (<usize>i << 3)), x);
}

/** A ← A + alpha·x·xᵀ on lower packed storage. */
export function spr(n: i32, alpha: f64, x: usize, ap: usize): void {
  if (alpha == 0.0) return;
  for (let i = 0; i < n; i++) rank1Row(rowStart(ap, 0, true, i), i + 1, alpha, load<f64>(x + (<usize>i << 3)), x);
}
