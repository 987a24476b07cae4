/**
 * Newton polishing of states the runs produced (rest states, slowest points of near-threshold
 * runs) into fixed or slow points. Points that are already known (a node or a saddle) are
 * recognised by distance and not linearised again — at N = 1000 the Arnoldi linearisation is
 * the expensive part.
 */
import type { LinalgBackend, Matrix } from '../../linalg/index.js';
import type { ModelParams } from '../../models/types.js';
import { batchModelSystem } from '../batch.js';
import { fixedPointSearch } from '../fixed-points/find.js';
import { linearize } from '../fixed-points/linearize.js';
import type { FixedPoint } from '../fixed-points/types.js';
import { nearestRow } from './ensemble.js';

/**
 * Leading multipliers computed by Arnoldi above 400 units: enough to decide stability and count
 * the unstable directions of a saddle (flagged as a lower bound when all are unstable); each
 * more costs ~0.1 s at N = 1000.
 */
export const LEADING = 3;

/**
 * Fixed and slow points reached by Newton from `starts` that lie farther than `sameDistance`
 * from every row of `known`, linearised (leading multipliers of the map, one mode).
 */
export function* polishNew(
  params: ModelParams,
  baseline: Float64Array,
  starts: Matrix,
  known: Matrix,
  sameDistance: number,
  tuning: { method?: 'auto' | 'gauss-newton' | 'newton-krylov'; maxIterations?: number },
  backend: LinalgBackend | undefined,
  shouldStop: () => boolean,
): Generator<void, FixedPoint[]> {
  if (starts.rows === 0) return [];
  const sys = batchModelSystem(params, baseline, 'map', backend);
  try {
    const found = yield* fixedPointSearch(sys, starts, {
      method: tuning.method,
      maxIterations: tuning.maxIterations,
      linearize: false,
      periodic: 'never',
      backend,
      shouldStop,
    });
    const fresh: FixedPoint[] = [];
    const seen: number[][] = [];
    for (const p of found.fixedPoints) {
      const x = Float64Array.from(p.x);
      if (nearestRow(known, x)[1] <= sameDistance) continue;
      if (seen.some((y) => y.reduce((s, v, i) => s + (v - x[i]) ** 2, 0) <= sameDistance ** 2))
        continue;
      seen.push(p.x);
      const lin = linearize(sys, x, { modes: 1, leading: LEADING });
      fresh.push({
        ...p,
        eigenvalues: lin.eigenvalues,
        stability: lin.stability,
        label: lin.label,
        unstableDims: lin.unstableDims,
        ...(lin.unstableDimsAtLeast ? { unstableDimsAtLeast: true } : {}),
        marginalDims: lin.marginalDims,
        spectrum: lin.spectrum,
        modes: lin.modes,
      });
      yield;
    }
    return fresh;
  } finally {
    sys.batch.release?.();
  }
}
