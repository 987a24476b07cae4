import { describe, expect, it } from 'vitest';
import { gemm } from '../../src/linalg/index.js';
import { fromData, zeros } from '../../src/linalg/matrix.js';
import { createRng } from '../../src/random/index.js';
import { emptyBatch, levelsTask, trialMatrices } from '../../src/tasks/index.js';
import {
  closedLoopHolds,
  createReservoir,
  createTrainableNetwork,
  evaluateModel,
  openLoopFixedPoints,
  ridgeReadout,
  trainFixedLevels,
  trainRidge,
  transferInit,
} from '../../src/train/index.js';

const N = 200;
const reservoir = (seed: number) =>
  createReservoir({ units: N, inputs: 0, outputs: 1, g: 1.2 }, createRng(seed));

function levelTrials(levels: number[], T = 800) {
  return levels.map((A) => {
    const b = emptyBatch(1, T, 0, 1);
    b.y.fill(A);
    return trialMatrices(b, 0);
  });
}

describe('ridge regression', () => {
  it('recovers an exact linear readout (λ = 0) and shrinks it for λ > 0', () => {
    const rng = createRng(1);
    const R = fromData(
      50,
      4,
      Float64Array.from({ length: 200 }, () => rng.normal()),
    );
    const Wtrue = fromData(2, 4, Float64Array.of(1, -2, 0.5, 3, 0, 1, 1, -1));
    const Y = zeros(50, 2);
    gemm(false, true, 1, R, Wtrue, 0, Y);
    const W = ridgeReadout(R, Y, 0);
    for (let i = 0; i < 8; i++) expect(W.data[i]).toBeCloseTo(Wtrue.data[i], 12);
    const Ws = ridgeReadout(R, Y, 100);
    expect(Math.hypot(...Ws.data)).toBeLessThan(Math.hypot(...Wtrue.data));
  });
});

describe('fixed levels (seed 001)', () => {
  for (const levels of [[1], [0.5, 1.5], [0.5, 1, 1.5]]) {
    it(`teacher-forced ridge with feedback noise: the closed loop holds M = ${levels.length} levels`, () => {
      const model = reservoir(2);
      trainRidge(model, levelTrials(levels), {
        ridge: 1e-6,
        washout: 300,
        feedbackNoise: 0.05,
        rng: createRng(3),
      });
      const fp = openLoopFixedPoints(model, levels);
      const noise = createRng(4);
      const checks = closedLoopHolds(model, levels, fp.fixedPoints, () => noise.normal(), {
        steps: 1500,
      });
      for (const c of checks)
        expect(c.holds, `level ${c.level}: ended at ${c.finalOutput}`).toBe(true);
    });
  }

  it('the exact readout interpolates every level (Wout·r̄_m = A_m), mirrored levels included', () => {
    const model = reservoir(5);
    const levels = [-1, 1];
    const fp = trainFixedLevels(model, levels);
    for (let m = 0; m < levels.length; m++) {
      let z = 0;
      for (let i = 0; i < N; i++)
        z += model.Wout!.data[i] * Math.tanh(fp.fixedPoints.data[m * N + i]);
      expect(z).toBeCloseTo(levels[m], 10);
    }
    const noise = createRng(6);
    for (const c of closedLoopHolds(model, levels, fp.fixedPoints, () => noise.normal()))
      expect(c.holds).toBe(true);
  });

  it('evaluation from the fixed points scores the held levels', () => {
    const model = reservoir(7);
    trainRidge(model, levelTrials([0.5, 1.5]), {
      washout: 300,
      feedbackNoise: 0.05,
      rng: createRng(8),
    });
    const ev = evaluateModel(model, levelsTask({ levels: [0.5, 1.5] }), createRng(9), {
      trials: 4,
      steps: 600,
      x0: 'fixed-points',
    });
    expect(ev.accuracy).toBe(1);
    expect(ev.mse).toBeLessThan(1e-4);
  });
});

describe('transfer initialisation (seed 000 §7.1)', () => {
  it('widens a 3-bit network to 4 bits: old weights kept, readout row zero, new fixed columns random', () => {
    const net3 = createReservoir({ units: 20, inputs: 3, outputs: 3 }, createRng(10));
    net3.Wout!.data.fill(0.25);
    const net4 = transferInit(net3, { inputs: 4, outputs: 4 }, createRng(11));
    expect(net4.W.data).toEqual(net3.W.data);
    expect(net4.W.data).not.toBe(net3.W.data);
    expect([net4.Win!.rows, net4.Win!.cols, net4.Wfb!.cols, net4.Wout!.rows]).toEqual([
      20, 4, 4, 4,
    ]);
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < 3; j++) {
        expect(net4.Win!.data[i * 4 + j]).toBe(net3.Win!.data[i * 3 + j]);
        expect(net4.Wfb!.data[i * 4 + j]).toBe(net3.Wfb!.data[i * 3 + j]);
      }
      expect(Math.abs(net4.Wfb!.data[i * 4 + 3])).toBeLessThanOrEqual(1);
      expect(net4.Wout!.data[3 * 20 + i]).toBe(0);
      expect(net4.Wout!.data[i]).toBe(0.25);
    }
    expect(net4.Wfb!.data.some((v, k) => k % 4 === 3 && v !== 0)).toBe(true);
  });

  it('zeroes new input columns of BPTT networks', () => {
    const rnn = createTrainableNetwork(
      { kind: 'rnn', units: 8, inputs: 3, outputs: 3 },
      createRng(12),
    );
    const wide = transferInit(rnn, { inputs: 4, outputs: 4 }, createRng(13));
    for (let i = 0; i < 8; i++) expect(wide.Win!.data[i * 4 + 3]).toBe(0);
    expect(Array.from(wide.bout!)).toEqual([0, 0, 0, 0]);
    expect(() => transferInit(rnn, { inputs: 2, outputs: 3 }, createRng(1))).toThrow(
      /only add dimensions/,
    );
  });
});
