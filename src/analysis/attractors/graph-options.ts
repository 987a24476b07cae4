/** Validation and defaults of the attractor-graph options (one place, so the CLI and the library agree). */
import { RnnscopeError } from '../../errors.js';
import type { ModelSizes } from '../../models/types.js';
import { createTask } from '../../tasks/registry.js';
import type { TaskSpec } from '../../tasks/types.js';
import type { AttractorGraphOptions } from './types.js';

export interface ResolvedGraphOptions {
  input: Float64Array;
  channels: number[];
  signs: (1 | -1)[];
  task: TaskSpec | null;
  /** The flip-flop's pulse amplitude (1) when the task is the flip-flop. */
  taskAmplitude: number | null;
  maxAmplitude: number;
  amplitudes: number[];
  pulseWidth: number;
  seed: number | string;
  trials: number;
  steps: number;
  x0Scale: number;
  relaxStarts: number;
  inits: number;
  nodeTol: number;
  settleSpeed: number;
  restSpeed: number;
  maxSteps: number;
  bracketTol: number;
  zeroTol: number;
  maxBatch: number;
}

function positive(name: string, v: number | undefined, def: number, allowZero = false): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `${name} must be a finite number ${allowZero ? '≥' : '>'} 0, got ${String(v)}`,
    );
  return v;
}

function integer(name: string, v: number | undefined, def: number, min: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new RnnscopeError('INVALID_ARGUMENT', `${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

/** The options with every default filled in; throws INVALID_ARGUMENT / SHAPE_MISMATCH naming the problem. */
export function resolveGraphOptions(
  o: AttractorGraphOptions,
  sizes: ModelSizes,
): ResolvedGraphOptions {
  const I = sizes.inputs;
  if (I === 0)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      'the attractor graph needs a model with inputs (Win): input pulses are what move it between attractors',
    );
  const input = new Float64Array(I);
  if (o.input !== undefined) {
    if (o.input.length !== I)
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `baseline input must have ${I} values (one per model input), got ${o.input.length}`,
      );
    for (let i = 0; i < I; i++)
      if (!Number.isFinite(o.input[i]))
        throw new RnnscopeError('NON_FINITE', `baseline input[${i}] is ${o.input[i]}`);
    input.set(o.input);
  }
  const channels = o.channels ?? Array.from({ length: I }, (_, i) => i);
  if (channels.length === 0)
    throw new RnnscopeError('INVALID_ARGUMENT', 'channels must name at least one input');
  for (const c of channels)
    if (!Number.isInteger(c) || c < 0 || c >= I)
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `channel ${c} does not exist: the model has inputs 0…${I - 1}`,
      );
  if (new Set(channels).size !== channels.length)
    throw new RnnscopeError('INVALID_ARGUMENT', `channels repeat: ${channels.join(',')}`);
  const signs = o.signs ?? [1, -1];
  if (signs.length === 0 || signs.some((s) => s !== 1 && s !== -1))
    throw new RnnscopeError('INVALID_ARGUMENT', 'signs must be a non-empty list of 1 and −1');

  let task: TaskSpec | null = null;
  let taskAmplitude: number | null = null;
  let taskWidth: number | null = null;
  if (o.task) {
    task = createTask(o.task).spec;
    if (task.task === 'flipflop') {
      if (task.bits !== I)
        throw new RnnscopeError(
          'SHAPE_MISMATCH',
          `a ${task.bits}-bit flip-flop has ${task.bits} inputs, but the model has ${I}`,
        );
      taskAmplitude = 1;
      taskWidth = task.pulseWidth;
    } else if (task.task === 'boolean') taskWidth = task.stimulusWidth;
  }
  const maxAmplitude = positive('maxAmplitude', o.maxAmplitude, 2 * (taskAmplitude ?? 1));
  const gridPoints = integer('gridPoints', o.gridPoints, 8, 1);
  const grid = Array.from({ length: gridPoints }, (_, k) => ((k + 1) * maxAmplitude) / gridPoints);
  if (taskAmplitude !== null && taskAmplitude <= maxAmplitude) grid.push(taskAmplitude);
  const amplitudes = [...new Set(grid)].sort((a, b) => a - b);
  const N = sizes.units;
  return {
    input,
    channels,
    signs,
    task,
    taskAmplitude,
    maxAmplitude,
    amplitudes,
    pulseWidth: integer('pulseWidth', o.pulseWidth, taskWidth ?? 1, 1),
    seed: o.seed ?? 0,
    trials: integer('trials', o.trials, 16, 1),
    steps: integer('steps', o.steps, 500, 1),
    x0Scale: positive('x0Scale', o.x0Scale, 0.5, true),
    relaxStarts: integer('relaxStarts', o.relaxStarts, 48, 0),
    inits: integer('inits', o.inits, N <= 128 ? 64 : 0, 0),
    nodeTol: positive('nodeTol', o.nodeTol, 0.1),
    settleSpeed: positive('settleSpeed', o.settleSpeed, 3e-3),
    restSpeed: positive('restSpeed', o.restSpeed, 1e-7),
    maxSteps: integer('maxSteps', o.maxSteps, 5000, 1),
    bracketTol: positive('bracketTol', o.bracketTol, 1e-3),
    zeroTol: positive('zeroTol', o.zeroTol, 0.5),
    maxBatch: integer('maxBatch', o.maxBatch, 512, 1),
  };
}
