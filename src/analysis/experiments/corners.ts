/**
 * The stable points of a B-bit flip-flop, labelled by the memory they hold: corner c of the
 * hypercube {−1, +1}^B, indexed by c = Σ_k [z_k > 0]·2^k (bit k set when output k is positive).
 */
import { RnnscopeError } from '../../errors.js';
import type { ModelParams } from '../../models/types.js';
import { batchModelSystem } from '../batch.js';
import { findFixedPointsAsync } from '../fixed-points/drivers.js';
import type { FixedPoint, FixedPointOptions, FixedPointResult } from '../fixed-points/types.js';

/** The ±1 readout of corner `index` (bit k of the index set ⇒ +1 on output k). */
export function cornerSigns(index: number, bits: number): number[] {
  return Array.from({ length: bits }, (_, k) => ((index >> k) & 1 ? 1 : -1));
}

/** The corner an output points at: bit k set when output k is positive. */
export function cornerIndex(output: ArrayLike<number>): number {
  let c = 0;
  for (let k = 0; k < output.length; k++) if (output[k] > 0) c |= 1 << k;
  return c;
}

export interface CornerPoints {
  bits: number;
  /** Per corner index: the stable fixed point there, or null when none was found. */
  points: (FixedPoint | null)[];
  /** max_k |z_k − c_k| of each corner's point (NaN where missing): how well it holds the memory. */
  outputError: number[];
  /** Corner indices without a stable point. */
  missing: number[];
  /**
   * Other stable points: a second point with the same output signs (the one whose output is
   * nearer the corner is kept above), so more than one point per memory.
   */
  extra: FixedPoint[];
}

/**
 * Assigns the stable fixed points (kind 'fixed', stability 'stable', with an output of B values)
 * to the corners by the signs of their outputs; where several share a corner, the one whose
 * output is nearest the corner (∞-norm) holds it and the others are `extra`.
 */
export function labelCorners(points: readonly FixedPoint[], bits: number): CornerPoints {
  if (!(Number.isInteger(bits) && bits >= 1 && bits <= 16))
    throw new RnnscopeError('INVALID_ARGUMENT', `bits must be an integer in 1…16, got ${bits}`);
  const slots: (FixedPoint | null)[] = new Array(2 ** bits).fill(null);
  const err = new Array<number>(2 ** bits).fill(NaN);
  const extra: FixedPoint[] = [];
  for (const p of points) {
    if (p.kind !== 'fixed' || p.stability !== 'stable') continue;
    if (!p.output || p.output.length !== bits)
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `stable points need a readout of ${bits} outputs to be labelled by corner`,
      );
    const c = cornerIndex(p.output);
    const signs = cornerSigns(c, bits);
    const e = Math.max(...p.output.map((z, k) => Math.abs(z - signs[k])));
    const held = slots[c];
    if (held === null || e < err[c]) {
      if (held) extra.push(held);
      slots[c] = p;
      err[c] = e;
    } else extra.push(p);
  }
  return {
    bits,
    points: slots,
    outputError: err,
    missing: slots.flatMap((p, c) => (p ? [] : [c])),
    extra,
  };
}

export interface CornerSearch {
  corners: CornerPoints;
  /** The search's summary, settings and warnings (the points themselves are in `corners`). */
  search: Pick<FixedPointResult, 'summary' | 'settings' | 'timings' | 'warnings' | 'interrupted'>;
  fixedPoints: FixedPoint[];
}

/**
 * Fixed points of the model with zero input from `starts`, and its stable points labelled by
 * corner (`labelCorners`). `bits` is the number of flip-flop channels (the readout's outputs).
 */
export async function findCornerPoints(
  params: ModelParams,
  starts: { rows: number; cols: number; data: Float64Array },
  bits: number,
  opts: Omit<FixedPointOptions, 'shouldStop'> & { signal?: { readonly aborted: boolean } } = {},
): Promise<CornerSearch> {
  const O = params.Wout?.rows ?? 0;
  if (O !== bits)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `a ${bits}-bit flip-flop needs a readout of ${bits} outputs; the model has ${O}`,
    );
  const { signal, ...options } = opts;
  const sys = batchModelSystem(
    params,
    new Float64Array(params.Win?.cols ?? 0),
    undefined,
    options.backend,
  );
  try {
    const r = await findFixedPointsAsync(sys, starts, {
      ...options,
      shouldStop: () => Boolean(signal?.aborted),
    });
    return {
      corners: labelCorners(r.fixedPoints, bits),
      search: {
        summary: r.summary,
        settings: r.settings,
        timings: r.timings,
        warnings: r.warnings,
        interrupted: r.interrupted,
      },
      fixedPoints: r.fixedPoints,
    };
  } finally {
    sys.batch.release?.();
  }
}
