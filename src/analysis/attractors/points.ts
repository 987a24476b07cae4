/** Fixed points as graph nodes and saddles, and the radius within which a run counts as arrived. */
import { zeros, type Matrix } from '../../linalg/index.js';
import type { FixedPoint } from '../fixed-points/types.js';
import { eigenSummary } from './census.js';
import type { Targets } from './ensemble.js';
import { outputPattern } from './flipflop-check.js';
import type { EigenSummary, GraphSaddle } from './types.js';

/** Rows of a matrix from points' `x`. */
export function pointsMatrix(xs: readonly { x: number[] }[], n: number): Matrix {
  const M = zeros(xs.length, n);
  xs.forEach((p, k) => M.data.set(p.x, k * n));
  return M;
}

/** The fields a node or saddle takes from a fixed point. */
export function describePoint(
  p: FixedPoint,
  zeroTol: number,
): { x: number[]; output?: number[]; pattern?: string; q: number; eigen: EigenSummary } {
  return {
    x: p.x,
    ...(p.output ? { output: p.output, pattern: outputPattern(p.output, zeroTol) } : {}),
    q: p.q,
    eigen: eigenSummary(p),
  };
}

export function saddleOf(
  p: FixedPoint,
  index: number,
  source: GraphSaddle['source'],
  zeroTol: number,
): GraphSaddle {
  const d = describePoint(p, zeroTol);
  return {
    index,
    kind: p.kind,
    x: d.x,
    ...(d.output ? { output: d.output } : {}),
    q: d.q,
    speed: p.speed,
    eigen: d.eigen,
    source,
  };
}

/**
 * Nodes with their identification radii: r_k = min(radius, ½·distance from node k to the
 * nearest other node or saddle), so a run counts as arrived only where no other fixed point
 * is as close — crowded nodes of a badly trained network get smaller radii automatically.
 */
export function nodeTargets(
  nodes: readonly { x: number[] }[],
  saddles: readonly { x: number[] }[],
  radius: number,
): Targets {
  const n = nodes[0]?.x.length ?? 0;
  const points = pointsMatrix(nodes, n);
  const r = new Float64Array(nodes.length).fill(radius);
  const others = [...nodes, ...saddles];
  nodes.forEach((a, k) => {
    others.forEach((b, j) => {
      if (j === k) return;
      let d2 = 0;
      for (let i = 0; i < n; i++) d2 += (a.x[i] - b.x[i]) ** 2;
      r[k] = Math.min(r[k], 0.5 * Math.sqrt(d2));
    });
  });
  return { points, radius: r };
}
