import { describe, expect, it } from 'vitest';
import { RnnscopeError } from '../../src/errors.js';
import { createRng } from '../../src/random/index.js';
import { fitzhughNagumo } from '../../src/systems/index.js';
import {
  booleanTask,
  createTask,
  fhnTask,
  flipFlopTask,
  levelsTask,
  nearestLevel,
  scoreOutputs,
  sineFrequency,
  sineTask,
  taskFromJson,
  trialMatrices,
  type TrialBatch,
} from '../../src/tasks/index.js';

const at = (b: TrialBatch, a: Float64Array, w: number, t: number, trial: number, k: number) =>
  a[(t * b.trials + trial) * w + k];

describe('flip-flop (seed 000, continuous)', () => {
  const task = flipFlopTask({ bits: 3 });
  const batch = task.sample(createRng(1), 2, 3000);

  it('has the seed 000 defaults', () => {
    expect(task.spec).toMatchObject({
      bits: 3,
      pulseWidth: 10,
      pulseRate: 0.02,
      initialPulse: false,
    });
    expect(task.inputs).toBe(3);
    expect(task.levels).toEqual([-1, 1]);
  });

  it('targets hold the sign of the last pulse; unscored before the first pulse and while settling', () => {
    const { bits } = task.spec as { bits: number };
    for (let b = 0; b < 2; b++) {
      for (let ch = 0; ch < bits; ch++) {
        let held = 0;
        let onset = -Infinity;
        let prev = 0;
        for (let t = 0; t < 3000; t++) {
          const u = at(batch, batch.u, bits, t, b, ch);
          expect([0, 1, -1]).toContain(u);
          if (u !== 0) held = u;
          if (u !== 0 && u !== prev) onset = t;
          prev = u;
          expect(at(batch, batch.y, bits, t, b, ch)).toBe(held);
          const m = at(batch, batch.mask, bits, t, b, ch);
          if (held === 0 || t - onset < 30) expect(m).toBe(0);
        }
      }
    }
  });

  it('pulses last pulseWidth steps and come at about pulseRate per step', () => {
    let on = 0;
    for (let i = 0; i < batch.u.length; i++) if (batch.u[i] !== 0) on++;
    // ⌊0.02·3000⌋ = 60 onsets per trial (a few dropped at the end or merged), 10 steps each.
    expect(on / 2).toBeGreaterThan(450);
    expect(on / 2).toBeLessThanOrEqual(600);
  });

  it('is seeded: same seed, same bits; another seed, another batch', () => {
    const again = task.sample(createRng(1), 2, 3000);
    expect(again.u).toEqual(batch.u);
    expect(again.y).toEqual(batch.y);
    expect(task.sample(createRng(2), 2, 3000).u).not.toEqual(batch.u);
  });
});

describe('flip-flop (FixedPointFinder, discrete)', () => {
  it('pulses every channel at t = 0 and scores every step', () => {
    const task = flipFlopTask({ variant: 'discrete', bits: 4 });
    expect(task.spec).toMatchObject({
      steps: 64,
      pulseWidth: 1,
      pulseRate: 0.5,
      initialPulse: true,
    });
    const b = task.sample(createRng(3), 8);
    for (let trial = 0; trial < 8; trial++)
      for (let ch = 0; ch < 4; ch++) expect(Math.abs(at(b, b.u, 4, 0, trial, ch))).toBe(1);
    expect(b.mask.every((m) => m === 1)).toBe(true);
    let flips = 0;
    for (let i = 0; i < b.u.length; i++) if (b.u[i] !== 0) flips++;
    expect(flips / b.u.length).toBeGreaterThan(0.4);
    const { targets, inputs } = trialMatrices(b, 5);
    let held = 0;
    for (let t = 0; t < 64; t++) {
      if (inputs.data[t * 4 + 2] !== 0) held = inputs.data[t * 4 + 2];
      expect(targets.data[t * 4 + 2]).toBe(held);
    }
  });
});

