// Fused element-wise activations: value (and derivative) over a vector, two lanes at a time.
// AssemblyScript's Math.tanh/exp are scalar; these are SIMD versions accurate to ~2 ulp.
// x, y and d may be the same array (in-place); d is the derivative with respect to x.

import { madd } from './simd';

// @ts-ignore: decorator
@inline const LN2_HI: f64 = 6.93147180369123816490e-1; // fdlibm split of ln 2: k·LN2_HI is exact
// @ts-ignore: decorator
@inline const LN2_LO: f64 = 1.90821492927058770002e-10;
// @ts-ignore: decorator
@inline const INV_LN2: f64 = 1.44269504088896338700;
// @ts-ignore: decorator
@inline const SHIFT: f64 = 6755399441055744.0; // 1.5·2^52: adding it rounds to an integer held in the low bits
// @ts-ignore: decorator
@inline const TANH_SMALL: f64 = 0.625; // below: odd polynomial; above: 1 − 2/(e^{2|x|} + 1)

/**
 * e^z for z in [−746, 709], fdlibm's algorithm: z = k·ln2 + r, |r| ≤ ln2/2, e^r from a Remez
 * rational in r², then 2^k applied in two halves so that subnormal results are rounded once.
 */
// @ts-ignore: decorator
@inline function expv(z: v128): v128 {
  const t = f64x2.add(f64x2.mul(z, f64x2.splat(INV_LN2)), f64x2.splat(SHIFT));
  const kf = f64x2.sub(t, f64x2.splat(SHIFT));
  const hi = f64x2.sub(z, f64x2.mul(kf, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(kf, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const rr = f64x2.mul(r, r);
  let p = madd(rr, f64x2.splat(4.13813679705723846039e-8), f64x2.splat(-1.65339022054652515390e-6));
  p = madd(rr, p, f64x2.splat(6.61375632143793436117e-5));
  p = madd(rr, p, f64x2.splat(-2.77777777770155933842e-3));
  p = madd(rr, p, f64x2.splat(1.66666666666666019037e-1));
  const c = f64x2.sub(r, f64x2.mul(rr, p));
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c));
  const y = f64x2.add(f64x2.splat(1.0), f64x2.add(f64x2.sub(q, lo), hi));
  // k is in the low bits of t's representation; 2^k1 · 2^k2 with k1 = k >> 1 stays normal.
  const k = i64x2.sub(t, f64x2.splat(SHIFT));
  const k1 = i64x2.shr_s(k, 1);
  const k2 = i64x2.sub(k, k1);
  const s1 = i64x2.shl(i64x2.add(k1, i64x2.splat(1023)), 52);
  const s2 = i64x2.shl(i64x2.add(k2, i64x2.splat(1023)), 52);
  return f64x2.mul(f64x2.mul(y, s1), s2);
}

/**
 * tanh of two lanes; writes the derivative 1 − tanh² to `deriv` when `withDeriv`.
 * |x| < 0.625: x + x³·P(x²), P a degree-11 least-squares fit on Chebyshev nodes (asm/fit-tanh.py,
 * ≤ 0.72 ulp in double arithmetic). Above: q = 2/(e^{2|x|} + 1), tanh = 1 − q, derivative
 * q·(2 − q), which keeps full relative accuracy in the saturated tails where 1 − tanh² would
 * cancel. |x| is capped at 354 so e^{2|x|} stays finite; tanh is exactly ±1 there anyway.
 */
// @ts-ignore: decorator
@inline function tanhv(x: v128, out: usize, full: bool, dOut: usize, withDeriv: bool): void {
  const a = f64x2.abs(x);
  const sign = v128.and(x, f64x2.splat(-0.0));
  const u = f64x2.mul(a, a);
  let p = madd(u, f64x2.splat(6.493921966644326e-6), f64x2.splat(-3.121994989253582e-5));
  p = madd(u, p, f64x2.splat(9.258867998788127e-5));
  p = madd(u, p, f64x2.splat(-2.3759985285443604e-4));
  p = madd(u, p, f64x2.splat(5.89663660532036e-4));
  p = madd(u, p, f64x2.splat(-1.4557760415549023e-3));
  p = madd(u, p, f64x2.splat(3.592121835933438e-3));
  p = madd(u, p, f64x2.splat(-8.86323511036136e-3));
  p = madd(u, p, f64x2.splat(2.186948851935735e-2));
  p = madd(u, p, f64x2.splat(-5.396825396790577e-2));
  p = madd(u, p, f64x2.splat(1.333333333333305e-1));
  p = madd(u, p, f64x2.splat(-3.333333333333333e-1));
  const ts = madd(a, f64x2.mul(u, p), a);
  const e = expv(f64x2.add(f64x2.min(a, f64x2.splat(354.0)), f64x2.min(a, f64x2.splat(354.0))));
  const q = f64x2.div(f64x2.splat(2.0), f64x2.add(e, f64x2.splat(1.0)));
  const small = f64x2.lt(a, f64x2.splat(TANH_SMALL));
  const t = v128.bitselect(ts, f64x2.sub(f64x2.splat(1.0), q), small);
  const y = v128.or(t, sign);
  if (full) v128.store(out, y);
  else v128.store64_lane(out, y, 0);
  if (withDeriv) {
    const ds = f64x2.mul(f64x2.sub(f64x2.splat(1.0), ts), f64x2.add(f64x2.splat(1.0), ts));
    const dl = f64x2.mul(q, f64x2.sub(f64x2.splat(2.0), q));
    const d = v128.bitselect(ds, dl, small);
    if (full) v128.store(dOut, d);
    else v128.store64_lane(dOut, d, 0);
  }
}

/**
 * logistic σ(x) = 1/(1 + e^{−x}) of two lanes, from e = e^{−|x|} ≤ 1 so nothing overflows:
 * σ(|x|) = 1/(1 + e), σ(−|x|) = e/(1 + e), each a single rounded division (≤ ~2 ulp);
 * derivative σ(x)σ(−x), accurate in both tails.
 */
// @ts-ignore: decorator
@inline function logisticv(x: v128, out: usize, full: bool, dOut: usize, withDeriv: bool): void {
  const a = f64x2.min(f64x2.abs(x), f64x2.splat(746.0));
  const e = expv(f64x2.neg(a));
  const den = f64x2.add(f64x2.splat(1.0), e);
  const sPos = f64x2.div(f64x2.splat(1.0), den);
  const sNeg = f64x2.div(e, den);
  const y = v128.bitselect(sNeg, sPos, f64x2.lt(x, f64x2.splat(0.0)));
  if (full) v128.store(out, y);
  else v128.store64_lane(out, y, 0);
  if (withDeriv) {
    const d = f64x2.mul(sPos, sNeg);
    if (full) v128.store(dOut, d);
    else v128.store64_lane(dOut, d, 0);
  }
}

/** relu with threshold: max(0, x − θ) (NaN propagates); derivative 1 where x > θ, else 0. */
// @ts-ignore: decorator
@inline function reluv(x: v128, theta: f64, out: usize, full: bool, dOut: usize, withDeriv: bool): void {
  const th = f64x2.splat(theta);
  const y = f64x2.max(f64x2.sub(x, th), f64x2.splat(0.0));
  if (full) v128.store(out, y);
  else v128.store64_lane(out, y, 0);
  if (withDeriv) {
    const d = v128.and(f64x2.gt(x, th), f64x2.splat(1.0));
    if (full) v128.store(dOut, d);
    else v128.store64_lane(dOut, d, 0);
  }
}

// The odd last element is computed as a splatted pair and only lane 0 is stored, so it gets
// exactly the arithmetic of the paired elements.

/** y ← tanh(x); d ← 1 − tanh(x)² unless d = 0. */
export function tanhForward(n: i32, x: usize, y: usize, d: usize): void {
  const n2 = n & ~1;
  if (d) {
    for (let i = 0; i < n2; i += 2) {
      const o = <usize>i << 3;
      tanhv(v128.load(x + o), y + o, true, d + o, true);
    }
    if (n2 < n) tanhv(v128.load64_splat(x + (<usize>n2 << 3)), y + (<usize>n2 << 3), false, d + (<usize>n2 << 3), true);
  } else {
    for (let i = 0; i < n2; i += 2) {
      const o = <usize>i << 3;
      tanhv(v128.load(x + o), y + o, true, 0, false);
    }
    if (n2 < n) tanhv(v128.load64_splat(x + (<usize>n2 << 3)), y + (<usize>n2 << 3), false, 0, false);
  }
}

/** y ← σ(x); d ← σ(x)(1 − σ(x)) unless d = 0. */
export function logisticForward(n: i32, x: usize, y: usize, d: usize): void {
  const n2 = n & ~1;
  if (d) {
    for (let i = 0; i < n2; i += 2) {
      const o = <usize>i << 3;
      logisticv(v128.load(x + o), y + o, true, d + o, true);
    }
    if (n2 < n) logisticv(v128.load64_splat(x + (<usize>n2 << 3)), y + (<usize>n2 << 3), false, d + (<usize>n2 << 3), true);
  } else {
    for (let i = 0; i < n2; i += 2) {
      const o = <usize>i << 3;
      logisticv(v128.load(x + o), y + o, true, 0, false);
    }
    if (n2 < n) logisticv(v128.load64_splat(x + (<usize>n2 << 3)), y + (<usize>n2 << 3), false, 0, false);
  }
}

/** y ← max(0, x − theta); d ← [x > theta] unless d = 0. */
export function reluForward(n: i32, theta: f64, x: usize, y: usize, d: usize): void {
  const n2 = n & ~1;
  if (d) {
    for (let i = 0; i < n2; i += 2) {
      const o = <usize>i << 3;
      reluv(v128.load(x + o), theta, y + o, true, d + o, true);
    }
    if (n2 < n) reluv(v128.load64_splat(x + (<usize>n2 << 3)), theta, y + (<usize>n2 << 3), false, d + (<usize>n2 << 3), true);
  } else {
    for (let i = 0; i < n2; i += 2) {
      const o = <usize>i << 3;
      reluv(v128.load(x + o), theta, y + o, true, 0, false);
    }
    if (n2 < n) reluv(v128.load64_splat(x + (<usize>n2 << 3)), theta, y + (<usize>n2 << 3), false, 0, false);
  }
}
