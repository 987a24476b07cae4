/**
 * De-duplication and the scale it is measured in. FixedPointFinder merges points closer than
 * an absolute 1e-3 (2-norm), which in 1000 dimensions merges almost nothing; here the
 * tolerance is relative to the size of the region the initial states cover.
 */
import type { Matrix } from '../../linalg/index.js';

/**
 * The state scale: the RMS distance of the (finite) rows of X from their centroid,
 *   s = √( (1/K) Σₖ ‖xₖ − x̄‖² ),
 * or, when all rows coincide, max(1, max‖xₖ‖). Returns 1 for no finite rows.
 */
export function stateScale(X: Matrix): {
  scale: number;
  centroid: Float64Array;
  meanDistance: number;
} {
  const n = X.cols;
  const centroid = new Float64Array(n);
  const rows: number[] = [];
  for (let r = 0; r < X.rows; r++) {
    let ok = true;
    for (let i = 0; i < n; i++) if (!Number.isFinite(X.data[r * n + i])) ok = false;
    if (ok) rows.push(r);
  }
  if (rows.length === 0) return { scale: 1, centroid, meanDistance: 1 };
  for (const r of rows) for (let i = 0; i < n; i++) centroid[i] += X.data[r * n + i];
  for (let i = 0; i < n; i++) centroid[i] /= rows.length;
  let ms = 0;
  let md = 0;
  let maxNorm = 0;
  for (const r of rows) {
    let d2 = 0;
    let x2 = 0;
    for (let i = 0; i < n; i++) {
      const d = X.data[r * n + i] - centroid[i];
      d2 += d * d;
      x2 += X.data[r * n + i] ** 2;
    }
    ms += d2;
    md += Math.sqrt(d2);
    maxNorm = Math.max(maxNorm, Math.sqrt(x2));
  }
  const rms = Math.sqrt(ms / rows.length);
  const fallback = Math.max(1, maxNorm);
  return {
    scale: rms > 0 ? rms : fallback,
    centroid,
    meanDistance: md > 0 ? md / rows.length : fallback,
  };
}

/**
 * Greedy clustering in order of increasing q: each point joins the first representative within
 * `tol` (Euclidean), else becomes a representative. So every cluster is represented by its
 * lowest-q member, and `count` says how many points ended there.
 *
 * @returns representatives (indices into `members`' values), and for each member its cluster.
 */
export function uniquePoints(
  X: Matrix,
  members: readonly number[],
  q: ArrayLike<number>,
  tol: number,
): { representatives: number[]; clusterOf: Map<number, number>; counts: number[] } {
  const n = X.cols;
  const order = [...members].sort((a, b) => q[a] - q[b] || a - b);
  const representatives: number[] = [];
  const counts: number[] = [];
  const clusterOf = new Map<number, number>();
  const tol2 = tol * tol;
  for (const r of order) {
    let found = -1;
    for (let c = 0; c < representatives.length && found < 0; c++) {
      const p = representatives[c];
      let d2 = 0;
      for (let i = 0; i < n && d2 <= tol2; i++) {
        const d = X.data[r * n + i] - X.data[p * n + i];
        d2 += d * d;
      }
      if (d2 <= tol2) found = c;
    }
    if (found < 0) {
      found = representatives.length;
      representatives.push(r);
      counts.push(0);
    }
    counts[found]++;
    clusterOf.set(r, found);
  }
  return { representatives, clusterOf, counts };
}
