/**
 * Principal component analysis of a T×N data matrix (T samples of N variables) streamed over its
 * rows: the column means and the Gram matrix are accumulated chunk by chunk with the current
 * backend's GEMM, then the N×N covariance is diagonalised with `eigSym`. No SVD of the T×N matrix
 * is formed and only one chunk is staged at a time, so T is limited by nothing but time (a
 * 100000×1000 float64 data set is 800 MB, more than fits next to its copy in wasm memory).
 *
 * Centring without cancellation: C = (XᵀX − T·μμᵀ)/(T − 1) loses the digits that μ's size adds
 * to XᵀX (data with mean 1e4 and spread 1 would keep about 8). Instead every row is shifted by
 * s = the mean of the first chunk before accumulating: G = Σ (x − s)(x − s)ᵀ and m = mean(x − s),
 * C = (G − T·m·mᵀ)/(T − 1). Since s is already close to μ, m is small and the correction
 * subtracts little (the "shifted data" algorithm, Chan, Golub & LeVeque 1983).
 *
 * Only the upper triangle of G is computed (a SYRK). The backend's GEMM takes whole matrices
 * without a leading dimension, so each chunk is staged transposed (Yᵀ, N×rows): any range of
 * variables is then a contiguous block of rows, and every tile of the triangle is one GEMM
 * Yᵀ[r]·Yᵀ[c]ᵀ on two such blocks (see `gramTiles`). With the wasm backend the staging buffers
 * live in wasm memory, so the GEMMs (threaded by the worker pool when it is on) copy nothing.
 */
import { RnnscopeError } from '../errors.js';
import type { Matrix } from './matrix.js';
import { getBackend } from './index.js';
import type { WasmKernels } from './wasm/load.js';
import { jsStager, stage, wasmStager, type Staged, type Stager } from './pca-staging.js';

export interface PcaOptions {
  /** Number of leading components to return (default: all N). */
  components?: number;
  /**
   * Subtract the column means (default true); the covariance is then divided by T − 1, like
   * numpy.cov and scikit-learn. With `false` the second-moment matrix XᵀX/T is analysed and `mean`
   * is zero.
   */
  center?: boolean;
  /** Rows staged per GEMM (default: about 32 MB worth, at least 256). */
  chunkRows?: number;
}

export interface PcaResult {
  /** Column means (N); zeros when `center: false`. */
  mean: Float64Array;
  /**
   * N×k, column c the c-th principal axis (unit norm), by decreasing variance. Sign: the component
   * of largest modulus is positive (the `eigSym` convention), so results are deterministic.
   */
  components: Matrix;
  /** Variance along each component (eigenvalues of the covariance, descending, ≥ 0). */
  explainedVariance: Float64Array;
  /** explainedVariance / totalVariance. */
  explainedVarianceRatio: Float64Array;
  /** Trace of the covariance: the variance summed over all N variables. */
  totalVariance: number;
  /** Number of samples T. */
  samples: number;
}

function* asChunks(data: Matrix | Iterable<Matrix>): Iterable<Matrix> {
  if ((data as Matrix).data instanceof Float64Array && typeof (data as Matrix).rows === 'number') {
    yield data as Matrix;
  } else {
    yield* data as Iterable<Matrix>;
  }
}

/** A block of the upper triangle of the Gram matrix: rows r0.., columns c0.. (c0 ≥ r0). */
interface Tile {
  r0: number;
  c0: number;
  rows: number;
  cols: number;
  store: Staged;
}

/** Block rows of the Gram matrix: one GEMM each for the part right of the diagonal block. */
const GRAM_ROWS = 256;
/** Diagonal blocks are halved down to this size; only these are computed whole (both halves). */
const GRAM_LEAF = 24;

