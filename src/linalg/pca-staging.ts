/**
 * Staging for the streamed PCA (./pca.ts): rows of the data, shifted and transposed, go into a
 * block Yᵀ (N×rows) whose row ranges are the GEMM operands; buffers live in wasm memory when the
 * backend is the wasm one, so its GEMM uses them in place.
 */
import type { WasmKernels } from './wasm/load.js';

/**
 * Yt[j][c0 + i] = X[r0 + i][j] − shift[j] for i < rows (Yt is N×ld), and sums[j] += the same.
 * Eight source rows per pass, so each strided run of writes fills part of one cache line.
 */
export function shiftTranspose(
  X: Float64Array,
  N: number,
  r0: number,
  rows: number,
  shift: Float64Array,
  Yt: Float64Array,
  ld: number,
  c0: number,
  sums: Float64Array,
): void {
  let i = 0;
  for (; i + 8 <= rows; i += 8) {
    const b = (r0 + i) * N;
    for (let j = 0; j < N; j++) {
      const s = shift[j];
      const o = j * ld + c0 + i;
      const v0 = X[b + j] - s;
      const v1 = X[b + N + j] - s;
      const v2 = X[b + 2 * N + j] - s;
      const v3 = X[b + 3 * N + j] - s;
      const v4 = X[b + 4 * N + j] - s;
      const v5 = X[b + 5 * N + j] - s;
      const v6 = X[b + 6 * N + j] - s;
      const v7 = X[b + 7 * N + j] - s;
      Yt[o] = v0;
      Yt[o + 1] = v1;
      Yt[o + 2] = v2;
      Yt[o + 3] = v3;
      Yt[o + 4] = v4;
      Yt[o + 5] = v5;
      Yt[o + 6] = v6;
      Yt[o + 7] = v7;
      sums[j] += v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7;
    }
  }
  for (; i < rows; i++) {
    const b = (r0 + i) * N;
    for (let j = 0; j < N; j++) {
      const v = X[b + j] - shift[j];
      Yt[j * ld + c0 + i] = v;
      sums[j] += v;
    }
  }
}

/** Writes shifted, transposed rows into the staging block Yt and keeps the column sums. */
export interface Stager {
  /** Rows r0..r0+rows−1 of X (row-major, N columns) into columns c0.. of Yt (N×cap). */
  put(X: Float64Array, r0: number, rows: number, Yt: Float64Array, c0: number): void;
  /** Adds the accumulated column sums into `out`. */
  sums(out: Float64Array): void;
  free(): void;
}

export function jsStager(N: number, cap: number, shift: Float64Array, sums: Float64Array): Stager {
  return {
    put: (X, r0, rows, Yt, c0) => shiftTranspose(X, N, r0, rows, shift, Yt, cap, c0, sums),
    sums: () => {},
    free: () => {},
  };
}

/**
 * The wasm kernel `shiftTranspose` does the strided transposition about 4× faster than JS; rows
 * are copied into wasm memory a slab at a time first (a plain memcpy).
 */
export function wasmStager(
  kernels: WasmKernels,
  N: number,
  cap: number,
  shift: Float64Array,
): Stager {
  const k = kernels.exports as unknown as {
    shiftTranspose(
      rows: number,
      cols: number,
      src: number,
      lds: number,
      shift: number,
      dst: number,
      ldd: number,
      sums: number,
    ): void;
  };
  const slab = Math.max(8, Math.min(cap, Math.floor(2 ** 18 / N)));
  const buf = stage(kernels, slab * N + 2 * N);
  const xs = buf.ptr;
  const sh = xs + 8 * slab * N;
  const su = sh + 8 * N;
  buf.view().set(shift, slab * N);
  return {
    put(X, r0, rows, Yt, c0) {
      for (let done = 0; done < rows; done += slab) {
        const r = Math.min(slab, rows - done);
        buf.view().set(X.subarray((r0 + done) * N, (r0 + done + r) * N));
        k.shiftTranspose(r, N, xs, N, sh, Yt.byteOffset + 8 * (c0 + done), cap, su);
      }
    },
    sums(out) {
      const v = buf.view();
      for (let j = 0; j < N; j++) out[j] += v[slab * N + N + j];
    },
    free: () => buf.free(),
  };
}

/** A zeroed array in wasm memory when the backend is the wasm one (so GEMM uses it in place). */
export interface Staged {
  view(): Float64Array;
  free(): void;
  /** Byte address in wasm memory (−1 for a JS array). */
  ptr: number;
}

export function stage(kernels: WasmKernels | undefined, length: number): Staged {
  if (!kernels) {
    const a = new Float64Array(length);
    return { view: () => a, free: () => {}, ptr: -1 };
  }
  const ptr = kernels.arena.alloc(length * 8);
  const mem = kernels.memory;
  let buf = mem.buffer;
  let v = new Float64Array(buf, ptr, length);
  v.fill(0);
  let freed = false;
  return {
    ptr,
    view() {
      if (mem.buffer !== buf || v.length === 0) {
        buf = mem.buffer;
        v = new Float64Array(buf, ptr, length);
      }
      return v;
    },
    free() {
      if (!freed) kernels.arena.free(ptr);
      freed = true;
    },
  };
}
