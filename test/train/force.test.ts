import { describe, expect, it } from 'vitest';
import { solve } from '../../src/linalg/index.js';
import { fromData, zeros } from '../../src/linalg/matrix.js';
import { createRng } from '../../src/random/index.js';
import { flipFlopTask, trialMatrices } from '../../src/tasks/index.js';
import {
  createForceEngine,
  createReservoir,
  packCheckpoint,
  trainForce,
  unpackCheckpoint,
  type ForceCheckpoint,
} from '../../src/train/index.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';

const net = (N: number, seed = 1) =>
  createReservoir({ units: N, inputs: 3, outputs: 3, inputScale: 2 }, createRng(seed));

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

  it('RLS with P(0) = I/α gives the ridge solution on the rates seen at the updates', () => {
    // For any sequence of regressors r_k the RLS recursion satisfies
    // Wout_n = argmin Σ_k |W r_k − y_k|² + α|W|², i.e. Woutᵀ = (Σ r rᵀ + αI)⁻¹ Σ r yᵀ.
    const N = 30;
    const alpha = 0.7;
    const model = net(N, 3);
    for (const backend of ['ts', 'wasm'] as const) {
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
