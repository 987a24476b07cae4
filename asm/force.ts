// FORCE (Sussillo & Abbott 2009) kernels: one fused Euler step of the rate network with output
// feedback, and one fused pass of the recursive-least-squares update over a packed symmetric P.
//
// Everything here is memory-bound at N = 1000 (J is 8 MB in float64, packed P 4 MB), so each
// kernel is shaped to touch every matrix element exactly once per call:
//  - rateStep*: the J·r product, the feedback/input terms, the Euler update, tanh and the readout
//    in one call; four rows share every load of r, and two accumulators per row hide FMA latency.
//  - rlsFused*: P ← P − c·k·kᵀ and k' = P·r' in the same sweep over the lower triangle (packed,
//    row by row: element (i, j ≤ i) at i(i+1)/2 + j). Each stored p_ij is used twice: for
//    k'_i (row part) and k'_j (column part), so P is read once and written once per update
//    instead of read twice and written once (dsymv + dsyr).
// The float32 variants store J and P in float32 and accumulate in float32 (f32x4): half the bytes.

import { madd, hsum } from './simd';
import { tanhForward } from './activations';

/** a·b + c on four f32 lanes; fused in the relaxed-SIMD build. */
// @ts-ignore: decorator
@inline function madd4(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(f32x4.mul(a, b), c);
  }
}

