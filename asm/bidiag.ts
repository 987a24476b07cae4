// The memory-bound pass of the blocked bidiagonalisation (src/linalg/wasm/bidiag.ts).
//
// With Aᵀ stored row-major, step c needs ŷ = (trailing rows)·u (one dot product per row) and
// then x = Σ_j v_j·row_j, where v depends on all of ŷ (through a norm). Since v is affine in ŷ,
// x = (Σ_j coef_j·row_j − τ·Σ_j ŷ_j·row_j − β·row₀)/(α − β), and both sums can be accumulated
// while each row is still in cache from its dot product: one pass over the trailing matrix
// instead of two.

import { madd, hsum } from './simd';

/** row · u over len entries with two accumulators (so two rows give four independent chains). */
// @ts-ignore: decorator
@inline function dot(r: usize, u: usize, len: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  const l4 = len & ~3;
  let i = 0;
  for (; i < l4; i += 4) {
    const o = <usize>i << 3;
    s0 = madd(v128.load(r + o), v128.load(u + o), s0);
    s1 = madd(v128.load(r + o, 16), v128.load(u + o, 16), s1);
  }
  let t = hsum(f64x2.add(s0, s1));
  for (; i < len; i++) t += load<f64>(r + (<usize>i << 3)) * load<f64>(u + (<usize>i << 3));
  return t;
}

/**
 * For the rows×len block at a (row-major, ld lda): yhat[j] = row_j · u (all len columns), then
 * p[i] += coef[j]·row_j[1 + i] and q[i] += yhat[j]·row_j[1 + i] for i < len − 1. Four rows at a
 * time: their dot products interleave (four FMA chains) and p and q are loaded and stored once
 * per four rows. (Eight chains, two per row, made V8 spill accumulators: slower.)
 */
export function bidiagPass(rows: i32, len: i32, a: usize, lda: i32, u: usize, coef: usize, yhat: usize, p: usize, q: usize): void {
  const ld = <usize>lda << 3;
  const l2 = len & ~1;
  const m = len - 1;
  const m2 = m & ~1;
  let j = 0;
  for (; j + 3 < rows; j += 4) {
    const r0 = a + <usize>j * ld;
    const r1 = r0 + ld;
    const r2 = r1 + ld;
    const r3 = r2 + ld;
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    let i = 0;
    for (; i < l2; i += 2) {
      const o = <usize>i << 3;
      const uv = v128.load(u + o);
      s0 = madd(v128.load(r0 + o), uv, s0);
      s1 = madd(v128.load(r1 + o), uv, s1);
      s2 = madd(v128.load(r2 + o), uv, s2);
      s3 = madd(v128.load(r3 + o), uv, s3);
    }
    let y0 = hsum(s0), y1 = hsum(s1), y2 = hsum(s2), y3 = hsum(s3);
    if (i < len) {
      const o = <usize>i << 3;
      const uu = load<f64>(u + o);
      y0 += load<f64>(r0 + o) * uu;
      y1 += load<f64>(r1 + o) * uu;
      y2 += load<f64>(r2 + o) * uu;
      y3 += load<f64>(r3 + o) * uu;
    }
    const yj = yhat + (<usize>j << 3);
    store<f64>(yj, y0);
    store<f64>(yj, y1, 8);
    store<f64>(yj, y2, 16);
    store<f64>(yj, y3, 24);
    const cj = coef + (<usize>j << 3);
    const c0 = load<f64>(cj), c1 = load<f64>(cj, 8), c2 = load<f64>(cj, 16), c3 = load<f64>(cj, 24);
    const cv0 = f64x2.splat(c0), cv1 = f64x2.splat(c1), cv2 = f64x2.splat(c2), cv3 = f64x2.splat(c3);
    const yv0 = f64x2.splat(y0), yv1 = f64x2.splat(y1), yv2 = f64x2.splat(y2), yv3 = f64x2.splat(y3);
    for (let i = 0; i < m2; i += 2) {
      const o = (<usize>i << 3) + 8;
      const x0 = v128.load(r0 + o);
      const x1 = v128.load(r1 + o);
      const x2 = v128.load(r2 + o);
      const x3 = v128.load(r3 + o);
      const po = p + o - 8;
      const qo = q + o - 8;
      v128.store(po, madd(cv3, x3, madd(cv2, x2, madd(cv1, x1, madd(cv0, x0, v128.load(po))))));
      v128.store(qo, madd(yv3, x3, madd(yv2, x2, madd(yv1, x1, madd(yv0, x0, v128.load(qo))))));
    }
    if (m2 < m) {
      const o = (<usize>m2 << 3) + 8;
      const x0 = load<f64>(r0 + o), x1 = load<f64>(r1 + o), x2 = load<f64>(r2 + o), x3 = load<f64>(r3 + o);
      const po = p + o - 8;
      const qo = q + o - 8;
      store<f64>(po, load<f64>(po) + c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3);
      store<f64>(qo, load<f64>(qo) + y0 * x0 + y1 * x1 + y2 * x2 + y3 * x3);
    }
  }
  for (; j < rows; j++) {
    const r0 = a + <usize>j * ld;
    const y0 = dot(r0, u, len);
    store<f64>(yhat + (<usize>j << 3), y0);
    const c0 = load<f64>(coef + (<usize>j << 3));
    const cv0 = f64x2.splat(c0), yv0 = f64x2.splat(y0);
    for (let i = 0; i < m2; i += 2) {
      const o = (<usize>i << 3) + 8;
      const x0 = v128.load(r0 + o);
      const po = p + o - 8;
      const qo = q + o - 8;
      v128.store(po, madd(cv0, x0, v128.load(po)));
      v128.store(qo, madd(yv0, x0, v128.load(qo)));
    }
    if (m2 < m) {
      const o = (<usize>m2 << 3) + 8;
      const x0 = load<f64>(r0 + o);
      store<f64>(p + o - 8, load<f64>(p + o - 8) + c0 * x0);
      store<f64>(q + o - 8, load<f64>(q + o - 8) + y0 * x0);
    }
  }
}
