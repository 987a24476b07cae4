/**
 * The worker pool's edges: kernel errors from workers, single-threaded fallbacks (no shared
 * memory, no blocking wait, threads = 1, no SharedArrayBuffer at all), RNNSCOPE_THREADS,
 * createWasmBackend({ threads, pool }), and a process that exits without close().
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RnnscopeError } from '../../src/errors.js';
import {
  createWasmBackend,
  freeWasm,
  loadWasmKernelsSync,
  toWasmMatrix,
  wasmMatrix,
} from '../../src/linalg/wasm/index.js';
import { createWorkerPool, defaultThreads } from '../../src/linalg/wasm/pool.js';
import { fill, rng } from './helpers.js';
import { alloc, gemmBoth, sameBits } from './pool-helpers.js';

describe('worker pool errors and fallbacks', () => {
  const kernels = loadWasmKernelsSync({ variant: 'simd' });

  it('reports a trap inside a worker as RnnscopeError on the caller, then keeps working', async () => {
    const pool = createWorkerPool({ kernels, threads: 2, minFlops: 0, adaptive: false });
    expect(await pool.ready()).toBe(2);
    const m = 8;
    const n = 8;
    const A = alloc(kernels, m * n);
    const B = alloc(kernels, n * n);
    // C's rows 4..7 (the worker's block when split by rows) lie past the end of memory.
    const end = kernels.memory.buffer.byteLength;
    const cBad = end - 4 * n * 8;
    let err: unknown;
    try {
      pool.gemm(0, 0, m, n, n, 1, A.ptr, n, B.ptr, n, 0, cBad, n);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RnnscopeError);
    expect(String((err as Error).message)).toMatch(/worker 1.*out of bounds/i);
    // The caller's own trap is wrapped the same way.
    expect(() => pool.gemm(0, 0, m, n, n, 1, A.ptr, n, B.ptr, n, 0, end + 64, n)).toThrow(
      RnnscopeError,
    );
    const r = gemmBoth(kernels, pool, { tA: 0, tB: 1, m: 40, n: 24, k: 9, alpha: 1, beta: 0 }, 5);
    expect(sameBits(r.pooled, r.single)).toBe(true);
    kernels.arena.free(A.ptr);
    kernels.arena.free(B.ptr);
    await pool.close();
    expect(pool.activeThreads()).toBe(1); // closed: single-threaded, still correct
    const r2 = gemmBoth(kernels, pool, { tA: 1, tB: 0, m: 20, n: 24, k: 9, alpha: 1, beta: 1 }, 6);
    expect(sameBits(r2.pooled, r2.single)).toBe(true);
  });

  it.each([
    ['no SharedArrayBuffer', { simulate: { noSharedArrayBuffer: true } }, /SharedArrayBuffer/],
    ['no blocking Atomics.wait', { simulate: { noAtomicsWait: true } }, /Atomics\.wait/],
    ['threads = 1', { threads: 1 }, /threads = 1/],
  ])('falls back to one thread with %s', async (_name, opts, why) => {
    const pool = createWorkerPool({ kernels, threads: 2, minFlops: 0, ...opts });
    expect(pool.fallbackReason).toMatch(why);
    expect(await pool.ready()).toBe(1);
    const r = gemmBoth(kernels, pool, { tA: 0, tB: 0, m: 33, n: 17, k: 20, alpha: 1, beta: 0 }, 9);
    expect(sameBits(r.pooled, r.single)).toBe(true);
    await pool.close();
  });

  it('runs where SharedArrayBuffer does not exist at all', async () => {
    const g = globalThis as { SharedArrayBuffer?: SharedArrayBufferConstructor };
    const saved = g.SharedArrayBuffer;
    try {
      delete g.SharedArrayBuffer;
      const plain = loadWasmKernelsSync({ variant: 'simd' });
      expect(plain.shared).toBe(false);
      const pool = createWorkerPool({ kernels: plain, threads: 2, minFlops: 0 });
      expect(pool.fallbackReason).toMatch(/SharedArrayBuffer/);
      const b = createWasmBackend({ kernels: plain, threads: 2 });
      const A = toWasmMatrix(
        { rows: 3, cols: 2, data: new Float64Array([1, 2, 3, 4, 5, 6]) },
        plain,
      );
      const C = wasmMatrix(3, 3, plain);
      b.gemm(false, true, 1, A, A, 0, C);
      expect(Array.from(C.data)).toEqual([5, 11, 17, 11, 25, 39, 17, 39, 61]);
      await pool.close();
    } finally {
      g.SharedArrayBuffer = saved;
    }
  });

  it('falls back to one thread on unshared memory (what a non-isolated page gets)', async () => {
    const plain = loadWasmKernelsSync({ variant: 'simd', shared: false });
    const pool = createWorkerPool({ kernels: plain, threads: 2, minFlops: 0 });
    expect(pool.fallbackReason).toMatch(/not shared/);
    const r = gemmBoth(plain, pool, { tA: 1, tB: 1, m: 12, n: 30, k: 7, alpha: 2, beta: 0 }, 11);
    expect(sameBits(r.pooled, r.single)).toBe(true);
    await pool.close();
  });

  it('reads RNNSCOPE_THREADS and rejects bad values', () => {
    const saved = process.env.RNNSCOPE_THREADS;
    try {
      process.env.RNNSCOPE_THREADS = '3';
      expect(defaultThreads()).toBe(3);
      process.env.RNNSCOPE_THREADS = 'two';
      expect(() => defaultThreads()).toThrow(/RNNSCOPE_THREADS/);
      delete process.env.RNNSCOPE_THREADS;
      expect(defaultThreads()).toBeGreaterThanOrEqual(1);
      expect(defaultThreads()).toBeLessThanOrEqual(4);
    } finally {
      if (saved === undefined) delete process.env.RNNSCOPE_THREADS;
      else process.env.RNNSCOPE_THREADS = saved;
    }
    expect(() => createWorkerPool({ threads: 0 })).toThrow(RnnscopeError);
  });
});

describe('createWasmBackend({ threads })', () => {
  const kernels = loadWasmKernelsSync();
  const one = createWasmBackend({ kernels, threads: 1 });
  // Not adaptive: on a busy machine the threshold could rise past these sizes.
  const pool = createWorkerPool({ kernels, threads: 2, adaptive: false });
  const two = createWasmBackend({ kernels, pool });
  beforeAll(async () => expect(await pool.ready()).toBe(2));
  afterAll(() => pool.close());

  it('GEMM above the threshold: bit-identical to threads: 1, in wasm memory or copied', () => {
    const next = rng(21);
    for (const [m, n, k] of [
      [200, 150, 120],
      [97, 301, 64],
    ]) {
      for (const [tA, tB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ]) {
        const A = { rows: tA ? k : m, cols: tA ? m : k, data: new Float64Array(m * k) };
        const B = { rows: tB ? n : k, cols: tB ? k : n, data: new Float64Array(k * n) };
        fill(A.data, next);
        fill(B.data, next);
        const wA = toWasmMatrix(A, kernels);
        const wB = toWasmMatrix(B, kernels);
        const C1 = wasmMatrix(m, n, kernels);
        const C2 = wasmMatrix(m, n, kernels);
        const C3 = { rows: m, cols: n, data: new Float64Array(m * n) };
        one.gemm(tA, tB, 1.5, wA, wB, 0, C1);
        const split = pool.stats.split;
        two.gemm(tA, tB, 1.5, wA, wB, 0, C2);
        expect(pool.stats.split).toBe(split + 1);
        two.gemm(tA, tB, 1.5, A, B, 0, C3); // staged copies, then the pool
        const label = JSON.stringify({ m, n, k, tA, tB });
        expect(sameBits(C2.data, C1.data), label).toBe(true);
        expect(sameBits(C3.data, C1.data), label).toBe(true);
        for (const x of [wA, wB, C1, C2]) freeWasm(x);
      }
    }
  });

  it('GEMV above the threshold: bit-identical to threads: 1', () => {
    const next = rng(22);
    const A = toWasmMatrix(
      { rows: 501, cols: 403, data: fill(new Float64Array(501 * 403), next) },
      kernels,
    );
    for (const trans of [false, true]) {
      const [nx, ny] = trans ? [501, 403] : [403, 501];
      const x = fill(new Float64Array(nx), next);
      const y0 = fill(new Float64Array(ny), next);
      const y1 = y0.slice();
      const y2 = y0.slice();
      one.gemv(trans, 0.5, A, x, 2, y1);
      const split = pool.stats.split;
      two.gemv(trans, 0.5, A, x, 2, y2);
      expect(pool.stats.split).toBe(split + 1);
      expect(sameBits(y2, y1), `trans ${trans}`).toBe(true);
    }
    freeWasm(A);
  });

  it('rejects a pool made for other kernels and bad thread counts', () => {
    const other = loadWasmKernelsSync({ variant: 'simd' });
    expect(() => createWasmBackend({ kernels: other, pool })).toThrow(/another kernel instance/);
    expect(() => createWasmBackend({ kernels, threads: 0 })).toThrow(RnnscopeError);
  });
});

describe('a process using the pool exits without close()', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = join(here, '..', '..');
  let dir = '';
  beforeAll(() => {
    // Node 20 cannot import .ts: transpile the pool's import graph into a scratch directory.
    dir = mkdtempSync(join(tmpdir(), 'rnnscope-pool-'));
    const wasmDir = join(root, 'src', 'linalg', 'wasm');
    const files = [
      'errors.ts',
      ...readdirSync(wasmDir)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `linalg/wasm/${f}`),
    ];
    for (const f of files) {
      const src = readFileSync(join(root, 'src', f), 'utf8');
      const out = ts.transpileModule(src, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      const dest = join(dir, f.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, out.outputText);
    }
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['after a parallel GEMM', true],
    ['while the workers are still starting', false],
  ])('exits promptly %s', (_name, compute) => {
    const script = `
      import { createWorkerPool } from './linalg/wasm/pool.js';
      import { loadWasmKernelsSync } from './linalg/wasm/load.js';
      const kernels = loadWasmKernelsSync();
      const pool = createWorkerPool({ kernels, threads: 2 });
      if (${compute}) {
        const t = await pool.ready();
        const n = 200, A = kernels.arena.alloc(n * n * 8), C = kernels.arena.alloc(n * n * 8);
        pool.gemm(0, 0, n, n, n, 1, A, n, A, n, 0, C, n);
        console.log('threads', t);
      }
      console.log('done');`;
    writeFileSync(join(dir, 'child.mjs'), script);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [join(dir, 'child.mjs')], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    const ms = Date.now() - t0;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(compute ? /threads 2\s+done/ : /done/);
    expect(ms).toBeLessThan(5000);
  });
});
