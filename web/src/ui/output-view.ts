/**
 * Readout (and, for pulses, input) over time for the animated path, drawn in step with it.
 */
import { loadPlotly, type Plotly } from './plotly.js';
import { axis, baseLayout, paletteColor } from '../../../src/report/style.js';
import type { PathView, SubjectInfo } from '../protocol.js';

export function createOutputView(div: HTMLElement) {
  let path: PathView | undefined;
  let series: number[][] = [];
  let P: Plotly | undefined;

  /** Lays out the axes for `p` (nothing drawn yet); hides the panel when there is nothing to show. */
  async function start(p: PathView, info: SubjectInfo): Promise<void> {
    path = p;
    const outputs = p.outputs ?? [];
    const inputs = p.inputs ?? [];
    if (outputs.length === 0 && inputs.length === 0) {
      div.hidden = true;
      return;
    }
    div.hidden = false;
    const data: Record<string, unknown>[] = [];
    series = [];
    const O = outputs[0]?.length ?? 0;
    for (let k = 0; k < O; k++) {
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: `z${O > 1 ? k + 1 : ''}`,
        x: [],
        y: [],
        line: { color: paletteColor(k), width: 2 },
      });
      series.push(outputs.map((r) => r[k]));
    }
    const I = inputs[0]?.length ?? 0;
    for (let k = 0; k < I; k++) {
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: info.inputNames[k] ?? `u${k + 1}`,
        x: [],
        y: [],
        line: { color: paletteColor(k), width: 1, dash: 'dot', shape: 'hv' },
      });
      // Input row t drives the step from point t to t + 1 (drawn as a step function).
      series.push(inputs.map((r) => r[k]));
    }
    const all = [...outputs.flat(), ...inputs.flat()].filter(Number.isFinite);
    const lo = Math.min(...all);
    const hi = Math.max(...all);
    const pad = 0.08 * (hi - lo || 1);
    const tMax = (p.points.length - 1) * p.dt;
    const layout = baseLayout(`readout${I ? ' and input' : ''} over time`, {
      xaxis: axis(p.dt === 1 ? 'step' : 'time', { range: [0, tMax] }),
      yaxis: axis('', { range: [lo - pad, hi + pad] }),
      margin: { l: 50, r: 10, t: 36, b: 40 },
      legend: { orientation: 'h', x: 1, xanchor: 'right', y: 1.15 },
    });
    P = await loadPlotly();
    await P.react(div, data, layout, {
      responsive: true,
      displaylogo: false,
      displayModeBar: false,
    });
  }

  /** Shows the first n points of the path. */
  function frame(n: number): void {
    if (!path || !P || div.hidden || series.length === 0) return;
    const xs: number[][] = [];
    const ys: number[][] = [];
    for (const s of series) {
      const m = Math.min(n, s.length);
      xs.push(Array.from({ length: m }, (_, t) => t * path!.dt));
      ys.push(s.slice(0, m));
    }
    void P.restyle(
      div,
      { x: xs, y: ys },
      series.map((_, i) => i),
    );
  }

  return { start, frame };
}
