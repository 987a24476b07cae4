/** Validation and defaults of the echo-index options. */
import { RnnscopeError } from '../../errors.js';
import type { ModelSizes } from '../../models/types.js';
import type { EchoInput } from './echo-input.js';
import type { EchoIndexOptions } from './echo-types.js';

export interface ResolvedEchoOptions {
  input: EchoInput;
  channels: number[];
  starts: number;
  x0Scale: number;
  steps: number;
  transient: number;
  window: number;
  /** Cap on the steps when representatives are followed further (default 4·steps). */
  maxSteps: number;
  seed: number | string;
  clusterTol: number;
  probes: number;
  probeSize: number;
  regionSamples: number;
  regionJitter: number;
  powerIterations: number;
  analytic: boolean;
}

function int(name: string, v: number | undefined, def: number, min: number): number {
  if (v === undefined) return def;
  if (!Number.isInteger(v) || v < min)
    throw new RnnscopeError('INVALID_ARGUMENT', `${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

function num(name: string, v: number | undefined, def: number, allowZero = false): number {
  if (v === undefined) return def;
  if (!(Number.isFinite(v) && (v > 0 || (allowZero && v === 0))))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `${name} must be a finite number ${allowZero ? '≥' : '>'} 0, got ${v}`,
    );
  return v;
}

export function resolveEchoOptions(o: EchoIndexOptions, sizes: ModelSizes): ResolvedEchoOptions {
  const I = sizes.inputs;
  const steps = int('steps', o.steps, 1000, 2);
  const transient = int('transient', o.transient, Math.floor(steps / 2), 0);
  if (transient >= steps)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `transient (${transient}) must be shorter than steps (${steps})`,
    );
  const window = int('window', o.window, Math.min(100, steps - transient), 1);
  if (window > steps - transient)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `window (${window}) must fit after the transient (${steps - transient} steps)`,
    );
  const input = o.input ?? { kind: 'zeros' as const };
  const channels = o.channels ?? Array.from({ length: I }, (_, i) => i);
  for (const c of channels)
    if (!Number.isInteger(c) || c < 0 || c >= I)
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `channel ${c} does not exist: the model has ${I} input${I === 1 ? '' : 's'}`,
      );
  if (input.kind !== 'zeros' && (I === 0 || channels.length === 0))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `a ${input.kind} input needs a model with inputs (Win) and at least one channel`,
    );
  if (o.baseline !== undefined && o.baseline.length !== I)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `baseline input must have ${I} values, got ${o.baseline.length}`,
    );
  let maxSteps = 4 * steps;
  if (input.kind === 'sequence') {
    if (input.u.rows < steps)
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `input sequence has ${input.u.rows} steps, fewer than the ${steps} to simulate`,
      );
    maxSteps = Math.min(maxSteps, input.u.rows);
  }
  const starts = int('starts', o.starts, 64, 0);
  if (starts + (o.states?.rows ?? 0) < 1)
    throw new RnnscopeError('INVALID_ARGUMENT', 'need at least one initial state');
  if (o.states && o.states.cols !== sizes.units)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `initial states must have ${sizes.units} columns (units), got ${o.states.cols}`,
    );
  return {
    input,
    channels,
    starts,
    x0Scale: num('x0Scale', o.x0Scale, 1, true),
    steps,
    transient,
    window,
    maxSteps,
    seed: o.seed ?? 0,
    clusterTol: num('clusterTol', o.clusterTol, 1e-3),
    probes: int('probes', o.probes, 2, 1),
    probeSize: num('probeSize', o.probeSize, 1e-6),
    regionSamples: int('regionSamples', o.regionSamples, 64, 0),
    regionJitter: num('regionJitter', o.regionJitter, 0.05, true),
    powerIterations: int('powerIterations', o.powerIterations, 100, 1),
    analytic: o.analytic !== false,
  };
}
