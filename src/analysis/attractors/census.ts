/**
 * The census behind the graph: which stable fixed points (nodes) and unstable ones (saddles)
 * the model has under its baseline input. Trajectories of the task (or of random pulses) give
 * the states the network visits; a sample of them is relaxed under the baseline input until it
 * comes to rest (each lands near an attractor), and the fixed-point search (findFixedPoints, on
 * the map the model iterates) polishes the rest states — plus raw trajectory samples and user
 * states, which find saddles — and linearises every point.
 */
import { zeros, type LinalgBackend, type Matrix } from '../../linalg/index.js';
import type { ModelParams } from '../../models/types.js';
import type { Rng } from '../../random/index.js';
import { createTask } from '../../tasks/registry.js';
import type { TaskSpec } from '../../tasks/types.js';
import { batchModelSystem } from '../batch.js';
import { stateScale } from '../fixed-points/dedupe.js';
import { fixedPointSearch } from '../fixed-points/find.js';
import { sampleStates, stackStates } from '../fixed-points/initial-states.js';
import type { FixedPoint, FixedPointResult } from '../fixed-points/types.js';
import { runEnsemble, type PulseJob, type Targets } from './ensemble.js';
import { LEADING } from './polish.js';
import type { ModelStepper } from './stepper.js';
import type { EigenSummary } from './types.js';

export interface TrajectorySpec {
  task: TaskSpec | null;
  trials: number;
  steps: number;
  x0Scale: number;
  channels: number[];
  pulseWidth: number;
  maxAmplitude: number;
}

/**
 * Input of random pulses for one trial (T×I, offsets from the baseline): pulses of width w on a
 * random channel with random sign and amplitude U(0, A], separated by quiet gaps of w + 40 to
 * w + 160 steps, so the network both moves between and rests at its attractors.
 */
function pulseTrain(spec: TrajectorySpec, I: number, rng: Rng): Float64Array {
  const T = spec.steps;
  const u = new Float64Array(T * I);
  let t = 10 + rng.integer(40);
  while (t + spec.pulseWidth <= T) {
    const ch = spec.channels[rng.integer(spec.channels.length)];
    const v = (rng.uniform() < 0.5 ? -1 : 1) * spec.maxAmplitude * (1 - rng.uniform());
    for (let k = t; k < t + spec.pulseWidth; k++) u[k * I + ch] = v;
    t += spec.pulseWidth + 40 + rng.integer(121);
  }
  return u;
}

/**
 * Simulates `trials` trajectories of the task (inputs relative to the baseline) in one batch
 * and returns every `stride`-th state (at most ~4096 states in all).
 */
export function* taskTrajectories(
  stepper: ModelStepper,
  spec: TrajectorySpec,
  rng: Rng,
  shouldStop: () => boolean,
): Generator<void, { states: Matrix; rowSteps: number }> {
  const N = stepper.dim;
  const I = stepper.inputs;
  const B = spec.trials;
  const T = spec.steps;
  // inputs[b] is T×I (absolute for tasks, converted to offsets below).
  const inputs: Float64Array[] = [];
  if (spec.task) {
    const batch = createTask(spec.task).sample(rng.fork('task'), B, T);
    for (let b = 0; b < B; b++) {
      const u = new Float64Array(T * I);
      for (let t = 0; t < T; t++)
        for (let i = 0; i < I; i++)
          u[t * I + i] = batch.u[(t * B + b) * batch.inputs + i] - stepper.baseline[i];
      inputs.push(u);
    }
  } else {
    const r = rng.fork('pulses');
    for (let b = 0; b < B; b++) inputs.push(pulseTrain(spec, I, r));
  }
  const x0rng = rng.fork('x0');
  let X = zeros(B, N);
  let Y = zeros(B, N);
  for (let k = 0; k < B * N; k++) X.data[k] = spec.x0Scale * x0rng.normal();
  const offsets = zeros(B, I);
  const stride = Math.max(1, Math.ceil((B * T) / 4096));
  const kept: Matrix[] = [];
  let steps = 0;
  for (let t = 0; t < T; t++) {
    if (shouldStop()) break;
    for (let b = 0; b < B; b++) offsets.data.set(inputs[b].subarray(t * I, (t + 1) * I), b * I);
    stepper.step(X, B, Y, I > 0 ? { offsets } : undefined);
    [X, Y] = [Y, X];
    steps++;
    if ((t + 1) % stride === 0) kept.push({ rows: B, cols: N, data: X.data.slice(0, B * N) });
    yield;
  }
  const states = stackStates(...kept);
  // Drop rows a diverging trial made non-finite.
  const good: number[] = [];
  for (let r = 0; r < states.rows; r++) {
    let ok = true;
    for (let i = 0; i < N && ok; i++) ok = Number.isFinite(states.data[r * N + i]);
    if (ok) good.push(r);
  }
  const clean = zeros(good.length, N);
  good.forEach((r, k) => clean.data.set(states.data.subarray(r * N, (r + 1) * N), k * N));
  return { states: clean, rowSteps: steps * B };
}

