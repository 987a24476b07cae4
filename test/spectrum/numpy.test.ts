/**
 * Spectral quantities against numpy/scipy on stored matrices: the four flip-flop fixtures and
 * random test matrices (eigenvalues to 1e-10; Henrici, symmetric part and moments to 1e-12).
 */
import { describe, expect, it } from 'vitest';
import {
  matrixSpectrum,
  weightMoments,
  henrici,
  type Complex,
} from '../../src/analysis/spectrum/index.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { hasPython, mulberry32, randn, runPython, toWire } from '../helpers/python.js';
import { loadFixture, spectrumMismatch, square } from './helpers.js';

interface NumpySpectrum {
  eig: Complex[];
  radius: number;
  henrici: number;
  symmax: number;
  mean: number;
  std: number;
  skew: number;
  kurt: number;
}

const SCRIPT = `
import scipy.stats as st
res = []
for m in inp:
    W = M(m)
    ev = np.linalg.eigvals(W)
    f = np.linalg.norm(W, 'fro')
    d = np.sqrt(max(f**2 - np.sum(np.abs(ev)**2), 0.0)) / f
    x = W.ravel()
    res.append({'eig': [[float(z.real), float(z.imag)] for z in ev], 'radius': float(np.max(np.abs(ev))),
                'henrici': float(d), 'symmax': float(np.linalg.eigvalsh((W + W.T) / 2)[-1]),
                'mean': float(np.mean(x)), 'std': float(np.std(x)), 'skew': float(st.skew(x)),
                'kurt': float(st.kurtosis(x))})
out(res)
`;

const FIXTURE_NAMES = ['normal', 'orthogonal'].flatMap((i) =>
  ['initial', 'trained'].map((s) => `ctrnn50-flipflop-${i}-${s}.json`),
);

function testMatrices(): { name: string; W: Matrix }[] {
  const rng = mulberry32(4004);
  const shifted = randn(rng, 40, 40, 0.3);
  for (let i = 0; i < shifted.data.length; i++) shifted.data[i] += 2.5; // large mean: moments must not lose digits
  return [
    ...FIXTURE_NAMES.map((name) => ({ name, W: loadFixture(name).params.W })),
    { name: 'gaussian 120', W: randn(rng, 120, 120, 1 / Math.sqrt(120)) },
    {
      name: 'gaussian 7, skewed',
      W: { ...randn(rng, 7, 7), data: randn(rng, 7, 7).data.map((v) => v * Math.abs(v)) },
    },
    { name: 'shifted 40', W: shifted },
  ];
}

describe.skipIf(!hasPython())('spectrum vs numpy/scipy', () => {
  const cases = testMatrices();
  const ref = runPython<NumpySpectrum[]>(
    SCRIPT,
    cases.map((c) => toWire(c.W)),
  );

  it.each(cases.map((c, k) => [c.name, k] as const))('%s', (_name, k) => {
    const { W } = cases[k];
    const r = ref[k];
    const s = matrixSpectrum(W);
    expect(spectrumMismatch(s.eigenvalues, r.eig)).toBeLessThan(1e-10);
    expect(Math.abs(s.spectralRadius - r.radius)).toBeLessThan(1e-10 * Math.max(1, r.radius));
    expect(Math.abs(s.henrici - r.henrici)).toBeLessThan(1e-12);
    expect(Math.abs(s.symmetricPartMaxEig - r.symmax)).toBeLessThan(
      1e-12 * Math.max(1, Math.abs(r.symmax)),
    );
    const m = weightMoments(W.data, W.rows * W.cols);
    expect(Math.abs(m.mean - r.mean)).toBeLessThan(1e-12 * Math.max(1, Math.abs(r.mean)));
    expect(Math.abs(m.std - r.std)).toBeLessThan(1e-12 * Math.max(1, r.std));
    expect(Math.abs(m.skewness - r.skew)).toBeLessThan(1e-12 * Math.max(1, Math.abs(r.skew)));
    expect(Math.abs(m.kurtosis - r.kurt)).toBeLessThan(1e-12 * Math.max(1, Math.abs(r.kurt)));
    // Sorted by descending modulus, conjugate pairs adjacent with +im first.
    for (let i = 1; i < s.eigenvalues.length; i++) {
      const a = Math.hypot(...s.eigenvalues[i - 1]);
      const b = Math.hypot(...s.eigenvalues[i]);
      expect(a).toBeGreaterThanOrEqual(b - 1e-12);
    }
  });
});

describe('Henrici and the symmetric part, closed forms', () => {
  it('is 0 for normal matrices and the off-diagonal mass for triangular ones', () => {
    const sym = square([
      [2, 1, 0],
      [1, 3, -1],
      [0, -1, 1],
    ]);
    expect(henrici(sym)).toBeLessThan(1e-7); // √(rounding) of a normal matrix
    const rot = square([
      [0, -1],
      [1, 0],
    ]);
    expect(matrixSpectrum(rot).henrici).toBeLessThan(1e-7);
    // Upper triangular: eigenvalues are the diagonal, so d_F² = Σ_{i<j} T_ij² / ‖T‖_F².
    const T = square([
      [1, 2, 3],
      [0, -1, 4],
      [0, 0, 0.5],
    ]);
    const off = 4 + 9 + 16;
    const all = off + 1 + 1 + 0.25;
    expect(henrici(T)).toBeCloseTo(Math.sqrt(off / all), 14);
    // (T + Tᵀ)/2 of a 2×2 Jordan block [[0, 1], [0, 0]] has eigenvalues ±1/2.
    expect(
      matrixSpectrum(
        square([
          [0, 1],
          [0, 0],
        ]),
      ).symmetricPartMaxEig,
    ).toBeCloseTo(0.5, 15);
  });

  it('moments of a small set match hand computation', () => {
    const x = [1, 2, 3, 10];
    const mean = 4;
    const d = x.map((v) => v - mean);
    const m2 = d.reduce((s, v) => s + v * v, 0) / 4;
    const m3 = d.reduce((s, v) => s + v ** 3, 0) / 4;
    const m4 = d.reduce((s, v) => s + v ** 4, 0) / 4;
    const m = weightMoments(x);
    expect(m.mean).toBe(mean);
    expect(m.std).toBeCloseTo(Math.sqrt(m2), 14);
    expect(m.skewness).toBeCloseTo(m3 / m2 ** 1.5, 14);
    expect(m.kurtosis).toBeCloseTo(m4 / m2 ** 2 - 3, 14);
    expect(weightMoments([3, 3, 3])).toMatchObject({ std: 0, skewness: 0, kurtosis: 0 });
    expect(() => weightMoments([1, NaN])).toThrow(/weight 1 is NaN/);
  });
});
