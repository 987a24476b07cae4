/**
 * Testing a trained model on fresh trials: each trial is simulated with the model's own
 * dynamics (feedback loop closed, weights frozen) and scored over its mask.
 */
import { RnnscopeError } from '../errors.js';
import { getBackend, setBackend } from '../linalg/index.js';
import { createWasmBackend, freeWasm, toWasmMatrix } from '../linalg/wasm/index.js';
import { createModel } from '../models/model.js';
import type { Model, ModelParams } from '../models/types.js';
import type { Rng } from '../random/index.js';
import { trialMatrices } from '../tasks/batch.js';
import { scoreOutputs, type Score } from '../tasks/score.js';
import type { Task } from '../tasks/types.js';
import { openLoopFixedPoints } from './ridge.js';

export interface EvaluateOptions {
  /** Number of fresh trials (default 10). */
  trials?: number;
  /** Steps per trial (default: the task's). */
  steps?: number;
  /**
   * Initial state of every trial: a vector (e.g. a trained x0), or `{ randomScale: s }` for
   * s·N(0, 1) per trial (Jang's FORCE test starts from 0.5·N(0, 1)), or 'fixed-points' (levels
   * task: the open-loop fixed point of the trial's level, perturbed by 0.01·N(0, 1), so the test
   * asks whether the closed loop holds the level). Default zeros.
   */
  x0?: Float64Array | { randomScale: number } | 'fixed-points';
}

export interface Evaluation extends Score {
  /** Per-trial scores, in trial order. */
  perTrial: { mse: number; accuracy?: number }[];
}

/**
 * Scores `model` on `trials` fresh trials drawn from `task` with `rng`.
 * @example
 * const { mse, accuracy } = evaluateModel(params, flipFlopTask({ bits: 3 }), createRng(7), { trials: 5 });
 */
export function evaluateModel(
  model: Model | ModelParams,
  task: Task,
  rng: Rng,
  opts: EvaluateOptions = {},
): Evaluation {
  const params = 'simulate' in model ? model.params : model;
  return withWasmRecurrence(params, (p) => evaluateWith(createModel(p), task, rng, opts));
}

/**
 * Runs `fn` with W copied into wasm memory and the wasm backend installed, so the N×N GEMV of
 * every simulated step runs in the SIMD kernel (4× the plain one at N = 1000). The previous
 * backend is restored before returning; nothing else runs meanwhile (this is synchronous).
 * Small networks, or engines without wasm SIMD, run as they are.
 */
/**
 * Runs `fn` with W copied into wasm memory and the wasm backend current (N ≥ 256, where the
 * simulation's GEMVs pay for it); otherwise, or without wasm, on `params` as they are.
 */
export function withWasmRecurrence<T>(params: ModelParams, fn: (p: ModelParams) => T): T {
  if (params.W.rows < 256) return fn(params);
  let backend;
  let W;
  try {
    backend = createWasmBackend();
    W = toWasmMatrix(params.W);
  } catch {
    return fn(params);
  }
  const previous = getBackend();
  setBackend(backend);
  try {
    return fn({ ...params, W });
  } finally {
    setBackend(previous);
    backend.releaseScratch();
    freeWasm(W);
  }
}

function evaluateWith(m: Model, task: Task, rng: Rng, opts: EvaluateOptions): Evaluation {
  const { units, inputs, outputs } = m.sizes;
  if (inputs !== task.inputs || outputs !== task.outputs)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `model has ${inputs} inputs and ${outputs} outputs; task '${task.spec.task}' needs ${task.inputs} and ${task.outputs}`,
    );
  const trials = opts.trials ?? 10;
  const batch = task.sample(rng.fork('evaluate-trials'), trials, opts.steps);
  const stateRng = rng.fork('evaluate-x0');
  const { steps: T, trials: B } = batch;
  const O = outputs;
  const all = new Float64Array(T * B * O);
  const perTrial: Evaluation['perTrial'] = [];
  let fixed: { levels: readonly number[]; X: Float64Array } | undefined;
  if (opts.x0 === 'fixed-points') {
    const p = m.params;
    if (task.spec.task !== 'levels' || (p.kind !== 'rate' && p.kind !== 'leaky-esn'))
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        "x0 'fixed-points' tests a rate or leaky-esn model with feedback on the levels task",
      );
    fixed = {
      levels: task.spec.levels,
      X: openLoopFixedPoints(p, task.spec.levels).fixedPoints.data,
    };
  }
  for (let b = 0; b < B; b++) {
    const trial = trialMatrices(batch, b);
    let x0: Float64Array | undefined;
    if (opts.x0 instanceof Float64Array) x0 = opts.x0;
    else if (fixed) {
      const k = fixed.levels.indexOf(trial.targets.data[0]);
      x0 = Float64Array.from(
        fixed.X.subarray(k * units, (k + 1) * units),
        (v) => v + 0.01 * stateRng.normal(),
      );
    } else if (opts.x0 && opts.x0 !== 'fixed-points') {
      const s = opts.x0.randomScale;
      x0 = new Float64Array(units);
      for (let i = 0; i < units; i++) x0[i] = s * stateRng.normal();
    }
    const { outputs: z } = m.simulate(trial.inputs, x0);
    for (let t = 0; t < T; t++)
      for (let o = 0; o < O; o++) all[(t * B + b) * O + o] = z.data[t * O + o];
    const one = {
      trials: 1,
      steps: T,
      inputs: batch.inputs,
      outputs: O,
      u: trial.inputs.data,
      y: trial.targets.data,
      mask: trial.mask.data,
    };
    const s = scoreOutputs(task, one, z.data);
    perTrial.push(s.accuracy === undefined ? { mse: s.mse } : { mse: s.mse, accuracy: s.accuracy });
  }
  return { ...scoreOutputs(task, batch, all), perTrial };
}
