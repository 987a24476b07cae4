/** Allocation, indexing and validation shared by the task generators. */
import { RnnscopeError } from '../errors.js';
import { zeros } from '../linalg/matrix.js';
import type { TrialBatch, TrialMatrices } from './types.js';

/** A zero-filled batch (mask zero too). */
export function emptyBatch(
  trials: number,
  steps: number,
  inputs: number,
  outputs: number,
): TrialBatch {
  return {
    trials,
    steps,
    inputs,
    outputs,
    u: new Float64Array(steps * trials * inputs),
    y: new Float64Array(steps * trials * outputs),
    mask: new Float64Array(steps * trials * outputs),
  };
}

/** Trial b as T×I inputs, T×O targets and T×O mask (copies). */
export function trialMatrices(batch: TrialBatch, b: number): TrialMatrices {
  const { trials: B, steps: T, inputs: I, outputs: O } = batch;
  if (!(Number.isInteger(b) && b >= 0 && b < B))
    throw new RnnscopeError('INVALID_ARGUMENT', `trial index must be in [0, ${B}), got ${b}`);
  const inputs = zeros(T, I);
  const targets = zeros(T, O);
  const mask = zeros(T, O);
  for (let t = 0; t < T; t++) {
    inputs.data.set(batch.u.subarray((t * B + b) * I, (t * B + b + 1) * I), t * I);
    targets.data.set(batch.y.subarray((t * B + b) * O, (t * B + b + 1) * O), t * O);
    mask.data.set(batch.mask.subarray((t * B + b) * O, (t * B + b + 1) * O), t * O);
  }
  return { inputs, targets, mask };
}

/** Throws INVALID_ARGUMENT unless v is an integer ≥ min. */
export function checkInt(v: number, min: number, what: string): void {
  if (!(Number.isInteger(v) && v >= min))
    throw new RnnscopeError('INVALID_ARGUMENT', `${what} must be an integer ≥ ${min}, got ${v}`);
}

/** Throws INVALID_ARGUMENT unless v is a finite number (and ≥ min when given). */
export function checkNumber(v: number, what: string, min?: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v) && (min === undefined || v >= min)))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `${what} must be a finite number${min === undefined ? '' : ` ≥ ${min}`}, got ${v}`,
    );
}

export function checkTrials(trials: number, steps: number): void {
  checkInt(trials, 1, 'trials');
  checkInt(steps, 1, 'steps');
}
