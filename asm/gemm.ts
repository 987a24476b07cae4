// Packed, cache-blocked DGEMM, row-major: C ← alpha·op(A)·op(B) + beta·C.
//
// Goto/BLIS loop order. A KC×NC panel of op(B) is packed once per (jc, pc) and stays in L3;
// an MC×KC block of op(A) is packed per ic and stays in L2; the micro-kernel then streams a
// KC×NR strip of B (L1) against MR×KC strips of A. Packing makes the four transpose combinations
// share one micro-kernel: only the packing routine differs (copy vs. gather).
//
// All pointers are byte addresses; leading dimensions are in elements. The caller supplies a
// workspace of `gemmWorkBytes(m, n, k)` bytes (16-byte aligned), because this module has no heap.
// C must not overlap A or B (as in BLAS).

import { madd, balancedBlock } from './simd';

const MR: i32 = 4;
const NR: i32 = 4;
// KC·NR·8 = 8 KB of B per micro-panel keeps L1 (32 KB) free for the A strip and C tile.
const KC: i32 = 256;
// MC·KC·8 = 256 KB of packed A: half the 512 KB L2, leaving room for the B micro-panel traffic.
const MC: i32 = 128;
// KC·NC·8 = 4 MB of packed B: half the 8 MB L3 shared by the two cores.
const NC: i32 = 2048;

// @ts-ignore: decorator
@inline function roundUp(x: i32, m: i32): i32 {
  return ((x + m - 1) / m) * m;
}

/** Bytes of workspace `gemm` needs for these sizes (packed A block + packed B panel + edge tile). */
export function gemmWorkBytes(m: i32, n: i32, k: i32): i32 {
  const kc = balancedBlock(max(k, 1), KC, 1);
  const mc = roundUp(balancedBlock(max(m, 1), MC, MR), MR);
  const nc = roundUp(balancedBlock(max(n, 1), NC, NR), NR);
  return (mc * kc + kc * nc + MR * NR) << 3;
}

/** C ← beta·C over an m×n block; beta = 0 writes zeros (NaN/Inf in C never survive). */
export function scaleBlock(m: i32, n: i32, beta: f64, c: usize, ldc: i32): void {
  if (beta == 1.0) return;
  for (let i = 0; i < m; i++) {
    const row = c + (<usize>(i * ldc) << 3);
    if (beta == 0.0) memory.fill(row, 0, <usize>n << 3);
    else for (let j = 0; j < n; j++) store<f64>(row + (<usize>j << 3), beta * load<f64>(row + (<usize>j << 3)));
  }
}

/**
 * Packs a `count`×kc slab into strips of 4 rows of the packed layout: strip s holds, for each
 * p, the 4 values (s·4 + 0..3, p) contiguously. `gather`: element (x, p) is src[x·ld + p], so each
 * strip reads 4 source rows and transposes them 2×2 with shuffles; otherwise (x, p) is
 * src[p·ld + x] and 4 contiguous values are copied. Missing rows of the last strip are zero, so
 * the micro-kernel never needs a ragged loop.
 */
export function pack4(src: usize, ld: i32, gather: bool, count: i32, kc: i32, dst: usize): void {
  const ldb = <usize>ld << 3;
  for (let x0 = 0; x0 < count; x0 += 4) {
    const w = min(4, count - x0);
    if (w == 4 && gather) {
      const r0 = src + <usize>x0 * ldb;
      const r1 = r0 + ldb;
      const r2 = r1 + ldb;
      const r3 = r2 + ldb;
      let p = 0;
      for (; p + 1 < kc; p += 2) {
        const o = <usize>p << 3;
        const a0 = v128.load(r0 + o);
        const a1 = v128.load(r1 + o);
        const a2 = v128.load(r2 + o);
        const a3 = v128.load(r3 + o);
        const d = dst + (<usize>p << 5);
        v128.store(d, i64x2.shuffle(a0, a1, 0, 2));
        v128.store(d, i64x2.shuffle(a2, a3, 0, 2), 16);
        v128.store(d, i64x2.shuffle(a0, a1, 1, 3), 32);
        v128.store(d, i64x2.shuffle(a2, a3, 1, 3), 48);
      }
      if (p < kc) {
        const o = <usize>p << 3;
        const d = dst + (<usize>p << 5);
        store<f64>(d, load<f64>(r0 + o));
        store<f64>(d, load<f64>(r1 + o), 8);
        store<f64>(d, load<f64>(r2 + o), 16);
        store<f64>(d, load<f64>(r3 + o), 24);
      }
    } else if (w == 4) {
      const base = src + (<usize>x0 << 3);
      for (let p = 0; p < kc; p++) {
        const s = base + <usize>p * ldb;
        const d = dst + (<usize>p << 5);
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = dst + (<usize>p << 5);
        for (let x = 0; x < 4; x++) {
          let v: f64 = 0;
          if (x < w) v = gather ? load<f64>(src + <usize>(x0 + x) * ldb + (<usize>p << 3)) : load<f64>(src + <usize>p * ldb + (<usize>(x0 + x) << 3));
          store<f64>(d + (<usize>x << 3), v);
        }
      }
    }
    dst += <usize>kc << 5;
  }
}

/**
 * The 4×4 register tile: 8 f64x2 accumulators (row i, columns 0–1 and 2–3). Writes
 * C ← alpha·acc + beta·C, or alpha·acc when beta = 0 so that C is never read.
 */
