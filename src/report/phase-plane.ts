/**
 * Everything a 2-D phase portrait shows, computed from the system (seed 000 fig. 2, seed 003
 * fig. 6): the vector field on a grid, the nullclines F₁ = 0 and F₂ = 0, contours of
 * log₁₀ q with q = ½‖F‖², and trajectories integrated by RK4. Plain data; the figure only draws.
 */
import { RnnscopeError } from '../errors.js';
import { integrate } from '../systems/integrate.js';
import type { DynamicalSystem } from '../systems/types.js';
import { contourLines, linspace, type Polyline } from './contour.js';

export interface PhasePlaneOptions {
  xRange: [number, number];
  yRange: [number, number];
  /** Arrows per side of the vector-field grid (default 17). */
  arrows?: number;
  /** Grid points per side for nullclines and q contours (default 121). */
  resolution?: number;
  /** log₁₀ q levels of the contours (default: whole decades between the 5th and 95th percentile, at most 8). */
  qLevels?: number[];
  /**
   * Trajectories: start points, steps and step size (RK4 for flows; maps are iterated), keeping
   * every `every`-th state (default 1).
   */
  trajectories?: { starts: number[][]; steps: number; dt: number; every?: number };
}

export interface PhasePlaneArrow {
  /** Base of the arrow. */
  x: number;
  y: number;
  /** F(x, y): the velocity (flows) or displacement G(x) − x (maps). */
  vx: number;
  vy: number;
  /** ‖F‖. */
  speed: number;
  /** Drawn tip: the base plus a fixed length along F. */
  tip: [number, number];
}

export interface PhasePlane {
  xRange: [number, number];
  yRange: [number, number];
  time: 'flow' | 'map';
  arrows: PhasePlaneArrow[];
  /** F₁ = 0 (component 0) and F₂ = 0 (component 1) as polylines. */
  nullclines: { component: 0 | 1; lines: Polyline[] }[];
  /** Contours of log₁₀ q (q = ½‖F‖², the system's units). */
  qContours: { log10q: number; lines: Polyline[] }[];
  /** Integrated trajectories, each a list of [x, y], cut where they leave twice the plotted box. */
  trajectories: number[][][];
}

function checkRange(r: [number, number], what: string): void {
  if (!(Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] < r[1]))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `${what} must be [lo, hi] with lo < hi, got [${r}]`,
    );
}

/** Whole decades between the 5th and 95th percentile of the finite values, at most `max`. */
function decadeLevels(values: number[], max = 8): number[] {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return [];
  const lo = Math.ceil(v[Math.floor(0.05 * (v.length - 1))]);
  const hi = Math.floor(v[Math.floor(0.95 * (v.length - 1))]);
  if (hi < lo) return [Math.round(0.5 * (v[0] + v[v.length - 1]))];
  const step = Math.max(1, Math.ceil((hi - lo + 1) / max));
  const out: number[] = [];
  for (let l = lo; l <= hi; l += step) out.push(l);
  return out;
}

/**
 * Samples a 2-D system for a phase portrait.
 *
 * - arrows: F at an `arrows`² grid, each drawn with length 0.8 × the grid spacing along F;
 * - nullclines: marching squares on a `resolution`² grid, every vertex refined by bisection so
 *   |F_i| is at round-off there;
 * - q contours: log₁₀ q = ℓ for the levels ℓ (q = 0 counts as −∞);
 * - trajectories: `integrate` (RK4 with step dt for flows), stopped at the first state outside
 *   twice the box or at non-finite states.
 */
export function phasePlane(sys: DynamicalSystem, opts: PhasePlaneOptions): PhasePlane {
  if (sys.dim !== 2)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `a phase portrait needs a 2-D system, got ${sys.dim} dimensions`,
    );
  checkRange(opts.xRange, 'xRange');
  checkRange(opts.yRange, 'yRange');
  const [x0, x1] = opts.xRange;
  const [y0, y1] = opts.yRange;
  const s = new Float64Array(2);
  const F = new Float64Array(2);
  const velocity = (x: number, y: number): Float64Array => {
    s[0] = x;
    s[1] = y;
    sys.velocity(s, F);
    return F;
  };

  const na = opts.arrows ?? 17;
  const ax = linspace(x0, x1, na);
  const ay = linspace(y0, y1, na);
  const len = 0.8 * Math.min((x1 - x0) / Math.max(1, na - 1), (y1 - y0) / Math.max(1, na - 1));
  const arrows: PhasePlaneArrow[] = [];
  for (const y of ay) {
    for (const x of ax) {
      const [vx, vy] = velocity(x, y);
      const speed = Math.hypot(vx, vy);
      if (!Number.isFinite(speed)) continue;
      const k = speed > 0 ? len / speed : 0;
      arrows.push({ x, y, vx, vy, speed, tip: [x + k * vx, y + k * vy] });
    }
  }

  const nr = opts.resolution ?? 121;
  const gx = linspace(x0, x1, nr);
  const gy = linspace(y0, y1, nr);
  const component = (c: 0 | 1) => (x: number, y: number) => velocity(x, y)[c];
  const nullclines = ([0, 1] as const).map((c) => ({
    component: c,
    lines: contourLines(component(c), gx, gy, 0),
  }));

  const logQ = (x: number, y: number) => {
    const v = velocity(x, y);
    return Math.log10(0.5 * (v[0] * v[0] + v[1] * v[1]));
  };
  const qGrid = gy.map((y) => gx.map((x) => logQ(x, y)));
  const levels = opts.qLevels ?? decadeLevels(qGrid.flat());
  const qContours = levels.map((l) => ({ log10q: l, lines: contourLines(logQ, gx, gy, l, qGrid) }));

  const trajectories: number[][][] = [];
  if (opts.trajectories) {
    const { starts, steps, dt, every } = opts.trajectories;
    const bx = [x0 - (x1 - x0) / 2, x1 + (x1 - x0) / 2];
    const by = [y0 - (y1 - y0) / 2, y1 + (y1 - y0) / 2];
    for (const start of starts) {
      let path;
      try {
        path = integrate(sys, Float64Array.from(start), steps, { dt, method: 'rk4', every });
      } catch (e) {
        if (e instanceof RnnscopeError && e.code === 'DIVERGED') continue;
        throw e;
      }
      const pts: number[][] = [];
      for (let r = 0; r < path.rows; r++) {
        const x = path.data[2 * r];
        const y = path.data[2 * r + 1];
        if (!(x >= bx[0] && x <= bx[1] && y >= by[0] && y <= by[1])) break;
        pts.push([x, y]);
      }
      trajectories.push(pts);
    }
  }
  return {
    xRange: [x0, x1],
    yRange: [y0, y1],
    time: sys.time,
    arrows,
    nullclines,
    qContours,
    trajectories,
  };
}
