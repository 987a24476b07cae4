/**
 * The state-space picture of Sussillo & Barak / FixedPointFinder (seed 000 fig. 6, seed 003
 * figs. 5 and 7): trajectories and fixed points projected on the leading principal components,
 * stable points black, unstable red with short segments along their unstable eigenvectors, slow
 * points as open symbols, trajectories optionally coloured by a readout.
 */
import type { FixedPoint } from '../../analysis/fixed-points/types.js';
import type { FixedPointProjection } from '../../analysis/pca-projection.js';
import { RnnscopeError } from '../../errors.js';
import { COLORS, axis, baseLayout, short, stabilityColor, titleText } from '../style.js';
import type { Figure, PlotlyTrace } from '../types.js';

export interface StateSpaceInput {
  /** `projectFixedPoints(trajectories, fixedPoints, time, { components })`. */
  projection: FixedPointProjection;
  /** The points that were projected, in the same order (for kind, label, q, readout). */
  fixedPoints: readonly FixedPoint[];
  /** Colour trajectories by a value per state, e.g. readout channel 1 (same shape as the trajectories). */
  colorBy?: { label: string; values: number[][] };
  /** Draw at most this many trajectories (default all). */
  maxTrajectories?: number;
  id?: string;
  title?: string;
}

/** How a point is drawn: category (legend entry), colour, symbol. */
interface PointStyle {
  category: string;
  color: string;
  symbol: string;
}

function pointStyle(fp: FixedPoint | undefined, stability: string | undefined): PointStyle {
  const slow = fp?.kind === 'slow';
  const s = stability ?? 'not computed';
  const color = stabilityColor(s);
  const what = s === 'stable' || s === 'unstable' || s === 'marginal' ? s : 'unclassified';
  return {
    category: `${what} ${slow ? 'slow point' : 'fixed point'}`,
    color,
    symbol: slow ? 'diamond-open' : 'circle',
  };
}

const pcLabel = (p: FixedPointProjection, k: number) =>
  `PC${k + 1} (${short(100 * (p.explainedVarianceRatio[k] ?? 0), 3)} %)`;

/**
 * The PCA state-space figure, 3-D (scatter3d) or 2-D (scatter) by the projection's components.
 * `numbers` holds the projected trajectories, each point's projection, category and colour, and
 * the projected unstable-eigenvector segments.
 */
