/**
 * PCA of a small set of points in a high-dimensional space (K points, K ≪ N), by the K×K Gram
 * matrix of the centred points instead of the N×N covariance: with X̃ the centred K×N data,
 * X̃X̃ᵀ = U Λ Uᵀ gives the scores (coordinates along the principal axes) U√Λ directly, and the
 * covariance eigenvalues are Λ/(K − 1). Exact, and O(K²N) instead of O(N³).
 */
import { RnnscopeError } from '../../errors.js';
import { eigSym, gemm, type Matrix } from '../../linalg/index.js';

export interface PointPca {
  /** K×k coordinates of the points along the first k principal axes. */
  scores: number[][];
  /** Variance along each axis (descending), over all min(K − 1, N) axes. */
  variance: number[];
  /** variance / total variance. */
  varianceRatio: number[];
  /** Mean of the points (N). */
  mean: Float64Array;
  /** Unit principal axes as N-vectors, first k (columns of V with X̃ = U√Λ Vᵀ). */
  axes: Float64Array[];
}

/**
 * Principal axes of the rows of `points` (K×N, K ≥ 2). Axis signs follow `eigSym`'s convention
 * (largest component of each U column positive), so results are deterministic.
 */
export function pointPca(points: Matrix, components = 3): PointPca {
  const K = points.rows;
  const N = points.cols;
  if (K < 2) throw new RnnscopeError('INVALID_ARGUMENT', `PCA needs at least 2 points, got ${K}`);
  const mean = new Float64Array(N);
  for (let r = 0; r < K; r++) for (let i = 0; i < N; i++) mean[i] += points.data[r * N + i] / K;
  const X = { rows: K, cols: N, data: new Float64Array(K * N) };
  for (let r = 0; r < K; r++)
    for (let i = 0; i < N; i++) X.data[r * N + i] = points.data[r * N + i] - mean[i];
  const G = { rows: K, cols: K, data: new Float64Array(K * K) };
  gemm(false, true, 1, X, X, 0, G);
  // Exact symmetry: eigSym checks it, and the GEMM's two triangles may differ in the last bit.
  for (let i = 0; i < K; i++)
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (G.data[i * K + j] + G.data[j * K + i]);
      G.data[i * K + j] = s;
      G.data[j * K + i] = s;
    }
  const { values, vectors } = eigSym(G, true);
  const order = Array.from(values, (_, i) => i).sort((a, b) => values[b] - values[a]);
  const axesCount = Math.min(K - 1, N);
  const lambda = order.slice(0, axesCount).map((i) => Math.max(0, values[i]));
  const total = lambda.reduce((s, v) => s + v, 0);
  const k = Math.min(components, axesCount);
  const scores = Array.from({ length: K }, () => new Array<number>(k).fill(0));
  const axes: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    const col = order[c];
    const s = Math.sqrt(lambda[c]);
    for (let r = 0; r < K; r++) scores[r][c] = vectors!.data[r * K + col] * s;
    const v = new Float64Array(N);
    if (s > 0) {
      for (let r = 0; r < K; r++) {
        const u = vectors!.data[r * K + col] / s;
        for (let i = 0; i < N; i++) v[i] += u * X.data[r * N + i];
      }
    }
    axes.push(v);
  }
  return {
    scores,
    variance: lambda.map((l) => l / (K - 1)),
    varianceRatio: lambda.map((l) => (total > 0 ? l / total : 0)),
    mean,
    axes,
  };
}
