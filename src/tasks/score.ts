/**
 * Scores model outputs against a batch: mean squared error and, for tasks with discrete target
 * levels, accuracy, both over the masked (scored) entries only.
 */
import { RnnscopeError } from '../errors.js';
import type { Task, TrialBatch } from './types.js';

export interface Score {
  /** Σ mask·(z − y)² / Σ mask. */
  mse: number;
  /**
   * Fraction of scored entries (one output channel at one step) whose nearest target level is
   * the target's: for ±1 targets, sign(z) = sign(y). Absent for continuous tasks.
   */
  accuracy?: number;
  /** Fraction of scored steps where every scored channel is right (tasks with levels, O > 1). */
  allChannelsAccuracy?: number;
  /** Number of scored entries. */
  scored: number;
  trials: number;
  steps: number;
}

/** Index of the level nearest to v (ties go to the lower level). */
export function nearestLevel(levels: readonly number[], v: number): number {
  let best = 0;
  let dist = Infinity;
  for (let i = 0; i < levels.length; i++) {
    const d = Math.abs(v - levels[i]);
    if (d < dist) {
      dist = d;
      best = i;
    }
  }
  return best;
}

/**
 * Scores `outputs` (T×B×O, time-major like the batch's targets).
 * @example
 * const { mse, accuracy } = scoreOutputs(task, batch, outputs);
 */
export function scoreOutputs(task: Task, batch: TrialBatch, outputs: Float64Array): Score {
  const { trials: B, steps: T, outputs: O } = batch;
  if (outputs.length !== T * B * O)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `outputs must have ${T}×${B}×${O} = ${T * B * O} entries, got ${outputs.length}`,
    );
  const levels = task.levels;
  let sq = 0;
  let scored = 0;
  let right = 0;
  let stepsScored = 0;
  let stepsRight = 0;
  for (let tb = 0; tb < T * B; tb++) {
    let any = false;
    let all = true;
    for (let o = 0; o < O; o++) {
      const i = tb * O + o;
      const m = batch.mask[i];
      if (m === 0) continue;
      const e = outputs[i] - batch.y[i];
      sq += m * e * e;
      scored += m;
      if (levels) {
        any = true;
        const ok = nearestLevel(levels, outputs[i]) === nearestLevel(levels, batch.y[i]);
        if (ok) right += m;
        else all = false;
      }
    }
    if (any) {
      stepsScored++;
      if (all) stepsRight++;
    }
  }
  const score: Score = { mse: scored > 0 ? sq / scored : NaN, scored, trials: B, steps: T };
  if (levels) {
    score.accuracy = scored > 0 ? right / scored : NaN;
    if (O > 1) score.allChannelsAccuracy = stepsScored > 0 ? stepsRight / stepsScored : NaN;
  }
  return score;
}
