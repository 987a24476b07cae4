/**
 * Eigenvalues in the complex plane (seed 004 figs. 8–9): the recurrent matrix before and after
 * training with the unit circle and the model's stability boundary, the eigenvalues whose modes
 * grow labelled; and the Jacobian spectra of the fixed points with the boundary of their time
 * convention (unit circle for maps, imaginary axis for flows).
 */
import type { FixedPoint } from '../../analysis/fixed-points/types.js';
import { isGrowing, type ModeConvention } from '../../analysis/spectrum/modes.js';
import type { ModelSpectrum } from '../../analysis/spectrum/report.js';
import { COLORS, axis, baseLayout, complexLabel, stabilityColor, titleText } from '../style.js';
import type { ComplexPair, Figure, PlotlyTrace } from '../types.js';

/** Where modes of W start to grow: a vertical line Re λ = c (flows) or a circle (maps). */
export type StabilityBoundary =
  | { type: 'line'; re: number }
  | { type: 'circle'; center: ComplexPair; radius: number }
  | { type: 'none' };

/**
 * The stability boundary in the λ-plane of W for a model's convention (docs/spectrum.md), with
 * γ = φ′(0): rate Re λ = 1/γ; ctrnn Re λ = 1/(γτ); rnn |λ| = 1/γ; leaky-esn
 * |λ − (α − 1)/(αγ)| = 1/(αγ). γ = 0: no mode of W can grow ('none').
 */
export function stabilityBoundary(c: ModeConvention): StabilityBoundary {
  const g = c.gain;
  if (!(g !== 0 && Number.isFinite(g))) return { type: 'none' };
  switch (c.kind) {
    case 'rate':
      return { type: 'line', re: 1 / g };
    case 'ctrnn':
      return { type: 'line', re: 1 / (g * c.tau!) };
    case 'rnn':
      return { type: 'circle', center: [0, 0], radius: 1 / Math.abs(g) };
    case 'leaky-esn': {
      const a = c.alpha!;
      return { type: 'circle', center: [(a - 1) / (a * g), 0], radius: 1 / Math.abs(a * g) };
    }
  }
}

/** Points of a circle, closed (first = last). */
export function circlePoints(center: ComplexPair, radius: number, n = 180): ComplexPair[] {
  return Array.from({ length: n + 1 }, (_, k) => {
    const t = (2 * Math.PI * k) / n;
    return [center[0] + radius * Math.cos(t), center[1] + radius * Math.sin(t)] as ComplexPair;
  });
}

function extent(values: ComplexPair[], pad = 1.15): number {
  let m = 1;
  for (const [re, im] of values) m = Math.max(m, Math.abs(re), Math.abs(im));
  return m * pad;
}

export interface EigenvalueInput {
  /** The trained model's spectrum (`modelSpectrum`). */
  spectrum: ModelSpectrum;
  /** The same network before training. */
  initial?: ModelSpectrum;
  /** Plot W (default) or the closed-loop W + Wfb·Wout (`effective`, when the model has feedback). */
  matrix?: 'W' | 'effective';
  /** Label at most this many growing eigenvalues (default 8; conjugates share a label). */
  maxLabels?: number;
  id?: string;
  title?: string;
}

/**
 * Eigenvalues of W (or W + Wfb·Wout) in the complex plane: after training (red), before (light
 * blue, when given), the unit circle (radius 1), the stability boundary of the model's time
 * convention when it differs from the unit circle, and labels on the growing modes.
 * `numbers`: the eigenvalues, the circle, the boundary, the labelled outliers.
 */
