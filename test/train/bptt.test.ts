import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/random/index.js';
import { flipFlopTask, booleanTask, type Task } from '../../src/tasks/index.js';
import {
  adamStep,
  createAdamState,
  createBpttWorkspace,
  createTrainableNetwork,
  evaluateModel,
  trainBptt,
  type BpttCheckpoint,
  type BpttModel,
} from '../../src/train/index.js';

function smallNet(kind: 'rnn' | 'ctrnn', seed = 3): { model: BpttModel; x0: Float64Array } {
  const rng = createRng(seed);
  const model = createTrainableNetwork({ kind, units: 6, inputs: 3, outputs: 3, g: 1.2 }, rng);
  model.bias = Float64Array.from({ length: 6 }, () => 0.1 * rng.normal());
  model.bout = Float64Array.from({ length: 3 }, () => 0.1 * rng.normal());
  return { model, x0: Float64Array.from({ length: 6 }, () => 0.3 * rng.normal()) };
}

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('BPTT gradient', () => {
  for (const kind of ['rnn', 'ctrnn'] as const)
    for (const backend of ['ts', 'wasm'] as const)
      it(`${kind} (${backend}): every parameter's gradient matches central differences`, () => {
        const { model, x0 } = smallNet(kind);
        const task = flipFlopTask({ variant: 'discrete', steps: 12 });
        const batch = task.sample(createRng(4), 4, 12);
        // A mask with holes, so masking is checked too.
        for (let i = 0; i < batch.mask.length; i += 5) batch.mask[i] = 0;
        const ws = createBpttWorkspace(model, 4, 12, backend);
        expect(ws.ops.backend).toBe(backend);
        ws.lossAndGradient(model, x0, batch);
        const arrays: Record<string, Float64Array> = {
          W: model.W.data,
          Win: model.Win!.data,
          Wout: model.Wout!.data,
          bias: model.bias!,
          bout: model.bout!,
          x0,
        };
        let worst = 0;
        for (const [name, arr] of Object.entries(arrays)) {
          const g = Float64Array.from(ws.grads[name as keyof typeof ws.grads]);
          for (let i = 0; i < arr.length; i++) {
            const h = 1e-5;
            const v = arr[i];
            arr[i] = v + h;
            const lp = ws.loss(model, x0, batch);
            arr[i] = v - h;
            const lm = ws.loss(model, x0, batch);
            arr[i] = v;
            const fd = (lp - lm) / (2 * h);
            worst = Math.max(
              worst,
              Math.abs(fd - g[i]) / Math.max(1e-6, Math.abs(fd) + Math.abs(g[i])),
            );
          }
        }
        expect(worst).toBeLessThan(1e-6);
        ws.dispose();
      });

  it('wasm and TypeScript backends agree to rounding', () => {
    const { model, x0 } = smallNet('ctrnn', 5);
    const batch = booleanTask({ op: 'xor', steps: 40, stimulusStart: 5 }).sample(
      createRng(6),
      5,
      40,
    );
    const m2 = {
      ...model,
      Win: { ...model.Win!, data: model.Win!.data.subarray(0, 12) },
      Wout: { ...model.Wout!, rows: 1, data: model.Wout!.data.subarray(0, 6) },
      bout: model.bout!.subarray(0, 1),
    };
    m2.Win.cols = 2;
    const [a, b] = (['ts', 'wasm'] as const).map((be) => {
      const ws = createBpttWorkspace(m2 as BpttModel, 5, 40, be);
      const L = ws.lossAndGradient(m2 as BpttModel, x0, batch);
      return { L, g: Float64Array.from(ws.grads.W) };
    });
    expect(Math.abs(a.L - b.L)).toBeLessThan(1e-13);
    for (let i = 0; i < a.g.length; i++) expect(Math.abs(a.g[i] - b.g[i])).toBeLessThan(1e-12);
  });
});

