/**
 * Phase-space evolution over training (seed 000 §6.1, fig. 7): the fixed points of a sequence
 * of autonomous systems — one per training snapshot — found from one fixed set of initial
 * states, each search warm-started with the previous snapshot's points (continuation), and
 * followed from snapshot to snapshot as tracks with events: a point appears, vanishes or changes
 * stability (a bifurcation diagram against training iteration).
 *
 * For a network with output feedback, z = Wout·φ(x) enters the dynamics through Wfb, so the
 * effective recurrent matrix is W + Wfb·Wout and every Wout snapshot of FORCE training is a
 * different autonomous system (`woutStages`).
 */
import { RnnscopeError } from '../../errors.js';
import type { Matrix } from '../../linalg/index.js';
import type { DynamicalSystem } from '../../systems/types.js';
import { stateScale } from '../fixed-points/dedupe.js';
import { findFixedPointsAsync } from '../fixed-points/drivers.js';
import { stackStates } from '../fixed-points/initial-states.js';
import type { FixedPoint, FixedPointOptions, FixedPointProgress } from '../fixed-points/types.js';
import { pointPca } from './point-pca.js';
import { norm } from './stats.js';
import { TrackBuilder, type EvolutionEvent, type Track, type TrackPoint } from './tracks.js';

/** One snapshot: its step and a builder for its system (called when its turn comes). */
export interface EvolutionStage {
  step: number;
  system: () => DynamicalSystem;
}

export interface EvolutionOptions {
  /** Options of each fixed-point search (tolerances, method, …). */
  fixedPoints?: Omit<FixedPointOptions, 'onProgress' | 'shouldStop'>;
  /** Add the previous snapshot's points to the starts (default true). */
  continuation?: boolean;
  /**
   * Points of consecutive snapshots are the same point when they are nearest neighbours within
   * matchTol × the state scale of the starts (default 0.25).
   */
  matchTol?: number;
  /** Track slow points too (default: fixed points only). */
  includeSlow?: boolean;
  /** Keep every tracked point's state x in the result (large for big networks; default false). */
  keepStates?: boolean;
  /** Principal axes of all tracked points reported as `pc` on every track point (default 3; 0: none). */
  components?: number;
  /** Checked between and during searches; when set the finished snapshots are returned. */
  signal?: { readonly aborted: boolean };
  /** Called after each finished snapshot. */
  onSnapshot?: (summary: SnapshotSummary, done: number, total: number) => void;
  /** Progress of the search inside a snapshot. */
  onProgress?: (p: FixedPointProgress & { snapshot: number; step: number }) => void;
}

export interface SnapshotSummary {
  step: number;
  snapshot: number;
  /** Starts searched: the fixed set plus the warm starts from the previous snapshot. */
  starts: number;
  warmStarts: number;
  fixed: number;
  slow: number;
  notConverged: number;
  /** Among the tracked points (fixed, plus slow with includeSlow). */
  stable: number;
  unstable: number;
  marginal: number;
  /** Track id of each tracked point, in the search's order (fixed first, by q). */
  tracks: number[];
  seconds: number;
  warnings: string[];
}

export interface EvolutionResult {
  snapshots: SnapshotSummary[];
  tracks: Track[];
  events: EvolutionEvent[];
  /** State scale of the fixed starts (RMS distance from their centroid) and the match radius. */
  scale: number;
  matchRadius: number;
  /** Variance ratios of the principal axes used for `pc`. */
  pcaVarianceRatio?: number[];
  settings: {
    snapshots: number;
    starts: number;
    continuation: boolean;
    matchTol: number;
    includeSlow: boolean;
  };
  /** True when stopped early (signal): only the finished snapshots are reported. */
  partial: boolean;
  /** Step of the snapshot that was being searched when the run stopped. */
  interruptedAt?: number;
}

function trackPoint(
  p: FixedPoint,
  step: number,
  snapshot: number,
  keepStates: boolean,
): TrackPoint {
  return {
    step,
    snapshot,
    kind: p.kind,
    q: p.q,
    stability: p.stability ?? 'not computed',
    ...(p.label ? { label: p.label } : {}),
    ...(p.unstableDims !== undefined ? { unstableDims: p.unstableDims } : {}),
    ...(p.unstableDimsAtLeast ? { unstableDimsAtLeast: true } : {}),
    ...(p.eigenvalues?.[0] ? { leading: p.eigenvalues[0] } : {}),
    ...(p.output ? { output: p.output } : {}),
    norm: norm(p.x),
    moved: 0,
    ...(keepStates ? { x: p.x } : {}),
  };
}

function release(sys: DynamicalSystem): void {
  (sys as { batch?: { release?: () => void } }).batch?.release?.();
}

