/**
 * Scratch memory and raw-pointer kernels for the wasm decompositions (eigsym, factor, qr, pca).
 *
 * A decomposition allocates all its arrays here up front and frees them in one `dispose()`, so
 * nothing leaks when it throws. The drivers address the memory through `h` (one Float64Array over
 * the whole memory) with element indices `ptr / 8`; `h` is re-created whenever the memory has
 * grown, so drivers re-read `ws.h` after anything that can allocate (a GEMM may enlarge its packing
 * workspace) instead of keeping views, which unshared memory detaches on growth.
 */
import { RnnscopeError } from '../../errors.js';
import type { KernelExports, WasmKernels } from './load.js';

/** Exports of asm/eigsym.ts, asm/factor.ts and asm/pca.ts (pointers are byte addresses). */
export interface DecompExports extends KernelExports {
  symvUpper(
    n: number,
    alpha: number,
    a: number,
    lda: number,
    x: number,
    beta: number,
    y: number,
  ): void;
  secularSums(k: number, delta: number, z: number, x: number, ip: number, out: number): void;
  loewner(
    k: number,
    d: number,
    dorg: number,
    tau: number,
    z: number,
    rho: number,
    zh: number,
  ): void;
  rankOneVectors(
    k: number,
    order: number,
    d: number,
    dorg: number,
    tau: number,
    zh: number,
    u: number,
    norm: number,
  ): void;
  gatherColumns(
    rows: number,
    src: number,
    lds: number,
    idx: number,
    count: number,
    dst: number,
    ldd: number,
  ): void;
  luPanel(
    a: number,
    lda: number,
    rowLen: number,
    r0: number,
    c0: number,
    m: number,
    w: number,
    piv: number,
  ): number;
  trsmLowerUnit(w: number, q: number, l: number, ldl: number, b: number, ldb: number): void;
  trsmUpper(w: number, q: number, u: number, ldu: number, b: number, ldb: number): void;
  choleskyLeaf(m: number, a: number, lda: number, bad: number): number;
  trsmRightLowerT(w: number, q: number, l: number, ldl: number, b: number, ldb: number): void;
  qrPanel(a: number, lda: number, m: number, kb: number, tau: number, work: number): void;
  shiftRows(rows: number, cols: number, x: number, ldx: number, shift: number, sums: number): void;
}

/**
 * C ← alpha·op(A)·op(B) + beta·C on raw pointers (row-major, ld in elements, trans flags 0/1).
 * The single place where the decompositions reach GEMM, so a multi-threaded GEMM can be slotted in.
 */
export type PtrGemm = (
  transA: number,
  transB: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  beta: number,
  c: number,
  ldc: number,
) => void;

/**
 * Chooses, per GEMM, a worker pool to run it on (undefined: this thread). The wasm backend passes
 * its pool selector, so the decompositions' large GEMMs are split across threads like its own.
 */
export interface GemmPicker {
  pick(flops: number, gemv: boolean): { gemm: PtrGemm } | undefined;
}

/** True when the loaded kernel build has the decomposition kernels (an older build would not). */
export function hasDecompKernels(kernels: WasmKernels): boolean {
  const k = kernels.exports as Partial<DecompExports>;
  return typeof k.symvUpper === 'function' && typeof k.gatherColumns === 'function';
}

export class Workspace {
  readonly k: DecompExports;
  private readonly blocks: number[] = [];
  private view: Float64Array;
  private workPtr = 0;
  private workBytes = 0;
  /** GEMM on raw pointers: on a pool when `pools` picks one for the size, else this thread. */
  readonly gemm: PtrGemm;

  constructor(
    readonly kernels: WasmKernels,
    pools?: GemmPicker,
  ) {
    if (!hasDecompKernels(kernels)) {
      throw new RnnscopeError(
        'WASM_UNAVAILABLE',
        'the loaded wasm kernels lack the decomposition kernels; rebuild with node scripts/build-wasm.mjs',
      );
    }
    this.k = kernels.exports as DecompExports;
    this.view = new Float64Array(kernels.memory.buffer);
    const k = this.k;
    this.gemm = (tA, tB, m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc) => {
      if (m <= 0 || n <= 0) return;
      const pool = kk > 0 && alpha !== 0 ? pools?.pick(2 * m * n * kk, false) : undefined;
      if (pool) {
        pool.gemm(tA, tB, m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
      }
      const need = kk > 0 && alpha !== 0 ? k.gemmWorkBytes(m, n, kk) : 0;
      if (need > this.workBytes) this.growWork(need);
      k.gemm(tA, tB, m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc, this.workPtr);
    };
  }

  /** The whole memory as doubles (re-created after growth). Index = byte address / 8. */
  get h(): Float64Array {
    if (this.view.buffer !== this.kernels.memory.buffer || this.view.length === 0) {
      this.view = new Float64Array(this.kernels.memory.buffer);
    }
    return this.view;
  }

  /** Allocates `count` doubles (64-byte aligned); returns the byte address. */
  alloc(count: number): number {
    const p = this.kernels.arena.alloc(Math.max(count, 1) * 8);
    this.blocks.push(p);
    return p;
  }

  /** Allocates and zero-fills. */
  zeros(count: number): number {
    const p = this.alloc(count);
    this.h.fill(0, p / 8, p / 8 + count);
    return p;
  }

  /** A view of `count` 32-bit integers at byte address p (re-create after growth). */
  i32(p: number, count: number): Int32Array {
    return new Int32Array(this.kernels.memory.buffer, p, count);
  }

  /** A view of `count` doubles at byte address p (re-create after growth). */
  f64(p: number, count: number): Float64Array {
    return new Float64Array(this.kernels.memory.buffer, p, count);
  }

  /** Reserves GEMM packing space for sizes up to these (avoids growth in the middle of a driver). */
  reserveGemm(m: number, n: number, k: number): void {
    const need = this.k.gemmWorkBytes(Math.max(m, 1), Math.max(n, 1), Math.max(k, 1));
    if (need > this.workBytes) this.growWork(need);
  }

  private growWork(bytes: number): void {
    const want = Math.max(bytes, Math.ceil(this.workBytes * 1.5));
    this.workPtr = this.alloc(want / 8 + 8);
    this.workBytes = want;
  }

  /** Frees everything this workspace allocated. */
  dispose(): void {
    for (const p of this.blocks) this.kernels.arena.free(p);
    this.blocks.length = 0;
    this.workBytes = 0;
  }
}
