// FORCE (Sussillo & Abbott 2009) kernels: the Euler step of the rate network with output
// feedback, and the recursive-least-squares update over a packed symmetric P.
//
// Everything here is memory-bound at N = 1000 (J is 8 MB in float64, packed P 4 MB), so each
// kernel is shaped to touch every matrix element exactly once per call:
//  - rateRows*: rows of the J·r product with the Euler update of x, six rows sharing every load
//    of r; forceDrive (feedback + input + bias) runs before and rateFinish* (tanh, readout) after.
//  - rlsGroups*: P ← P − c·k·kᵀ and y = P·r' in the same sweep over the lower triangle (packed,
//    row by row: element (i, j ≤ i) at i(i+1)/2 + j). Each stored p_ij is used twice: for y_i
//    (row part) and y_j (column part), so P is read once and written once per update instead of
//    read twice and written once (dsymv + dsyr).
//
// Precision is a type parameter T (f64 or f32: the storage of J, P, and the float32 copies of r
// and k) and every kernel is written once; the exports below instantiate both. T = f32 stores and
// accumulates in float32 (f32x4): half the bytes per sweep.
//
// rateStep* and rlsFused* are the one-thread entry points (one call per step / per update);
// the pieces they call are exported for callers that split the work over threads:
// The rows of J·r are independent, so any split at multiples of 6 rows gives the bits of one
// call. The P sweep is cut into RLS_GROUPS fixed groups of rows with equal triangle area
// (boundaries depend on n only); group g accumulates into its own y_g, and rlsReduce* sums the
// y_g in group order. A caller may run groups on any threads in any order: same bits.

import { madd, hsum } from './simd';
import { tanhForward } from './activations';

/** Row groups of the P sweep (fixed: the arithmetic must not depend on the thread count). */
const RLS_GROUPS: i32 = 4;

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

// ---- the same operation for either lane type ------------------------------------------------

/** log2(sizeof<T>()): byte offset shift of element j. */
// @ts-ignore: decorator
@inline function sh<T>(): i32 {
  return sizeof<T>() == 8 ? 3 : 2;
}

/** Lanes per v128. */
// @ts-ignore: decorator
@inline function lanes<T>(): i32 {
  return sizeof<T>() == 8 ? 2 : 4;
}

// @ts-ignore: decorator
@inline function at<T>(p: usize, i: i32): T {
  return load<T>(p + (<usize>i << sh<T>()));
}

// @ts-ignore: decorator
@inline function vsplat<T>(x: T): v128 {
  if (sizeof<T>() == 8) return f64x2.splat(<f64>x);
  else return f32x4.splat(<f32>x);
}

// @ts-ignore: decorator
@inline function vmadd<T>(a: v128, b: v128, c: v128): v128 {
  if (sizeof<T>() == 8) return madd(a, b, c);
  else return madd4(a, b, c);
}

// @ts-ignore: decorator
@inline function vadd<T>(a: v128, b: v128): v128 {
  if (sizeof<T>() == 8) return f64x2.add(a, b);
  else return f32x4.add(a, b);
}

/** Sum of the lanes, in T ((l0 + l1) + (l2 + l3) for f32). */
// @ts-ignore: decorator
@inline function vsum<T>(v: v128): T {
  if (sizeof<T>() == 8) return <T>hsum(v);
  else return <T>hsum4(v);
}

/** Σ_j a_j b_j in T's arithmetic, returned as f64 (two vector accumulators, then the tail). */
function dotRow<T>(a: usize, b: usize, n: i32): f64 {
  const L = lanes<T>();
  let s0 = vsplat<T>(<T>0), s1 = vsplat<T>(<T>0);
  const nn = n & ~(2 * L - 1);
  for (let j = 0; j < nn; j += 2 * L) {
    const o = <usize>j << sh<T>();
    s0 = vmadd<T>(v128.load(a + o), v128.load(b + o), s0);
    s1 = vmadd<T>(v128.load(a + o, 16), v128.load(b + o, 16), s1);
  }
  let t = <f64>vsum<T>(vadd<T>(s0, s1));
  for (let j = nn; j < n; j++) t += <f64>(at<T>(a, j) * at<T>(b, j));
  return t;
}

// ---- Euler step ------------------------------------------------------------------------------

