/**
 * Staging for the streamed PCA (./pca.ts): rows of the data, shifted, go into a row-major block
 * Y (cap×N) that is the operand of the Gram update G += YᵀY (SYRK). The buffers live in wasm
 * memory when the backend is the wasm one, so its SYRK uses them in place.
 */
import type { WasmKernels } from './wasm/load.js';

/**
 * Y[c0 + i][j] = X[r0 + i][j] − shift[j] for i < rows (Y has N columns), and sums[j] += the same.
 * Each row's sums are added to the running sums directly, so column j's sum is taken over the rows
 * in order (the wasm kernel does the same).
 */
export function shiftRows(
  X: Float64Array,
  N: number,
  r0: number,
  rows: number,
  shift: Float64Array,
  Y: Float64Array,
  c0: number,
  sums: Float64Array,
): void {
  for (let i = 0; i < rows; i++) {
    const s = (r0 + i) * N;
    const d = (c0 + i) * N;
    for (let j = 0; j < N; j++) {
      const v = X[s + j] - shift[j];
      Y[d + j] = v;
      sums[j] += v;
    }
  }
}

/** Writes shifted rows into the staging block Y and keeps the column sums. */
export interface Stager {
  /** Rows r0..r0+rows−1 of X (row-major, N columns) into rows c0.. of Y (cap×N). */
  put(X: Float64Array, r0: number, rows: number, Y: Float64Array, c0: number): void;
  /** Adds the accumulated column sums into `out`. */
  sums(out: Float64Array): void;
  free(): void;
}

export function jsStager(N: number, shift: Float64Array, sums: Float64Array): Stager {
  return {
    put: (X, r0, rows, Y, c0) => shiftRows(X, N, r0, rows, shift, Y, c0, sums),
    sums: () => {},
    free: () => {},
  };
}

/**
 * Rows are copied into Y in wasm memory (a plain memcpy), then the wasm kernel `shiftRows`
 * shifts them in place and keeps the sums (SIMD, about 3× the JS loop).
 */
export function wasmStager(kernels: WasmKernels, N: number, shift: Float64Array): Stager {
  const k = kernels.exports as unknown as {
    shiftRows(rows: number, cols: number, x: number, ldx: number, sh: number, sums: number): void;
  };
  const buf = stage(kernels, 2 * N);
  const sh = buf.ptr;
  const su = sh + 8 * N;
  buf.view().set(shift);
  return {
    put(X, r0, rows, Y, c0) {
      Y.set(X.subarray(r0 * N, (r0 + rows) * N), c0 * N);
      k.shiftRows(rows, N, Y.byteOffset + 8 * c0 * N, N, sh, su);
    },
    sums(out) {
      const v = buf.view();
      for (let j = 0; j < N; j++) out[j] += v[N + j];
    },
    free: () => buf.free(),
  };
}

/** A zeroed array in wasm memory when the backend is the wasm one (so SYRK uses it in place). */
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
