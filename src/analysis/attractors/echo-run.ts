/**
 * Pieces of the echo-index computation: an ensemble driven by one input sequence with float32
 * snapshots, clustering of the responses over a window, and the test for responses that are
 * still approaching each other (the same attractor, converging slowly).
 */
import { zeros, type LinalgBackend, type Matrix } from '../../linalg/index.js';
import type { ModelParams } from '../../models/types.js';
import { batchModelSystem } from '../batch.js';
import { fixedPointSearch } from '../fixed-points/find.js';
import { exponentialRate } from './decay.js';
import type { ModelStepper } from './stepper.js';

export const dist = (
  a: ArrayLike<number>,
  ao: number,
  b: ArrayLike<number>,
  bo: number,
  n: number,
): number => {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[ao + i] - b[bo + i]) ** 2;
  return Math.sqrt(s);
};

export interface Snapshots {
  times: number[];
  /** One rows×N float32 block per time (distances need ~7 digits, memory stays small). */
  states: Float32Array[];
}

/**
 * Steps rows of X from step `from` to `to` (exclusive) under u[t] = baseline + offsets row t,
 * recording snapshots at the times `keep(t)` accepts (t counts steps done) and, if asked, a
 * float64 copy of the states after step `copyAt`. X is updated in place at the end; `onStep`
 * sees the current states. Yields every step.
 */
export function* driveEnsemble(
  stepper: ModelStepper,
  X: Matrix,
  rows: number,
  offsets: Matrix,
  from: number,
  to: number,
  keep: (t: number) => boolean,
  snaps: Snapshots,
  shouldStop: () => boolean,
  copyAt = -1,
  onStep?: (t: number, states: Float64Array) => void,
): Generator<void, { steps: number; copy?: Float64Array }> {
  const N = stepper.dim;
  const I = stepper.inputs;
  const u = new Float64Array(I);
  let Y = zeros(rows, N);
  let cur: Matrix = { rows, cols: N, data: X.data };
  let copy: Float64Array | undefined;
  let t = from;
  for (; t < to && !shouldStop(); t++) {
    for (let i = 0; i < I; i++) u[i] = stepper.baseline[i] + offsets.data[t * I + i];
    stepper.step(cur, rows, Y, { u });
    [cur, Y] = [Y, cur];
    const done = t + 1;
    if (done === copyAt) copy = cur.data.slice(0, rows * N);
    if (keep(done)) {
      snaps.times.push(done);
      snaps.states.push(Float32Array.from(cur.data.subarray(0, rows * N)));
    }
    onStep?.(done, cur.data);
    yield;
  }
  if (cur.data !== X.data) X.data.set(cur.data.subarray(0, rows * N));
  return { steps: t, ...(copy ? { copy } : {}) };
}

/**
 * Leader clustering in row order over the snapshots at or after `windowStart`: a row joins the
 * first representative it stays within `tol` of at every window snapshot.
 */
export function clusterWindow(
  snaps: Snapshots,
  rows: readonly number[],
  N: number,
  windowStart: number,
  tol: number,
): { reps: number[]; members: number[][]; spread: number[] } {
  const win = snaps.times.flatMap((t, j) => (t >= windowStart ? [j] : []));
  const reps: number[] = [];
  const members: number[][] = [];
  const spread: number[] = [];
  for (const r of rows) {
    let found = -1;
    let dmax = 0;
    for (let c = 0; c < reps.length && found < 0; c++) {
      let d = 0;
      for (const j of win) {
        d = Math.max(d, dist(snaps.states[j], r * N, snaps.states[j], reps[c] * N, N));
        if (d > tol) break;
      }
      if (d <= tol) {
        found = c;
        dmax = d;
      }
    }
    if (found < 0) {
      reps.push(r);
      members.push([r]);
      spread.push(0);
    } else {
      members[found].push(r);
      spread[found] = Math.max(spread[found], dmax);
    }
  }
  return { reps, members, spread };
}

/**
 * Pairs of representatives still approaching each other: from `from` on, their distance decays
 * like a clean exponential (log-linear fit with R² ≥ 0.9) by at least 10 %. Such responses are
 * one attractor converging slowly (slow modes of a badly trained network decay over hundreds of
 * steps); distinct responses keep their distance, or it fluctuates under the drive.
 */
export function convergingPairs(
  snaps: Snapshots,
  reps: readonly number[],
  N: number,
  from: number,
  floor: number,
): [number, number][] {
  const use = snaps.times.flatMap((t, j) => (t >= from ? [j] : []));
  if (use.length < 3) return [];
  const times = use.map((j) => snaps.times[j]);
  const span = times[times.length - 1] - times[0];
  const out: [number, number][] = [];
  for (let a = 0; a < reps.length; a++)
    for (let b = a + 1; b < reps.length; b++) {
      const d = use.map((j) => dist(snaps.states[j], reps[a] * N, snaps.states[j], reps[b] * N, N));
      if (!(d[d.length - 1] <= 0.9 * d[0])) continue;
      const fit = exponentialRate(times, d, floor, 'all');
      if (fit && fit.rate <= -0.1 / span && fit.r2 >= 0.9) out.push([a, b]);
    }
  return out;
}

/**
 * The fixed point each state converges to under a constant input, by Newton's method on the map
 * (findFixedPoints without linearisation): an id per row, equal ids for the same fixed point,
 * −1 where Newton did not reach one (a cycle, or too far away).
 */
export function* newtonLimits(
  params: ModelParams,
  baseline: Float64Array,
  X: Matrix,
  backend: LinalgBackend | undefined,
  shouldStop: () => boolean,
): Generator<void, number[]> {
  const sys = batchModelSystem(params, baseline, 'map', backend);
  try {
    const r = yield* fixedPointSearch(sys, X, {
      linearize: false,
      periodic: 'never',
      backend,
      shouldStop,
    });
    return r.starts.map((o) => (o.status === 'fixed' && o.fixedPoint !== null ? o.fixedPoint : -1));
  } finally {
    sys.batch.release?.();
  }
}