/**
 * ext ← Wfb·z + Win·u + b, the drive of every row that does not depend on r. The feedback and
 * input weights come transposed (o×n and ni×n), so each term is one vector axpy over the units.
 * Pointers wfbT, winT, bias may be 0 when absent.
 */
export function forceDrive(n: i32, o: i32, ni: i32, wfbT: usize, winT: usize, bias: usize, u: usize, z: usize, ext: usize): void {
  if (bias) memory.copy(ext, bias, <usize>n << 3);
  else memory.fill(ext, 0, <usize>n << 3);
  const n2 = n & ~1;
  for (let q = 0; q < o + ni; q++) {
    const isFb = q < o;
    if (isFb ? !wfbT : !winT) continue;
    const coef = isFb ? at<f64>(z, q) : at<f64>(u, q - o);
    const row = isFb ? wfbT + (<usize>(q * n) << 3) : winT + (<usize>((q - o) * n) << 3);
    const cv = f64x2.splat(coef);
    for (let j = 0; j < n2; j += 2) {
      const off = <usize>j << 3;
      v128.store(ext + off, madd(cv, v128.load(row + off), v128.load(ext + off)));
    }
    if (n2 < n) store<f64>(ext + (<usize>n2 << 3), at<f64>(ext, n2) + coef * at<f64>(row, n2));
  }
}

/** x_i ← x_i + h·(a_i + e_i − x_i), given a_i = (J·r)_i and e = Wfb·z + Win·u + b. */
// @ts-ignore: decorator
@inline function finishRow(i: i32, a: f64, h: f64, ext: usize, x: usize): void {
  const xp = x + (<usize>i << 3);
  const xi = load<f64>(xp);
  store<f64>(xp, xi + h * (a + at<f64>(ext, i) - xi));
}

/**
 * Rows [i0, i1) of the Euler step x ← x + h·(−x + J·r + ext), J (n×n, row-major) and r in T.
 * Six rows share each load of r (six accumulators is where V8's register allocator stops
 * spilling on x64; eight ran 2× slower); the last i1 − i0 mod 6 rows go one by one. So a row's
 * bits depend on its position in its block of six: callers split at multiples of 6 from i0 = 0.
 */
