/**
 * FORCE learning (Sussillo & Abbott 2009; seed 000 §10.2): recursive least squares on the
 * readout of a rate network whose output is fed back, with the loop closed during training.
 *
 * Every δ steps, with r = tanh(x) and z = Wout·r:
 *   k = P·r,   c = 1/(1 + rᵀk),   P ← P − c·k·kᵀ,   e = z − y,   Wout ← Wout − c·e·kᵀ,
 * P(0) = I/α. Seed 000 defaults: α = 1, δ = 2, 30000 steps (network N = 1000, g = 1.5, τ = 10,
 * dt = 1 are the model's). P is stored packed (lower triangle) and updated in place, fused with
 * the next P·r (force-engine.ts); `precision: 'float32'` stores J and P in float32.
 */
import { RnnscopeError } from '../errors.js';
import { fromData, type Matrix } from '../linalg/matrix.js';
import type { RateModel } from '../models/types.js';
import { RunClock, type StopReason, type TrainControl } from './control.js';
import { createForceEngine, type ForceEngineState, type ForcePrecision } from './force-engine.js';

export interface ForceOptions extends TrainControl<ForceCheckpoint> {
  /** P(0) = I/α (default 1). */
  alpha?: number;
  /** δ: steps between RLS updates (default 2). */
  updateEvery?: number;
  /** Storage of J and P (default 'float64'). */
  precision?: ForcePrecision;
  /** 'auto' (default): wasm kernels when available. */
  backend?: 'auto' | 'wasm' | 'ts';
  /**
   * Threads for the wasm sweeps (default 'auto': RNNSCOPE_THREADS, else min(cores, 4); used from
   * N = 256). The trained weights are the same bits for any thread count.
   */
  threads?: number | 'auto';
  /** Initial state (default zeros). Seed 000 draws 0.5·N(0, 1). */
  x0?: Float64Array;
  /** Steps (counted from 1) after which a copy of Wout is kept (seed 000 §6.1). */
  snapshots?: number[];
  /** RLS updates per point of the loss history (default 100). */
  historyEvery?: number;
  /** Continue from a checkpoint of the same model, data and options. */
  resume?: ForceCheckpoint;
}

/** Training curve: mean squared readout error (before each update) over windows of updates. */
export interface ForceHistory {
  step: number[];
  loss: number[];
}

/** Everything needed to continue a run bit for bit. Plain data. */
export interface ForceCheckpoint {
  trainer: 'force';
  step: number;
  updates: number;
  alpha: number;
  updateEvery: number;
  precision: ForcePrecision;
  state: ForceEngineState;
  history: ForceHistory;
  windowSum: number;
  windowCount: number;
  snapshots: { step: number; Wout: Float64Array }[];
}

export interface ForceResult {
  stopped: StopReason;
  /** Steps run in total (including any before a resume). */
  steps: number;
  updates: number;
  history: ForceHistory;
  snapshots: { step: number; Wout: Matrix }[];
  /** State after the last step (the start state of a test run that continues training). */
  finalState: Float64Array;
  checkpoint: ForceCheckpoint;
  seconds: number;
  backend: 'wasm' | 'ts';
  precision: ForcePrecision;
}

function checkData(model: RateModel, inputs: Matrix, targets: Matrix): void {
  const N = model.W.rows;
  const O = model.Wout?.rows ?? 0;
  const I = model.Win?.cols ?? 0;
  if (model.kind !== 'rate')
    throw new RnnscopeError(
      'INVALID_MODEL',
      `FORCE trains rate models (seed 000), not ${model.kind}`,
    );
  if (!model.Wfb)
    throw new RnnscopeError(
      'INVALID_MODEL',
      'FORCE needs output feedback Wfb (the loop it closes)',
    );
  if (targets.cols !== O || inputs.cols !== I || inputs.rows !== targets.rows)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `FORCE data: inputs ${inputs.rows}×${inputs.cols} and targets ${targets.rows}×${targets.cols} must be T×${I} and T×${O}`,
    );
  if (N === 0) throw new RnnscopeError('INVALID_MODEL', 'model has no units');
}

/**
 * Trains `model.Wout` in place by FORCE on one long trial: row t of `inputs` drives step t and
 * row t of `targets` is the output wanted after it. Stops with DIVERGED if the error becomes
 * non-finite. Resolves when done, aborted (`signal`), or at the end of the data.
 *
 * @example
 * const task = flipFlopTask({ bits: 3 });
 * const trial = trialMatrices(task.sample(rng.fork('data'), 1, 30000), 0);
 * const result = await trainForce(model, trial.inputs, trial.targets, { x0 });
 */