export function stateSpaceFigure(input: StateSpaceInput): Figure {
  const p = input.projection;
  const k = p.components.length;
  if (k !== 2 && k !== 3)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `the projection must have 2 or 3 components, got ${k}`,
    );
  if (input.fixedPoints.length !== p.fixedPoints.length)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `the projection has ${p.fixedPoints.length} fixed points but ${input.fixedPoints.length} were given`,
    );
  const three = k === 3;
  const type = three ? 'scatter3d' : 'scatter';
  const coords = (pts: number[][]) => {
    const o: Record<string, (number | null)[]> = {
      x: pts.map((q) => q[0]),
      y: pts.map((q) => q[1]),
    };
    if (three) o.z = pts.map((q) => q[2]);
    return o;
  };
  const nTraj = Math.min(p.trajectories.length, input.maxTrajectories ?? Infinity);
  const trajectories = p.trajectories.slice(0, nTraj);
  if (input.colorBy && input.colorBy.values.length < nTraj)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `colorBy has values for ${input.colorBy.values.length} trajectories, ${nTraj} are drawn`,
    );
  const data: PlotlyTrace[] = [];
  let cmin = Infinity;
  let cmax = -Infinity;
  if (input.colorBy) {
    for (let t = 0; t < nTraj; t++)
      for (const v of input.colorBy.values[t]) {
        cmin = Math.min(cmin, v);
        cmax = Math.max(cmax, v);
      }
  }
  trajectories.forEach((traj, t) => {
    const trace: PlotlyTrace = {
      type,
      name: 'trajectories',
      legendgroup: 'trajectories',
      showlegend: t === 0,
      ...coords(traj),
      hoverinfo: 'skip',
    };
    if (input.colorBy) {
      const values = input.colorBy.values[t].slice(0, traj.length);
      const colorbar =
        t === 0 ? { title: { text: input.colorBy.label }, thickness: 12 } : undefined;
      const scale = { colorscale: 'RdBu', cmin, cmax, showscale: t === 0, colorbar };
      if (three) {
        trace.mode = 'lines';
        trace.line = { width: 3, color: values, ...scale };
      } else {
        trace.mode = 'markers';
        trace.marker = { size: 4, color: values, ...scale };
      }
    } else {
      trace.mode = 'lines';
      trace.line = { width: three ? 2 : 1.2, color: COLORS.trajectory };
      trace.opacity = 0.8;
    }
    data.push(trace);
  });

  // Unstable eigenvector segments, one trace with gaps between segments.
  const seg: number[][] = [];
  const segments: { index: number; eigenvalue: [number, number]; from: number[]; to: number[] }[] =
    [];
  for (const fp of p.fixedPoints) {
    for (const m of fp.unstableModes) {
      segments.push({ index: fp.index, eigenvalue: m.eigenvalue, from: m.from, to: m.to });
      seg.push(m.from, m.to, new Array(k).fill(null));
    }
  }
  if (seg.length > 0) {
    data.push({
      type,
      mode: 'lines',
      name: 'unstable directions',
      ...coords(seg),
      line: { color: COLORS.unstable, width: three ? 4 : 2 },
      hoverinfo: 'skip',
    });
  }

  // Points grouped by category, so each gets one legend entry.
  const points = p.fixedPoints.map((pp, i) => {
    const fp = input.fixedPoints[i];
    const style = pointStyle(fp, pp.stability);
    return {
      index: pp.index,
      point: pp.point,
      kind: fp.kind,
      stability: pp.stability ?? 'not computed',
      label: fp.label ?? null,
      q: fp.q,
      output: fp.output ?? null,
      ...style,
    };
  });
  const categories = [...new Set(points.map((q) => q.category))];
  for (const cat of categories) {
    const members = points.filter((q) => q.category === cat);
    data.push({
      type,
      mode: 'markers',
      name: `${cat}s (${members.length})`,
      ...coords(members.map((q) => q.point)),
      marker: {
        color: members[0].color,
        symbol: members[0].symbol,
        size: three ? 5 : 9,
        line: { color: members[0].color, width: 1.5 },
      },
      text: members.map(
        (q) =>
          `#${q.index} ${q.label ?? q.stability} (${q.kind})<br>q = ${q.q.toExponential(2)}` +
          (q.output ? `<br>z = (${q.output.map((v) => short(v, 3)).join(', ')})` : ''),
      ),
      hoverinfo: 'text',
    });
  }

  const title = input.title ?? `State space (PCA, ${k}-D)`;
  const explained = p.explainedVarianceRatio.reduce((s, v) => s + v, 0);
  const subtitle = `${points.length} fixed/slow points, ${nTraj} trajectories; ${short(100 * explained, 3)} % of the variance`;
  const layout = three
    ? baseLayout(titleText(title, subtitle), {
        scene: {
          xaxis: { title: { text: pcLabel(p, 0) } },
          yaxis: { title: { text: pcLabel(p, 1) } },
          zaxis: { title: { text: pcLabel(p, 2) } },
          aspectmode: 'cube',
          camera: { eye: { x: 1.5, y: 1.5, z: 1.1 } },
        },
        legend: { x: 0, y: 1, bgcolor: 'rgba(255,255,255,0.7)' },
        margin: { l: 10, r: 10, t: 80, b: 10 },
      })
    : baseLayout(titleText(title, subtitle), {
        ...(input.colorBy ? { legend: { orientation: 'h', x: 0, y: -0.18 } } : {}),
        xaxis: axis(pcLabel(p, 0)),
        yaxis: axis(pcLabel(p, 1), { scaleanchor: 'x', scaleratio: 1 }),
      });
  return {
    id: input.id ?? `state-space-${k}d`,
    title,
    data,
    layout,
    numbers: {
      components: k,
      explainedVarianceRatio: p.explainedVarianceRatio.slice(),
      trajectories,
      ...(input.colorBy
        ? { colorBy: { label: input.colorBy.label, values: input.colorBy.values.slice(0, nTraj) } }
        : {}),
      fixedPoints: points.map((q) => ({
        index: q.index,
        point: q.point,
        kind: q.kind,
        stability: q.stability,
        label: q.label,
        q: q.q,
        output: q.output,
        category: q.category,
        color: q.color,
        symbol: q.symbol,
      })),
      unstableSegments: segments,
    },
  };
}
