// Kernels for the symmetric eigensolver (src/linalg/wasm/tridiag.ts drives them).
//
// The tridiagonal reduction keeps its symmetric matrix in the UPPER triangle of a row-major
// buffer, i.e. LAPACK's lower-triangle column-major layout: the part of "column k" below the
// diagonal is then row k right of the diagonal, contiguous, which is where each Householder
// vector is built and stored.

import { madd, hsum } from './simd';
import { scaleVector } from './blas2';

/**
 * y ← alpha·A·x + beta·y for symmetric n×n A, reading only the upper triangle (j ≥ i) of
 * row-major A. Four rows per pass: each loaded x and y pair then feeds eight multiply-adds
 * instead of two, which is what bounds this memory-bound loop.
 */
export function symvUpper(n: i32, alpha: f64, a: usize, lda: i32, x: usize, beta: f64, y: usize): void {
  if (n <= 0) return;
  scaleVector(n, beta, y);
  if (alpha == 0.0) return;
  const ld = <usize>lda << 3;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const r0 = a + <usize>i * ld;
    const r1 = r0 + ld;
    const r2 = r1 + ld;
    const r3 = r2 + ld;
    const xi = x + (<usize>i << 3);
    const yi = y + (<usize>i << 3);
    const x0 = alpha * load<f64>(xi);
    const x1 = alpha * load<f64>(xi, 8);
    const x2 = alpha * load<f64>(xi, 16);
    const x3 = alpha * load<f64>(xi, 24);
    // The 4×4 diagonal block, upper part only.
    const ax0 = load<f64>(xi), ax1 = load<f64>(xi, 8), ax2 = load<f64>(xi, 16), ax3 = load<f64>(xi, 24);
    const o = <usize>i << 3;
    const a00 = load<f64>(r0 + o), a01 = load<f64>(r0 + o, 8), a02 = load<f64>(r0 + o, 16), a03 = load<f64>(r0 + o, 24);
    const a11 = load<f64>(r1 + o, 8), a12 = load<f64>(r1 + o, 16), a13 = load<f64>(r1 + o, 24);
    const a22 = load<f64>(r2 + o, 16), a23 = load<f64>(r2 + o, 24);
    const a33 = load<f64>(r3 + o, 24);
    let s0 = a00 * ax0 + a01 * ax1 + a02 * ax2 + a03 * ax3;
    let s1 = a01 * ax0 + a11 * ax1 + a12 * ax2 + a13 * ax3;
    let s2 = a02 * ax0 + a12 * ax1 + a22 * ax2 + a23 * ax3;
    let s3 = a03 * ax0 + a13 * ax1 + a23 * ax2 + a33 * ax3;
    const v0 = f64x2.splat(x0), v1 = f64x2.splat(x1), v2 = f64x2.splat(x2), v3 = f64x2.splat(x3);
    let t0 = f64x2.splat(0), t1 = f64x2.splat(0), t2 = f64x2.splat(0), t3 = f64x2.splat(0);
    let j = i + 4;
    for (; j + 1 < n; j += 2) {
      const oj = <usize>j << 3;
      const xv = v128.load(x + oj);
      const b0 = v128.load(r0 + oj);
      const b1 = v128.load(r1 + oj);
      const b2 = v128.load(r2 + oj);
      const b3 = v128.load(r3 + oj);
      let yv = v128.load(y + oj);
      yv = madd(v0, b0, yv);
      yv = madd(v1, b1, yv);
      yv = madd(v2, b2, yv);
      yv = madd(v3, b3, yv);
      v128.store(y + oj, yv);
      t0 = madd(b0, xv, t0);
      t1 = madd(b1, xv, t1);
      t2 = madd(b2, xv, t2);
      t3 = madd(b3, xv, t3);
    }
    s0 += hsum(t0);
    s1 += hsum(t1);
    s2 += hsum(t2);
    s3 += hsum(t3);
    if (j < n) {
      const oj = <usize>j << 3;
      const xj = load<f64>(x + oj);
      const b0 = load<f64>(r0 + oj), b1 = load<f64>(r1 + oj), b2 = load<f64>(r2 + oj), b3 = load<f64>(r3 + oj);
      store<f64>(y + oj, load<f64>(y + oj) + x0 * b0 + x1 * b1 + x2 * b2 + x3 * b3);
      s0 += b0 * xj;
      s1 += b1 * xj;
      s2 += b2 * xj;
      s3 += b3 * xj;
    }
    store<f64>(yi, load<f64>(yi) + alpha * s0);
    store<f64>(yi, load<f64>(yi, 8) + alpha * s1, 8);
    store<f64>(yi, load<f64>(yi, 16) + alpha * s2, 16);
    store<f64>(yi, load<f64>(yi, 24) + alpha * s3, 24);
  }
  for (; i < n; i++) {
    const r = a + <usize>i * ld;
    const xi = load<f64>(x + (<usize>i << 3));
    const ax = alpha * xi;
    let s = load<f64>(r + (<usize>i << 3)) * xi;
    for (let j = i + 1; j < n; j++) {
      const oj = <usize>j << 3;
      const b = load<f64>(r + oj);
      store<f64>(y + oj, load<f64>(y + oj) + ax * b);
      s += b * load<f64>(x + oj);
    }
    const yp = y + (<usize>i << 3);
    store<f64>(yp, load<f64>(yp) + alpha * s);
  }
}

