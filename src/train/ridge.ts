/**
 * Offline readout training with the loop opened (seed 001; Jaeger 2001; Rivkind & Barak 2017).
 *
 * Teacher forcing: the target f, not the readout, is fed back through Wfb,
 *   τ ẋ = −x + W·φ(x) + Wfb·f + Win·u + b,
 * and Wout is the ridge regression of the targets on the rates r = φ(x) collected after a washout:
 *   Wout = Fᵀ·R·(RᵀR + λ·I)⁻¹.
 * For M constant levels A_1…A_M the open loop settles to fixed points x̄_m = W·φ(x̄_m) + Wfb·A_m
 * (when it has fading memory), and the exact least-squares readout is the minimum-norm solution
 * of Wout·r̄_m = A_m: Wout = Aᵀ·(R̄ᵀR̄)⁻¹·R̄ᵀ, R̄ = [r̄_1 … r̄_M]. Closing the loop afterwards
 * (z fed back) is what `closedLoopHolds` checks.
 */
import { RnnscopeError } from '../errors.js';
import { eigSym, gemm, solve } from '../linalg/index.js';
import { fromData, zeros, type Matrix } from '../linalg/matrix.js';
import { activation } from '../models/activations.js';
import { createModel } from '../models/model.js';
import type { LeakyEsnModel, ModelParams, RateModel } from '../models/types.js';
import type { Rng } from '../random/index.js';

/** Models with output feedback that ridge can train: the rate network and the leaky ESN. */
export type FeedbackModel = RateModel | LeakyEsnModel;

/** What the readout reads: φ(x) for the rate network, x itself for the leaky ESN. */
function toFeatures(model: FeedbackModel, states: Matrix): Matrix {
  if (model.kind === 'rate') activation(model.activation).value(states.data, states.data);
  return states;
}

function requireFeedback(model: FeedbackModel): { N: number; O: number; I: number } {
  if (model.kind !== 'rate' && model.kind !== 'leaky-esn')
    throw new RnnscopeError(
      'INVALID_MODEL',
      `teacher-forced ridge trains rate and leaky-esn models, not ${(model as { kind: string }).kind}`,
    );
  if (!model.Wfb || !model.Wout)
    throw new RnnscopeError(
      'INVALID_MODEL',
      'teacher-forced ridge needs a readout Wout and feedback Wfb',
    );
  return { N: model.W.rows, O: model.Wout.rows, I: model.Win?.cols ?? 0 };
}

/**
 * Runs the open loop: the feedback carries `targets` (row t − 1 while stepping to t; row 0 at
 * the first step), so the model is simulated as one with inputs [u | f] and no readout.
 * Returns the states x after every step (T×N).
 */
export function teacherForcedStates(
  model: FeedbackModel,
  inputs: Matrix,
  targets: Matrix,
  x0?: Float64Array,
  noise?: () => number,
): Matrix {
  const { N, O, I } = requireFeedback(model);
  const T = targets.rows;
  if (targets.cols !== O || inputs.cols !== I || inputs.rows !== T)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `teacher forcing: inputs must be ${T}×${I} and targets ${T}×${O}, got ${inputs.rows}×${inputs.cols} and ${targets.rows}×${targets.cols}`,
    );
  const Win = zeros(N, I + O);
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < I; k++) Win.data[i * (I + O) + k] = model.Win!.data[i * I + k];
    for (let q = 0; q < O; q++) Win.data[i * (I + O) + I + q] = model.Wfb!.data[i * O + q];
  }
  const drive = zeros(T, I + O);
  for (let t = 0; t < T; t++) {
    const prev = Math.max(0, t - 1);
    for (let k = 0; k < I; k++) drive.data[t * (I + O) + k] = inputs.data[t * I + k];
    for (let q = 0; q < O; q++)
      drive.data[t * (I + O) + I + q] = targets.data[prev * O + q] + (noise ? noise() : 0);
  }
  const weights = { W: model.W, Win, ...(model.bias ? { bias: model.bias } : {}) };
  const open: ModelParams =
    model.kind === 'rate'
      ? { kind: 'rate', activation: model.activation, tau: model.tau, dt: model.dt, ...weights }
      : { kind: 'leaky-esn', activation: model.activation, alpha: model.alpha, ...weights };
  return createModel(open).simulate(drive, x0).states;
}

/** What the readout reads along `teacherForcedStates`: φ(x) (rate) or x (leaky-esn), T×N. */
export function teacherForcedRates(
  model: FeedbackModel,
  inputs: Matrix,
  targets: Matrix,
  x0?: Float64Array,
  noise?: () => number,
): Matrix {
  return toFeatures(model, teacherForcedStates(model, inputs, targets, x0, noise));
}

