/**
 * The geometry of a B-bit flip-flop's 2^B stable points as numbers (seed 000 §7–7.1, fig. 8):
 * how well they form a hypercube of the B bits, and what shape their 3-D PCA picture has.
 *
 * Point c (corner index, bit k set ⇔ output k > 0; s_k(c) = ±1) is modelled as
 *
 *   x_c = m + ½ Σ_k s_k(c)·a_k + r_c,
 *
 * a parallelotope with edge vectors a_k (one per bit) plus a residual. The corners form a full
 * factorial design, so the least-squares fit is m = mean x_c, a_k = (2/2^B) Σ_c s_k(c) x_c.
 * A cuboid has orthogonal a_k; a hypercube, orthogonal a_k of equal length.
 *
 * The PCA picture projects onto the first three principal axes V (N×3): edge k becomes
 * b_k = Vᵀa_k. For B = 4 the four b_k are dependent, Σ n_k b_k = 0 for one unit vector n, and n
 * names the projection: for a regular tesseract the picture is the parallel projection along
 * the direction n of bit space, and the participation ratio PR = 1/Σ n_k⁴ counts the bits it
 * mixes — 1: cell-first (a cube), 2: face-first (a cuboid), 3: edge-first (a hexagonal prism),
 * 4: vertex-first (a rhombic dodecahedron).
 */
import { RnnscopeError } from '../../errors.js';
import type { Matrix } from '../../linalg/index.js';
import { cornerSigns } from './corners.js';
import { pointPca } from './point-pca.js';
import { distance, norm, summarize, type Summary } from './stats.js';

export const PROJECTION_SHAPES = [
  'cube (cell-first)',
  'cuboid (face-first)',
  'hexagonal prism (edge-first)',
  'rhombic dodecahedron (vertex-first)',
] as const;

export interface CornerGeometry {
  bits: number;
  dim: number;
  /** ‖x_c − x_d‖ for all corners (2^B × 2^B, corner-index order). */
  distances: number[][];
  /** Per bit k: distances between the 2^(B−1) pairs of corners that differ in bit k only; cv = std/mean. */
  edges: (Summary & { bit: number; cv: number })[];
  /**
   * Mean distance between corners h bit flips apart (h = 1…B), and relative to h = 1
   * (a hypercube gives √h; a cuboid with edges l_k gives the mean of √(Σ_{k∈S} l_k²)).
   */
  hamming: { h: number; mean: number; std: number; relative: number }[];
  /** The least-squares parallelotope x_c ≈ m + ½Σ s_k a_k. */
  parallelotope: {
    /** √(Σ‖r_c‖² / Σ‖x_c − m‖²): the part of the spread not additive in the bits (0 for a parallelotope). */
    residual: number;
    /** ‖a_k‖: the edge length of bit k. */
    edgeLengths: number[];
    /** Cosines between edge vectors (B×B). */
    cosines: number[][];
    /** RMS of the off-diagonal cosines: 0 for a cuboid. */
    rmsCosine: number;
    /** std/mean of the edge lengths: 0 for equal edges. */
    lengthCv: number;
    /** max/min edge length. */
    lengthRatio: number;
  };
  /** PCA of the 2^B points. */
  pca: { varianceRatio: number[]; coordinates: number[][] };
  /** The 3-D PCA picture (B ≥ 3). */
  projection?: {
    /** b_k = Vᵀa_k, the projected edge vectors (B × 3). */
    edges: number[][];
    /** ‖b_k‖ / max_j ‖b_j‖. */
    relativeLengths: number[];
    /** Cosines between projected edges (B×B). */
    cosines: number[][];
    /** Σ‖b_k‖² / Σ‖a_k‖²: how much of the edges the picture keeps. */
    kept: number;
    /**
     * Variance on the 3rd principal axis over that on the 4th (∞ when the points span 3 axes):
     * near 1 the 3-D picture is decided by small differences and changes with them.
     */
    axisGap: number;
    /** B = 4: the unit n with Σ n_k b_k = 0 (largest |n_k| positive). */
    nullVector?: number[];
    /** B = 4: participation ratio 1/Σ n_k⁴ ∈ [1, 4]. */
    participation?: number;
    /** B = 4: the tesseract projection PR is nearest to. */
    shape?: (typeof PROJECTION_SHAPES)[number];
  };
}

