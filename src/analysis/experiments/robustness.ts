/**
 * Robustness of a trained network to noise in its recurrent weights (seed 000 §8, fig. 9;
 * Jang's structural_stability.m): W ← W + η·Z with Z_ij ~ N(0, 1) i.i.d., over a range of η and
 * several seeded draws of Z, scoring each perturbed network on the same fresh test trials (MSE,
 * accuracy) and counting its stable fixed points.
 *
 * Only W is perturbed — not Win, Wfb or Wout — as in the seed. η is the absolute standard
 * deviation per entry; the perturbation's spectral radius is about η·√N (compare with g).
 * Draw d uses the same Z_d at every η (common random numbers), so each draw traces a path in η
 * and η = 0 reproduces the unperturbed network bit for bit.
 */
import { RnnscopeError } from '../../errors.js';
import type { Matrix } from '../../linalg/index.js';
import type { ModelParams } from '../../models/types.js';
import { createRng, type Rng } from '../../random/index.js';
import type { Task } from '../../tasks/types.js';
import { yieldToEventLoop } from '../../event-loop.js';
import { evaluateModel, type EvaluateOptions } from '../../train/evaluate.js';
import { batchModelSystem } from '../batch.js';
import { findFixedPointsAsync } from '../fixed-points/drivers.js';
import { stackStates } from '../fixed-points/initial-states.js';
import type { FixedPointOptions } from '../fixed-points/types.js';
import { experimentStarts } from './starts.js';
import { distance, summarize, type Summary } from './stats.js';

/** N×N standard normal entries from `rng`, row-major (the Z of one draw). */
export function standardNormalMatrix(n: number, rng: Rng): Float64Array {
  const z = new Float64Array(n * n);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  return z;
}

/**
 * A copy of `params` with W + η·Z (Z row-major N×N, e.g. `standardNormalMatrix`); every other
 * array is shared with `params`, unchanged.
 */
export function perturbRecurrent(params: ModelParams, eta: number, Z: Float64Array): ModelParams {
  const N = params.W.rows;
  if (!(eta >= 0 && Number.isFinite(eta)))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `noise level η must be a finite number ≥ 0, got ${eta}`,
    );
  if (Z.length !== N * N)
    throw new RnnscopeError('SHAPE_MISMATCH', `noise has ${Z.length} entries; W has ${N * N}`);
  const W = new Float64Array(N * N);
  for (let i = 0; i < N * N; i++) W[i] = params.W.data[i] + eta * Z[i];
  return { ...params, W: { rows: N, cols: N, data: W } };
}

export interface RobustnessOptions {
  /** Noise levels η (absolute std per entry of W). */
  etas: readonly number[];
  /** Draws of Z per level (default 5). */
  draws?: number;
  /** Seed of the noise, the test trials and the fixed-point starts (default 0). */
  seed?: number | string;
  /** The task the network was trained on (test trials). */
  task: Task;
  /** Test trials: count, length, start state (default 1 trial of the task's length, zero start). */
  evaluate?: EvaluateOptions;
  /**
   * Count stable fixed points (default true) from the given starts (default `experimentStarts`
   * of the unperturbed network with the task, 32 samples) with these search options.
   */
  fixedPoints?: boolean;
  starts?: Matrix;
  fixedPointOptions?: Omit<FixedPointOptions, 'shouldStop' | 'onProgress'>;
  /** Checked between draws and inside searches: finished draws are returned, `partial` set. */
  signal?: { readonly aborted: boolean };
  /** After each finished draw. */
  onDraw?: (draw: RobustnessDraw, done: number, total: number) => void;
}

export interface RobustnessDraw {
  eta: number;
  draw: number;
  mse: number;
  accuracy?: number;
  /** Stable fixed points of the perturbed network. */
  stable?: number;
  /** Unperturbed stable points whose start ends at a stable point nearer to them than to any other. */
  surviving?: number;
  fixed?: number;
  seconds: number;
}

export interface RobustnessLevel {
  eta: number;
  draws: RobustnessDraw[];
  mse: Summary;
  accuracy?: Summary;
  stable?: Summary;
  surviving?: Summary;
}

export interface RobustnessResult {
  seed: number | string;
  etas: number[];
  draws: number;
  /** The unperturbed network, measured exactly as every draw (η = 0). */
  baseline: Omit<RobustnessDraw, 'eta' | 'draw'>;
  levels: RobustnessLevel[];
  /** Spectral radius of η·Z is about η·√N; reported per level for reading η against g. */
  noiseRadius: number[];
  settings: { units: number; starts: number; referenceStable: number; testTrials: number };
  partial: boolean;
  interruptedAt?: { eta: number; draw: number };
}

interface Measure {
  mse: number;
  accuracy?: number;
  stable?: number;
  surviving?: number;
  fixed?: number;
  interrupted: boolean;
}

/**
 * Test MSE and stable fixed points of `params` with W perturbed, for every η × draw (see the
 * module comment). The unperturbed stable points are found first from the starts; every
 * network is then searched from [those points; the starts], so `surviving` can follow each
 * memory. Returns plain data; η = 0 rows equal `baseline` exactly.
 *
 * @example
 * const r = await weightNoiseRobustness(params, { task, etas: [0, 0.003, 0.01, 0.03], draws: 5 });
 * r.levels.map((l) => [l.eta, l.mse.mean, l.mse.std, l.stable?.mean]);
 */
