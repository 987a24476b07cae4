import { describe, expect, it } from 'vitest';
import { batchModelSystem, findFixedPoints, randomStates } from '../../src/analysis/index.js';
import type { Matrix } from '../../src/linalg/index.js';
import { createRng, recurrentGaussian } from '../../src/random/index.js';
import { hasPython, runPython, toWire } from '../helpers/python.js';

/** numpy's eigenvalues of −I + W, as [re, im] pairs. */
function numpyEig(W: Matrix): [number, number][] {
  return runPython<[number, number][]>(
    `A = -np.eye(inp['rows']) + M(inp)
l = np.linalg.eigvals(A)
out([[float(z.real), float(z.imag)] for z in l])`,
    toWire(W),
  );
}

/** Every computed eigenvalue matches a distinct reference eigenvalue to `tol`. */
function expectSameSpectrum(got: [number, number][], want: [number, number][], tol: number) {
  const left = [...want];
  for (const [re, im] of got) {
    let best = -1;
    let bd = Infinity;
    left.forEach(([r, i], k) => {
      const d = Math.hypot(r - re, i - im);
      if (d < bd) {
        bd = d;
        best = k;
      }
    });
    expect(bd).toBeLessThan(tol);
    left.splice(best, 1);
  }
}

describe.skipIf(!hasPython())('linear and contracting rate networks (numpy reference)', () => {
  it('contracting tanh network (g = 0.6): the origin only, eigenvalues of −I + W to 1e-10', () => {
    const N = 40;
    const W = recurrentGaussian(N, 0.6, createRng(5));
    const sys = batchModelSystem({
      kind: 'rate',
      activation: { name: 'tanh' },
      tau: 1,
      dt: 0.1,
      W,
    });
    const r = findFixedPoints(sys, randomStates(N, 64, createRng(6), { scale: 1 }));
    expect(r.fixedPoints).toHaveLength(1);
    const p = r.fixedPoints[0];
    expect(p.kind).toBe('fixed');
    expect(Math.max(...p.x.map(Math.abs))).toBeLessThan(1e-12);
    expect(p.eigenvalues).toHaveLength(N);
    expectSameSpectrum(p.eigenvalues!, numpyEig(W), 1e-10);
    expect(p.stability).toBe('stable');
    expect(r.summary.notConverged).toBe(0);
  });

  it('linear network with bias: x* = (I − W)⁻¹b and the spectrum of −I + W', () => {
    const N = 30;
    const rng = createRng(8);
    const W = recurrentGaussian(N, 0.9, rng);
    const bias = Float64Array.from({ length: N }, () => rng.normal());
    const sys = batchModelSystem({
      kind: 'rate',
      activation: { name: 'identity' },
      tau: 1,
      dt: 0.1,
      W,
      bias,
    });
    const r = findFixedPoints(sys, randomStates(N, 16, createRng(9), { scale: 3 }));
    expect(r.fixedPoints).toHaveLength(1);
    const want = runPython<number[]>(
      `out(np.linalg.solve(np.eye(inp['W']['rows']) - M(inp['W']), np.array(inp['b'])).tolist())`,
      { W: toWire(W), b: Array.from(bias) },
    );
    r.fixedPoints[0].x.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-10));
    expectSameSpectrum(r.fixedPoints[0].eigenvalues!, numpyEig(W), 1e-10);
  });

  it('large N path: Newton–Krylov finds the origin; Arnoldi gives the leading eigenvalues', () => {
    const N = 240;
    const W = recurrentGaussian(N, 0.8, createRng(12));
    const sys = batchModelSystem({
      kind: 'rate',
      activation: { name: 'tanh' },
      tau: 2,
      dt: 0.1,
      W,
    });
    const r = findFixedPoints(sys, randomStates(N, 24, createRng(13)), {
      method: 'newton-krylov',
      eigenLimit: 100,
      leadingEigenvalues: 8,
    });
    expect(r.settings.method).toBe('newton-krylov');
    expect(r.settings.eigen).toBe('arnoldi');
    expect(r.fixedPoints).toHaveLength(1);
    const p = r.fixedPoints[0];
    expect(p.q).toBeLessThan(1e-25);
    expect(p.spectrum).toBe('leading');
    // J = (−I + W)/τ at the origin: the 8 eigenvalues of largest real part.
    const ref = numpyEig(W)
      .map(([re, im]) => [re / 2, im / 2] as [number, number])
      .sort((a, b) => b[0] - a[0]);
    const got = p.eigenvalues!;
    expect(got.length).toBeGreaterThanOrEqual(8);
    expectSameSpectrum(got.slice(0, 8), ref.slice(0, 12), 1e-9);
    expect(got[0][0]).toBeCloseTo(ref[0][0], 9);
  });

  it('left eigenvectors on request satisfy yᴴJ = λyᴴ (dense and Arnoldi paths)', () => {
    for (const [N, eigenLimit] of [
      [30, 400],
      [150, 50],
    ]) {
      const rng = createRng(20 + N);
      const W = recurrentGaussian(N, 0.7, rng);
      const bias = Float64Array.from({ length: N }, () => 0.3 * rng.normal());
      const sys = batchModelSystem({
        kind: 'rate',
        activation: { name: 'tanh' },
        tau: 1,
        dt: 0.1,
        W,
        bias,
      });
      const r = findFixedPoints(sys, randomStates(N, 8, createRng(21)), {
        leftEigenvectors: true,
        modes: 4,
        eigenLimit,
        method: 'newton-krylov',
      });
      const p = r.fixedPoints[0];
      expect(p.spectrum).toBe(N <= eigenLimit ? 'full' : 'leading');
      const J = new Float64Array(N * N);
      sys.jacobian(Float64Array.from(p.x), J);
      expect(p.modes).toHaveLength(4);
      for (const m of p.modes!) {
        const [lr, li] = m.eigenvalue;
        const y = m.leftVector!;
        // (yᴴJ)_j = Σ_i conj(y_i) J_ij; compare with λ·conj(y_j).
        let res = 0;
        for (let j = 0; j < N; j++) {
          let re = 0;
          let im = 0;
          for (let i = 0; i < N; i++) {
            re += y.re[i] * J[i * N + j];
            im -= y.im[i] * J[i * N + j];
          }
          re -= lr * y.re[j] + li * y.im[j];
          im -= li * y.re[j] - lr * y.im[j];
          res += re * re + im * im;
        }
        expect(Math.sqrt(res)).toBeLessThan(1e-8);
      }
    }
  });
});
