import { describe, expect, it } from 'vitest';
import { gemm, zeros, type Matrix } from '../../src/linalg/index.js';
import {
  bernoulliSigns,
  createRng,
  fillNormal,
  fillUniform,
  gaussianMatrix,
  orthogonal,
  recurrentGaussian,
  sparseGaussian,
  uniformMatrix,
} from '../../src/random/index.js';

function moments(a: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  const mean = s / a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i] - mean) ** 2;
  return { mean, variance: v / a.length };
}

function bytes(m: Matrix): Buffer {
  return Buffer.from(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
}

describe('initialisers', () => {
  it('gaussianMatrix and recurrentGaussian have variance std² and g²/N', () => {
    const G = gaussianMatrix(300, 200, 0.7, createRng(1));
    expect([G.rows, G.cols]).toEqual([300, 200]);
    const g = moments(G.data);
    expect(Math.abs(g.mean)).toBeLessThan(0.01);
    expect(Math.abs(g.variance / 0.49 - 1)).toBeLessThan(0.02);
    const N = 400;
    const W = recurrentGaussian(N, 1.5, createRng(2));
    const w = moments(W.data);
    expect(Math.abs(w.mean)).toBeLessThan(0.003);
    expect(Math.abs((w.variance * N) / 2.25 - 1)).toBeLessThan(0.02);
  });

  it('orthogonal is orthogonal to 1e-12, scaled by gain, and Haar (no sign bias on the diagonal)', () => {
    for (const N of [1, 5, 64]) {
      const Q = orthogonal(N, createRng(N));
      const QtQ = zeros(N, N);
      gemm(true, false, 1, Q, Q, 0, QtQ);
      let err = 0;
      for (let i = 0; i < N; i++)
        for (let j = 0; j < N; j++)
          err = Math.max(err, Math.abs(QtQ.data[i * N + j] - (i === j ? 1 : 0)));
      expect(err).toBeLessThan(1e-12);
    }
    const G = orthogonal(10, createRng(3), 2);
    const GtG = zeros(10, 10);
    gemm(true, false, 1, G, G, 0, GtG);
    expect(GtG.data[0]).toBeCloseTo(4, 12);
    // Haar: E[Q₀₀] = 0. Without the sign correction Householder QR makes it systematically signed.
    const rng = createRng('haar');
    let s = 0;
    const reps = 2000;
    for (let r = 0; r < reps; r++) s += orthogonal(4, rng).data[0];
    expect(Math.abs(s / reps)).toBeLessThan(0.05); // sd of the mean ≈ 0.5/√2000 ≈ 0.011
  });

  it('sparseGaussian has the requested density and entry variance g²/(density·N)', () => {
    const N = 500;
    const density = 0.1;
    const W = sparseGaussian(N, density, 1.2, createRng(4));
    const nz = Array.from(W.data).filter((v) => v !== 0);
    expect(Math.abs(nz.length / (N * N) - density)).toBeLessThan(0.003);
    const m = moments(nz);
    expect(Math.abs((m.variance * density * N) / 1.44 - 1)).toBeLessThan(0.03);
    expect(() => sparseGaussian(10, 0, 1, createRng(1))).toThrow(/density/);
  });

  it('uniformMatrix and bernoulliSigns', () => {
    const U = uniformMatrix(100, 100, -2, 4, createRng(5));
    const u = moments(U.data);
    expect(Math.min(...U.data)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...U.data)).toBeLessThan(4);
    expect(Math.abs(u.mean - 1)).toBeLessThan(0.05);
    expect(Math.abs(u.variance / 3 - 1)).toBeLessThan(0.03);
    const B = bernoulliSigns(100, 100, createRng(6));
    expect(Array.from(B.data).every((v) => v === 1 || v === -1)).toBe(true);
    expect(Math.abs(moments(B.data).mean)).toBeLessThan(0.04);
  });

  it('fillNormal / fillUniform fill in place', () => {
    const a = fillNormal(new Float64Array(50_000), createRng(7), 3);
    const m = moments(a);
    expect(Math.abs(m.mean)).toBeLessThan(0.05);
    expect(Math.abs(m.variance / 9 - 1)).toBeLessThan(0.03);
    const b = fillUniform(new Float64Array(1000), createRng(8), 5, 6);
    expect(b.every((v) => v >= 5 && v < 6)).toBe(true);
  });

  it('is reproducible: same seed, same bytes', () => {
    const make = () => [
      recurrentGaussian(50, 1.5, createRng('r')),
      orthogonal(20, createRng('o')),
      sparseGaussian(50, 0.2, 1, createRng('s')),
      uniformMatrix(5, 7, 0, 1, createRng('u')),
      bernoulliSigns(5, 7, createRng('b')),
    ];
    const a = make();
    const b = make();
    for (let i = 0; i < a.length; i++) expect(bytes(a[i]).equals(bytes(b[i]))).toBe(true);
  });

  it('rejects bad arguments', () => {
    expect(() => gaussianMatrix(2, 2, -1, createRng(1))).toThrow(/std/);
    expect(() => recurrentGaussian(0, 1, createRng(1))).toThrow(/units/);
    expect(() => uniformMatrix(2, 2, 1, 0, createRng(1))).toThrow(/a ≤ b/);
  });
});
