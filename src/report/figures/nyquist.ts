/**
 * Mean-field theory against a finite network (seed 001 fig. 1): left, the closed-loop spectrum —
 * the bulk disk of radius ρ about −1 and the outliers the feedback moves, predicted and measured;
 * right, the open-loop gain G_OL(iω) with the critical point 1 + 0i of the Nyquist criterion
 * (docs/mean-field.md explains why 1 and not the caption's 0 + 1i).
 */
import type { MeanFieldReport } from '../../analysis/meanfield/report.js';
import { COLORS, axis, baseLayout, complexLabel, short, titleText } from '../style.js';
import type { Figure, PlotlyTrace } from '../types.js';
import { circlePoints } from './eigenvalues.js';

export interface NyquistInput {
  report: MeanFieldReport;
  id?: string;
  title?: string;
}

/**
 * Two panels: (left) mean-field outliers (red ×) and bulk circle |λ + 1| = ρ, with the finite
 * network's outliers (blue dots) and measured bulk radius when `report.finite` is present;
 * (right) Re/Im of G_OL(iω) on the reported ω grid — mean field (red) and finite (blue) — and
 * the critical point 1 + 0i. `numbers`: all of these and the Nyquist verdict.
 */
export function nyquistFigure(input: NyquistInput): Figure {
  const r = input.report;
  const f = r.finite;
  const data: PlotlyTrace[] = [];
  const circle = (radius: number) => circlePoints([-1, 0], radius);
  const bulk = circle(r.rho);
  data.push({
    type: 'scatter',
    mode: 'lines',
    name: `mean-field bulk |λ+1| = ρ = ${short(r.rho, 3)}`,
    x: bulk.map((p) => p[0]),
    y: bulk.map((p) => p[1]),
    line: { color: COLORS.theory, width: 1.5 },
    hoverinfo: 'name',
  });
  data.push({
    type: 'scatter',
    mode: 'markers',
    name: 'mean-field outliers',
    x: r.outliers.map((l) => l[0]),
    y: r.outliers.map((l) => l[1]),
    marker: { color: COLORS.theory, symbol: 'x', size: 11 },
    text: r.outliers.map((l) => complexLabel(l, 4)),
    hoverinfo: 'text',
  });
  if (f) {
    const fb = circle(f.bulkRadius);
    data.push(
      {
        type: 'scatter',
        mode: 'lines',
        name: `N = ${f.N} bulk radius ${short(f.bulkRadius, 3)}`,
        x: fb.map((p) => p[0]),
        y: fb.map((p) => p[1]),
        line: { color: COLORS.finite, width: 1.5, dash: 'dash' },
        hoverinfo: 'name',
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: `N = ${f.N} outliers`,
        x: f.outliers.map((l) => l[0]),
        y: f.outliers.map((l) => l[1]),
        marker: { color: COLORS.finite, size: 8 },
        text: f.outliers.map((l) => complexLabel(l, 4)),
        hoverinfo: 'text',
      },
    );
  }
  const gain = (rows: [number, number, number][], name: string, color: string, dash: string) => ({
    type: 'scatter',
    mode: 'lines',
    name,
    x: rows.map((g) => g[1]),
    y: rows.map((g) => g[2]),
    line: { color, width: 2, dash },
    text: rows.map((g) => `ω = ${short(g[0], 3)}`),
    hoverinfo: 'text',
    xaxis: 'x2',
    yaxis: 'y2',
  });
  data.push(gain(r.gainOpenLoop, 'G_OL(iω), mean field', COLORS.theory, 'solid'));
  if (f) data.push(gain(f.gainOpenLoop, `G_N(iω), N = ${f.N}`, COLORS.finite, 'dot'));
  data.push({
    type: 'scatter',
    mode: 'markers',
    name: 'critical point 1 + 0i',
    x: [1],
    y: [0],
    marker: { color: '#000000', symbol: 'cross', size: 12 },
    xaxis: 'x2',
    yaxis: 'y2',
  });
  const title = input.title ?? 'Mean field: closed-loop spectrum and Nyquist plot';
  const verdict =
    `level A = ${short(r.amplitude)}: λ_out = ${short(r.lambdaOut, 4)}; ${r.nyquist.encirclements} encirclement(s) of 1 ⇒ ` +
    (r.nyquist.stable ? 'stable' : 'unstable');
  return {
    id: input.id ?? 'nyquist',
    title,
    data,
    layout: baseLayout(titleText(title, verdict), {
      xaxis: axis('Re λ', { domain: [0, 0.42], zeroline: true }),
      yaxis: axis('Im λ', { zeroline: true, scaleanchor: 'x', scaleratio: 1 }),
      xaxis2: axis('Re G', { domain: [0.6, 1], anchor: 'y2', zeroline: true }),
      yaxis2: axis('Im G', { anchor: 'x2', zeroline: true }),
      height: 480,
    }),
    numbers: {
      amplitude: r.amplitude,
      levels: r.levels,
      rho: r.rho,
      outliers: r.outliers,
      lambdaOut: r.lambdaOut,
      gainOpenLoop: r.gainOpenLoop,
      criticalPoint: r.nyquist.criticalPoint,
      encirclements: r.nyquist.encirclements,
      stable: r.nyquist.stable,
      ...(f
        ? {
            finite: {
              N: f.N,
              seed: f.seed,
              bulkRadius: f.bulkRadius,
              outliers: f.outliers,
              gainOpenLoop: f.gainOpenLoop,
              gainError: f.gainError,
            },
          }
        : {}),
    },
  };
}
