/**
 * Histogram of log₁₀ q over the optimised starts (FixedPointFinder's diagnostic), stacked by
 * outcome, with the fixed and slow thresholds as vertical lines.
 */
import type { FixedPointResult, StartOutcome } from '../../analysis/fixed-points/types.js';
import { binEdges, histogramCounts } from '../histogram.js';
import { COLORS, axis, baseLayout, short, titleText } from '../style.js';
import type { Figure, PlotlyTrace } from '../types.js';

export interface QHistogramInput {
  result: Pick<FixedPointResult, 'starts' | 'settings'>;
  /** Bins (default 40). */
  bins?: number;
  id?: string;
  title?: string;
}

const STATUS: StartOutcome['status'][] = ['fixed', 'slow', 'not converged'];
const STATUS_COLOR: Record<StartOutcome['status'], string> = {
  fixed: COLORS.stable,
  slow: '#ff7f0e',
  'not converged': COLORS.unknown,
};

/**
 * log₁₀ q of every start that was optimised (non-finite starts are left out; q = 0 exactly is
 * counted apart, as log₁₀ 0 = −∞), binned on edges spanning the data and both thresholds,
 * stacked by status. `numbers`: edges, counts per status, the thresholds, the q = 0 count.
 */
export function qHistogramFigure(input: QHistogramInput): Figure {
  const { starts, settings } = input.result;
  const used = starts.filter((s) => s.reason !== 'non-finite' && Number.isFinite(s.q));
  const zero = used.filter((s) => s.q === 0).length;
  const positive = used.filter((s) => s.q > 0);
  const logFixed = Math.log10(settings.tolFixed);
  const logSlow = Math.log10(settings.tolSlow);
  const logs = positive.map((s) => Math.log10(s.q));
  const lo = Math.floor(logs.reduce((m, v) => Math.min(m, v), logFixed) - 0.5);
  const hi = Math.ceil(logs.reduce((m, v) => Math.max(m, v), logSlow) + 0.5);
  const edges = binEdges(lo, hi, input.bins ?? 40);
  const centers = edges.slice(0, -1).map((e, k) => 0.5 * (e + edges[k + 1]));
  const width = edges[1] - edges[0];
  const counts = Object.fromEntries(
    STATUS.map((st) => [
      st,
      histogramCounts(
        positive.filter((s) => s.status === st).map((s) => Math.log10(s.q)),
        edges,
      ).counts,
    ]),
  ) as Record<StartOutcome['status'], number[]>;
  const data: PlotlyTrace[] = STATUS.filter((st) => counts[st].some((c) => c > 0)).map((st) => ({
    type: 'bar',
    name: `${st} (${counts[st].reduce((a, b) => a + b, 0)})`,
    x: centers,
    y: counts[st],
    width,
    marker: { color: STATUS_COLOR[st] },
    opacity: 0.85,
  }));
  const ymax = Math.max(
    1,
    ...centers.map((_, k) => STATUS.reduce((s, st) => s + counts[st][k], 0)),
  );
  for (const [name, x, dash] of [
    ['tolFixed', logFixed, 'solid'],
    ['tolSlow', logSlow, 'dash'],
  ] as const) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `${name} = ${short(10 ** x, 3)}`,
      x: [x, x],
      y: [0, 1.05 * ymax],
      line: { color: COLORS.unstable, width: 1.5, dash },
      hoverinfo: 'skip',
    });
  }
  const title = input.title ?? 'q at the end of optimisation';
  const subtitle =
    `${used.length} starts, q = ½‖F‖² (${settings.qUnits})` +
    (zero > 0 ? `; ${zero} reached q = 0 exactly (not shown)` : '');
  return {
    id: input.id ?? 'q-histogram',
    title,
    data,
    layout: baseLayout(titleText(title, subtitle), {
      barmode: 'stack',
      bargap: 0,
      xaxis: axis('log₁₀ q'),
      yaxis: axis('starts'),
    }),
    numbers: {
      edges,
      counts,
      zeroQ: zero,
      starts: used.length,
      log10TolFixed: logFixed,
      log10TolSlow: logSlow,
    },
  };
}