// @ts-ignore: decorator
@inline function hsum4(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// @ts-ignore: decorator
@inline function f64at(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function f32at(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}

/** Σ_j J_ij r_j for one row, float64 (tail rows of the 4-row blocking). */
function dotRow64(row: usize, r: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  const n4 = n & ~3;
  for (let j = 0; j < n4; j += 4) {
    const o = <usize>j << 3;
    s0 = madd(v128.load(row + o), v128.load(r + o), s0);
    s1 = madd(v128.load(row + o, 16), v128.load(r + o, 16), s1);
  }
  let t = hsum(f64x2.add(s0, s1));
  for (let j = n4; j < n; j++) t += f64at(row, j) * f64at(r, j);
  return t;
}

function dotRow32(row: usize, r: usize, n: i32): f64 {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
  const n8 = n & ~7;
  for (let j = 0; j < n8; j += 8) {
    const o = <usize>j << 2;
    s0 = madd4(v128.load(row + o), v128.load(r + o), s0);
    s1 = madd4(v128.load(row + o, 16), v128.load(r + o, 16), s1);
  }
  let t = <f64>hsum4(f32x4.add(s0, s1));
  for (let j = n8; j < n; j++) t += <f64>(f32at(row, j) * f32at(r, j));
  return t;
}

/** x_i ← x_i + h·(a_i + e_i − x_i), given a_i = (J·r)_i and e = Wfb·z + Win·u + b (see externalDrive). */
// @ts-ignore: decorator
@inline function finishRow(i: i32, a: f64, h: f64, ext: usize, x: usize): void {
  const xp = x + (<usize>i << 3);
  const xi = load<f64>(xp);
  store<f64>(xp, xi + h * (a + f64at(ext, i) - xi));
}

/**
 * e ← Wfb·z + Win·u + b with the feedback and input weights stored transposed (o×n and ni×n), so
 * each term is one vector axpy over the units instead of o + ni scalar products per row.
 * Pointers wfbT, winT, bias may be 0 when absent.
 */
function externalDrive(n: i32, o: i32, ni: i32, wfbT: usize, winT: usize, bias: usize, u: usize, z: usize, ext: usize): void {
  if (bias) memory.copy(ext, bias, <usize>n << 3);
  else memory.fill(ext, 0, <usize>n << 3);
  const n2 = n & ~1;
  for (let q = 0; q < o + ni; q++) {
    const isFb = q < o;
    if (isFb ? !wfbT : !winT) continue;
    const coef = isFb ? f64at(z, q) : f64at(u, q - o);
    const row = isFb ? wfbT + (<usize>(q * n) << 3) : winT + (<usize>((q - o) * n) << 3);
    const cv = f64x2.splat(coef);
    for (let j = 0; j < n2; j += 2) {
      const off = <usize>j << 3;
      v128.store(ext + off, madd(cv, v128.load(row + off), v128.load(ext + off)));
    }
    if (n2 < n) store<f64>(ext + (<usize>n2 << 3), f64at(ext, n2) + coef * f64at(row, n2));
  }
}

/** r ← tanh(x), then z ← Wout·r (o rows of n). */
function activateAndRead(n: i32, o: i32, x: usize, rOut: usize, z: usize, wout: usize): void {
  tanhForward(n, x, rOut, 0);
  for (let q = 0; q < o; q++) store<f64>(z + (<usize>q << 3), dotRow64(wout + (<usize>(q * n) << 3), rOut, n));
}

/**
 * One Euler step of the rate network of seed 000 with J in float64:
 *   x ← x + h·(−x + J·r + Wfb·z + Win·u + b),  r' = tanh(x),  z' = Wout·r'.
 * r (read) and rOut (written) must be different arrays; z is read, then overwritten with z'.
 * Wfb and Win come transposed (wfbT o×n, winT ni×n); ext is n doubles of scratch.
 * Six rows share each load of r; six accumulators is where V8's register allocator stops
 * spilling on x64 (eight ran 2× slower), and six chains cover the FMA latency.
 */
export function rateStep64(n: i32, o: i32, ni: i32, h: f64, J: usize, wfbT: usize, winT: usize, bias: usize, u: usize, x: usize, r: usize, rOut: usize, z: usize, wout: usize, ext: usize): void {
  externalDrive(n, o, ni, wfbT, winT, bias, u, z, ext);
  const ld = <usize>n << 3;
  const n2 = n & ~1;
  let i = 0;
  for (; i + 5 < n; i += 6) {
    const p0 = J + <usize>i * ld;
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0), a4 = f64x2.splat(0), a5 = f64x2.splat(0);
    for (let j = 0; j < n2; j += 2) {
      const off = <usize>j << 3;
      const rv = v128.load(r + off);
      const q = p0 + off;
      a0 = madd(v128.load(q), rv, a0);
      a1 = madd(v128.load(q + ld), rv, a1);
      a2 = madd(v128.load(q + 2 * ld), rv, a2);
      a3 = madd(v128.load(q + 3 * ld), rv, a3);
      a4 = madd(v128.load(q + 4 * ld), rv, a4);
      a5 = madd(v128.load(q + 5 * ld), rv, a5);
    }
    let t0 = hsum(a0), t1 = hsum(a1), t2 = hsum(a2), t3 = hsum(a3), t4 = hsum(a4), t5 = hsum(a5);
    if (n2 < n) {
      const rj = f64at(r, n2);
      const q = p0 + (<usize>n2 << 3);
      t0 += load<f64>(q) * rj;
      t1 += load<f64>(q + ld) * rj;
      t2 += load<f64>(q + 2 * ld) * rj;
      t3 += load<f64>(q + 3 * ld) * rj;
      t4 += load<f64>(q + 4 * ld) * rj;
      t5 += load<f64>(q + 5 * ld) * rj;
    }
    finishRow(i, t0, h, ext, x);
    finishRow(i + 1, t1, h, ext, x);
    finishRow(i + 2, t2, h, ext, x);
    finishRow(i + 3, t3, h, ext, x);
    finishRow(i + 4, t4, h, ext, x);
    finishRow(i + 5, t5, h, ext, x);
  }
  for (; i < n; i++) finishRow(i, dotRow64(J + <usize>i * ld, r, n), h, ext, x);
  activateAndRead(n, o, x, rOut, z, wout);
}

// @ts-ignore: decorator
@inline function sum4(v: v128): f64 {
  return <f64>hsum4(v);
}

/** e^z on four f32 lanes for z ≤ 0: z = k·ln2 + s, e^s by its degree-6 Taylor polynomial (|s| ≤ ln2/2: < 1e-7 relative). */
// @ts-ignore: decorator
@inline function exp4Negative(z: v128): v128 {
  const zc = f32x4.max(z, f32x4.splat(-80.0));
  const kf = f32x4.nearest(f32x4.mul(zc, f32x4.splat(1.4426950408889634)));
  const s = f32x4.sub(f32x4.sub(zc, f32x4.mul(kf, f32x4.splat(0.693145751953125))), f32x4.mul(kf, f32x4.splat(1.428606765330187e-6)));
  let p = madd4(s, f32x4.splat(1.0 / 720.0), f32x4.splat(1.0 / 120.0));
  p = madd4(s, p, f32x4.splat(1.0 / 24.0));
  p = madd4(s, p, f32x4.splat(1.0 / 6.0));
  p = madd4(s, p, f32x4.splat(0.5));
  p = madd4(s, p, f32x4.splat(1.0));
  p = madd4(s, p, f32x4.splat(1.0));
  // 2^k by building the exponent bits; k ≥ −116 keeps it normal.
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(kf), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/**
 * tanh on four f32 lanes, ≲ 4 ulp of float32: odd Taylor polynomial to x¹¹ for |x| < 0.3
 * (truncation < 1e-9), else sign(x)·(1 − 2/(e^{2|x|} + 1)) computed from e^{−2|x|} so nothing overflows.
 */
// @ts-ignore: decorator
@inline function tanh4(x: v128): v128 {
  const a = f32x4.abs(x);
  const sign = v128.and(x, f32x4.splat(-0.0));
  const u = f32x4.mul(a, a);
  let p = madd4(u, f32x4.splat(-1382.0 / 155925.0), f32x4.splat(62.0 / 2835.0));
  p = madd4(u, p, f32x4.splat(-17.0 / 315.0));
  p = madd4(u, p, f32x4.splat(2.0 / 15.0));
  p = madd4(u, p, f32x4.splat(-1.0 / 3.0));
  const small = madd4(f32x4.mul(a, u), p, a);
  const e = exp4Negative(f32x4.mul(a, f32x4.splat(-2.0)));
  const large = f32x4.div(f32x4.sub(f32x4.splat(1.0), e), f32x4.add(f32x4.splat(1.0), e));
  const t = v128.bitselect(small, large, f32x4.lt(a, f32x4.splat(0.3)));
  return v128.or(t, sign);
}

/**
 * rateStep64 with J stored in float32 and J·r accumulated in float32 from rf, a float32 copy of
 * r. The new rate is computed in float32 (tanh4) and written twice: rfOut (float32, read by the
 * next step) and rOut (float64, for the readout and the RLS update).
 */
export function rateStep32(n: i32, o: i32, ni: i32, h: f64, J: usize, wfbT: usize, winT: usize, bias: usize, u: usize, x: usize, rf: usize, rOut: usize, rfOut: usize, z: usize, wout: usize, ext: usize): void {
  externalDrive(n, o, ni, wfbT, winT, bias, u, z, ext);
  const ld = <usize>n << 2;
  const n4 = n & ~3;
  let i = 0;
  for (; i + 5 < n; i += 6) {
    const p0 = J + <usize>i * ld;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0), a4 = f32x4.splat(0), a5 = f32x4.splat(0);
    for (let j = 0; j < n4; j += 4) {
      const off = <usize>j << 2;
      const rv = v128.load(rf + off);
      const q = p0 + off;
      a0 = madd4(v128.load(q), rv, a0);
      a1 = madd4(v128.load(q + ld), rv, a1);
      a2 = madd4(v128.load(q + 2 * ld), rv, a2);
      a3 = madd4(v128.load(q + 3 * ld), rv, a3);
      a4 = madd4(v128.load(q + 4 * ld), rv, a4);
      a5 = madd4(v128.load(q + 5 * ld), rv, a5);
    }
    let t0 = sum4(a0), t1 = sum4(a1), t2 = sum4(a2), t3 = sum4(a3), t4 = sum4(a4), t5 = sum4(a5);
    for (let j = n4; j < n; j++) {
      const rj = <f64>f32at(rf, j);
      const q = p0 + (<usize>j << 2);
      t0 += <f64>load<f32>(q) * rj;
      t1 += <f64>load<f32>(q + ld) * rj;
      t2 += <f64>load<f32>(q + 2 * ld) * rj;
      t3 += <f64>load<f32>(q + 3 * ld) * rj;
      t4 += <f64>load<f32>(q + 4 * ld) * rj;
      t5 += <f64>load<f32>(q + 5 * ld) * rj;
    }
    finishRow(i, t0, h, ext, x);
    finishRow(i + 1, t1, h, ext, x);
    finishRow(i + 2, t2, h, ext, x);
    finishRow(i + 3, t3, h, ext, x);
    finishRow(i + 4, t4, h, ext, x);
    finishRow(i + 5, t5, h, ext, x);
  }
  for (; i < n; i++) finishRow(i, dotRow32(J + <usize>i * ld, rf, n), h, ext, x);
  // Rates in float32, four at a time; the last n mod 4 one by one through a splatted vector.
  for (let j = 0; j < n4; j += 4) {
    const lo = f32x4.demote_f64x2_zero(v128.load(x + (<usize>j << 3)));
    const hi = f32x4.demote_f64x2_zero(v128.load(x + (<usize>j << 3), 16));
    const t = tanh4(v128.shuffle<f32>(lo, hi, 0, 1, 4, 5));
    v128.store(rfOut + (<usize>j << 2), t);
    v128.store(rOut + (<usize>j << 3), f64x2.promote_low_f32x4(t));
    v128.store(rOut + (<usize>j << 3), f64x2.promote_low_f32x4(v128.shuffle<f32>(t, t, 2, 3, 0, 1)), 16);
  }
  for (let j = n4; j < n; j++) {
    const t = f32x4.extract_lane(tanh4(f32x4.splat(<f32>f64at(x, j))), 0);
    store<f32>(rfOut + (<usize>j << 2), t);
    store<f64>(rOut + (<usize>j << 3), <f64>t);
  }
  for (let q = 0; q < o; q++) store<f64>(z + (<usize>q << 3), dotRow64(wout + (<usize>(q * n) << 3), rOut, n));
}

// @ts-ignore: decorator
@inline function packedRow(ap: usize, i: i32, shift: i32): usize {
  return ap + (<usize>(i * (i + 1) / 2) << shift);
}

/** One row of the fused RLS pass, float64 (the last row when n is odd). */
function rlsRow64(ap: usize, i: i32, c: f64, k: usize, r: usize, y: usize): void {
  const row = packedRow(ap, i, 3);
  const m = -c * f64at(k, i);
  const ri = f64at(r, i);
  let acc = 0.0;
  for (let j = 0; j <= i; j++) {
    const pp = row + (<usize>j << 3);
    const p = load<f64>(pp) + m * f64at(k, j);
    store<f64>(pp, p);
    acc += p * f64at(r, j);
    if (j < i) store<f64>(y + (<usize>j << 3), f64at(y, j) + p * ri);
  }
  store<f64>(y + (<usize>i << 3), f64at(y, i) + acc);
}

/**
 * The RLS step of FORCE on packed symmetric P (lower triangle, row by row), float64:
 *   P ← P − c·k·kᵀ,  then  y ← P·r  (with the updated P),
 * in one sweep. c = 0 leaves P unchanged and gives y = P·r. y must not alias k or r.
 * Rows go in pairs: the pair shares the loads of k_j, r_j and the update of y_j (more rows per
 * pass spilled registers in V8 and ran slower).
 */
export function rlsFused64(n: i32, ap: usize, c: f64, k: usize, r: usize, y: usize): void {
  memory.fill(y, 0, <usize>n << 3);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const p0 = packedRow(ap, i, 3);
    const p1 = p0 + (<usize>(i + 1) << 3);
    const k0 = f64at(k, i), k1 = f64at(k, i + 1);
    const r0 = f64at(r, i), r1 = f64at(r, i + 1);
    const mm0 = -c * k0, mm1 = -c * k1;
    const m0 = f64x2.splat(mm0), m1 = f64x2.splat(mm1);
    const q0 = f64x2.splat(r0), q1 = f64x2.splat(r1);
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    // i is even, so the shared columns j < i come in whole pairs.
    for (let j = 0; j < i; j += 2) {
      const off = <usize>j << 3;
      const kj = v128.load(k + off);
      const rj = v128.load(r + off);
      const pa = madd(m0, kj, v128.load(p0 + off));
      v128.store(p0 + off, pa);
      const pb = madd(m1, kj, v128.load(p1 + off));
      v128.store(p1 + off, pb);
      s0 = madd(pa, rj, s0);
      s1 = madd(pb, rj, s1);
      v128.store(y + off, madd(pb, q1, madd(pa, q0, v128.load(y + off))));
    }
    const d0 = p0 + (<usize>i << 3);
    const d1 = p1 + (<usize>i << 3);
    const d00 = load<f64>(d0) + mm0 * k0;
    const d10 = load<f64>(d1) + mm1 * k0;
    const d11 = load<f64>(d1, 8) + mm1 * k1;
    store<f64>(d0, d00);
    store<f64>(d1, d10);
    store<f64>(d1, d11, 8);
    const yi = y + (<usize>i << 3);
    store<f64>(yi, load<f64>(yi) + hsum(s0) + d00 * r0 + d10 * r1);
    store<f64>(yi, load<f64>(yi, 8) + hsum(s1) + d10 * r0 + d11 * r1, 8);
  }
  if (i < n) rlsRow64(ap, i, c, k, r, y);
}

