// Shared SIMD helpers. The two builds differ only here: the FMA build is compiled with
// `--enable relaxed-simd`, and ASC_FEATURE_RELAXED_SIMD folds the branch away at compile time.

/** a·b + c per lane; fused (one rounding) in the relaxed-SIMD build where the CPU has FMA. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f64x2.relaxed_madd(a, b, c);
  } else {
    return f64x2.add(f64x2.mul(a, b), c);
  }
}

/** Sum of both lanes. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** Splits `total` into the fewest blocks of at most `cap`, of nearly equal size rounded up to `mult`. */
export function balancedBlock(total: i32, cap: i32, mult: i32): i32 {
  if (total <= cap) return total;
  const blocks = (total + cap - 1) / cap;
  const size = (total + blocks - 1) / blocks;
  return min(cap, ((size + mult - 1) / mult) * mult);
}
