/**
 * Seed 004 §3.1: stimulate a trained network with every binary combination of input pulses and
 * classify what its state does afterwards (fixed point, oscillation with its frequency, decay).
 */
import { RnnscopeError } from '../../errors.js';
import { zeros } from '../../linalg/matrix.js';
import type { Model } from '../../models/types.js';
import { createRng } from '../../random/index.js';
import { modeConvention } from './modes.js';
import {
  classifyTrajectory,
  type OscillationOptions,
  type TrajectoryClass,
} from './oscillation.js';

export interface ResponseOptions extends OscillationOptions {
  /** Simulated steps (default 400). */
  steps?: number;
  /** First step of the pulse (default 10). */
  pulseStart?: number;
  /** Pulse length in steps (default 5). */
  pulseWidth?: number;
  /** Pulse height (default 1). */
  amplitude?: number;
  /**
   * Models without inputs get one "impulse" response instead: x0 = amplitude · a random unit
   * vector drawn from this seed (default 0), the δ-input of seed 004 eq. 4.
   */
  seed?: number;
  /** Largest input count for which all 2^I combinations are tried (default 8). */
  maxInputs?: number;
}

export interface InputResponse extends TrajectoryClass {
  /** Which inputs were pulsed (1) and which not (0); empty for the impulse of an input-less model. */
  inputs: number[];
  /** Readout at the last step (empty without readout). */
  finalOutput: number[];
}

export interface ResponseClassification {
  /** Time between rows: dt (rate, ctrnn) or 1 step (maps). */
  step: number;
  frequencyUnit: string;
  settings: { steps: number; pulseStart: number; pulseWidth: number; amplitude: number };
  /** The state the network rests in without stimulus (the end of the all-zero run). */
  restNorm: number;
  responses: InputResponse[];
}

/**
 * Simulates `model` from x = 0 for each binary combination c ∈ {0,1}^I, with input
 * u(t) = amplitude·c for pulseStart ≤ t < pulseStart + pulseWidth and 0 otherwise, and classifies
 * each trajectory with {@link classifyTrajectory} against the rest state reached with no pulse.
 * Cost: 2^I simulations of `steps` steps (O(N²) each).
 *
 * @example
 * const { responses } = classifyResponses(createModel(params), { steps: 600 });
 * responses.map((r) => [r.inputs.join(''), r.class, r.frequency]);
 */
export function classifyResponses(
  model: Model,
  options: ResponseOptions = {},
): ResponseClassification {
  const steps = options.steps ?? 400;
  const pulseStart = options.pulseStart ?? 10;
  const pulseWidth = options.pulseWidth ?? 5;
  const amplitude = options.amplitude ?? 1;
  const maxInputs = options.maxInputs ?? 8;
  if (!(Number.isInteger(steps) && steps >= 4)) {
    throw new RnnscopeError('INVALID_ARGUMENT', `steps must be an integer ≥ 4, got ${steps}`);
  }
  if (!(
    Number.isInteger(pulseStart) &&
    pulseStart >= 0 &&
    Number.isInteger(pulseWidth) &&
    pulseWidth >= 1
  )) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `pulseStart must be an integer ≥ 0 and pulseWidth an integer ≥ 1, got ${pulseStart} and ${pulseWidth}`,
    );
  }
  if (pulseStart + pulseWidth >= steps) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `the pulse (steps ${pulseStart}..${pulseStart + pulseWidth - 1}) must end before the last step (${steps - 1})`,
    );
  }
  if (!Number.isFinite(amplitude)) {
    throw new RnnscopeError('INVALID_ARGUMENT', `amplitude must be finite, got ${amplitude}`);
  }
  const { units: N, inputs: I, outputs: O } = model.sizes;
  if (I > maxInputs) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `the model has ${I} inputs: 2^${I} combinations exceed maxInputs = ${maxInputs}`,
    );
  }
  const conv = modeConvention(model.params);
  const rest = model.simulate(zeros(steps, I)).states;
  const restState = rest.data.slice((steps - 1) * N, steps * N);
  const responses: InputResponse[] = [];
  const lastOutput = (outputs: { data: Float64Array }) =>
    Array.from(outputs.data.subarray((steps - 1) * O, steps * O));

  if (I === 0) {
    const rng = createRng(options.seed ?? 0).fork('impulse');
    const x0 = new Float64Array(N);
    let norm = 0;
    for (let i = 0; i < N; i++) {
      x0[i] = rng.normal();
      norm += x0[i] * x0[i];
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < N; i++) x0[i] = (amplitude * x0[i]) / norm;
    const run = model.simulate(zeros(steps, 0), x0);
    responses.push({
      inputs: [],
      ...classifyTrajectory(run.states, restState, conv.step, options),
      finalOutput: lastOutput(run.outputs),
    });
  } else {
    for (let mask = 1; mask < 1 << I; mask++) {
      const c = Array.from({ length: I }, (_, k) => (mask >> k) & 1);
      const u = zeros(steps, I);
      for (let t = pulseStart; t < pulseStart + pulseWidth; t++)
        for (let k = 0; k < I; k++) u.data[t * I + k] = amplitude * c[k];
      const run = model.simulate(u);
      responses.push({
        inputs: c,
        ...classifyTrajectory(run.states, restState, conv.step, options),
        finalOutput: lastOutput(run.outputs),
      });
    }
  }
  let restNorm = 0;
  for (const v of restState) restNorm += v * v;
  return {
    step: conv.step,
    frequencyUnit: conv.frequencyUnit,
    settings: { steps, pulseStart, pulseWidth, amplitude },
    restNorm: Math.sqrt(restNorm),
    responses,
  };
}