describe('Adam', () => {
  it('takes the bias-corrected step and clips by the global norm', () => {
    const p = { a: Float64Array.of(1, 2), b: Float64Array.of(3) };
    const g = { a: Float64Array.of(3, 0), b: Float64Array.of(4) };
    const s = createAdamState(p);
    const norm = adamStep(
      s,
      p,
      g,
      { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-12 },
      1,
    );
    expect(norm).toBeCloseTo(5, 14);
    // First step: m̂ = g', v̂ = g'², so every entry moves by lr·sign(g) (g' = g/5 after clipping).
    expect(p.a[0]).toBeCloseTo(0.9, 10);
    expect(p.a[1]).toBe(2);
    expect(p.b[0]).toBeCloseTo(2.9, 10);
    expect(s.m.a[0]).toBeCloseTo(0.1 * (3 / 5), 14);
  });
});

describe('trainBptt', () => {
  const ffTask = (): Task => flipFlopTask({ variant: 'discrete', bits: 3 });
  const net16 = (seed: number) =>
    createTrainableNetwork(
      { kind: 'rnn', units: 16, inputs: 3, outputs: 3 },
      createRng(seed).fork('init'),
    );

  it('a 16-unit tanh rnn learns the 3-bit flip-flop to 100 % on fresh trials', async () => {
    const model = net16(1);
    const res = await trainBptt(model, {
      task: ffTask(),
      rng: createRng(1).fork('data'),
      learningRate: 1e-2,
      iterations: 3000,
      lossThreshold: 1e-3,
    });
    expect(res.stopped).toBe('threshold');
    const ev = evaluateModel(model, ffTask(), createRng(99), { trials: 50 });
    expect(ev.accuracy).toBe(1);
    expect(res.history.loss[0]).toBeGreaterThan(res.finalLoss);
  }, 60_000);

  it('same seed ⇒ identical weights; resume from a checkpoint ⇒ identical to the uninterrupted run', async () => {
    const opts = {
      task: ffTask(),
      learningRate: 1e-2,
      iterations: 40,
      train: ['W', 'Win', 'Wout', 'bias', 'bout', 'x0'] as const,
    };
    const a = net16(2);
    const ra = await trainBptt(a, {
      ...opts,
      train: [...opts.train],
      rng: createRng(2).fork('data'),
    });
    const b = net16(2);
    let cp: BpttCheckpoint | undefined;
    await trainBptt(b, {
      ...opts,
      train: [...opts.train],
      rng: createRng(2).fork('data'),
      checkpointEvery: 15,
      onCheckpoint: (c) => {
        cp ??= c;
      },
    });
    expect(bits(b.W.data).equals(bits(a.W.data))).toBe(true);
    expect(cp!.iteration).toBe(15);
    const c = net16(77); // different start: everything must come from the checkpoint
    const rc = await trainBptt(c, {
      ...opts,
      train: [...opts.train],
      rng: createRng(123),
      resume: cp,
    });
    for (const k of ['W', 'Win', 'Wout'] as const)
      expect(bits(c[k]!.data).equals(bits(a[k]!.data))).toBe(true);
    expect(bits(c.bias!).equals(bits(a.bias!))).toBe(true);
    expect(bits(rc.x0).equals(bits(ra.x0))).toBe(true);
    expect(rc.history).toEqual(ra.history);
  });

  it('stops with DIVERGED when the loss becomes NaN', async () => {
    const task = ffTask();
    const broken: Task = {
      ...task,
      sample: (rng, n, steps) => {
        const b = task.sample(rng, n, steps);
        b.y[0] = NaN;
        return b;
      },
    };
    await expect(
      trainBptt(net16(3), { task: broken, rng: createRng(1), iterations: 3 }),
    ).rejects.toThrow(/BPTT diverged at iteration 1: the loss became NaN/);
  });

  it('trains only the chosen parameters', async () => {
    const m = net16(4);
    const W = m.W.data.slice();
    const Wout = m.Wout!.data.slice();
    await trainBptt(m, { task: ffTask(), rng: createRng(5), iterations: 5, train: ['Wout'] });
    expect(m.W.data).toEqual(W);
    expect(m.Wout!.data).not.toEqual(Wout);
  });
});
