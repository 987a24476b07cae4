/**
 * A small static renderer for the figures' plotly JSON: the subset the figures use (scatter
 * lines/markers, bars, scatter3d as an orthographic view, several axes by domain, log axes,
 * equal aspect, annotations, legend, colour bar) as standalone SVG, with no browser. Plotly
 * stays the interactive renderer; this one serves `--svg`, PNG conversion and the report's
 * no-JavaScript fallback.
 */
import type { Figure, PlotlyTrace } from '../types.js';
import { LEGEND_WIDTH, drawColorbar, drawLegend, legendEntries } from './legend.js';
import { esc, plainText, px } from './marks.js';
import { dataExtent, linearScale, logScale, type Scale } from './scale.js';
import { drawScene } from './three-d.js';
import { drawBars, drawScatter, nums, obj } from './traces.js';
import { paletteColor } from '../style.js';

export interface SvgOptions {
  /** Pixels (default: layout.width or 760). */
  width?: number;
  /** Pixels (default: layout.height or 480). */
  height?: number;
}

interface AxisInfo {
  id: string; // 'x', 'x2', 'y', …
  spec: Record<string, unknown>;
  scale?: Scale;
  px: [number, number]; // pixel span (x: left→right, y: bottom→top)
}

const axisKey = (id: string) => `${id[0]}axis${id.slice(1)}`;

const colorOf = (_t: PlotlyTrace, i: number) => paletteColor(i);

/** Values a trace puts on its x or y axis (bars: edges and stacked tops; 0 included for bars). */
function traceExtents(data: PlotlyTrace[], barmode: unknown): Map<string, number[]> {
  const values = new Map<string, number[]>();
  const push = (id: string, v: number) => {
    const list = values.get(id);
    if (list) list.push(v);
    else values.set(id, [v]);
  };
  const stacks = new Map<string, number[]>();
  for (const t of data) {
    if (t.visible === false || t.type === 'scatter3d') continue;
    const xa = typeof t.xaxis === 'string' ? t.xaxis : 'x';
    const ya = typeof t.yaxis === 'string' ? t.yaxis : 'y';
    const xs = nums(t.x);
    const ys = nums(t.y);
    if (t.type === 'bar') {
      const w = t.width;
      const stack = stacks.get(xa + ya) ?? [];
      xs.forEach((x, i) => {
        if (x === null) return;
        const wi = Array.isArray(w) ? Number(w[i]) : typeof w === 'number' ? w : 0.8;
        push(xa, x - wi / 2);
        push(xa, x + wi / 2);
        const base = barmode === 'stack' ? (stack[i] ?? 0) : 0;
        const top = base + (ys[i] ?? 0);
        if (barmode === 'stack') stack[i] = top;
        push(ya, top);
        push(ya, 0);
      });
      stacks.set(xa + ya, stack);
    } else {
      for (const x of xs) if (x !== null) push(xa, x);
      for (const y of ys) if (y !== null) push(ya, y);
    }
  }
  return values;
}

function makeScale(
  spec: Record<string, unknown>,
  values: number[],
  pxSpan: [number, number],
): Scale {
  const log = spec.type === 'log';
  const given = Array.isArray(spec.range) ? (spec.range as number[]) : undefined;
  if (log) {
    const pos = values.filter((v) => v > 0);
    const [a, b] = given
      ? [10 ** given[0], 10 ** given[1]]
      : (() => {
          const [l0, l1] = dataExtent(pos.map(Math.log10), 0.05);
          return [10 ** l0, 10 ** l1];
        })();
    return logScale([a, b], pxSpan);
  }
  const dom: [number, number] = given ? [given[0], given[1]] : dataExtent(values, 0.05);
  return linearScale(dom, pxSpan);
}

