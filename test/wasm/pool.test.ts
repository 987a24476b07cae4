/**
 * The worker pool against the single-threaded kernels: bit-identical whatever the split (same
 * arithmetic per element), close to naive loops, stable over many calls, adaptive threshold,
 * memory grown under running workers. Errors, fallbacks, the backend and process exit:
 * pool-env.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerPool, type WorkerPool } from '../../src/linalg/wasm/pool.js';
import { availableBuilds, maxRelError, naiveGemm, rng } from './helpers.js';
import { EPS, gemmBoth, gemvBoth, sameBits } from './pool-helpers.js';

const GEMM_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 37, 5], // one row: a column split
  [3, 2, 7], // fewer rows than threads·4
  [5, 9, 3],
  [8, 8, 8],
  [9, 4, 11],
  [13, 17, 1],
  [17, 13, 9],
  [33, 31, 64],
  [64, 70, 257], // k over one KC block (256): the k-blocking must not depend on the split
  [130, 12, 40], // m over one MC block (128)
  [7, 301, 19], // wide: split by columns
];

const builds = availableBuilds();
const THREADS = [2, 3];

describe.each(builds)('worker pool, $variant build', ({ kernels }) => {
  const pools = new Map<number, WorkerPool>();
  beforeAll(async () => {
    for (const t of THREADS) {
      // minFlops 0: split even tiny problems, so every edge of the splitting is exercised.
      const pool = createWorkerPool({
        kernels,
        threads: t,
        minFlops: 0,
        minGemvFlops: 0,
        adaptive: false,
      });
      pools.set(t, pool);
      expect(pool.fallbackReason).toBeUndefined();
      expect(await pool.ready()).toBe(t);
    }
  });
  afterAll(async () => {
    for (const p of pools.values()) await p.close();
  });

  it.each(THREADS)(
    'GEMM: bit-identical to one thread and close to naive loops (%i threads)',
    (t) => {
      const pool = pools.get(t)!;
      let seed = 1;
      const split0 = pool.stats.split;
      let mustSplit = 0;
      for (const [m, n, k] of GEMM_SHAPES) {
        for (const [tA, tB] of [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ] as const) {
          for (const [alpha, beta] of [
            [1, 0],
            [-0.75, 1.5],
            [2, 1],
          ]) {
            const c = { tA, tB, m, n, k, alpha, beta };
            if (Math.max(m, n) > 4) mustSplit++; // more than one 4-wide block on the split side
            const r = gemmBoth(kernels, pool, c, seed++);
            const label = JSON.stringify(c);
            expect(sameBits(r.pooled, r.single), label).toBe(true);
            const want = naiveGemm(tA === 1, tB === 1, alpha, r.a, r.b, beta, r.c0, m, n);
            expect(maxRelError(r.pooled, want.C, want.scale), label).toBeLessThan((k + 2) * EPS);
          }
        }
      }
      expect(pool.stats.split - split0).toBe(mustSplit);
    },
  );

  it.each(THREADS)(
    'GEMV: bit-identical to one thread and close to naive loops (%i threads)',
    (t) => {
      const pool = pools.get(t)!;
      let seed = 100;
      const shapes = [
        [1, 1],
        [1, 9],
        [9, 1],
        [3, 5],
        [7, 9],
        [8, 16],
        [33, 65],
        [65, 33],
        [301, 299],
      ];
      for (const [m, n] of shapes) {
        for (const trans of [0, 1] as const) {
          for (const [alpha, beta] of [
            [1, 0],
            [0.5, -2],
          ]) {
            const r = gemvBoth(kernels, pool, trans, m, n, alpha, beta, seed++);
            const label = JSON.stringify({ trans, m, n, alpha, beta });
            expect(sameBits(r.pooled, r.single), label).toBe(true);
            const [ny, nx] = trans ? [n, m] : [m, n];
            const want = new Float64Array(ny);
            const scale = new Float64Array(ny);
            for (let i = 0; i < ny; i++) {
              let s = 0;
              let sa = 0;
              for (let j = 0; j < nx; j++) {
                const p = (trans ? r.a[j * n + i] : r.a[i * n + j]) * r.xs[j];
                s += p;
                sa += Math.abs(p);
              }
              const c0 = beta === 0 ? 0 : beta * r.y0[i];
              want[i] = alpha * s + c0;
              scale[i] = Math.abs(alpha) * sa + Math.abs(c0);
            }
            expect(maxRelError(r.pooled, want, scale), label).toBeLessThan((nx + 2) * EPS);
          }
        }
      }
    },
  );

  it.each(THREADS)('stays bit-identical over many back-to-back calls (%i threads)', (t) => {
    const pool = pools.get(t)!;
    const next = rng(7);
    for (let call = 0; call < 600; call++) {
      const m = 1 + Math.floor((next() + 1) * 20);
      const n = 1 + Math.floor((next() + 1) * 20);
      if (call % 3 === 2) {
        const r = gemvBoth(kernels, pool, (call & 1) as 0 | 1, m, n, 1.25, 0.5, call);
        expect(sameBits(r.pooled, r.single), `call ${call}`).toBe(true);
      } else {
        const k = 1 + Math.floor((next() + 1) * 20);
        const c = {
          tA: (call & 1) as 0 | 1,
          tB: ((call >> 2) & 1) as 0 | 1,
          m,
          n,
          k,
          alpha: 1,
          beta: 0.5,
        };
        const r = gemmBoth(kernels, pool, c, call);
        expect(sameBits(r.pooled, r.single), `call ${call}`).toBe(true);
      }
    }
  });

  it('raises its threshold while split calls do not pay, with unchanged results', async () => {
    // The worker never polls, so each split call pays a futex wake-up (≥ 5 µs), while an 8³
    // GEMM takes well under 1 µs: the threshold must rise above that size at some point.
    const pool = createWorkerPool({ kernels, threads: 2, minFlops: 0, spinMicros: { worker: 0 } });
    await pool.ready();
    let highest = 0;
    for (let i = 0; i < 60; i++) {
      const r = gemmBoth(kernels, pool, { tA: 0, tB: 0, m: 8, n: 8, k: 8, alpha: 1, beta: 0 }, i);
      expect(sameBits(r.pooled, r.single)).toBe(true);
      highest = Math.max(highest, pool.stats.gemmMinFlops);
    }
    expect(highest).toBeGreaterThan(2 * 8 ** 3);
    expect(pool.stats.split).toBeLessThan(60);
    await pool.close();
  });

  it('sees memory grown after the workers started', () => {
    const pool = pools.get(2)!;
    const before = kernels.arena.capacity;
    const filler = kernels.arena.alloc(before + (8 << 20)); // forces a growth
    expect(kernels.arena.capacity).toBeGreaterThan(before);
    // The operands land above the old end of memory.
    const r = gemmBoth(kernels, pool, { tA: 0, tB: 0, m: 96, n: 80, k: 70, alpha: 1, beta: 0 }, 3);
    expect(sameBits(r.pooled, r.single)).toBe(true);
    kernels.arena.free(filler);
  });
});
