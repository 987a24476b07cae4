/**
 * From a trained flip-flop network to the geometry of its memories: starts next to every corner
 * (`experimentStarts`), the stable points labelled by corner (`findCornerPoints`), and, when
 * every corner has one, `cornerGeometry` of the 2^B points.
 */
import { RnnscopeError } from '../../errors.js';
import type { ModelParams } from '../../models/types.js';
import { createRng } from '../../random/index.js';
import type { Task } from '../../tasks/types.js';
import type { FixedPointOptions, FixedPointResult } from '../fixed-points/types.js';
import { cornerSigns, findCornerPoints } from './corners.js';
import { cornerGeometry, type CornerGeometry } from './geometry.js';
import { experimentStarts } from './starts.js';

export interface CornerSummary {
  corner: number;
  signs: number[];
  /** Readout at the point, max_k |z_k − s_k|, and q; null entries where no stable point was found. */
  output: number[] | null;
  outputError: number | null;
  q: number | null;
  /** The slowest decay rate: the leading eigenvalue [re, im]. */
  leading: [number, number] | null;
  x?: number[];
}

export interface FlipFlopGeometry {
  bits: number;
  corners: CornerSummary[];
  missing: number[];
  /** Stable points beyond one per corner (their outputs). */
  extraStable: number[][];
  search: Pick<FixedPointResult, 'summary' | 'warnings'> & { starts: number; seconds: number };
  /** Present when every corner has a stable point. */
  geometry?: CornerGeometry;
  partial: boolean;
}

export interface FlipFlopGeometryOptions {
  seed?: number | string;
  /** Visited states sampled as starts (default 64) and states written per corner (default 2). */
  samples?: number;
  perCorner?: number;
  fixedPoints?: Omit<FixedPointOptions, 'shouldStop'>;
  /** Include each corner's state x (default false). */
  keepStates?: boolean;
  signal?: { readonly aborted: boolean };
}

/**
 * The stable points of a trained B-bit flip-flop (`task` a flip-flop task) and their geometry.
 * @example
 * const g = await flipFlopGeometry(params, createTask({ task: 'flipflop', bits: 4 }));
 * g.geometry?.projection?.shape; // 'hexagonal prism (edge-first)', …
 */
export async function flipFlopGeometry(
  params: ModelParams,
  task: Task,
  opts: FlipFlopGeometryOptions = {},
): Promise<FlipFlopGeometry> {
  if (task.spec.task !== 'flipflop')
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `corner geometry needs a flip-flop task, got '${task.spec.task}'`,
    );
  const bits = task.spec.bits;
  const t0 = performance.now();
  const { starts } = experimentStarts(params, {
    rng: createRng(opts.seed ?? 0).fork('geometry starts'),
    task,
    samples: opts.samples ?? 64,
    perCorner: opts.perCorner ?? 2,
  });
  const found = await findCornerPoints(params, starts, bits, {
    ...opts.fixedPoints,
    signal: opts.signal,
  });
  const c = found.corners;
  const corners: CornerSummary[] = c.points.map((p, k) => ({
    corner: k,
    signs: cornerSigns(k, bits),
    output: p?.output ?? null,
    outputError: p ? c.outputError[k] : null,
    q: p?.q ?? null,
    leading: p?.eigenvalues?.[0] ?? null,
    ...(opts.keepStates && p ? { x: p.x } : {}),
  }));
  const result: FlipFlopGeometry = {
    bits,
    corners,
    missing: c.missing,
    extraStable: c.extra.map((p) => p.output ?? []),
    search: {
      summary: found.search.summary,
      warnings: found.search.warnings,
      starts: starts.rows,
      seconds: (performance.now() - t0) / 1000,
    },
    partial: found.search.interrupted,
  };
  if (c.missing.length === 0 && !result.partial) {
    const N = params.W.rows;
    const X = { rows: 2 ** bits, cols: N, data: new Float64Array(2 ** bits * N) };
    c.points.forEach((p, k) => X.data.set(p!.x, k * N));
    result.geometry = cornerGeometry(X, bits);
  }
  return result;
}