export function kernel4x4(kc: i32, pa: usize, pb: usize, alpha: f64, beta: f64, c: usize, ldc: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load64_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load64_splat(pa, 8);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load64_splat(pa, 16);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load64_splat(pa, 24);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 32;
    pb += 32;
  }
  const al = f64x2.splat(alpha);
  const ld = <usize>ldc << 3;
  if (beta == 0.0) {
    v128.store(c, f64x2.mul(al, c00));
    v128.store(c, f64x2.mul(al, c01), 16);
    c += ld;
    v128.store(c, f64x2.mul(al, c10));
    v128.store(c, f64x2.mul(al, c11), 16);
    c += ld;
    v128.store(c, f64x2.mul(al, c20));
    v128.store(c, f64x2.mul(al, c21), 16);
    c += ld;
    v128.store(c, f64x2.mul(al, c30));
    v128.store(c, f64x2.mul(al, c31), 16);
  } else {
    const be = f64x2.splat(beta);
    v128.store(c, f64x2.add(f64x2.mul(al, c00), f64x2.mul(be, v128.load(c))));
    v128.store(c, f64x2.add(f64x2.mul(al, c01), f64x2.mul(be, v128.load(c, 16))), 16);
    c += ld;
    v128.store(c, f64x2.add(f64x2.mul(al, c10), f64x2.mul(be, v128.load(c))));
    v128.store(c, f64x2.add(f64x2.mul(al, c11), f64x2.mul(be, v128.load(c, 16))), 16);
    c += ld;
    v128.store(c, f64x2.add(f64x2.mul(al, c20), f64x2.mul(be, v128.load(c))));
    v128.store(c, f64x2.add(f64x2.mul(al, c21), f64x2.mul(be, v128.load(c, 16))), 16);
    c += ld;
    v128.store(c, f64x2.add(f64x2.mul(al, c30), f64x2.mul(be, v128.load(c))));
    v128.store(c, f64x2.add(f64x2.mul(al, c31), f64x2.mul(be, v128.load(c, 16))), 16);
  }
}

/** Ragged edge: the full tile was written (alpha applied) to `edge`; merge its mr×nr corner into C. */
function mergeEdge(mr: i32, nr: i32, edge: usize, beta: f64, c: usize, ldc: i32): void {
  for (let i = 0; i < mr; i++) {
    const row = c + (<usize>(i * ldc) << 3);
    const e = edge + (<usize>(i * NR) << 3);
    for (let j = 0; j < nr; j++) {
      const o = <usize>j << 3;
      const v = load<f64>(e + o);
      store<f64>(row + o, beta == 0.0 ? v : v + beta * load<f64>(row + o));
    }
  }
}

function macroKernel(
  mc: i32, nc: i32, kc: i32, alpha: f64, beta: f64,
  packA: usize, packB: usize, c: usize, ldc: i32, edge: usize,
): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const pb = packB + (<usize>(jr * kc) << 3);
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = min(MR, mc - ir);
      const pa = packA + (<usize>(ir * kc) << 3);
      const cp = c + (<usize>(ir * ldc + jr) << 3);
      if (mr == MR && nr == NR) {
        kernel4x4(kc, pa, pb, alpha, beta, cp, ldc);
      } else {
        kernel4x4(kc, pa, pb, alpha, 0.0, edge, NR);
        mergeEdge(mr, nr, edge, beta, cp, ldc);
      }
    }
  }
}

/**
 * C (m×n, ldc) ← alpha·op(A)·op(B) + beta·C, op(A) m×k, op(B) k×n. transA/transB are 0 or 1.
 * BLAS semantics: beta = 0 overwrites C without reading it; alpha = 0 or k = 0 only scales C.
 */
export function gemm(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0.0) {
    scaleBlock(m, n, beta, c, ldc);
    return;
  }
  const KCb = balancedBlock(k, KC, 1);
  const MCb = balancedBlock(m, MC, MR);
  const NCb = balancedBlock(n, NC, NR);
  const packA = work;
  const packB = packA + (<usize>(roundUp(MCb, MR) * KCb) << 3);
  const edge = packB + (<usize>(KCb * roundUp(NCb, NR)) << 3);
  const lda8 = <usize>lda << 3;
  const ldb8 = <usize>ldb << 3;
  for (let jc = 0; jc < n; jc += NCb) {
    const nc = min(NCb, n - jc);
    for (let pc = 0; pc < k; pc += KCb) {
      const kc = min(KCb, k - pc);
      const betaEff = pc == 0 ? beta : 1.0;
      // op(B)(p, j) = B[p][j] (copy) or B[j][p] (gather).
      if (transB) pack4(b + <usize>jc * ldb8 + (<usize>pc << 3), ldb, true, nc, kc, packB);
      else pack4(b + <usize>pc * ldb8 + (<usize>jc << 3), ldb, false, nc, kc, packB);
      for (let ic = 0; ic < m; ic += MCb) {
        const mc = min(MCb, m - ic);
        // op(A)(i, p) = A[i][p] (gather) or A[p][i] (copy).
        if (transA) pack4(a + <usize>pc * lda8 + (<usize>ic << 3), lda, false, mc, kc, packA);
        else pack4(a + <usize>ic * lda8 + (<usize>pc << 3), lda, true, mc, kc, packA);
        macroKernel(mc, nc, kc, alpha, betaEff, packA, packB, c + (<usize>(ic * ldc + jc) << 3), ldc, edge);
      }
    }
  }
}
