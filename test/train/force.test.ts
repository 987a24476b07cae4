import { describe, expect, it } from 'vitest';
import { solve } from '../../src/linalg/index.js';
import { fromData, zeros } from '../../src/linalg/matrix.js';
import { createModel } from '../../src/models/index.js';
import { createRng } from '../../src/random/index.js';
import { flipFlopTask, trialMatrices } from '../../src/tasks/index.js';
import {
  createForceEngine,
  createReservoir,
  packCheckpoint,
  trainForce,
  unpackCheckpoint,
  resolveRecipe,
  type ForceCheckpoint,
} from '../../src/train/index.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { wasmKernels } from '../../src/linalg/wasm/index.js';
import { sharedWorkerPool } from '../../src/linalg/wasm/pool-select.js';
import { RLS_GROUPS, rlsGroupStart } from '../../src/train/force-reference.js';

const net = (N: number, seed = 1) =>
  createReservoir({ units: N, inputs: 3, outputs: 3, inputScale: 2 }, createRng(seed));

const logistic = (N: number, seed = 1) =>
  createReservoir(
    { units: N, inputs: 3, outputs: 3, inputScale: 2, activation: { name: 'logistic' } },
    createRng(seed),
  );

function drive(T: number, seed = 2) {
  const trial = trialMatrices(
    flipFlopTask({ bits: 3, pulseRate: 0.05, initialPulse: true }).sample(createRng(seed), 1, T),
    0,
  );
  return { inputs: trial.inputs, targets: trial.targets };
}

describe('FORCE engine', () => {
  it('the wasm kernels (packed P, fused sweeps) match the plain reference; float32 stays close', () => {
    for (const N of [7, 50, 101]) {
      const model = net(N);
      const x0 = Float64Array.from({ length: N }, (_, i) => 0.3 * Math.sin(i));
      const engines = [
        createForceEngine(model, { alpha: 1, backend: 'ts', x0 }),
        createForceEngine(model, { alpha: 1, backend: 'wasm', x0 }),
        createForceEngine(model, { alpha: 1, backend: 'wasm', precision: 'float32', x0 }),
      ];
      const { inputs, targets } = drive(400);
      const err = new Float64Array(3);
      for (let t = 0; t < 400; t++)
        for (const e of engines) {
          e.step(inputs.data.subarray(3 * t, 3 * t + 3));
          if (t % 2 === 1) e.update(targets.data.subarray(3 * t, 3 * t + 3), err);
        }
      const w = engines.map((e) => {
        const o = new Float64Array(3 * N);
        e.readWout(o);
        return o;
      });
      const scale = Math.max(...w[0].map(Math.abs));
      const d64 = Math.max(...w[0].map((v, i) => Math.abs(v - w[1][i])));
      const d32 = Math.max(...w[0].map((v, i) => Math.abs(v - w[2][i])));
      expect(d64 / scale).toBeLessThan(1e-11);
      expect(d32 / scale).toBeLessThan(1e-3);
      engines.forEach((e) => e.dispose());
    }
  });

  it('splits the sweeps over worker threads with the bits of one thread', async () => {
    // The same shared pool the engine picks up; started here so that the calls really split.
    const pool = sharedWorkerPool(wasmKernels(), 2);
    const threads = await pool.ready();
    // ≥ THREADED_MIN_UNITS and above the pool threshold (2N² flops per J·r ≥ GEMV_MIN_FLOPS); not
    // a multiple of 4 or 6, so row blocks and vector tails are ragged.
    const N = 334;
    const { inputs, targets } = drive(60, 11);
    for (const precision of ['float64', 'float32'] as const) {
      const outs = [];
      for (const t of [1, 2]) {
        const model = net(N, 12);
        const x0 = Float64Array.from({ length: N }, (_, i) => 0.4 * Math.cos(i));
        const before = pool.stats.split;
        const res = await trainForce(model, inputs, targets, { x0, precision, threads: t });
        if (t === 2 && threads === 2) expect(pool.stats.split).toBeGreaterThan(before);
        outs.push(
          Buffer.concat([Buffer.from(model.Wout!.data.buffer), Buffer.from(res.finalState.buffer)]),
        );
      }
      expect(outs[1].equals(outs[0])).toBe(true);
    }
    expect(() => pool.call('noSuchKernel', [[1], [2]], 1e9)).toThrow(/export no 'noSuchKernel'/);
    // The P sweep's row groups are the kernels' (they fix the summation order of k = P·r).
    const k = wasmKernels().exports as unknown as Record<string, (...a: number[]) => number>;
    expect(k.rlsGroupCount()).toBe(RLS_GROUPS);
    for (const n of [1, 2, 7, 8, 101, 262, 1000, 4097])
      for (let g = 0; g <= RLS_GROUPS; g++) expect(k.rlsGroupStart(n, g)).toBe(rlsGroupStart(n, g));
  });

  it('RLS with P(0) = I/α gives the ridge solution on the rates seen at the updates', () => {
    // For any sequence of regressors r_k the RLS recursion satisfies
    // Wout_n = argmin Σ_k |W r_k − y_k|² + α|W|², i.e. Woutᵀ = (Σ r rᵀ + αI)⁻¹ Σ r yᵀ.
    const N = 30;
    const alpha = 0.7;
    const tanhNet = net(N, 3);
    const logisticNet = logistic(N, 3);
    const cases = [
      [tanhNet, 'ts'],
      [tanhNet, 'wasm'],
      [logisticNet, 'auto'],
    ] as const;
    for (const [model, backend] of cases) {
      const engine = createForceEngine(model, {
        alpha,
        backend,
        x0: new Float64Array(N).fill(0.2),
      });
      const { inputs, targets } = drive(300, 4);
      const G = zeros(N, N);
      const RY = zeros(N, 3);
      for (let i = 0; i < N; i++) G.data[i * N + i] = alpha;
      const err = new Float64Array(3);
      for (let t = 0; t < 300; t++) {
        engine.step(inputs.data.subarray(3 * t, 3 * t + 3));
        if (t % 2 === 1) {
          const r = engine.rate();
          const y = targets.data.subarray(3 * t, 3 * t + 3);
          for (let i = 0; i < N; i++) {
            for (let j = 0; j < N; j++) G.data[i * N + j] += r[i] * r[j];
            for (let q = 0; q < 3; q++) RY.data[i * 3 + q] += r[i] * y[q];
          }
          engine.update(y, err);
        }
      }
      const X = solve(G, RY);
      const W = new Float64Array(3 * N);
      engine.readWout(W);
      let worst = 0;
      for (let q = 0; q < 3; q++)
        for (let i = 0; i < N; i++)
          worst = Math.max(
            worst,
            Math.abs(W[q * N + i] - X.data[i * 3 + q]) / (1 + Math.abs(X.data[i * 3 + q])),
          );
      expect(worst).toBeLessThan(1e-8);
      engine.dispose();
    }
  });
});

