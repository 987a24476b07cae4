import { describe, expect, it } from 'vitest';
import { isRnnscopeError } from '../../src/errors.js';
import {
  builtinSystem,
  builtinSystemNames,
  finiteDifferenceJacobian,
  fitzhughNagumo,
  toy2d,
  type DynamicalSystem,
} from '../../src/systems/index.js';

/** Eigenvalues of a real 2×2 matrix [a b; c d] by the quadratic formula: [re1, im1, re2, im2]. */
function eig2(J: Float64Array): [number, number, number, number] {
  const tr = J[0] + J[3];
  const det = J[0] * J[3] - J[1] * J[2];
  const disc = (tr * tr) / 4 - det;
  if (disc >= 0) return [tr / 2 + Math.sqrt(disc), 0, tr / 2 - Math.sqrt(disc), 0];
  return [tr / 2, Math.sqrt(-disc), tr / 2, -Math.sqrt(-disc)];
}

function jac(sys: DynamicalSystem, x: ArrayLike<number>): Float64Array {
  const J = new Float64Array(sys.dim * sys.dim);
  sys.jacobian(Float64Array.from(x), J);
  return J;
}

function vel(sys: DynamicalSystem, x: ArrayLike<number>): Float64Array {
  const v = new Float64Array(sys.dim);
  sys.velocity(Float64Array.from(x), v);
  return v;
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / Math.max(den, 1e-300);
}

/** Jacobian, jvp and vjp against central differences at a grid of points. */
function checkDerivatives(sys: DynamicalSystem): void {
  for (const x of [
    [0.3, -0.7],
    [-1.4, 0.2],
    [2.1, 1.3],
    [0, 0],
  ]) {
    const J = jac(sys, x);
    const fd = finiteDifferenceJacobian(sys, Float64Array.from(x));
    expect(relErr(J, fd.data)).toBeLessThan(1e-8);
    const v = Float64Array.of(0.37, -1.21);
    const jv = new Float64Array(2);
    const vj = new Float64Array(2);
    sys.jvp!(Float64Array.from(x), v, jv);
    sys.vjp!(Float64Array.from(x), v, vj);
    expect(relErr(jv, [J[0] * v[0] + J[1] * v[1], J[2] * v[0] + J[3] * v[1]])).toBeLessThan(1e-15);
    expect(relErr(vj, [J[0] * v[0] + J[2] * v[1], J[1] * v[0] + J[3] * v[1]])).toBeLessThan(1e-15);
  }
}

describe('toy2d (seed 000 §3.1)', () => {
  const sys = toy2d();

  it('has the analytic Jacobian (finite differences, jvp, vjp)', () => {
    expect(sys.dim).toBe(2);
    expect(sys.time).toBe('flow');
    checkDerivatives(sys);
  });

  it('has fixed points (0,0), (1,½), (−1,−½) and not the misprinted (1,−½)', () => {
    for (const p of [
      [0, 0],
      [1, 0.5],
      [-1, -0.5],
    ]) {
      expect(Array.from(vel(sys, p), (v) => v + 0)).toEqual([0, 0]); // + 0 folds −0 into 0
    }
    expect(Array.from(vel(sys, [1, -0.5]), (v) => v + 0)).toEqual([0, 1]);
  });

  it('origin is a saddle with eigenvalues (−1 ± √3)/2; the other two are stable nodes (−1, −1)', () => {
    const J0 = jac(sys, [0, 0]);
    expect(Array.from(J0, (v) => v + 0)).toEqual([0, 1, 0.5, -1]);
    const [l1, i1, l2, i2] = eig2(J0);
    expect(i1).toBe(0);
    expect(i2).toBe(0);
    expect(l1).toBeCloseTo((-1 + Math.sqrt(3)) / 2, 14);
    expect(l2).toBeCloseTo((-1 - Math.sqrt(3)) / 2, 14);
    for (const p of [
      [1, 0.5],
      [-1, -0.5],
    ]) {
      const J = jac(sys, p);
      expect(Array.from(J)).toEqual([-1, 0, 0.5, -1]);
      const [a, , b] = eig2(J);
      expect(a).toBe(-1);
      expect(b).toBe(-1);
    }
  });
});

