/**
 * SVG primitives for the static renderer: escaping, number formatting, plotly's colour scales,
 * marker symbols, and polyline paths broken at gaps.
 */

/** Escapes text for SVG/XML content and attribute values. */
export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Plain text of plotly's tiny HTML subset (`<br>`, `<sub>`, `<b>`): tags dropped. */
export function plainText(s: string): string {
  return s.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, '');
}

/** Pixel coordinate text (2 decimals, no trailing zeros). */
export const px = (v: number): string => String(Math.round(v * 100) / 100);

type Stop = [number, [number, number, number]];

/** plotly.js's named colour scales used by the figures. */
const SCALES: Record<string, Stop[]> = {
  RdBu: [
    [0, [5, 10, 172]],
    [0.35, [106, 137, 247]],
    [0.5, [190, 190, 190]],
    [0.6, [220, 170, 132]],
    [0.7, [230, 145, 90]],
    [1, [178, 10, 28]],
  ],
  Viridis: [
    [0, [68, 1, 84]],
    [0.25, [59, 82, 139]],
    [0.5, [33, 145, 140]],
    [0.75, [94, 201, 98]],
    [1, [253, 231, 37]],
  ],
};

/** Colour of t ∈ [0, 1] on a named plotly scale (RdBu when unknown). */
export function scaleColor(name: unknown, t: number): string {
  const stops = SCALES[typeof name === 'string' ? name : 'RdBu'] ?? SCALES.RdBu;
  const u = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0.5));
  let k = 0;
  while (k < stops.length - 2 && u > stops[k + 1][0]) k++;
  const [t0, c0] = stops[k];
  const [t1, c1] = stops[k + 1];
  const f = t1 === t0 ? 0 : (u - t0) / (t1 - t0);
  const c = c0.map((v, i) => Math.round(v + f * (c1[i] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** SVG dash pattern of a plotly dash name. */
export function dashArray(dash: unknown): string | undefined {
  switch (dash) {
    case 'dash':
      return '6,4';
    case 'dot':
      return '2,3';
    case 'dashdot':
      return '6,3,2,3';
    case 'longdash':
      return '10,4';
    default:
      return undefined;
  }
}

/**
 * One marker as an SVG element at (x, y) with diameter `size`. Symbols: circle, square,
 * diamond, cross, x, each optionally `-open`.
 */
export function markerElement(
  symbol: string,
  x: number,
  y: number,
  size: number,
  color: string,
  attrs: string,
): string {
  const open = symbol.endsWith('-open');
  const base = open ? symbol.slice(0, -5) : symbol;
  const r = Math.max(1, size / 2);
  const paint = open
    ? `fill="none" stroke="${esc(color)}" stroke-width="1.5"`
    : `fill="${esc(color)}" stroke="${esc(color)}" stroke-width="0.5"`;
  switch (base) {
    case 'square':
      return `<rect ${attrs} x="${px(x - r)}" y="${px(y - r)}" width="${px(2 * r)}" height="${px(2 * r)}" ${paint}/>`;
    case 'diamond':
      return `<path ${attrs} d="M${px(x)},${px(y - r * 1.3)}L${px(x + r * 1.3)},${px(y)}L${px(x)},${px(y + r * 1.3)}L${px(x - r * 1.3)},${px(y)}Z" ${paint}/>`;
    case 'x':
    case 'cross': {
      const d =
        base === 'x'
          ? `M${px(x - r)},${px(y - r)}L${px(x + r)},${px(y + r)}M${px(x - r)},${px(y + r)}L${px(x + r)},${px(y - r)}`
          : `M${px(x - r)},${px(y)}L${px(x + r)},${px(y)}M${px(x)},${px(y - r)}L${px(x)},${px(y + r)}`;
      return `<path ${attrs} d="${d}" fill="none" stroke="${esc(color)}" stroke-width="${open ? 1.5 : 2.5}"/>`;
    }
    default:
      return `<circle ${attrs} cx="${px(x)}" cy="${px(y)}" r="${px(r)}" ${paint}/>`;
  }
}

/**
 * Path data through the points, starting a new sub-path after every gap (null or non-finite
 * coordinate). `step` draws plotly's 'hv' shape (horizontal then vertical). Returns the runs'
 * path data (one string per run of ≥ 2 points; single points are dropped as plotly does).
 */
export function polylineRuns(xs: number[], ys: number[], step = false): string[] {
  const runs: string[] = [];
  let cur: string[] = [];
  const flush = () => {
    if (cur.length >= 2) runs.push(cur.join(''));
    cur = [];
  };
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      flush();
      continue;
    }
    if (cur.length === 0) cur.push(`M${px(x)},${px(y)}`);
    else if (step) cur.push(`H${px(x)}V${px(y)}`);
    else cur.push(`L${px(x)},${px(y)}`);
  }
  flush();
  return runs;
}