describe('Boolean tasks (seed 004)', () => {
  const windowMean = (b: TrialBatch, trial: number, ch: number, from: number, to: number) => {
    let s = 0;
    for (let t = from; t < to; t++) s += at(b, b.u, 2, t, trial, ch);
    return s / (to - from);
  };
  for (const [op, rule] of [
    ['and', (a: number, c: number) => a === 1 && c === 1],
    ['or', (a: number, c: number) => a === 1 || c === 1],
    ['xor', (a: number, c: number) => a !== c],
  ] as const) {
    it(`${op}: target follows the rule 20 steps after the 20-step stimulus at t = 30`, () => {
      const task = booleanTask({ op });
      const b = task.sample(createRng(4), 64);
      expect(b.steps).toBe(200);
      const seen = new Set<string>();
      for (let trial = 0; trial < 64; trial++) {
        const A = Math.round(windowMean(b, trial, 0, 30, 50));
        const B = Math.round(windowMean(b, trial, 1, 30, 50));
        seen.add(`${A}${B}`);
        expect(at(b, b.y, 1, 69, trial, 0)).toBe(0);
        expect(at(b, b.y, 1, 70, trial, 0)).toBe(rule(A, B) ? 1 : 0);
        expect(at(b, b.y, 1, 199, trial, 0)).toBe(rule(A, B) ? 1 : 0);
      }
      expect(seen.size).toBe(4);
    });
  }

  it('adds 10 % Gaussian noise to the inputs', () => {
    const b = booleanTask({ op: 'or' }).sample(createRng(5), 32);
    let s = 0;
    let n = 0;
    for (let t = 100; t < 200; t++)
      for (let trial = 0; trial < 32; trial++) {
        const v = at(b, b.u, 2, t, trial, 0);
        s += v * v;
        n++;
      }
    expect(Math.sqrt(s / n)).toBeCloseTo(0.1, 1);
  });

  it('ff: Set raises, Reset lowers, repeats change nothing', () => {
    const task = booleanTask({ op: 'ff', noise: 0 });
    const b = task.sample(createRng(6), 16);
    for (let trial = 0; trial < 16; trial++) {
      let level = 0;
      for (let t0 = 50; t0 + 20 <= 500; t0 += 120) {
        const set = at(b, b.u, 2, t0, trial, 0) === 1;
        expect(at(b, b.u, 2, t0, trial, set ? 1 : 0)).toBe(0);
        expect(at(b, b.y, 1, t0 + 39, trial, 0)).toBe(level);
        level = set ? 1 : 0;
        expect(at(b, b.y, 1, t0 + 40, trial, 0)).toBe(level);
      }
    }
  });
});

describe('sine generator (seed 003 §4)', () => {
  it('the static input j/J + 0.25 selects ω_j; the target is sin(ω_j t)', () => {
    const task = sineTask();
    expect(task.spec).toMatchObject({ frequencies: 51, omegaMin: 0.1, omegaMax: 0.6 });
    const b = task.sample(createRng(7), 20);
    for (let trial = 0; trial < 20; trial++) {
      const u = at(b, b.u, 1, 0, trial, 0);
      const j = Math.round((u - 0.25) * 51);
      expect(j).toBeGreaterThanOrEqual(1);
      expect(j).toBeLessThanOrEqual(51);
      const w = sineFrequency(task.spec as never, j);
      for (const t of [0, 17, 99])
        expect(at(b, b.y, 1, t, trial, 0)).toBeCloseTo(Math.sin(w * t), 14);
      expect(at(b, b.u, 1, 99, trial, 0)).toBe(u);
    }
  });
});