const popcount = (v: number) => {
  let c = 0;
  for (; v; v &= v - 1) c++;
  return c;
};

const det3 = (a: number[], b: number[], c: number[]) =>
  a[0] * (b[1] * c[2] - b[2] * c[1]) -
  a[1] * (b[0] * c[2] - b[2] * c[0]) +
  a[2] * (b[0] * c[1] - b[1] * c[0]);

function cosineMatrix(v: ArrayLike<number>[]): number[][] {
  const n = v.map(norm);
  return v.map((a, i) =>
    v.map((b, j) => {
      if (n[i] === 0 || n[j] === 0) return i === j ? 1 : 0;
      let s = 0;
      for (let t = 0; t < a.length; t++) s += a[t] * b[t];
      return s / (n[i] * n[j]);
    }),
  );
}

/** The unit null vector of four 3-vectors (generalised cross product), largest entry positive. */
export function nullVector4(b: number[][]): number[] {
  const n = [0, 1, 2, 3].map((k) => {
    const rest = b.filter((_, j) => j !== k);
    return (k % 2 === 0 ? 1 : -1) * det3(rest[0], rest[1], rest[2]);
  });
  const len = norm(n);
  if (len === 0) return n;
  let big = 0;
  for (let k = 1; k < 4; k++) if (Math.abs(n[k]) > Math.abs(n[big])) big = k;
  const s = n[big] < 0 ? -1 : 1;
  return n.map((v) => (s * v) / len);
}

/**
 * Geometry of the 2^B points (rows of `points`, row c = corner c). See the module comment for
 * the model and every number returned.
 *
 * @example
 * const g = cornerGeometry(points, 4);
 * g.edges.map((e) => e.mean);      // per-bit edge lengths
 * g.projection?.shape;             // e.g. 'hexagonal prism (edge-first)'
 */