function rateRows<T>(n: i32, i0: i32, i1: i32, h: f64, J: usize, r: usize, x: usize, ext: usize): void {
  const L = lanes<T>();
  const ld = <usize>n << sh<T>();
  const nv = n & ~(L - 1);
  let i = i0;
  for (; i + 5 < i1; i += 6) {
    const p0 = J + <usize>i * ld;
    let a0 = vsplat<T>(<T>0), a1 = vsplat<T>(<T>0), a2 = vsplat<T>(<T>0);
    let a3 = vsplat<T>(<T>0), a4 = vsplat<T>(<T>0), a5 = vsplat<T>(<T>0);
    for (let j = 0; j < nv; j += L) {
      const off = <usize>j << sh<T>();
      const rv = v128.load(r + off);
      const q = p0 + off;
      a0 = vmadd<T>(v128.load(q), rv, a0);
      a1 = vmadd<T>(v128.load(q + ld), rv, a1);
      a2 = vmadd<T>(v128.load(q + 2 * ld), rv, a2);
      a3 = vmadd<T>(v128.load(q + 3 * ld), rv, a3);
      a4 = vmadd<T>(v128.load(q + 4 * ld), rv, a4);
      a5 = vmadd<T>(v128.load(q + 5 * ld), rv, a5);
    }
    let t0 = <f64>vsum<T>(a0), t1 = <f64>vsum<T>(a1), t2 = <f64>vsum<T>(a2);
    let t3 = <f64>vsum<T>(a3), t4 = <f64>vsum<T>(a4), t5 = <f64>vsum<T>(a5);
    for (let j = nv; j < n; j++) {
      const rj = <f64>at<T>(r, j);
      const q = p0 + (<usize>j << sh<T>());
      t0 += <f64>load<T>(q) * rj;
      t1 += <f64>load<T>(q + ld) * rj;
      t2 += <f64>load<T>(q + 2 * ld) * rj;
      t3 += <f64>load<T>(q + 3 * ld) * rj;
      t4 += <f64>load<T>(q + 4 * ld) * rj;
      t5 += <f64>load<T>(q + 5 * ld) * rj;
    }
    finishRow(i, t0, h, ext, x);
    finishRow(i + 1, t1, h, ext, x);
    finishRow(i + 2, t2, h, ext, x);
    finishRow(i + 3, t3, h, ext, x);
    finishRow(i + 4, t4, h, ext, x);
    finishRow(i + 5, t5, h, ext, x);
  }
  for (; i < i1; i++) finishRow(i, dotRow<T>(J + <usize>i * ld, r, n), h, ext, x);
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
 * After the rows: r ← tanh(x) and z ← Wout·r (o rows of n, float64). For T = f64, rOut is the
 * rate (tanh to ≤ 4 ulp in float64) and rTOut is ignored; for T = f32 the rate is computed in
 * float32 (tanh4) and written twice: rTOut (float32, read by the next step's rows) and rOut
 * (float64, for the readout and the RLS update).
 */
function rateFinish<T>(n: i32, o: i32, x: usize, rOut: usize, rTOut: usize, z: usize, wout: usize): void {
  if (sizeof<T>() == 8) {
    tanhForward(n, x, rOut, 0);
  } else {
    const n4 = n & ~3;
    for (let j = 0; j < n4; j += 4) {
      const lo = f32x4.demote_f64x2_zero(v128.load(x + (<usize>j << 3)));
      const hi = f32x4.demote_f64x2_zero(v128.load(x + (<usize>j << 3), 16));
      const t = tanh4(v128.shuffle<f32>(lo, hi, 0, 1, 4, 5));
      v128.store(rTOut + (<usize>j << 2), t);
      v128.store(rOut + (<usize>j << 3), f64x2.promote_low_f32x4(t));
      v128.store(rOut + (<usize>j << 3), f64x2.promote_low_f32x4(v128.shuffle<f32>(t, t, 2, 3, 0, 1)), 16);
    }
    // The last n mod 4 one by one through a splatted vector.
    for (let j = n4; j < n; j++) {
      const t = f32x4.extract_lane(tanh4(f32x4.splat(<f32>at<f64>(x, j))), 0);
      store<f32>(rTOut + (<usize>j << 2), t);
      store<f64>(rOut + (<usize>j << 3), <f64>t);
    }
  }
  for (let q = 0; q < o; q++) store<f64>(z + (<usize>q << 3), dotRow<f64>(wout + (<usize>(q * n) << 3), rOut, n));
}

/**
 * One whole Euler step of seed 000's rate network on one thread:
 *   x ← x + h·(−x + J·r + Wfb·z + Win·u + b),  r' = tanh(x),  z' = Wout·r'.
 * rT is the rate in T (for f64 the rate itself); rOut, rTOut receive r' (see rateFinish) and
 * must not alias rT. z is read, then overwritten with z'. ext is n doubles of scratch.
 */
function rateStep<T>(n: i32, o: i32, ni: i32, h: f64, J: usize, wfbT: usize, winT: usize, bias: usize, u: usize, x: usize, rT: usize, rOut: usize, rTOut: usize, z: usize, wout: usize, ext: usize): void {
  forceDrive(n, o, ni, wfbT, winT, bias, u, z, ext);
  rateRows<T>(n, 0, n, h, J, rT, x, ext);
  rateFinish<T>(n, o, x, rOut, rTOut, z, wout);
}

// ---- RLS ---------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function packedRow<T>(ap: usize, i: i32): usize {
  return ap + (<usize>(i * (i + 1) / 2) << sh<T>());
}

/** Number of row groups of the P sweep (RLS_GROUPS). */
export function rlsGroupCount(): i32 {
  return RLS_GROUPS;
}

/**
 * First row of group g: 2·⌊n·√(g/G)/2 + ½⌋ (n·√(g/G) rounded to an even row), so the groups
 * hold nearly equal parts of the triangle; group G starts at n.
 */
export function rlsGroupStart(n: i32, g: i32): i32 {
  if (g <= 0) return 0;
  if (g >= RLS_GROUPS) return n;
  const b = <i32>Math.floor((<f64>n * Math.sqrt(<f64>g / <f64>RLS_GROUPS)) / 2.0 + 0.5) * 2;
  return min(n, b);
}

/** One row of the fused pass alone (the last row when a group ends on an odd row). */
function rlsRow<T>(ap: usize, i: i32, c: f64, k: usize, r: usize, y: usize): void {
  const row = packedRow<T>(ap, i);
  const m = <T>(-c * <f64>at<T>(k, i));
  const ri = at<T>(r, i);
  let acc = <T>0;
  for (let j = 0; j <= i; j++) {
    const pp = row + (<usize>j << sh<T>());
    const p: T = load<T>(pp) + m * at<T>(k, j);
    store<T>(pp, p);
    acc += p * at<T>(r, j);
    if (j < i) store<T>(y + (<usize>j << sh<T>()), at<T>(y, j) + p * ri);
  }
  store<T>(y + (<usize>i << sh<T>()), at<T>(y, i) + acc);
}

/**
 * Rows [i0, i1) (i0 even) of the fused RLS sweep on packed symmetric P in T:
 *   P ← P − c·k·kᵀ on those rows, and y += (their part of) P·r with the updated P,
 * where row i adds Σ_{j≤i} p_ij r_j to y_i and p_ij r_i to y_j for j < i. y (n entries of T)
 * must be zeroed by the caller and must not alias k or r. c = 0 leaves P unchanged.
 * Rows go in pairs: the pair shares the loads of k_j, r_j and the update of y_j (more rows per
 * pass spilled registers in V8 and ran slower).
 */
function rlsRows<T>(i0: i32, i1: i32, ap: usize, c: f64, k: usize, r: usize, y: usize): void {
  const L = lanes<T>();
  const S = sh<T>();
  let i = i0;
  for (; i + 1 < i1; i += 2) {
    const p0 = packedRow<T>(ap, i);
    const p1 = p0 + (<usize>(i + 1) << S);
    const k0 = at<T>(k, i), k1 = at<T>(k, i + 1);
    const r0 = at<T>(r, i), r1 = at<T>(r, i + 1);
    const mm0 = <T>(-c * <f64>k0), mm1 = <T>(-c * <f64>k1);
    const m0 = vsplat<T>(mm0), m1 = vsplat<T>(mm1);
    const q0 = vsplat<T>(r0), q1 = vsplat<T>(r1);
    // Two accumulators per row (even and odd vectors of columns): one chain per row would wait
    // on the multiply-add latency every vector (5 % slower in float32).
    let s0 = vsplat<T>(<T>0), s1 = vsplat<T>(<T>0), s2 = vsplat<T>(<T>0), s3 = vsplat<T>(<T>0);
    // i is even: for f64 the shared columns j < i come in whole vectors, for f32 up to 2 remain.
    const iv = i & ~(L - 1);
    const iw = i & ~(2 * L - 1);
    let j = 0;
    for (; j < iw; j += 2 * L) {
      const off = <usize>j << S;
      const kj = v128.load(k + off);
      const rj = v128.load(r + off);
      const pa = vmadd<T>(m0, kj, v128.load(p0 + off));
      v128.store(p0 + off, pa);
      const pb = vmadd<T>(m1, kj, v128.load(p1 + off));
      v128.store(p1 + off, pb);
      s0 = vmadd<T>(pa, rj, s0);
      s1 = vmadd<T>(pb, rj, s1);
      v128.store(y + off, vmadd<T>(pb, q1, vmadd<T>(pa, q0, v128.load(y + off))));
      const kj2 = v128.load(k + off, 16);
      const rj2 = v128.load(r + off, 16);
      const pc = vmadd<T>(m0, kj2, v128.load(p0 + off, 16));
      v128.store(p0 + off, pc, 16);
      const pd = vmadd<T>(m1, kj2, v128.load(p1 + off, 16));
      v128.store(p1 + off, pd, 16);
      s2 = vmadd<T>(pc, rj2, s2);
      s3 = vmadd<T>(pd, rj2, s3);
      v128.store(y + off, vmadd<T>(pd, q1, vmadd<T>(pc, q0, v128.load(y + off, 16))), 16);
    }
    if (j < iv) {
      const off = <usize>j << S;
      const kj = v128.load(k + off);
      const rj = v128.load(r + off);
      const pa = vmadd<T>(m0, kj, v128.load(p0 + off));
      v128.store(p0 + off, pa);
      const pb = vmadd<T>(m1, kj, v128.load(p1 + off));
      v128.store(p1 + off, pb);
      s0 = vmadd<T>(pa, rj, s0);
      s1 = vmadd<T>(pb, rj, s1);
      v128.store(y + off, vmadd<T>(pb, q1, vmadd<T>(pa, q0, v128.load(y + off))));
    }
    let t0 = vsum<T>(vadd<T>(s0, s2)), t1 = vsum<T>(vadd<T>(s1, s3));
    for (let j = iv; j < i; j++) {
      const kj = at<T>(k, j);
      const rj = at<T>(r, j);
      const oa = p0 + (<usize>j << S);
      const ob = p1 + (<usize>j << S);
      const pa: T = load<T>(oa) + mm0 * kj;
      const pb: T = load<T>(ob) + mm1 * kj;
      store<T>(oa, pa);
      store<T>(ob, pb);
      t0 += pa * rj;
      t1 += pb * rj;
      store<T>(y + (<usize>j << S), at<T>(y, j) + pa * r0 + pb * r1);
    }
    const d0 = p0 + (<usize>i << S);
    const d1 = p1 + (<usize>i << S);
    const d00: T = load<T>(d0) + mm0 * k0;
    const d10: T = load<T>(d1) + mm1 * k0;
    const d11: T = load<T>(d1 + sizeof<T>()) + mm1 * k1;
    store<T>(d0, d00);
    store<T>(d1, d10);
    store<T>(d1 + sizeof<T>(), d11);
    const yi = y + (<usize>i << S);
    store<T>(yi, load<T>(yi) + t0 + d00 * r0 + d10 * r1);
    store<T>(yi + sizeof<T>(), load<T>(yi + sizeof<T>()) + t1 + d10 * r0 + d11 * r1);
  }
  if (i < i1) rlsRow<T>(ap, i, c, k, r, y);
}

/**
 * Groups [g0, g1) of the fused RLS sweep: for each group g, y_g ← 0 then rows of group g
 * (rlsRows). y_g starts at ys + g·n entries of T. Groups write disjoint rows of P and their own
 * y_g, so calls on disjoint group ranges may run at the same time.
 */
function rlsGroups<T>(n: i32, g0: i32, g1: i32, ap: usize, c: f64, k: usize, r: usize, ys: usize): void {
  for (let g = g0; g < g1; g++) {
    const y = ys + (<usize>(g * n) << sh<T>());
    memory.fill(y, 0, <usize>n << sh<T>());
    rlsRows<T>(rlsGroupStart(n, g), rlsGroupStart(n, g + 1), ap, c, k, r, y);
  }
}

/**
 * k' = Σ_g y_g in group order (in T), written as f64 to kOut and, for T = f32, as f32 to kTOut
 * (the copy the next sweep reads). For T = f64 kTOut is ignored and kOut must not alias ys.
 */
function rlsReduce<T>(n: i32, ys: usize, kOut: usize, kTOut: usize): void {
  const S = sh<T>();
  const stride = <usize>n << S;
  const L = lanes<T>();
  const nv = n & ~(L - 1);
  for (let j = 0; j < nv; j += L) {
    const off = <usize>j << S;
    let s = v128.load(ys + off);
    for (let g = 1; g < RLS_GROUPS; g++) s = vadd<T>(s, v128.load(ys + <usize>g * stride + off));
    if (sizeof<T>() == 8) {
      v128.store(kOut + off, s);
    } else {
      v128.store(kTOut + off, s);
      v128.store(kOut + (<usize>j << 3), f64x2.promote_low_f32x4(s));
      v128.store(kOut + (<usize>j << 3), f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 0, 1)), 16);
    }
  }
  for (let j = nv; j < n; j++) {
    let s = at<T>(ys, j);
    for (let g = 1; g < RLS_GROUPS; g++) s += load<T>(ys + <usize>g * stride + (<usize>j << S));
    store<f64>(kOut + (<usize>j << 3), <f64>s);
    if (sizeof<T>() == 4) store<T>(kTOut + (<usize>j << S), s);
  }
}

