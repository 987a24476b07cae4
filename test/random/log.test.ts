import { describe, expect, it } from 'vitest';
import { deterministicLog } from '../../src/random/log.js';
import { createRng } from '../../src/random/rng.js';

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Distance in units in the last place between two finite doubles of the same sign. */
function ulps(a: number, b: number): number {
  f64[0] = a;
  const ia = i64[0];
  f64[0] = b;
  const ib = i64[0];
  const d = ia - ib;
  return Number(d < 0n ? -d : d);
}

/** A double from raw random bits: positive, finite, any exponent (subnormals included). */
function randomPositiveDouble(hi: number, lo: number): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setUint32(0, hi & 0x7fefffff);
  dv.setUint32(4, lo);
  return dv.getFloat64(0);
}

describe('deterministicLog', () => {
  it('is within 1 ulp of Math.log over the whole positive range, near 1, and on subnormals', () => {
    const rng = createRng('log');
    const xs: number[] = [];
    for (let i = 0; i < 100_000; i++)
      xs.push(randomPositiveDouble(rng.nextUint32(), rng.nextUint32()));
    for (let i = 0; i < 50_000; i++) xs.push(rng.uniform()); // the polar method's range (0, 1)
    for (let i = 0; i < 20_000; i++) xs.push(1 + (rng.uniform() - 0.5) * 2 ** -18); // |f| < 2^-20 branch
    for (let i = 0; i < 10_000; i++) xs.push(rng.uniform() * 2 ** -1030); // subnormals
    for (let k = -1074; k <= 1023; k++) xs.push(2 ** k);
    xs.push(
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      Math.SQRT2,
      Math.SQRT1_2,
      Math.E,
      1 - 2 ** -53,
      1 + 2 ** -52,
    );
    let worst = 0;
    let worstX = 0;
    for (const x of xs) {
      if (x === 0) continue;
      const d = ulps(deterministicLog(x), Math.log(x));
      if (d > worst) {
        worst = d;
        worstX = x;
      }
    }
    expect(worst, `worst at x=${worstX}`).toBeLessThanOrEqual(1);
  });

  it('handles the special cases like Math.log', () => {
    expect(deterministicLog(1)).toBe(0);
    expect(deterministicLog(0)).toBe(-Infinity);
    expect(deterministicLog(-0)).toBe(-Infinity);
    expect(deterministicLog(Infinity)).toBe(Infinity);
    expect(deterministicLog(-1)).toBeNaN();
    expect(deterministicLog(-Infinity)).toBeNaN();
    expect(deterministicLog(NaN)).toBeNaN();
    expect(deterministicLog(2)).toBe(Math.LN2);
    expect(deterministicLog(10)).toBe(Math.LN10);
  });
});