export async function trainForce(
  model: RateModel,
  inputs: Matrix,
  targets: Matrix,
  opts: ForceOptions = {},
): Promise<ForceResult> {
  checkData(model, inputs, targets);
  const N = model.W.rows;
  const O = model.Wout!.rows;
  const I = inputs.cols;
  const T = inputs.rows;
  const alpha = opts.resume?.alpha ?? opts.alpha ?? 1;
  const delta = opts.resume?.updateEvery ?? opts.updateEvery ?? 2;
  const precision = opts.resume?.precision ?? opts.precision ?? 'float64';
  const historyEvery = opts.historyEvery ?? 100;
  if (!(alpha > 0)) throw new RnnscopeError('INVALID_ARGUMENT', `alpha must be > 0, got ${alpha}`);
  if (!(Number.isInteger(delta) && delta >= 1))
    throw new RnnscopeError('INVALID_ARGUMENT', `updateEvery must be an integer ≥ 1, got ${delta}`);
  const x0 = opts.x0 ?? new Float64Array(N);
  const engine = createForceEngine(model, {
    alpha,
    precision,
    backend: opts.backend,
    x0,
    threads: opts.threads,
  });
  const snapshotAt = new Set(opts.snapshots ?? []);
  const r = opts.resume;
  let step = 0;
  let updates = 0;
  let windowSum = 0;
  let windowCount = 0;
  const history: ForceHistory = { step: [], loss: [] };
  const snapshots: { step: number; Wout: Float64Array }[] = [];
  if (r) {
    engine.setState(r.state);
    step = r.step;
    updates = r.updates;
    windowSum = r.windowSum;
    windowCount = r.windowCount;
    history.step.push(...r.history.step);
    history.loss.push(...r.history.loss);
    snapshots.push(...r.snapshots.map((s) => ({ step: s.step, Wout: s.Wout.slice() })));
  }
  const checkpoint = (): ForceCheckpoint => ({
    trainer: 'force',
    step,
    updates,
    alpha,
    updateEvery: delta,
    precision,
    state: engine.getState(),
    history: { step: history.step.slice(), loss: history.loss.slice() },
    windowSum,
    windowCount,
    snapshots: snapshots.map((s) => ({ step: s.step, Wout: s.Wout.slice() })),
  });
  const clock = new RunClock('force', T, step, opts);
  const err = new Float64Array(O);
  const lastLoss = () => (history.loss.length ? history.loss[history.loss.length - 1] : NaN);
  let stopped: StopReason = 'completed';
  try {
    while (step < T) {
      if (opts.signal?.aborted) {
        stopped = 'aborted';
        break;
      }
      // A chunk of steps between yields; the chunk size does not change the arithmetic.
      const end = Math.min(T, step + 256);
      for (; step < end;) {
        engine.step(I > 0 ? inputs.data.subarray(step * I, (step + 1) * I) : err);
        const y = targets.data.subarray(step * O, (step + 1) * O);
        step++;
        if (step % delta === 0) {
          engine.update(y, err);
          updates++;
          let e2 = 0;
          for (let q = 0; q < O; q++) e2 += err[q] * err[q];
          if (!Number.isFinite(e2))
            throw new RnnscopeError(
              'DIVERGED',
              `FORCE diverged at step ${step}: the readout error became ${e2} (loss NaN/∞). ` +
                'Try a larger alpha (smaller initial learning rate), a smaller g, or float64 precision.',
            );
          windowSum += e2 / O;
          windowCount++;
          if (windowCount === historyEvery) {
            history.step.push(step);
            history.loss.push(windowSum / windowCount);
            windowSum = 0;
            windowCount = 0;
          }
        }
        if (snapshotAt.has(step)) {
          const w = new Float64Array(O * N);
          engine.readWout(w);
          snapshots.push({ step, Wout: w });
        }
        if (
          opts.checkpointEvery &&
          opts.onCheckpoint &&
          step % opts.checkpointEvery === 0 &&
          step < T
        )
          await opts.onCheckpoint(checkpoint());
      }
      clock.report(step, lastLoss());
      await clock.maybeYield();
    }
    if (windowCount > 0 && stopped === 'completed') {
      history.step.push(step);
      history.loss.push(windowSum / windowCount);
      windowSum = 0;
      windowCount = 0;
    }
    engine.readWout(model.Wout!.data);
    clock.report(step, lastLoss(), true);
    return {
      stopped,
      steps: step,
      updates,
      history,
      snapshots: snapshots.map((s) => ({ step: s.step, Wout: fromData(O, N, s.Wout) })),
      finalState: engine.getState().x,
      checkpoint: checkpoint(),
      seconds: clock.elapsedSeconds,
      backend: engine.backend,
      precision,
    };
  } finally {
    engine.dispose();
  }
}
