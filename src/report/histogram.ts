/**
 * Histogram binning with numpy's conventions (`np.histogram`): equal-width bins from the data's
 * min to max, every bin half-open [e_k, e_{k+1}) except the last, which is closed.
 */
import { RnnscopeError } from '../errors.js';

export interface Histogram {
  /** bins + 1 increasing edges. */
  edges: number[];
  /** Values per bin. */
  counts: number[];
  /** Values that fell outside [edges[0], edges[bins]] (0 when the edges came from the data). */
  outside: number;
}

/**
 * `bins + 1` equal-width edges over [lo, hi] as numpy's `linspace` computes them (lo + k·step, the
 * last one exactly hi). A degenerate range (lo = hi) is widened to [lo − ½, hi + ½] as numpy does.
 */
export function binEdges(lo: number, hi: number, bins: number): number[] {
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new RnnscopeError('INVALID_ARGUMENT', `bins must be a positive integer, got ${bins}`);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `histogram range must be finite, got [${lo}, ${hi}]`,
    );
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const step = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => lo + k * step);
  edges[bins] = hi;
  return edges;
}

/**
 * Counts `values` into the bins of `edges` (increasing). A value v goes to the k with
 * e_k ≤ v < e_{k+1}, and v = e_last to the last bin; others count as `outside`. Non-finite
 * values are rejected.
 */
export function histogramCounts(values: ArrayLike<number>, edges: readonly number[]): Histogram {
  const bins = edges.length - 1;
  if (bins < 1) throw new RnnscopeError('INVALID_ARGUMENT', 'a histogram needs at least 2 edges');
  const counts = new Array<number>(bins).fill(0);
  const lo = edges[0];
  const hi = edges[bins];
  let outside = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new RnnscopeError('NON_FINITE', `histogram value ${i} is ${v}`);
    if (v < lo || v > hi) {
      outside++;
      continue;
    }
    // Guess from the uniform spacing, then correct against the actual edges (as numpy does).
    let k = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
    while (k > 0 && v < edges[k]) k--;
    while (k < bins - 1 && v >= edges[k + 1]) k++;
    counts[k]++;
  }
  return { edges: edges.slice(), counts, outside };
}

/** Histogram of `values` in `bins` equal bins over their range (np.histogram(values, bins)). */
export function histogram(values: ArrayLike<number>, bins: number): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new RnnscopeError('NON_FINITE', `histogram value ${i} is ${v}`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (values.length === 0) {
    lo = 0;
    hi = 1;
  }
  return histogramCounts(values, binEdges(lo, hi, bins));
}

/** A bin count that suits n values: √n, between 10 and 60. */
export const defaultBins = (n: number): number =>
  Math.max(10, Math.min(60, Math.round(Math.sqrt(Math.max(1, n)))));
