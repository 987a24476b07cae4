import { describe, expect, it } from 'vitest';
import { fitzhughNagumo, integrate, toy2d, type DynamicalSystem } from '../../src/systems/index.js';

/** ẋ = λx (flow) or x' = (1 + λ)x (map), one dimension. */
function linear(lambda: number, time: 'flow' | 'map'): DynamicalSystem {
  return {
    dim: 1,
    time,
    velocity: (x, out) => {
      out[0] = lambda * x[0];
    },
    jacobian: (_x, out) => {
      out[0] = lambda;
    },
  };
}

describe('integrate', () => {
  it('Euler on ẋ = −x gives (1 − dt)^n, row 0 is x0', () => {
    const path = integrate(linear(-1, 'flow'), Float64Array.of(1), 10, {
      dt: 0.1,
      method: 'euler',
    });
    expect(path.rows).toBe(11);
    expect(path.data[0]).toBe(1);
    let x = 1;
    for (let n = 1; n <= 10; n++) {
      x += 0.1 * -x;
      expect(path.data[n]).toBe(x);
    }
  });

  it('RK4 is fourth-order accurate', () => {
    const err = (dt: number) => {
      const steps = Math.round(1 / dt);
      const path = integrate(linear(-1, 'flow'), Float64Array.of(1), steps, { dt });
      return Math.abs(path.data[steps] - Math.exp(-1));
    };
    const ratio = err(0.1) / err(0.05);
    expect(ratio).toBeGreaterThan(14);
    expect(ratio).toBeLessThan(18);
    expect(err(0.01)).toBeLessThan(1e-10);
  });

  it('iterates maps as x ← x + velocity(x), ignoring dt', () => {
    const path = integrate(linear(-0.5, 'map'), Float64Array.of(8), 3);
    expect(Array.from(path.data)).toEqual([8, 4, 2, 1]);
  });

  it('keeps every k-th state', () => {
    const path = integrate(toy2d(), Float64Array.of(0.1, 0.2), 10, { dt: 0.01, every: 3 });
    expect(path.rows).toBe(4);
    const full = integrate(toy2d(), Float64Array.of(0.1, 0.2), 9, { dt: 0.01 });
    expect(Array.from(path.data.subarray(6, 8))).toEqual(Array.from(full.data.subarray(18, 20)));
  });

  it('toy2d flows into a stable node; FitzHugh–Nagumo at I=0.5 settles on a limit cycle', () => {
    const p = integrate(toy2d(), Float64Array.of(0.5, 0.5), 4000, { dt: 0.01 });
    expect(p.data[p.data.length - 2]).toBeCloseTo(1, 6);
    expect(p.data[p.data.length - 1]).toBeCloseTo(0.5, 6);
    const fhn = integrate(fitzhughNagumo(), Float64Array.of(0, 0), 20_000, { dt: 0.05 });
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 10_000; r < fhn.rows; r++) {
      lo = Math.min(lo, fhn.data[2 * r]);
      hi = Math.max(hi, fhn.data[2 * r]);
    }
    expect(hi - lo).toBeGreaterThan(3); // relaxation oscillation of v between about ±2
  });

  it('reports divergence with the step and checks its arguments', () => {
    expect(() =>
      integrate(linear(1e160, 'flow'), Float64Array.of(1), 10, { dt: 1e100, method: 'euler' }),
    ).toThrow(/diverged at step 2/);
    expect(() => integrate(toy2d(), Float64Array.of(0, 0), 10, {})).toThrow(/dt > 0/);
    expect(() => integrate(toy2d(), Float64Array.of(0), 10, { dt: 0.1 })).toThrow(/length 2/);
    expect(() => integrate(toy2d(), Float64Array.of(0, 0), 10, { dt: 0.1, every: 0 })).toThrow(
      /every/,
    );
  });
});