export function eigenvalueFigure(input: EigenvalueInput): Figure {
  const which = input.matrix ?? 'W';
  const pick = (s: ModelSpectrum) => (which === 'effective' ? (s.effective ?? s) : s);
  const trained = pick(input.spectrum);
  const initial = input.initial ? pick(input.initial) : undefined;
  const conv = input.spectrum.convention;
  const boundary = stabilityBoundary(conv);
  const sameAsUnit =
    boundary.type === 'circle' && boundary.center[0] === 0 && Math.abs(boundary.radius - 1) < 1e-12;
  const tol = 1e-9;
  const growing = trained.eigenvalues.filter((l) => isGrowing(conv, l, tol));
  const labelled = growing.filter((l) => l[1] >= 0).slice(0, input.maxLabels ?? 8);
  const all = [...trained.eigenvalues, ...(initial?.eigenvalues ?? [])];
  const r = extent(all);
  const unit = circlePoints([0, 0], 1);
  const data: PlotlyTrace[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: sameAsUnit ? 'unit circle (stability boundary)' : 'unit circle',
      x: unit.map((p) => p[0]),
      y: unit.map((p) => p[1]),
      line: { color: '#888888', width: 1, dash: sameAsUnit ? 'solid' : 'dot' },
      hoverinfo: 'skip',
    },
  ];
  let boundaryNumbers: Record<string, unknown> = { type: 'none' };
  if (boundary.type === 'line') {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `stability boundary Re λ = ${complexLabel([boundary.re, 0])}`,
      x: [boundary.re, boundary.re],
      y: [-r, r],
      line: { color: '#444444', width: 1.2, dash: 'dash' },
      hoverinfo: 'skip',
    });
    boundaryNumbers = { ...boundary, y: [-r, r] };
  } else if (boundary.type === 'circle' && !sameAsUnit) {
    const c = circlePoints(boundary.center, boundary.radius);
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'stability boundary',
      x: c.map((p) => p[0]),
      y: c.map((p) => p[1]),
      line: { color: '#444444', width: 1.2, dash: 'dash' },
      hoverinfo: 'skip',
    });
    boundaryNumbers = { ...boundary };
  } else if (sameAsUnit) {
    boundaryNumbers = { ...boundary };
  }
  const scatter = (name: string, values: ComplexPair[], color: string, size: number) => ({
    type: 'scatter',
    mode: 'markers',
    name: `${name} (${values.length})`,
    x: values.map((l) => l[0]),
    y: values.map((l) => l[1]),
    marker: { color, size, line: { color: '#ffffff', width: 0.5 } },
    text: values.map((l) => complexLabel(l, 4)),
    hoverinfo: 'text',
  });
  if (initial) data.push(scatter('before training', initial.eigenvalues, COLORS.before, 7));
  data.push(
    scatter(initial ? 'after training' : 'eigenvalues', trained.eigenvalues, COLORS.after, 6),
  );
  // Offsets alternate above and below and grow, so labels of nearby eigenvalues stay apart.
  const annotations = labelled.map((l, k) => ({
    x: l[0],
    y: l[1],
    text: l[1] === 0 ? complexLabel(l) : complexLabel(l).replace('+', '±'),
    showarrow: true,
    arrowhead: 0,
    ax: 16,
    ay: (k % 2 === 0 ? -1 : 1) * (18 + 14 * Math.floor(k / 2)),
    font: { size: 10, color: COLORS.unstable },
  }));
  const name = which === 'effective' && input.spectrum.effective ? 'W + Wfb·Wout' : 'W';
  const title = input.title ?? `Eigenvalues of ${name}`;
  const subtitle =
    `${trained.eigenvalues.length} eigenvalues, spectral radius ${complexLabel([trained.spectralRadius, 0], 4)}; ` +
    `${growing.length} growing (${conv.kind}, ${conv.time})` +
    (initial ? `; before training: radius ${complexLabel([initial.spectralRadius, 0], 4)}` : '');
  return {
    id: input.id ?? (which === 'effective' ? 'eigenvalues-effective' : 'eigenvalues'),
    title,
    data,
    layout: baseLayout(titleText(title, subtitle), {
      xaxis: axis('Re λ', { range: [-r, r], zeroline: true }),
      yaxis: axis('Im λ', { range: [-r, r], zeroline: true, scaleanchor: 'x', scaleratio: 1 }),
      annotations,
      height: 520,
    }),
    numbers: {
      matrix: name,
      eigenvalues: trained.eigenvalues,
      ...(initial ? { initialEigenvalues: initial.eigenvalues } : {}),
      spectralRadius: trained.spectralRadius,
      ...(initial ? { initialSpectralRadius: initial.spectralRadius } : {}),
      unitCircle: { center: [0, 0], radius: 1 },
      boundary: boundaryNumbers,
      growing,
      labelled,
    },
  };
}

export interface JacobianSpectraInput {
  fixedPoints: readonly FixedPoint[];
  time: 'flow' | 'map';
  id?: string;
  title?: string;
}

/**
 * The eigenvalues of the Jacobian at every linearised fixed/slow point, coloured by the point's
 * stability (flows: of dF/dx, boundary Re λ = 0; maps: multipliers of DG, boundary |μ| = 1).
 * `numbers`: per point its index, stability and eigenvalues.
 */
export function jacobianSpectraFigure(input: JacobianSpectraInput): Figure {
  const pts = input.fixedPoints
    .map((fp, index) => ({ index, fp }))
    .filter(({ fp }) => fp.eigenvalues && fp.eigenvalues.length > 0);
  const all = pts.flatMap(({ fp }) => fp.eigenvalues!);
  const r = extent(all, 1.1);
  const data: PlotlyTrace[] = [];
  let boundary: Record<string, unknown>;
  if (input.time === 'map') {
    const unit = circlePoints([0, 0], 1);
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'unit circle |μ| = 1',
      x: unit.map((p) => p[0]),
      y: unit.map((p) => p[1]),
      line: { color: '#888888', width: 1 },
      hoverinfo: 'skip',
    });
    boundary = { type: 'circle', center: [0, 0], radius: 1 };
  } else {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'Re λ = 0',
      x: [0, 0],
      y: [-r, r],
      line: { color: '#888888', width: 1 },
      hoverinfo: 'skip',
    });
    boundary = { type: 'line', re: 0 };
  }
  const groups = ['stable', 'unstable', 'marginal', 'not computed'];
  for (const g of groups) {
    const members = pts.filter(({ fp }) => (fp.stability ?? 'not computed') === g);
    if (members.length === 0) continue;
    const vals = members.flatMap(({ index, fp }) => fp.eigenvalues!.map((l) => ({ index, l })));
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: `${g} points (${members.length})`,
      x: vals.map((v) => v.l[0]),
      y: vals.map((v) => v.l[1]),
      marker: { color: stabilityColor(g), size: 6, opacity: 0.75 },
      text: vals.map((v) => `point #${v.index}: ${complexLabel(v.l, 4)}`),
      hoverinfo: 'text',
    });
  }
  const title = input.title ?? 'Jacobian spectra at the fixed points';
  const what = input.time === 'map' ? 'multipliers μ of DG' : 'eigenvalues λ of dF/dx';
  return {
    id: input.id ?? 'jacobian-spectra',
    title,
    data,
    layout: baseLayout(titleText(title, `${pts.length} points; ${what}`), {
      xaxis: axis(input.time === 'map' ? 'Re μ' : 'Re λ', { zeroline: true }),
      yaxis: axis(input.time === 'map' ? 'Im μ' : 'Im λ', {
        zeroline: true,
        scaleanchor: 'x',
        scaleratio: 1,
      }),
      height: 480,
    }),
    numbers: {
      time: input.time,
      boundary,
      points: pts.map(({ index, fp }) => ({
        index,
        stability: fp.stability ?? 'not computed',
        label: fp.label ?? null,
        eigenvalues: fp.eigenvalues!,
      })),
    },
  };
}
