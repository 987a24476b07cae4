/**
 * The linear-algebra interface. Callers use these functions; which backend runs them (plain TS
 * reference, or the WebAssembly backend) is chosen once with `setBackend` and is invisible here.
 */
import type {
  LinalgBackend,
  EigOptions,
  EigResult,
  EigSymResult,
  LuResult,
  QrResult,
  SvdResult,
} from './backend.js';
import type { Matrix } from './matrix.js';
import { RnnscopeError } from '../errors.js';
import { tsBackend } from './ts/backend.js';
import { detFromLu } from './ts/lu.js';
import { createWasmBackend } from './wasm/backend.js';

export * from './matrix.js';
export * from './blas1.js';
export type {
  LinalgBackend,
  EigOptions,
  EigResult,
  EigSymResult,
  LuResult,
  QrResult,
  SvdResult,
} from './backend.js';
export { tsBackend } from './ts/backend.js';
export { sortEig } from './ts/sort.js';
export type { EigSortKey } from './ts/sort.js';

/**
 * The backend every call goes to. By default the WebAssembly backend (SIMD/FMA kernels, worker
 * pool) where the engine supports wasm SIMD, else the plain-TS reference. `RNNSCOPE_BACKEND=ts`
 * (or `wasm`, which then fails loudly if unavailable) overrides the choice in Node.
 */
function defaultBackend(): LinalgBackend {
  const env = typeof process !== 'undefined' ? process.env?.RNNSCOPE_BACKEND : undefined;
  if (env === 'ts') return tsBackend;
  if (env !== undefined && env !== 'wasm' && env !== '') {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `RNNSCOPE_BACKEND must be 'ts' or 'wasm', got '${env}'`,
    );
  }
  try {
    return createWasmBackend();
  } catch (e) {
    if (env === 'wasm') throw e;
    return tsBackend;
  }
}

let current: LinalgBackend = defaultBackend();

export function setBackend(b: LinalgBackend): void {
  current = b;
}

export function getBackend(): LinalgBackend {
  return current;
}

export function gemm(
  transA: boolean,
  transB: boolean,
  alpha: number,
  A: Matrix,
  B: Matrix,
  beta: number,
  C: Matrix,
): void {
  current.gemm(transA, transB, alpha, A, B, beta, C);
}

/**
 * Lower triangle of C ← alpha·op(A)·op(A)ᵀ + beta·C (SYRK; `trans`: AᵀA, the Gram matrix of the
 * columns of A). The strictly upper triangle of C is left as it was. See LinalgBackend.syrk.
 */
export function syrk(trans: boolean, alpha: number, A: Matrix, beta: number, C: Matrix): void {
  current.syrk(trans, alpha, A, beta, C);
}

export function gemv(
  trans: boolean,
  alpha: number,
  A: Matrix,
  x: Float64Array,
  beta: number,
  y: Float64Array,
): void {
  current.gemv(trans, alpha, A, x, beta, y);
}

/** C = A·B (allocating convenience). */
export function matmul(A: Matrix, B: Matrix): Matrix {
  const C: Matrix = { rows: A.rows, cols: B.cols, data: new Float64Array(A.rows * B.cols) };
  current.gemm(false, false, 1, A, B, 0, C);
  return C;
}

export function lu(A: Matrix): LuResult {
  return current.lu(A);
}
export function solve(A: Matrix, B: Matrix): Matrix {
  return current.solve(A, B);
}
export function cholesky(A: Matrix): Matrix {
  return current.cholesky(A);
}
export function qr(A: Matrix): QrResult {
  return current.qr(A);
}
export function eigSym(A: Matrix, vectors = true): EigSymResult {
  return current.eigSym(A, vectors);
}
export function eig(A: Matrix, options?: EigOptions): EigResult {
  return current.eig(A, options);
}
export function svd(A: Matrix): SvdResult {
  return current.svd(A);
}

/** Solves A·x = b for a single right-hand side vector (length = A.rows). */
export function solveVector(A: Matrix, b: Float64Array): Float64Array {
  if (b.length !== A.rows) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `solve: A is ${A.rows}×${A.cols} but b has length ${b.length}`,
    );
  }
  return current.solve(A, { rows: b.length, cols: 1, data: b }).data;
}

/** Determinant via LU with partial pivoting (0 for exactly singular A; may over/underflow for large n). */
export function det(A: Matrix): number {
  return detFromLu(current.lu(A));
}

/** A⁻¹ via LU; throws SINGULAR for an exactly singular A. Prefer `solve` when only A⁻¹·B is needed. */
export function inverse(A: Matrix): Matrix {
  const n = A.rows;
  const I: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++) I.data[i * n + i] = 1;
  return current.solve(A, I);
}

export * from './wasm/index.js';
export { pca, projectOnto, type PcaOptions, type PcaResult } from './pca.js';
export { eigs, EigsNotConvergedError, type EigsOptions, type EigsResult } from './arnoldi.js';
