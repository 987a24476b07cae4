/**
 * Task generators: seeded sources of (inputs, targets, mask) trial batches.
 *
 * Layout, chosen for batched BPTT (every time step is one GEMM over the batch): time-major,
 * T steps × B trials × width, so entry (t, b, i) of `inputs` is inputs[(t·B + b)·I + i].
 * Row t drives step t of the model; target row t is compared with the output after step t.
 */
import type { Matrix } from '../linalg/matrix.js';
import type { Rng } from '../random/index.js';

export type TaskName = 'flipflop' | 'boolean' | 'sine' | 'fhn' | 'levels';

/** A batch of B trials of T steps. Plain data (typed arrays), safe to pass between layers. */
export interface TrialBatch {
  trials: number;
  steps: number;
  inputs: number;
  outputs: number;
  /** T×B×I, time-major. */
  u: Float64Array;
  /** T×B×O, time-major. */
  y: Float64Array;
  /** T×B×O: 1 where the output is trained and scored, 0 where it is ignored. */
  mask: Float64Array;
}

/** N-bit flip-flop (seed 000 / FixedPointFinder). See flipflop.ts. */
export interface FlipFlopSpec {
  task: 'flipflop';
  bits: number;
  /** 'continuous': Jang's generator for the FORCE network; 'discrete': FixedPointFinder's. */
  variant: 'continuous' | 'discrete';
  steps: number;
  /** Steps a pulse lasts. */
  pulseWidth: number;
  /** continuous: expected pulse onsets per step over all channels; discrete: per channel per step. */
  pulseRate: number;
  /** Every channel pulses at t = 0 (FixedPointFinder); otherwise the target is 0 (unscored) until a channel's first pulse. */
  initialPulse: boolean;
  /** Steps after each pulse onset that are not scored on that channel (the output's transition). */
  settle: number;
}

/** Temporal Boolean tasks of seed 004 (Jarne): AND, OR, XOR on two inputs, and the set–reset flip-flop. */
export interface BooleanSpec {
  task: 'boolean';
  op: 'and' | 'or' | 'xor' | 'ff';
  steps: number;
  /** First stimulus onset (and/or/xor) or first turn (ff). */
  stimulusStart: number;
  stimulusWidth: number;
  /** Delay from the end of a stimulus to the output change ("mem_gap"). */
  responseDelay: number;
  /** Standard deviation of the Gaussian noise added to the inputs, relative to the pulse amplitude 1. */
  noise: number;
  /** ff: steps from one stimulus onset to the next. */
  turnPeriod: number;
  /** Target levels (low, high). */
  low: number;
  high: number;
}

/** Sine-wave generator (Sussillo & Barak 2013, seed 003 §4). */
export interface SineSpec {
  task: 'sine';
  /** Number of frequencies J (51 in the original). */
  frequencies: number;
  omegaMin: number;
  omegaMax: number;
  /** Time per step (t = k·dt for step k). */
  dt: number;
  steps: number;
  /** Static input for frequency j (1-based): j/J + inputOffset. */
  inputOffset: number;
}

/** FitzHugh–Nagumo imitation (seed 003 §3.1). */
export interface FhnSpec {
  task: 'fhn';
  a: number;
  b: number;
  tau: number;
  /** Integration step and scheme of the target trajectories. */
  h: number;
  method: 'euler' | 'rk4';
  /** Range of the constant current I_ext. */
  currentMin: number;
  currentMax: number;
  steps: number;
  /** Target = vScale·v, input = inputScale·I_ext (the seed halves both). */
  vScale: number;
  inputScale: number;
}

/** Fixed output levels (seed 001, Rivkind & Barak): no input, target A_m held for the whole trial. */
export interface LevelsSpec {
  task: 'levels';
  levels: number[];
  steps: number;
  /** Steps at the start of a trial that are not scored (the approach to the level). */
  settle: number;
}

export type TaskSpec = FlipFlopSpec | BooleanSpec | SineSpec | FhnSpec | LevelsSpec;

/** A generator bound to a complete spec. */
export interface Task {
  readonly spec: TaskSpec;
  readonly inputs: number;
  readonly outputs: number;
  /**
   * Discrete target values used to score `accuracy` (an output is right when its nearest level
   * equals the target's); undefined for continuous targets (sine, fhn), which report MSE only.
   * For ±1 targets this is exactly "the output's sign matches the target".
   */
  readonly levels?: readonly number[];
  /** B trials of `steps` steps (default spec.steps), all randomness from `rng`. */
  sample(rng: Rng, trials: number, steps?: number): TrialBatch;
}

/** Trial b of a batch as matrices, the shape `Model.simulate` takes. */
export interface TrialMatrices {
  inputs: Matrix;
  targets: Matrix;
  mask: Matrix;
}
