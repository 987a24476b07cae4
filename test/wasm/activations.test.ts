import { describe, expect, it } from 'vitest';
import { createWasmBackend, wasmVector } from '../../src/linalg/wasm/index.js';
import { availableBuilds, rng, ulpDiff } from './helpers.js';

const builds = availableBuilds();

/** Points that stress every branch: tiny, subnormal, around the 0.625 switch, saturation, specials. */
function samples(): Float64Array {
  const next = rng(42);
  const xs: number[] = [
    0, -0, 5e-324, -5e-324, 1e-310, 1e-300, 1e-20, 1e-9, 0.5, 0.625, 0.62499999999999989,
    0.62500000000000011, 1, 2, 5, 10, 18, 19.06, 20, 22, 30, 200, 354, 355, 700, 710, 746, 800,
    1e300,
  ];
  for (let i = 0; i < 20000; i++) xs.push(next() * 0.7); // polynomial branch
  for (let i = 0; i < 20000; i++) xs.push(next() * 25); // exp branch up to saturation
  for (let i = 0; i < 5000; i++) xs.push(next() * 750); // wide
  for (let e = -30; e <= 9; e += 0.01) xs.push(2 ** e);
  const all = xs.flatMap((x) => [x, -x]);
  all.push(Infinity, -Infinity, NaN);
  return Float64Array.from(all);
}

function maxUlp(
  got: Float64Array,
  want: (x: number) => number,
  xs: Float64Array,
  skip = (_x: number) => false,
) {
  let worst = 0;
  let at = 0;
  for (let i = 0; i < xs.length; i++) {
    if (skip(xs[i])) continue;
    const u = ulpDiff(got[i], want(xs[i]));
    if (u > worst) {
      worst = u;
      at = xs[i];
    }
  }
  return { worst, at };
}

/** σ(x) from Math.exp, the branch that never overflows (itself within ~2 ulp). */
function logisticRef(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** sech²(x) computed in the same overflow-free way. */
function tanhDerivRef(x: number): number {
  const a = Math.abs(x);
  if (a < 0.5) {
    const t = Math.tanh(a);
    return (1 - t) * (1 + t);
  }
  const e = Math.exp(-2 * a);
  return (4 * e) / ((1 + e) * (1 + e));
}

describe.each(builds)('fused activations, $variant build', ({ kernels }) => {
  const ops = createWasmBackend({ kernels });
  const xs = samples();
  const n = xs.length;

  it('tanh is within 4 ulp of Math.tanh everywhere (incl. ±0, ±Inf, NaN, subnormals)', () => {
    const y = new Float64Array(n);
    const d = new Float64Array(n);
    ops.tanh(xs, y, d);
    const { worst, at } = maxUlp(y, Math.tanh, xs);
    expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(4);
    expect(Object.is(y[xs.findIndex((v) => Object.is(v, -0))], -0)).toBe(true);
    expect(y[n - 3]).toBe(1);
    expect(y[n - 2]).toBe(-1);
    expect(y[n - 1]).toBeNaN();
  });

  it('tanh derivative is accurate in relative terms, also deep in the saturated tails', () => {
    const y = new Float64Array(n);
    const d = new Float64Array(n);
    ops.tanh(xs, y, d);
    // Beyond |x| = 354 the kernel caps the argument (derivative ≤ 1e-307 there).
    const { worst, at } = maxUlp(d, tanhDerivRef, xs, (x) => !(Math.abs(x) < 354));
    expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(8);
    for (let i = 0; i < n; i++) if (Math.abs(xs[i]) >= 354) expect(d[i]).toBeLessThan(1e-300);
  });

  it('logistic and its derivative are within a few ulp of the overflow-free reference', () => {
    const y = new Float64Array(n);
    const d = new Float64Array(n);
    ops.logistic(xs, y, d);
    // Results below 1e-300 are subnormal or nearly so, where ulp counts mean nothing.
    const tiny = (x: number) => Number.isFinite(x) && logisticRef(x) < 1e-300;
    const v = maxUlp(y, logisticRef, xs, tiny);
    expect(v.worst, `value worst at x = ${v.at}`).toBeLessThanOrEqual(4);
    const dv = maxUlp(
      d,
      (x) => logisticRef(x) * logisticRef(-x),
      xs,
      (x) => tiny(x) || tiny(-x),
    );
    expect(dv.worst, `derivative worst at x = ${dv.at}`).toBeLessThanOrEqual(6);
    expect(y[xs.indexOf(-Infinity)]).toBe(0);
    expect(y[xs.indexOf(Infinity)]).toBe(1);
    expect(y[n - 1]).toBeNaN();
  });

  it('relu with threshold: max(0, x − θ) and the step derivative', () => {
    const x = Float64Array.from([-2, -0.5, 0, 0.3, 0.5, 0.7, 3, NaN]);
    const y = new Float64Array(x.length);
    const d = new Float64Array(x.length);
    ops.relu(x, y, d, 0.5);
    expect(Array.from(y.subarray(0, 7))).toEqual([0, 0, 0, 0, 0, x[5] - 0.5, 2.5]);
    expect(y[7]).toBeNaN();
    expect(Array.from(d)).toEqual([0, 0, 0, 0, 0, 1, 1, 0]);
    ops.relu(x, y); // default threshold 0, no derivative
    expect(Array.from(y.subarray(0, 7))).toEqual([0, 0, 0, 0.3, 0.5, 0.7, 3]);
  });

  it('works in place on wasm vectors, odd lengths included', () => {
    for (const len of [0, 1, 2, 3, 17]) {
      const v = wasmVector(len, kernels);
      const next = rng(len + 1);
      for (let i = 0; i < len; i++) v.data[i] = 3 * next();
      const want = Array.from(v.data, Math.tanh);
      ops.tanh(v.data, v.data);
      for (let i = 0; i < len; i++) expect(ulpDiff(v.data[i], want[i])).toBeLessThanOrEqual(4);
    }
  });

  it('checks lengths', () => {
    expect(() => ops.tanh(new Float64Array(3), new Float64Array(2))).toThrow(/length/);
  });
});
