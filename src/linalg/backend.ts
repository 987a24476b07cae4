import type { Matrix } from './matrix.js';

/** Result of a general (non-symmetric) real eigendecomposition. */
export interface EigResult {
  /**
   * Real parts of the eigenvalues, in the order of the diagonal of the real Schur form (not
   * sorted; use `sortEig` for a canonical order).
   */
  re: Float64Array;
  /** Imaginary parts; complex eigenvalues come in adjacent conjugate pairs (+im first). */
  im: Float64Array;
  /**
   * Right eigenvectors as columns, real and imaginary parts in two n×n matrices
   * (column k belongs to eigenvalue k), each column of unit Euclidean norm. Present unless
   * `vectors: false`. Phase convention: the first component whose modulus is within a relative
   * 1e-10 of the largest is real and positive; the columns of a conjugate pair are exact
   * conjugates.
   */
  vectors?: { re: Matrix; im: Matrix };
  /**
   * Left eigenvectors (columns, yᴴA = λyᴴ), unit norm, same phase convention, when `left: true`.
   * Computed from the rows of V⁻¹, so they need a diagonalisable A (SINGULAR otherwise).
   */
  leftVectors?: { re: Matrix; im: Matrix };
}

export interface EigOptions {
  /** Right eigenvectors (default true). `false` takes the cheaper eigenvalues-only path. */
  vectors?: boolean;
  /** Left eigenvectors too (default false); implies the right ones, which are returned as well. */
  left?: boolean;
}

/**
 * Symmetric eigendecomposition: ascending eigenvalues, orthonormal eigenvectors as columns, each
 * with its (first, up to a relative 1e-10) largest-modulus component positive. Only the lower
 * triangle is read; input must be symmetric to within 1e-8·max|A| (INVALID_ARGUMENT otherwise).
 */
export interface EigSymResult {
  values: Float64Array;
  vectors?: Matrix;
}

/**
 * Thin SVD A = U diag(S) Vᵀ with k = min(m, n) (m < n allowed); singular values descending.
 * Sign convention: the largest-modulus entry of each V column is positive (U follows).
 */
export interface SvdResult {
  U: Matrix; // m×k
  S: Float64Array; // k
  V: Matrix; // n×k
}

/**
 * Thin QR of an m×n matrix with m ≥ n: Q m×n with orthonormal columns, R n×n upper triangular.
 * For m < n: Q m×m orthogonal, R m×n upper trapezoidal. diag(R) ≥ 0 in both cases.
 */
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
 *
 * Error contract (all RnnscopeError): SHAPE_MISMATCH for incompatible or non-square shapes,
 * NON_FINITE for NaN/Inf input to any decomposition (gemm/gemv do not scan their inputs),
 * NOT_CONVERGED when an iteration cap is hit, SINGULAR as documented per routine. No routine
 * modifies its input matrices (except C/y of gemm/gemv).
 */
export interface LinalgBackend {
  readonly name: string;
  /** C ← alpha·op(A)·op(B) + beta·C, op(X) = X or Xᵀ. */
  gemm(
    transA: boolean,
    transB: boolean,
    alpha: number,
    A: Matrix,
    B: Matrix,
    beta: number,
    C: Matrix,
  ): void;
  /**
   * Symmetric rank-k update of the lower triangle: C ← alpha·A·Aᵀ + beta·C (A n×k), or with
   * `trans` C ← alpha·AᵀA + beta·C (A k×n, a Gram matrix), C n×n. Only entries j ≤ i are
   * computed; the strictly upper triangle is neither read nor written (mirror it if needed).
   * Half the flops of the equivalent GEMM.
   */
  syrk(trans: boolean, alpha: number, A: Matrix, beta: number, C: Matrix): void;
  /** y ← alpha·op(A)·x + beta·y. */
  gemv(
    trans: boolean,
    alpha: number,
    A: Matrix,
    x: Float64Array,
    beta: number,
    y: Float64Array,
  ): void;
  /** Square A only. An exactly singular A is not an error here (zero pivot kept in U). */
  lu(A: Matrix): LuResult;
  /**
   * Solves A X = B for an n×k B (a vector is an n×1 matrix; see `solveVector`). Throws SINGULAR
   * for exactly singular A (or when the solution overflows).
   */
  solve(A: Matrix, B: Matrix): Matrix;
  /** Lower-triangular L with A = L·Lᵀ; INVALID_ARGUMENT naming the pivot if A is not positive definite. */
  cholesky(A: Matrix): Matrix;
  qr(A: Matrix): QrResult;
  eigSym(A: Matrix, vectors?: boolean): EigSymResult;
  eig(A: Matrix, options?: EigOptions): EigResult;
  svd(A: Matrix): SvdResult;
}
