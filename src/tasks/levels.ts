/**
 * Fixed output levels (seed 001, Rivkind & Barak 2017): no input; a trial picks one of the M
 * levels A_1…A_M at random and the target holds it for all T steps. The first `settle` steps
 * (the approach to the level from the initial state) are not scored. Trained by teacher-forced
 * ridge regression (train/ridge.ts), after which each A_m should be a stable fixed point of the
 * closed loop.
 */
import { RnnscopeError } from '../errors.js';
import { checkInt, checkNumber, checkTrials, emptyBatch } from './batch.js';
import type { LevelsSpec, Task } from './types.js';

export function levelsDefaults(): LevelsSpec {
  return { task: 'levels', levels: [1], steps: 500, settle: 100 };
}

/**
 * @example
 * const task = levelsTask({ levels: [-1, 0.5, 1] });
 */
export function levelsTask(spec: Partial<LevelsSpec> = {}): Task {
  const s: LevelsSpec = { ...levelsDefaults(), ...spec, task: 'levels' };
  if (!Array.isArray(s.levels) || s.levels.length === 0)
    throw new RnnscopeError('INVALID_ARGUMENT', 'levels must be a non-empty list of numbers');
  s.levels.forEach((v, i) => checkNumber(v, `levels[${i}]`));
  if (new Set(s.levels).size !== s.levels.length)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `levels must be distinct, got ${s.levels.join(', ')}`,
    );
  checkInt(s.steps, 1, 'levels steps');
  checkInt(s.settle, 0, 'levels settle');
  const sorted = [...s.levels].sort((a, b) => a - b);
  return {
    spec: s,
    inputs: 0,
    outputs: 1,
    levels: sorted,
    sample(rng, trials, steps = s.steps) {
      checkTrials(trials, steps);
      const B = trials;
      const batch = emptyBatch(B, steps, 0, 1);
      for (let b = 0; b < B; b++) {
        const level = s.levels[rng.integer(s.levels.length)];
        for (let t = 0; t < steps; t++) {
          batch.y[t * B + b] = level;
          batch.mask[t * B + b] = t >= s.settle ? 1 : 0;
        }
      }
      return batch;
    },
  };
}
