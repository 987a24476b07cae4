import { describe, expect, it } from 'vitest';
import { RnnscopeError } from '../../src/errors.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import {
  createWasmBackend,
  freeWasm,
  loadWasmKernels,
  loadWasmKernelsSync,
  wasmKernels,
  wasmMatrix,
  wasmSupport,
} from '../../src/linalg/wasm/index.js';
import { maxRelError, naiveGemm, randomMatrix, rng } from './helpers.js';

describe('loading', () => {
  it('Node 20 gets the FMA build on shared memory by default', () => {
    expect(wasmSupport()).toEqual({ simd: true, fma: true });
    const k = wasmKernels();
    expect(k.variant).toBe('fma');
    expect(k.shared).toBe(true);
    expect(k.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(wasmKernels()).toBe(k);
  });

  it('loads asynchronously too', async () => {
    const k = await loadWasmKernels({ variant: 'simd', initialBytes: 1 << 16 });
    expect(k.variant).toBe('simd');
    expect(k.exports.hasFma()).toBe(0);
  });

  it('rejects a maximum above the 4 GiB wasm32 limit', () => {
    expect(() => loadWasmKernelsSync({ maximumBytes: 2 ** 32 + 65536 })).toThrow(RnnscopeError);
  });
});

describe('arena', () => {
  it('aligns to 64 bytes, reuses and coalesces freed blocks, and shrinks the top', () => {
    const { arena } = loadWasmKernelsSync({ initialBytes: 1 << 20 });
    const a = arena.alloc(10);
    const b = arena.alloc(100);
    const c = arena.alloc(64);
    expect([a % 64, b % 64, c % 64]).toEqual([0, 0, 0]);
    expect(a).toBeGreaterThan(0);
    expect(b - a).toBe(64);
    arena.free(a);
    arena.free(b); // merges with a's block: 64 + 128 bytes free below c
    expect(arena.alloc(192)).toBe(a);
    expect(() => arena.free(b)).toThrow(/not a live allocation/);
    const used = arena.bytesInUse;
    arena.free(c);
    expect(arena.bytesInUse).toBe(used - 64);
    const d = arena.alloc(64);
    expect(d).toBe(c); // top came back down
  });

  it('grows the memory on demand; wasm matrices keep their contents', () => {
    const kernels = loadWasmKernelsSync({ initialBytes: 1 << 16 });
    const W = wasmMatrix(10, 10, kernels);
    W.data.set(Array.from({ length: 100 }, (_, i) => i));
    const rawView = W.data;
    const gen = kernels.arena.generation;
    const big = wasmMatrix(512, 512, kernels); // 2 MiB: forces growth
    expect(kernels.arena.generation).toBeGreaterThan(gen);
    expect(kernels.memory.buffer.byteLength).toBeGreaterThanOrEqual(2 * 2 ** 20);
    expect(W.data[99]).toBe(99);
    // Shared memory: views made before growth stay valid.
    expect(rawView[42]).toBe(42);
    freeWasm(big);
    freeWasm(W);
    expect(() => W.data).toThrow(/after freeWasm/);
  });

  it('unshared memory (non-isolated browser pages): growth detaches raw views, WasmMatrix.data recovers', () => {
    const kernels = loadWasmKernelsSync({ shared: false, initialBytes: 1 << 16 });
    expect(kernels.shared).toBe(false);
    expect(kernels.memory.buffer).toBeInstanceOf(ArrayBuffer);
    const A = wasmMatrix(40, 40, kernels);
    const next = rng(5);
    for (let i = 0; i < 1600; i++) A.data[i] = next();
    const rawView = A.data;
    const before = A.data.slice();
    const big = wasmMatrix(600, 600, kernels);
    expect(rawView.length).toBe(0); // detached
    expect(Array.from(A.data)).toEqual(Array.from(before));
    // The patched (unshared) binary computes like the shared one.
    const backend = createWasmBackend({ kernels });
    const C = wasmMatrix(40, 40, kernels);
    backend.gemm(false, true, 1, A, A, 0, C);
    const copy: Matrix = { rows: 40, cols: 40, data: before };
    const { C: want, scale } = naiveGemm(
      false,
      true,
      1,
      copy,
      copy,
      0,
      new Float64Array(0),
      40,
      40,
    );
    expect(maxRelError(C.data, want, scale)).toBeLessThanOrEqual(1e-13);
    freeWasm(big);
  });

  it('a stale detached view passed to gemm gets an actionable error', () => {
    const kernels = loadWasmKernelsSync({ shared: false, initialBytes: 1 << 16 });
    const A = wasmMatrix(4, 4, kernels);
    const stale: Matrix = { rows: 4, cols: 4, data: A.data };
    wasmMatrix(300, 300, kernels);
    const backend = createWasmBackend({ kernels });
    expect(() => backend.gemm(false, false, 1, stale, A, 0, A)).toThrow(
      /detached by wasm memory growth/,
    );
  });

  it('throws an RnnscopeError with advice past the configured limit', () => {
    const kernels = loadWasmKernelsSync({ initialBytes: 1 << 16, maximumBytes: 2 << 20 });
    expect(() => wasmMatrix(1024, 1024, kernels)).toThrow(
      /wasm memory limit: cannot allocate 8\.0 MiB/,
    );
    const small = wasmMatrix(64, 64, kernels); // still usable afterwards
    expect(small.data.length).toBe(4096);
  });

  it('throws past 4 GiB without trying to allocate', () => {
    const kernels = wasmKernels();
    const e = (() => {
      try {
        kernels.arena.alloc(5 * 2 ** 30);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(RnnscopeError);
    expect((e as RnnscopeError).message).toMatch(/at most 4 GiB/);
  });

  it('backend scratch is reused across calls (no growth in steady state)', () => {
    const kernels = loadWasmKernelsSync();
    const backend = createWasmBackend({ kernels });
    const next = rng(9);
    const A = randomMatrix(100, 80, next);
    const B = randomMatrix(80, 60, next);
    const C: Matrix = { rows: 100, cols: 60, data: new Float64Array(6000) };
    backend.gemm(false, false, 1, A, B, 0, C);
    const inUse = kernels.arena.bytesInUse;
    const gen = kernels.arena.generation;
    for (let i = 0; i < 5; i++) backend.gemm(false, false, 1, A, B, 0, C);
    expect(kernels.arena.bytesInUse).toBe(inUse);
    expect(kernels.arena.generation).toBe(gen);
    backend.releaseScratch();
    expect(kernels.arena.bytesInUse).toBe(0);
  });
});