/**
 * Partitions the upper triangle of the N×N Gram matrix into tiles, each one GEMM with the rows
 * r0.. and c0.. of the staged (transposed) chunk as its operands: a wide rectangle right of each
 * diagonal block, and each diagonal block split recursively. The triangle is covered with a waste
 * of about GRAM_LEAF/N (the lower halves of the smallest diagonal tiles), against GRAM_ROWS/N if
 * the diagonal blocks were computed whole.
 */
function gramTiles(N: number, kernels: WasmKernels | undefined): Tile[] {
  const tiles: Tile[] = [];
  const add = (r0: number, c0: number, rows: number, cols: number): void => {
    if (rows > 0 && cols > 0)
      tiles.push({ r0, c0, rows, cols, store: stage(kernels, rows * cols) });
  };
  const diagonal = (i0: number, i1: number): void => {
    if (i1 - i0 <= GRAM_LEAF) {
      add(i0, i0, i1 - i0, i1 - i0);
      return;
    }
    const mid = (i0 + i1) >> 1;
    diagonal(i0, mid);
    add(i0, mid, mid - i0, i1 - mid);
    diagonal(mid, i1);
  };
  const count = Math.max(1, Math.ceil(N / GRAM_ROWS));
  for (let b = 0; b < count; b++) {
    const i0 = Math.round((b * N) / count);
    const i1 = Math.round(((b + 1) * N) / count);
    diagonal(i0, i1);
    add(i0, i1, i1 - i0, N - i1);
  }
  return tiles;
}

/**
 * PCA of the rows of `data` (one T×N matrix, or chunks of rows with the same N).
 * @example
 *   const p = pca(X, { components: 3 });
 *   const Y = projectOnto(p, X); // T×3 scores
 */
export function pca(data: Matrix | Iterable<Matrix>, options: PcaOptions = {}): PcaResult {
  const center = options.center ?? true;
  const backend = getBackend();
  const kernels = (backend as { kernels?: WasmKernels }).kernels;
  let N = -1;
  let cap = 0;
  let T = 0;
  let filled = 0;
  let shift = new Float64Array(0);
  let sums = new Float64Array(0);
  let yt: Staged | undefined;
  let stager: Stager | undefined;
  let gram: Tile[] = [];
  const flush = (): void => {
    if (filled === 0 || !yt) return;
    // A partial (last) chunk is compacted to rows of length `filled` rather than zero-padded:
    // the padding would cost as many flops as data.
    const ld = filled;
    if (filled < cap) {
      const Y = yt.view();
      for (let j = 1; j < N; j++) Y.copyWithin(j * ld, j * cap, j * cap + filled);
    }
    for (const t of gram) {
      const Yv = yt.view(); // re-read: a GEMM may have grown (and detached) unshared memory
      const A: Matrix = {
        rows: t.rows,
        cols: ld,
        data: Yv.subarray(t.r0 * ld, (t.r0 + t.rows) * ld),
      };
      const B: Matrix = {
        rows: t.cols,
        cols: ld,
        data: Yv.subarray(t.c0 * ld, (t.c0 + t.cols) * ld),
      };
      const C: Matrix = { rows: t.rows, cols: t.cols, data: t.store.view() };
      backend.gemm(false, true, 1, A, B, 1, C);
    }
    filled = 0;
  };
  try {
    for (const X of asChunks(data)) {
      if (N < 0) {
        N = X.cols;
        if (N === 0) throw new RnnscopeError('INVALID_ARGUMENT', 'pca: data has no columns');
        cap = Math.max(1, Math.floor(options.chunkRows ?? Math.max(256, Math.round(4e6 / N))));
        shift = new Float64Array(N);
        sums = new Float64Array(N);
        if (center && X.rows > 0) {
          for (let i = 0; i < X.rows; i++)
            for (let j = 0; j < N; j++) shift[j] += X.data[i * N + j];
          for (let j = 0; j < N; j++) shift[j] /= X.rows;
        }
        yt = stage(kernels, N * cap);
        stager = kernels ? wasmStager(kernels, N, cap, shift) : jsStager(N, cap, shift, sums);
        gram = gramTiles(N, kernels);
      } else if (X.cols !== N) {
        throw new RnnscopeError(
          'SHAPE_MISMATCH',
          `pca: every chunk must have ${N} columns, got one with ${X.cols}`,
        );
      }
      for (let r0 = 0; r0 < X.rows;) {
        const take = Math.min(X.rows - r0, cap - filled);
        stager!.put(X.data, r0, take, yt!.view(), filled);
        r0 += take;
        filled += take;
        T += take;
        if (filled === cap) flush();
      }
    }
    flush();
    if (N < 0 || T === 0) throw new RnnscopeError('INVALID_ARGUMENT', 'pca: data has no rows');
    stager!.sums(sums);
    for (let j = 0; j < N; j++) {
      if (!Number.isFinite(sums[j])) {
        throw new RnnscopeError(
          'NON_FINITE',
          `pca: column ${j} of the data has a non-finite value`,
        );
      }
    }
    return finish(N, T, center, shift, sums, gram, options.components ?? N);
  } finally {
    yt?.free();
    stager?.free();
    for (const t of gram) t.store.free();
  }
}

