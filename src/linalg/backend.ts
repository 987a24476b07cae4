import type { Matrix } from './matrix.js';

/** Result of a general (non-symmetric) real eigendecomposition. */
export interface EigResult {
  /** Real parts of the eigenvalues (order: as produced; see `sortEig` helpers). */
  re: Float64Array;
  /** Imaginary parts; complex eigenvalues come in adjacent conjugate pairs (+im first). */
  im: Float64Array;
  /**
   * Right eigenvectors as columns, real and imaginary parts in two n×n matrices
   * (column k belongs to eigenvalue k), each column of unit Euclidean norm. Present when asked.
   */
  vectors?: { re: Matrix; im: Matrix };
  /** Left eigenvectors (columns, yᴴA = λyᴴ), unit norm, when asked. */
  leftVectors?: { re: Matrix; im: Matrix };
}

export interface EigOptions {
  vectors?: boolean;
  left?: boolean;
}

/** Symmetric eigendecomposition: ascending eigenvalues, orthonormal eigenvectors as columns. */
export interface EigSymResult {
  values: Float64Array;
  vectors?: Matrix;
}

/** Thin SVD A = U diag(S) Vᵀ with k = min(m, n); singular values descending. */
export interface SvdResult {
  U: Matrix; // m×k
  S: Float64Array; // k
  V: Matrix; // n×k
}

/** Thin QR of an m×n matrix with m ≥ n: Q m×n with orthonormal columns, R n×n upper triangular. */
export interface QrResult {
  Q: Matrix;
  R: Matrix;
}

/** LU with partial pivoting, PA = LU, L unit lower and U stored together in `lu`. */
export interface LuResult {
  lu: Matrix;
  /** pivots[i] = row of A that ended up in row i. */
  pivots: Int32Array;
  /** +1 or −1: sign of the permutation. */
  sign: number;
}

/**
 * The numerical kernels every layer above uses. The plain-TS backend is the reference; the
 * WebAssembly backend (issue on numerics) implements the same interface and is swapped in with
 * `setBackend` without any change to callers. Routines with an `out`/`C`/`y` argument allocate
 * nothing and overwrite it.
 */
export interface LinalgBackend {
  readonly name: string;
  /** C ← alpha·op(A)·op(B) + beta·C, op(X) = X or Xᵀ. */
  gemm(transA: boolean, transB: boolean, alpha: number, A: Matrix, B: Matrix, beta: number, C: Matrix): void;
  /** y ← alpha·op(A)·x + beta·y. */
  gemv(trans: boolean, alpha: number, A: Matrix, x: Float64Array, beta: number, y: Float64Array): void;
  lu(A: Matrix): LuResult;
  /** Solves A X = B (B m×k matrix or length-m vector). Throws SINGULAR for exactly singular A. */
  solve(A: Matrix, B: Matrix): Matrix;
  cholesky(A: Matrix): Matrix;
  qr(A: Matrix): QrResult;
  eigSym(A: Matrix, vectors?: boolean): EigSymResult;
  eig(A: Matrix, options?: EigOptions): EigResult;
  svd(A: Matrix): SvdResult;
}
