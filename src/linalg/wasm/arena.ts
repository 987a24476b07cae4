/**
 * A small allocator for the kernel memory: first-fit over a sorted free list, bump allocation
 * at the top, growth with `memory.grow`.
 *
 * Bookkeeping lives in JS, not in headers inside the memory, so a kernel writing out of bounds
 * cannot corrupt the allocator, and the memory holds nothing but numbers.
 *
 * Growth and views. After `memory.grow`:
 *  - shared memory (the default where available): existing views stay valid over their old
 *    range; `memory.buffer` is a new, longer SharedArrayBuffer object.
 *  - unshared memory: the old ArrayBuffer is detached and every Float64Array over it reads as
 *    length 0. Views must be re-created; `generation` counts growths so holders can notice
 *    (WasmMatrix does this in its `data` getter).
 * Either way, never keep a raw view across a call that may allocate; keep the pointer or a
 * WasmMatrix instead.
 */
import { RnnscopeError } from '../../errors.js';
import type { WasmMemory } from './wasm-api.js';

const PAGE = 65536;
/** Cache-line alignment: every block starts on its own line and is v128-aligned. */
const ALIGN = 64;

interface FreeBlock {
  start: number;
  end: number;
}

function alignUp(x: number): number {
  return Math.ceil(x / ALIGN) * ALIGN;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export class WasmArena {
  private readonly freeList: FreeBlock[] = [];
  private readonly live = new Map<number, number>();
  private top: number;
  private gen = 0;
  private inUse = 0;
  /** Every buffer object this memory has had, to recognise views made before a growth. */
  private readonly buffers = new WeakSet<ArrayBufferLike>();

  constructor(
    readonly memory: WasmMemory,
    /** Lowest address the module leaves to the host. */
    readonly base: number,
    /** Growth limit in bytes (≤ 4 GiB). */
    readonly maximumBytes: number,
  ) {
    this.top = alignUp(Math.max(base, ALIGN)); // address 0 is reserved: kernels treat 0 as "absent"
    this.buffers.add(memory.buffer);
  }

  /** Incremented on every growth of the memory. */
  get generation(): number {
    return this.gen;
  }

  /** Bytes held by live allocations (rounded to the alignment). */
  get bytesInUse(): number {
    return this.inUse;
  }

  /** Current size of the memory in bytes. */
  get capacity(): number {
    return this.memory.buffer.byteLength;
  }

  /** Allocates `bytes` (rounded up to 64) and returns a 64-byte aligned address. Contents are unspecified. */
  alloc(bytes: number): number {
    if (!(Number.isFinite(bytes) && bytes >= 0)) {
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `wasm allocation size must be a non-negative number, got ${bytes}`,
      );
    }
    const size = alignUp(Math.max(bytes, 1));
    for (let i = 0; i < this.freeList.length; i++) {
      const b = this.freeList[i];
      if (b.end - b.start >= size) {
        const ptr = b.start;
        b.start += size;
        if (b.start === b.end) this.freeList.splice(i, 1);
        return this.track(ptr, size);
      }
    }
    const ptr = this.top;
    this.ensureCapacity(ptr + size, size);
    this.top = ptr + size;
    return this.track(ptr, size);
  }

  /** Returns a block to the free list, merging with its neighbours and with the top. */
  free(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) {
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `wasm free of ${ptr}, which is not a live allocation (double free?)`,
      );
    }
    this.live.delete(ptr);
    this.inUse -= size;
    let lo = 0;
    let hi = this.freeList.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.freeList[mid].start < ptr) lo = mid + 1;
      else hi = mid;
    }
    const block: FreeBlock = { start: ptr, end: ptr + size };
    const prev = this.freeList[lo - 1];
    const next = this.freeList[lo];
    if (prev && prev.end === block.start) {
      prev.end = block.end;
      if (next && next.start === prev.end) {
        prev.end = next.end;
        this.freeList.splice(lo, 1);
      }
    } else if (next && next.start === block.end) {
      next.start = block.start;
    } else {
      this.freeList.splice(lo, 0, block);
    }
    const last = this.freeList[this.freeList.length - 1];
    if (last && last.end === this.top) {
      this.top = last.start;
      this.freeList.pop();
    }
  }

  /** Size in bytes of a live allocation, or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.live.get(ptr);
  }

  /** A fresh Float64Array over [ptr, ptr + 8·length). */
  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, length);
  }

  /** True when `a` is a view into this memory (made before or after any growth) and not detached. */
  owns(a: ArrayBufferView): boolean {
    const buf = a.buffer;
    if (!this.buffers.has(buf)) {
      // A buffer object we have not seen: growth by someone else (always grow through alloc).
      if (buf !== this.memory.buffer) return false;
      this.buffers.add(buf);
    }
    return a.byteLength > 0 || buf.byteLength > 0;
  }

  private track(ptr: number, size: number): number {
    this.live.set(ptr, size);
    this.inUse += size;
    return ptr;
  }

  private ensureCapacity(end: number, requested: number): void {
    const current = this.memory.buffer.byteLength;
    if (end <= current) return;
    if (end > this.maximumBytes) {
      throw new RnnscopeError(
        'OUT_OF_MEMORY',
        `wasm memory limit: cannot allocate ${mib(requested)} (${mib(this.inUse)} in use, limit ` +
          `${mib(this.maximumBytes)}; WebAssembly memory is at most 4 GiB). Free unused wasm matrices, ` +
          'process the data in chunks, or use the TypeScript backend (setBackend(tsBackend)).',
      );
    }
    // Grow by at least half the current size so that a sequence of allocations grows O(log n) times.
    const wantEnd = Math.min(this.maximumBytes, Math.max(end, current + (current >> 1)));
    const delta = Math.ceil((wantEnd - current) / PAGE);
    const need = Math.ceil((end - current) / PAGE);
    try {
      this.memory.grow(delta);
    } catch {
      try {
        this.memory.grow(need);
      } catch (e) {
        throw new RnnscopeError(
          'OUT_OF_MEMORY',
          `wasm memory could not grow to ${mib(end)} (the engine or OS refused: ${String(e)}). ` +
            'Free unused wasm matrices, process the data in chunks, or use the TypeScript backend.',
          { cause: e },
        );
      }
    }
    this.gen++;
    this.buffers.add(this.memory.buffer);
  }
}
