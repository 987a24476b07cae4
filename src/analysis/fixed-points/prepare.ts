/**
 * Trajectories to sample initial states from, and states off the visited manifold, for a model
 * (run with its own update and a frozen input) or an analytic system (integrated).
 */
import { RnnscopeError } from '../../errors.js';
import { zeros, type Matrix } from '../../linalg/index.js';
import { createModel } from '../../models/index.js';
import type { ModelParams } from '../../models/types.js';
import type { Rng } from '../../random/index.js';
import { integrate } from '../../systems/index.js';
import type { DynamicalSystem } from '../../systems/types.js';
import { radialStates, stackStates, statesForOutputs } from './initial-states.js';

export type SamplingTarget =
  | { kind: 'model'; params: ModelParams; input?: Float64Array }
  | { kind: 'system'; system: DynamicalSystem; dt: number };

export interface TrajectoryOptions {
  runs: number;
  steps: number;
  /** x0 ~ N(0, x0Scale²) per coordinate (default 1). */
  x0Scale?: number;
  rng: Rng;
}

/**
 * `runs` trajectories of `steps` steps from random x0: a model is stepped by `simulate` with its
 * input held at `input` (its own Euler step or map — the dynamics it was trained with); an
 * analytic flow is integrated by RK4 with step dt (a map is iterated). Each result is steps×N;
 * `outputs` holds the readouts for models with one. A run that diverges is cut at the last
 * finite state rather than failing the analysis.
 */
export function simulateForSampling(
  target: SamplingTarget,
  opts: TrajectoryOptions,
): { states: Matrix[]; outputs: Matrix[] } {
  const scale = opts.x0Scale ?? 1;
  const states: Matrix[] = [];
  const outputs: Matrix[] = [];
  if (target.kind === 'model') {
    const model = createModel(target.params);
    const { units: N, inputs: I } = model.sizes;
    const inputs = zeros(opts.steps, I);
    if (target.input) for (let t = 0; t < opts.steps; t++) inputs.data.set(target.input, t * I);
    for (let k = 0; k < opts.runs; k++) {
      const x0 = Float64Array.from({ length: N }, () => scale * opts.rng.normal());
      try {
        const run = model.simulate(inputs, x0);
        states.push(run.states);
        outputs.push(run.outputs);
      } catch (e) {
        if (!(e instanceof RnnscopeError && e.code === 'DIVERGED')) throw e;
      }
    }
  } else {
    const sys = target.system;
    for (let k = 0; k < opts.runs; k++) {
      const x0 = Float64Array.from({ length: sys.dim }, () => scale * opts.rng.normal());
      try {
        const path = integrate(sys, x0, opts.steps, { dt: target.dt, method: 'rk4' });
        states.push({ rows: opts.steps, cols: sys.dim, data: path.data.slice(sys.dim) });
      } catch (e) {
        if (!(e instanceof RnnscopeError && e.code === 'DIVERGED')) throw e;
      }
    }
  }
  if (states.length === 0) {
    throw new RnnscopeError(
      'DIVERGED',
      'every simulated trajectory diverged: give initial states with --states, or a smaller dt',
    );
  }
  return { states, outputs };
}

/**
 * `count` states away from the visited manifold. The centroid of the visited states comes
 * first (it finds central saddles such as the flip-flop's). For models with a readout, the rest
 * have readouts drawn uniformly from twice the visited output range (seed 000 §6: initial
 * conditions at output values outside the flip-flop cube), placed by `statesForOutputs`;
 * otherwise they are visited states scaled away from the centroid by factors in [0, 2.5].
 */
export function offManifoldStates(
  target: SamplingTarget,
  visited: { states: Matrix[]; outputs: Matrix[] },
  count: number,
  rng: Rng,
): Matrix {
  const all = stackStates(...visited.states);
  const n = all.cols;
  if (count <= 0 || all.rows === 0) return zeros(0, n);
  const centroid = radialStates(all, [0]).data.subarray(0, n);
  const parts: Matrix[] = [{ rows: 1, cols: n, data: Float64Array.from(centroid) }];
  const rest = count - 1;
  if (rest > 0) {
    const O = visited.outputs.length > 0 ? visited.outputs[0].cols : 0;
    if (target.kind === 'model' && O > 0) {
      const z = stackStates(...visited.outputs);
      const range = new Float64Array(O);
      for (let r = 0; r < z.rows; r++)
        for (let o = 0; o < O; o++) range[o] = Math.max(range[o], Math.abs(z.data[r * O + o]));
      const targets = zeros(rest, O);
      for (let r = 0; r < rest; r++)
        for (let o = 0; o < O; o++)
          targets.data[r * O + o] = rng.uniformRange(-2, 2) * (range[o] || 1);
      parts.push(statesForOutputs(target.params, targets, Float64Array.from(centroid)));
    } else {
      const picks = zeros(rest, n);
      for (let r = 0; r < rest; r++) {
        const row = rng.integer(all.rows);
        const s = rng.uniformRange(0, 2.5);
        for (let i = 0; i < n; i++)
          picks.data[r * n + i] = centroid[i] + s * (all.data[row * n + i] - centroid[i]);
      }
      parts.push(picks);
    }
  }
  return stackStates(...parts);
}