/** Covariance from the accumulated Gram blocks, then eigSym and the descending top-k. */
function finish(
  N: number,
  T: number,
  center: boolean,
  shift: Float64Array,
  sums: Float64Array,
  gram: Tile[],
  k: number,
): PcaResult {
  if (!(Number.isInteger(k) && k >= 1 && k <= N)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `pca: components must be an integer in [1, ${N}], got ${k}`,
    );
  }
  const m = new Float64Array(N);
  for (let j = 0; j < N; j++) m[j] = sums[j] / T;
  const denom = center ? Math.max(T - 1, 1) : T;
  const cov = new Float64Array(N * N);
  for (const t of gram) {
    const G = t.store.view();
    for (let i = 0; i < t.rows; i++) {
      const gi = t.r0 + i;
      // Diagonal tiles hold both halves; the upper one (j ≥ i) is kept.
      for (let j = t.r0 === t.c0 ? i : 0; j < t.cols; j++) {
        const gj = t.c0 + j;
        let g = G[i * t.cols + j];
        if (center) g -= T * m[gi] * m[gj];
        const c = g / denom;
        cov[gi * N + gj] = c;
        cov[gj * N + gi] = c;
      }
    }
  }
  let total = 0;
  for (let i = 0; i < N; i++) total += cov[i * N + i];
  const { values, vectors } = getBackend().eigSym({ rows: N, cols: N, data: cov }, true);
  const V = vectors!.data;
  const comps = new Float64Array(N * k);
  const ev = new Float64Array(k);
  const ratio = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const src = N - 1 - c;
    ev[c] = Math.max(values[src], 0); // rounding can leave a null direction at −1e-17
    ratio[c] = total > 0 ? ev[c] / total : 0;
    for (let i = 0; i < N; i++) comps[i * k + c] = V[i * N + src];
  }
  const mean = new Float64Array(N);
  if (center) for (let j = 0; j < N; j++) mean[j] = shift[j] + m[j];
  return {
    mean,
    components: { rows: N, cols: k, data: comps },
    explainedVariance: ev,
    explainedVarianceRatio: ratio,
    totalVariance: total,
    samples: T,
  };
}

/** Scores (X − mean)·components, T×k, for new or the same data X (T×N). */
export function projectOnto(p: PcaResult, X: Matrix): Matrix {
  const N = p.mean.length;
  if (X.cols !== N) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `projectOnto: PCA has ${N} variables, X has ${X.cols} columns`,
    );
  }
  const Xc = new Float64Array(X.rows * N);
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < N; j++) Xc[i * N + j] = X.data[i * N + j] - p.mean[j];
  const k = p.components.cols;
  const out: Matrix = { rows: X.rows, cols: k, data: new Float64Array(X.rows * k) };
  getBackend().gemm(false, false, 1, { rows: X.rows, cols: N, data: Xc }, p.components, 0, out);
  return out;
}
