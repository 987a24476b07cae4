/**
 * Temporal Boolean tasks of seed 004 (Jarne), with the timing of her data generators
 * (katejarne/RNN_study_with_keras): rectangular input pulses of amplitude 1 and width 20 starting
 * at step 30, Gaussian noise of 10 % of the amplitude on every input sample, and the output
 * changing 20 steps after the stimulus ends ("mem_gap").
 *
 *  - and / or / xor: inputs A, B ∈ {0, 1} drawn uniformly (the four combinations), pulsed together;
 *    target `low` until stimulusStart + stimulusWidth + responseDelay, then `high` if the rule
 *    holds (AND: A∧B, OR: A∨B, XOR: A⊕B), else `low`. T = 200.
 *  - ff (set–reset flip-flop): input 0 is Set, input 1 is Reset. Every turnPeriod = 120 steps from
 *    stimulusStart = 50 one of them (at random) pulses; the target becomes `high` after a Set and
 *    `low` after a Reset, responseDelay after the pulse ends, and holds until the next change;
 *    repeated Sets (or Resets) change nothing. T = 500 holds four turns (Jarne used eight).
 * Targets are `low` = 0 and `high` = 1 as in the paper; every step is trained and scored, and
 * accuracy counts outputs on the correct side of (low + high)/2.
 */
import { RnnscopeError } from '../errors.js';
import { checkInt, checkNumber, checkTrials, emptyBatch } from './batch.js';
import type { BooleanSpec, Task } from './types.js';

export const booleanOps = ['and', 'or', 'xor', 'ff'] as const;

export function booleanDefaults(op: BooleanSpec['op'] = 'and'): BooleanSpec {
  const ff = op === 'ff';
  return {
    task: 'boolean',
    op,
    steps: ff ? 500 : 200,
    stimulusStart: ff ? 50 : 30,
    stimulusWidth: 20,
    responseDelay: 20,
    noise: 0.1,
    turnPeriod: 120,
    low: 0,
    high: 1,
  };
}

function rule(op: BooleanSpec['op'], a: number, b: number): boolean {
  switch (op) {
    case 'and':
      return a === 1 && b === 1;
    case 'or':
      return a === 1 || b === 1;
    case 'xor':
      return a !== b;
    default:
      return false;
  }
}

function validate(s: BooleanSpec): void {
  if (!booleanOps.includes(s.op))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `boolean op must be one of ${booleanOps.join(', ')}, got '${String(s.op)}'`,
    );
  checkInt(s.steps, 1, 'boolean steps');
  checkInt(s.stimulusStart, 0, 'boolean stimulusStart');
  checkInt(s.stimulusWidth, 1, 'boolean stimulusWidth');
  checkInt(s.responseDelay, 0, 'boolean responseDelay');
  checkInt(s.turnPeriod, 1, 'boolean turnPeriod');
  checkNumber(s.noise, 'boolean noise', 0);
  checkNumber(s.low, 'boolean low');
  checkNumber(s.high, 'boolean high');
  if (s.low === s.high)
    throw new RnnscopeError('INVALID_ARGUMENT', 'boolean low and high must differ');
  if (s.stimulusStart + s.stimulusWidth > s.steps)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `boolean stimulus (start ${s.stimulusStart}, width ${s.stimulusWidth}) does not fit in ${s.steps} steps`,
    );
}

/**
 * The Boolean task `op` (missing fields take that op's defaults).
 * @example
 * const xor = booleanTask({ op: 'xor' });
 * const batch = xor.sample(createRng(3), 64); // 64 trials of 200 steps
 */
export function booleanTask(spec: Partial<BooleanSpec> = {}): Task {
  const s: BooleanSpec = { ...booleanDefaults(spec.op), ...spec, task: 'boolean' };
  validate(s);
  return {
    spec: s,
    inputs: 2,
    outputs: 1,
    levels: [s.low, s.high],
    sample(rng, trials, steps = s.steps) {
      checkTrials(trials, steps);
      const B = trials;
      const batch = emptyBatch(B, steps, 2, 1);
      const { u, y, mask } = batch;
      const pulse = (b: number, ch: number, t0: number, amp: number) => {
        for (let t = t0; t < Math.min(steps, t0 + s.stimulusWidth); t++)
          u[(t * B + b) * 2 + ch] = amp;
      };
      for (let b = 0; b < B; b++) {
        const level = new Float64Array(steps).fill(s.low);
        if (s.op === 'ff') {
          for (let t0 = s.stimulusStart; t0 + s.stimulusWidth <= steps; t0 += s.turnPeriod) {
            const set = rng.uniform() < 0.5;
            pulse(b, set ? 0 : 1, t0, 1);
            const from = t0 + s.stimulusWidth + s.responseDelay;
            for (let t = from; t < steps; t++) level[t] = set ? s.high : s.low;
          }
        } else {
          const kind = rng.integer(4); // Jarne's trial types: (0,0), (1,0), (0,1), (1,1)
          const a = kind & 1;
          const bb = kind >> 1;
          pulse(b, 0, s.stimulusStart, a);
          pulse(b, 1, s.stimulusStart, bb);
          const from = s.stimulusStart + s.stimulusWidth + s.responseDelay;
          if (rule(s.op, a, bb)) for (let t = from; t < steps; t++) level[t] = s.high;
        }
        for (let t = 0; t < steps; t++) {
          y[t * B + b] = level[t];
          mask[t * B + b] = 1;
        }
      }
      if (s.noise > 0) for (let i = 0; i < u.length; i++) u[i] += s.noise * rng.normal();
      return batch;
    },
  };
}
