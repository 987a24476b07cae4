/**
 * Moving operands across the JS/wasm boundary for one kernel call.
 *
 * An operand that is already a view into the kernel memory is used in place. Any other
 * Float64Array is copied into a scratch region (and copied back if the kernel writes it). The
 * scratch region belongs to the caller object, grows geometrically and is reused, so steady-state
 * calls allocate nothing. An input view that overlaps an output view is staged too, which makes
 * aliased calls such as gemm(A, A → A) correct instead of undefined as in BLAS.
 */
import type { WasmKernels } from './load.js';

/** One array argument of a kernel call. Reused across calls (see `bind`) so calls allocate nothing. */
export interface Operand {
  /** The caller's array; the first `length` entries are used. */
  array: Float64Array;
  length: number;
  /** The kernel reads it (copied in when staged). */
  input: boolean;
  /** The kernel writes it (copied out when staged). */
  output: boolean;
  /** Filled by `stage`: byte address the kernel must use. */
  ptr: number;
  staged: boolean;
}

export function operand(): Operand {
  return { array: EMPTY, length: 0, input: false, output: false, ptr: -1, staged: false };
}

export function bind(
  op: Operand,
  array: Float64Array,
  length: number,
  input: boolean,
  output: boolean,
): Operand {
  op.array = array;
  op.length = length;
  op.input = input;
  op.output = output;
  return op;
}

/** Drops references to caller arrays once a call is done. */
export function unbind(ops: Operand[]): void {
  for (const op of ops) op.array = EMPTY;
}

const EMPTY = new Float64Array(0);

const ALIGN = 64;
const align = (x: number): number => Math.ceil(x / ALIGN) * ALIGN;

export class Staging {
  private ptr = 0;
  private bytes = 0;

  constructor(readonly kernels: WasmKernels) {}

  /** Byte address of `a` when it is a live view into the kernel memory, else −1. */
  addressOf(a: Float64Array): number {
    return this.kernels.arena.owns(a) ? a.byteOffset : -1;
  }

  /** True when every array is a view into the kernel memory (no copies needed). */
  allInMemory(...arrays: Float64Array[]): boolean {
    for (const a of arrays) if (!this.kernels.arena.owns(a)) return false;
    return true;
  }

  /**
   * Resolves every operand's address, copying those that need it into scratch, and returns the
   * address of `workBytes` of extra workspace. `allowIdentical`: an input may be exactly an
   * output (element-wise kernels work in place). Addresses of in-place views are read before any
   * growth, because growth detaches unshared views.
   */
  stage(ops: Operand[], workBytes: number, allowIdentical = false): number {
    for (const op of ops) {
      op.ptr = this.addressOf(op.array);
      op.staged = op.ptr < 0;
    }
    for (const op of ops) {
      if (op.staged || op.output) continue;
      for (const out of ops) {
        if (out.output && !out.staged && overlaps(op, out, allowIdentical)) op.staged = true;
      }
    }
    let total = align(workBytes);
    for (const op of ops) if (op.staged) total += align(op.length * 8);
    const base = this.reserve(total);
    let at = base + align(workBytes);
    let heap: Float64Array | undefined;
    for (const op of ops) {
      if (!op.staged) continue;
      op.ptr = at;
      at += align(op.length * 8);
      if (op.input && op.length > 0) {
        heap ??= new Float64Array(this.kernels.memory.buffer);
        heap.set(op.array.subarray(0, op.length), op.ptr / 8);
      }
    }
    return base;
  }

  /** Copies staged outputs back to the caller's arrays. */
  unstage(ops: Operand[]): void {
    let heap: Float64Array | undefined;
    for (const op of ops) {
      if (!(op.staged && op.output) || op.length === 0) continue;
      heap ??= new Float64Array(this.kernels.memory.buffer);
      op.array.set(heap.subarray(op.ptr / 8, op.ptr / 8 + op.length));
    }
  }

  /** Scratch of at least `bytes`, valid until the next call. May grow the memory. */
  reserve(bytes: number): number {
    if (bytes > this.bytes) {
      const arena = this.kernels.arena;
      const want = Math.max(bytes, Math.ceil(this.bytes * 1.5), 1 << 16);
      if (this.bytes > 0) arena.free(this.ptr);
      this.bytes = 0;
      this.ptr = arena.alloc(want);
      this.bytes = want;
    }
    return this.ptr;
  }

  /** Returns the scratch region to the arena (e.g. after a one-off huge call). */
  dispose(): void {
    if (this.bytes > 0) this.kernels.arena.free(this.ptr);
    this.bytes = 0;
  }
}

/** Whether two in-memory operands share bytes; an identical range is fine for element-wise kernels. */
function overlaps(a: Operand, b: Operand, allowIdentical: boolean): boolean {
  if (allowIdentical && a.ptr === b.ptr && a.length === b.length) return false;
  return a.ptr < b.ptr + b.length * 8 && b.ptr < a.ptr + a.length * 8;
}
