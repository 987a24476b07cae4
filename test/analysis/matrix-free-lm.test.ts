/**
 * The matrix-free Levenberg–Marquardt (gauss-newton above denseLimit): its CGLS inner solver
 * against numpy's least squares, the analytic and trained systems the dense method is tested on,
 * and the chaotic case it exists for (Newton–Krylov stagnates there).
 */
import { describe, expect, it } from 'vitest';
import {
  batchModelSystem,
  batchSystem,
  findFixedPoints,
  randomStates,
  sampleStates,
} from '../../src/analysis/index.js';
import { batchedCgls } from '../../src/analysis/fixed-points/cgls.js';
import { loadModelSync } from '../../src/io/index.js';
import type { Matrix } from '../../src/linalg/index.js';
import { createModel } from '../../src/models/index.js';
import { createRng, recurrentGaussian } from '../../src/random/index.js';
import { toy2d } from '../../src/systems/index.js';
import type { DynamicalSystem } from '../../src/systems/types.js';
import { hasPython, runPython, toWire } from '../helpers/python.js';

/**
 * A system whose Jacobian at a point is J_b, b = the point's first entry: the loop batch caches
 * `jacobian(x)` per point, so one batched CGLS call sees B different matrices.
 */
function jacobianFamily(n: number, Js: Float64Array[]): DynamicalSystem {
  return {
    dim: n,
    time: 'flow',
    label: 'jacobian family',
    velocity: (_x, out) => out.fill(0),
    jacobian: (x, out) => out.set(Js[Math.round(x[0])]),
  };
}

describe.skipIf(!hasPython())('batched CGLS (damped least squares) against numpy', () => {
  it('solves min ‖J_b p + f_b‖² + μ_b‖p‖² for several systems at once to 1e-9', () => {
    const n = 30;
    const rng = createRng(21);
    const B = 4;
    const Js = Array.from({ length: B }, (_, b) =>
      Float64Array.from({ length: n * n }, (_, k) =>
        // b = 3 is nearly singular (one tiny column), the case the damping is for.
        b === 3 && k % n === 0 ? 1e-6 * rng.normal() : rng.normal() / Math.sqrt(n),
      ),
    );
    const mu = Float64Array.of(1e-2, 1, 1e-6, 1e-4);
    const f: Matrix = {
      rows: B,
      cols: n,
      data: Float64Array.from({ length: B * n }, () => rng.normal()),
    };
    const batch = batchSystem(jacobianFamily(n, Js));
    const pts: Matrix = { rows: B, cols: n, data: new Float64Array(B * n) };
    for (let b = 0; b < B; b++) pts.data[b * n] = b;
    batch.setPoints(pts, B);
    const P: Matrix = { rows: B, cols: n, data: new Float64Array(B * n) };
    const info = batchedCgls(
      batch,
      f,
      B,
      {
        mu,
        rtol: new Float64Array(B).fill(1e-13),
        maxIterations: new Int32Array(B).fill(400),
        keepPath: true,
      },
      P,
    );
    const want = runPython<number[][]>(
      `res = []
for b in range(len(inp['J'])):
    J = np.array(inp['J'][b]).reshape(inp['n'], inp['n'])
    A = np.vstack([J, np.sqrt(inp['mu'][b]) * np.eye(inp['n'])])
    rhs = np.concatenate([-np.array(inp['f'][b]), np.zeros(inp['n'])])
    res.append(np.linalg.lstsq(A, rhs, rcond=None)[0].tolist())
out(res)`,
      {
        n,
        J: Js.map((J) => Array.from(J)),
        mu: Array.from(mu),
        f: Array.from({ length: B }, (_, b) => Array.from(f.data.subarray(b * n, (b + 1) * n))),
      },
    );
    for (let b = 0; b < B; b++) {
      const scale = Math.max(...want[b].map(Math.abs));
      want[b].forEach((v, i) => expect(Math.abs(P.data[b * n + i] - v)).toBeLessThan(1e-9 * scale));
      // ‖f + J·p‖² as reported, recomputed here.
      let r2 = 0;
      for (let i = 0; i < n; i++) {
        let s = f.data[b * n + i];
        for (let k = 0; k < n; k++) s += Js[b][i * n + k] * P.data[b * n + k];
        r2 += s * s;
      }
      expect(Math.abs(info.residual2[b] - r2)).toBeLessThan(1e-10 * (1 + r2));
      // The path: iterates after 1, 2, 4, … iterations, each lowering ‖f + Jp‖² + μ‖p‖².
      const path = info.path![b];
      expect(path.map((s) => s.iterations)).toEqual(path.map((_, k) => 2 ** k));
      let prev = Infinity;
      for (const s of path) {
        let p2 = 0;
        for (const v of s.p) p2 += v * v;
        const obj = s.residual2 + mu[b] * p2;
        expect(obj).toBeLessThan(prev);
        prev = obj;
      }
    }
  });
});

