/**
 * Principal component analysis of a T×N data matrix (T samples of N variables) streamed over its
 * rows: the column means and the Gram matrix are accumulated chunk by chunk with the current
 * backend's SYRK, then the N×N covariance is diagonalised with `eigSym`. No SVD of the T×N matrix
 * is formed and only one chunk is staged at a time, so T is limited by nothing but time (a
 * 100000×1000 float64 data set is 800 MB, more than fits next to its copy in wasm memory).
 *
 * Centring without cancellation: C = (XᵀX − T·μμᵀ)/(T − 1) loses the digits that μ's size adds
 * to XᵀX (data with mean 1e4 and spread 1 would keep about 8). Instead every row is shifted by
 * s = the mean of the first chunk before accumulating: G = Σ (x − s)(x − s)ᵀ and m = mean(x − s),
 * C = (G − T·m·mᵀ)/(T − 1). Since s is already close to μ, m is small and the correction
 * subtracts little (the "shifted data" algorithm, Chan, Golub & LeVeque 1983).
 *
 * Only the lower triangle of G is computed, by the backend's SYRK (G += YᵀY for each staged chunk
 * Y of shifted rows): half the flops of a GEMM. With the wasm backend the staging buffer and G
 * live in wasm memory, so the SYRK (threaded by the worker pool when it is on) copies nothing.
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
  /** Rows staged per Gram update (default: about 16 MB worth, at least 256). */
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
  let chunk: Staged | undefined;
  let stager: Stager | undefined;
  let gram: Staged | undefined;
  const flush = (): void => {
    if (filled === 0 || !chunk || !gram) return;
    // Views re-read here: a growth of unshared wasm memory detaches older ones.
    const Y: Matrix = { rows: filled, cols: N, data: chunk.view().subarray(0, filled * N) };
    backend.syrk(true, 1, Y, 1, { rows: N, cols: N, data: gram.view() });
    filled = 0;
  };
  try {
    for (const X of asChunks(data)) {
      if (N < 0) {
        N = X.cols;
        if (N === 0) throw new RnnscopeError('INVALID_ARGUMENT', 'pca: data has no columns');
        cap = Math.max(1, Math.floor(options.chunkRows ?? Math.max(256, Math.round(2e6 / N))));
        shift = new Float64Array(N);
        sums = new Float64Array(N);
        if (center && X.rows > 0) {
          for (let i = 0; i < X.rows; i++)
            for (let j = 0; j < N; j++) shift[j] += X.data[i * N + j];
          for (let j = 0; j < N; j++) shift[j] /= X.rows;
        }
        chunk = stage(kernels, N * cap);
        stager = kernels ? wasmStager(kernels, N, shift) : jsStager(N, shift, sums);
        gram = stage(kernels, N * N);
      } else if (X.cols !== N) {
        throw new RnnscopeError(
          'SHAPE_MISMATCH',
          `pca: every chunk must have ${N} columns, got one with ${X.cols}`,
        );
      }
      for (let r0 = 0; r0 < X.rows;) {
        const take = Math.min(X.rows - r0, cap - filled);
        stager!.put(X.data, r0, take, chunk!.view(), filled);
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
    return finish(N, T, center, shift, sums, gram!.view(), options.components ?? N);
  } finally {
    chunk?.free();
    stager?.free();
    gram?.free();
  }
}

/** Covariance from the lower triangle of the Gram matrix G, then eigSym and the descending top-k. */
function finish(
  N: number,
  T: number,
  center: boolean,
  shift: Float64Array,
  sums: Float64Array,
  G: Float64Array,
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
  for (let i = 0; i < N; i++) {
    for (let j = 0; j <= i; j++) {
      let g = G[i * N + j];
      if (center) g -= T * m[i] * m[j];
      const c = g / denom;
      cov[i * N + j] = c;
      cov[j * N + i] = c;
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