function rlsRow32(ap: usize, i: i32, c: f64, kf: usize, rf: usize, yf: usize): void {
  const row = packedRow(ap, i, 2);
  const m = <f32>(-c * <f64>f32at(kf, i));
  const ri = f32at(rf, i);
  let acc: f32 = 0;
  for (let j = 0; j <= i; j++) {
    const pp = row + (<usize>j << 2);
    const p: f32 = load<f32>(pp) + m * f32at(kf, j);
    store<f32>(pp, p);
    acc += p * f32at(rf, j);
    if (j < i) store<f32>(yf + (<usize>j << 2), f32at(yf, j) + p * ri);
  }
  store<f32>(yf + (<usize>i << 2), f32at(yf, i) + acc);
}

/**
 * rlsFused64 on float32 storage with float32 arithmetic: P (packed, f32), kf and rf are float32
 * copies of k and r, yf (n floats) is scratch. Writes kOut = P·r (float64, converted from the
 * float32 sums) and kfOut, its float32 copy.
 */
export function rlsFused32(n: i32, ap: usize, c: f64, kf: usize, rf: usize, yf: usize, kOut: usize, kfOut: usize): void {
  memory.fill(yf, 0, <usize>n << 2);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const p0 = packedRow(ap, i, 2);
    const p1 = p0 + (<usize>(i + 1) << 2);
    const k0 = f32at(kf, i), k1 = f32at(kf, i + 1);
    const r0 = f32at(rf, i), r1 = f32at(rf, i + 1);
    const mm0 = <f32>(-c * <f64>k0), mm1 = <f32>(-c * <f64>k1);
    const m0 = f32x4.splat(mm0), m1 = f32x4.splat(mm1);
    const q0 = f32x4.splat(r0), q1 = f32x4.splat(r1);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
    const i4 = i & ~3;
    for (let j = 0; j < i4; j += 4) {
      const off = <usize>j << 2;
      const kj = v128.load(kf + off);
      const rj = v128.load(rf + off);
      const pa = madd4(m0, kj, v128.load(p0 + off));
      v128.store(p0 + off, pa);
      const pb = madd4(m1, kj, v128.load(p1 + off));
      v128.store(p1 + off, pb);
      s0 = madd4(pa, rj, s0);
      s1 = madd4(pb, rj, s1);
      v128.store(yf + off, madd4(pb, q1, madd4(pa, q0, v128.load(yf + off))));
    }
    let t0 = hsum4(s0), t1 = hsum4(s1);
    for (let j = i4; j < i; j++) {
      const kj = f32at(kf, j);
      const rj = f32at(rf, j);
      const oa = p0 + (<usize>j << 2);
      const ob = p1 + (<usize>j << 2);
      const pa: f32 = load<f32>(oa) + mm0 * kj;
      const pb: f32 = load<f32>(ob) + mm1 * kj;
      store<f32>(oa, pa);
      store<f32>(ob, pb);
      t0 += pa * rj;
      t1 += pb * rj;
      store<f32>(yf + (<usize>j << 2), f32at(yf, j) + pa * r0 + pb * r1);
    }
    const d0 = p0 + (<usize>i << 2);
    const d1 = p1 + (<usize>i << 2);
    const d00: f32 = load<f32>(d0) + mm0 * k0;
    const d10: f32 = load<f32>(d1) + mm1 * k0;
    const d11: f32 = load<f32>(d1, 4) + mm1 * k1;
    store<f32>(d0, d00);
    store<f32>(d1, d10);
    store<f32>(d1, d11, 4);
    const yi = yf + (<usize>i << 2);
    store<f32>(yi, load<f32>(yi) + t0 + d00 * r0 + d10 * r1);
    store<f32>(yi, load<f32>(yi, 4) + t1 + d10 * r0 + d11 * r1, 4);
  }
  if (i < n) rlsRow32(ap, i, c, kf, rf, yf);
  for (let j = 0; j < n; j++) {
    const v = f32at(yf, j);
    store<f64>(kOut + (<usize>j << 3), <f64>v);
    store<f32>(kfOut + (<usize>j << 2), v);
  }
}

/**
 * The readout half of an RLS update, float64:
 *   c = 1/(1 + r·k),  e = z − y (written to err),  Wout ← Wout − c·e·kᵀ,  z ← Wout·r.
 * Returns c. Wout is o×n row-major.
 */
export function rlsReadout(n: i32, o: i32, k: usize, r: usize, z: usize, y: usize, wout: usize, err: usize): f64 {
  const c = 1.0 / (1.0 + dotRow64(k, r, n));
  for (let q = 0; q < o; q++) {
    const e = f64at(z, q) - f64at(y, q);
    store<f64>(err + (<usize>q << 3), e);
    const row = wout + (<usize>(q * n) << 3);
    const m = f64x2.splat(-c * e);
    const n2 = n & ~1;
    for (let j = 0; j < n2; j += 2) {
      const off = <usize>j << 3;
      v128.store(row + off, madd(m, v128.load(k + off), v128.load(row + off)));
    }
    if (n2 < n) store<f64>(row + (<usize>n2 << 3), f64at(row, n2) + (-c * e) * f64at(k, n2));
    store<f64>(z + (<usize>q << 3), dotRow64(row, r, n));
  }
  return c;
}