describe('matrix-free gauss-newton (denseLimit below N) on the dense method’s ground truths', () => {
  it('toy system: exactly the three fixed points, q < 1e-28', () => {
    const r = findFixedPoints(toy2d(), randomStates(2, 60, createRng(5), { scale: 1.5 }), {
      method: 'gauss-newton',
      denseLimit: 1,
    });
    expect(r.settings.matrixFree).toBe(true);
    const fixed = r.fixedPoints.filter((p) => p.kind === 'fixed');
    expect(fixed).toHaveLength(3);
    expect(fixed.map((p) => Math.round(p.x[0]) + 0).sort()).toEqual([-1, 0, 1]);
    for (const p of fixed) expect(p.q).toBeLessThan(1e-28);
    const dense = findFixedPoints(toy2d(), randomStates(2, 60, createRng(5), { scale: 1.5 }));
    expect(dense.settings.matrixFree).toBe(false);
  });

  it('16-unit flip-flop: every fixed point of the dense solves, 8 stable, q < 1e-24', () => {
    const fixture = new URL('../fixtures/flipflop/flipflop-rnn16.json', import.meta.url).pathname;
    const { params } = loadModelSync(fixture);
    const model = createModel(params);
    const rng = createRng('matrix-free flip-flop');
    const runs = Array.from({ length: 16 }, () => {
      const inp = { rows: 200, cols: 3, data: new Float64Array(600) };
      for (let t = 0; t < 200; t++)
        for (let c = 0; c < 3; c++)
          if (t === 0 || rng.uniform() < 0.05) inp.data[t * 3 + c] = rng.uniform() < 0.5 ? -1 : 1;
      return model.simulate(inp).states;
    });
    const starts = sampleStates(runs, 256, createRng(11), { replace: true, noise: 0.5 });
    const sys = batchModelSystem(params, new Float64Array(3));
    const mf = findFixedPoints(sys, starts, { method: 'gauss-newton', denseLimit: 8 });
    const dn = findFixedPoints(sys, starts, { method: 'gauss-newton' });
    const fixed = mf.fixedPoints.filter((p) => p.kind === 'fixed');
    for (const p of fixed) expect(p.q).toBeLessThan(1e-24);
    expect(fixed.filter((p) => p.stability === 'stable')).toHaveLength(8);
    // Every fixed point of the dense run is also found matrix-free, to 1e-9.
    const denseFixed = dn.fixedPoints.filter((p) => p.kind === 'fixed');
    const near = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    for (const p of denseFixed)
      expect(Math.min(...fixed.map((m) => near(m.x, p.x)))).toBeLessThan(1e-9);
    // (Starts can end at different saddles; matrix-free found 3 saddles more here, all q < 1e-24.)
    expect(fixed.length).toBeGreaterThanOrEqual(denseFixed.length);
  });
});

