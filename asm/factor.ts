// Leaf kernels of the blocked/recursive factorisations in src/linalg/wasm/factor.ts and qr.ts.
// The recursion and the GEMM updates live in the host; these are the small, Level-2 pieces that
// run on narrow panels or small triangles, row-major, byte-address pointers, ld in elements.

import { madd, hsum } from './simd';

/** row[0..len) −= l·src[0..len) */
// @ts-ignore: decorator
@inline function axpyNeg(len: i32, l: f64, src: usize, row: usize): void {
  const lv = f64x2.splat(-l);
  let j = 0;
  for (; j + 1 < len; j += 2) {
    const o = <usize>j << 3;
    v128.store(row + o, madd(lv, v128.load(src + o), v128.load(row + o)));
  }
  if (j < len) {
    const o = <usize>j << 3;
    store<f64>(row + o, load<f64>(row + o) - l * load<f64>(src + o));
  }
}

// @ts-ignore: decorator
@inline function dot(len: i32, x: usize, y: usize): f64 {
  let s = f64x2.splat(0);
  let j = 0;
  for (; j + 1 < len; j += 2) {
    const o = <usize>j << 3;
    s = madd(v128.load(x + o), v128.load(y + o), s);
  }
  let t = hsum(s);
  if (j < len) t += load<f64>(x + (<usize>j << 3)) * load<f64>(y + (<usize>j << 3));
  return t;
}

function swapRows(p: usize, q: usize, len: i32): void {
  let j = 0;
  for (; j + 1 < len; j += 2) {
    const o = <usize>j << 3;
    const t = v128.load(p + o);
    v128.store(p + o, v128.load(q + o));
    v128.store(q + o, t);
  }
  if (j < len) {
    const o = <usize>j << 3;
    const t = load<f64>(p + o);
    store<f64>(p + o, load<f64>(q + o));
    store<f64>(q + o, t);
  }
}

/**
 * Unblocked LU with partial pivoting of the m×w panel whose top-left is (r0, c0) of the row-major
 * matrix a (ld = lda). Pivoting swaps whole rows (rowLen entries from column 0) and the matching
 * entries of the i32 array piv, so the matrix always holds PA; the panel's own columns are
 * eliminated, everything right of it is left to the caller's TRSM/GEMM. The first largest |a| wins
 * (as in the TS reference); a zero pivot column is skipped. Returns the number of row swaps.
 */
export function luPanel(a: usize, lda: i32, rowLen: i32, r0: i32, c0: i32, m: i32, w: i32, piv: usize): i32 {
  const ld = <usize>lda << 3;
  let swaps = 0;
  const end = r0 + m;
  for (let j = 0; j < w && j < m; j++) {
    const row = r0 + j;
    const co = <usize>(c0 + j) << 3;
    let p = row;
    let mx = abs<f64>(load<f64>(a + <usize>row * ld + co));
    for (let i = row + 1; i < end; i++) {
      const v = abs<f64>(load<f64>(a + <usize>i * ld + co));
      if (v > mx) {
        mx = v;
        p = i;
      }
    }
    if (p != row) {
      swapRows(a + <usize>row * ld, a + <usize>p * ld, rowLen);
      const pr = piv + (<usize>row << 2);
      const pp = piv + (<usize>p << 2);
      const t = load<i32>(pr);
      store<i32>(pr, load<i32>(pp));
      store<i32>(pp, t);
      swaps++;
    }
    const prow = a + <usize>row * ld + co;
    const pivot = load<f64>(prow);
    if (pivot == 0.0) continue;
    const rest = w - j - 1;
    for (let i = row + 1; i < end; i++) {
      const ri = a + <usize>i * ld + co;
      const l = load<f64>(ri) / pivot;
      store<f64>(ri, l);
      if (l != 0.0) axpyNeg(rest, l, prow + 8, ri + 8);
    }
  }
  return swaps;
}

/**
 * B ← L⁻¹·B for unit lower-triangular w×w L and w×q B (left side). Rows of B are updated two
 * source rows at a time so each target row is loaded and stored half as often.
 */
