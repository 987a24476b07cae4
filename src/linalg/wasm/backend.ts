/**
 * The WebAssembly linear-algebra backend: GEMM, GEMV and SYRK in the wasm kernels, and every
 * decomposition (LU, Cholesky, QR, eigen, SVD) on top of them in ./factor.ts, ./qr.ts, ./eigsym.ts,
 * ./eig.ts and ./svd.ts.
 *
 * Operands that are views into the kernel memory (see `wasmMatrix`) are used in place; others
 * are copied in and out through a reused scratch region. A GEMM costs O(mnk) against O(mk + kn + mn)
 * for the copies, so copying pays above a small size, and below `minFlopsToCopy` the TS kernel
 * runs instead. GEMV costs as much as copying its matrix, so it runs in wasm only when A already
 * lives there.
 */
import { RnnscopeError } from '../../errors.js';
import type { LinalgBackend } from '../backend.js';
import { checkGemvShapes, gemmDims, type Matrix } from '../matrix.js';
import { tsBackend } from '../ts/backend.js';
import { wasmKernels, type WasmKernels } from './load.js';
import { createWasmOps, type WasmOps } from './ops.js';
import { poolSelector, type PoolChoice } from './pool-select.js';
import { Staging, bind, operand, unbind } from './staging.js';
import { wasmEigSym } from './eigsym.js';
import { wasmCholesky, wasmLu, wasmSolve } from './factor.js';
import { wasmQr } from './qr.js';
import { createWasmEig } from './eig.js';
import { createWasmSyrk } from './syrk.js';
import { wasmSvd } from './svd.js';

export interface WasmBackendOptions extends PoolChoice {
  /** Kernel instance (memory + allocator); default: the process-wide `wasmKernels()`. */
  kernels?: WasmKernels;
  /**
   * GEMMs with fewer flops (2mnk) than this run in the TS backend when some operand would have
   * to be copied. Default 2·10³: measured crossover between 8³ (equal) and 12³ (wasm with
   * copies 2× faster). Operands already in wasm memory always run in wasm.
   */
  minFlopsToCopy?: number;
}

/** LinalgBackend plus the wasm-only kernels (symmetric BLAS-2, fused activations). */
export interface WasmBackend extends LinalgBackend, WasmOps {
  readonly kernels: WasmKernels;
  /** Returns the backend's scratch memory to the arena (the backend stays usable). */
  releaseScratch(): void;
}

function checkData(M: Matrix, what: string, fn: string): void {
  if (M.data.length < M.rows * M.cols) {
    const detached = M.data.length === 0 && M.data.buffer.byteLength === 0;
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `${fn}: ${what} is ${M.rows}×${M.cols} but its data has ${M.data.length} entries` +
        (detached
          ? ' (a view detached by wasm memory growth: re-read wasmMatrix(...).data after allocating)'
          : ''),
    );
  }
}

/**
 * Creates the wasm backend. Throws RnnscopeError UNSUPPORTED_VERSION where wasm SIMD is
 * unavailable (see `wasmKernels`); callers then keep `tsBackend`.
 * @example
 *   import { setBackend } from 'rnnscope/linalg';
 *   try { setBackend(createWasmBackend()); } catch { // stay on the TS backend }
 */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const kernels = options.kernels ?? wasmKernels();
  const minFlops = options.minFlopsToCopy ?? 2 * 10 ** 3;
  const k = kernels.exports;
  const staging = new Staging(kernels);
  // GEMM/GEMV above the pool's work threshold are split across worker threads (./pool.ts);
  // results are bit-identical to one thread. `threads: 1` keeps everything on the caller.
  const pools = poolSelector(kernels, options);
  const opA = operand();
  const opB = operand();
  const opC = operand();
  const three = [opA, opB, opC];

  function gemm(
    transA: boolean,
    transB: boolean,
    alpha: number,
    A: Matrix,
    B: Matrix,
    beta: number,
    C: Matrix,
  ): void {
    const { m, n, k: kk } = gemmDims(transA, transB, A, B, C);
    checkData(A, 'A', 'gemm');
    checkData(B, 'B', 'gemm');
    checkData(C, 'C', 'gemm');
    if (m === 0 || n === 0) return;
    if (2 * m * n * kk < minFlops && !staging.allInMemory(A.data, B.data, C.data)) {
      tsBackend.gemm(transA, transB, alpha, A, B, beta, C);
      return;
    }
    const skipAB = alpha === 0 || kk === 0; // BLAS reads neither A nor B then
    bind(opA, A.data, skipAB ? 0 : A.rows * A.cols, true, false);
    bind(opB, B.data, skipAB ? 0 : B.rows * B.cols, true, false);
    // beta = 0 overwrites C, so a staged C need not be copied in.
    bind(opC, C.data, m * n, beta !== 0, true);
    const pool = skipAB ? undefined : pools.pick(2 * m * n * kk, false);
    try {
      // A pool keeps its own per-thread workspaces.
      const work = staging.stage(three, skipAB || pool ? 0 : k.gemmWorkBytes(m, n, kk));
      const tA = transA ? 1 : 0;
      const tB = transB ? 1 : 0;
      const a = opA.ptr;
      const b = opB.ptr;
      const c = opC.ptr;
      if (pool) pool.gemm(tA, tB, m, n, kk, alpha, a, A.cols, b, B.cols, beta, c, n);
      else k.gemm(tA, tB, m, n, kk, alpha, a, A.cols, b, B.cols, beta, c, n, work);
      staging.unstage(three);
    } finally {
      unbind(three);
    }
  }

  function gemv(
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
    checkData(A, 'A', 'gemv');
    if (!staging.allInMemory(A.data)) {
      tsBackend.gemv(trans, alpha, A, x, beta, y);
      return;
    }
    if (ny === 0) return;
    bind(opA, A.data, alpha === 0 ? 0 : rows * cols, true, false);
    bind(opB, x, alpha === 0 ? 0 : nx, true, false);
    bind(opC, y, ny, beta !== 0, true);
    const pool = alpha === 0 ? undefined : pools.pick(2 * rows * cols, true);
    try {
      staging.stage(three, 0);
      (pool ?? k).gemv(trans ? 1 : 0, rows, cols, alpha, opA.ptr, cols, opB.ptr, beta, opC.ptr);
      staging.unstage(three);
    } finally {
      unbind(three);
    }
  }

  return {
    name: `wasm-${kernels.variant}`,
    kernels,
    gemm,
    gemv,
    syrk: createWasmSyrk(kernels, staging, (flops) => pools.pick(flops, false), minFlops),
    ...createWasmOps(kernels, staging),
    lu: (A) => wasmLu(kernels, A, pools),
    solve: (A, B) => wasmSolve(kernels, A, B, pools),
    cholesky: (A) => wasmCholesky(kernels, A, pools),
    qr: (A) => wasmQr(kernels, A, pools),
    eigSym: (A, vectors) => wasmEigSym(kernels, A, vectors, pools),
    eig: createWasmEig(kernels),
    svd: (A) => wasmSvd(kernels, A, pools),
    releaseScratch: () => {
      staging.dispose();
      pools.releaseScratch();
    },
  };
}