// ---- divide and conquer (src/linalg/wasm/tridiag-dc.ts) ------------------------------------

/**
 * The secular function's two halves at x: out[0] = ψ = Σ_{j≤ip} z_j²/(δ_j − x), out[1] = ψ′,
 * out[2] = φ (the same over j > ip), out[3] = φ′.
 */
export function secularSums(k: i32, delta: usize, z: usize, x: f64, ip: i32, out: usize): void {
  const xv = f64x2.splat(x);
  let ps = f64x2.splat(0), dps = f64x2.splat(0);
  const split = ip + 1;
  let j = 0;
  for (; j + 1 < split; j += 2) {
    const o = <usize>j << 3;
    const zv = v128.load(z + o);
    const t = f64x2.div(zv, f64x2.sub(v128.load(delta + o), xv));
    ps = madd(zv, t, ps);
    dps = madd(t, t, dps);
  }
  let psi = hsum(ps), dpsi = hsum(dps);
  if (j < split) {
    const o = <usize>j << 3;
    const zj = load<f64>(z + o);
    const t = zj / (load<f64>(delta + o) - x);
    psi += zj * t;
    dpsi += t * t;
    j++;
  }
  let ph = f64x2.splat(0), dph = f64x2.splat(0);
  for (; j + 1 < k; j += 2) {
    const o = <usize>j << 3;
    const zv = v128.load(z + o);
    const t = f64x2.div(zv, f64x2.sub(v128.load(delta + o), xv));
    ph = madd(zv, t, ph);
    dph = madd(t, t, dph);
  }
  let phi = hsum(ph), dphi = hsum(dph);
  if (j < k) {
    const o = <usize>j << 3;
    const zj = load<f64>(z + o);
    const t = zj / (load<f64>(delta + o) - x);
    phi += zj * t;
    dphi += t * t;
  }
  store<f64>(out, psi);
  store<f64>(out, dpsi, 8);
  store<f64>(out, phi, 16);
  store<f64>(out, dphi, 24);
}

/**
 * Löwner's formula for the z that makes the computed roots exact:
 * ẑ_j² = (λ_{K−1} − d_j)/ρ · Π_{i<j} (λ_i − d_j)/(d_i − d_j) · Π_{i>j} (λ_{i−1} − d_j)/(d_i − d_j),
 * with λ_i − d_j = −((d_j − dorg_i) − τ_i); every factor lies in (0, 1]. Sign taken from z.
 */
