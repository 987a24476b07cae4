/**
 * A natural logarithm that gives the same bits on every JavaScript engine.
 *
 * `Math.log` is only required to be "implementation-approximated", so its last bit may differ
 * between engines and versions; seeded normal deviates built on it would then differ too. This is
 * a line-by-line port of fdlibm's `__ieee754_log` (Sun Microsystems, 1993), which uses only
 * + − × ÷ on doubles (each correctly rounded by IEEE 754) and integer operations on the bit
 * pattern, so its result is fully determined by the input. Error < 1 ulp.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Which 32-bit half of the aliased double holds the sign/exponent word depends on endianness.
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

const ln2_hi = 6.9314718036912381649e-1; // 3fe62e42 fee00000
const ln2_lo = 1.90821492927058770002e-10; // 3dea39ef 35793c76
const two54 = 1.8014398509481984e16; // 43500000 00000000
const Lg1 = 6.66666666666673513e-1; // 3FE55555 55555593
const Lg2 = 3.999999999940941908e-1; // 3FD99999 9997FA04
const Lg3 = 2.857142874366239149e-1; // 3FD24924 94229359
const Lg4 = 2.222219843214978396e-1; // 3FCC71C5 1D8E78AF
const Lg5 = 1.818357216161805012e-1; // 3FC74664 96CB03DE
const Lg6 = 1.531383769920937332e-1; // 3FC39A09 D078C69F
const Lg7 = 1.479819860511658591e-1; // 3FC2F112 DF3E5244

/**
 * ln(x), bit-reproducible across engines (fdlibm algorithm).
 *
 * Reduction: x = 2ᵏ·(1+f) with √2/2 < 1+f < √2; then with s = f/(2+f),
 * ln(1+f) = 2s + s·R(s²), R a degree-7 minimax polynomial; ln x = k·ln2 + ln(1+f),
 * ln2 split into a high part exact in k·ln2_hi and a low correction.
 * Special cases: ln(±0) = −∞, ln(x<0) = NaN, ln(+∞) = +∞, ln(NaN) = NaN.
 */
export function deterministicLog(x: number): number {
  f64[0] = x;
  let hx = u32[HI] | 0;
  const lx = u32[LO];
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    // Subnormal: scale into the normal range so the exponent split below is valid.
    k -= 54;
    x *= two54;
    f64[0] = x;
    hx = u32[HI] | 0;
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i0 = (hx + 0x95f64) & 0x100000;
  // Normalise the mantissa into [√2/2, √2): exponent 0 or −1 depending on i0.
  u32[HI] = hx | (i0 ^ 0x3ff00000);
  x = f64[0];
  k += i0 >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2⁻²⁰: a short series is exact enough.
    if (f === 0) {
      if (k === 0) return 0;
      const dk = k;
      return dk * ln2_hi + dk * ln2_lo;
    }
    const R = f * f * (0.5 - 0.3333333333333333 * f);
    if (k === 0) return f - R;
    const dk = k;
    return dk * ln2_hi - (R - dk * ln2_lo - f);
  }
  const s = f / (2.0 + f);
  const dk = k;
  const z = s * s;
  let i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2_hi - (hfsq - (s * (hfsq + R) + dk * ln2_lo) - f);
  }
  if (k === 0) return f - s * (f - R);
  return dk * ln2_hi - (s * (f - R) - dk * ln2_lo - f);
}
