import { describe, expect, it } from 'vitest';
import { findFixedPoints, randomStates } from '../../src/analysis/index.js';
import { createRng } from '../../src/random/index.js';
import { fitzhughNagumo, toy2d } from '../../src/systems/index.js';

/** Real root of the FitzHugh–Nagumo cubic v − v³/3 − (v + a)/b + I = 0 when b < 1 (Cardano). */
function fhnRoot(a: number, b: number, I: number): number {
  // v³ + p·v + c = 0 with p = 3(1/b − 1) > 0 and c = −3(I − a/b): one real root.
  const p = 3 * (1 / b - 1);
  const c = -3 * (I - a / b);
  const d = Math.sqrt((c * c) / 4 + (p * p * p) / 27);
  return Math.cbrt(-c / 2 + d) + Math.cbrt(-c / 2 - d);
}

/** Eigenvalues of the closed-form FHN Jacobian [[1 − v², −1], [1/τ, −b/τ]]. */
function fhnEigenvalues(v: number, b: number, tau: number): [number, number][] {
  const tr = 1 - v * v - b / tau;
  const det = -(1 - v * v) * (b / tau) + 1 / tau;
  const disc = (tr * tr) / 4 - det;
  if (disc >= 0) {
    const s = Math.sqrt(disc);
    return [
      [tr / 2 + s, 0],
      [tr / 2 - s, 0],
    ];
  }
  const s = Math.sqrt(-disc);
  return [
    [tr / 2, s],
    [tr / 2, -s],
  ];
}

describe('toy system of seed 000 §3.1', () => {
  it('finds exactly the three fixed points from random starts, q < 1e-28, with their stability', () => {
    const sys = toy2d();
    const starts = randomStates(2, 200, createRng(7), { scale: 2 });
    const r = findFixedPoints(sys, starts);
    const fixed = r.fixedPoints.filter((p) => p.kind === 'fixed');
    expect(fixed).toHaveLength(3);
    expect(r.fixedPoints).toHaveLength(3);
    const find = (x: number, y: number) =>
      fixed.find((p) => Math.hypot(p.x[0] - x, p.x[1] - y) < 1e-12);
    const saddle = find(0, 0);
    const a = find(1, 0.5);
    const b = find(-1, -0.5);
    for (const p of [saddle, a, b]) {
      expect(p).toBeDefined();
      expect(p!.q).toBeLessThan(1e-28);
    }
    expect(saddle!.label).toBe('saddle');
    expect(saddle!.unstableDims).toBe(1);
    const ev = saddle!.eigenvalues!.map(([re, im]) => [re, im]);
    expect(ev[0][0]).toBeCloseTo((-1 + Math.sqrt(3)) / 2, 13);
    expect(ev[1][0]).toBeCloseTo((-1 - Math.sqrt(3)) / 2, 13);
    expect(ev[0][1]).toBe(0);
    for (const p of [a, b]) {
      expect(p!.stability).toBe('stable');
      expect(p!.label).toBe('stable node');
      // J = [[−1, 0], [½, −1]]: the double eigenvalue −1.
      for (const [re, im] of p!.eigenvalues!) {
        expect(Math.abs(re + 1)).toBeLessThan(1e-7);
        expect(Math.abs(im)).toBeLessThan(1e-7);
      }
    }
    // Every start is accounted for: fixed, or merged into one that is.
    expect(r.starts.every((s) => s.status === 'fixed' && s.fixedPoint !== null)).toBe(true);
    expect(r.fixedPoints.reduce((s, p) => s + p.count, 0)).toBe(200);
  });
});

describe('FitzHugh–Nagumo', () => {
  it('v* equals the real root of the cubic for I in [0, 1.5] and eigenvalues match the closed form', () => {
    const a = 0.7;
    const b = 0.8;
    const tau = 12.5;
    for (let k = 0; k <= 15; k++) {
      const I = k / 10;
      const sys = fitzhughNagumo({ a, b, tau, I });
      const starts = randomStates(2, 20, createRng(k), { scale: 2 });
      const r = findFixedPoints(sys, starts);
      expect(r.fixedPoints).toHaveLength(1);
      const p = r.fixedPoints[0];
      const v = fhnRoot(a, b, I);
      expect(Math.abs(p.x[0] - v)).toBeLessThan(1e-10);
      expect(Math.abs(p.x[1] - (v + a) / b)).toBeLessThan(1e-10);
      expect(p.output![0]).toBe(p.x[0]);
      const want = fhnEigenvalues(v, b, tau).sort((u, w) => w[0] - u[0] || w[1] - u[1]);
      p.eigenvalues!.forEach(([re, im], i) => {
        expect(Math.abs(re - want[i][0])).toBeLessThan(1e-10);
        expect(Math.abs(im - want[i][1])).toBeLessThan(1e-10);
      });
      const unstable = want.filter(([re]) => re > 0).length;
      expect(p.unstableDims).toBe(unstable);
    }
  });

  it('finds all three fixed points of a bistable parameter set with correct labels', () => {
    const a = 0.1;
    const b = 2;
    const tau = 12.5;
    const I = 0;
    const sys = fitzhughNagumo({ a, b, tau, I });
    const r = findFixedPoints(sys, randomStates(2, 100, createRng(3), { scale: 2 }));
    // Ground truth: the cubic −v³/3 + (1 − 1/b)v + I − a/b = 0 by the trigonometric formula.
    const p = -3 * (1 - 1 / b);
    const c = -3 * (I - a / b);
    const m = 2 * Math.sqrt(-p / 3);
    const theta = Math.acos(((3 * c) / (p * m)) * 1) / 3;
    const roots = [0, 1, 2]
      .map((k) => m * Math.cos(theta - (2 * Math.PI * k) / 3))
      .sort((u, w) => u - w);
    for (const v of roots) expect(Math.abs(v - v ** 3 / 3 - (v + a) / b + I)).toBeLessThan(1e-12);
    expect(r.fixedPoints.filter((q) => q.kind === 'fixed')).toHaveLength(3);
    const byV = [...r.fixedPoints].sort((u, w) => u.x[0] - w.x[0]);
    byV.forEach((fp, i) => {
      expect(Math.abs(fp.x[0] - roots[i])).toBeLessThan(1e-10);
      const ev = fhnEigenvalues(roots[i], b, tau);
      const unstable = ev.filter(([re]) => re > 0).length;
      const complex = ev[0][1] !== 0;
      const want =
        unstable === 0
          ? complex
            ? 'stable spiral'
            : 'stable node'
          : unstable === 2
            ? complex
              ? 'unstable spiral'
              : 'unstable node'
            : 'saddle';
      expect(fp.label).toBe(want);
    });
    expect(byV.map((f) => f.label)).toEqual([
      expect.stringMatching(/^stable/),
      'saddle',
      expect.stringMatching(/^stable/),
    ]);
  });
});
