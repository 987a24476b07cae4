/**
 * The low-dimensional picture of a fixed-point analysis (seed 003 §2.3, FixedPointFinder's
 * plot_fps): PCA fitted to the trajectories together with the fixed points, everything projected
 * onto the 2 or 3 leading components, and short segments along the unstable eigenvectors of each
 * unstable point. Plain data for the report and the browser to draw.
 */
import { RnnscopeError } from '../errors.js';
import { pca, projectOnto, type Matrix } from '../linalg/index.js';
import { stackStates } from './fixed-points/initial-states.js';
import { growth } from './fixed-points/stability.js';
import type { FixedPoint } from './fixed-points/types.js';

export interface ProjectionOptions {
  /** 2 or 3 components (default 3). */
  components?: 2 | 3;
  /** Half-length of the eigenvector segments, as a fraction of the data's RMS radius (default 0.25). */
  modeScale?: number;
  /** Fit the PCA to the trajectories only, not to the fixed points too (default false). */
  trajectoriesOnly?: boolean;
}

export interface FixedPointProjection {
  /** N×k principal axes as k arrays of N numbers. */
  components: number[][];
  mean: number[];
  explainedVarianceRatio: number[];
  /** Each trajectory projected, T×k. */
  trajectories: number[][][];
  fixedPoints: {
    index: number;
    point: number[];
    stability: FixedPoint['stability'];
    /** Segments x* ± s·Re(v)/‖Re(v)‖ for each unstable mode, projected. */
    unstableModes: { eigenvalue: [number, number]; from: number[]; to: number[] }[];
  }[];
}

function rowsOf(M: Matrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < M.rows; r++)
    out.push(Array.from(M.data.subarray(r * M.cols, (r + 1) * M.cols)));
  return out;
}

/**
 * Projects trajectories (each T×N) and fixed points onto the leading principal components of
 * their union (PCA by the shared streamed `pca`). Unstable modes (growth > 0 by the system's time
 * convention) are drawn as segments of half-length modeScale·ρ through x*, where ρ is the RMS
 * distance of the data from its mean — FixedPointFinder scales by |λ| instead, which makes the
 * segments of a slow flow invisible.
 *
 * @example
 * const pic = projectFixedPoints([states], result.fixedPoints, 'flow', { components: 3 });
 */
export function projectFixedPoints(
  trajectories: readonly Matrix[],
  fixedPoints: readonly FixedPoint[],
  time: 'flow' | 'map',
  opts: ProjectionOptions = {},
): FixedPointProjection {
  const k = opts.components ?? 3;
  if (k !== 2 && k !== 3)
    throw new RnnscopeError('INVALID_ARGUMENT', `components must be 2 or 3, got ${k}`);
  const n = trajectories.length > 0 ? trajectories[0].cols : (fixedPoints[0]?.x.length ?? 0);
  const fpMatrix: Matrix = {
    rows: fixedPoints.length,
    cols: n,
    data: Float64Array.from(fixedPoints.flatMap((p) => p.x)),
  };
  const fitParts = [...trajectories];
  if (!opts.trajectoriesOnly && fixedPoints.length > 0) fitParts.push(fpMatrix);
  const all = stackStates(...fitParts);
  if (all.rows < 2) throw new RnnscopeError('INVALID_ARGUMENT', 'PCA needs at least two states');
  if (n < k)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `PCA to ${k} components needs ≥ ${k} dimensions, got ${n}`,
    );
  const p = pca(all, { components: k });
  const radius = Math.sqrt(p.totalVariance);
  const scale = (opts.modeScale ?? 0.25) * radius;
  const project = (X: Matrix) => rowsOf(projectOnto(p, X));
  const fps = fixedPoints.map((fp, index) => {
    const segs: FixedPointProjection['fixedPoints'][number]['unstableModes'] = [];
    for (const mode of fp.modes ?? []) {
      if (!mode.vector || !(growth(mode.eigenvalue[0], mode.eigenvalue[1], time) > 0)) continue;
      const v = mode.vector.re;
      const norm = Math.hypot(...v);
      if (!(norm > 0)) continue;
      const ends: Matrix = { rows: 2, cols: n, data: new Float64Array(2 * n) };
      for (let i = 0; i < n; i++) {
        ends.data[i] = fp.x[i] - (scale * v[i]) / norm;
        ends.data[n + i] = fp.x[i] + (scale * v[i]) / norm;
      }
      const [from, to] = project(ends);
      segs.push({ eigenvalue: mode.eigenvalue, from, to });
    }
    return {
      index,
      point: project({ rows: 1, cols: n, data: Float64Array.from(fp.x) })[0],
      stability: fp.stability,
      unstableModes: segs,
    };
  });
  const comps: number[][] = [];
  for (let c = 0; c < k; c++) {
    const col = new Array<number>(n);
    for (let i = 0; i < n; i++) col[i] = p.components.data[i * k + c];
    comps.push(col);
  }
  return {
    components: comps,
    mean: Array.from(p.mean),
    explainedVarianceRatio: Array.from(p.explainedVarianceRatio),
    trajectories: trajectories.map(project),
    fixedPoints: fps,
  };
}
