/**
 * Legend and colour bar of the static renderer: one entry per trace that plotly would list
 * (a name, `showlegend` not false, visible), with a line / marker / bar glyph.
 */
import type { PlotlyTrace } from '../types.js';
import { dashArray, esc, markerElement, plainText, px, scaleColor } from './marks.js';
import { fixedColor, obj } from './traces.js';

export const LEGEND_WIDTH = 200;

/** Traces that get a legend entry. */
export function legendEntries(data: PlotlyTrace[]): { trace: PlotlyTrace; index: number }[] {
  return data
    .map((trace, index) => ({ trace, index }))
    .filter(
      ({ trace }) =>
        typeof trace.name === 'string' &&
        trace.name !== '' &&
        trace.showlegend !== false &&
        trace.visible !== false,
    );
}

/** Wraps text to lines of at most `n` characters at spaces. */
function wrap(text: string, n: number): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && (cur + ' ' + w).length > n) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** The legend as an SVG group at (x, y); returns the markup and the height used. */
export function drawLegend(
  entries: { trace: PlotlyTrace; index: number }[],
  x: number,
  y: number,
  colorOf: (t: PlotlyTrace, i: number) => string,
): { svg: string; height: number } {
  const parts: string[] = [];
  let yy = y;
  for (const { trace, index } of entries) {
    const mode = typeof trace.mode === 'string' ? trace.mode : '';
    const lines = wrap(plainText(trace.name ?? ''), 26);
    const cy = yy + 7;
    const base = colorOf(trace, index);
    if (trace.type === 'bar') {
      const color = fixedColor(obj(trace.marker), base);
      parts.push(
        `<rect class="legend-glyph" x="${px(x)}" y="${px(cy - 5)}" width="18" height="10" fill="${esc(color)}"/>`,
      );
    } else {
      if (mode.includes('lines')) {
        const line = obj(trace.line);
        const color = Array.isArray(line.color)
          ? scaleColor(line.colorscale, 0.5)
          : fixedColor(line, base);
        const dash = dashArray(line.dash);
        parts.push(
          `<line class="legend-glyph" x1="${px(x)}" y1="${px(cy)}" x2="${px(x + 18)}" y2="${px(cy)}" stroke="${esc(color)}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
        );
      }
      if (mode.includes('markers')) {
        const m = obj(trace.marker);
        const color = Array.isArray(m.color) ? scaleColor(m.colorscale, 0.5) : fixedColor(m, base);
        const symbol = typeof m.symbol === 'string' ? m.symbol : 'circle';
        parts.push(markerElement(symbol, x + 9, cy, 8, color, 'class="legend-glyph"'));
      }
    }
    lines.forEach((l, k) => {
      parts.push(
        `<text x="${px(x + 24)}" y="${px(cy + 4 + 13 * k)}" font-size="11">${esc(l)}</text>`,
      );
    });
    yy += 13 * lines.length + 6;
  }
  return { svg: `<g class="legend">${parts.join('')}</g>`, height: yy - y };
}

/** A vertical colour bar for the first trace coloured by value with `showscale`. */
export function drawColorbar(data: PlotlyTrace[], x: number, y: number, h: number): string {
  for (const t of data) {
    for (const spec of [obj(t.marker), obj(t.line)]) {
      if (!Array.isArray(spec.color) || spec.showscale !== true) continue;
      const vals = (spec.color as unknown[]).filter((v): v is number => typeof v === 'number');
      const lo = typeof spec.cmin === 'number' ? spec.cmin : Math.min(...vals);
      const hi = typeof spec.cmax === 'number' ? spec.cmax : Math.max(...vals);
      const steps = 20;
      const cells: string[] = [];
      for (let k = 0; k < steps; k++) {
        const c = scaleColor(spec.colorscale, 1 - (k + 0.5) / steps);
        cells.push(
          `<rect x="${px(x)}" y="${px(y + (h * k) / steps)}" width="12" height="${px(h / steps + 0.5)}" fill="${c}"/>`,
        );
      }
      const title = plainText(String(obj(obj(spec.colorbar).title).text ?? ''));
      const f = (v: number) => String(Number(v.toPrecision(3)));
      return (
        `<g class="colorbar">${cells.join('')}` +
        `<text x="${px(x + 16)}" y="${px(y + 9)}" font-size="10">${esc(f(hi))}</text>` +
        `<text x="${px(x + 16)}" y="${px(y + h)}" font-size="10">${esc(f(lo))}</text>` +
        `<text x="${px(x)}" y="${px(y - 6)}" font-size="10">${esc(title)}</text></g>`
      );
    }
  }
  return '';
}
