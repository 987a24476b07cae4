/**
 * Weight-noise robustness on the committed 16-unit flip-flop fixture (8 stable corners):
 * η = 0 reproduces the unperturbed network exactly, draws are reproducible from the seed, the
 * perturbation has the stated statistics and touches W only, and strong noise destroys memories.
 */
import { describe, expect, it } from 'vitest';
import {
  experimentStarts,
  perturbRecurrent,
  standardNormalMatrix,
  weightNoiseRobustness,
  type RobustnessResult,
} from '../../src/analysis/experiments/index.js';
import { loadModelSync } from '../../src/io/index.js';
import { createModel } from '../../src/models/index.js';
import { createRng, recurrentGaussian } from '../../src/random/index.js';
import { createTask } from '../../src/tasks/index.js';
import { createReservoir, evaluateModel } from '../../src/train/index.js';

const FIXTURE = new URL('../fixtures/flipflop/flipflop-rnn16.json', import.meta.url);
const params = loadModelSync(FIXTURE.pathname).params;
const task = createTask({
  task: 'flipflop',
  variant: 'discrete',
  bits: 3,
  pulseRate: 0.05,
  steps: 200,
});

const withoutTimes = (r: RobustnessResult) =>
  JSON.parse(JSON.stringify(r, (k, v) => (k === 'seconds' ? undefined : v)));

describe('robustness to noise in W', () => {
  it('η = 0 is the unperturbed network; draws are reproducible; strong noise costs memories', async () => {
    const opts = { task, etas: [0, 0.02, 0.6], draws: 3, seed: 5, evaluate: { trials: 4 } };
    const r = await weightNoiseRobustness(params, opts);
    expect(r.partial).toBe(false);
    // The baseline is the network itself: its own test score and its 8 corners.
    const direct = evaluateModel(params, task, createRng(5), { trials: 4 });
    expect(r.baseline.mse).toBe(direct.mse);
    expect(r.baseline.stable).toBe(8);
    expect(r.baseline.surviving).toBe(8);
    expect(r.settings.referenceStable).toBe(8);
    for (const d of r.levels[0].draws) {
      expect(d.mse).toBe(r.baseline.mse);
      expect(d.accuracy).toBe(r.baseline.accuracy);
      expect(d.stable).toBe(8);
      expect(d.surviving).toBe(8);
    }
    expect(r.levels[0].mse.std).toBe(0);
    expect(r.levels.map((l) => l.draws.length)).toEqual([3, 3, 3]);
    // Weak noise keeps the memories; strong noise (spectral radius ≈ 0.6·√16 = 2.4) does not.
    expect(r.levels[1].surviving!.mean).toBe(8);
    expect(r.levels[2].surviving!.mean).toBeLessThan(8);
    expect(r.levels[2].mse.mean).toBeGreaterThan(5 * r.baseline.mse);
    // The three draws at η > 0 differ; a second run with the same seed repeats them exactly.
    expect(new Set(r.levels[2].draws.map((d) => d.mse)).size).toBe(3);
    expect(withoutTimes(await weightNoiseRobustness(params, opts))).toEqual(withoutTimes(r));
    const other = await weightNoiseRobustness(params, { ...opts, seed: 6, fixedPoints: false });
    expect(other.levels[2].draws[0].mse).not.toBe(r.levels[2].draws[0].mse);
    expect(other.levels[2].stable).toBeUndefined();
  });

  it('perturbs W only, by η·N(0, 1) entries', () => {
    const N = 200;
    const net = createReservoir({ units: N, inputs: 3, outputs: 3 }, createRng(1));
    const eta = 0.3;
    const Z = standardNormalMatrix(N, createRng('noise'));
    expect(standardNormalMatrix(N, createRng('noise'))).toEqual(Z);
    const p = perturbRecurrent(net, eta, Z);
    expect(p.Wfb).toBe(net.Wfb);
    expect(p.Win).toBe(net.Win);
    expect(p.Wout).toBe(net.Wout);
    expect(p.W.data).not.toBe(net.W.data);
    const d = Array.from(p.W.data, (v, i) => v - net.W.data[i]);
    const n = d.length;
    const mean = d.reduce((s, v) => s + v, 0) / n;
    const std = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean)).toBeLessThan((4 * eta) / Math.sqrt(n));
    expect(Math.abs(std / eta - 1)).toBeLessThan(0.015); // sd of the estimate ≈ 1/√(2n) = 0.35 %
    const within = d.filter((v) => Math.abs(v) < eta).length / n;
    expect(Math.abs(within - 0.682689)).toBeLessThan(0.01); // ±4.3σ of a binomial fraction
    const tails = d.filter((v) => Math.abs(v) > 2 * eta).length / n;
    expect(Math.abs(tails - 0.0455)).toBeLessThan(0.005);
    expect(perturbRecurrent(net, 0, Z).W.data).toEqual(net.W.data);
    expect(() => perturbRecurrent(net, -1, Z)).toThrow(/η/);
    expect(() => perturbRecurrent(net, 1, new Float64Array(3))).toThrow(/entries/);
  });

  it('stops on the signal and keeps the finished draws', async () => {
    const signal = { aborted: false };
    const r = await weightNoiseRobustness(params, {
      task,
      etas: [0, 0.05],
      draws: 3,
      fixedPoints: false,
      signal,
      onDraw: (_d, done) => {
        if (done === 3) signal.aborted = true;
      },
    });
    expect(r.partial).toBe(true);
    expect(r.levels.map((l) => l.draws.length)).toEqual([2, 1]);
    expect(r.interruptedAt).toEqual({ eta: 0.05, draw: 1 });
    await expect(weightNoiseRobustness(params, { task, etas: [] })).rejects.toThrow(/at least one/);
  });

  it('starts for a flip-flop: origin, visited states and one state per corner, written by pulses', () => {
    const s = experimentStarts(params, { task, rng: createRng(3), samples: 10 });
    expect(s.counts).toEqual({ origin: 1, samples: 10, corners: 8 });
    expect(s.starts.rows).toBe(19);
    const model = createModel(params);
    for (let c = 0; c < 8; c++) {
      const z = model.output(s.starts.data.subarray((11 + c) * 16, (12 + c) * 16));
      const want = [0, 1, 2].map((k) => ((c >> k) & 1 ? 1 : -1));
      z.forEach((v, k) => expect(Math.abs(v - want[k])).toBeLessThan(0.05));
    }
    const random = {
      kind: 'rate' as const,
      activation: { name: 'tanh' as const },
      tau: 1,
      dt: 0.1,
      W: recurrentGaussian(8, 0.5, createRng(2)),
    };
    expect(experimentStarts(random, { rng: createRng(1), samples: 5 }).counts).toEqual({
      origin: 1,
      samples: 5,
      corners: 0,
    });
  });
});
