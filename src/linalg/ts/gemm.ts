/**
 * Level-2/3 kernels: GEMM and GEMV on row-major Float64Array.
 *
 * GEMM follows the Goto/BLIS scheme: op(B) is packed into column strips NR wide and op(A) into
 * row strips MR tall, so the inner kernel streams both operands from contiguous memory whatever
 * the transpose flags are (all four combinations share one kernel; only the packing differs).
 * A 2×8 register tile was the fastest shape measured in V8 (see shared/research/ts-numerics.md):
 * 16 accumulators plus 10 operands still fit the register file after JIT.
 *
 * No aliasing: C must not share storage with A or B (the same rule as BLAS).
 */
import { checkGemvShapes, gemmDims, type Matrix } from '../matrix.js';

const MR = 2;
const NR = 8;
/** Depth of one packed panel; KC·NR doubles of B (16 KB) stay in L1 while a strip of A streams. */
const KC = 256;
/** Rows of A per packed block; MC·KC doubles (192 KB) fit comfortably in the 512 KB L2. */
const MC = 96;
/** Columns of B per packed panel; bounds the packed-B buffer to KC·NC doubles (4 MB, in L3). */
const NC = 2048;

// Module-level packing buffers, grown on demand, so that repeated calls allocate nothing.
let packA = new Float64Array(0);
let packB = new Float64Array(0);
const edgeTile = new Float64Array(MR * NR);

function ensurePack(aLen: number, bLen: number): void {
  if (packA.length < aLen) packA = new Float64Array(aLen);
  if (packB.length < bLen) packB = new Float64Array(bLen);
}

/** C ← beta·C with BLAS semantics: beta = 0 overwrites (so NaN/Inf already in C never leaks). */
function scaleC(c: Float64Array, len: number, beta: number): void {
  if (beta === 1) return;
  if (beta === 0) {
    c.fill(0, 0, len);
    return;
  }
  for (let i = 0; i < len; i++) c[i] *= beta;
}

/**
 * Packs op(B)[p0:p0+kc, j0:j0+nc] as ⌈nc/NR⌉ strips; strip s holds kc rows of NR values.
 * Columns past the edge are zero so the kernel never needs a ragged inner loop.
 */
function packPanelB(
  b: Float64Array,
  ldb: number,
  transB: boolean,
  p0: number,
  kc: number,
  j0: number,
  nc: number,
  dst: Float64Array,
): void {
  const strips = Math.ceil(nc / NR);
  for (let s = 0; s < strips; s++) {
    const base = s * kc * NR;
    const jBeg = j0 + s * NR;
    const w = Math.min(NR, j0 + nc - jBeg);
    if (!transB) {
      for (let p = 0; p < kc; p++) {
        const src = (p0 + p) * ldb + jBeg;
        const d = base + p * NR;
        let jj = 0;
        for (; jj < w; jj++) dst[d + jj] = b[src + jj];
        for (; jj < NR; jj++) dst[d + jj] = 0;
      }
    } else {
      // op(B)(p, j) = B[j][p]: read each row of B contiguously, scatter with stride NR.
      for (let jj = 0; jj < w; jj++) {
        const src = (jBeg + jj) * ldb + p0;
        for (let p = 0; p < kc; p++) dst[base + p * NR + jj] = b[src + p];
      }
      for (let jj = w; jj < NR; jj++) for (let p = 0; p < kc; p++) dst[base + p * NR + jj] = 0;
    }
  }
}

/** Packs op(A)[i0:i0+mc, p0:p0+kc] as ⌈mc/MR⌉ strips of kc pairs, zero-padded at the edge. */
function packBlockA(
  a: Float64Array,
  lda: number,
  transA: boolean,
  i0: number,
  mc: number,
  p0: number,
  kc: number,
  dst: Float64Array,
): void {
  const strips = Math.ceil(mc / MR);
  for (let s = 0; s < strips; s++) {
    const base = s * kc * MR;
    const i = i0 + s * MR;
    const two = i + 1 < i0 + mc;
    if (!transA) {
      const r0 = i * lda + p0;
      const r1 = r0 + lda;
      for (let p = 0; p < kc; p++) {
        dst[base + 2 * p] = a[r0 + p];
        dst[base + 2 * p + 1] = two ? a[r1 + p] : 0;
      }
    } else {
      // op(A)(i, p) = A[p][i]: the two values for one p are adjacent in row p of A.
      for (let p = 0; p < kc; p++) {
        const src = (p0 + p) * lda + i;
        dst[base + 2 * p] = a[src];
        dst[base + 2 * p + 1] = two ? a[src + 1] : 0;
      }
    }
  }
}

/**
 * C[rows, cols] += alpha · (packed A strip)(packed B strip) for one 2×8 tile; `mr`/`nr` give the
 * valid part of the tile at the bottom/right edges of C.
 */
