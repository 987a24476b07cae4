/**
 * Training curves: the loss (BPTT) or FORCE's running output error over training, on a log
 * axis, and — when Wout snapshots were kept — ‖ΔWout‖_F between consecutive snapshots, which
 * shows FORCE's rapid early learning settling down (seed 000 fig. 5c–d).
 */
import { RnnscopeError } from '../../errors.js';
import { axis, baseLayout, paletteColor, titleText } from '../style.js';
import type { Figure, PlotlyTrace } from '../types.js';

export interface TrainingInput {
  /** A model file's `history`: an x series (`iteration` or `step`, else the index) and y series. */
  history: Record<string, number[]>;
  /** Which trainer wrote it (labels only). */
  trainer?: string;
  /** FORCE's kept copies of Wout (model metadata `woutSnapshots`). */
  woutSnapshots?: { step: number; Wout: number[][] }[];
  id?: string;
  title?: string;
}

const X_KEYS = ['iteration', 'step', 'epoch'];

function frobeniusDiff(a: number[][], b: number[][]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < a[i].length; j++) {
      const d = a[i][j] - b[i][j];
      s += d * d;
    }
  return Math.sqrt(s);
}

/**
 * Every y series of `history` against its x series (log y axis when all values are > 0), and
 * ‖Wout(s_k) − Wout(s_{k−1})‖_F against s_k in a second panel when ≥ 2 snapshots exist.
 * `numbers`: x, each series, and the ΔWout norms.
 */
export function trainingFigure(input: TrainingInput): Figure {
  const h = input.history;
  const xKey = X_KEYS.find((k) => Array.isArray(h[k]));
  const seriesKeys = Object.keys(h).filter(
    (k) => k !== xKey && Array.isArray(h[k]) && h[k].length > 0,
  );
  if (seriesKeys.length === 0)
    throw new RnnscopeError('INVALID_ARGUMENT', 'the training history has no series to plot');
  const n = Math.max(...seriesKeys.map((k) => h[k].length));
  const x = xKey ? h[xKey].slice(0, n) : Array.from({ length: n }, (_, i) => i + 1);
  const xLabel = xKey ?? 'record';
  const positive = seriesKeys.every((k) => h[k].every((v) => v > 0));
  const snaps = input.woutSnapshots ?? [];
  const deltas =
    snaps.length >= 2
      ? snaps.slice(1).map((s, i) => ({
          step: s.step,
          norm: frobeniusDiff(s.Wout, snaps[i].Wout),
        }))
      : [];
  const two = deltas.length > 0;
  const data: PlotlyTrace[] = seriesKeys.map((k, i) => ({
    type: 'scatter',
    mode: 'lines',
    name: k,
    x: x.slice(0, h[k].length),
    y: h[k].slice(),
    line: { color: paletteColor(i), width: 1.5 },
  }));
  if (two) {
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: '‖ΔWout‖',
      x: deltas.map((d) => d.step),
      y: deltas.map((d) => d.norm),
      line: { color: paletteColor(seriesKeys.length), width: 1.5 },
      marker: { size: 5 },
      xaxis: 'x2',
      yaxis: 'y2',
    });
  }
  const lossLabel = input.trainer === 'force' ? 'output error (MSE)' : 'loss';
  const title = input.title ?? 'Training';
  const layout = baseLayout(
    titleText(title, input.trainer ? `trainer: ${input.trainer}` : undefined),
    two
      ? {
          xaxis: axis(xLabel, { domain: [0, 0.46] }),
          yaxis: axis(lossLabel, { type: positive ? 'log' : 'linear' }),
          xaxis2: axis('step', { domain: [0.56, 1], anchor: 'y2' }),
          yaxis2: axis('‖ΔWout‖_F between snapshots', { anchor: 'x2', type: 'log' }),
        }
      : {
          xaxis: axis(xLabel),
          yaxis: axis(lossLabel, { type: positive ? 'log' : 'linear' }),
        },
  );
  return {
    id: input.id ?? 'training',
    title,
    data,
    layout,
    numbers: {
      x: { name: xLabel, values: x },
      series: Object.fromEntries(seriesKeys.map((k) => [k, h[k].slice()])),
      logScale: positive,
      ...(two ? { woutDelta: deltas } : {}),
    },
  };
}
