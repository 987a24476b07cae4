/**
 * One fixed set of initial states for the experiments on a trained network: states the network
 * visits while doing its task, the states it reaches when the task writes each flip-flop corner
 * (next to each memory), and the origin. The same set serves every snapshot of an evolution and
 * every perturbed copy in a robustness sweep, so differences come from the systems, not from the
 * starts.
 */
import { RnnscopeError } from '../../errors.js';
import { zeros, type Matrix } from '../../linalg/index.js';
import { createModel } from '../../models/index.js';
import type { ModelParams } from '../../models/types.js';
import type { Rng } from '../../random/index.js';
import { trialMatrices } from '../../tasks/batch.js';
import type { Task } from '../../tasks/types.js';
import { withWasmRecurrence } from '../../train/evaluate.js';
import { sampleStates, stackStates } from '../fixed-points/initial-states.js';
import { cornerSigns } from './corners.js';

export interface ExperimentStartsOptions {
  rng: Rng;
  /**
   * Task whose trials drive the sampled trajectories (a flip-flop visits its corners this way).
   * Without one the network runs from random states with zero input.
   */
  task?: Task;
  /** States sampled from the trajectories (default 64). */
  samples?: number;
  /** Trajectories simulated (default 4) and their length (default min(task steps, 2000), or 500). */
  trajectories?: number;
  steps?: number;
  /** Trajectories start at x0 ~ N(0, x0Scale²) per unit (default 0.5, as FORCE's tests). */
  x0Scale?: number;
  /**
   * States per flip-flop corner, written by the task's pulses (default 1 for flip-flop tasks;
   * 0 for none): see `writeCorner`.
   */
  perCorner?: number;
  /** Zero-input steps after each bit's pulse (default max(settle, 10·pulse width, 10)). */
  gap?: number;
  /** Zero-input steps after the last pulse (default 200). */
  relax?: number;
  /** Include the zero state (default true): for tanh rate networks it is always a fixed point. */
  origin?: boolean;
}

export interface ExperimentStarts {
  /** origin (0 or 1 row), then the samples, then the corner states (2^B × perCorner rows, corner-major). */
  starts: Matrix;
  counts: { origin: number; samples: number; corners: number };
  /** The simulated trajectories (T×N each). */
  trajectories: Matrix[];
}

function positiveInteger(name: string, v: number, min: number): void {
  if (!(Number.isInteger(v) && v >= min))
    throw new RnnscopeError('INVALID_ARGUMENT', `${name} must be an integer ≥ ${min}, got ${v}`);
}

/** Simulated trajectories of the model: task trials, or zero input from random states. */
export function experimentTrajectories(
  params: ModelParams,
  opts: Pick<ExperimentStartsOptions, 'task' | 'trajectories' | 'steps' | 'x0Scale' | 'rng'>,
): Matrix[] {
  const runs = opts.trajectories ?? 4;
  positiveInteger('trajectories', runs, 1);
  const N = params.W.rows;
  const I = params.Win?.cols ?? 0;
  const scale = opts.x0Scale ?? 0.5;
  const task = opts.task;
  if (task && (task.inputs !== I || task.outputs !== (params.Wout?.rows ?? 0)))
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `model has ${I} inputs and ${params.Wout?.rows ?? 0} outputs; task '${task.spec.task}' needs ${task.inputs} and ${task.outputs}`,
    );
  const steps = opts.steps ?? (task ? Math.min(task.spec.steps, 2000) : 500);
  positiveInteger('steps', steps, 1);
  const batch = task?.sample(opts.rng.fork('trials'), runs, steps);
  const x0rng = opts.rng.fork('x0');
  return withWasmRecurrence(params, (p) => {
    const model = createModel(p);
    const out: Matrix[] = [];
    for (let b = 0; b < runs; b++) {
      const inputs = batch ? trialMatrices(batch, b).inputs : zeros(steps, I);
      const x0 = Float64Array.from({ length: N }, () => scale * x0rng.normal());
      try {
        out.push(model.simulate(inputs, x0).states);
      } catch (e) {
        if (!(e instanceof RnnscopeError && e.code === 'DIVERGED')) throw e;
      }
    }
    if (out.length === 0)
      throw new RnnscopeError('DIVERGED', 'every simulated trajectory of the model diverged');
    return out;
  });
}

/**
 * The state a flip-flop network reaches when its task writes corner c: from `x0`, each bit k in
 * turn gets a pulse of sign s_k(c) on input k (the task's pulse width), followed by zero input
 * for `gap` steps; then `relax` more steps of zero input let the state settle near the memory.
 */
function writeCorner(
  model: ReturnType<typeof createModel>,
  signs: number[],
  x0: Float64Array,
  width: number,
  gap: number,
  relax: number,
): Float64Array {
  const I = model.sizes.inputs;
  const B = signs.length;
  const T = B * (width + gap) + relax;
  const u = zeros(T, I);
  for (let k = 0; k < B; k++)
    for (let t = 0; t < width; t++) u.data[(k * (width + gap) + t) * I + k] = signs[k];
  const { states } = model.simulate(u, x0);
  return states.data.slice((T - 1) * states.cols, T * states.cols);
}

/**
 * The experiments' initial states for `params` (see the module comment). For a flip-flop task,
 * `perCorner` states per corner are written by the task's own pulses from visited states
 * (`writeCorner`): a network that does its task then sits next to each of its 2^B memories.
 */
export function experimentStarts(
  params: ModelParams,
  opts: ExperimentStartsOptions,
): ExperimentStarts {
  const N = params.W.rows;
  const samples = opts.samples ?? 64;
  positiveInteger('samples', samples, 0);
  const trajectories = experimentTrajectories(params, opts);
  const parts: Matrix[] = [];
  const origin = opts.origin ?? true;
  if (origin) parts.push(zeros(1, N));
  if (samples > 0)
    parts.push(sampleStates(trajectories, samples, opts.rng.fork('samples'), { replace: true }));
  const task = opts.task;
  const perCorner = opts.perCorner ?? (task?.spec.task === 'flipflop' ? 1 : 0);
  positiveInteger('perCorner', perCorner, 0);
  let corners = 0;
  if (perCorner > 0) {
    const spec = task?.spec;
    if (spec?.task !== 'flipflop')
      throw new RnnscopeError('INVALID_ARGUMENT', 'corner states need a flip-flop task');
    const bits = spec.bits;
    const width = spec.pulseWidth;
    const gap = opts.gap ?? Math.max(spec.settle, 10 * width, 10);
    const relax = opts.relax ?? 200;
    positiveInteger('gap', gap, 0);
    positiveInteger('relax', relax, 1);
    const from = sampleStates(trajectories, 2 ** bits * perCorner, opts.rng.fork('corner starts'), {
      replace: true,
    });
    const rows = zeros(2 ** bits * perCorner, N);
    withWasmRecurrence(params, (p) => {
      const model = createModel(p);
      for (let r = 0; r < rows.rows; r++) {
        const c = Math.floor(r / perCorner);
        const x = writeCorner(
          model,
          cornerSigns(c, bits),
          from.data.slice(r * N, (r + 1) * N),
          width,
          gap,
          relax,
        );
        rows.data.set(x, r * N);
      }
    });
    parts.push(rows);
    corners = rows.rows;
  }
  return {
    starts: stackStates(...parts),
    counts: { origin: origin ? 1 : 0, samples, corners },
    trajectories,
  };
}
