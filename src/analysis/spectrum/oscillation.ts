/**
 * Reading a simulated trajectory the way seed 004 §3.1 reads its figures: after the stimulus, does
 * the state settle at a fixed point away from rest, oscillate (and how fast), or decay back to rest?
 */
import type { Matrix } from '../../linalg/matrix.js';

export type ResponseClass = 'fixed-point' | 'oscillatory' | 'decaying' | 'unsettled';

export interface OscillationOptions {
  /** Fraction of the rows (the last ones) examined; default 0.5. */
  tailFraction?: number;
  /**
   * Decaying when the tail's largest distance from rest is below this fraction of the
   * trajectory's largest distance from rest; default 1e-3.
   */
  decayTolerance?: number;
  /**
   * Fixed point when, over the last half of the tail, the state moves by less than this fraction
   * of its distance from rest; default 1e-4.
   */
  fixedTolerance?: number;
  /** Fewest mean-crossings of the leading component needed to call a tail oscillatory; default 3. */
  minCycles?: number;
}

export interface TrajectoryClass {
  class: ResponseClass;
  /** Cycles per unit of `step`-scaled time (null unless an oscillation was measured). */
  frequency: number | null;
  period: number | null;
  /** Full cycles the frequency was measured over. */
  cycles: number;
  /** Peak-to-peak amplitude of the leading principal component over the tail. */
  amplitude: number;
  /** Distance from rest at the last row. */
  finalDistance: number;
  /** Largest distance from rest along the whole trajectory. */
  peakDistance: number;
}

function distance(a: Float64Array, off: number, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[off + i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/**
 * Leading principal direction of the rows r0..r1 (mean removed) by power iteration on the
 * covariance, applied through the data (two passes per iteration, no N×N matrix).
 */
function leadingComponent(X: Matrix, r0: number, r1: number, mean: Float64Array): Float64Array {
  const n = X.cols;
  let v = new Float64Array(n);
  // Start from the unit of largest variance: never orthogonal to the top component in practice.
  let best = 0;
  let bestVar = -1;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = r0; t < r1; t++) s += (X.data[t * n + j] - mean[j]) ** 2;
    if (s > bestVar) {
      bestVar = s;
      best = j;
    }
  }
  v[best] = 1;
  for (let it = 0; it < 100; it++) {
    const w = new Float64Array(n);
    for (let t = r0; t < r1; t++) {
      let p = 0;
      for (let j = 0; j < n; j++) p += (X.data[t * n + j] - mean[j]) * v[j];
      for (let j = 0; j < n; j++) w[j] += p * (X.data[t * n + j] - mean[j]);
    }
    let norm = 0;
    for (let j = 0; j < n; j++) norm += w[j] * w[j];
    norm = Math.sqrt(norm);
    if (norm === 0) return v;
    let diff = 0;
    for (let j = 0; j < n; j++) {
      w[j] /= norm;
      diff += (w[j] - v[j]) ** 2;
    }
    v = w;
    if (diff < 1e-20) break;
  }
  return v;
}

/**
 * Frequency of a scalar signal from its upward crossings of `level` (default: its mean), with
 * linear interpolation of each crossing time: f = (crossings − 1)/(t_last − t_first) in cycles
 * per sample.
 */
export function crossingFrequency(
  signal: Float64Array,
  level?: number,
): { frequency: number; cycles: number } | null {
  let mean = 0;
  if (level === undefined) {
    for (const s of signal) mean += s;
    mean /= signal.length;
  } else mean = level;
  const times: number[] = [];
  for (let t = 0; t + 1 < signal.length; t++) {
    const a = signal[t] - mean;
    const b = signal[t + 1] - mean;
    if (a < 0 && b >= 0) times.push(t + a / (a - b));
  }
  if (times.length < 2) return null;
  const cycles = times.length - 1;
  return { frequency: cycles / (times[times.length - 1] - times[0]), cycles };
}

/**
 * Still on its way back to rest: over the tail r0..T, the second half stays within half the
 * largest distance from rest reached in the first half (a slow or ringing return).
 */
