import { describe, expect, it } from 'vitest';
import { activation } from '../../src/models/activations.js';
import { ACTIVATIONS, phi } from './helpers.js';

describe('activations', () => {
  const xs = Float64Array.from({ length: 41 }, (_, i) => -4 + i * 0.2 + 0.013);

  for (const spec of ACTIVATIONS) {
    it(`${spec.name}: value, derivative (vs central differences) and the fused pass`, () => {
      const act = activation(spec);
      const v = new Float64Array(xs.length);
      const d = new Float64Array(xs.length);
      act.value(xs, v);
      act.derivative(xs, d);
      for (let i = 0; i < xs.length; i++) {
        expect(v[i]).toBe(phi(spec, xs[i]));
        const h = 1e-6;
        const fd = (phi(spec, xs[i] + h) - phi(spec, xs[i] - h)) / (2 * h);
        expect(Math.abs(d[i] - fd)).toBeLessThan(1e-8);
      }
      const v2 = Float64Array.from(xs);
      const d2 = new Float64Array(xs.length);
      act.valueAndDerivative(v2, v2, d2); // value aliasing its input is allowed
      expect(v2).toEqual(v);
      expect(d2).toEqual(d);
      const partial = new Float64Array(xs.length).fill(7);
      act.value(xs, partial, 3);
      expect(partial[3]).toBe(7);
    });
  }

  it('relu uses max(0, x − θ) with the 0 subgradient at the kink, θ defaulting to 0', () => {
    const r = activation({ name: 'relu', threshold: 0.1 });
    const out = new Float64Array(3);
    r.value(Float64Array.of(0.05, 0.1, 0.3), out);
    expect(Array.from(out)).toEqual([0, 0, 0.3 - 0.1]);
    r.derivative(Float64Array.of(0.05, 0.1, 0.3), out);
    expect(Array.from(out)).toEqual([0, 0, 1]);
    activation({ name: 'relu' }).value(Float64Array.of(-1, 2), out, 2);
    expect(Array.from(out.subarray(0, 2))).toEqual([0, 2]);
  });

  it('logistic saturates without NaN', () => {
    const out = new Float64Array(2);
    activation({ name: 'logistic' }).valueAndDerivative(
      Float64Array.of(-1000, 1000),
      out,
      new Float64Array(2),
    );
    expect(Array.from(out)).toEqual([0, 1]);
  });

  it('rejects unknown names and bad thresholds', () => {
    expect(() => activation({ name: 'softplus' } as never)).toThrow(
      /one of tanh, logistic, relu, identity/,
    );
    expect(() => activation({ name: 'relu', threshold: NaN })).toThrow(/threshold/);
  });
});