// The tabular layout mirrors the 2×8 register tile, hence:
// prettier-ignore
function kernel2x8(
  kc: number, pa: Float64Array, aOff: number, pb: Float64Array, bOff: number,
  c: Float64Array, cOff: number, ldc: number, alpha: number, mr: number, nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0;
  let ia = aOff;
  let ib = bOff;
  for (let p = 0; p < kc; p++) {
    const a0 = pa[ia];
    const a1 = pa[ia + 1];
    const b0 = pb[ib], b1 = pb[ib + 1], b2 = pb[ib + 2], b3 = pb[ib + 3];
    const b4 = pb[ib + 4], b5 = pb[ib + 5], b6 = pb[ib + 6], b7 = pb[ib + 7];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c04 += a0 * b4; c05 += a0 * b5; c06 += a0 * b6; c07 += a0 * b7;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c14 += a1 * b4; c15 += a1 * b5; c16 += a1 * b6; c17 += a1 * b7;
    ia += 2;
    ib += 8;
  }
  if (mr === 2 && nr === 8) {
    let o = cOff;
    c[o] += alpha * c00; c[o + 1] += alpha * c01; c[o + 2] += alpha * c02; c[o + 3] += alpha * c03;
    c[o + 4] += alpha * c04; c[o + 5] += alpha * c05; c[o + 6] += alpha * c06; c[o + 7] += alpha * c07;
    o += ldc;
    c[o] += alpha * c10; c[o + 1] += alpha * c11; c[o + 2] += alpha * c12; c[o + 3] += alpha * c13;
    c[o + 4] += alpha * c14; c[o + 5] += alpha * c15; c[o + 6] += alpha * c16; c[o + 7] += alpha * c17;
    return;
  }
  // Edge tile: spill to a fixed scratch buffer (no allocation) and write only the valid part.
  const t = edgeTile;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03; t[4] = c04; t[5] = c05; t[6] = c06; t[7] = c07;
  t[8] = c10; t[9] = c11; t[10] = c12; t[11] = c13; t[12] = c14; t[13] = c15; t[14] = c16; t[15] = c17;
  for (let j = 0; j < nr; j++) c[cOff + j] += alpha * t[j];
  if (mr === 2) for (let j = 0; j < nr; j++) c[cOff + ldc + j] += alpha * t[8 + j];
}

/** C ← alpha·op(A)·op(B) + beta·C, exactly like BLAS dgemm on row-major storage. */
export function gemm(
  transA: boolean,
  transB: boolean,
  alpha: number,
  A: Matrix,
  B: Matrix,
  beta: number,
  C: Matrix,
): void {
  const { m, n, k } = gemmDims(transA, transB, A, B, C);
  const c = C.data;
  scaleC(c, m * n, beta);
  // BLAS does not read A or B when alpha = 0 or k = 0, so NaN there must not reach C.
  if (alpha === 0 || k === 0 || m === 0 || n === 0) return;

  const a = A.data;
  const b = B.data;
  const lda = A.cols;
  const ldb = B.cols;
  const kcMax = Math.min(KC, k);
  const ncMax = Math.ceil(Math.min(NC, n) / NR) * NR;
  const mcMax = Math.ceil(Math.min(MC, m) / MR) * MR;
  ensurePack(mcMax * kcMax, ncMax * kcMax);
  const pa = packA;
  const pb = packB;

  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      packPanelB(b, ldb, transB, p0, kc, j0, nc, pb);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        packBlockA(a, lda, transA, i0, mc, p0, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const bOff = (jr / NR) * kc * NR;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            kernel2x8(
              kc,
              pa,
              (ir / MR) * kc * MR,
              pb,
              bOff,
              c,
              (i0 + ir) * n + j0 + jr,
              n,
              alpha,
              mr,
              nr,
            );
          }
        }
      }
    }
  }
}

/** y ← alpha·op(A)·x + beta·y (BLAS dgemv semantics; beta = 0 overwrites y). */
export function gemv(
  trans: boolean,
  alpha: number,
  A: Matrix,
  x: Float64Array,
  beta: number,
  y: Float64Array,
): void {
  const { rows, cols } = A;
  const nx = trans ? rows : cols;
  const ny = trans ? cols : rows;
  checkGemvShapes(trans, A, x, y);
  scaleC(y, ny, beta);
  if (alpha === 0 || nx === 0) return;
  const a = A.data;
  if (!trans) {
    // Row-wise dot products; 4 independent accumulators break the add dependency chain.
    for (let i = 0; i < rows; i++) {
      const r = i * cols;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      let j = 0;
      for (; j + 3 < cols; j += 4) {
        s0 += a[r + j] * x[j];
        s1 += a[r + j + 1] * x[j + 1];
        s2 += a[r + j + 2] * x[j + 2];
        s3 += a[r + j + 3] * x[j + 3];
      }
      for (; j < cols; j++) s0 += a[r + j] * x[j];
      y[i] += alpha * (s0 + s1 + (s2 + s3));
    }
    return;
  }
  // Aᵀx as a combination of rows of A: four rows per pass so each y[j] is loaded/stored once per
  // four rows, and A is still read contiguously.
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const x0 = alpha * x[i],
      x1 = alpha * x[i + 1],
      x2 = alpha * x[i + 2],
      x3 = alpha * x[i + 3];
    const r0 = i * cols,
      r1 = r0 + cols,
      r2 = r1 + cols,
      r3 = r2 + cols;
    for (let j = 0; j < cols; j++) {
      y[j] += x0 * a[r0 + j] + x1 * a[r1 + j] + (x2 * a[r2 + j] + x3 * a[r3 + j]);
    }
  }
  for (; i < rows; i++) {
    const xi = alpha * x[i];
    const r = i * cols;
    for (let j = 0; j < cols; j++) y[j] += xi * a[r + j];
  }
}
