/**
 * SYRK on the worker pool: the triangle split into bands of rows gives results bit-identical to
 * one thread (same tiles, same k-blocking), whatever the band boundaries.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmBackend, createWorkerPool, wasmKernels } from '../../src/linalg/wasm/index.js';
import { syrkBands } from '../../src/linalg/wasm/syrk.js';
import type { WorkerPool } from '../../src/linalg/wasm/pool.js';
import { randomMatrix, rng } from './helpers.js';
import { sameBits } from './pool-helpers.js';

describe('syrk bands', () => {
  it('are increasing, multiples of 4 inside, and of nearly equal triangle area', () => {
    for (const [n, p] of [
      [1, 2],
      [7, 3],
      [100, 2],
      [1000, 3],
    ]) {
      const b = syrkBands(n, p);
      expect(b[0]).toBe(0);
      expect(b[b.length - 1]).toBe(n);
      for (let i = 1; i < b.length; i++) expect(b[i]).toBeGreaterThan(b[i - 1]);
      for (let i = 1; i < b.length - 1; i++) expect(b[i] % 4).toBe(0);
      if (n >= 100) {
        expect(b.length).toBe(p + 1);
        for (let i = 1; i < b.length; i++)
          expect(Math.abs(b[i] ** 2 - b[i - 1] ** 2 - n ** 2 / p)).toBeLessThan(8 * n);
      }
    }
  });
});

describe('syrk on the worker pool', () => {
  const kernels = wasmKernels();
  const pools: WorkerPool[] = [];
  afterAll(async () => {
    for (const p of pools) await p.close();
  });

  it.each([2, 3])('bit-identical to one thread (%i threads)', async (threads) => {
    const pool = createWorkerPool({
      kernels,
      threads,
      minFlops: 0,
      minGemvFlops: 0,
      adaptive: false,
    });
    pools.push(pool);
    expect(await pool.ready()).toBe(threads);
    const one = createWasmBackend({ kernels, threads: 1, minFlopsToCopy: 0 });
    const many = createWasmBackend({ kernels, pool, minFlopsToCopy: 0 });
    const next = rng(threads);
    const split0 = pool.stats.split;
    let calls = 0;
    for (const [n, k] of [
      [9, 5],
      [17, 300],
      [64, 64],
      [101, 33],
      [250, 520],
    ]) {
      for (const trans of [false, true]) {
        const A = trans ? randomMatrix(k, n, next) : randomMatrix(n, k, next);
        const C0 = randomMatrix(n, n, next).data;
        const c1 = { rows: n, cols: n, data: C0.slice() };
        const c2 = { rows: n, cols: n, data: C0.slice() };
        one.syrk(trans, 0.75, A, -1.25, c1);
        many.syrk(trans, 0.75, A, -1.25, c2);
        expect(sameBits(c2.data, c1.data), JSON.stringify({ n, k, trans })).toBe(true);
        calls++;
      }
    }
    expect(pool.stats.split - split0).toBe(calls);
  });
});
