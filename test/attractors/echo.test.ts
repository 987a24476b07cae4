import { describe, expect, it } from 'vitest';
import {
  echoIndex,
  echoIndexSweep,
  jacobianNorms,
  modelStepper,
} from '../../src/analysis/attractors/index.js';
import { batchModelSystem, findFixedPoints, randomStates } from '../../src/analysis/index.js';
import { loadModelSync } from '../../src/io/index.js';
import { svd, type Matrix } from '../../src/linalg/index.js';
import type { ModelParams } from '../../src/models/types.js';
import { createRng } from '../../src/random/index.js';
import { decoupledRnn } from './helpers.js';

const FIXTURE = new URL('../fixtures/flipflop/flipflop-rnn16.json', import.meta.url).pathname;

function gaussian(n: number, m: number, seed: string): Matrix {
  const rng = createRng(seed);
  return { rows: n, cols: m, data: Float64Array.from({ length: n * m }, () => rng.normal()) };
}

/** A leaky ESN with ‖W‖₂ = norm exactly (W rescaled by its largest singular value). */
function contractingEsn(N: number, norm: number, alpha: number): ModelParams {
  const W = gaussian(N, N, 'contracting W');
  const s = svd(W).S[0];
  for (let k = 0; k < W.data.length; k++) W.data[k] *= norm / s;
  return { kind: 'leaky-esn', activation: { name: 'tanh' }, alpha, W, Win: gaussian(N, 2, 'Win') };
}

describe('echo index', () => {
  const fixture = loadModelSync(FIXTURE).params;

  it('flip-flop fixture, zero input: the index equals the number of stable fixed points', () => {
    const sys = batchModelSystem(fixture, new Float64Array(3));
    const fp = findFixedPoints(sys, randomStates(16, 300, createRng(4), { scale: 1.5 }));
    const stable = fp.fixedPoints.filter((p) => p.kind === 'fixed' && p.stability === 'stable');
    const r = echoIndex(fixture, { starts: 64, steps: 400, seed: 1 });
    expect(r.echoIndex).toBe(stable.length);
    expect(r.echoIndex).toBe(8);
    expect(r.unresolved).toBe(0);
    // Each response is one of the stable points, and the fractions add up.
    for (const c of r.clusters) {
      const d = Math.min(...stable.map((p) => Math.hypot(...p.x.map((v, i) => v - c.state[i]))));
      expect(d).toBeLessThan(1e-8);
      expect(c.probeDecay!.rate).toBeLessThan(0);
    }
    expect(r.clusters.reduce((s, c) => s + c.fraction, 0)).toBeCloseTo(1, 12);
  });

  it('falls to 1 for large random input (and stays at 8 for tiny input): the sweep', () => {
    const s = echoIndexSweep(fixture, [0, 0.02, 2], {
      input: { kind: 'random', amplitude: 1 },
      starts: 48,
      steps: 400,
      seed: 2,
      regionSamples: 16,
    });
    expect(s.table.map((row) => row.echoIndex)).toEqual([8, 8, 1]);
    expect(s.results[2].esp).toBe(true);
    expect(s.analytic!.bound).toBeGreaterThan(1); // the global bound says nothing here
  });

  it('a contracting leaky ESN (‖W‖₂ = 0.8): index 1 for every input, the bound (1−α)+α‖W‖ < 1', () => {
    const params = contractingEsn(30, 0.8, 0.3);
    for (const input of [
      { kind: 'zeros' as const },
      { kind: 'random' as const, amplitude: 3 },
      { kind: 'pulses' as const, amplitude: 1, width: 3, rate: 0.1 },
    ]) {
      const r = echoIndex(params, { input, starts: 16, steps: 300, seed: 3, regionSamples: 8 });
      expect(r.echoIndex).toBe(1);
      expect(r.esp).toBe(true);
      const a = r.contraction!.analytic!;
      expect(a.normWeff).toBeCloseTo(0.8, 10);
      expect(a.bound).toBeCloseTo(0.7 + 0.3 * 0.8, 10);
      expect(a.holds).toBe(true);
      expect(r.contraction!.sampled!.max).toBeLessThanOrEqual(a.bound + 1e-12);
    }
  });

  it('decay rates: a linear map x ← 0.9·x converges at ln 0.9 per step', () => {
    const params: ModelParams = {
      kind: 'rnn',
      activation: { name: 'identity' },
      W: { rows: 3, cols: 3, data: Float64Array.of(0.9, 0, 0, 0, 0.9, 0, 0, 0, 0.9) },
      Win: { rows: 3, cols: 1, data: Float64Array.of(1, -1, 0.5) },
    };
    const r = echoIndex(params, {
      input: { kind: 'random', amplitude: 1 },
      starts: 8,
      steps: 200,
      seed: 4,
    });
    expect(r.echoIndex).toBe(1);
    const c = r.clusters[0];
    expect(c.probeDecay!.rate).toBeCloseTo(Math.log(0.9), 6);
    expect(c.memberDecay!.rate).toBeCloseTo(Math.log(0.9), 4);
  });

  it('decoupled bistable unit: 2 responses under zero input with basins splitting the starts', () => {
    const r = echoIndex(decoupledRnn([2]), { starts: 200, steps: 100, seed: 5 });
    expect(r.echoIndex).toBe(2);
    // x0 ~ N(0, 1) is symmetric: each basin (the half-lines) holds about half the starts.
    for (const c of r.clusters) expect(c.fraction).toBeGreaterThan(0.35);
  });

  it('‖D_xG‖₂ at sampled points: dense and power iteration agree with the diagonal closed form', () => {
    for (const N of [5, 150]) {
      const w = Array.from({ length: N }, (_, i) => 0.5 + (1.5 * i) / N);
      const params = decoupledRnn(w);
      const st = modelStepper(params);
      const rng = createRng(`norm ${N}`);
      const X = {
        rows: 3,
        cols: N,
        data: Float64Array.from({ length: 3 * N }, () => rng.normal()),
      };
      const U = {
        rows: 3,
        cols: N,
        data: Float64Array.from({ length: 3 * N }, () => 0.3 * rng.normal()),
      };
      const { norms, method } = jacobianNorms(st, X, U, rng, 300);
      expect(method).toBe(N <= 128 ? 'dense' : 'power iteration');
      for (let k = 0; k < 3; k++) {
        // DG = diag(w_i·(1 − tanh²(w_i·x_i + u_i))).
        let ref = 0;
        for (let i = 0; i < N; i++)
          ref = Math.max(
            ref,
            w[i] * (1 - Math.tanh(w[i] * X.data[k * N + i] + U.data[k * N + i]) ** 2),
          );
        expect(norms[k]).toBeCloseTo(ref, N <= 128 ? 12 : 6);
      }
      st.release();
    }
  });

  it('rejects bad options', () => {
    expect(() => echoIndex(fixture, { steps: 10, transient: 10 })).toThrow(/transient/);
    expect(() => echoIndex(fixture, { input: { kind: 'random', amplitude: -1 } })).toThrow(
      /amplitude must be a finite number ≥ 0/,
    );
    expect(() => echoIndex(fixture, { channels: [3] })).toThrow(/channel 3 does not exist/);
  });
});