/** Standalone SVG of a figure. */
export function renderSvg(fig: Figure, opts: SvgOptions = {}): string {
  const layout = fig.layout;
  const W = opts.width ?? (typeof layout.width === 'number' ? layout.width : 760);
  const H = opts.height ?? (typeof layout.height === 'number' ? layout.height : 480);
  const margin = obj(layout.margin);
  const entries = legendEntries(fig.data);
  const hasColorbar = fig.data.some((t) =>
    [obj(t.marker), obj(t.line)].some((s) => Array.isArray(s.color) && s.showscale === true),
  );
  const legendW = entries.length > 0 || hasColorbar ? LEGEND_WIDTH : 0;
  const titleLines = String(obj(layout.title).text ?? fig.title).split(/<br\s*\/?>/i);
  const top = 24 + 16 * titleLines.length;
  const ml = typeof margin.l === 'number' ? Math.max(margin.l, 50) : 60;
  const plot = {
    x: ml,
    y: top,
    w: W - ml - 20 - legendW,
    h: H - top - 50,
  };
  const parts: string[] = [`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`];
  titleLines.forEach((line, k) => {
    const text = plainText(line);
    parts.push(
      k === 0
        ? `<text class="title" x="12" y="${22}" font-size="15" font-weight="bold">${esc(text)}</text>`
        : `<text class="subtitle" x="12" y="${22 + 16 * k}" font-size="11" fill="#555">${esc(text)}</text>`,
    );
  });
  const three = fig.data.some((t) => t.type === 'scatter3d');
  if (three) {
    parts.push(drawScene(fig.data, layout, plot, colorOf));
  } else {
    parts.push(drawCartesian(fig, plot));
  }
  if (legendW > 0) {
    const lx = W - legendW + 8;
    const { svg, height } = drawLegend(entries, lx, top, colorOf);
    parts.push(svg);
    if (hasColorbar) parts.push(drawColorbar(fig.data, lx, top + height + 24, 120));
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
    `font-family="Helvetica, Arial, sans-serif" data-figure="${esc(fig.id)}">` +
    `<title>${esc(plainText(fig.title))}</title>${parts.join('')}</svg>`
  );
}

