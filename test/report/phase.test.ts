/**
 * Phase portraits, FitzHugh–Nagumo v*(I) and the Nyquist figure against ground truth: nullcline
 * vertices where F_i = 0, arrows along F, q contours on their level, trajectories that are RK4
 * solutions, the analytic branch equal to the cubic's root (numpy.roots), the mean-field
 * figure equal to the report it draws.
 */
import { describe, expect, it } from 'vitest';
import { findFixedPoints, randomStates } from '../../src/analysis/index.js';
import { meanFieldReport } from '../../src/analysis/meanfield/index.js';
import { createRng } from '../../src/random/index.js';
import {
  fhnBifurcationFigure,
  fhnFixedPointCurve,
  fhnFixedPointVoltages,
  nyquistFigure,
  phasePlane,
  phasePortraitFigure,
} from '../../src/report/index.js';
import { fitzhughNagumo, integrate, toy2d } from '../../src/systems/index.js';
import { hasPython, runPython } from '../helpers/python.js';

const F = (sys: ReturnType<typeof toy2d>, x: number, y: number) => {
  const out = new Float64Array(2);
  sys.velocity(Float64Array.of(x, y), out);
  return out;
};

describe('phasePlane and phasePortraitFigure (toy2d, seed 000 §3.1)', () => {
  const sys = toy2d();
  const plane = phasePlane(sys, {
    xRange: [-1.7, 1.8],
    yRange: [-1.3, 1.2],
    trajectories: {
      starts: [
        [0.3, 1],
        [-1.5, -1],
      ],
      steps: 200,
      dt: 0.05,
      every: 2,
    },
  });

  it('nullcline vertices satisfy F_i = 0 to round-off, and cover x = ±1 and y = 0 for ẋ', () => {
    for (const n of plane.nullclines) {
      let count = 0;
      for (const line of n.lines)
        for (const [x, y] of line) {
          expect(Math.abs(F(sys, x, y)[n.component])).toBeLessThan(1e-13);
          count++;
        }
      expect(count).toBeGreaterThan(50);
    }
    // ẋ = (1 − x²)y = 0: the lines x = −1, x = 1 and y = 0 all appear.
    const pts = plane.nullclines[0].lines.flat();
    expect(pts.some(([x, y]) => Math.abs(x + 1) < 1e-12 && y > 0.5)).toBe(true);
    expect(pts.some(([x, y]) => Math.abs(x - 1) < 1e-12 && y < -0.5)).toBe(true);
    expect(pts.some(([x, y]) => Math.abs(y) < 1e-12 && Math.abs(x) < 0.5)).toBe(true);
    // ẏ = x/2 − y = 0 is the line y = x/2.
    for (const [x, y] of plane.nullclines[1].lines.flat()) expect(y).toBeCloseTo(x / 2, 12);
  });

  it('arrows point along F; q contours lie on their level', () => {
    expect(plane.arrows).toHaveLength(17 * 17);
    for (const a of plane.arrows) {
      const v = F(sys, a.x, a.y);
      expect(a.vx).toBe(v[0]);
      expect(a.vy).toBe(v[1]);
      if (a.speed > 0) {
        const dx = a.tip[0] - a.x;
        const dy = a.tip[1] - a.y;
        expect((dx * v[0] + dy * v[1]) / (Math.hypot(dx, dy) * a.speed)).toBeCloseTo(1, 12);
      }
    }
    expect(plane.qContours.length).toBeGreaterThan(0);
    for (const c of plane.qContours)
      for (const [x, y] of c.lines.flat()) {
        const v = F(sys, x, y);
        expect(Math.log10(0.5 * (v[0] ** 2 + v[1] ** 2))).toBeCloseTo(c.log10q, 9);
      }
  });

  it('trajectories are RK4 solutions (every 2nd step kept)', () => {
    const ref = integrate(sys, Float64Array.of(0.3, 1), 200, { dt: 0.05, method: 'rk4', every: 2 });
    const t = plane.trajectories[0];
    expect(t.length).toBe(ref.rows);
    t.forEach(([x, y], r) => {
      expect(x).toBe(ref.data[2 * r]);
      expect(y).toBe(ref.data[2 * r + 1]);
    });
  });

  it('the figure draws the points by type: two stable nodes (black) and the saddle (red ×)', () => {
    const fp = findFixedPoints(sys, randomStates(2, 60, createRng(4), { scale: 1.5 }));
    const fig = phasePortraitFigure({ plane, fixedPoints: fp.fixedPoints });
    const nodes = fig.data.find((t) => String(t.name).startsWith('stable node'))!;
    const saddle = fig.data.find((t) => String(t.name).startsWith('saddle'))!;
    expect((nodes.x as number[]).length).toBe(2);
    expect(nodes.marker).toMatchObject({ color: '#000000', symbol: 'circle' });
    expect(saddle.marker).toMatchObject({ color: '#d62728', symbol: 'x' });
    expect(saddle.x as number[]).toHaveLength(1);
    expect(Math.abs((saddle.x as number[])[0])).toBeLessThan(1e-12);
    const xs = (nodes.x as number[]).slice().sort();
    expect(xs[0]).toBeCloseTo(-1, 12);
    expect(xs[1]).toBeCloseTo(1, 12);
    // Each nullcline trace concatenates exactly the sampled polylines.
    const ncTrace = fig.data.find((t) => t.name === 'dx/dt = 0')!;
    const pts = (ncTrace.x as (number | null)[]).filter((v) => v !== null).length;
    expect(pts).toBe(plane.nullclines[0].lines.reduce((s, l) => s + l.length, 0));
    expect(fig.numbers.fixedPoints).toHaveLength(3);
  });

  it('refuses systems that are not 2-D', () => {
    expect(() =>
      phasePlane({ ...sys, dim: 3 } as never, { xRange: [0, 1], yRange: [0, 1] }),
    ).toThrow(/2-D/);
  });
});

