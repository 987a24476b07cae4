/**
 * Colours, marker symbols and layout pieces shared by every figure, so that the same thing looks
 * the same everywhere: stable points black, unstable red (FixedPointFinder's convention), slow
 * points open symbols, trajectories a light blue.
 */
import type { StabilityLabel } from '../analysis/fixed-points/types.js';

export const COLORS = {
  stable: '#000000',
  unstable: '#d62728',
  marginal: '#9467bd',
  unknown: '#7f7f7f',
  trajectory: '#6baed6',
  target: '#444444',
  before: '#9ecae1',
  after: '#d62728',
  theory: '#d62728',
  finite: '#1f77b4',
  grid: '#e5e5e5',
  axis: '#444444',
  nullcline: ['#1f77b4', '#ff7f0e'],
  contour: '#bdbdbd',
  arrow: '#9e9e9e',
} as const;

/** Categorical palette (d3's category10) for channels and series. */
export const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
] as const;

export const paletteColor = (k: number): string => PALETTE[k % PALETTE.length];

/** Colour of a point by its stability (FixedPointFinder: stable black, unstable red). */
export function stabilityColor(stability: string | undefined): string {
  if (stability === 'stable') return COLORS.stable;
  if (stability === 'unstable') return COLORS.unstable;
  if (stability === 'marginal') return COLORS.marginal;
  return COLORS.unknown;
}

/** Marker symbol per stability label (2-D phase portraits distinguish nodes, spirals, saddles). */
export function labelSymbol(label: StabilityLabel | undefined, slow: boolean): string {
  const base =
    label === 'saddle'
      ? 'x'
      : label === 'stable spiral' || label === 'unstable spiral'
        ? 'diamond'
        : label === 'marginal'
          ? 'square'
          : 'circle';
  if (base === 'x') return slow ? 'x-open' : 'x';
  const open = slow || label === 'unstable node' || label === 'unstable spiral';
  return open ? `${base}-open` : base;
}

/** Title text with a smaller second line. */
export const titleText = (title: string, subtitle?: string): string =>
  subtitle ? `${title}<br><sub>${subtitle}</sub>` : title;

/** The layout every figure starts from (white background, compact margins). */
export function baseLayout(
  title: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    title: { text: title, x: 0.02, xanchor: 'left' },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    font: { family: 'Helvetica, Arial, sans-serif', size: 12, color: '#222222' },
    margin: { l: 60, r: 20, t: 80, b: 50 },
    hovermode: 'closest',
    ...extra,
  };
}

/** An axis with light grid lines. */
export function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: title },
    gridcolor: COLORS.grid,
    zerolinecolor: '#bbbbbb',
    linecolor: COLORS.axis,
    showline: true,
    ...extra,
  };
}

/** Complex number as text: `1.21`, `0.98 ± 0.31i` style with 3 significant digits. */
export function complexLabel([re, im]: [number, number], digits = 3): string {
  const f = (v: number) => String(Number(v.toPrecision(digits)));
  if (im === 0) return f(re);
  return `${f(re)}${im < 0 ? '−' : '+'}${f(Math.abs(im))}i`;
}

/** Number as short text (4 significant digits). */
export const short = (v: number, digits = 4): string =>
  Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : String(v);
