/**
 * 2-D phase portrait (seed 000 fig. 2, seed 003 fig. 6): q contours, the vector field, both
 * nullclines, trajectories, and the fixed points by type. The sampling is `phasePlane`'s; this
 * file only draws it.
 */
import type { FixedPoint } from '../../analysis/fixed-points/types.js';
import { RnnscopeError } from '../../errors.js';
import type { PhasePlane } from '../phase-plane.js';
import {
  COLORS,
  axis,
  baseLayout,
  labelSymbol,
  short,
  stabilityColor,
  titleText,
} from '../style.js';
import type { Figure, PlotlyTrace } from '../types.js';

export interface PhasePortraitInput {
  plane: PhasePlane;
  /** 2-D fixed/slow points (e.g. `findFixedPoints(sys, …).fixedPoints`). */
  fixedPoints: readonly FixedPoint[];
  /** Names of the two variables (default x, y). */
  names?: [string, string];
  id?: string;
  title?: string;
  subtitle?: string;
}

/** Concatenates polylines into one coordinate list with null gaps (one trace, many lines). */
function withGaps(lines: number[][][]): { x: (number | null)[]; y: (number | null)[] } {
  const x: (number | null)[] = [];
  const y: (number | null)[] = [];
  lines.forEach((l, i) => {
    if (i > 0) {
      x.push(null);
      y.push(null);
    }
    for (const p of l) {
      x.push(p[0]);
      y.push(p[1]);
    }
  });
  return { x, y };
}

/**
 * The phase portrait of `plane` with `fixedPoints`. Arrows are drawn with a 30 % head at ±25°;
 * the head is geometry of the drawing only. `numbers`: the arrows, nullclines, q contours,
 * trajectories and points exactly as sampled.
 */
export function phasePortraitFigure(input: PhasePortraitInput): Figure {
  const pl = input.plane;
  const [nx, ny] = input.names ?? ['x', 'y'];
  for (const fp of input.fixedPoints)
    if (fp.x.length !== 2)
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `phase portraits take 2-D points, got ${fp.x.length}-D`,
      );
  const data: PlotlyTrace[] = [];
  pl.qContours.forEach((c, i) => {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'log₁₀ q contours',
      legendgroup: 'q',
      showlegend: i === 0,
      ...withGaps(c.lines),
      line: { color: COLORS.contour, width: 1 },
      text: `log₁₀ q = ${c.log10q}`,
      hoverinfo: 'text',
    });
  });
  const shafts: number[][][] = [];
  const heads: number[][][] = [];
  for (const a of pl.arrows) {
    const dx = a.tip[0] - a.x;
    const dy = a.tip[1] - a.y;
    if (dx === 0 && dy === 0) continue;
    shafts.push([
      [a.x, a.y],
      [a.tip[0], a.tip[1]],
    ]);
    const head = (angle: number) => {
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      return [a.tip[0] - 0.3 * (c * dx - s * dy), a.tip[1] - 0.3 * (s * dx + c * dy)];
    };
    const ang = (25 * Math.PI) / 180;
    heads.push([head(ang), [a.tip[0], a.tip[1]], head(-ang)]);
  }
  data.push({
    type: 'scatter',
    mode: 'lines',
    name: pl.time === 'map' ? 'displacement G(x) − x' : 'vector field',
    ...withGaps([...shafts, ...heads]),
    line: { color: COLORS.arrow, width: 1 },
    hoverinfo: 'skip',
  });
  const dot = pl.time === 'map' ? 'Δ' : 'd';
  pl.nullclines.forEach((n) => {
    const v = n.component === 0 ? nx : ny;
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: pl.time === 'map' ? `Δ${v} = 0` : `${dot}${v}/dt = 0`,
      ...withGaps(n.lines),
      line: { color: COLORS.nullcline[n.component], width: 2 },
      hoverinfo: 'name',
    });
  });
  pl.trajectories.forEach((t, i) => {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'trajectories',
      legendgroup: 'trajectories',
      showlegend: i === 0,
      x: t.map((p) => p[0]),
      y: t.map((p) => p[1]),
      line: { color: COLORS.trajectory, width: 1.5 },
      hoverinfo: 'skip',
    });
  });
  const starts = pl.trajectories.filter((t) => t.length > 0).map((t) => t[0]);
  if (starts.length > 0) {
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'trajectory starts',
      legendgroup: 'trajectories',
      showlegend: false,
      x: starts.map((p) => p[0]),
      y: starts.map((p) => p[1]),
      marker: { color: COLORS.trajectory, size: 5 },
      hoverinfo: 'skip',
    });
  }
  const points = input.fixedPoints.map((fp, index) => ({
    index,
    x: fp.x.slice(),
    kind: fp.kind,
    label: fp.label ?? null,
    stability: fp.stability ?? 'not computed',
    q: fp.q,
    eigenvalues: fp.eigenvalues ?? null,
    group: `${fp.label ?? fp.stability ?? 'unclassified'}${fp.kind === 'slow' ? ' (slow)' : ''}`,
    symbol: labelSymbol(fp.label, fp.kind === 'slow'),
    color: stabilityColor(fp.stability),
  }));
  for (const g of [...new Set(points.map((p) => p.group))]) {
    const m = points.filter((p) => p.group === g);
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: `${g} (${m.length})`,
      x: m.map((p) => p.x[0]),
      y: m.map((p) => p.x[1]),
      marker: {
        color: m[0].color,
        symbol: m[0].symbol,
        size: 12,
        line: { color: m[0].color, width: 2 },
      },
      text: m.map(
        (p) =>
          `#${p.index} ${g}<br>(${short(p.x[0])}, ${short(p.x[1])})<br>q = ${p.q.toExponential(2)}`,
      ),
      hoverinfo: 'text',
    });
  }
  const title = input.title ?? 'Phase portrait';
  return {
    id: input.id ?? 'phase-portrait',
    title,
    data,
    layout: baseLayout(titleText(title, input.subtitle), {
      xaxis: axis(nx, { range: pl.xRange }),
      yaxis: axis(ny, { range: pl.yRange, scaleanchor: 'x', scaleratio: 1 }),
      height: 560,
    }),
    numbers: {
      xRange: pl.xRange,
      yRange: pl.yRange,
      time: pl.time,
      arrows: pl.arrows,
      nullclines: pl.nullclines,
      qContours: pl.qContours,
      trajectories: pl.trajectories,
      fixedPoints: points.map(({ group: _g, symbol: _s, color: _c, ...rest }) => rest),
    },
  };
}
