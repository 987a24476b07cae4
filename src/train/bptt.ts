/**
 * Backpropagation through time with Adam for `rnn` and `ctrnn` models (seeds 003/004):
 * fresh minibatches from a task each iteration, masked MSE, global gradient-norm clipping, a
 * choice of trained parameters (W, Win, Wout, bias, bout, initial state x0), and an early stop
 * once the mean loss of the last 10 iterations falls below a threshold (Jarne: 0.001).
 */
import { RnnscopeError } from '../errors.js';
import { rngFromState, type Rng, type RngState } from '../random/index.js';
import type { Task } from '../tasks/types.js';
import {
  adamDefaults,
  adamStep,
  createAdamState,
  type AdamOptions,
  type AdamState,
} from './adam.js';
import { createBpttWorkspace, type BpttModel, type BpttParameterName } from './bptt-grad.js';
import { RunClock, type StopReason, type TrainControl } from './control.js';

export interface BpttOptions extends TrainControl<BpttCheckpoint>, Partial<AdamOptions> {
  task: Task;
  /** Source of the minibatches (ignored when resuming: the checkpoint carries its state). */
  rng: Rng;
  /** Trials per minibatch (default 64). */
  batchSize?: number;
  /** Steps per trial (default: the task's). */
  trialSteps?: number;
  /** Maximum number of iterations (default 2000). */
  iterations?: number;
  /** Gradient-norm clipping threshold (default 1; 0 or ∞ disables). */
  clipNorm?: number;
  /** Stop when the mean loss of the last 10 iterations is below this (default 0: never). */
  lossThreshold?: number;
  /** Trained parameters (default W, Win, Wout, bias, bout). */
  train?: BpttParameterName[];
  /** Initial state shared by all trials (default zeros); trained when 'x0' is in `train`. */
  x0?: Float64Array;
  backend?: 'auto' | 'wasm' | 'ts';
  /** Iterations per point of the loss history (default 10). */
  historyEvery?: number;
  resume?: BpttCheckpoint;
}

export interface BpttHistory {
  iteration: number[];
  loss: number[];
}

/** A resumable snapshot of a BPTT run (parameters, Adam moments, batch RNG). Plain data. */
export interface BpttCheckpoint {
  trainer: 'bptt';
  iteration: number;
  params: Partial<Record<BpttParameterName, Float64Array>>;
  adam: AdamState;
  rng: RngState;
  history: BpttHistory;
  recent: number[];
  windowSum: number;
  windowCount: number;
}

export interface BpttResult {
  stopped: StopReason;
  iterations: number;
  history: BpttHistory;
  /** Mean loss of the last (up to) 10 iterations. */
  finalLoss: number;
  x0: Float64Array;
  checkpoint: BpttCheckpoint;
  seconds: number;
  backend: 'wasm' | 'ts';
}

/** The arrays of `model` (and x0) that BPTT updates, creating zero biases when trained but absent. */
function trainedArrays(
  model: BpttModel,
  x0: Float64Array,
  names: BpttParameterName[],
): Record<string, Float64Array> {
  const N = model.W.rows;
  const out: Record<string, Float64Array> = {};
  for (const name of names) {
    switch (name) {
      case 'W':
        out.W = model.W.data;
        break;
      case 'Win':
        if (model.Win) out.Win = model.Win.data;
        break;
      case 'Wout':
        out.Wout = model.Wout!.data;
        break;
      case 'bias':
        model.bias ??= new Float64Array(N);
        out.bias = model.bias;
        break;
      case 'bout':
        model.bout ??= new Float64Array(model.Wout!.rows);
        out.bout = model.bout;
        break;
      case 'x0':
        out.x0 = x0;
        break;
      default:
        throw new RnnscopeError('INVALID_ARGUMENT', `unknown trained parameter '${String(name)}'`);
    }
  }
  return out;
}

/**
 * Trains `model` in place by BPTT + Adam on minibatches of `opts.task`.
 * @example
 * const model = createTrainableNetwork({ kind: 'rnn', units: 16, inputs: 3, outputs: 3 }, rng);
 * const res = await trainBptt(model, { task: flipFlopTask({ variant: 'discrete' }), rng, lossThreshold: 1e-3 });
 */
