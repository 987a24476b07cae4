// Symmetric rank-k update on the lower triangle, row-major:
//   C ← alpha·op(A)·op(A)ᵀ + beta·C,  op(A) = A (n×k, trans = 0) or Aᵀ (A k×n, trans = 1),
// for the rows r0..r1−1 of C (so a worker pool can split the triangle); j > i is never touched.
//
// The GEMM's packed layout (./gemm.ts) stores op(A) and op(B) both as strips of 4 with the depth
// contiguous, and MR = NR = 4, so for SYRK the row operand and the column operand are the same
// packed slab: each KC-deep slab of op(A) is packed once (rows 0..r1−1, which covers both the
// rows of C computed here and every column left of them) and each of its strips then serves as
// the A strip of its own row block and as the B micro-panel of every row block below it. Only the
// tiles on or below the diagonal are computed: half the flops of a GEMM, none of its repacking.
//
// Bit-identical under any row split at multiples of 4: tiles do not depend on r0/r1 (diagonal
// tiles sit at i = j whatever the split), the k-blocking depends on k only, and every tile goes
// through the same micro-kernel with the same alpha/beta arithmetic as the GEMM.

import { kernel4x4, pack4 } from './gemm';
import { balancedBlock } from './simd';

const KC: i32 = 256;
/** Rows of C per block: 128 rows of packed strips (KC deep) are 256 KB, resident in L2. */
const MC: i32 = 128;

// @ts-ignore: decorator
@inline function round4(x: i32): i32 {
  return (x + 3) & ~3;
}

/** Bytes of workspace `syrk` needs for depth k and rows up to r1 (packed slab + edge tile). */
export function syrkWorkBytes(k: i32, r1: i32): i32 {
  return (round4(max(r1, 1)) * balancedBlock(max(k, 1), KC, 1) + 16) << 3;
}

/** C[i][j] ← beta·C[i][j] for r0 ≤ i < r1, j ≤ i; beta = 0 writes zeros without reading C. */
function scaleLower(r0: i32, r1: i32, beta: f64, c: usize, ldc: i32): void {
  if (beta == 1.0) return;
  for (let i = r0; i < r1; i++) {
    const row = c + (<usize>i * <usize>ldc << 3);
    if (beta == 0.0) memory.fill(row, 0, <usize>(i + 1) << 3);
    else for (let j = 0; j <= i; j++) store<f64>(row + (<usize>j << 3), beta * load<f64>(row + (<usize>j << 3)));
  }
}

/**
 * Merges the mr×4 tile at `edge` (alpha applied) into C at row i0, column j0, keeping j ≤ i
 * (diagonal tiles) and j < n (the last column strip); the same v + beta·c as the GEMM's edges.
 */
function mergeLower(mr: i32, i0: i32, j0: i32, n: i32, edge: usize, beta: f64, c: usize, ldc: i32): void {
  for (let i = 0; i < mr; i++) {
    const gi = i0 + i;
    const jEnd = min(gi + 1, n) - j0;
    const row = c + ((<usize>gi * <usize>ldc + <usize>j0) << 3);
    const e = edge + (<usize>(i << 2) << 3);
    for (let j = 0; j < min(jEnd, 4); j++) {
      const o = <usize>j << 3;
      const v = load<f64>(e + o);
      store<f64>(row + o, beta == 0.0 ? v : v + beta * load<f64>(row + o));
    }
  }
}

/**
 * Lower triangle of C (n×n, ldc), rows r0..r1−1 (r0 a multiple of 4, r1 ≤ n) ← alpha·op(A)·op(A)ᵀ
 * + beta·C. A: n×k with lda (trans = 0) or k×n with lda (trans = 1). `work`: syrkWorkBytes(k, r1)
 * bytes, 16-byte aligned. BLAS semantics: beta = 0 overwrites without reading C; alpha = 0 or
 * k = 0 only scales.
 */
export function syrk(
  trans: i32, n: i32, k: i32, alpha: f64, a: usize, lda: i32, beta: f64,
  c: usize, ldc: i32, r0: i32, r1: i32, work: usize,
): void {
  r1 = min(r1, n);
  if (r1 <= r0) return;
  if (k <= 0 || alpha == 0.0) {
    scaleLower(r0, r1, beta, c, ldc);
    return;
  }
  const KCb = balancedBlock(k, KC, 1);
  const slab = work;
  const edge = slab + (<usize>(round4(r1) * KCb) << 3);
  const lda8 = <usize>lda << 3;
  for (let pc = 0; pc < k; pc += KCb) {
    const kc = min(KCb, k - pc);
    const betaEff = pc == 0 ? beta : 1.0;
    // op(A)(i, p) = A[p][i] (copy: trans) or A[i][p] (gather).
    if (trans) pack4(a + <usize>pc * lda8, lda, false, r1, kc, slab);
    else pack4(a + (<usize>pc << 3), lda, true, r1, kc, slab);
    const strip = <usize>kc << 5; // bytes per packed strip of 4
    for (let ic = r0; ic < r1; ic += MC) {
      const icEnd = min(ic + MC, r1);
      for (let jr = 0; jr < icEnd; jr += 4) {
        const pb = slab + <usize>(jr >> 2) * strip;
        for (let ir = max(ic, jr); ir < icEnd; ir += 4) {
          const pa = slab + <usize>(ir >> 2) * strip;
          const mr = min(4, icEnd - ir);
          if (ir != jr && mr == 4) {
            kernel4x4(kc, pa, pb, alpha, betaEff, c + ((<usize>ir * <usize>ldc + <usize>jr) << 3), ldc);
          } else {
            kernel4x4(kc, pa, pb, alpha, 0.0, edge, 4);
            mergeLower(mr, ir, jr, n, edge, betaEff, c, ldc);
          }
        }
      }
    }
  }
}