export function trsmLowerUnit(w: i32, q: i32, l: usize, ldl: i32, b: usize, ldb: i32): void {
  const ll = <usize>ldl << 3;
  const lb = <usize>ldb << 3;
  for (let i = 1; i < w; i++) {
    const ri = b + <usize>i * lb;
    const li = l + <usize>i * ll;
    let p = 0;
    for (; p + 1 < i; p += 2) {
      const c0 = f64x2.splat(-load<f64>(li + (<usize>p << 3)));
      const c1 = f64x2.splat(-load<f64>(li + (<usize>p << 3), 8));
      const s0 = b + <usize>p * lb;
      const s1 = s0 + lb;
      let j = 0;
      for (; j + 1 < q; j += 2) {
        const o = <usize>j << 3;
        v128.store(ri + o, madd(c1, v128.load(s1 + o), madd(c0, v128.load(s0 + o), v128.load(ri + o))));
      }
      if (j < q) {
        const o = <usize>j << 3;
        store<f64>(ri + o, load<f64>(ri + o) + f64x2.extract_lane(c0, 0) * load<f64>(s0 + o) + f64x2.extract_lane(c1, 0) * load<f64>(s1 + o));
      }
    }
    if (p < i) axpyNeg(q, load<f64>(li + (<usize>p << 3)), b + <usize>p * lb, ri);
  }
}

/** B ← U⁻¹·B for non-unit upper-triangular w×w U and w×q B (left side); divides like the TS reference. */
export function trsmUpper(w: i32, q: i32, u: usize, ldu: i32, b: usize, ldb: i32): void {
  const lu = <usize>ldu << 3;
  const lb = <usize>ldb << 3;
  for (let i = w - 1; i >= 0; i--) {
    const ri = b + <usize>i * lb;
    const ui = u + <usize>i * lu;
    for (let p = i + 1; p < w; p++) {
      const c = load<f64>(ui + (<usize>p << 3));
      if (c != 0.0) axpyNeg(q, c, b + <usize>p * lb, ri);
    }
    const d = load<f64>(ui + (<usize>i << 3));
    for (let j = 0; j < q; j++) {
      const o = <usize>j << 3;
      store<f64>(ri + o, load<f64>(ri + o) / d);
    }
  }
}

/**
 * In-place Cholesky (row by row, dot-product form) of the m×m lower triangle at a. Returns −1, or
 * the local index of the first pivot that is not > 0, whose value is then stored at `bad`.
 */
export function choleskyLeaf(m: i32, a: usize, lda: i32, bad: usize): i32 {
  const ld = <usize>lda << 3;
  for (let i = 0; i < m; i++) {
    const ri = a + <usize>i * ld;
    for (let j = 0; j <= i; j++) {
      const rj = a + <usize>j * ld;
      const s = load<f64>(ri + (<usize>j << 3)) - dot(j, ri, rj);
      if (i == j) {
        if (!(s > 0.0)) {
          store<f64>(bad, s);
          return i;
        }
        store<f64>(ri + (<usize>i << 3), sqrt<f64>(s));
      } else {
        store<f64>(ri + (<usize>j << 3), s / load<f64>(rj + (<usize>j << 3)));
      }
    }
  }
  return -1;
}

/**
 * B ← B·L⁻ᵀ for lower-triangular w×w L and q×w B: a forward substitution along each row of B,
 * four rows at a time so every loaded piece of L feeds four dot products.
 */