describe.skipIf(!hasPython())(
  'chaotic rate network (g = 1.5, N = 200): where Newton–Krylov stagnates',
  () => {
    const N = 200;
    const tau = 10;
    const rng = createRng(3);
    const W = recurrentGaussian(N, 1.5, rng);
    const params = { kind: 'rate' as const, activation: { name: 'tanh' as const }, tau, dt: 1, W };
    const x0 = Float64Array.from({ length: N }, () => rng.normal());
    const { states } = createModel(params).simulate(
      { rows: 600, cols: 0, data: new Float64Array(0) },
      x0,
    );
    const visited = { rows: 500, cols: N, data: states.data.slice(100 * N) };
    const starts = sampleStates([visited], 16, createRng(2));
    const sys = batchModelSystem(params);

    it('reaches true fixed points (checked against W and numpy) where Newton–Krylov does not', () => {
      const nk = findFixedPoints(sys, starts, { method: 'newton-krylov', periodic: 'never' });
      const lm = findFixedPoints(sys, starts, { method: 'gauss-newton', periodic: 'never' });
      expect(lm.settings.matrixFree).toBe(true);
      expect(nk.summary.fixed).toBe(0);
      expect(nk.warnings.join(' ')).toMatch(/'gauss-newton'.*keeps descending/);
      const median = (r: typeof lm) => {
        const q = r.starts
          .filter((s) => s.reason !== 'merged')
          .map((s) => s.q)
          .sort((a, b) => a - b);
        return q[q.length >> 1];
      };
      expect(median(lm)).toBeLessThan(1e-2 * median(nk));
      const fixed = lm.fixedPoints.filter((p) => p.kind === 'fixed');
      expect(fixed.length).toBeGreaterThanOrEqual(1);
      // Independent check: x* = W·tanh(x*) to round-off, and the eigenvalues of
      // J = (−I + W·diag(1 − tanh²x*))/τ from numpy.
      for (const p of fixed) {
        const r = p.x.map(Math.tanh);
        let worst = 0;
        for (let i = 0; i < N; i++) {
          let s = 0;
          for (let k = 0; k < N; k++) s += W.data[i * N + k] * r[k];
          worst = Math.max(worst, Math.abs(s - p.x[i]));
        }
        expect(worst).toBeLessThan(1e-10);
        const eig = runPython<[number, number][]>(
          `W = M(inp['W']); x = np.array(inp['x'])
J = (-np.eye(len(x)) + W * (1 - np.tanh(x) ** 2)[None, :]) / inp['tau']
l = np.linalg.eigvals(J)
l = l[np.argsort(-l.real)]
out([[float(z.real), float(z.imag)] for z in l])`,
          { W: toWire(W), x: p.x, tau },
        );
        const got = [...p.eigenvalues!].sort((a, b) => b[0] - a[0]);
        expect(got).toHaveLength(N);
        expect(got[0][0]).toBeCloseTo(eig[0][0], 9);
        expect(p.unstableDims).toBe(eig.filter(([re]) => re > 0).length);
      }
    });
  },
);

describe('matrix-free gauss-newton on bad input: labelled, never a crash', () => {
  const opts = { method: 'gauss-newton' as const, denseLimit: 1 };
  it('NaN starts are skipped and named; a velocity that is NaN in part of the space is survived', () => {
    const rows = [
      [NaN, 0],
      [0.2, 0.1],
      [0.8, 0.3],
    ];
    const r = findFixedPoints(
      toy2d(),
      { rows: 3, cols: 2, data: Float64Array.from(rows.flat()) },
      opts,
    );
    expect(r.starts[0]).toMatchObject({ status: 'not converged', reason: 'non-finite' });
    expect(r.starts[1].status).toBe('fixed');
    expect(r.warnings[0]).toMatch(/1 initial state \(rows 0\) had NaN/);
    const sqrtSys: DynamicalSystem = {
      dim: 1,
      time: 'flow',
      velocity: (x, out) => void (out[0] = Math.sqrt(x[0]) - 1),
      jacobian: (x, out) => void (out[0] = 0.5 / Math.sqrt(x[0])),
    };
    const s = findFixedPoints(sqrtSys, { rows: 2, cols: 1, data: Float64Array.of(4, 0.01) }, opts);
    expect(s.fixedPoints).toHaveLength(1);
    expect(s.fixedPoints[0].x[0]).toBeCloseTo(1, 14);
  });

  it('the iteration cap and interruption keep every start, labelled', () => {
    const starts = randomStates(2, 20, createRng(1), { scale: 3 });
    const r = findFixedPoints(toy2d(), starts, { ...opts, maxIterations: 1, earlyMerge: false });
    expect(r.starts.every((s) => s.iterations <= 1)).toBe(true);
    expect(r.starts.some((s) => s.reason === 'max iterations')).toBe(true);
    let calls = 0;
    const i = findFixedPoints(toy2d(), starts, { ...opts, shouldStop: () => ++calls > 2 });
    expect(i.interrupted).toBe(true);
    expect(i.starts).toHaveLength(20);
    expect(i.starts.every((s) => s.reason !== undefined)).toBe(true);
  });
});
