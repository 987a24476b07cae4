/**
 * Seed 004 §3.1/§3.4 on networks built to have a known dominant eigenvalue: the response class
 * (fixed point, oscillation, decay), the measured frequency against the predicted one, and the
 * measurement against an independent numpy simulation + FFT.
 */
import { describe, expect, it } from 'vitest';
import { classifyResponses, modelSpectrum } from '../../src/analysis/spectrum/index.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { createModel } from '../../src/models/index.js';
import type { ActivationSpec } from '../../src/models/types.js';
import { hasPython, mulberry32, randn, runPython, toWire } from '../helpers/python.js';

const N = 20;

/** W with the 2×2 block [[a, −b], [b, a]] on units 0, 1 (eigenvalues a ± ib) and a weak random bulk. */
function designed(a: number, b: number, seed: number, bulk = 0.3): { W: Matrix; Win: Matrix } {
  const rng = mulberry32(seed);
  const W = randn(rng, N, N, bulk / Math.sqrt(N));
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < N; j++) {
      W.data[i * N + j] = 0;
      W.data[j * N + i] = 0;
    }
  W.data[0] = a;
  W.data[1] = -b;
  W.data[N] = b;
  W.data[N + 1] = a;
  return { W, Win: randn(rng, N, 1) };
}

function rnn(a: number, b: number, act: ActivationSpec['name'], seed = 1) {
  return createModel({
    kind: 'rnn',
    activation: { name: act } as ActivationSpec,
    ...designed(a, b, seed),
  });
}

const polar = (r: number, f: number): [number, number] => [
  r * Math.cos(2 * Math.PI * f),
  r * Math.sin(2 * Math.PI * f),
];

describe('response classification and frequency', () => {
  it('a linear map rings down at exactly arg λ / 2π', () => {
    const model = rnn(...polar(0.97, 0.08), 'identity');
    const rep = modelSpectrum(model, { responses: { steps: 600 } });
    expect(rep.dominant!.predictedFrequency).toBeCloseTo(0.08, 12);
    expect(rep.dominant!.angle).toBeCloseTo(2 * Math.PI * 0.08, 12);
    const [r] = rep.responses!.responses;
    expect(r.class).toBe('decaying');
    expect(Math.abs(r.frequency! / 0.08 - 1)).toBeLessThan(1e-4);
  });

  it('a linear ctrnn follows its Euler map (arg ν/(2π dt)), close to Im λ/2π', () => {
    const { W, Win } = designed(0.9, 2 * Math.PI * 0.1, 3);
    const model = createModel({
      kind: 'ctrnn',
      activation: { name: 'identity' },
      tau: 1,
      dt: 0.05,
      W,
      Win,
    });
    const rep = modelSpectrum(model, { responses: { steps: 1500 } });
    const d = rep.dominant!;
    expect(d.flowFrequency).toBeCloseTo(0.1, 12);
    // ν = 1 + dt(λ − 1): arg ν/(2π dt) for λ = 0.9 + 0.2πi.
    const expected =
      Math.atan2(0.05 * 2 * Math.PI * 0.1, 1 + 0.05 * (0.9 - 1)) / (2 * Math.PI * 0.05);
    expect(d.predictedFrequency).toBeCloseTo(expected, 12);
    expect(rep.growingModes).toEqual([]); // Re λ = 0.9 < 1: −I + W is stable
    const [r] = rep.responses!.responses;
    expect(r.class).toBe('decaying');
    expect(Math.abs(r.frequency! / expected - 1)).toBeLessThan(1e-4);
    expect(Math.abs(r.frequency! / 0.1 - 1)).toBeLessThan(0.02);
  });

  it('tanh: a complex pair outside the unit circle sustains an oscillation near arg λ / 2π', () => {
    const rep = modelSpectrum(rnn(...polar(1.1, 0.15), 'tanh'), { responses: { steps: 800 } });
    const [r] = rep.responses!.responses;
    expect(r.class).toBe('oscillatory');
    expect(rep.dominant!.outsideUnitCircle).toBe(true);
    expect(Math.abs(r.frequency! / rep.dominant!.predictedFrequency - 1)).toBeLessThan(0.02);
    expect(rep.frequencyComparison).toHaveLength(1);
    expect(rep.frequencyComparison![0].ratio).toBeCloseTo(r.frequency! / 0.15, 12);
  });

  it('the measured frequency grows with the angle θ (seed 004 §3.4)', () => {
    const f = [0.04, 0.08, 0.16].map((fr) => {
      const [r] = classifyResponses(rnn(...polar(1.25, fr), 'tanh', 5), { steps: 800 }).responses;
      expect(r.class).toBe('oscillatory');
      return r.frequency!;
    });
    expect(f[0]).toBeLessThan(f[1]);
    expect(f[1]).toBeLessThan(f[2]);
  });

  it('a real eigenvalue outside the unit circle holds a fixed point; a contracting W decays', () => {
    const fixed = classifyResponses(rnn(1.5, 0, 'tanh')).responses[0];
    expect(fixed.class).toBe('fixed-point');
    expect(fixed.finalDistance).toBeGreaterThan(0.5);
    expect(fixed.frequency).toBeNull();
    const decay = classifyResponses(rnn(...polar(0.5, 0.1), 'tanh')).responses[0];
    expect(decay.class).toBe('decaying');
    expect(decay.finalDistance).toBeLessThan(1e-6 * decay.peakDistance);
  });

  it('an input-less model gets one impulse response; bad settings are rejected', () => {
    const { W } = designed(...polar(0.9, 0.1), 2);
    const m = createModel({ kind: 'rnn', activation: { name: 'tanh' }, W });
    const res = classifyResponses(m, { amplitude: 0.5, steps: 300 });
    expect(res.responses).toHaveLength(1);
    expect(res.responses[0].inputs).toEqual([]);
    expect(res.responses[0].class).toBe('decaying');
    expect(() => classifyResponses(m, { steps: 10, pulseStart: 8, pulseWidth: 5 })).toThrow(
      /must end before the last step/,
    );
  });
});

describe.skipIf(!hasPython())('measured frequency vs numpy', () => {
  it('agrees with the FFT peak of an independent numpy simulation', () => {
    const steps = 2048;
    const { W, Win } = designed(...polar(1.2, 0.11), 9);
    const model = createModel({ kind: 'rnn', activation: { name: 'tanh' }, W, Win });
    const [ours] = classifyResponses(model, { steps, tailFraction: 0.5 }).responses;
    const ref = runPython<{ f: number }>(
      `
W, Win, T = M(inp['W']), M(inp['Win']), inp['T']
h = np.zeros(W.shape[0]); hs = []
for t in range(T):
    u = 1.0 if 10 <= t < 15 else 0.0
    h = np.tanh(W @ h + Win[:, 0] * u); hs.append(h.copy())
x = np.array(hs)[T // 2:, 0]
x = (x - x.mean()) * np.hanning(len(x))
n = 1 << 18
p = np.abs(np.fft.rfft(x, n))
k = int(np.argmax(p[1:])) + 1
a, b, c = np.log(p[k - 1]), np.log(p[k]), np.log(p[k + 1])
out({'f': (k + 0.5 * (a - c) / (a - 2 * b + c)) / n})
`,
      { W: toWire(W), Win: toWire(Win), T: steps },
    );
    expect(ours.class).toBe('oscillatory');
    expect(Math.abs(ours.frequency! / ref.f - 1)).toBeLessThan(2e-3);
  });
});
