/**
 * Wasm-only kernels beyond the LinalgBackend interface: symmetric BLAS-2 (what FORCE's RLS
 * update needs: k = P r, P ← P − k kᵀ / c) and fused activations with their derivatives.
 * Arrays in wasm memory are used in place; others are copied through scratch, which for these
 * O(n)/O(n²) kernels costs about as much as the kernel, so keep hot arrays in wasm memory.
 *
 * Packed symmetric storage: the lower triangle row by row, (i, j ≤ i) at i(i+1)/2 + j.
 */
import { RnnscopeError } from '../../errors.js';
import type { Matrix } from '../matrix.js';
import type { WasmKernels } from './load.js';
import { type Staging, bind, operand, unbind } from './staging.js';

export interface WasmOps {
  /** y ← alpha·A·x + beta·y for symmetric n×n A; only the lower triangle (j ≤ i) is read. */
  symv(alpha: number, A: Matrix, x: Float64Array, beta: number, y: Float64Array): void;
  /** A ← A + alpha·x·xᵀ on a full symmetric matrix; both triangles updated and kept bitwise equal. */
  syr(alpha: number, x: Float64Array, A: Matrix): void;
  /** y ← alpha·A·x + beta·y, A in lower packed storage (length ≥ n(n+1)/2, n = x.length). */
  spmv(alpha: number, ap: Float64Array, x: Float64Array, beta: number, y: Float64Array): void;
  /** A ← A + alpha·x·xᵀ on lower packed storage. */
  spr(alpha: number, x: Float64Array, ap: Float64Array): void;
  /** y ← tanh(x) and, if given, d ← 1 − tanh(x)² (≤ ~2 ulp). y may be x. */
  tanh(x: Float64Array, y: Float64Array, d?: Float64Array): void;
  /** y ← σ(x) = 1/(1 + e^−x) and, if given, d ← σ(x)(1 − σ(x)). y may be x. */
  logistic(x: Float64Array, y: Float64Array, d?: Float64Array): void;
  /** y ← max(0, x − threshold) and, if given, d ← [x > threshold]. y may be x. */
  relu(x: Float64Array, y: Float64Array, d?: Float64Array, threshold?: number): void;
}

function need(ok: boolean, message: string): void {
  if (!ok) throw new RnnscopeError('SHAPE_MISMATCH', message);
}

export function createWasmOps(kernels: WasmKernels, staging: Staging): WasmOps {
  const k = kernels.exports;
  const o1 = operand();
  const o2 = operand();
  const o3 = operand();
  const two = [o1, o2];
  const three = [o1, o2, o3];

  function run(ops: typeof three, allowIdentical: boolean, call: () => void): void {
    try {
      staging.stage(ops, 0, allowIdentical);
      call();
      staging.unstage(ops);
    } finally {
      unbind(ops);
    }
  }

  function squareSym(A: Matrix, fn: string): number {
    need(A.rows === A.cols, `${fn}: A must be square, got ${A.rows}×${A.cols}`);
    need(
      A.data.length >= A.rows * A.cols,
      `${fn}: A's data has ${A.data.length} entries, needs ${A.rows * A.cols}`,
    );
    return A.rows;
  }

  function symmetricMv(
    fn: string,
    alpha: number,
    a: Float64Array,
    aLen: number,
    x: Float64Array,
    beta: number,
    y: Float64Array,
    call: (n: number, a: number, x: number, y: number) => void,
  ): void {
    const n = x.length;
    need(y.length === n, `${fn}: x and y must have the same length, got ${n} and ${y.length}`);
    bind(o1, a, aLen, true, false);
    bind(o2, x, n, true, false);
    bind(o3, y, n, beta !== 0, true);
    run(three, false, () => call(n, o1.ptr, o2.ptr, o3.ptr));
  }

  function activation(
    fn: string,
    x: Float64Array,
    y: Float64Array,
    d: Float64Array | undefined,
    call: (n: number, x: number, y: number, d: number) => void,
  ): void {
    const n = x.length;
    need(y.length === n, `${fn}: y must have the length of x (${n}), got ${y.length}`);
    need(!d || d.length === n, `${fn}: d must have the length of x (${n}), got ${d?.length}`);
    bind(o1, x, n, true, false);
    bind(o2, y, n, false, true);
    if (d) bind(o3, d, n, false, true);
    // Address 0 tells the kernel "no derivative"; the arena never hands out address 0.
    run(d ? three : two, true, () => call(n, o1.ptr, o2.ptr, d ? o3.ptr : 0));
  }

  return {
    symv(alpha, A, x, beta, y) {
      const n = squareSym(A, 'symv');
      need(x.length === n, `symv: x must have length ${n}, got ${x.length}`);
      symmetricMv('symv', alpha, A.data, n * n, x, beta, y, (nn, a, xp, yp) =>
        k.symv(nn, alpha, a, nn, xp, beta, yp),
      );
    },
    syr(alpha, x, A) {
      const n = squareSym(A, 'syr');
      need(x.length === n, `syr: x must have length ${n}, got ${x.length}`);
      bind(o1, x, n, true, false);
      bind(o2, A.data, n * n, true, true);
      run(two, false, () => k.syr(n, alpha, o1.ptr, o2.ptr, n));
    },
    spmv(alpha, ap, x, beta, y) {
      const n = x.length;
      const len = (n * (n + 1)) / 2;
      need(ap.length >= len, `spmv: packed A needs ${len} entries for n = ${n}, got ${ap.length}`);
      symmetricMv('spmv', alpha, ap, len, x, beta, y, (nn, a, xp, yp) =>
        k.spmv(nn, alpha, a, xp, beta, yp),
      );
    },
    spr(alpha, x, ap) {
      const n = x.length;
      const len = (n * (n + 1)) / 2;
      need(ap.length >= len, `spr: packed A needs ${len} entries for n = ${n}, got ${ap.length}`);
      bind(o1, x, n, true, false);
      bind(o2, ap, len, true, true);
      run(two, false, () => k.spr(n, alpha, o1.ptr, o2.ptr));
    },
    tanh(x, y, d) {
      activation('tanh', x, y, d, (n, xp, yp, dp) => k.tanhForward(n, xp, yp, dp));
    },
    logistic(x, y, d) {
      activation('logistic', x, y, d, (n, xp, yp, dp) => k.logisticForward(n, xp, yp, dp));
    },
    relu(x, y, d, threshold = 0) {
      activation('relu', x, y, d, (n, xp, yp, dp) => k.reluForward(n, threshold, xp, yp, dp));
    },
  };
}
