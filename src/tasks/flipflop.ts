/**
 * N-bit flip-flop (seed 000 §5–7; Sussillo & Barak 2013). Each input channel is 0 except for
 * ±1 pulses at random times; output channel i holds the sign of the last pulse on input i.
 *
 * Two generators, whose defaults reproduce the two references:
 *  - 'continuous' (Jang's gen_stim.m, the FORCE network of seed 000): ⌊pulseRate·T⌋ pulse onsets
 *    at distinct random steps, each on a random channel with a random sign, lasting pulseWidth = 10
 *    steps (pulses that would run past the end are dropped; a later pulse overwrites an earlier
 *    overlapping one). pulseRate = 0.02 per step over all channels; no pulse at t = 0, so a channel's
 *    target is 0 — and unscored — until its first pulse. The `settle` steps after each onset are
 *    not scored on that channel (the output needs ~τ to flip).
 *  - 'discrete' (FixedPointFinder's FlipFlopData): at every step each channel pulses with
 *    probability pulseRate = 0.5, width 1, every channel pulses at t = 0, T = 64, all scored.
 */
import { RnnscopeError } from '../errors.js';
import type { Rng } from '../random/index.js';
import { checkInt, checkNumber, checkTrials, emptyBatch } from './batch.js';
import type { FlipFlopSpec, Task, TrialBatch } from './types.js';

/** Defaults of each variant; `bits` defaults to 3. */
export function flipFlopDefaults(variant: FlipFlopSpec['variant'] = 'continuous'): FlipFlopSpec {
  return variant === 'continuous'
    ? {
        task: 'flipflop',
        bits: 3,
        variant,
        steps: 5000,
        pulseWidth: 10,
        pulseRate: 0.02,
        initialPulse: false,
        settle: 30,
      }
    : {
        task: 'flipflop',
        bits: 3,
        variant,
        steps: 64,
        pulseWidth: 1,
        pulseRate: 0.5,
        initialPulse: true,
        settle: 0,
      };
}

function validate(s: FlipFlopSpec): void {
  checkInt(s.bits, 1, 'flipflop bits');
  checkInt(s.steps, 1, 'flipflop steps');
  checkInt(s.pulseWidth, 1, 'flipflop pulseWidth');
  checkInt(s.settle, 0, 'flipflop settle');
  checkNumber(s.pulseRate, 'flipflop pulseRate', 0);
  if (s.variant !== 'continuous' && s.variant !== 'discrete')
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `flipflop variant must be 'continuous' or 'discrete', got '${String(s.variant)}'`,
    );
  if (s.variant === 'discrete' && s.pulseRate > 1)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `discrete flipflop pulseRate is a probability per channel and step, got ${s.pulseRate}`,
    );
}

/** One pulse: channel, first step, sign. */
interface Pulse {
  ch: number;
  t: number;
  sign: number;
}

function continuousPulses(s: FlipFlopSpec, T: number, rng: Rng): Pulse[] {
  const n = Math.min(T, Math.floor(s.pulseRate * T));
  const starts = rng.sampleIndices(T, n).sort((a, b) => a - b);
  const pulses: Pulse[] = [];
  for (const t of starts) {
    const ch = rng.integer(s.bits);
    const sign = rng.uniform() < 0.5 ? 1 : -1;
    if (t + s.pulseWidth <= T) pulses.push({ ch, t, sign });
  }
  if (s.initialPulse) {
    for (let ch = 0; ch < s.bits; ch++)
      pulses.unshift({ ch, t: 0, sign: rng.uniform() < 0.5 ? 1 : -1 });
    pulses.sort((a, b) => a.t - b.t);
  }
  return pulses;
}

function discretePulses(s: FlipFlopSpec, T: number, rng: Rng): Pulse[] {
  const pulses: Pulse[] = [];
  for (let t = 0; t < T; t++) {
    for (let ch = 0; ch < s.bits; ch++) {
      const on = (t === 0 && s.initialPulse) || rng.uniform() < s.pulseRate;
      const sign = rng.uniform() < 0.5 ? 1 : -1; // drawn either way: one fixed draw pattern per step
      if (on && t + s.pulseWidth <= T) pulses.push({ ch, t, sign });
    }
  }
  return pulses;
}

/** Writes one trial into the batch (column b). */
function writeTrial(s: FlipFlopSpec, batch: TrialBatch, b: number, pulses: Pulse[]): void {
  const { trials: B, steps: T } = batch;
  const K = s.bits;
  for (const p of pulses) {
    for (let t = p.t; t < p.t + s.pulseWidth; t++) batch.u[(t * B + b) * K + p.ch] = p.sign;
  }
  // Target: the value of the input the last time it was nonzero (seed 000's rule).
  const held = new Float64Array(K);
  const quietUntil = new Int32Array(K).fill(-1);
  let next = 0;
  for (let t = 0; t < T; t++) {
    while (next < pulses.length && pulses[next].t === t) {
      const ch = pulses[next].ch;
      quietUntil[ch] = Math.max(quietUntil[ch], t + s.settle);
      next++;
    }
    for (let ch = 0; ch < K; ch++) {
      const i = (t * B + b) * K + ch;
      if (batch.u[i] !== 0) held[ch] = batch.u[i];
      batch.y[i] = held[ch];
      batch.mask[i] = held[ch] !== 0 && t >= quietUntil[ch] ? 1 : 0;
    }
  }
}

/**
 * The flip-flop task for `spec` (missing fields take the variant's defaults).
 * @example
 * const task = flipFlopTask({ bits: 3 });               // seed 000, continuous
 * const batch = task.sample(createRng(1), 1, 30000);     // one 30000-step training stream
 */
export function flipFlopTask(spec: Partial<FlipFlopSpec> = {}): Task {
  const s: FlipFlopSpec = { ...flipFlopDefaults(spec.variant), ...spec, task: 'flipflop' };
  validate(s);
  return {
    spec: s,
    inputs: s.bits,
    outputs: s.bits,
    levels: [-1, 1],
    sample(rng, trials, steps = s.steps) {
      checkTrials(trials, steps);
      const batch = emptyBatch(trials, steps, s.bits, s.bits);
      for (let b = 0; b < trials; b++) {
        const pulses =
          s.variant === 'continuous'
            ? continuousPulses(s, steps, rng)
            : discretePulses(s, steps, rng);
        writeTrial(s, batch, b, pulses);
      }
      return batch;
    },
  };
}