describe('FORCE with logistic units (seed 000 fig. 9)', () => {
  it('runs on the plain-TS engine: its closed-loop states equal the model simulation', () => {
    const N = 25;
    const model = logistic(N, 4);
    const rng = createRng(9);
    for (let i = 0; i < model.Wout!.data.length; i++) model.Wout!.data[i] = 0.3 * rng.normal();
    const x0 = new Float64Array(N).map(() => rng.normal());
    const { inputs } = drive(120, 5);
    const engine = createForceEngine(model, { alpha: 1, x0 });
    expect(engine.backend).toBe('ts');
    for (let t = 0; t < 120; t++) engine.step(inputs.data.subarray(3 * t, 3 * t + 3));
    const xs = createModel(model).simulate(inputs, x0).states;
    const r = engine.rate();
    let worst = 0;
    for (let i = 0; i < N; i++) {
      const x = xs.data[119 * N + i];
      worst = Math.max(worst, Math.abs(r[i] - 1 / (1 + Math.exp(-x))));
    }
    expect(worst).toBeLessThan(1e-12);
    engine.dispose();
  });

  it('the wasm kernels and float32 storage refuse non-tanh units with the reason', () => {
    const model = logistic(10);
    const x0 = new Float64Array(10);
    expect(() => createForceEngine(model, { alpha: 1, x0, backend: 'wasm' })).toThrow(/tanh units/);
    expect(() => createForceEngine(model, { alpha: 1, x0, precision: 'float32' })).toThrow(
      /tanh units/,
    );
  });
});

