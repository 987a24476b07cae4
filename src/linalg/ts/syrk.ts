/**
 * Symmetric rank-k update (reference): the lower triangle of C ← alpha·op(A)·op(A)ᵀ + beta·C, by
 * blocks of rows of C, each one GEMM against all the rows of op(A) above it. Only the lower halves
 * of the diagonal blocks are wasted (BLOCK/n of the flops); the wasm kernel wastes none.
 */
import { syrkDims, type Matrix } from '../matrix.js';
import { gemm } from './gemm.js';

/** Rows of C per GEMM. */
const BLOCK = 64;

/**
 * Lower triangle (j ≤ i) of the n×n C ← alpha·op(A)·op(A)ᵀ + beta·C, with op(A) = A (n×k) or,
 * when `trans`, Aᵀ (A is k×n: C ← alpha·AᵀA + beta·C, a Gram matrix). The strictly upper
 * triangle of C is neither read nor written. BLAS semantics: beta = 0 overwrites without reading
 * C; alpha = 0 or k = 0 reads no A.
 */
export function syrk(trans: boolean, alpha: number, A: Matrix, beta: number, C: Matrix): void {
  const { n, k } = syrkDims(trans, A, C);
  if (n === 0) return;
  const c = C.data;
  if (alpha === 0 || k === 0) {
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) c[i * n + j] = beta === 0 ? 0 : beta * c[i * n + j];
    return;
  }
  // Rows of op(A), contiguous: A itself, or Aᵀ copied once.
  let rows = A.data;
  if (trans) {
    rows = new Float64Array(n * k);
    for (let p = 0; p < k; p++) for (let i = 0; i < n; i++) rows[i * k + p] = A.data[p * n + i];
  }
  const T = new Float64Array(Math.min(BLOCK, n) * n);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    const m = i1 - i0;
    const blk: Matrix = { rows: m, cols: k, data: rows.subarray(i0 * k, i1 * k) };
    const above: Matrix = { rows: i1, cols: k, data: rows.subarray(0, i1 * k) };
    gemm(false, true, alpha, blk, above, 0, { rows: m, cols: i1, data: T });
    for (let i = 0; i < m; i++) {
      const ci = (i0 + i) * n;
      const ti = i * i1;
      if (beta === 0) for (let j = 0; j <= i0 + i; j++) c[ci + j] = T[ti + j];
      else for (let j = 0; j <= i0 + i; j++) c[ci + j] = T[ti + j] + beta * c[ci + j];
    }
  }
}
