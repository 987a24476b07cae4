import { describe, expect, it } from 'vitest';
import {
  batchModelSystem,
  findFixedPoints,
  kStepSystem,
  randomStates,
} from '../../src/analysis/index.js';
import { createRng } from '../../src/random/index.js';
import { finiteDifferenceJacobian } from '../../src/systems/index.js';

/** c > 0 with c = tanh(3c), by bisection: the period-2 cycle ±c of h ↦ tanh(−3h). */
function cycleAmplitude(): number {
  let lo = 0.5;
  let hi = 1;
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (Math.tanh(3 * mid) - mid > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('periodic orbits of maps (memories stored as cycles)', () => {
  // h ↦ tanh(−3h) in each of 3 units: the only fixed point (0) is unstable (multiplier −3), and
  // the attractors are the 4 period-2 orbits with every unit on the cycle ±c.
  const W = { rows: 3, cols: 3, data: Float64Array.from([-3, 0, 0, 0, -3, 0, 0, 0, -3]) };
  const sys = batchModelSystem({ kind: 'rnn', activation: { name: 'tanh' }, W });

  it('finds no stable fixed point, then the 4 stable period-2 orbits, and warns', () => {
    const r = findFixedPoints(sys, randomStates(3, 64, createRng(4), { scale: 0.7 }));
    expect(r.fixedPoints).toHaveLength(1);
    expect(r.fixedPoints[0].label).toBe('unstable node');
    const c = cycleAmplitude();
    const stable = (r.periodicOrbits ?? []).filter((o) => o.stability === 'stable');
    expect(stable).toHaveLength(4);
    const mu = (3 * (1 - c * c)) ** 2; // D(G²) = diag(9(1 − c²)²)
    for (const o of stable) {
      expect(o.period).toBe(2);
      for (const pt of o.points)
        for (const v of pt) expect(Math.abs(Math.abs(v) - c)).toBeLessThan(1e-12);
      for (let i = 0; i < 3; i++) expect(o.points[1][i]).toBeCloseTo(-o.points[0][i], 12);
      for (const [re, im] of o.multipliers) {
        expect(Math.abs(re - mu)).toBeLessThan(1e-10);
        expect(im).toBe(0);
      }
    }
    expect(r.warnings.join(' ')).toMatch(
      /no stable fixed point, but 4 stable periodic orbits \(period 2\)/,
    );
  });

  it('the k-step map has the chain-rule Jacobian (finite differences) and matching jvp/vjp', () => {
    const g2 = kStepSystem(sys, 2);
    const x = Float64Array.of(0.3, -0.2, 0.5);
    const J = new Float64Array(9);
    g2.jacobian(x, J);
    const fd = finiteDifferenceJacobian(g2, x);
    for (let k = 0; k < 9; k++) expect(Math.abs(J[k] - fd.data[k])).toBeLessThan(1e-8);
    const v = Float64Array.of(1, 2, -1);
    const jv = new Float64Array(3);
    const vj = new Float64Array(3);
    g2.jvp!(x, v, jv);
    g2.vjp!(x, v, vj);
    for (let i = 0; i < 3; i++) {
      let a = 0;
      let b = 0;
      for (let k = 0; k < 3; k++) {
        a += J[i * 3 + k] * v[k];
        b += J[k * 3 + i] * v[k];
      }
      expect(jv[i]).toBeCloseTo(a, 12);
      expect(vj[i]).toBeCloseTo(b, 12);
    }
  });
});
