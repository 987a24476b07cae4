/**
 * The fixed-point part every report shares: the search itself (starts from visited states plus
 * a few off the manifold), its summary rows, and its section text.
 */
import { findFixedPointsAsync } from '../analysis/fixed-points/drivers.js';
import { sampleStates, stackStates } from '../analysis/fixed-points/initial-states.js';
import { offManifoldStates, type SamplingTarget } from '../analysis/fixed-points/prepare.js';
import type {
  FixedPointOptions,
  FixedPointProgress,
  FixedPointResult,
} from '../analysis/fixed-points/types.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Rng } from '../random/index.js';
import type { DynamicalSystem } from '../systems/types.js';
import type { ReportSummaryRow } from './document.js';

/** Default number of starts: many for small systems (cheap), fewer for large ones. */
export const defaultInits = (n: number): number => (n <= 64 ? 1024 : n <= 256 ? 512 : 128);

/**
 * Per-coordinate RMS deviation of the visited states from their mean: the jitter added to the
 * sampled starts is half of it, so starts explore around the visited manifold at any state scale.
 */
export function stateSpread(states: readonly Matrix[]): number {
  const all = stackStates(...states);
  const n = all.cols;
  if (all.rows === 0 || n === 0) return 1;
  const mean = new Float64Array(n);
  for (let r = 0; r < all.rows; r++) for (let i = 0; i < n; i++) mean[i] += all.data[r * n + i];
  for (let i = 0; i < n; i++) mean[i] /= all.rows;
  let s = 0;
  for (let r = 0; r < all.rows; r++)
    for (let i = 0; i < n; i++) {
      const d = all.data[r * n + i] - mean[i];
      s += d * d;
    }
  return Math.sqrt(s / (all.rows * n)) || 1;
}

export interface FixedPointSearchOptions {
  inits: number;
  offManifold: number;
  /** Jitter as a fraction of `stateSpread` (default 0.5). */
  noise?: number;
  rng: Rng;
  signal?: AbortSignal;
  onProgress?: (p: FixedPointProgress) => void;
  options?: FixedPointOptions;
}

/** Samples starts from `visited` (with replacement, jittered) plus off-manifold states, and searches. */
export async function searchFixedPoints(
  sys: DynamicalSystem,
  target: SamplingTarget,
  visited: { states: Matrix[]; outputs: Matrix[] },
  o: FixedPointSearchOptions,
): Promise<FixedPointResult> {
  const noise = (o.noise ?? 0.5) * stateSpread(visited.states);
  const parts = [
    sampleStates(visited.states, o.inits, o.rng.fork('sampling'), { replace: true, noise }),
  ];
  if (o.offManifold > 0)
    parts.push(offManifoldStates(target, visited, o.offManifold, o.rng.fork('off-manifold')));
  return findFixedPointsAsync(sys, stackStates(...parts), {
    ...o.options,
    signal: o.signal,
    onProgress: o.onProgress,
  });
}

/** Summary rows of a fixed-point result. */
export function fixedPointSummary(r: FixedPointResult): ReportSummaryRow[] {
  const fps = r.fixedPoints;
  const count = (pred: (p: (typeof fps)[number]) => boolean) => fps.filter(pred).length;
  return [
    { label: 'fixed-point starts', value: r.summary.starts },
    { label: 'unique fixed points', value: count((p) => p.kind === 'fixed') },
    {
      label: 'stable fixed points',
      value: count((p) => p.kind === 'fixed' && p.stability === 'stable'),
    },
    {
      label: 'unstable fixed points',
      value: count((p) => p.kind === 'fixed' && p.stability === 'unstable'),
    },
    { label: 'slow points', value: count((p) => p.kind === 'slow') },
    { label: 'starts not converged', value: r.summary.notConverged },
    { label: 'fixed-point method', value: r.settings.method },
    { label: 'tolFixed (q)', value: r.settings.tolFixed },
    { label: 'tolSlow (q)', value: r.settings.tolSlow },
  ];
}

/** One paragraph describing a fixed-point result. */
export function fixedPointText(r: FixedPointResult, what: string): string {
  const fps = r.fixedPoints;
  const stable = fps.filter((p) => p.kind === 'fixed' && p.stability === 'stable').length;
  const fixed = fps.filter((p) => p.kind === 'fixed').length;
  const slow = fps.filter((p) => p.kind === 'slow').length;
  const labels = new Map<string, number>();
  for (const p of fps) {
    if (p.kind !== 'fixed') continue;
    const l =
      p.label === 'saddle'
        ? `saddles with ${p.unstableDims} unstable direction(s)`
        : (p.label ?? 'unclassified');
    labels.set(l, (labels.get(l) ?? 0) + 1);
  }
  const parts = [...labels].map(([l, n]) => `${n} ${l}`).join(', ');
  return (
    `${what}: ${r.summary.starts} starts minimised q = ½‖F‖² (${r.settings.method}); ` +
    `${fixed} unique fixed points (${stable} stable${parts ? `; ${parts}` : ''})` +
    (slow ? ` and ${slow} slow points` : '') +
    `. Stable points are black, unstable red with segments along their unstable eigenvectors; slow points are open diamonds.`
  );
}
