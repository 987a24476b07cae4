/**
 * Shared data for the report tests: the committed 16-unit flip-flop fixture, a few test trials
 * of the task it was trained on, and its fixed points (computed once per test file).
 */
import { batchModelSystem, findFixedPoints, sampleStates } from '../../src/analysis/index.js';
import type { FixedPointResult } from '../../src/analysis/fixed-points/types.js';
import { loadModelSync } from '../../src/io/index.js';
import type { LoadedModel } from '../../src/io/types.js';
import type { Matrix } from '../../src/linalg/index.js';
import { createModel } from '../../src/models/index.js';
import type { Model } from '../../src/models/types.js';
import { createRng } from '../../src/random/index.js';
import { createTask, trialMatrices } from '../../src/tasks/index.js';
import type { TrialMatrices } from '../../src/tasks/types.js';

export const FLIPFLOP = new URL('../fixtures/flipflop/flipflop-rnn16.json', import.meta.url)
  .pathname;

/** The fixture's training task: discrete flip-flop, pulses with probability 0.05, 100 steps. */
export const FLIPFLOP_TASK = {
  task: 'flipflop',
  variant: 'discrete',
  pulseRate: 0.05,
  steps: 100,
} as const;

export interface FlipFlopData {
  loaded: LoadedModel;
  model: Model;
  trials: TrialMatrices[];
  states: Matrix[];
  outputs: Matrix[];
  fp: FixedPointResult;
}

let cached: FlipFlopData | undefined;

/** Fixture, 6 test trials and the fixed points at u = 0 (cached per test file). */
export function flipflop(): FlipFlopData {
  if (cached) return cached;
  const loaded = loadModelSync(FLIPFLOP);
  const model = createModel(loaded.params);
  const batch = createTask(FLIPFLOP_TASK).sample(createRng(5), 6);
  const trials = Array.from({ length: 6 }, (_, b) => trialMatrices(batch, b));
  const runs = trials.map((t) => model.simulate(t.inputs));
  const states = runs.map((r) => r.states);
  const starts = sampleStates(states, 512, createRng(11), { replace: true, noise: 0.3 });
  const fp = findFixedPoints(batchModelSystem(loaded.params, new Float64Array(3)), starts);
  cached = { loaded, model, trials, states, outputs: runs.map((r) => r.outputs), fp };
  return cached;
}

/** Projection of x onto PCA axes computed independently: (x − mean)·component_k. */
export function projectByHand(
  x: ArrayLike<number>,
  mean: number[],
  components: number[][],
): number[] {
  return components.map((c) => c.reduce((s, ci, i) => s + ci * (x[i] - mean[i]), 0));
}

/** Counts SVG elements with class `cls` belonging to trace `trace`. */
export function countMarks(svg: string, cls: string, trace?: number): number {
  const re = new RegExp(`class="${cls}" data-trace="${trace === undefined ? '\\d+' : trace}"`, 'g');
  return (svg.match(re) ?? []).length;
}
