import { describe, expect, it } from 'vitest';
import {
  batchModelSystem,
  findFixedPoints,
  findFixedPointsAsync,
  randomStates,
  sampleStates,
} from '../../src/analysis/index.js';
import { RnnscopeError } from '../../src/errors.js';
import { createRng, recurrentGaussian } from '../../src/random/index.js';
import { toy2d } from '../../src/systems/index.js';
import type { DynamicalSystem } from '../../src/systems/types.js';

const states = (rows: number[][]) => ({
  rows: rows.length,
  cols: rows[0].length,
  data: Float64Array.from(rows.flat()),
});

describe('bad input and non-converging runs: clear messages, labelled partial results', () => {
  it('rejects wrong shapes and bad options with RnnscopeError', () => {
    expect(() => findFixedPoints(toy2d(), states([[1, 2, 3]]))).toThrow(/must have 2 columns/);
    const bad = () => findFixedPoints(toy2d(), states([[1, 2]]), { tolFixed: -1 });
    expect(bad).toThrow(RnnscopeError);
    expect(bad).toThrow(/tolFixed must be a finite number ≥ 0, got -1/);
    expect(() => findFixedPoints(toy2d(), states([[1, 2]]), { method: 'bfgs' as never })).toThrow(
      /method must be one of/,
    );
    expect(() => findFixedPoints(toy2d(), { rows: 0, cols: 2, data: new Float64Array(0) })).toThrow(
      /no initial states/,
    );
  });

  it('labels NaN starts and keeps going with the rest', () => {
    const r = findFixedPoints(
      toy2d(),
      states([
        [NaN, 0],
        [0.2, 0.1],
        [Infinity, 1],
        [0.8, 0.3],
      ]),
    );
    expect(r.starts[0]).toMatchObject({
      status: 'not converged',
      reason: 'non-finite',
      fixedPoint: null,
    });
    expect(r.starts[2].reason).toBe('non-finite');
    expect(r.starts[1].status).toBe('fixed');
    expect(r.warnings[0]).toMatch(/2 initial states \(rows 0, 2\) had NaN/);
  });

  it('survives a velocity that returns NaN in part of the space (rejected steps, not a crash)', () => {
    const sys: DynamicalSystem = {
      dim: 1,
      time: 'flow',
      velocity: (x, out) => void (out[0] = Math.sqrt(x[0]) - 1),
      jacobian: (x, out) => void (out[0] = 0.5 / Math.sqrt(x[0])),
    };
    const r = findFixedPoints(sys, states([[4], [0.01], [-1]]));
    expect(r.fixedPoints).toHaveLength(1);
    expect(r.fixedPoints[0].x[0]).toBeCloseTo(1, 14);
    expect(r.starts[2].reason).toBe('non-finite');
  });

  it('a run stopped by the iteration cap keeps its points, labelled not converged', () => {
    const r = findFixedPoints(toy2d(), randomStates(2, 20, createRng(1), { scale: 3 }), {
      maxIterations: 1,
      earlyMerge: false,
    });
    expect(r.starts.every((s) => s.iterations <= 1)).toBe(true);
    const capped = r.starts.filter((s) => s.reason === 'max iterations');
    expect(capped.length).toBeGreaterThan(0);
    for (const s of capped) expect(s.status).not.toBe('fixed');
    expect(r.warnings.join(' ')).toMatch(/did not converge \(\d+ max iterations/);
  });

  it('interruption returns what was found, every start labelled', async () => {
    let calls = 0;
    const r = findFixedPoints(toy2d(), randomStates(2, 30, createRng(2), { scale: 2 }), {
      shouldStop: () => ++calls > 2,
      earlyMerge: false,
    });
    expect(r.interrupted).toBe(true);
    expect(r.starts.some((s) => s.reason === 'interrupted')).toBe(true);
    expect(r.warnings.join(' ')).toMatch(/interrupted/);
    const ac = new AbortController();
    ac.abort();
    const a = await findFixedPointsAsync(toy2d(), randomStates(2, 5, createRng(3)), {
      signal: ac.signal,
    });
    expect(a.interrupted).toBe(true);
    expect(a.starts.every((s) => s.reason === 'interrupted')).toBe(true);
  });

  it('reports progress through the callback', () => {
    const phases = new Set<string>();
    findFixedPoints(toy2d(), randomStates(2, 10, createRng(4)), {
      onProgress: (p) => phases.add(p.phase),
      progressInterval: 0,
    });
    expect([...phases]).toEqual(['optimise', 'linearise']);
  });

  it('sampling without replacement refuses to draw more states than exist', () => {
    const T = { rows: 3, cols: 2, data: new Float64Array(6) };
    expect(() => sampleStates(T, 4, createRng(1))).toThrow(/without replacement from 3/);
    expect(sampleStates(T, 4, createRng(1), { replace: true }).rows).toBe(4);
  });
});

describe('every optimiser agrees on the toy system; only second-order ones reach float64 round-off', () => {
  const starts = randomStates(2, 60, createRng(5), { scale: 1.5 });
  for (const method of ['gauss-newton', 'newton-krylov', 'cg'] as const) {
    it(`${method}: the three fixed points`, () => {
      const r = findFixedPoints(toy2d(), starts, { method });
      const fixed = r.fixedPoints.filter((p) => p.kind === 'fixed');
      expect(fixed.map((p) => Math.round(p.x[0]))).toEqual(expect.arrayContaining([0, 1, -1]));
      expect(fixed).toHaveLength(3);
      if (method !== 'cg') for (const p of fixed) expect(p.q).toBeLessThan(1e-28);
    });
  }
  it('adam (FixedPointFinder schedule) stops at its q < 1e-12 rule: reported as slow points', () => {
    const r = findFixedPoints(toy2d(), starts, { method: 'adam' });
    expect(r.starts.every((s) => s.q < 1e-12)).toBe(true);
    expect(r.summary.slow).toBeGreaterThan(0);
    expect(r.fixedPoints.every((p) => p.kind === 'slow' || p.q <= r.settings.tolFixed)).toBe(true);
  });
  it('batched model evaluation equals the per-state system', () => {
    const N = 12;
    const rng = createRng(6);
    const params = {
      kind: 'ctrnn' as const,
      activation: { name: 'tanh' as const },
      tau: 3,
      dt: 0.5,
      W: recurrentGaussian(N, 1.2, rng),
      Win: { rows: N, cols: 2, data: Float64Array.from({ length: 2 * N }, () => rng.normal()) },
      Wout: { rows: 1, cols: N, data: Float64Array.from({ length: N }, () => rng.normal() / N) },
      Wfb: { rows: N, cols: 1, data: Float64Array.from({ length: N }, () => rng.normal()) },
    };
    const sys = batchModelSystem(params, Float64Array.of(0.3, -1));
    const X = randomStates(N, 5, rng);
    const F = { rows: 5, cols: N, data: new Float64Array(5 * N) };
    sys.batch.velocity(X, 5, F);
    sys.batch.setPoints(X, 5);
    const V = randomStates(N, 5, rng);
    const JV = { rows: 5, cols: N, data: new Float64Array(5 * N) };
    const VJ = { rows: 5, cols: N, data: new Float64Array(5 * N) };
    const which = Int32Array.of(0, 1, 2, 3, 4);
    sys.batch.jvp(V, 5, which, JV);
    sys.batch.vjp(V, 5, which, VJ);
    const f = new Float64Array(N);
    const jv = new Float64Array(N);
    const vj = new Float64Array(N);
    for (let r = 0; r < 5; r++) {
      const x = X.data.subarray(r * N, (r + 1) * N);
      const v = V.data.subarray(r * N, (r + 1) * N);
      sys.velocity(x, f);
      sys.jvp!(x, v, jv);
      sys.vjp!(x, v, vj);
      for (let i = 0; i < N; i++) {
        expect(F.data[r * N + i]).toBeCloseTo(f[i], 13);
        expect(JV.data[r * N + i]).toBeCloseTo(jv[i], 13);
        expect(VJ.data[r * N + i]).toBeCloseTo(vj[i], 13);
      }
    }
  });
});