describe('FitzHugh–Nagumo v* against I_ext (seed 003 §5.1)', () => {
  it.skipIf(!hasPython())('the analytic branch is the real root of the cubic (numpy.roots)', () => {
    const currents = [0, 0.4, 0.9, 1.4, 2];
    const curve = fhnFixedPointCurve(0.7, 0.8, currents);
    const ref = runPython<number[][]>(
      `
res = []
for I in inp['I']:
    r = np.roots([1/3, 0, 1/inp['b'] - 1, inp['a']/inp['b'] - I])
    res.append(sorted(float(z.real) for z in r if abs(z.imag) < 1e-9))
out(res)
`,
      { a: 0.7, b: 0.8, I: currents },
    );
    curve.v.forEach((roots, k) => {
      expect(roots).toHaveLength(1);
      expect(roots[0]).toBeCloseTo(ref[k][0], 12);
      const v = roots[0];
      expect(Math.abs(v - v ** 3 / 3 - (v + 0.7) / 0.8 + currents[k])).toBeLessThan(1e-14);
    });
    // b > 1 can give three real roots (trigonometric branch).
    const three = fhnFixedPointVoltages(0, 3, 0);
    expect(three).toHaveLength(3);
    for (const v of three) expect(Math.abs(v - v ** 3 / 3 - v / 3)).toBeLessThan(1e-14);
  });

  it('numerical fixed points of the system sit on the analytic branch; errors are 0 to 1e-10', () => {
    const currents = [0.2, 0.6, 1.0, 1.6];
    const points = currents.map((I) => {
      const sys = fitzhughNagumo({ I });
      const r = findFixedPoints(sys, randomStates(2, 20, createRng(1), { scale: 1 }));
      const p = r.fixedPoints[0];
      return { current: I, v: p.x[0], stability: p.stability };
    });
    const fig = fhnBifurcationFigure({
      analytic: fhnFixedPointCurve(
        0.7,
        0.8,
        Array.from({ length: 201 }, (_, k) => k / 100),
      ),
      points,
      pointsLabel: 'numerical',
    });
    const n = fig.numbers as {
      points: { error: number; stability: string; current: number }[];
      maxAbsError: number;
    };
    // Linear interpolation between samples 0.01 apart: error ≤ h²/8·|v''|.
    expect(n.maxAbsError).toBeLessThan(1e-4);
    for (const p of n.points) {
      const exact = fhnFixedPointVoltages(0.7, 0.8, p.current)[0];
      const found = points.find((q) => q.current === p.current)!;
      expect(found.v).toBeCloseTo(exact, 10);
    }
    // Inside the limit-cycle range the fixed point is unstable (seed 003 fig. 6), outside stable.
    expect(n.points.map((p) => p.stability)).toEqual(['stable', 'unstable', 'unstable', 'stable']);
  });
});

describe('nyquistFigure (seed 001 fig. 1)', () => {
  it('draws the report: G_OL curve, critical point 1 + 0i, bulk circle |λ + 1| = ρ, outliers', () => {
    const report = meanFieldReport({
      g: 1.1,
      amplitude: 1,
      activation: { name: 'relu', threshold: 0.1 },
      feedback: 'uniform',
      finite: { N: 300, seed: 1 },
    });
    const fig = nyquistFigure({ report });
    const gain = fig.data.find((t) => t.name === 'G_OL(iω), mean field')!;
    expect(gain.x).toEqual(report.gainOpenLoop.map((g) => g[1]));
    expect(gain.y).toEqual(report.gainOpenLoop.map((g) => g[2]));
    const cross = fig.data.find((t) => String(t.name).startsWith('critical point'))!;
    expect([cross.x, cross.y]).toEqual([[1], [0]]);
    const bulk = fig.data[0];
    (bulk.x as number[]).forEach((x, k) =>
      expect(Math.hypot(x + 1, (bulk.y as number[])[k])).toBeCloseTo(report.rho, 13),
    );
    expect(fig.numbers.outliers).toEqual(report.outliers);
    expect(fig.numbers.stable).toBe(false); // ReLU with a positive threshold: unstable (λ_out > 0)
    expect(report.lambdaOut).toBeGreaterThan(0);
    const finite = fig.numbers.finite as { outliers: number[][]; bulkRadius: number };
    expect(finite.outliers).toEqual(report.finite!.outliers);
    expect(finite.bulkRadius).toBe(report.finite!.bulkRadius);
  });
});