export async function trainBptt(model: BpttModel, opts: BpttOptions): Promise<BpttResult> {
  const task = opts.task;
  const B = opts.batchSize ?? 64;
  const T = opts.trialSteps ?? task.spec.steps;
  const total = opts.iterations ?? 2000;
  const clipNorm = opts.clipNorm ?? 1;
  const threshold = opts.lossThreshold ?? 0;
  const historyEvery = opts.historyEvery ?? 10;
  const names = opts.train ?? ['W', 'Win', 'Wout', 'bias', 'bout'];
  const adamOpts: AdamOptions = {
    learningRate: opts.learningRate ?? adamDefaults.learningRate,
    beta1: opts.beta1 ?? adamDefaults.beta1,
    beta2: opts.beta2 ?? adamDefaults.beta2,
    epsilon: opts.epsilon ?? adamDefaults.epsilon,
  };
  const N = model.W.rows;
  const x0 = Float64Array.from(opts.x0 ?? new Float64Array(N));
  if (x0.length !== N) throw new RnnscopeError('SHAPE_MISMATCH', `x0 must have length ${N}`);
  const params = trainedArrays(model, x0, names);
  const ws = createBpttWorkspace(model, B, T, opts.backend);
  let rng = opts.rng;
  let adam = createAdamState(params);
  let iteration = 0;
  const history: BpttHistory = { iteration: [], loss: [] };
  let recent: number[] = [];
  let windowSum = 0;
  let windowCount = 0;
  const r = opts.resume;
  if (r) {
    for (const [k, v] of Object.entries(r.params)) {
      if (!params[k] || params[k].length !== v.length)
        throw new RnnscopeError(
          'INVALID_ARGUMENT',
          `checkpoint parameter ${k} does not match the model`,
        );
      params[k].set(v);
    }
    adam = { t: r.adam.t, m: {}, v: {} };
    for (const k of Object.keys(params)) {
      adam.m[k] = Float64Array.from(r.adam.m[k]);
      adam.v[k] = Float64Array.from(r.adam.v[k]);
    }
    rng = rngFromState(r.rng);
    iteration = r.iteration;
    history.iteration.push(...r.history.iteration);
    history.loss.push(...r.history.loss);
    recent = r.recent.slice();
    windowSum = r.windowSum;
    windowCount = r.windowCount;
  }
  const checkpoint = (): BpttCheckpoint => {
    const p: Partial<Record<BpttParameterName, Float64Array>> = {};
    for (const [k, v] of Object.entries(params)) p[k as BpttParameterName] = v.slice();
    const m: Record<string, Float64Array> = {};
    const v: Record<string, Float64Array> = {};
    for (const k of Object.keys(params)) {
      m[k] = adam.m[k].slice();
      v[k] = adam.v[k].slice();
    }
    return {
      trainer: 'bptt',
      iteration,
      params: p,
      adam: { t: adam.t, m, v },
      rng: rng.state(),
      history: { iteration: history.iteration.slice(), loss: history.loss.slice() },
      recent: recent.slice(),
      windowSum,
      windowCount,
    };
  };
  const meanRecent = () =>
    recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : NaN;
  const clock = new RunClock('bptt', total, iteration, opts);
  let stopped: StopReason = 'completed';
  try {
    while (iteration < total) {
      if (opts.signal?.aborted) {
        stopped = 'aborted';
        break;
      }
      const batch = task.sample(rng, B, T);
      const loss = ws.lossAndGradient(model, x0, batch);
      if (!Number.isFinite(loss))
        throw new RnnscopeError(
          'DIVERGED',
          `BPTT diverged at iteration ${iteration + 1}: the loss became ${loss}. ` +
            'Try a smaller learning rate or a smaller clipNorm.',
        );
      const grads: Record<string, Float64Array> = {};
      for (const k of Object.keys(params)) grads[k] = ws.grads[k as BpttParameterName];
      adamStep(adam, params, grads, adamOpts, clipNorm);
      iteration++;
      recent.push(loss);
      if (recent.length > 10) recent.shift();
      windowSum += loss;
      windowCount++;
      if (windowCount === historyEvery) {
        history.iteration.push(iteration);
        history.loss.push(windowSum / windowCount);
        windowSum = 0;
        windowCount = 0;
      }
      if (threshold > 0 && recent.length === 10 && meanRecent() < threshold) {
        stopped = 'threshold';
        break;
      }
      if (
        opts.checkpointEvery &&
        opts.onCheckpoint &&
        iteration % opts.checkpointEvery === 0 &&
        iteration < total
      )
        await opts.onCheckpoint(checkpoint());
      clock.report(iteration, meanRecent());
      await clock.maybeYield();
    }
    if (windowCount > 0 && stopped !== 'aborted') {
      history.iteration.push(iteration);
      history.loss.push(windowSum / windowCount);
      windowSum = 0;
      windowCount = 0;
    }
    clock.report(iteration, meanRecent(), true);
    return {
      stopped,
      iterations: iteration,
      history,
      finalLoss: meanRecent(),
      x0,
      checkpoint: checkpoint(),
      seconds: clock.elapsedSeconds,
      backend: ws.ops.backend,
    };
  } finally {
    ws.dispose();
  }
}