/**
 * Ridge regression of Y (T×O) on R (T×N): Wout = Yᵀ·R·(RᵀR + λI)⁻¹ (O×N), solved as the N×N
 * symmetric system (RᵀR + λI)·Woutᵀ = RᵀY.
 */
export function ridgeReadout(R: Matrix, Y: Matrix, lambda: number): Matrix {
  if (R.rows !== Y.rows)
    throw new RnnscopeError('SHAPE_MISMATCH', `ridge: R has ${R.rows} rows but Y has ${Y.rows}`);
  if (!(lambda >= 0))
    throw new RnnscopeError('INVALID_ARGUMENT', `ridge λ must be ≥ 0, got ${lambda}`);
  const N = R.cols;
  const G = zeros(N, N);
  gemm(true, false, 1, R, R, 0, G);
  for (let i = 0; i < N; i++) G.data[i * N + i] += lambda;
  const RtY = zeros(N, Y.cols);
  gemm(true, false, 1, R, Y, 0, RtY);
  const X = solve(G, RtY); // N×O = Woutᵀ
  const Wout = zeros(Y.cols, N);
  for (let i = 0; i < N; i++)
    for (let q = 0; q < Y.cols; q++) Wout.data[q * N + i] = X.data[i * Y.cols + q];
  return Wout;
}

export interface RidgeOptions {
  /** λ (default 1e-6). */
  ridge?: number;
  /** Steps at the start of every trial left out of the regression (default 100). */
  washout?: number;
  x0?: Float64Array;
  /**
   * Standard deviation of Gaussian noise added to the fed-back target at every step (default 0),
   * with `rng` its source. Jaeger's remedy for closed-loop instability: the readout learns to
   * map states perturbed by a wrong feedback back to the target, which flattens the loop gain
   * around each trained level and makes it attracting.
   */
  feedbackNoise?: number;
  rng?: Rng;
}

/**
 * Trains `model.Wout` in place by teacher-forced ridge regression on trials given as matrices
 * (each trial's states restart from x0). Returns the training MSE of the open-loop readout.
 * @example
 * const trials = [0, 1, 2].map((b) => trialMatrices(batch, b));
 * trainRidge(model, trials, { ridge: 1e-4 });
 */
export function trainRidge(
  model: FeedbackModel,
  trials: { inputs: Matrix; targets: Matrix }[],
  opts: RidgeOptions = {},
): { mse: number; samples: number } {
  const { N, O } = requireFeedback(model);
  const washout = opts.washout ?? 100;
  const sigma = opts.feedbackNoise ?? 0;
  if (sigma > 0 && !opts.rng)
    throw new RnnscopeError('INVALID_ARGUMENT', 'feedbackNoise needs an rng');
  const noise = sigma > 0 ? () => sigma * opts.rng!.normal() : undefined;
  const parts: { R: Matrix; Y: Matrix }[] = [];
  let rows = 0;
  for (const tr of trials) {
    const R = teacherForcedRates(model, tr.inputs, tr.targets, opts.x0, noise);
    const keep = Math.max(0, R.rows - washout);
    if (keep === 0) continue;
    parts.push({
      R: fromData(keep, N, R.data.slice(washout * N)),
      Y: fromData(keep, O, tr.targets.data.slice(washout * O, R.rows * O)),
    });
    rows += keep;
  }
  if (rows === 0)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `no samples left after a washout of ${washout} steps`,
    );
  const R = zeros(rows, N);
  const Y = zeros(rows, O);
  let at = 0;
  for (const p of parts) {
    R.data.set(p.R.data, at * N);
    Y.data.set(p.Y.data, at * O);
    at += p.R.rows;
  }
  const Wout = ridgeReadout(R, Y, opts.ridge ?? 1e-6);
  model.Wout!.data.set(Wout.data);
  const Z = zeros(rows, O);
  gemm(false, true, 1, R, Wout, 0, Z);
  let sq = 0;
  for (let i = 0; i < Z.data.length; i++) sq += (Z.data[i] - Y.data[i]) ** 2;
  return { mse: sq / Z.data.length, samples: rows };
}

export interface FixedLevelsResult {
  /** x̄_m, one row per level (M×N). */
  fixedPoints: Matrix;
  /** Open-loop steps each level took to converge. */
  steps: number[];
}

/**
 * The open-loop fixed points x̄_m = W·φ(x̄_m) + Wfb·A_m (+ b) for a single-output model, by
 * running the teacher-forced dynamics until ‖Δx‖∞ < tol. Throws NOT_CONVERGED when the open
 * loop has no fading memory at some level (it keeps moving: chaos or oscillation).
 */
