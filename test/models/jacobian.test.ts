import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/models/index.js';
import type { ModelParams } from '../../src/models/types.js';
import { createRng } from '../../src/random/rng.js';
import { finiteDifferenceJacobian } from '../../src/systems/index.js';
import {
  ACTIVATIONS,
  KINDS,
  makeParams,
  maxRelErr,
  naiveDrive,
  naiveReadout,
  naiveVelocity,
} from './helpers.js';

/** A state whose units all sit ≥ 1e-3 away from the relu kink (where φ′ jumps). */
function smoothState(p: ModelParams, u: Float64Array, seed: string): Float64Array {
  const rng = createRng(seed);
  const theta = p.activation.name === 'relu' ? (p.activation.threshold ?? 0) : NaN;
  for (let attempt = 0; attempt < 100; attempt++) {
    const x = Float64Array.from({ length: p.W.rows }, () => rng.normal(0, 0.8));
    if (Number.isNaN(theta)) return x;
    const pre = p.kind === 'rate' ? x : naiveDrive(p, x, u);
    if (Array.from(pre).every((v) => Math.abs(v - theta) > 1e-3)) return x;
  }
  throw new Error('no smooth state found');
}

function matVec(J: Float64Array, v: Float64Array, n: number, transpose: boolean): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) out[i] += (transpose ? J[j * n + i] : J[i * n + j]) * v[j];
  return out;
}

describe('model systems: velocity, Jacobian, jvp, vjp', () => {
  for (const kind of KINDS) {
    const times: ('flow' | 'map')[] =
      kind === 'rate' || kind === 'ctrnn' ? ['flow', 'map'] : ['map'];
    for (const act of ACTIVATIONS) {
      for (const feedback of [false, true]) {
        for (const time of times) {
          const name = `${kind} ${act.name}${feedback ? ' +feedback' : ''} ${time}`;
          it(name, () => {
            const p = makeParams(kind, act, { feedback });
            const model = createModel(p);
            const u = Float64Array.of(0.3, -0.8);
            const sys = model.system(u, time);
            const N = sys.dim;
            expect(sys.time).toBe(time);
            expect(N).toBe(12);
            for (const seed of ['a', 'b', 'c']) {
              const x = smoothState(p, u, `${name}${seed}`);
              const F = new Float64Array(N);
              sys.velocity(x, F);
              expect(maxRelErr(F, naiveVelocity(p, x, u, time))).toBeLessThan(1e-13);

              const J = new Float64Array(N * N);
              sys.jacobian(x, J);
              const fd = finiteDifferenceJacobian(sys, x);
              expect(maxRelErr(J, fd.data)).toBeLessThan(1e-6);

              const v = Float64Array.from({ length: N }, (_, i) => Math.sin(1 + i));
              const jv = new Float64Array(N);
              const vj = new Float64Array(N);
              sys.jvp!(x, v, jv);
              sys.vjp!(x, v, vj);
              expect(maxRelErr(jv, matVec(J, v, N, false))).toBeLessThan(1e-12);
              expect(maxRelErr(vj, matVec(J, v, N, true))).toBeLessThan(1e-12);

              const z = new Float64Array(3);
              sys.output!(x, z);
              expect(maxRelErr(z, naiveReadout(p, x))).toBeLessThan(1e-13);
            }
          });
        }
      }
    }
  }
});

describe('model system conventions', () => {
  it('flows linearise to the closed forms at x = 0 (tanh): rate J = (Weff − I)/τ, ctrnn J = Weff − I/τ', () => {
    for (const kind of ['rate', 'ctrnn'] as const) {
      const p = makeParams(kind, { name: 'tanh' }, { I: 0, feedback: true });
      // Zero biases so that, for ctrnn, the drive at x = 0 is Wfb·bout only; drop bout too.
      const q = { ...p, bias: undefined, bout: undefined } as ModelParams;
      const model = createModel(q);
      const N = 12;
      const J = new Float64Array(N * N);
      model.system().jacobian(new Float64Array(N), J);
      const Weff = model.effectiveW();
      const tau = (q as { tau: number }).tau;
      const expected = new Float64Array(N * N);
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < N; j++) {
          const w = Weff.data[i * N + j];
          const delta = i === j ? 1 : 0;
          expected[i * N + j] = kind === 'rate' ? (w - delta) / tau : w - delta / tau;
        }
      }
      expect(maxRelErr(J, expected)).toBeLessThan(1e-15);
    }
  });

  it('the Euler map of a flow has velocity dt·F and Jacobian dt·J', () => {
    const model = createModel(makeParams('rate', { name: 'tanh' }));
    const u = Float64Array.of(1, 2);
    const x = Float64Array.from({ length: 12 }, (_, i) => Math.cos(i));
    const flow = model.system(u, 'flow');
    const map = model.system(u, 'map');
    const Jf = new Float64Array(144);
    const Jm = new Float64Array(144);
    flow.jacobian(x, Jf);
    map.jacobian(x, Jm);
    expect(
      maxRelErr(
        Jm,
        Jf.map((v) => 0.5 * v),
      ),
    ).toBeLessThan(1e-15);
    expect(map.label).toMatch(/Euler map dt=0.5/);
  });

  it('uses the natural time by default and refuses a flow for discrete kinds', () => {
    expect(createModel(makeParams('rate', { name: 'tanh' })).system().time).toBe('flow');
    expect(createModel(makeParams('ctrnn', { name: 'tanh' })).system().time).toBe('flow');
    expect(createModel(makeParams('leaky-esn', { name: 'tanh' })).system().time).toBe('map');
    expect(createModel(makeParams('rnn', { name: 'tanh' })).system().time).toBe('map');
    expect(() =>
      createModel(makeParams('rnn', { name: 'tanh' })).system(undefined, 'flow'),
    ).toThrow(/discrete-time/);
  });

  it('copies u and checks its length; models without a readout have no output()', () => {
    const model = createModel(makeParams('rate', { name: 'tanh' }));
    expect(() => model.system(Float64Array.of(1))).toThrow(/length 2/);
    const u = Float64Array.of(0.5, 0.5);
    const sys = model.system(u);
    const x = new Float64Array(12).fill(0.1);
    const before = new Float64Array(12);
    sys.velocity(x, before);
    u[0] = 100;
    const after = new Float64Array(12);
    sys.velocity(x, after);
    expect(after).toEqual(before);
    const silent = createModel(makeParams('rnn', { name: 'tanh' }, { O: 0 })).system();
    expect(silent.output).toBeUndefined();
    expect(silent.outputDim).toBeUndefined();
  });
});
