/**
 * Matrices and vectors whose storage lives in the kernel memory, so the wasm backend uses them
 * in place (no copies at the boundary).
 *
 * `data` is a getter: if the memory has grown since the view was made it returns a fresh view
 * (needed for unshared memory, whose old views are detached by growth; harmless for shared
 * memory). So read `m.data` again after anything that may allocate in wasm memory rather than
 * keeping the Float64Array; the address `m.ptr` never changes. Memory is released by
 * `freeWasm(m)`, not by the garbage collector: a finaliser could free storage that an escaped
 * `data` view still points to.
 */
import { RnnscopeError } from '../../errors.js';
import type { Matrix } from '../matrix.js';
import { wasmKernels, type WasmKernels } from './load.js';

/** A Matrix backed by wasm memory. Plain `Matrix` everywhere; `ptr` is its byte address. */
export interface WasmMatrix extends Matrix {
  readonly ptr: number;
  readonly kernels: WasmKernels;
}

/** A vector backed by wasm memory; `data` behaves like WasmMatrix.data. */
export interface WasmVector {
  readonly length: number;
  readonly ptr: number;
  readonly kernels: WasmKernels;
  readonly data: Float64Array;
}

class WasmStorage {
  private view: Float64Array;
  private gen: number;
  private freed = false;

  constructor(
    readonly kernels: WasmKernels,
    readonly ptr: number,
    readonly length: number,
  ) {
    this.view = kernels.arena.f64(ptr, length);
    this.gen = kernels.arena.generation;
  }

  get data(): Float64Array {
    if (this.gen !== this.kernels.arena.generation) {
      if (this.freed)
        throw new RnnscopeError('INVALID_ARGUMENT', 'wasm matrix used after freeWasm()');
      this.view = this.kernels.arena.f64(this.ptr, this.length);
      this.gen = this.kernels.arena.generation;
    }
    return this.view;
  }

  dispose(): void {
    if (this.freed) return;
    this.kernels.arena.free(this.ptr);
    this.freed = true;
    this.gen = -1; // sends the next `data` read to the slow path, which throws
    this.view = new Float64Array(0);
  }
}

class WasmMatrixImpl extends WasmStorage implements WasmMatrix {
  constructor(
    kernels: WasmKernels,
    ptr: number,
    readonly rows: number,
    readonly cols: number,
  ) {
    super(kernels, ptr, rows * cols);
  }
}

function checkSize(n: number, what: string): void {
  if (!(Number.isInteger(n) && n >= 0)) {
    throw new RnnscopeError('INVALID_ARGUMENT', `${what} must be a non-negative integer, got ${n}`);
  }
}

/**
 * A zero-filled rows×cols matrix in wasm memory (default: the shared instance `wasmKernels()`).
 * @example
 *   const W = wasmMatrix(100, 100);
 *   W.data.set(weights);          // fill in place
 *   gemm(false, false, 1, W, H, 0, Z); // no copy of W with the wasm backend
 *   freeWasm(W);
 */
export function wasmMatrix(
  rows: number,
  cols: number,
  kernels: WasmKernels = wasmKernels(),
): WasmMatrix {
  checkSize(rows, 'rows');
  checkSize(cols, 'cols');
  const ptr = kernels.arena.alloc(rows * cols * 8);
  const m = new WasmMatrixImpl(kernels, ptr, rows, cols);
  m.data.fill(0);
  return m;
}

/** A zero-filled vector of `length` doubles in wasm memory. */
export function wasmVector(length: number, kernels: WasmKernels = wasmKernels()): WasmVector {
  checkSize(length, 'length');
  const v = new WasmStorage(kernels, kernels.arena.alloc(length * 8), length);
  v.data.fill(0);
  return v;
}

/** Copies a matrix into new wasm storage. */
export function toWasmMatrix(m: Matrix, kernels: WasmKernels = wasmKernels()): WasmMatrix {
  const w = wasmMatrix(m.rows, m.cols, kernels);
  w.data.set(m.data.subarray(0, m.rows * m.cols));
  return w;
}

/** Releases the storage of a wasm matrix or vector; reading `data` afterwards throws. */
export function freeWasm(m: WasmMatrix | WasmVector): void {
  if (!(m instanceof WasmStorage)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      'freeWasm expects a matrix or vector made by wasmMatrix/wasmVector',
    );
  }
  m.dispose();
}

export function isWasmMatrix(m: Matrix): m is WasmMatrix {
  return m instanceof WasmMatrixImpl;
}