/**
 * The whole P sweep on one thread: P ← P − c·k·kᵀ, then k' = P·r (all groups, then the sum).
 * k and r in T; ys holds RLS_GROUPS·n entries of T; kOut (f64) and kTOut (T) receive k'.
 */
function rlsFused<T>(n: i32, ap: usize, c: f64, k: usize, r: usize, ys: usize, kOut: usize, kTOut: usize): void {
  rlsGroups<T>(n, 0, RLS_GROUPS, ap, c, k, r, ys);
  rlsReduce<T>(n, ys, kOut, kTOut);
}

/**
 * The readout half of an RLS update, float64:
 *   c = 1/(1 + r·k),  e = z − y (written to err),  Wout ← Wout − c·e·kᵀ,  z ← Wout·r.
 * Returns c. Wout is o×n row-major.
 */
export function rlsReadout(n: i32, o: i32, k: usize, r: usize, z: usize, y: usize, wout: usize, err: usize): f64 {
  const c = 1.0 / (1.0 + dotRow<f64>(k, r, n));
  for (let q = 0; q < o; q++) {
    const e = at<f64>(z, q) - at<f64>(y, q);
    store<f64>(err + (<usize>q << 3), e);
    const row = wout + (<usize>(q * n) << 3);
    const m = f64x2.splat(-c * e);
    const n2 = n & ~1;
    for (let j = 0; j < n2; j += 2) {
      const off = <usize>j << 3;
      v128.store(row + off, madd(m, v128.load(k + off), v128.load(row + off)));
    }
    if (n2 < n) store<f64>(row + (<usize>n2 << 3), at<f64>(row, n2) + (-c * e) * at<f64>(k, n2));
    store<f64>(z + (<usize>q << 3), dotRow<f64>(row, r, n));
  }
  return c;
}

