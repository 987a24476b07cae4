/**
 * FitzHugh–Nagumo fixed-point voltage v* against the current I_ext: the analytic branch(es) of
 * the cubic (seed 003 eq. 12) next to fixed points found numerically — of the FitzHugh–Nagumo
 * system itself, or of a network trained to imitate it, translated to ṽ* = z(x*)/vScale
 * (seed 003 §5.2, fig. 9).
 */
import { RnnscopeError } from '../../errors.js';
import { COLORS, axis, baseLayout, short, stabilityColor, titleText } from '../style.js';
import type { Figure, PlotlyTrace } from '../types.js';

export interface FhnPoint {
  /** I_ext. */
  current: number;
  /** v* (or the network's ṽ*). */
  v: number;
  stability?: string;
}

export interface FhnBifurcationInput {
  /** `fhnFixedPointCurve(a, b, currents)`. */
  analytic: { current: number[]; v: number[][] };
  /** Numerically found fixed points. */
  points: FhnPoint[];
  /** What the points are, for the legend (e.g. "network ṽ* = z(x*)/0.5"). */
  pointsLabel: string;
  id?: string;
  title?: string;
  subtitle?: string;
}

/**
 * Analytic v*(I) as lines (one per real-root branch) and the numerical points coloured by
 * stability. `numbers`: the branches, the points, and each point's distance to the analytic v*
 * at its current, interpolated linearly along the sampled branch nearest to it.
 */
export function fhnBifurcationFigure(input: FhnBifurcationInput): Figure {
  const { current, v } = input.analytic;
  if (current.length !== v.length || current.length < 2)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      'the analytic curve needs at least two currents with their roots',
    );
  // Branches: the k-th smallest root where k roots exist (one branch for the seed's parameters).
  const maxRoots = Math.max(...v.map((r) => r.length));
  const branches = Array.from({ length: maxRoots }, (_, k) =>
    current.map((I, i) => (v[i].length === maxRoots ? v[i][k] : k === 0 ? v[i][0] : null)),
  );
  const data: PlotlyTrace[] = branches.map((b, k) => ({
    type: 'scatter',
    mode: 'lines',
    name: k === 0 ? 'analytic v* (cubic root)' : `analytic v*, root ${k + 1}`,
    legendgroup: 'analytic',
    showlegend: k === 0,
    x: current,
    y: b,
    line: { color: COLORS.finite, width: 2 },
  }));
  const interp = (I: number, vv: number): number | null => {
    // Nearest root of the sampled curve at I, interpolated between neighbouring currents.
    let i = 0;
    while (i < current.length - 2 && current[i + 1] < I) i++;
    const t = (I - current[i]) / (current[i + 1] - current[i]);
    if (t < -1e-9 || t > 1 + 1e-9) return null;
    let best: number | null = null;
    for (let k = 0; k < maxRoots; k++) {
      const a = branches[k][i];
      const b = branches[k][i + 1];
      if (a === null || b === null) continue;
      const r = a + t * (b - a);
      if (best === null || Math.abs(r - vv) < Math.abs(best - vv)) best = r;
    }
    return best;
  };
  const points = input.points.map((p) => {
    const ref = interp(p.current, p.v);
    return {
      ...p,
      stability: p.stability ?? 'not computed',
      analytic: ref,
      error: ref === null ? null : p.v - ref,
    };
  });
  for (const s of [...new Set(points.map((p) => p.stability))]) {
    const m = points.filter((p) => p.stability === s);
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: `${input.pointsLabel}: ${s} (${m.length})`,
      x: m.map((p) => p.current),
      y: m.map((p) => p.v),
      marker: { color: stabilityColor(s), size: 8, symbol: 'x' },
      text: m.map(
        (p) =>
          `I = ${short(p.current)}, v = ${short(p.v)}` +
          (p.error === null ? '' : `, error ${short(p.error, 3)}`),
      ),
      hoverinfo: 'text',
    });
  }
  const errs = points.filter((p) => p.error !== null).map((p) => Math.abs(p.error!));
  const maxErr = errs.length ? Math.max(...errs) : null;
  const title = input.title ?? 'FitzHugh–Nagumo fixed point v* against I_ext';
  const subtitle =
    input.subtitle ?? (maxErr === null ? undefined : `largest |v − v*| = ${short(maxErr, 3)}`);
  return {
    id: input.id ?? 'fhn-bifurcation',
    title,
    data,
    layout: baseLayout(titleText(title, subtitle), {
      xaxis: axis('I_ext'),
      yaxis: axis('v*'),
    }),
    numbers: {
      analytic: { current, branches },
      points,
      maxAbsError: maxErr,
    },
  };
}