function returning(states: Matrix, rest: Float64Array, r0: number): boolean {
  const T = states.rows;
  const n = states.cols;
  const r1 = Math.floor((r0 + T) / 2);
  let first = 0;
  let second = 0;
  for (let t = r0; t < T; t++) {
    const d = distance(states.data, t * n, rest, n);
    if (t < r1) first = Math.max(first, d);
    else second = Math.max(second, d);
  }
  return second <= 0.5 * first;
}

/**
 * Classifies a trajectory (rows = states after each step, `step` time units apart) relative to
 * the rest state `rest`:
 *
 * - decaying: the tail comes back to rest (max tail distance < decayTolerance · peak distance,
 *   or the second half of the tail stays within half the distance of its first half);
 * - fixed-point: otherwise, when the state stops moving (relative motion < fixedTolerance);
 * - oscillatory: otherwise, when the tail's leading principal component crosses its mean at
 *   least `minCycles` times; its frequency is measured from the crossings;
 * - unsettled: none of these within the simulated time (a slow drift or transient).
 *
 * A decaying response that rings is given the frequency of its ringing too.
 */
export function classifyTrajectory(
  states: Matrix,
  rest: Float64Array,
  step: number,
  options: OscillationOptions = {},
): TrajectoryClass {
  const tailFraction = options.tailFraction ?? 0.5;
  const decayTol = options.decayTolerance ?? 1e-3;
  const fixedTol = options.fixedTolerance ?? 1e-4;
  const minCycles = options.minCycles ?? 3;
  const T = states.rows;
  const n = states.cols;
  const r0 = Math.max(0, Math.min(T - 2, Math.floor(T * (1 - tailFraction))));
  let peak = 0;
  for (let t = 0; t < T; t++) peak = Math.max(peak, distance(states.data, t * n, rest, n));
  let tailMax = 0;
  for (let t = r0; t < T; t++) tailMax = Math.max(tailMax, distance(states.data, t * n, rest, n));
  const finalDistance = T > 0 ? distance(states.data, (T - 1) * n, rest, n) : 0;

  const decaying = peak === 0 || tailMax <= decayTol * peak || returning(states, rest, r0);
  // A sustained oscillation is centred on its own mean; a decaying one rings about rest.
  const centre = new Float64Array(n);
  if (decaying) centre.set(rest.subarray(0, n));
  else {
    for (let t = r0; t < T; t++) for (let j = 0; j < n; j++) centre[j] += states.data[t * n + j];
    for (let j = 0; j < n; j++) centre[j] /= T - r0;
  }
  const v = leadingComponent(states, r0, T, centre);
  const signal = new Float64Array(T - r0);
  let lo = Infinity;
  let hi = -Infinity;
  for (let t = r0; t < T; t++) {
    let p = 0;
    for (let j = 0; j < n; j++) p += (states.data[t * n + j] - centre[j]) * v[j];
    signal[t - r0] = p;
    lo = Math.min(lo, p);
    hi = Math.max(hi, p);
  }
  const amplitude = hi - lo;
  const ring = amplitude > 0 ? crossingFrequency(signal, decaying ? 0 : undefined) : null;
  const measured = (cls: ResponseClass): TrajectoryClass => {
    const f = ring && ring.cycles >= minCycles - 1 ? ring.frequency / step : null;
    return {
      class: cls,
      frequency: f,
      period: f ? 1 / f : null,
      cycles: f ? ring!.cycles : 0,
      amplitude,
      finalDistance,
      peakDistance: peak,
    };
  };

  if (decaying) return measured('decaying');
  // Motion over the last half of the tail, relative to the distance from rest.
  const r1 = Math.floor((r0 + T) / 2);
  let motion = 0;
  for (let t = r1; t < T; t++)
    motion = Math.max(motion, distance(states.data, t * n, states.data.subarray((T - 1) * n), n));
  if (motion <= fixedTol * Math.max(finalDistance, Number.MIN_VALUE)) {
    const r = measured('fixed-point');
    return { ...r, frequency: null, period: null, cycles: 0 };
  }
  if (ring && ring.cycles >= minCycles - 1) return measured('oscillatory');
  const r = measured('unsettled');
  return { ...r, frequency: null, period: null, cycles: 0 };
}
