/**
 * The explorer's fixed-point analysis (compute worker): sample visited states with the input
 * frozen, search from them plus jittered and off-manifold copies (the flip-flop's saddles and
 * central point lie off the trajectories), linearise, and prepare the picture — a PCA of
 * trajectories and points for N ≥ 3, a phase plane for 2-D systems. Seeded: the same model,
 * input and seed give the same points in the same order, so a shared URL selects the same point.
 */
import { findFixedPointsAsync } from '../../../src/analysis/fixed-points/drivers.js';
import {
  offManifoldStates,
  simulateForSampling,
} from '../../../src/analysis/fixed-points/prepare.js';
import { sampleStates, stackStates } from '../../../src/analysis/fixed-points/initial-states.js';
import type { FixedPoint, FixedPointProgress } from '../../../src/analysis/fixed-points/types.js';
import { projectFixedPoints } from '../../../src/analysis/pca-projection.js';
import type { Matrix } from '../../../src/linalg/matrix.js';
import { createRng } from '../../../src/random/rng.js';
import { phasePlane } from '../../../src/report/phase-plane.js';
import type { AnalysisView } from '../protocol.js';
import type { Subject } from './subject.js';

/**
 * Sampling: the CLI's runs × steps, more starts with jitter (FixedPointFinder-style). Above the
 * dense limit (N > 128, where each start costs Newton–Krylov iterations) fewer starts keep the
 * first picture within seconds.
 */
export function sampling(dim: number) {
  return dim <= 128
    ? { runs: 64, steps: 100, starts: 512, noise: 0.5, offManifold: 16 }
    : { runs: 16, steps: 100, starts: 48, noise: 0.5, offManifold: 4 };
}
/** Trajectories drawn in the PCA view (all are used for the fit). */
const DRAWN_TRAJECTORIES = 24;

/** What the worker keeps of an analysis to launch paths from it later. */
export interface AnalysisState {
  view: AnalysisView;
  input: Float64Array;
  fixedPoints: FixedPoint[];
  /** RMS distance of the visited states from their mean: the unit of perturbations. */
  radius: number;
  /** Picture coordinates of a state (PCA scores, or the state itself in 2-D). */
  toPicture(x: Float64Array): number[];
}

function rmsRadius(states: Matrix[]): number {
  const all = stackStates(...states);
  const n = all.cols;
  const mean = new Float64Array(n);
  for (let r = 0; r < all.rows; r++) for (let i = 0; i < n; i++) mean[i] += all.data[r * n + i];
  for (let i = 0; i < n; i++) mean[i] /= Math.max(1, all.rows);
  let s = 0;
  for (let r = 0; r < all.rows; r++)
    for (let i = 0; i < n; i++) s += (all.data[r * n + i] - mean[i]) ** 2;
  return Math.sqrt(s / Math.max(1, all.rows));
}

/** Box around the fixed points and the bulk (2nd–98th percentile) of the visited states, padded. */
function phaseBox(
  states: Matrix[],
  points: FixedPoint[],
): { x: [number, number]; y: [number, number] } {
  const box = [0, 1].map((c) => {
    const v: number[] = [];
    for (const S of states) for (let r = 0; r < S.rows; r++) v.push(S.data[r * 2 + c]);
    v.sort((a, b) => a - b);
    let lo = v.length ? v[Math.floor(0.02 * (v.length - 1))] : -1;
    let hi = v.length ? v[Math.ceil(0.98 * (v.length - 1))] : 1;
    for (const p of points) {
      lo = Math.min(lo, p.x[c]);
      hi = Math.max(hi, p.x[c]);
    }
    const pad = Math.max(0.15 * (hi - lo), 0.5);
    return [lo - pad, hi + pad] as [number, number];
  });
  return { x: box[0], y: box[1] };
}

/**
 * Runs the analysis for input `u` and `seed`. `onProgress` gets one line per progress report;
 * `signal` stops the search (the partial, labelled result is returned).
 */
export async function analyse(
  subject: Subject,
  u: Float64Array,
  seed: number,
  onProgress: (line: string) => void,
  signal: AbortSignal,
): Promise<AnalysisState> {
  const t0 = performance.now();
  const SAMPLING = sampling(subject.info.dim);
  const rng = createRng(seed);
  const target = subject.samplingTarget(u);
  const visited = simulateForSampling(target, {
    runs: SAMPLING.runs,
    steps: SAMPLING.steps,
    rng: rng.fork('trajectories'),
  });
  const starts = stackStates(
    sampleStates(visited.states, SAMPLING.starts, rng.fork('sampling'), {
      replace: true,
      noise: SAMPLING.noise,
    }),
    offManifoldStates(target, visited, SAMPLING.offManifold, rng.fork('off-manifold')),
  );
  const t1 = performance.now();
  const sys = subject.system(u);
  try {
    const result = await findFixedPointsAsync(sys, starts, {
      signal,
      progressInterval: 0.25,
      onProgress: (p: FixedPointProgress) =>
        onProgress(
          `${p.phase} ${p.iteration}: ${p.active}/${p.total} active, best q ${p.bestQ.toExponential(2)}`,
        ),
    });
    const t2 = performance.now();
    // Per-start outcomes stay here: the page shows the points.
    const shown: Partial<typeof result> = { ...result };
    delete shown.starts;
    const view: AnalysisView = {
      input: Array.from(u),
      seed,
      result: shown as AnalysisView['result'],
      millis: { sampling: t1 - t0, search: t2 - t1, picture: 0, total: 0 },
    };
    let toPicture: (x: Float64Array) => number[];
    if (subject.info.view === 'pca') {
      const projection = projectFixedPoints(visited.states, result.fixedPoints, sys.time, {
        components: 3,
      });
      // Only a subset is drawn; the fit used all of them.
      projection.trajectories = projection.trajectories.slice(0, DRAWN_TRAJECTORIES);
      view.projection = projection;
      const { mean, components } = projection;
      toPicture = (x) =>
        components.map((c) => {
          let s = 0;
          for (let i = 0; i < x.length; i++) s += (x[i] - mean[i]) * c[i];
          return s;
        });
    } else {
      const box = phaseBox(visited.states, result.fixedPoints);
      // A few faint trajectories from the sampled starts show the flow before any click.
      const starts = visited.states.slice(0, 6).map((S) => [S.data[0], S.data[1]]);
      const steps = sys.time === 'map' ? 100 : Math.round(20 / subject.info.dt);
      view.phase = phasePlane(sys, {
        xRange: box.x,
        yRange: box.y,
        trajectories: { starts, steps, dt: subject.info.dt },
      });
      toPicture = (x) => [x[0], x[1]];
    }
    const t3 = performance.now();
    view.millis.picture = t3 - t2;
    view.millis.total = t3 - t0;
    return {
      view,
      input: u,
      fixedPoints: result.fixedPoints,
      radius: rmsRadius(visited.states) || 1,
      toPicture,
    };
  } finally {
    subject.release(sys);
  }
}
