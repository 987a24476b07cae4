/**
 * Drawing one plotly trace as SVG once its points are in pixels: lines (one path per run between
 * gaps, or per-segment strokes when the line is coloured by value), markers (one element each)
 * and bars. Every drawn mark carries `class` = line | point | bar and `data-trace` = the trace's
 * index, which is what tests count.
 */
import type { PlotlyTrace } from '../types.js';
import { dashArray, esc, markerElement, polylineRuns, px, scaleColor } from './marks.js';

type Obj = Record<string, unknown>;

export const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
export const nums = (v: unknown): (number | null)[] =>
  Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? x : null)) : [];

/** Value → colour mapper of a coloured-by-value line or marker spec (null when colour is fixed). */
export function valueColors(spec: Obj): ((i: number) => string) | null {
  const c = spec.color;
  if (!Array.isArray(c)) return null;
  if (c.every((v) => typeof v === 'string')) return (i) => String(c[i] ?? '#000');
  const values = c.map((v) => (typeof v === 'number' ? v : NaN));
  const finite = values.filter(Number.isFinite);
  const lo = typeof spec.cmin === 'number' ? spec.cmin : Math.min(...finite);
  const hi = typeof spec.cmax === 'number' ? spec.cmax : Math.max(...finite);
  return (i) => scaleColor(spec.colorscale, hi > lo ? (values[i] - lo) / (hi - lo) : 0.5);
}

export const fixedColor = (spec: Obj, fallback: string): string =>
  typeof spec.color === 'string' ? spec.color : fallback;

/** The trace's lines and markers at the pixel positions `pts` (null = gap). */
export function drawScatter(
  trace: PlotlyTrace,
  index: number,
  pts: ([number, number] | null)[],
  fallbackColor: string,
): string {
  const mode = typeof trace.mode === 'string' ? trace.mode : 'markers';
  const out: string[] = [];
  const opacity = typeof trace.opacity === 'number' ? ` opacity="${trace.opacity}"` : '';
  const tag = (cls: string) => `class="${cls}" data-trace="${index}"`;
  if (mode.includes('lines')) {
    const line = obj(trace.line);
    const width = typeof line.width === 'number' ? line.width : 2;
    const dash = dashArray(line.dash);
    const dashAttr = dash ? ` stroke-dasharray="${dash}"` : '';
    const byValue = valueColors(line);
    if (byValue) {
      // Coloured by value: one stroke per segment, coloured by its first point.
      const segs: string[] = [];
      for (let i = 0; i + 1 < pts.length; i++) {
        const a = pts[i];
        const b = pts[i + 1];
        if (!a || !b) continue;
        segs.push(
          `<line x1="${px(a[0])}" y1="${px(a[1])}" x2="${px(b[0])}" y2="${px(b[1])}" stroke="${esc(byValue(i))}"/>`,
        );
      }
      if (segs.length)
        out.push(`<g ${tag('line')} stroke-width="${width}"${opacity}>${segs.join('')}</g>`);
    } else {
      const color = fixedColor(line, fallbackColor);
      const xs = pts.map((p) => (p ? p[0] : NaN));
      const ys = pts.map((p) => (p ? p[1] : NaN));
      for (const d of polylineRuns(xs, ys, line.shape === 'hv'))
        out.push(
          `<path ${tag('line')} d="${d}" fill="none" stroke="${esc(color)}" stroke-width="${width}"${dashAttr}${opacity} stroke-linejoin="round"/>`,
        );
    }
  }
  if (mode.includes('markers')) {
    const marker = obj(trace.marker);
    const size = typeof marker.size === 'number' ? marker.size : 6;
    const symbol = typeof marker.symbol === 'string' ? marker.symbol : 'circle';
    const byValue = valueColors(marker);
    const color = fixedColor(marker, fallbackColor);
    const mOpacity = typeof marker.opacity === 'number' ? ` opacity="${marker.opacity}"` : opacity;
    pts.forEach((p, i) => {
      if (!p) return;
      out.push(
        markerElement(
          symbol,
          p[0],
          p[1],
          size,
          byValue ? byValue(i) : color,
          `${tag('point')}${mOpacity}`,
        ),
      );
    });
  }
  return out.join('');
}

/** Bars from pixel rectangles [x0, y0, x1, y1]. */
export function drawBars(
  trace: PlotlyTrace,
  index: number,
  rects: ([number, number, number, number] | null)[],
  fallbackColor: string,
): string {
  const marker = obj(trace.marker);
  const color = fixedColor(marker, fallbackColor);
  const opacity = typeof trace.opacity === 'number' ? ` opacity="${trace.opacity}"` : '';
  return rects
    .map((r) => {
      if (!r) return '';
      const x = Math.min(r[0], r[2]);
      const y = Math.min(r[1], r[3]);
      const w = Math.abs(r[2] - r[0]);
      const h = Math.abs(r[3] - r[1]);
      return `<rect class="bar" data-trace="${index}" x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${px(h)}" fill="${esc(color)}"${opacity}/>`;
    })
    .join('');
}
