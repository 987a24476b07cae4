/**
 * Readout snapshots of FORCE training as systems: with output feedback the closed loop is
 *   τẋ = −x + (W + Wfb·Wout)·φ(x) + Win·u,
 * so each saved Wout gives its own autonomous system (input frozen, by default at zero).
 */
import { RnnscopeError } from '../../errors.js';
import type { LinalgBackend, Matrix } from '../../linalg/index.js';
import type { ModelParams } from '../../models/types.js';
import { batchModelSystem } from '../batch.js';
import type { EvolutionStage } from './evolution.js';

/** Wout (O×N) after `step` training steps. */
export interface WoutSnapshot {
  step: number;
  Wout: Matrix;
}

function checkFeedback(params: ModelParams): { O: number; N: number } {
  const N = params.W.rows;
  const O = params.Wout?.rows ?? 0;
  if (!params.Wfb || O === 0)
    throw new RnnscopeError(
      'INVALID_MODEL',
      'readout snapshots change the dynamics only through output feedback: this model has no Wfb/Wout, so every snapshot would be the same system',
    );
  return { O, N };
}

/**
 * Stages for `fixedPointEvolution`: the model with each snapshot's Wout, input frozen at `input`
 * (default zeros). Systems are built one at a time (`batchModelSystem`, whose W + Wfb·Wout lives
 * in the backend's memory until the evolution releases it).
 */
export function woutStages(
  params: ModelParams,
  snapshots: readonly WoutSnapshot[],
  opts: { input?: Float64Array; time?: 'flow' | 'map'; backend?: LinalgBackend } = {},
): EvolutionStage[] {
  const { O, N } = checkFeedback(params);
  const I = params.Win?.cols ?? 0;
  if (opts.input && opts.input.length !== I)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `input has ${opts.input.length} values, but the model has ${I} inputs`,
    );
  const u = opts.input ?? new Float64Array(I);
  return snapshots.map((s) => {
    if (s.Wout.rows !== O || s.Wout.cols !== N)
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `Wout snapshot at step ${s.step} is ${s.Wout.rows}×${s.Wout.cols}; the model's readout is ${O}×${N}`,
      );
    return {
      step: s.step,
      system: () => batchModelSystem({ ...params, Wout: s.Wout }, u, opts.time, opts.backend),
    };
  });
}

/**
 * The snapshots stored by `rnnscope train --snapshots` (metadata.woutSnapshots: an array of
 * {step, Wout: O rows of N numbers}), checked against the model and sorted by step.
 */
export function woutSnapshotsFromMetadata(
  metadata: Record<string, unknown> | undefined,
  params: ModelParams,
): WoutSnapshot[] {
  const { O, N } = checkFeedback(params);
  const raw = metadata?.woutSnapshots;
  if (raw === undefined)
    throw new RnnscopeError(
      'INVALID_MODEL',
      'the model file has no Wout snapshots (metadata.woutSnapshots): train it with e.g. rnnscope train flipflop --snapshots 100,500,1000,5000,30000',
    );
  if (!Array.isArray(raw) || raw.length === 0)
    throw new RnnscopeError('INVALID_FILE', 'metadata.woutSnapshots must be a non-empty array');
  const out = raw.map((s: unknown, i): WoutSnapshot => {
    const where = `metadata.woutSnapshots[${i}]`;
    const o = s as { step?: unknown; Wout?: unknown };
    if (
      typeof o !== 'object' ||
      o === null ||
      typeof o.step !== 'number' ||
      !Number.isFinite(o.step)
    )
      throw new RnnscopeError('INVALID_FILE', `${where}.step must be a finite number`);
    const rows = o.Wout;
    if (
      !Array.isArray(rows) ||
      rows.length !== O ||
      !rows.every(
        (r) =>
          Array.isArray(r) &&
          r.length === N &&
          r.every((v) => typeof v === 'number' && Number.isFinite(v)),
      )
    )
      throw new RnnscopeError(
        'INVALID_FILE',
        `${where}.Wout must be ${O} rows of ${N} finite numbers (the model's readout shape)`,
      );
    return {
      step: o.step,
      Wout: { rows: O, cols: N, data: Float64Array.from((rows as number[][]).flat()) },
    };
  });
  out.sort((a, b) => a.step - b.step);
  for (let i = 1; i < out.length; i++)
    if (out[i].step === out[i - 1].step)
      throw new RnnscopeError(
        'INVALID_FILE',
        `metadata.woutSnapshots has step ${out[i].step} twice`,
      );
  return out;
}