/**
 * Fixed points of every stage's system, from the rows of `starts` (K×N) plus, with
 * continuation, the points found at the previous stage; points of consecutive stages are paired
 * by nearest neighbour (`matchNearest`, radius matchTol × stateScale(starts)) into tracks.
 * Events: 'appear' (a point without a partner at the previous stage), 'vanish' (a point without
 * a partner at this one), 'stability' (stable/unstable/marginal or the number of unstable
 * dimensions changed along a track). Stages run in the order given.
 *
 * Returns plain data; with `signal` the finished stages are returned and `partial` is set.
 *
 * @example
 * const stages = woutStages(params, snapshots);
 * const evo = await fixedPointEvolution(stages, starts);
 * evo.snapshots.map((s) => s.stable); // e.g. [0, 2, 4, 6, 8, 8]
 */
export async function fixedPointEvolution(
  stages: readonly EvolutionStage[],
  starts: Matrix,
  opts: EvolutionOptions = {},
): Promise<EvolutionResult> {
  if (stages.length === 0)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      'fixed-point evolution needs at least one snapshot',
    );
  if (starts.rows === 0)
    throw new RnnscopeError('INVALID_ARGUMENT', 'fixed-point evolution needs initial states');
  for (const s of stages)
    if (!Number.isFinite(s.step))
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `snapshot step must be a finite number, got ${s.step}`,
      );
  const matchTol = opts.matchTol ?? 0.25;
  if (!(matchTol > 0 && Number.isFinite(matchTol)))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `matchTol must be a finite number > 0, got ${matchTol}`,
    );
  const continuation = opts.continuation ?? true;
  const includeSlow = opts.includeSlow ?? false;
  const keepStates = opts.keepStates ?? false;
  const components = opts.components ?? 3;
  const { scale } = stateScale(starts);
  const radius = matchTol * scale;
  const builder = new TrackBuilder(radius);
  const snapshots: SnapshotSummary[] = [];
  const states = new Map<TrackPoint, number[]>();
  let warm: Matrix | undefined;
  let partial = false;
  let interruptedAt: number | undefined;

  for (let k = 0; k < stages.length; k++) {
    const stage = stages[k];
    if (opts.signal?.aborted) {
      partial = true;
      interruptedAt = stage.step;
      break;
    }
    const t0 = performance.now();
    const sys = stage.system();
    try {
      if (sys.dim !== starts.cols)
        throw new RnnscopeError(
          'SHAPE_MISMATCH',
          `snapshot at step ${stage.step} has dimension ${sys.dim}, but the starts have ${starts.cols} columns`,
        );
      const all = continuation && warm && warm.rows > 0 ? stackStates(starts, warm) : starts;
      const result = await findFixedPointsAsync(sys, all, {
        ...opts.fixedPoints,
        shouldStop: () => Boolean(opts.signal?.aborted),
        onProgress: opts.onProgress
          ? (p) => opts.onProgress!({ ...p, snapshot: k, step: stage.step })
          : undefined,
      });
      if (result.interrupted) {
        partial = true;
        interruptedAt = stage.step;
        break;
      }
      const kept = result.fixedPoints.filter((p) => p.kind === 'fixed' || includeSlow);
      const points = kept.map((p) => ({ point: trackPoint(p, stage.step, k, keepStates), x: p.x }));
      const ids = builder.add(stage.step, points);
      // Tracks hold copies of the points (the builder spreads them): find them by track id.
      ids.forEach((id, j) => {
        const track = builder.tracks[id];
        states.set(track.points[track.points.length - 1], points[j].x);
      });
      const continued = result.fixedPoints.filter((p) => p.kind === 'fixed' || p.kind === 'slow');
      warm = {
        rows: continued.length,
        cols: starts.cols,
        data: Float64Array.from(continued.flatMap((p) => p.x)),
      };
      const count = (s: string) => kept.filter((p) => p.stability === s).length;
      const summary: SnapshotSummary = {
        step: stage.step,
        snapshot: k,
        starts: all.rows,
        warmStarts: all.rows - starts.rows,
        fixed: result.summary.fixed,
        slow: result.summary.slow,
        notConverged: result.summary.notConverged,
        stable: count('stable'),
        unstable: count('unstable'),
        marginal: count('marginal'),
        tracks: ids,
        seconds: (performance.now() - t0) / 1000,
        warnings: result.warnings,
      };
      snapshots.push(summary);
      opts.onSnapshot?.(summary, k + 1, stages.length);
    } finally {
      release(sys);
    }
  }

  let pcaVarianceRatio: number[] | undefined;
  const all = [...states.entries()];
  if (components > 0 && all.length >= 2) {
    const X = {
      rows: all.length,
      cols: starts.cols,
      data: Float64Array.from(all.flatMap(([, x]) => x)),
    };
    const pca = pointPca(X, components);
    all.forEach(([p], i) => (p.pc = pca.scores[i]));
    pcaVarianceRatio = pca.varianceRatio.slice(0, components);
  }
  return {
    snapshots,
    tracks: builder.tracks,
    events: builder.events,
    scale,
    matchRadius: radius,
    ...(pcaVarianceRatio ? { pcaVarianceRatio } : {}),
    settings: {
      snapshots: stages.length,
      starts: starts.rows,
      continuation,
      matchTol,
      includeSlow,
    },
    partial,
    ...(interruptedAt !== undefined ? { interruptedAt } : {}),
  };
}