describe('trainForce', () => {
  const N = 60;
  const T = 600;

  it('learns (the loss falls), keeps Wout snapshots, and is bit-identical across reruns', async () => {
    // Sussillo & Abbott's first example: an autonomous periodic output.
    const targets = zeros(T, 3);
    for (let t = 0; t < T; t++)
      for (let q = 0; q < 3; q++) targets.data[3 * t + q] = Math.sin(t / (8 + 4 * q));
    const inputs = zeros(T, 3);
    const run = async () => {
      const model = net(N, 5);
      const x0 = Float64Array.from({ length: N }, (_, i) => 0.5 * Math.sin(3 * i));
      const res = await trainForce(model, inputs, targets, {
        x0,
        snapshots: [100, 400],
        historyEvery: 20,
      });
      return { model, res };
    };
    const a = await run();
    const b = await run();
    expect(
      Buffer.from(a.model.Wout!.data.buffer).equals(Buffer.from(b.model.Wout!.data.buffer)),
    ).toBe(true);
    expect(a.res.updates).toBe(T / 2);
    expect(a.res.snapshots.map((s) => s.step)).toEqual([100, 400]);
    expect(a.res.snapshots[0].Wout.data).not.toEqual(a.res.snapshots[1].Wout.data);
    const h = a.res.history.loss;
    expect(h.length).toBe(T / 2 / 20);
    expect(h[h.length - 1]).toBeLessThan(h[0]);
  });

  it('resuming from a checkpoint (through its file format) equals the uninterrupted run bit for bit', async () => {
    for (const precision of ['float64', 'float32'] as const) {
      const { inputs, targets } = drive(T, 7);
      const whole = net(N, 8);
      await trainForce(whole, inputs, targets, { precision });
      let saved: ForceCheckpoint | undefined;
      await trainForce(net(N, 8), inputs, targets, {
        precision,
        checkpointEvery: 250,
        onCheckpoint: (c) => {
          saved ??= c;
        },
      });
      expect(saved!.step).toBe(250);
      // Round trip through the on-disk representation: JSON + safetensors.
      const packed = packCheckpoint(saved);
      const file = decodeSafetensors(encodeSafetensors(packed.tensors), 'ckpt');
      const restored = unpackCheckpoint(JSON.parse(JSON.stringify(packed.json)), (n) =>
        file.readF64(n),
      ) as ForceCheckpoint;
      const resumed = net(N, 8);
      const res = await trainForce(resumed, inputs, targets, { resume: restored });
      expect(res.steps).toBe(T);
      expect(
        Buffer.from(resumed.Wout!.data.buffer).equals(Buffer.from(whole.Wout!.data.buffer)),
      ).toBe(true);
    }
  });

  it('stops with a clear DIVERGED message when the loss becomes NaN', async () => {
    const { inputs, targets } = drive(100, 9);
    targets.data[3 * 41] = NaN;
    await expect(trainForce(net(20), inputs, targets)).rejects.toThrow(
      /FORCE diverged at step 42.*NaN/,
    );
  });

  it('stops early when the signal is aborted and returns a resumable checkpoint', async () => {
    const { inputs, targets } = drive(T, 10);
    const signal = { aborted: false };
    const res = await trainForce(net(N), inputs, targets, {
      signal,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.done >= 256) signal.aborted = true;
      },
    });
    expect(res.stopped).toBe('aborted');
    expect(res.checkpoint.step).toBe(res.steps);
    expect(res.steps).toBeLessThan(T);
  });

  it('rejects models it cannot train', async () => {
    const m = net(10);
    const { inputs, targets } = drive(10);
    await expect(trainForce({ ...m, Wfb: undefined }, inputs, targets)).rejects.toThrow(
      /feedback Wfb/,
    );
    await expect(trainForce(m, inputs, fromData(10, 1, new Float64Array(10)))).rejects.toThrow(
      /T×3/,
    );
  });
});

describe('FORCE recipe defaults', () => {
  it("trains the 4-bit flip-flop on 90000 steps, everything else on the seed's 30000", () => {
    const steps = (bits: number, extra: object = {}) =>
      resolveRecipe({ task: { task: 'flipflop', bits }, ...extra }).steps;
    expect(steps(3)).toBe(30000);
    expect(steps(4)).toBe(90000);
    expect(steps(5)).toBe(30000);
    expect(steps(4, { steps: 30000 })).toBe(30000);
    expect(steps(4, { trainer: 'ridge' })).toBe(30000);
  });
});
