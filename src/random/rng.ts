/**
 * Seeded, splittable pseudo-random numbers: xoshiro128** (Blackman & Vigna 2018) seeded through
 * SplitMix64. The hot path uses only 32-bit integer operations, and normals use a log built from
 * + − × ÷ (see log.ts), so a seed gives bit-identical numbers on every machine and engine.
 */
import { RnnscopeError } from '../errors.js';
import { deterministicLog } from './log.js';
import { bytesOf, fnv1a64, splitmix64, u64FromSafeInteger, type U64 } from './u64.js';

/** A stream of random numbers. Every random choice in rnnscope takes one (or a seed). */
export interface Rng {
  /** Next raw 32-bit output, an integer in [0, 2³²). */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits (two raw outputs). */
  uniform(): number;
  /** a + (b − a)·U, U uniform in [0, 1); requires a ≤ b. */
  uniformRange(a: number, b: number): number;
  /** Gaussian N(mean, std²) by the Marsaglia polar method (pairs: every other call is free). */
  normal(mean?: number, std?: number): number;
  /** true with probability p ∈ [0, 1]. */
  bernoulli(p: number): boolean;
  /** Unbiased integer in [0, n) for an integer 1 ≤ n ≤ 2⁵³ (rejection sampling, no modulo bias). */
  integer(n: number): number;
  /** Fisher–Yates shuffle in place; returns its argument. */
  shuffle<A extends { length: number; [i: number]: unknown }>(a: A): A;
  /** k indices from [0, n): without replacement (distinct, random order) unless `replace`. */
  sampleIndices(n: number, k: number, replace?: boolean): number[];
  /**
   * An independent child stream. Deterministic: it draws 64 bits from this stream and hashes
   * them into a fresh state, so the parent advances by two outputs.
   */
  split(): Rng;
  /**
   * A child stream named by `label`, derived from this stream's seed key and the label only —
   * not from the current position — so drawing more numbers elsewhere never shifts it.
   * `createRng(s).fork('init')` is the same stream however much the parent was used.
   */
  fork(label: string): Rng;
  /** A plain, JSON-serialisable snapshot; `rngFromState` resumes exactly from it. */
  state(): RngState;
}