/**
 * Relaxes `count` sampled states under the baseline input. A run ends at rest (‖Δx‖ ≤
 * restSpeed·scale) — its state becomes a new rest state — or as soon as it settles within
 * `radius` of a rest state found earlier (the same attractor: no need to converge again), or at
 * maxSteps. Returns the distinct rest states, each next to an attractor the network uses, with
 * the number of runs that ended there. With `labels` (one per sampled state, e.g. the readout's
 * sign pattern) the starts are spread evenly over the labels, so rarely visited memories are
 * relaxed too.
 */
export function* relaxStates(
  stepper: ModelStepper,
  sampled: Matrix,
  count: number,
  settle: { scale: number; settleSpeed: number; restSpeed: number; radius: number },
  maxSteps: number,
  maxBatch: number,
  rng: Rng,
  shouldStop: () => boolean,
  labels?: readonly string[],
): Generator<void, { atRest: Matrix; counts: number[]; moving: number; rowSteps: number }> {
  const N = stepper.dim;
  const targets: Targets = { points: zeros(0, N), radius: new Float64Array(0) };
  const counts: number[] = [];
  if (count <= 0 || sampled.rows === 0)
    return { atRest: targets.points, counts, moving: 0, rowSteps: 0 };
  const picks = labels
    ? stratifiedSample(sampled, labels, count, rng)
    : sampleStates(sampled, count, rng, { replace: count > sampled.rows });
  let moving = 0;
  const queue: PulseJob[] = [];
  for (let k = 0; k < picks.rows; k++) {
    queue.push({
      x0: picks.data.subarray(k * N, (k + 1) * N),
      channel: 0,
      value: 0,
      width: 0,
      onDone(o) {
        if (o.status === 'settled' && typeof o.destination === 'number') counts[o.destination]++;
        else if (o.status === 'at rest') {
          const K = targets.points.rows;
          const points = zeros(K + 1, N);
          points.data.set(targets.points.data);
          points.data.set(o.state, K * N);
          const radius = new Float64Array(K + 1);
          radius.set(targets.radius);
          radius[K] = settle.radius;
          targets.points = points;
          targets.radius = radius;
          counts.push(1);
        } else if (o.status === 'did not settle') moving++;
      },
    });
  }
  const rowSteps: number = yield* runEnsemble(
    stepper,
    targets,
    {
      scale: settle.scale,
      settleSpeed: settle.settleSpeed,
      restSpeed: settle.restSpeed,
      maxSteps,
      maxBatch,
      nearRadius: 0,
    },
    queue,
    shouldStop,
  );
  return { atRest: targets.points, counts, moving, rowSteps };
}

/**
 * `count` rows drawn round-robin over the distinct labels (in sorted order), at random within a
 * label, without replacement until a label runs out.
 */
export function stratifiedSample(
  states: Matrix,
  labels: readonly string[],
  count: number,
  rng: Rng,
): Matrix {
  const n = states.cols;
  const groups = new Map<string, number[]>();
  labels.forEach((l, r) => groups.set(l, [...(groups.get(l) ?? []), r]));
  const pools = [...groups.keys()].sort().map((k) => rng.shuffle([...groups.get(k)!]));
  const out = zeros(count, n);
  const used = pools.map(() => 0);
  for (let k = 0; k < count; k++) {
    const g = k % pools.length;
    const pool = pools[g];
    const r = used[g] < pool.length ? pool[used[g]++] : pool[rng.integer(pool.length)];
    out.data.set(states.data.subarray(r * n, (r + 1) * n), k * n);
  }
  return out;
}

/**
 * findFixedPoints on the map the model iterates (Euler map for rate/ctrnn), with the leading
 * multipliers and one mode per point.
 */
export function* fixedPointCensus(
  params: ModelParams,
  baseline: Float64Array,
  starts: Matrix,
  tuning: { method?: 'auto' | 'gauss-newton' | 'newton-krylov'; maxIterations?: number },
  backend: LinalgBackend | undefined,
  shouldStop: () => boolean,
): Generator<void, FixedPointResult> {
  const sys = batchModelSystem(params, baseline, 'map', backend);
  try {
    return yield* fixedPointSearch(sys, starts, {
      method: tuning.method,
      maxIterations: tuning.maxIterations,
      modes: 1,
      leadingEigenvalues: LEADING,
      periodic: 'never',
      backend,
      shouldStop,
    });
  } finally {
    sys.batch.release?.();
  }
}

/** Eigen information of a linearised fixed point of a map. */
export function eigenSummary(p: FixedPoint): EigenSummary {
  const leading = (p.eigenvalues ?? []).slice(0, 6);
  const mode = p.modes?.[0];
  const lead = leading[0];
  const modulus = lead ? Math.hypot(lead[0], lead[1]) : NaN;
  return {
    label: p.label ?? p.stability ?? 'not computed',
    unstableDims: p.unstableDims ?? 0,
    ...(p.unstableDimsAtLeast ? { unstableDimsAtLeast: true } : {}),
    leading,
    slowestSteps: Number.isFinite(modulus) && modulus > 0 ? -1 / Math.log(modulus) : NaN,
    ...(mode?.vector ? { leadingVector: mode.vector.re } : {}),
  };
}

/** The state scale of the visited states (RMS distance from their centroid). */
export function visitedScale(states: Matrix): number {
  return stateScale(states).scale;
}