export function cornerGeometry(points: Matrix, bits: number): CornerGeometry {
  const K = 2 ** bits;
  const N = points.cols;
  if (!(Number.isInteger(bits) && bits >= 2 && bits <= 12))
    throw new RnnscopeError('INVALID_ARGUMENT', `bits must be an integer in 2…12, got ${bits}`);
  if (points.rows !== K)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `a ${bits}-bit geometry needs ${K} points (one per corner), got ${points.rows}`,
    );
  for (let i = 0; i < K * N; i++)
    if (!Number.isFinite(points.data[i]))
      throw new RnnscopeError(
        'NON_FINITE',
        `corner point ${Math.floor(i / N)} has a non-finite entry`,
      );
  const row = (c: number) => points.data.subarray(c * N, (c + 1) * N);
  const distances = Array.from({ length: K }, (_, c) =>
    Array.from({ length: K }, (_, d) => (c === d ? 0 : distance(row(c), row(d)))),
  );
  const edges = Array.from({ length: bits }, (_, k) => {
    const ds: number[] = [];
    for (let c = 0; c < K; c++) if (!((c >> k) & 1)) ds.push(distances[c][c | (1 << k)]);
    const s = summarize(ds);
    return { bit: k, ...s, cv: s.mean > 0 ? s.std / s.mean : NaN };
  });
  const byH: number[][] = Array.from({ length: bits + 1 }, () => []);
  for (let c = 0; c < K; c++)
    for (let d = c + 1; d < K; d++) byH[popcount(c ^ d)].push(distances[c][d]);
  const unit = summarize(byH[1]).mean;
  const hamming = byH.slice(1).map((ds, i) => {
    const s = summarize(ds);
    return { h: i + 1, mean: s.mean, std: s.std, relative: s.mean / unit };
  });

  // Parallelotope fit (orthogonal design: the coefficients are averages).
  const mean = new Float64Array(N);
  for (let c = 0; c < K; c++) for (let i = 0; i < N; i++) mean[i] += row(c)[i] / K;
  const signs = Array.from({ length: K }, (_, c) => cornerSigns(c, bits));
  const a = Array.from({ length: bits }, (_, k) => {
    const v = new Float64Array(N);
    for (let c = 0; c < K; c++)
      for (let i = 0; i < N; i++) v[i] += (2 / K) * signs[c][k] * row(c)[i];
    return v;
  });
  let res2 = 0;
  let tot2 = 0;
  for (let c = 0; c < K; c++)
    for (let i = 0; i < N; i++) {
      const centred = row(c)[i] - mean[i];
      let fit = 0;
      for (let k = 0; k < bits; k++) fit += 0.5 * signs[c][k] * a[k][i];
      res2 += (centred - fit) ** 2;
      tot2 += centred ** 2;
    }
  const edgeLengths = a.map(norm);
  const cosines = cosineMatrix(a);
  let off = 0;
  for (let i = 0; i < bits; i++)
    for (let j = 0; j < bits; j++) if (i !== j) off += cosines[i][j] ** 2;
  const lengths = summarize(edgeLengths);

  const pca = pointPca(points, 3);
  const geometry: CornerGeometry = {
    bits,
    dim: N,
    distances,
    edges,
    hamming,
    parallelotope: {
      residual: tot2 > 0 ? Math.sqrt(res2 / tot2) : 0,
      edgeLengths,
      cosines,
      rmsCosine: Math.sqrt(off / (bits * (bits - 1))),
      lengthCv: lengths.mean > 0 ? lengths.std / lengths.mean : NaN,
      lengthRatio: lengths.max / lengths.min,
    },
    pca: { varianceRatio: pca.varianceRatio, coordinates: pca.scores },
  };
  if (bits >= 3 && pca.axes.length === 3) {
    const b = a.map((ak) =>
      pca.axes.map((v) => {
        let s = 0;
        for (let i = 0; i < N; i++) s += v[i] * ak[i];
        return s;
      }),
    );
    const bl = b.map(norm);
    const v = [...pca.variance, 0, 0, 0, 0];
    const maxLen = Math.max(...bl);
    const keptNum = bl.reduce((s, v) => s + v * v, 0);
    const keptDen = edgeLengths.reduce((s, v) => s + v * v, 0);
    geometry.projection = {
      edges: b,
      relativeLengths: bl.map((v) => (maxLen > 0 ? v / maxLen : 0)),
      cosines: cosineMatrix(b),
      kept: keptDen > 0 ? keptNum / keptDen : 0,
      axisGap: v[3] > 0 ? v[2] / v[3] : Infinity,
    };
    if (bits === 4) {
      const n = nullVector4(b);
      const s4 = n.reduce((s, v) => s + v ** 4, 0);
      if (s4 > 0) {
        const participation = 1 / s4;
        geometry.projection.nullVector = n;
        geometry.projection.participation = participation;
        geometry.projection.shape =
          PROJECTION_SHAPES[Math.min(3, Math.max(0, Math.round(participation) - 1))];
      }
    }
  }
  return geometry;
}

export interface GeometryComparison {
  /**
   * Pearson correlation of the two distance matrices (upper triangles, corner-index order): 1
   * when one point set is a scaled copy of the other up to rotation, as far as distances tell.
   */
  distanceCorrelation: number;
  /** Mean edge length of B relative to A (overall scale). */
  scaleRatio: number;
  /** Per bit: edge length / mean edge length, for A and B (the shape of each hypercube). */
  relativeEdges: { bit: number; a: number; b: number }[];
  /** RMS difference of the scale-free distance matrices (each divided by its mean edge). */
  rmsDistanceDifference: number;
}

/** Numbers comparing two geometries of the same number of bits. */
export function compareGeometry(a: CornerGeometry, b: CornerGeometry): GeometryComparison {
  if (a.bits !== b.bits)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `cannot compare ${a.bits}-bit and ${b.bits}-bit geometries`,
    );
  const K = 2 ** a.bits;
  const ea = summarize(a.edges.map((e) => e.mean)).mean;
  const eb = summarize(b.edges.map((e) => e.mean)).mean;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let c = 0; c < K; c++)
    for (let d = c + 1; d < K; d++) {
      xs.push(a.distances[c][d] / ea);
      ys.push(b.distances[c][d] / eb);
    }
  const mx = summarize(xs).mean;
  const my = summarize(ys).mean;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  let sd = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
    sd += (xs[i] - ys[i]) ** 2;
  }
  return {
    distanceCorrelation: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN,
    scaleRatio: eb / ea,
    relativeEdges: a.edges.map((e, k) => ({ bit: k, a: e.mean / ea, b: b.edges[k].mean / eb })),
    rmsDistanceDifference: Math.sqrt(sd / xs.length),
  };
}
