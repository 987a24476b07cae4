/**
 * Weight histograms with their moments annotated (seed 004 fig. 2 and appendix A): one or more
 * sets of weights (e.g. W before and after training) binned on shared edges.
 */
import { weightMoments, type WeightMoments } from '../../analysis/spectrum/moments.js';
import { RnnscopeError } from '../../errors.js';
import { binEdges, defaultBins, histogramCounts } from '../histogram.js';
import { axis, baseLayout, paletteColor, short, titleText } from '../style.js';
import type { Figure, PlotlyTrace } from '../types.js';

export interface WeightSet {
  name: string;
  values: ArrayLike<number>;
  color?: string;
}

export interface WeightHistogramInput {
  sets: WeightSet[];
  /** Number of bins (default √n between 10 and 60). */
  bins?: number;
  id?: string;
  title?: string;
}

const momentText = (m: WeightMoments) =>
  `mean ${short(m.mean, 3)}, std ${short(m.std, 3)}, skew ${short(m.skewness, 3)}, kurt ${short(m.kurtosis, 3)}`;

/**
 * Histograms of each weight set on common edges spanning all of them (numpy's rule: bins
 * half-open, the last closed), overlaid, each annotated with its moments (`weightMoments`:
 * mean, population std, skewness, excess kurtosis). `numbers`: edges, counts and moments per set.
 */
export function weightHistogramFigure(input: WeightHistogramInput): Figure {
  if (input.sets.length === 0)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      'weightHistogramFigure needs at least one weight set',
    );
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  for (const s of input.sets) {
    if (s.values.length === 0)
      throw new RnnscopeError('INVALID_ARGUMENT', `weight set '${s.name}' is empty`);
    for (let i = 0; i < s.values.length; i++) {
      lo = Math.min(lo, s.values[i]);
      hi = Math.max(hi, s.values[i]);
    }
    n = Math.max(n, s.values.length);
  }
  const edges = binEdges(lo, hi, input.bins ?? defaultBins(n));
  const centers = edges.slice(0, -1).map((e, k) => 0.5 * (e + edges[k + 1]));
  const widths = edges.slice(0, -1).map((e, k) => edges[k + 1] - e);
  const sets = input.sets.map((s, i) => {
    const h = histogramCounts(s.values, edges);
    return {
      name: s.name,
      color: s.color ?? paletteColor(i),
      counts: h.counts,
      total: s.values.length,
      moments: weightMoments(s.values),
    };
  });
  const data: PlotlyTrace[] = sets.map((s) => ({
    type: 'bar',
    name: `${s.name} (${s.total})`,
    x: centers,
    y: s.counts,
    width: widths,
    marker: { color: s.color, line: { color: s.color, width: 0.5 } },
    opacity: sets.length > 1 ? 0.55 : 0.85,
    hovertemplate: '%{x:.3g}: %{y}<extra></extra>',
  }));
  const annotations = sets.map((s, i) => ({
    xref: 'paper',
    yref: 'paper',
    x: 0.99,
    y: 0.98 - 0.07 * i,
    xanchor: 'right',
    yanchor: 'top',
    showarrow: false,
    text: `${s.name}: ${momentText(s.moments)}`,
    font: { size: 11, color: s.color },
  }));
  const title = input.title ?? 'Weight distribution';
  return {
    id: input.id ?? 'weights',
    title,
    data,
    layout: baseLayout(titleText(title, `${edges.length - 1} bins on shared edges`), {
      barmode: 'overlay',
      bargap: 0,
      xaxis: axis('weight'),
      yaxis: axis('count'),
      annotations,
      legend: { x: 0.01, y: 0.98 },
    }),
    numbers: {
      edges,
      sets: sets.map((s) => ({
        name: s.name,
        counts: s.counts,
        total: s.total,
        moments: s.moments,
      })),
    },
  };
}
