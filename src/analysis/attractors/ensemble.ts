/**
 * Pulse-and-settle runs in lockstep. Each job starts from a state, receives an input pulse (a
 * signed amplitude added to the baseline on one channel for `width` steps), and is then stepped
 * under the baseline input until it settles at a node, comes to rest elsewhere, or reaches the
 * step cap. All running jobs form the rows of one matrix, so a step of the ensemble is one GEMM;
 * finished rows are replaced at once by queued jobs (a job's callback may queue follow-ups, which
 * is how bisections proceed without waiting for each other).
 *
 * Settling (after the pulse; speeds relative to `scale`, the state scale):
 *   settled        ‖Δx‖ ≤ settleSpeed·scale per step and within its radius of a node (each
 *                  node has its own identification radius, see graph.ts);
 *   at rest        ‖Δx‖ ≤ restSpeed·scale and not increasing for REST_STEPS steps in a row,
 *                  away from every node (a fixed point that is not a node: an attractor the
 *                  census missed, or a saddle the run stalled on — a run merely passing close
 *                  to a saddle speeds up again and is not at rest);
 *   did not settle maxSteps steps after the pulse without either.
 */
import type { Matrix } from '../../linalg/index.js';
import type { ModelStepper } from './stepper.js';

/** Consecutive slow, non-accelerating steps that make a run 'at rest'. */
const REST_STEPS = 10;

/** Where a run ended: a node index, at rest away from every node, or still moving. */
export type Destination = number | 'unidentified' | 'unsettled';

export interface JobOutcome {
  destination: Destination;
  status: 'settled' | 'at rest' | 'did not settle' | 'interrupted';
  /** Steps after the pulse. */
  steps: number;
  /** Final state (a copy). */
  state: Float64Array;
  /** ‖Δx‖ of the last step. */
  speed: number;
  nearestNode: number;
  nearestDistance: number;
  /** Slowest point after the pulse and before the run first came within a node's radius (trackMinSpeed). */
  minSpeed?: { speed: number; step: number; state: Float64Array };
  /** Per tracked point: the closest approach, and the steps spent within `nearRadius`. */
  closest?: Float64Array;
  stepsNear?: Int32Array;
}

export interface PulseJob {
  x0: ArrayLike<number>;
  channel: number;
  /** Signed amplitude added to the baseline input on `channel`. */
  value: number;
  /** Steps the pulse lasts (0: no pulse). */
  width: number;
  trackMinSpeed?: boolean;
  /** S×N points whose distance to the run is tracked (saddles). */
  trackPoints?: Matrix;
  onDone(outcome: JobOutcome): void;
}

/**
 * The points runs are identified with: rows of `points`, each with its own radius (absolute).
 * The runner reads both at every check, so they may be replaced while it runs (relaxation adds
 * each new rest state as a target for the runs still going).
 */
export interface Targets {
  points: Matrix;
  radius: Float64Array;
}

export interface SettleSettings {
  scale: number;
  settleSpeed: number;
  restSpeed: number;
  maxSteps: number;
  /** Rows stepped together at most. */
  maxBatch: number;
  /** Radius (absolute) for `stepsNear`. */
  nearRadius: number;
}

interface Row {
  job: PulseJob;
  t: number;
  minSpeed: number;
  minStep: number;
  minState?: Float64Array;
  arrived?: boolean;
  prevSpeed: number;
  restCount: number;
  closest?: Float64Array;
  stepsNear?: Int32Array;
}

/** Index of the target whose radius holds x (the nearest such), or −1. */
export function targetOf(t: Targets, x: Float64Array, xOff = 0): number {
  const P = t.points;
  const n = P.cols;
  let best = -1;
  let bestD2 = Infinity;
  for (let k = 0; k < P.rows; k++) {
    const r2 = t.radius[k] * t.radius[k];
    let d2 = 0;
    const o = k * n;
    for (let i = 0; i < n && d2 <= r2; i++) {
      const d = x[xOff + i] - P.data[o + i];
      d2 += d * d;
    }
    if (d2 <= r2 && d2 < bestD2) {
      bestD2 = d2;
      best = k;
    }
  }
  return best;
}

/** Nearest row of `P` (K×N) to x: [index, distance] (−1, ∞ when P is empty). */
export function nearestRow(P: Matrix, x: Float64Array, xOff = 0): [number, number] {
  const n = P.cols;
  let best = -1;
  let bestD2 = Infinity;
  for (let k = 0; k < P.rows; k++) {
    let d2 = 0;
    const o = k * n;
    for (let i = 0; i < n && d2 < bestD2; i++) {
      const d = x[xOff + i] - P.data[o + i];
      d2 += d * d;
    }
    if (d2 < bestD2) {
      bestD2 = d2;
      best = k;
    }
  }
  return [best, Math.sqrt(bestD2)];
}

/**
 * Runs `queue` (which callbacks may extend) to completion on `stepper`, classifying endpoints
 * against `targets`. Yields once per step, so a driver can interleave event-loop work;
 * `shouldStop` ends the run with every unfinished job reported 'interrupted'.
 * Returns the number of row-steps taken.
 */