// ---- exports: both precisions ----------------------------------------------------------------

export function rateStep64(n: i32, o: i32, ni: i32, h: f64, J: usize, wfbT: usize, winT: usize, bias: usize, u: usize, x: usize, rT: usize, rOut: usize, rTOut: usize, z: usize, wout: usize, ext: usize): void {
  rateStep<f64>(n, o, ni, h, J, wfbT, winT, bias, u, x, rT, rOut, rTOut, z, wout, ext);
}
export function rateStep32(n: i32, o: i32, ni: i32, h: f64, J: usize, wfbT: usize, winT: usize, bias: usize, u: usize, x: usize, rT: usize, rOut: usize, rTOut: usize, z: usize, wout: usize, ext: usize): void {
  rateStep<f32>(n, o, ni, h, J, wfbT, winT, bias, u, x, rT, rOut, rTOut, z, wout, ext);
}
export function rateRows64(n: i32, i0: i32, i1: i32, h: f64, J: usize, rT: usize, x: usize, ext: usize): void {
  rateRows<f64>(n, i0, i1, h, J, rT, x, ext);
}
export function rateRows32(n: i32, i0: i32, i1: i32, h: f64, J: usize, rT: usize, x: usize, ext: usize): void {
  rateRows<f32>(n, i0, i1, h, J, rT, x, ext);
}
export function rateFinish64(n: i32, o: i32, x: usize, rOut: usize, rTOut: usize, z: usize, wout: usize): void {
  rateFinish<f64>(n, o, x, rOut, rTOut, z, wout);
}
export function rateFinish32(n: i32, o: i32, x: usize, rOut: usize, rTOut: usize, z: usize, wout: usize): void {
  rateFinish<f32>(n, o, x, rOut, rTOut, z, wout);
}
export function rlsFused64(n: i32, ap: usize, c: f64, k: usize, r: usize, ys: usize, kOut: usize, kTOut: usize): void {
  rlsFused<f64>(n, ap, c, k, r, ys, kOut, kTOut);
}
export function rlsFused32(n: i32, ap: usize, c: f64, k: usize, r: usize, ys: usize, kOut: usize, kTOut: usize): void {
  rlsFused<f32>(n, ap, c, k, r, ys, kOut, kTOut);
}
export function rlsGroups64(n: i32, g0: i32, g1: i32, ap: usize, c: f64, k: usize, r: usize, ys: usize): void {
  rlsGroups<f64>(n, g0, g1, ap, c, k, r, ys);
}
export function rlsGroups32(n: i32, g0: i32, g1: i32, ap: usize, c: f64, k: usize, r: usize, ys: usize): void {
  rlsGroups<f32>(n, g0, g1, ap, c, k, r, ys);
}
export function rlsReduce64(n: i32, ys: usize, kOut: usize, kTOut: usize): void {
  rlsReduce<f64>(n, ys, kOut, kTOut);
}
export function rlsReduce32(n: i32, ys: usize, kOut: usize, kTOut: usize): void {
  rlsReduce<f32>(n, ys, kOut, kTOut);
}
