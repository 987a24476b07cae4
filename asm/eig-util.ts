// Level-1 helpers and a checked GEMM wrapper shared by the general eigensolver kernels
// (eig-hessenberg, eig-francis, eig-vectors). Pointers are byte addresses, lengths in elements.

import { madd, hsum } from './simd';
import { gemm, gemmWorkBytes } from './gemm';

// @ts-ignore: decorator
@inline export function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

/** Σ x_i·y_i over n contiguous entries (two lanes, two accumulators). */
export function dot(n: i32, x: usize, y: usize): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o = <usize>i << 3;
    s0 = madd(v128.load(x + o), v128.load(y + o), s0);
    s1 = madd(v128.load(x + o, 16), v128.load(y + o, 16), s1);
  }
  let s = hsum(f64x2.add(s0, s1));
  for (; i < n; i++) s += load<f64>(at(x, i)) * load<f64>(at(y, i));
  return s;
}

/** y ← y + alpha·x over n contiguous entries. */
export function axpy(n: i32, alpha: f64, x: usize, y: usize): void {
  if (alpha == 0.0) return;
  const av = f64x2.splat(alpha);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const o = <usize>i << 3;
    v128.store(y + o, madd(av, v128.load(x + o), v128.load(y + o)));
  }
  if (i < n) store<f64>(at(y, i), load<f64>(at(y, i)) + alpha * load<f64>(at(x, i)));
}

/** x ← alpha·x over n contiguous entries. */
export function scal(n: i32, alpha: f64, x: usize): void {
  const av = f64x2.splat(alpha);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const o = <usize>i << 3;
    v128.store(x + o, f64x2.mul(av, v128.load(x + o)));
  }
  if (i < n) store<f64>(at(x, i), alpha * load<f64>(at(x, i)));
}

/** Set when a GEMM needed more workspace than the host gave; the host turns it into an error. */
let workShort: i32 = 0;

export function eigWorkShort(): i32 {
  const w = workShort;
  workShort = 0;
  return w;
}

/**
 * `gemm` with the workspace size checked: the host sizes the workspace once for a whole
 * decomposition, and a silent overrun would corrupt neighbouring arrays.
 */
export function mm(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32,
  work: usize, workBytes: i32,
): void {
  if (m <= 0 || n <= 0) return;
  if (gemmWorkBytes(m, n, k) > workBytes) {
    workShort = 1;
    return;
  }
  gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work);
}