export async function weightNoiseRobustness(
  params: ModelParams,
  opts: RobustnessOptions,
): Promise<RobustnessResult> {
  const N = params.W.rows;
  const draws = opts.draws ?? 5;
  if (!(Number.isInteger(draws) && draws >= 1))
    throw new RnnscopeError('INVALID_ARGUMENT', `draws must be an integer ≥ 1, got ${draws}`);
  if (opts.etas.length === 0)
    throw new RnnscopeError('INVALID_ARGUMENT', 'give at least one noise level η');
  for (const eta of opts.etas)
    if (!(eta >= 0 && Number.isFinite(eta)))
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `noise level η must be a finite number ≥ 0, got ${eta}`,
      );
  const seed = opts.seed ?? 0;
  const root = createRng(seed);
  const wantFixed = opts.fixedPoints ?? true;
  const evalOpts: EvaluateOptions = { trials: 1, ...opts.evaluate };
  const u0 = new Float64Array(params.Win?.cols ?? 0);
  const stop = () => Boolean(opts.signal?.aborted);

  let starts: Matrix | undefined;
  let reference: number[][] = [];
  if (wantFixed) {
    starts =
      opts.starts ??
      experimentStarts(params, { task: opts.task, samples: 32, rng: root.fork('starts') }).starts;
    if (starts.cols !== N)
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `starts have ${starts.cols} columns; the model has ${N} units`,
      );
    const sys = batchModelSystem(params, u0, undefined, opts.fixedPointOptions?.backend);
    try {
      const r = await findFixedPointsAsync(sys, starts, {
        ...opts.fixedPointOptions,
        shouldStop: stop,
      });
      reference = r.fixedPoints
        .filter((p) => p.kind === 'fixed' && p.stability === 'stable')
        .map((p) => p.x);
    } finally {
      sys.batch.release?.();
    }
    if (reference.length > 0)
      starts = stackStates(
        { rows: reference.length, cols: N, data: Float64Array.from(reference.flat()) },
        starts,
      );
  }

  const measure = async (p: ModelParams): Promise<Measure> => {
    // A fresh createRng(seed) per network: the same trials as `rnnscope evaluate --seed`.
    const ev = evaluateModel(p, opts.task, createRng(seed), evalOpts);
    const out: Measure = {
      mse: ev.mse,
      ...(ev.accuracy !== undefined ? { accuracy: ev.accuracy } : {}),
      interrupted: false,
    };
    if (!wantFixed || !starts) return out;
    const sys = batchModelSystem(p, u0, undefined, opts.fixedPointOptions?.backend);
    try {
      const r = await findFixedPointsAsync(sys, starts, {
        ...opts.fixedPointOptions,
        shouldStop: stop,
      });
      out.interrupted = r.interrupted;
      const isStable = r.fixedPoints.map((f) => f.kind === 'fixed' && f.stability === 'stable');
      out.stable = isStable.filter(Boolean).length;
      out.fixed = r.fixedPoints.filter((f) => f.kind === 'fixed').length;
      let surviving = 0;
      reference.forEach((ref, i) => {
        const at = r.starts[i].fixedPoint;
        if (at === null || !isStable[at]) return;
        const x = r.fixedPoints[at].x;
        const d = reference.map((y) => distance(x, y));
        if (d.every((v, j) => j === i || v > d[i])) surviving++;
      });
      out.surviving = surviving;
    } finally {
      sys.batch.release?.();
    }
    return out;
  };

  const strip = (m: Measure): Omit<Measure, 'interrupted'> => ({
    mse: m.mse,
    ...(m.accuracy !== undefined ? { accuracy: m.accuracy } : {}),
    ...(m.stable !== undefined ? { stable: m.stable, surviving: m.surviving, fixed: m.fixed } : {}),
  });

  const t0 = performance.now();
  const base = await measure(params);
  const baseline = { ...strip(base), seconds: (performance.now() - t0) / 1000 };
  const levels: RobustnessLevel[] = opts.etas.map((eta) => ({
    eta,
    draws: [],
    mse: summarize([]),
  }));
  let partial = base.interrupted || stop();
  let interruptedAt: RobustnessResult['interruptedAt'];
  const total = opts.etas.length * draws;
  let done = 0;
  outer: for (let d = 0; d < draws && !partial; d++) {
    const Z = standardNormalMatrix(N, root.fork(`noise draw ${d}`));
    for (let e = 0; e < opts.etas.length; e++) {
      const eta = opts.etas[e];
      if (stop()) {
        partial = true;
        interruptedAt = { eta, draw: d };
        break outer;
      }
      await yieldToEventLoop(); // evaluation is synchronous: let a SIGINT handler run between draws
      const t1 = performance.now();
      const m = await measure(perturbRecurrent(params, eta, Z));
      if (m.interrupted) {
        partial = true;
        interruptedAt = { eta, draw: d };
        break outer;
      }
      const row: RobustnessDraw = {
        eta,
        draw: d,
        ...strip(m),
        seconds: (performance.now() - t1) / 1000,
      };
      levels[e].draws.push(row);
      opts.onDraw?.(row, ++done, total);
    }
  }
  for (const level of levels) {
    const col = (f: (r: RobustnessDraw) => number | undefined) =>
      summarize(level.draws.map(f).filter((v): v is number => v !== undefined));
    level.mse = col((r) => r.mse);
    if (level.draws.some((r) => r.accuracy !== undefined)) level.accuracy = col((r) => r.accuracy);
    if (wantFixed) {
      level.stable = col((r) => r.stable);
      level.surviving = col((r) => r.surviving);
    }
  }
  return {
    seed,
    etas: [...opts.etas],
    draws,
    baseline,
    levels,
    noiseRadius: opts.etas.map((eta) => eta * Math.sqrt(N)),
    settings: {
      units: N,
      starts: starts?.rows ?? 0,
      referenceStable: reference.length,
      testTrials: evalOpts.trials ?? 1,
    },
    partial,
    ...(interruptedAt ? { interruptedAt } : {}),
  };
}