/** Axes, grid, traces and annotations of a 2-D figure inside `plot`. */
function drawCartesian(fig: Figure, plot: { x: number; y: number; w: number; h: number }): string {
  const layout = fig.layout;
  const ids = new Set<string>();
  for (const t of fig.data) {
    if (t.visible === false) continue;
    ids.add(typeof t.xaxis === 'string' ? t.xaxis : 'x');
    ids.add(typeof t.yaxis === 'string' ? t.yaxis : 'y');
  }
  for (const k of Object.keys(layout)) {
    const m = /^([xy])axis(\d*)$/.exec(k);
    if (m) ids.add(m[1] + m[2]);
  }
  if (ids.size === 0) ids.add('x').add('y');
  const extents = traceExtents(fig.data, layout.barmode);
  const axes = new Map<string, AxisInfo>();
  for (const id of ids) {
    const spec = obj(layout[axisKey(id)]);
    const domain = Array.isArray(spec.domain) ? (spec.domain as number[]) : [0, 1];
    const span: [number, number] =
      id[0] === 'x'
        ? [plot.x + domain[0] * plot.w, plot.x + domain[1] * plot.w]
        : [plot.y + (1 - domain[0]) * plot.h, plot.y + (1 - domain[1]) * plot.h];
    axes.set(id, { id, spec, px: span });
  }
  for (const a of axes.values()) a.scale = makeScale(a.spec, extents.get(a.id) ?? [], a.px);
  // Equal aspect: y axes with scaleanchor widen the range of whichever axis has finer units.
  for (const a of axes.values()) {
    const anchor = a.spec.scaleanchor;
    if (a.id[0] !== 'y' || typeof anchor !== 'string' || !axes.has(anchor)) continue;
    const b = axes.get(anchor)!;
    if (a.scale!.type !== 'linear' || b.scale!.type !== 'linear') continue;
    const [y0, y1] = a.scale!.domain;
    const [x0, x1] = b.scale!.domain;
    const uy = (y1 - y0) / Math.abs(a.px[0] - a.px[1]);
    const ux = (x1 - x0) / Math.abs(b.px[1] - b.px[0]);
    if (ux > uy) {
      const c = (y0 + y1) / 2;
      const half = (ux * Math.abs(a.px[0] - a.px[1])) / 2;
      a.scale = linearScale([c - half, c + half], a.px);
    } else {
      const c = (x0 + x1) / 2;
      const half = (uy * Math.abs(b.px[1] - b.px[0])) / 2;
      b.scale = linearScale([c - half, c + half], b.px);
    }
  }
  const parts: string[] = [];
  const defs: string[] = [];
  const clipId = (xa: string, ya: string) => `clip-${esc(fig.id)}-${xa}-${ya}`;
  const clips = new Set<string>();
  // Grid and axes.
  for (const a of axes.values()) {
    const s = a.scale!;
    const isX = a.id[0] === 'x';
    const anchorId =
      typeof a.spec.anchor === 'string' ? a.spec.anchor : (isX ? 'y' : 'x') + a.id.slice(1);
    const other = axes.get(anchorId) ?? [...axes.values()].find((b) => b.id[0] !== a.id[0]);
    if (!other) continue;
    const [o0, o1] = other.px;
    const ticks = s.ticks();
    const showLabels = a.spec.showticklabels !== false;
    for (const t of ticks) {
      const p = s.map(t);
      if (!Number.isFinite(p)) continue;
      parts.push(
        isX
          ? `<line x1="${px(p)}" y1="${px(o0)}" x2="${px(p)}" y2="${px(o1)}" stroke="#ececec"/>`
          : `<line x1="${px(o0)}" y1="${px(p)}" x2="${px(o1)}" y2="${px(p)}" stroke="#ececec"/>`,
      );
      if (showLabels)
        parts.push(
          isX
            ? `<text x="${px(p)}" y="${px(Math.max(o0, o1) + 14)}" font-size="10" text-anchor="middle" fill="#444">${esc(s.format(t))}</text>`
            : `<text x="${px(Math.min(o0, o1) - 5)}" y="${px(p + 3)}" font-size="10" text-anchor="end" fill="#444">${esc(s.format(t))}</text>`,
        );
    }
    if (s.type === 'linear' && a.spec.zeroline !== false) {
      const z = s.map(0);
      const [lo, hi] = [Math.min(...a.px), Math.max(...a.px)];
      if (z > lo + 0.5 && z < hi - 0.5)
        parts.push(
          isX
            ? `<line x1="${px(z)}" y1="${px(o0)}" x2="${px(z)}" y2="${px(o1)}" stroke="#bbbbbb"/>`
            : `<line x1="${px(o0)}" y1="${px(z)}" x2="${px(o1)}" y2="${px(z)}" stroke="#bbbbbb"/>`,
        );
    }
    // Axis line along the anchor's low side, and the title.
    const title = plainText(String(obj(a.spec.title).text ?? ''));
    if (isX) {
      const y = Math.max(o0, o1);
      parts.push(
        `<line x1="${px(a.px[0])}" y1="${px(y)}" x2="${px(a.px[1])}" y2="${px(y)}" stroke="#444"/>`,
      );
      if (title)
        parts.push(
          `<text x="${px((a.px[0] + a.px[1]) / 2)}" y="${px(y + 32)}" font-size="12" text-anchor="middle">${esc(title)}</text>`,
        );
    } else {
      const x = Math.min(o0, o1);
      parts.push(
        `<line x1="${px(x)}" y1="${px(a.px[0])}" x2="${px(x)}" y2="${px(a.px[1])}" stroke="#444"/>`,
      );
      if (title) {
        const ty = (a.px[0] + a.px[1]) / 2;
        parts.push(
          `<text x="${px(x - 42)}" y="${px(ty)}" font-size="12" text-anchor="middle" transform="rotate(-90 ${px(x - 42)} ${px(ty)})">${esc(title)}</text>`,
        );
      }
    }
  }
  // Traces, clipped to their axis pair's rectangle.
  const stacks = new Map<string, number[]>();
  fig.data.forEach((t, i) => {
    if (t.visible === false || t.visible === 'legendonly') return;
    const xa = typeof t.xaxis === 'string' ? t.xaxis : 'x';
    const ya = typeof t.yaxis === 'string' ? t.yaxis : 'y';
    const ax = axes.get(xa);
    const ay = axes.get(ya);
    if (!ax || !ay) return;
    const sx = ax.scale!;
    const sy = ay.scale!;
    const id = clipId(xa, ya);
    if (!clips.has(id)) {
      clips.add(id);
      const x0 = Math.min(...ax.px);
      const y0 = Math.min(...ay.px);
      defs.push(
        `<clipPath id="${id}"><rect x="${px(x0)}" y="${px(y0)}" width="${px(Math.abs(ax.px[1] - ax.px[0]))}" height="${px(Math.abs(ay.px[1] - ay.px[0]))}"/></clipPath>`,
      );
    }
    const xs = nums(t.x);
    const ys = nums(t.y);
    let body: string;
    if (t.type === 'bar') {
      const stack = stacks.get(xa + ya) ?? [];
      const w = t.width;
      const rects = xs.map((x, k): [number, number, number, number] | null => {
        const y = ys[k];
        if (x === null || y === null) return null;
        const wk = Array.isArray(w) ? Number(w[k]) : typeof w === 'number' ? w : 0.8;
        const base = layout.barmode === 'stack' ? (stack[k] ?? 0) : 0;
        if (layout.barmode === 'stack') stack[k] = base + y;
        return [sx.map(x - wk / 2), sy.map(base), sx.map(x + wk / 2), sy.map(base + y)];
      });
      stacks.set(xa + ya, stack);
      body = drawBars(t, i, rects, colorOf(t, i));
    } else {
      const pts = xs.map((x, k): [number, number] | null => {
        const y = ys[k];
        if (x === null || y === null) return null;
        const p: [number, number] = [sx.map(x), sy.map(y)];
        return Number.isFinite(p[0]) && Number.isFinite(p[1]) ? p : null;
      });
      body = drawScatter(t, i, pts, colorOf(t, i));
    }
    parts.push(`<g clip-path="url(#${id})">${body}</g>`);
  });
  // Annotations.
  const notes = Array.isArray(layout.annotations) ? (layout.annotations as unknown[]) : [];
  for (const n of notes.map(obj)) {
    const xref = typeof n.xref === 'string' ? n.xref : 'x';
    const yref = typeof n.yref === 'string' ? n.yref : 'y';
    const x = Number(n.x);
    const y = Number(n.y);
    const X = xref === 'paper' ? plot.x + x * plot.w : axes.get(xref)?.scale?.map(x);
    const Y = yref === 'paper' ? plot.y + (1 - y) * plot.h : axes.get(yref)?.scale?.map(y);
    if (X === undefined || Y === undefined || !Number.isFinite(X) || !Number.isFinite(Y)) continue;
    const color = String(obj(n.font).color ?? '#333');
    const size = Number(obj(n.font).size ?? 11);
    let tx = X;
    let ty = Y;
    if (n.showarrow === true) {
      tx = X + (typeof n.ax === 'number' ? n.ax : -10);
      ty = Y + (typeof n.ay === 'number' ? n.ay : -30);
      parts.push(
        `<line x1="${px(X)}" y1="${px(Y)}" x2="${px(tx)}" y2="${px(ty)}" stroke="${esc(color)}" stroke-width="0.8"/>`,
      );
    }
    const anchor =
      n.xanchor === 'right'
        ? 'end'
        : n.xanchor === 'left'
          ? 'start'
          : n.showarrow
            ? 'start'
            : 'middle';
    const dy = n.yanchor === 'top' ? size : n.yanchor === 'bottom' ? 0 : size / 3;
    parts.push(
      `<text class="annotation" x="${px(tx)}" y="${px(ty + dy)}" font-size="${size}" text-anchor="${anchor}" fill="${esc(color)}">${esc(plainText(String(n.text ?? '')))}</text>`,
    );
  }
  return `<defs>${defs.join('')}</defs>${parts.join('')}`;
}