export function loewner(k: i32, d: usize, dorg: usize, tau: usize, z: usize, rho: f64, zh: usize): void {
  for (let j = 0; j < k; j++) {
    const dj = load<f64>(d + (<usize>j << 3));
    const djv = f64x2.splat(dj);
    const last = <usize>(k - 1) << 3;
    let p = -(dj - load<f64>(dorg + last) - load<f64>(tau + last)) / rho;
    let pv = f64x2.splat(1);
    let i = 0;
    for (; i + 1 < j; i += 2) {
      const o = <usize>i << 3;
      const num = f64x2.sub(f64x2.sub(djv, v128.load(dorg + o)), v128.load(tau + o));
      pv = f64x2.mul(pv, f64x2.div(num, f64x2.sub(djv, v128.load(d + o))));
    }
    if (i < j) {
      const o = <usize>i << 3;
      p *= (dj - load<f64>(dorg + o) - load<f64>(tau + o)) / (dj - load<f64>(d + o));
    }
    // i > j: factor −((d_j − dorg_{i−1}) − τ_{i−1})/(d_i − d_j).
    i = j + 1;
    for (; i + 1 < k; i += 2) {
      const o = <usize>i << 3;
      const num = f64x2.sub(f64x2.sub(v128.load(dorg + o - 8), djv), f64x2.neg(v128.load(tau + o - 8)));
      pv = f64x2.mul(pv, f64x2.div(num, f64x2.sub(v128.load(d + o), djv)));
    }
    if (i < k) {
      const o = <usize>i << 3;
      p *= -(dj - load<f64>(dorg + o - 8) - load<f64>(tau + o - 8)) / (load<f64>(d + o) - dj);
    }
    p *= f64x2.extract_lane(pv, 0) * f64x2.extract_lane(pv, 1);
    const s = sqrt<f64>(max(p, 0.0));
    store<f64>(zh + (<usize>j << 3), load<f64>(z + (<usize>j << 3)) < 0 ? -s : s);
  }
}

/**
 * Eigenvectors of D + ρzzᵀ as the columns of the K×K row-major U: row r (d_j, j = order[r]) gets
 * ẑ_j/((d_j − dorg_i) − τ_i) in column i; then every column is scaled to unit length.
 */
export function rankOneVectors(k: i32, order: usize, d: usize, dorg: usize, tau: usize, zh: usize, u: usize, norm: usize): void {
  memory.fill(norm, 0, <usize>k << 3);
  const ld = <usize>k << 3;
  for (let r = 0; r < k; r++) {
    const j = load<i32>(order + (<usize>r << 2));
    const dj = load<f64>(d + (<usize>j << 3));
    const djv = f64x2.splat(dj);
    const zv = f64x2.splat(load<f64>(zh + (<usize>j << 3)));
    const row = u + <usize>r * ld;
    let i = 0;
    for (; i + 1 < k; i += 2) {
      const o = <usize>i << 3;
      const den = f64x2.sub(f64x2.sub(djv, v128.load(dorg + o)), v128.load(tau + o));
      const v = f64x2.div(zv, den);
      v128.store(row + o, v);
      v128.store(norm + o, madd(v, v, v128.load(norm + o)));
    }
    if (i < k) {
      const o = <usize>i << 3;
      const v = f64x2.extract_lane(zv, 0) / (dj - load<f64>(dorg + o) - load<f64>(tau + o));
      store<f64>(row + o, v);
      store<f64>(norm + o, load<f64>(norm + o) + v * v);
    }
  }
  for (let i = 0; i < k; i++) {
    const o = <usize>i << 3;
    store<f64>(norm + o, 1.0 / sqrt<f64>(load<f64>(norm + o)));
  }
  for (let r = 0; r < k; r++) {
    const row = u + <usize>r * ld;
    let i = 0;
    for (; i + 1 < k; i += 2) {
      const o = <usize>i << 3;
      v128.store(row + o, f64x2.mul(v128.load(row + o), v128.load(norm + o)));
    }
    if (i < k) {
      const o = <usize>i << 3;
      store<f64>(row + o, load<f64>(row + o) * load<f64>(norm + o));
    }
  }
}

/** dst[r][c] = src[r][idx[c]] for r < rows, c < count (row-major, ld in elements). */
export function gatherColumns(rows: i32, src: usize, lds: i32, idx: usize, count: i32, dst: usize, ldd: i32): void {
  const ls = <usize>lds << 3;
  const lt = <usize>ldd << 3;
  for (let r = 0; r < rows; r++) {
    const s = src + <usize>r * ls;
    const t = dst + <usize>r * lt;
    for (let c = 0; c < count; c++) {
      store<f64>(t + (<usize>c << 3), load<f64>(s + (<usize>load<i32>(idx + (<usize>c << 2)) << 3)));
    }
  }
}