export function trsmRightLowerT(w: i32, q: i32, l: usize, ldl: i32, b: usize, ldb: i32): void {
  const ll = <usize>ldl << 3;
  const lb = <usize>ldb << 3;
  let r = 0;
  for (; r + 3 < q; r += 4) {
    const r0 = b + <usize>r * lb;
    const r1 = r0 + lb;
    const r2 = r1 + lb;
    const r3 = r2 + lb;
    for (let j = 0; j < w; j++) {
      const lj = l + <usize>j * ll;
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
      let p = 0;
      for (; p + 1 < j; p += 2) {
        const o = <usize>p << 3;
        const lv = v128.load(lj + o);
        s0 = madd(lv, v128.load(r0 + o), s0);
        s1 = madd(lv, v128.load(r1 + o), s1);
        s2 = madd(lv, v128.load(r2 + o), s2);
        s3 = madd(lv, v128.load(r3 + o), s3);
      }
      let t0 = hsum(s0), t1 = hsum(s1), t2 = hsum(s2), t3 = hsum(s3);
      if (p < j) {
        const o = <usize>p << 3;
        const lp = load<f64>(lj + o);
        t0 += lp * load<f64>(r0 + o);
        t1 += lp * load<f64>(r1 + o);
        t2 += lp * load<f64>(r2 + o);
        t3 += lp * load<f64>(r3 + o);
      }
      const o = <usize>j << 3;
      const d = load<f64>(lj + o);
      store<f64>(r0 + o, (load<f64>(r0 + o) - t0) / d);
      store<f64>(r1 + o, (load<f64>(r1 + o) - t1) / d);
      store<f64>(r2 + o, (load<f64>(r2 + o) - t2) / d);
      store<f64>(r3 + o, (load<f64>(r3 + o) - t3) / d);
    }
  }
  for (; r < q; r++) {
    const row = b + <usize>r * lb;
    for (let j = 0; j < w; j++) {
      const lj = l + <usize>j * ll;
      const o = <usize>j << 3;
      store<f64>(row + o, (load<f64>(row + o) - dot(j, lj, row)) / load<f64>(lj + o));
    }
  }
}

/**
 * Unblocked Householder QR of the m×kb panel at a (row-major, ld = lda): reflector j zeroes column
 * j below the diagonal, v (with implicit leading 1) is stored there, beta on the diagonal and tau
 * at tau[j], exactly the TS reference's makeReflector convention (beta = −sign(x₀)·‖x‖, H = I when
 * the tail is zero). Each reflector is applied to the panel's remaining columns through `work`
 * (kb doubles): w = vᵀ·rows, rows −= tau·v·wᵀ, so every access is along contiguous row segments.
 */
export function qrPanel(a: usize, lda: i32, m: i32, kb: i32, tau: usize, work: usize): void {
  const ld = <usize>lda << 3;
  for (let j = 0; j < kb && j < m; j++) {
    const top = a + <usize>j * ld + (<usize>j << 3);
    const count = m - j;
    let scale: f64 = 0;
    for (let i = 1; i < count; i++) scale = max(scale, abs<f64>(load<f64>(top + <usize>i * ld)));
    if (scale == 0.0) {
      store<f64>(tau + (<usize>j << 3), 0);
      continue;
    }
    let ss: f64 = 0;
    for (let i = 1; i < count; i++) {
      const t = load<f64>(top + <usize>i * ld) / scale;
      ss += t * t;
    }
    const alpha = load<f64>(top);
    const sigma = scale * sqrt<f64>(ss);
    const big = max(abs<f64>(alpha), sigma);
    const ra = alpha / big;
    const rs = sigma / big;
    const norm = big * sqrt<f64>(ra * ra + rs * rs);
    const beta = alpha < 0 ? norm : -norm;
    const inv = 1.0 / (alpha - beta);
    for (let i = 1; i < count; i++) {
      const p = top + <usize>i * ld;
      store<f64>(p, load<f64>(p) * inv);
    }
    store<f64>(top, beta);
    const t = (beta - alpha) / beta;
    store<f64>(tau + (<usize>j << 3), t);
    const rest = kb - j - 1;
    if (rest <= 0) continue;
    // w = row_j + Σ v_i·row_{j+i} over the columns right of j, then each row −= tau·v_i·w.
    memory.copy(work, top + 8, <usize>rest << 3);
    for (let i = 1; i < count; i++) {
      const p = top + <usize>i * ld;
      axpyNeg(rest, -load<f64>(p), p + 8, work);
    }
    axpyNeg(rest, t, work, top + 8);
    for (let i = 1; i < count; i++) {
      const p = top + <usize>i * ld;
      axpyNeg(rest, t * load<f64>(p), work, p + 8);
    }
  }
}
