import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/linalg/matrix.js';
import { createModel } from '../../src/models/index.js';
import type { ModelParams } from '../../src/models/types.js';
import { gaussianMatrix, recurrentGaussian } from '../../src/random/init.js';
import { createRng } from '../../src/random/rng.js';
import { ACTIVATIONS, KINDS, makeParams, maxRelErr, naiveReadout, naiveStep } from './helpers.js';

function inputSequence(T: number, I: number, seed: string): Matrix {
  const rng = createRng(seed);
  return { rows: T, cols: I, data: Float64Array.from({ length: T * I }, () => rng.normal(0, 0.5)) };
}

/** The reference loop: naiveStep from the seeds' equations, readout after every step. */
function naiveSimulate(
  p: ModelParams,
  inputs: Matrix,
  x0: Float64Array,
): { states: number[][]; outputs: number[][] } {
  let x = Array.from(x0);
  const states: number[][] = [];
  const outputs: number[][] = [];
  for (let t = 0; t < inputs.rows; t++) {
    x = naiveStep(p, x, inputs.data.subarray(t * inputs.cols, (t + 1) * inputs.cols));
    states.push(x);
    outputs.push(naiveReadout(p, x));
  }
  return { states, outputs };
}

describe('simulate equals a naive loop of the model equations', () => {
  for (const kind of KINDS) {
    for (const act of ACTIVATIONS) {
      for (const variant of ['feedback', 'no-feedback', 'no-input', 'no-readout'] as const) {
        it(`${kind} ${act.name} ${variant}`, () => {
          const p = makeParams(kind, act, {
            feedback: variant === 'feedback',
            I: variant === 'no-input' ? 0 : 2,
            O: variant === 'no-readout' ? 0 : 3,
          });
          const model = createModel(p);
          const T = 60;
          const inputs = inputSequence(T, model.sizes.inputs, kind + act.name);
          const x0 = Float64Array.from({ length: 12 }, (_, i) => 0.3 * Math.sin(i));
          const run = model.simulate(inputs, x0);
          const ref = naiveSimulate(p, inputs, x0);
          expect(run.states.rows).toBe(T);
          expect(run.states.cols).toBe(12);
          expect(run.outputs.cols).toBe(model.sizes.outputs);
          expect(maxRelErr(run.states.data, ref.states.flat())).toBeLessThan(1e-12);
          if (model.sizes.outputs > 0)
            expect(maxRelErr(run.outputs.data, ref.outputs.flat())).toBeLessThan(1e-12);
          // Each step is the system's map with that step's input frozen: x[t] − x[t−1] = velocity.
          const sys = (t: number) =>
            model.system(inputs.data.subarray(t * inputs.cols, (t + 1) * inputs.cols), 'map');
          const v = new Float64Array(12);
          for (const t of [1, 30, 59]) {
            const prev = run.states.data.slice((t - 1) * 12, t * 12);
            sys(t).velocity(prev, v);
            const step = run.states.data.subarray(t * 12, (t + 1) * 12).map((s, i) => s - prev[i]);
            // Absolute, on the scale of the state: near a fixed point the step itself is tiny.
            const scale = 1 + Math.max(...prev.map(Math.abs));
            expect(Math.max(...step.map((d, i) => Math.abs(d - v[i])))).toBeLessThan(1e-14 * scale);
          }
        });
      }
    }
  }

  it('starts from zeros by default and accepts T = 0', () => {
    const model = createModel(makeParams('rate', { name: 'tanh' }));
    const inputs = inputSequence(5, 2, 'z');
    const a = model.simulate(inputs);
    const b = model.simulate(inputs, new Float64Array(12));
    expect(a.states.data).toEqual(b.states.data);
    expect(model.simulate(inputSequence(0, 2, 'e')).states.rows).toBe(0);
  });
});

describe('model helpers', () => {
  it('effectiveW = W + Wfb·Wout, and W alone without feedback', () => {
    const p = makeParams('rate', { name: 'tanh' });
    const W = createModel(p).effectiveW();
    const N = 12;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        let s = p.W.data[i * N + j];
        for (let o = 0; o < 3; o++) s += p.Wfb!.data[i * 3 + o] * p.Wout!.data[o * N + j];
        expect(W.data[i * N + j]).toBeCloseTo(s, 14);
      }
    }
    const q = makeParams('rnn', { name: 'tanh' }, { feedback: false });
    const Wq = createModel(q).effectiveW();
    expect(Wq.data).toEqual(q.W.data);
    expect(Wq.data).not.toBe(q.W.data);
  });

  it('output() reads φ(x) for rate and x for the others', () => {
    for (const kind of KINDS) {
      const p = makeParams(kind, { name: 'tanh' });
      const x = Float64Array.from({ length: 12 }, (_, i) => i / 10 - 0.5);
      expect(maxRelErr(createModel(p).output(x), naiveReadout(p, x))).toBeLessThan(1e-14);
    }
  });

  it('reads weights live, so in-place training updates are seen', () => {
    const p = makeParams('leaky-esn', { name: 'tanh' });
    const model = createModel(p);
    const x = new Float64Array(12).fill(0.2);
    const before = model.output(x)[0];
    p.Wout!.data[0] += 1;
    expect(model.output(x)[0]).toBeCloseTo(before + 0.2, 14);
  });
});

describe('reproducibility and divergence', () => {
  function seededRun(seed: number): Uint8Array {
    const rng = createRng(seed);
    const N = 200;
    const model = createModel({
      kind: 'rate',
      activation: { name: 'tanh' },
      tau: 10,
      dt: 1,
      W: recurrentGaussian(N, 1.5, rng.fork('W')),
      Win: gaussianMatrix(N, 1, 1, rng.fork('Win')),
      Wout: gaussianMatrix(2, N, 1 / Math.sqrt(N), rng.fork('Wout')),
      Wfb: gaussianMatrix(N, 2, 1, rng.fork('Wfb')),
    });
    const inputs = gaussianMatrix(300, 1, 1, rng.fork('inputs'));
    const x0 = gaussianMatrix(1, N, 0.5, rng.fork('x0')).data;
    const run = model.simulate(inputs, x0);
    return new Uint8Array(Float64Array.from([...run.states.data, ...run.outputs.data]).buffer);
  }

  it('a seeded model and run give identical bytes twice', () => {
    const a = seededRun(2024);
    const b = seededRun(2024);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(seededRun(2025)))).toBe(false);
  });

  it('throws DIVERGED naming the step and unit', () => {
    const N = 4;
    const W = { rows: N, cols: N, data: new Float64Array(N * N) };
    for (let i = 0; i < N; i++) W.data[i * N + i] = 1e200;
    const model = createModel({ kind: 'rnn', activation: { name: 'identity' }, W });
    let caught: unknown;
    try {
      model.simulate({ rows: 10, cols: 0, data: new Float64Array(0) }, new Float64Array(N).fill(1));
    } catch (e) {
      caught = e;
    }
    expect((caught as { code?: string }).code).toBe('DIVERGED');
    expect((caught as Error).message).toMatch(
      /rnn model diverged at step 1: unit 0 became Infinity/,
    );
    const rate = createModel({ kind: 'rate', activation: { name: 'identity' }, tau: 1, dt: 1, W });
    expect(() =>
      rate.simulate({ rows: 10, cols: 0, data: new Float64Array(0) }, new Float64Array(N).fill(1)),
    ).toThrow(/diverged at step 1.*try a smaller dt/);
  });
});
