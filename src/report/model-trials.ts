/**
 * Test trials for a report: fresh trials of the model's task simulated from the start state the
 * trainer used (metadata.testStart), scored like `evaluateModel`; or, without a task, free runs
 * from random states with the input held at zero.
 */
import { simulateForSampling } from '../analysis/fixed-points/prepare.js';
import { RnnscopeError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import type { ModelMetadata } from '../io/types.js';
import type { Model } from '../models/types.js';
import type { Rng } from '../random/index.js';
import { trialMatrices } from '../tasks/batch.js';
import { scoreOutputs, type Score } from '../tasks/score.js';
import type { Task, TrialMatrices } from '../tasks/types.js';
import { openLoopFixedPoints } from '../train/ridge.js';

export interface TrialRuns {
  /** One entry per trial (task) or free run. */
  trials: (TrialMatrices | null)[];
  states: Matrix[];
  outputs: Matrix[];
  score?: Score;
  /** How the runs started, for the text. */
  start: string;
}

/** x0 for trial b according to metadata.testStart. */
function startState(
  model: Model,
  metadata: ModelMetadata | undefined,
  task: Task,
  trial: TrialMatrices,
  rng: Rng,
): { x0?: Float64Array; how: string } {
  const N = model.sizes.units;
  const how = metadata?.testStart;
  const init = metadata?.initialState;
  if (how === 'initialState' && Array.isArray(init) && init.length === N)
    return { x0: Float64Array.from(init as number[]), how: 'the trained initial state' };
  if (how === 'random') {
    const x0 = new Float64Array(N);
    for (let i = 0; i < N; i++) x0[i] = 0.5 * rng.normal();
    return { x0, how: 'random states 0.5·N(0, 1)' };
  }
  if (how === 'fixed-points' && task.spec.task === 'levels') {
    const p = model.params;
    if (p.kind === 'rate' || p.kind === 'leaky-esn') {
      const levels = task.spec.levels;
      const X = openLoopFixedPoints(p, levels).fixedPoints.data;
      const k = Math.max(0, levels.indexOf(trial.targets.data[0]));
      return {
        x0: Float64Array.from(X.subarray(k * N, (k + 1) * N), (v) => v + 0.01 * rng.normal()),
        how: 'the open-loop fixed point of the trial level (+0.01·N(0, 1))',
      };
    }
  }
  return { how: 'zeros' };
}

/** Simulates `count` fresh trials of `task` (or free runs without a task) and scores them. */
export function runTrials(
  model: Model,
  task: Task | undefined,
  metadata: ModelMetadata | undefined,
  count: number,
  rng: Rng,
  freeSteps = 200,
): TrialRuns {
  if (!task) {
    const v = simulateForSampling(
      { kind: 'model', params: model.params },
      { runs: count, steps: freeSteps, rng: rng.fork('free-runs') },
    );
    return {
      trials: v.states.map(() => null),
      states: v.states,
      outputs: v.outputs,
      start: 'random states N(0, 1), input held at zero',
    };
  }
  if (task.inputs !== model.sizes.inputs || task.outputs !== model.sizes.outputs)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `the model has ${model.sizes.inputs} inputs and ${model.sizes.outputs} outputs; task '${task.spec.task}' needs ${task.inputs} and ${task.outputs} (give a matching --task)`,
    );
  const batch = task.sample(rng.fork('trials'), count);
  const x0Rng = rng.fork('x0');
  const T = batch.steps;
  const O = model.sizes.outputs;
  const all = new Float64Array(T * count * O);
  const trials: TrialMatrices[] = [];
  const states: Matrix[] = [];
  const outputs: Matrix[] = [];
  let start = 'zeros';
  for (let b = 0; b < count; b++) {
    const trial = trialMatrices(batch, b);
    const s = startState(model, metadata, task, trial, x0Rng);
    start = s.how;
    const run = model.simulate(trial.inputs, s.x0);
    for (let t = 0; t < T; t++)
      for (let o = 0; o < O; o++) all[(t * count + b) * O + o] = run.outputs.data[t * O + o];
    trials.push(trial);
    states.push(run.states);
    outputs.push(run.outputs);
  }
  return { trials, states, outputs, score: scoreOutputs(task, batch, all), start };
}