export function openLoopFixedPoints(
  model: FeedbackModel,
  levels: readonly number[],
  opts: { tol?: number; maxSteps?: number } = {},
): FixedLevelsResult {
  const { N, O, I } = requireFeedback(model);
  if (O !== 1) throw new RnnscopeError('INVALID_MODEL', 'fixed levels need a single-output model');
  const tol = opts.tol ?? 1e-10;
  const maxSteps = opts.maxSteps ?? 200000;
  const chunk = 500;
  const X = zeros(levels.length, N);
  const steps: number[] = [];
  levels.forEach((A, m) => {
    let x = new Float64Array(N);
    let done = 0;
    for (;;) {
      const S = teacherForcedStates(
        model,
        zeros(chunk, I),
        fromData(chunk, 1, new Float64Array(chunk).fill(A)),
        x,
      );
      const last = S.data.subarray((chunk - 1) * N, chunk * N);
      const prev = S.data.subarray((chunk - 2) * N, (chunk - 1) * N);
      let diff = 0;
      for (let i = 0; i < N; i++) diff = Math.max(diff, Math.abs(last[i] - prev[i]));
      done += chunk;
      x = Float64Array.from(last);
      if (diff < tol) break;
      if (done >= maxSteps)
        throw new RnnscopeError(
          'NOT_CONVERGED',
          `the open loop with feedback ${A} has not settled after ${done} steps (max |Δx| ${diff.toExponential(2)}): ` +
            'no fading memory at this level; lower g or raise the feedback scale',
        );
    }
    X.data.set(x, m * N);
    steps.push(done);
  });
  return { fixedPoints: X, steps };
}

/**
 * The exact least-squares readout for M levels: Wout·r̄_m = A_m for every m, with minimum norm.
 * Writes model.Wout and returns the fixed points used.
 */
export function trainFixedLevels(
  model: FeedbackModel,
  levels: readonly number[],
): FixedLevelsResult {
  const fp = openLoopFixedPoints(model, levels);
  const { N } = requireFeedback(model);
  const M = levels.length;
  const Rbar = toFeatures(model, fromData(M, N, fp.fixedPoints.data.slice())); // rows r̄_mᵀ
  const Gram = zeros(M, M);
  gemm(false, true, 1, Rbar, Rbar, 0, Gram);
  // c = Gram⁺·A by the eigendecomposition: Gram is singular when levels mirror each other
  // (tanh is odd, so r̄(−A) = −r̄(A)) while Wout·r̄_m = A_m is still solvable.
  const { values, vectors } = eigSym(Gram, true);
  const V = vectors!;
  const cutoff = 1e-12 * Math.max(...values.map(Math.abs));
  const cData = new Float64Array(M);
  for (let k = 0; k < M; k++) {
    if (!(Math.abs(values[k]) > cutoff)) continue;
    let proj = 0;
    for (let m = 0; m < M; m++) proj += V.data[m * M + k] * levels[m];
    for (let m = 0; m < M; m++) cData[m] += (V.data[m * M + k] * proj) / values[k];
  }
  const c = fromData(M, 1, cData);
  const Wout = zeros(1, N);
  gemm(true, false, 1, c, Rbar, 0, Wout);
  model.Wout!.data.set(Wout.data);
  return fp;
}

export interface LevelCheck {
  level: number;
  /** Output at the end of the closed-loop run from the perturbed fixed point. */
  finalOutput: number;
  /** max |z − A| over the last quarter of the run. */
  maxDeviation: number;
  holds: boolean;
}

/**
 * Closes the loop and checks each level is held: from x̄_m + ε (ε ~ `perturbation`·N(0,1)),
 * runs `steps` steps with z fed back and reports whether the output stays within `tol` of A_m
 * over the last quarter.
 */
export function closedLoopHolds(
  model: FeedbackModel,
  levels: readonly number[],
  fixedPoints: Matrix,
  noise: () => number,
  opts: { steps?: number; tol?: number; perturbation?: number } = {},
): LevelCheck[] {
  const steps = opts.steps ?? 2000;
  const tol = opts.tol ?? 0.05;
  const eps = opts.perturbation ?? 0.01;
  const m = createModel(model);
  const { units: N, inputs: I } = m.sizes;
  return levels.map((A, k) => {
    const x0 = Float64Array.from(
      fixedPoints.data.subarray(k * N, (k + 1) * N),
      (v) => v + eps * noise(),
    );
    const { outputs } = m.simulate(zeros(steps, I), x0);
    let dev = 0;
    for (let t = Math.floor((3 * steps) / 4); t < steps; t++)
      dev = Math.max(dev, Math.abs(outputs.data[t] - A));
    return { level: A, finalOutput: outputs.data[steps - 1], maxDeviation: dev, holds: dev < tol };
  });
}