export function* runEnsemble(
  stepper: ModelStepper,
  targets: Targets,
  settings: SettleSettings,
  queue: PulseJob[],
  shouldStop: () => boolean = () => false,
): Generator<void, number> {
  const N = stepper.dim;
  const I = stepper.inputs;
  const cap = Math.max(1, settings.maxBatch);
  let X = { rows: cap, cols: N, data: new Float64Array(cap * N) };
  let Y = { rows: cap, cols: N, data: new Float64Array(cap * N) };
  const offsets = { rows: cap, cols: I, data: new Float64Array(cap * Math.max(I, 1)) };
  const rows: Row[] = [];
  let head = 0;
  let rowSteps = 0;
  const settle = settings.settleSpeed * settings.scale;
  const rest = settings.restSpeed * settings.scale;

  const finish = (r: number, status: JobOutcome['status'], speed: number): JobOutcome => {
    const row = rows[r];
    const state = X.data.slice(r * N, (r + 1) * N);
    const [nearestNode, nearestDistance] = nearestRow(targets.points, state);
    const destination: Destination =
      status === 'settled'
        ? targetOf(targets, state)
        : status === 'at rest'
          ? 'unidentified'
          : 'unsettled';
    return {
      destination,
      status,
      steps: Math.max(0, row.t - row.job.width),
      state,
      speed,
      nearestNode,
      nearestDistance,
      ...(row.minState
        ? { minSpeed: { speed: row.minSpeed, step: row.minStep, state: row.minState } }
        : {}),
      ...(row.closest ? { closest: row.closest, stepsNear: row.stepsNear } : {}),
    };
  };

  for (;;) {
    while (rows.length < cap && head < queue.length) {
      const job = queue[head++];
      const r = rows.length;
      for (let i = 0; i < N; i++) X.data[r * N + i] = job.x0[i];
      const S = job.trackPoints ? job.trackPoints.rows : 0;
      rows.push({
        job,
        t: 0,
        minSpeed: Infinity,
        minStep: -1,
        prevSpeed: Infinity,
        restCount: 0,
        ...(job.trackPoints
          ? { closest: new Float64Array(S).fill(Infinity), stepsNear: new Int32Array(S) }
          : {}),
      });
    }
    const B = rows.length;
    if (B === 0) break;
    if (shouldStop()) {
      const done = rows.map((_, r) => finish(r, 'interrupted', NaN));
      rows.forEach((row, r) => row.job.onDone(done[r]));
      while (head < queue.length) {
        const job = queue[head++];
        job.onDone({
          destination: 'unsettled',
          status: 'interrupted',
          steps: 0,
          state: Float64Array.from(job.x0),
          speed: NaN,
          nearestNode: -1,
          nearestDistance: NaN,
        });
      }
      break;
    }
    let pulsing = false;
    if (I > 0) {
      offsets.data.fill(0, 0, B * I);
      for (let r = 0; r < B; r++) {
        const row = rows[r];
        if (row.t < row.job.width) {
          offsets.data[r * I + row.job.channel] = row.job.value;
          pulsing = true;
        }
      }
    }
    stepper.step(X, B, Y, pulsing ? { offsets } : undefined);
    rowSteps += B;
    const x = X.data;
    const y = Y.data;
    const done: number[] = [];
    const speeds = new Float64Array(B);
    for (let r = 0; r < B; r++) {
      const row = rows[r];
      row.t++;
      const o = r * N;
      let d2 = 0;
      for (let i = 0; i < N; i++) {
        const d = y[o + i] - x[o + i];
        d2 += d * d;
      }
      const speed = Math.sqrt(d2);
      speeds[r] = speed;
      if (!Number.isFinite(speed)) {
        done.push(r);
        continue;
      }
      if (row.t <= row.job.width) continue;
      const after = row.t - row.job.width;
      const job = row.job;
      row.restCount = speed <= rest && speed <= row.prevSpeed ? row.restCount + 1 : 0;
      row.prevSpeed = speed;
      let near = -2; // −2: not looked up yet
      if (job.trackPoints && row.closest && row.stepsNear) {
        const P = job.trackPoints;
        for (let k = 0; k < P.rows; k++) {
          let e2 = 0;
          for (let i = 0; i < N; i++) {
            const d = y[o + i] - P.data[k * N + i];
            e2 += d * d;
          }
          const e = Math.sqrt(e2);
          if (e < row.closest[k]) row.closest[k] = e;
          if (e <= settings.nearRadius) row.stepsNear[k]++;
        }
      }
      // The slowest point on the way: after the pulse, before the run first enters a node's
      // radius (afterwards it only slows down further while converging).
      if (job.trackMinSpeed && !row.arrived) {
        near = targetOf(targets, y, o);
        if (near >= 0) row.arrived = true;
        else if (speed < row.minSpeed) {
          row.minSpeed = speed;
          row.minStep = after;
          row.minState = y.slice(o, o + N);
        }
      }
      if (speed <= settle) {
        if (near === -2) near = targetOf(targets, y, o);
        if (near >= 0 || row.restCount >= REST_STEPS || after >= settings.maxSteps) done.push(r);
      } else if (after >= settings.maxSteps) done.push(r);
    }
    [X, Y] = [Y, X];
    if (done.length > 0) {
      const outcomes = done.map((r) => {
        const speed = speeds[r];
        if (!Number.isFinite(speed)) return finish(r, 'did not settle', speed);
        const near = targetOf(targets, X.data, r * N);
        const after = rows[r].t - rows[r].job.width;
        const status: JobOutcome['status'] =
          speed <= settle && near >= 0
            ? 'settled'
            : rows[r].restCount >= REST_STEPS
              ? 'at rest'
              : after >= settings.maxSteps
                ? 'did not settle'
                : 'settled';
        return finish(r, status, speed);
      });
      const jobs = done.map((r) => rows[r].job);
      // Compact: move the last rows into the freed slots (highest index first).
      for (let k = done.length - 1; k >= 0; k--) {
        const r = done[k];
        const last = rows.length - 1;
        if (r !== last) {
          X.data.copyWithin(r * N, last * N, (last + 1) * N);
          rows[r] = rows[last];
        }
        rows.pop();
      }
      jobs.forEach((job, k) => job.onDone(outcomes[k]));
    }
    yield;
  }
  return rowSteps;
}
