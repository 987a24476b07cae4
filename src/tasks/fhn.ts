/**
 * FitzHugh–Nagumo imitation (seed 003 §3.1): the network receives the constant current I_ext
 * and must output the voltage v(t) of the FitzHugh–Nagumo neuron
 *   dv/dt = v − v³/3 − w + I,   dw/dt = (v + a − b·w)/τ,
 * integrated from (v, w) = (0, 0) with forward Euler (or RK4) at step h. Seed defaults:
 * a = 0.7, b = 0.8, τ = 12.5, h = 0.3, 100 time units (T = 333 steps), I_ext uniform in
 * [0.4, 1.4] (the limit-cycle range), and both target and input halved (vScale = inputScale =
 * 0.5), which the seed needed for training to succeed. Target row k is vScale·v after k + 1
 * integration steps.
 */
import { RnnscopeError } from '../errors.js';
import { fitzhughNagumo, integrate } from '../systems/index.js';
import { checkInt, checkNumber, checkTrials, emptyBatch } from './batch.js';
import type { FhnSpec, Task } from './types.js';

export function fhnDefaults(): FhnSpec {
  return {
    task: 'fhn',
    a: 0.7,
    b: 0.8,
    tau: 12.5,
    h: 0.3,
    method: 'euler',
    currentMin: 0.4,
    currentMax: 1.4,
    steps: 333,
    vScale: 0.5,
    inputScale: 0.5,
  };
}

/** v(t) for a constant current: steps values, the state after 1…steps integration steps. */
export function fhnVoltage(s: FhnSpec, current: number, steps: number): Float64Array {
  const sys = fitzhughNagumo({ a: s.a, b: s.b, tau: s.tau, I: current });
  const path = integrate(sys, new Float64Array(2), steps, { dt: s.h, method: s.method });
  const v = new Float64Array(steps);
  for (let k = 0; k < steps; k++) v[k] = path.data[(k + 1) * 2];
  return v;
}

/**
 * @example
 * const task = fhnTask({ method: 'rk4' });
 * const batch = task.sample(createRng(2), 16);
 */
export function fhnTask(spec: Partial<FhnSpec> = {}): Task {
  const s: FhnSpec = { ...fhnDefaults(), ...spec, task: 'fhn' };
  for (const k of [
    'a',
    'b',
    'tau',
    'h',
    'currentMin',
    'currentMax',
    'vScale',
    'inputScale',
  ] as const)
    checkNumber(s[k], `fhn ${k}`);
  checkInt(s.steps, 1, 'fhn steps');
  if (!(s.h > 0 && s.tau > 0))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `fhn h and tau must be > 0, got h=${s.h}, tau=${s.tau}`,
    );
  if (s.currentMax < s.currentMin)
    throw new RnnscopeError('INVALID_ARGUMENT', 'fhn currentMax must be ≥ currentMin');
  if (s.method !== 'euler' && s.method !== 'rk4')
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `fhn method must be 'euler' or 'rk4', got '${String(s.method)}'`,
    );
  return {
    spec: s,
    inputs: 1,
    outputs: 1,
    sample(rng, trials, steps = s.steps) {
      checkTrials(trials, steps);
      const B = trials;
      const batch = emptyBatch(B, steps, 1, 1);
      for (let b = 0; b < B; b++) {
        const current = rng.uniformRange(s.currentMin, s.currentMax);
        const v = fhnVoltage(s, current, steps);
        for (let t = 0; t < steps; t++) {
          batch.u[t * B + b] = s.inputScale * current;
          batch.y[t * B + b] = s.vScale * v[t];
          batch.mask[t * B + b] = 1;
        }
      }
      return batch;
    },
  };
}
