import { afterEach, describe, expect, it, vi } from 'vitest';

// The backend is chosen once, when src/linalg/index.ts is first evaluated; each case re-imports it.
async function freshLinalg(env: string | undefined) {
  vi.resetModules();
  if (env === undefined) delete process.env.RNNSCOPE_BACKEND;
  else process.env.RNNSCOPE_BACKEND = env;
  return import('../../src/linalg/index.js');
}

describe('default linear-algebra backend', () => {
  const saved = process.env.RNNSCOPE_BACKEND;
  afterEach(() => {
    if (saved === undefined) delete process.env.RNNSCOPE_BACKEND;
    else process.env.RNNSCOPE_BACKEND = saved;
    vi.resetModules();
  });

  it('is the wasm backend where wasm SIMD is available (Node 20 has it)', async () => {
    const lin = await freshLinalg(undefined);
    expect(lin.getBackend().name).toMatch(/^wasm-(fma|simd)$/);
    // and it computes: a 3×3 eigenproblem with a known spectrum
    const A = lin.fromRows([
      [2, 0, 0],
      [0, 3, 4],
      [0, -4, 3],
    ]);
    const { re, im } = lin.sortEig(lin.eig(A, { vectors: false }), 'real');
    const pairs = Array.from(re, (r, i) => [r, im[i]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(pairs[0][0]).toBeCloseTo(2, 12);
    expect(pairs[1]).toEqual([expect.closeTo(3, 12), expect.closeTo(-4, 12)]);
  });

  it('RNNSCOPE_BACKEND=ts selects the TypeScript reference', async () => {
    const lin = await freshLinalg('ts');
    expect(lin.getBackend().name).toBe(lin.tsBackend.name);
  });

  it('rejects an unknown RNNSCOPE_BACKEND with a clear message', async () => {
    await expect(freshLinalg('blas')).rejects.toThrow(/RNNSCOPE_BACKEND must be 'ts' or 'wasm'/);
  });
});
