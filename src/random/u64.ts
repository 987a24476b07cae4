/**
 * 64-bit unsigned arithmetic on (hi, lo) pairs of 32-bit words, used only when an RNG is seeded,
 * split or forked. Written with 32-bit integer operations (no BigInt) so seeding is cheap and the
 * results are identical on every engine.
 */

/** An unsigned 64-bit integer as [high word, low word], each in [0, 2³²). */
export type U64 = readonly [hi: number, lo: number];

export function add64(a: U64, b: U64): U64 {
  const lo = a[1] + b[1];
  const carry = lo > 0xffffffff ? 1 : 0;
  return [(a[0] + b[0] + carry) >>> 0, lo >>> 0];
}

export function xor64(a: U64, b: U64): U64 {
  return [(a[0] ^ b[0]) >>> 0, (a[1] ^ b[1]) >>> 0];
}

/** a >> n (logical) for 0 < n < 32. */
export function shr64(a: U64, n: number): U64 {
  return [a[0] >>> n, ((a[1] >>> n) | (a[0] << (32 - n))) >>> 0];
}

/** High 32 bits of the 64-bit product of two unsigned 32-bit integers (16-bit limbs: all exact in doubles). */
export function mulhi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p0 = a0 * b0;
  const p1 = a1 * b0;
  const p2 = a0 * b1;
  const p3 = a1 * b1;
  const mid = (p0 >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
  return (p3 + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) >>> 0;
}

/** a·b mod 2⁶⁴. */
export function mul64(a: U64, b: U64): U64 {
  const lo = Math.imul(a[1], b[1]) >>> 0;
  const hi = (mulhi32(a[1], b[1]) + Math.imul(a[0], b[1]) + Math.imul(a[1], b[0])) >>> 0;
  return [hi, lo];
}

const GOLDEN_GAMMA: U64 = [0x9e3779b9, 0x7f4a7c15];
const MIX1: U64 = [0xbf58476d, 0x1ce4e5b9];
const MIX2: U64 = [0x94d049bb, 0x133111eb];

/**
 * SplitMix64 (Steele, Lea & Flood 2014; the seeding generator Vigna recommends for xoshiro):
 * advances `state` by the golden gamma and returns [new state, mixed output].
 */
export function splitmix64(state: U64): [next: U64, output: U64] {
  const next = add64(state, GOLDEN_GAMMA);
  let z = mul64(xor64(next, shr64(next, 30)), MIX1);
  z = mul64(xor64(z, shr64(z, 27)), MIX2);
  return [next, xor64(z, shr64(z, 31))];
}

const FNV_OFFSET: U64 = [0xcbf29ce4, 0x84222325];
const FNV_PRIME: U64 = [0x00000100, 0x000001b3];

/** FNV-1a 64-bit hash of a byte sequence, continuing from `start` (default: the FNV offset basis). */
export function fnv1a64(bytes: ArrayLike<number>, start: U64 = FNV_OFFSET): U64 {
  let h = start;
  for (let i = 0; i < bytes.length; i++) {
    h = mul64([h[0], (h[1] ^ bytes[i]) >>> 0], FNV_PRIME);
  }
  return h;
}

/** The 8 bytes of a U64, little-endian (low byte of the low word first). */
export function bytesOf(a: U64): number[] {
  const out: number[] = [];
  for (const w of [a[1], a[0]]) for (let s = 0; s < 32; s += 8) out.push((w >>> s) & 0xff);
  return out;
}

/**
 * A safe integer as its 64-bit two's-complement pattern, so negative seeds are distinct from
 * positive ones and every safe integer maps to a different key.
 */
export function u64FromSafeInteger(n: number): U64 {
  const m = Math.abs(n);
  const hi = Math.floor(m / 4294967296) >>> 0;
  const lo = (m % 4294967296) >>> 0;
  if (n >= 0) return [hi, lo];
  return add64([~hi >>> 0, ~lo >>> 0], [0, 1]);
}