/** Serialisable generator state (for checkpointing long trainings). */
export interface RngState {
  algorithm: 'xoshiro128**';
  /** The four 32-bit state words s[0..3]. */
  words: [number, number, number, number];
  /** The 64-bit seed key [hi, lo] that `fork` hashes. */
  key: [number, number];
  /** Second deviate of the last polar pair, not yet returned. */
  spareNormal: number | null;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const textEncoder = new TextEncoder();

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

class Xoshiro128StarStar implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(
    words: ArrayLike<number>,
    private readonly key: U64,
  ) {
    this.s0 = words[0] >>> 0;
    this.s1 = words[1] >>> 0;
    this.s2 = words[2] >>> 0;
    this.s3 = words[3] >>> 0;
    // The all-zero state is the generator's one fixed point; SplitMix64 cannot produce it,
    // but a hand-made RngState could.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) {
      throw new RnnscopeError('INVALID_ARGUMENT', 'xoshiro128** state must not be all zero');
    }
  }

  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  uniform(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / TWO_POW_53;
  }

  uniformRange(a: number, b: number): number {
    if (!(Number.isFinite(a) && Number.isFinite(b) && a <= b)) {
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `uniformRange needs finite a ≤ b, got a=${a}, b=${b}`,
      );
    }
    return a + (b - a) * this.uniform();
  }

  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * deterministicLog(s)) / s);
    this.spare = v * f;
    return mean + std * (u * f);
  }

  bernoulli(p: number): boolean {
    if (!(p >= 0 && p <= 1))
      throw new RnnscopeError('INVALID_ARGUMENT', `bernoulli needs 0 ≤ p ≤ 1, got ${p}`);
    return this.uniform() < p;
  }

  integer(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= TWO_POW_53)) {
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `integer(n) needs an integer 1 ≤ n ≤ 2^53, got ${n}`,
      );
    }
    if (n <= TWO_POW_32) {
      // Reject the top (2³² mod n) values so every residue is equally likely.
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let r = this.nextUint32();
      while (r >= limit) r = this.nextUint32();
      return r % n;
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    for (;;) {
      const r = (this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6);
      if (r < limit) return r % n;
    }
  }

  shuffle<A extends { length: number; [i: number]: unknown }>(a: A): A {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  sampleIndices(n: number, k: number, replace = false): number[] {
    if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(k) && k >= 0)) {
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `sampleIndices needs non-negative integers n, k; got n=${n}, k=${k}`,
      );
    }
    const out: number[] = new Array(k);
    if (replace) {
      if (k > 0 && n === 0)
        throw new RnnscopeError('INVALID_ARGUMENT', 'cannot sample from an empty range');
      for (let i = 0; i < k; i++) out[i] = this.integer(n);
      return out;
    }
    if (k > n) {
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `cannot draw ${k} distinct indices from ${n} without replacement`,
      );
    }
    if (k * 8 < n) {
      // Sparse case: rejection against a set costs O(k) memory instead of O(n).
      const seen = new Set<number>();
      for (let i = 0; i < k; i++) {
        let r = this.integer(n);
        while (seen.has(r)) r = this.integer(n);
        seen.add(r);
        out[i] = r;
      }
      return out;
    }
    // Dense case: the first k steps of a Fisher–Yates shuffle.
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.integer(n - i);
      const t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
      out[i] = pool[i];
    }
    return out;
  }

  split(): Rng {
    const hi = this.nextUint32();
    const lo = this.nextUint32();
    return rngFromKey([hi, lo]);
  }

  fork(label: string): Rng {
    if (typeof label !== 'string')
      throw new RnnscopeError('INVALID_ARGUMENT', 'fork label must be a string');
    const h = fnv1a64(textEncoder.encode(label), fnv1a64(bytesOf(this.key)));
    return rngFromKey(h);
  }

  state(): RngState {
    return {
      algorithm: 'xoshiro128**',
      words: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
      key: [this.key[0], this.key[1]],
      spareNormal: this.spare,
    };
  }

  restoreSpare(spare: number | null): void {
    this.spare = spare;
  }
}

/**
 * The 64-bit key a seed stands for: a safe integer as its two's-complement pattern, a string as
 * the FNV-1a-64 hash of its UTF-8 bytes. (So `7` and `'7'` are different seeds.)
 */
export function seedKey(seed: number | string): U64 {
  if (typeof seed === 'string') return fnv1a64(textEncoder.encode(seed));
  if (typeof seed === 'number' && Number.isSafeInteger(seed)) return u64FromSafeInteger(seed);
  throw new RnnscopeError(
    'INVALID_ARGUMENT',
    `seed must be a safe integer or a string, got ${String(seed)}`,
  );
}

/** State words from a key: two SplitMix64 outputs, low word first (a little-endian memcpy). */
function rngFromKey(key: U64): Rng {
  const [st, z1] = splitmix64(key);
  const [, z2] = splitmix64(st);
  return new Xoshiro128StarStar([z1[1], z1[0], z2[1], z2[0]], key);
}

/**
 * A seeded generator. Same seed ⇒ the same numbers, bit for bit, on any machine and engine.
 *
 * @example
 * const rng = createRng(42);
 * const x = rng.normal();          // N(0, 1)
 * const init = rng.fork('init');   // unaffected by later draws from rng
 */
export function createRng(seed: number | string): Rng {
  return rngFromKey(seedKey(seed));
}

/** Resumes a generator from `Rng.state()` exactly (including a pending normal deviate). */
export function rngFromState(state: RngState): Rng {
  if (state?.algorithm !== 'xoshiro128**' || state.words?.length !== 4 || state.key?.length !== 2) {
    throw new RnnscopeError('INVALID_ARGUMENT', 'not an xoshiro128** RngState');
  }
  for (const w of [...state.words, ...state.key]) {
    if (!(Number.isInteger(w) && w >= 0 && w < TWO_POW_32)) {
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `RngState words must be 32-bit unsigned integers, got ${w}`,
      );
    }
  }
  const rng = new Xoshiro128StarStar(state.words, [state.key[0], state.key[1]]);
  rng.restoreSpare(state.spareNormal ?? null);
  return rng;
}
