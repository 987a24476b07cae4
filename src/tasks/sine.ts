/**
 * Sine-wave generator (Sussillo & Barak 2013; seed 003 §4): a static input selects a frequency,
 * and the output must oscillate at it. Trial j (1-based, j uniform in 1…J) has the constant
 * input u = j/J + inputOffset and the target y_k = sin(ω_j·k·dt) at step k = 0…T−1, where
 * ω_j = ω_min + (ω_max − ω_min)(j − 1)/(J − 1). Defaults: J = 51 frequencies in [0.1, 0.6]
 * rad per unit time, input offset 0.25, dt = 1, T = 100 (1.6 periods of the slowest frequency;
 * BPTT from a zero state stalls at the trivial output for T = 200, see docs/training.md).
 */
import { RnnscopeError } from '../errors.js';
import { checkInt, checkNumber, checkTrials, emptyBatch } from './batch.js';
import type { SineSpec, Task } from './types.js';

export function sineDefaults(): SineSpec {
  return {
    task: 'sine',
    frequencies: 51,
    omegaMin: 0.1,
    omegaMax: 0.6,
    dt: 1,
    steps: 100,
    inputOffset: 0.25,
  };
}

/** ω_j for j = 1…J. */
export function sineFrequency(s: SineSpec, j: number): number {
  if (s.frequencies === 1) return s.omegaMin;
  return s.omegaMin + ((s.omegaMax - s.omegaMin) * (j - 1)) / (s.frequencies - 1);
}

/**
 * @example
 * const task = sineTask({ frequencies: 11 });
 * const batch = task.sample(createRng(0), 32);
 */
export function sineTask(spec: Partial<SineSpec> = {}): Task {
  const s: SineSpec = { ...sineDefaults(), ...spec, task: 'sine' };
  checkInt(s.frequencies, 1, 'sine frequencies');
  checkInt(s.steps, 1, 'sine steps');
  checkNumber(s.omegaMin, 'sine omegaMin');
  checkNumber(s.omegaMax, 'sine omegaMax');
  checkNumber(s.dt, 'sine dt');
  checkNumber(s.inputOffset, 'sine inputOffset');
  if (!(s.dt > 0)) throw new RnnscopeError('INVALID_ARGUMENT', `sine dt must be > 0, got ${s.dt}`);
  return {
    spec: s,
    inputs: 1,
    outputs: 1,
    sample(rng, trials, steps = s.steps) {
      checkTrials(trials, steps);
      const B = trials;
      const batch = emptyBatch(B, steps, 1, 1);
      for (let b = 0; b < B; b++) {
        const j = 1 + rng.integer(s.frequencies);
        const omega = sineFrequency(s, j);
        const input = j / s.frequencies + s.inputOffset;
        for (let t = 0; t < steps; t++) {
          batch.u[t * B + b] = input;
          batch.y[t * B + b] = Math.sin(omega * t * s.dt);
          batch.mask[t * B + b] = 1;
        }
      }
      return batch;
    },
  };
}
