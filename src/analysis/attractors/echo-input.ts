/**
 * Input sequences for the echo index: zeros, i.i.d. random values, pulse trains, or a given
 * sequence. Random and pulse inputs are A·ξ with ξ drawn once from the seed, so an amplitude
 * sweep scales one and the same realisation (seed 002's small- and large-amplitude theorems are
 * statements about the amplitude of a fixed kind of input).
 */
import { RnnscopeError } from '../../errors.js';
import { zeros, type Matrix } from '../../linalg/index.js';
import type { Rng } from '../../random/index.js';

export type EchoInput =
  | { kind: 'zeros' }
  /** u[k] = baseline + A·ξ[k], ξ i.i.d. U(−1, 1) (or N(0, 1)) on every driven channel. */
  | { kind: 'random'; amplitude: number; distribution?: 'uniform' | 'normal' }
  /**
   * ±A pulses of `width` steps (default 1) on a random driven channel; an onset at each step
   * with probability `rate` (default 0.05).
   */
  | { kind: 'pulses'; amplitude: number; width?: number; rate?: number }
  /** A given T×I sequence of offsets from the baseline (amplitude 1). */
  | { kind: 'sequence'; u: Matrix };

/** The unit-amplitude pattern ξ (T×I) of an input kind; its amplitude is returned separately. */
export function inputPattern(
  input: EchoInput,
  steps: number,
  inputs: number,
  channels: readonly number[],
  rng: Rng,
): { xi: Matrix; amplitude: number } {
  const xi = zeros(steps, inputs);
  switch (input.kind) {
    case 'zeros':
      return { xi, amplitude: 0 };
    case 'random': {
      checkAmplitude(input.amplitude);
      const normal = input.distribution === 'normal';
      if (input.distribution !== undefined && !normal && input.distribution !== 'uniform')
        throw new RnnscopeError(
          'INVALID_ARGUMENT',
          `random input distribution must be 'uniform' or 'normal', got '${String(input.distribution)}'`,
        );
      for (let t = 0; t < steps; t++)
        for (const c of channels)
          xi.data[t * inputs + c] = normal ? rng.normal() : rng.uniformRange(-1, 1);
      return { xi, amplitude: input.amplitude };
    }
    case 'pulses': {
      checkAmplitude(input.amplitude);
      const width = input.width ?? 1;
      const rate = input.rate ?? 0.05;
      if (!Number.isInteger(width) || width < 1)
        throw new RnnscopeError(
          'INVALID_ARGUMENT',
          `pulse width must be an integer ≥ 1, got ${width}`,
        );
      if (!(rate >= 0 && rate <= 1))
        throw new RnnscopeError('INVALID_ARGUMENT', `pulse rate must be in [0, 1], got ${rate}`);
      for (let t = 0; t < steps; t++) {
        const on = rng.uniform() < rate;
        const c = channels[rng.integer(channels.length)];
        const s = rng.uniform() < 0.5 ? -1 : 1;
        if (!on) continue;
        for (let k = t; k < Math.min(steps, t + width); k++) xi.data[k * inputs + c] = s;
      }
      return { xi, amplitude: input.amplitude };
    }
    case 'sequence': {
      const u = input.u;
      if (u.cols !== inputs)
        throw new RnnscopeError(
          'SHAPE_MISMATCH',
          `input sequence must have ${inputs} columns (model inputs), got ${u.cols}`,
        );
      if (u.rows < steps)
        throw new RnnscopeError(
          'SHAPE_MISMATCH',
          `input sequence has ${u.rows} steps, fewer than the ${steps} simulated`,
        );
      for (let k = 0; k < steps * inputs; k++) {
        if (!Number.isFinite(u.data[k]))
          throw new RnnscopeError(
            'NON_FINITE',
            `input sequence[${Math.floor(k / inputs)}][${k % inputs}] is ${u.data[k]}`,
          );
        xi.data[k] = u.data[k];
      }
      return { xi, amplitude: 1 };
    }
    default:
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `input kind must be zeros, random, pulses or sequence, got '${String((input as { kind?: unknown }).kind)}'`,
      );
  }
}

function checkAmplitude(a: number): void {
  if (!(typeof a === 'number' && Number.isFinite(a) && a >= 0))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `input amplitude must be a finite number ≥ 0, got ${a}`,
    );
}

/** A short description for reports, e.g. "random U(−1,1)·0.5 on inputs 0,1". */
export function describeInput(input: EchoInput, channels: readonly number[]): string {
  const on = ` on input${channels.length === 1 ? '' : 's'} ${channels.join(',')}`;
  switch (input.kind) {
    case 'zeros':
      return 'zero input';
    case 'random':
      return `i.i.d. ${input.distribution === 'normal' ? 'N(0,1)' : 'U(−1,1)'} × ${input.amplitude}${on}`;
    case 'pulses':
      return `±${input.amplitude} pulses, width ${input.width ?? 1}, rate ${input.rate ?? 0.05}${on}`;
    case 'sequence':
      return `given sequence (${input.u.rows} steps)`;
  }
}