describe('FitzHugh–Nagumo imitation (seed 003 §3.1)', () => {
  it('target is half of v from forward Euler at h = 0.3; input is half of I_ext', () => {
    const b = fhnTask().sample(createRng(8), 3);
    expect(b.steps).toBe(333);
    for (let trial = 0; trial < 3; trial++) {
      const I = 2 * at(b, b.u, 1, 0, trial, 0);
      expect(I).toBeGreaterThanOrEqual(0.4);
      expect(I).toBeLessThanOrEqual(1.4);
      // Independent forward Euler of eq. 6a–6b from (0, 0).
      let v = 0;
      let w = 0;
      for (let k = 0; k < 333; k++) {
        const dv = v - (v * v * v) / 3 - w + I;
        const dw = (v + 0.7 - 0.8 * w) / 12.5;
        v += 0.3 * dv;
        w += 0.3 * dw;
        expect(at(b, b.y, 1, k, trial, 0)).toBeCloseTo(0.5 * v, 12);
      }
    }
  });

  it('RK4 is available and differs from Euler at this step', () => {
    const rng = () => createRng(9);
    const e = fhnTask().sample(rng(), 1);
    const r = fhnTask({ method: 'rk4' }).sample(rng(), 1);
    expect(r.u).toEqual(e.u);
    expect(Math.max(...r.y.map((v, i) => Math.abs(v - e.y[i])))).toBeGreaterThan(1e-3);
    expect(fitzhughNagumo().dim).toBe(2);
  });
});

describe('fixed levels (seed 001)', () => {
  it('no input, one constant level per trial, the first `settle` steps unscored', () => {
    const task = levelsTask({ levels: [0.5, 1, 1.5] });
    expect(task.inputs).toBe(0);
    const b = task.sample(createRng(10), 30, 200);
    for (let trial = 0; trial < 30; trial++) {
      const A = at(b, b.y, 1, 0, trial, 0);
      expect([0.5, 1, 1.5]).toContain(A);
      expect(at(b, b.y, 1, 199, trial, 0)).toBe(A);
      expect(at(b, b.mask, 1, 99, trial, 0)).toBe(0);
      expect(at(b, b.mask, 1, 100, trial, 0)).toBe(1);
    }
  });
});

describe('scoring', () => {
  it('accuracy counts outputs whose nearest level is the target’s (the sign for ±1)', () => {
    const task = flipFlopTask({ variant: 'discrete', bits: 1, steps: 4 });
    const batch: TrialBatch = {
      trials: 1,
      steps: 4,
      inputs: 1,
      outputs: 1,
      u: new Float64Array(4),
      y: Float64Array.of(1, 1, -1, -1),
      mask: Float64Array.of(1, 1, 1, 0),
    };
    const s = scoreOutputs(task, batch, Float64Array.of(0.5, -0.1, -2, 5));
    expect(s.accuracy).toBeCloseTo(2 / 3, 15);
    expect(s.mse).toBeCloseTo((0.25 + 1.21 + 1) / 3, 15);
    expect(s.scored).toBe(3);
    expect(nearestLevel([0, 1], 0.49)).toBe(0);
    expect(nearestLevel([0, 1], 0.51)).toBe(1);
    expect(scoreOutputs(sineTask(), { ...batch }, new Float64Array(4)).accuracy).toBeUndefined();
  });
});

describe('task registry', () => {
  it('builds tasks from partial specs and rejects bad ones with a message', () => {
    expect(createTask({ task: 'flipflop', bits: 4 }).outputs).toBe(4);
    expect(taskFromJson({ task: 'boolean', op: 'xor' }).spec).toMatchObject({
      op: 'xor',
      steps: 200,
    });
    expect(() => taskFromJson({ task: 'nope' })).toThrow(/valid tasks: flipflop, boolean/);
    expect(() => createTask({ task: 'boolean', op: 'nand' as never })).toThrow(RnnscopeError);
    expect(() => levelsTask({ levels: [1, 1] })).toThrow(/distinct/);
    expect(() => flipFlopTask({ bits: 0 })).toThrow(/bits must be an integer/);
  });
});