describe('fitzhughNagumo (seed 003 eq. 6)', () => {
  it('uses the seed-003 defaults a=0.7, b=0.8, tau=12.5 and I=0.5', () => {
    expect(fitzhughNagumo().params).toEqual({ a: 0.7, b: 0.8, tau: 12.5, I: 0.5 });
    expect(fitzhughNagumo({ I: 1 }).params.I).toBe(1);
  });

  it('evaluates dv/dt = v − v³/3 − w + I, dw/dt = (v + a − bw)/τ', () => {
    const sys = fitzhughNagumo({ a: 0.5, b: 0.6, tau: 10, I: 0.3 });
    const [dv, dw] = vel(sys, [1.2, -0.4]);
    expect(dv).toBeCloseTo(1.2 - 1.2 ** 3 / 3 + 0.4 + 0.3, 15);
    expect(dw).toBeCloseTo((1.2 + 0.5 + 0.6 * 0.4) / 10, 15);
    const z = new Float64Array(1);
    sys.output!(Float64Array.of(1.2, -0.4), z);
    expect(z[0]).toBe(1.2);
    expect(sys.outputDim).toBe(1);
  });

  it('has the analytic Jacobian', () => {
    checkDerivatives(fitzhughNagumo());
    checkDerivatives(fitzhughNagumo({ I: 1.0, b: 0.5 }));
  });

  it('fixed points follow the cubic, with J = [[1 − v*², −1], [1/τ, −b/τ]]', () => {
    for (const I of [0, 0.4, 0.6, 1.0, 1.4]) {
      const sys = fitzhughNagumo({ I });
      const { a, b, tau } = sys.params;
      // v − v³/3 − (v + a)/b + I is strictly decreasing for b < 1: bisection finds its single root.
      const g = (v: number) => v - v ** 3 / 3 - (v + a) / b + I;
      let lo = -5;
      let hi = 5;
      for (let k = 0; k < 200; k++) {
        const mid = (lo + hi) / 2;
        if (g(mid) > 0) lo = mid;
        else hi = mid;
      }
      const v = (lo + hi) / 2;
      const w = (v + a) / b;
      const F = vel(sys, [v, w]);
      expect(Math.abs(F[0]) + Math.abs(F[1])).toBeLessThan(1e-14);
      expect(Array.from(jac(sys, [v, w]))).toEqual([1 - v * v, -1, 1 / tau, -b / tau]);
      // Stability flips with the trace (det > 0 here): unstable inside the limit-cycle range.
      const [re] = eig2(jac(sys, [v, w]));
      if (I === 0.6 || I === 1.0) expect(re).toBeGreaterThan(0);
      if (I === 0) expect(re).toBeLessThan(0);
    }
  });

  it('rejects invalid parameters', () => {
    expect(() => fitzhughNagumo({ tau: 0 })).toThrow(/tau must be > 0/);
    expect(() => fitzhughNagumo({ a: NaN })).toThrow(/parameter a/);
  });
});

describe('builtinSystem', () => {
  it('builds the named systems with parameters', () => {
    expect(builtinSystemNames).toEqual(['toy2d', 'fitzhugh-nagumo']);
    expect(builtinSystem('toy2d', {}).dim).toBe(2);
    const fhn = builtinSystem('fitzhugh-nagumo', { I: 1.1, tau: 10 });
    const [, dw] = vel(fhn, [0, 0]);
    expect(dw).toBeCloseTo(0.07, 15);
  });

  it('rejects unknown names and parameters, listing the valid ones', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(isRnnscopeError(e) && e.code).toBe('INVALID_ARGUMENT');
        return (e as Error).message;
      }
      throw new Error('did not throw');
    };
    expect(err(() => builtinSystem('lorenz', {}))).toMatch(
      /unknown system 'lorenz'.*toy2d, fitzhugh-nagumo/,
    );
    expect(err(() => builtinSystem('fitzhugh-nagumo', { c: 1 }))).toMatch(
      /unknown parameter 'c'.*a, b, tau, I/,
    );
    expect(err(() => builtinSystem('toy2d', { a: 1 }))).toMatch(/valid parameters: none/);
    expect(err(() => builtinSystem('fitzhugh-nagumo', { I: Infinity }))).toMatch(/finite/);
    expect(err(() => builtinSystem('toString', {}))).toMatch(/unknown system/);
  });
});
