/**
 * M = 1 mean-field theory (seed 001 eqs. 8–15): the quadrature rules against numpy, the Gaussian
 * integrals against scipy.integrate.quad (1e-10), closed forms for the linear network, and the
 * central claim over a grid: tanh ⇒ λ_out < 0, ReLU with θ > 0 ⇒ λ_out > 0.
 */
import { describe, expect, it } from 'vitest';
import {
  gaussHermite,
  gaussLegendre,
  gaussianIntegral,
  adaptiveIntegral,
  levelMoments,
  scalarActivation,
  singleLevel,
  singleLevelGain,
  type FeedbackDistribution,
  type MeanFieldSetting,
} from '../../src/analysis/meanfield/index.js';
import type { ActivationSpec } from '../../src/models/types.js';
import { hasPython, runPython } from '../helpers/python.js';

const tanh: ActivationSpec = { name: 'tanh' };
const relu = (threshold: number): ActivationSpec => ({ name: 'relu', threshold });

describe('quadrature rules', () => {
  it('integrates polynomials exactly and kinks through breakpoints', () => {
    // ∫₋₁¹ x⁶ dx = 2/7; ∫₀^π sin = 2; ∫₋₂² |x − 0.3| dx = (2.3² + 1.7²)/2.
    expect(adaptiveIntegral((x, o) => void (o[0] = x ** 6), 1, -1, 1)[0]).toBeCloseTo(2 / 7, 15);
    expect(adaptiveIntegral((x, o) => void (o[0] = Math.sin(x)), 1, 0, Math.PI)[0]).toBeCloseTo(
      2,
      14,
    );
    const kink = adaptiveIntegral((x, o) => void (o[0] = Math.abs(x - 0.3)), 1, -2, 2, [0.3])[0];
    expect(kink).toBeCloseTo((2.3 ** 2 + 1.7 ** 2) / 2, 14);
    // Gaussian moments E y² = 1, E y⁴ = 3, E max(0, y) = 1/√(2π).
    const m = gaussianIntegral(
      (y, o) => {
        o[0] = y * y;
        o[1] = y ** 4;
        o[2] = Math.max(0, y);
      },
      3,
      [0],
    );
    expect(m[0]).toBeCloseTo(1, 14);
    expect(m[1]).toBeCloseTo(3, 13);
    expect(m[2]).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 15);
  });

  it.skipIf(!hasPython())('Gauss–Legendre and Gauss–Hermite nodes match numpy', () => {
    const ref = runPython<{ gl: number[][]; gh: number[][] }>(
      `
import numpy.polynomial.legendre as L, numpy.polynomial.hermite_e as H
x, w = L.leggauss(16); y, v = H.hermegauss(48)
out({'gl': [x.tolist(), w.tolist()], 'gh': [y.tolist(), (v / np.sqrt(2 * np.pi)).tolist()]})
`,
      {},
    );
    const gl = gaussLegendre(16);
    const gh = gaussHermite(48);
    for (let i = 0; i < 16; i++) {
      expect(Math.abs(gl.x[i] - ref.gl[0][i])).toBeLessThan(4e-15);
      expect(Math.abs(gl.w[i] - ref.gl[1][i])).toBeLessThan(4e-15);
    }
    for (let i = 0; i < 48; i++) {
      expect(Math.abs(gh.x[i] - ref.gh[0][i])).toBeLessThan(1e-12);
      expect(Math.abs(gh.w[i] - ref.gh[1][i])).toBeLessThan(4e-15);
    }
  });
});

interface ScipyLevel {
  residual: number;
  phi2: number;
  dphi2: number;
  phiDphiW: number;
  phiDphiXi: number;
  eq15: number;
}

/** Independent reference: nested scipy.integrate.quad with the kink passed as a breakpoint. */
const SCIPY = `
from scipy import integrate
def phi_fns(a):
    if a['name'] == 'tanh':
        return np.tanh, lambda x: 1 - np.tanh(x)**2
    if a['name'] == 'logistic':
        s = lambda x: 1 / (1 + np.exp(-x))
        return s, lambda x: s(x) * (1 - s(x))
    t = a.get('threshold', 0.0)
    return (lambda x: max(0.0, x - t)), (lambda x: 1.0 if x > t else 0.0)
res = []
for c in inp:
    phi, dphi = phi_fns(c['activation'])
    kinks = [c['activation'].get('threshold', 0.0)] if c['activation']['name'] == 'relu' else []
    A, s, g, fb = c['A'], np.sqrt(c['sigma2']), c['g'], c['feedback']
    gauss = lambda y: np.exp(-y*y/2) / np.sqrt(2*np.pi)
    def E(f):
        def inner(w):
            pts = [(k - w*A)/s for k in kinks if abs((k - w*A)/s) < 12]
            val = 0.0
            edges = [-12.0] + sorted(pts) + [12.0]
            for lo, hi in zip(edges[:-1], edges[1:]):
                val += integrate.quad(lambda y: f(w*A + s*y, w, y) * gauss(y), lo, hi, epsabs=1e-14, epsrel=1e-13, limit=200)[0]
            return val
        if fb == 'uniform':
            return integrate.quad(inner, -1, 1, epsabs=1e-14, epsrel=1e-13, limit=200)[0] / 2
        if fb == 'bernoulli':
            return (inner(-1.0) + inner(1.0)) / 2
        return integrate.quad(lambda w: inner(w) * gauss(w), -12, 12, epsabs=1e-14, epsrel=1e-13, limit=200)[0]
    phi2 = E(lambda x, w, y: phi(x)**2)
    res.append({'residual': g*g*phi2 - c['sigma2'], 'phi2': phi2,
                'dphi2': E(lambda x, w, y: dphi(x)**2),
                'phiDphiW': E(lambda x, w, y: phi(x)*dphi(x)*w),
                'phiDphiXi': E(lambda x, w, y: phi(x)*dphi(x)*s*y),
                'eq15': -g*g/c['sigma2'] * E(lambda x, w, y: phi(x)*(phi(x) - x*dphi(x)))})
out(res)
`;

describe.skipIf(!hasPython())('Gaussian integrals vs scipy.integrate.quad', () => {
  const cases: { setting: MeanFieldSetting; A: number }[] = [
    { setting: { g: 0.5, activation: tanh, feedback: 'uniform' }, A: 1 },
    { setting: { g: 1.1, activation: relu(0.1), feedback: 'uniform' }, A: 1 },
    { setting: { g: 1.5, activation: tanh, feedback: 'normal' }, A: 0.7 },
    { setting: { g: 0.8, activation: { name: 'logistic' }, feedback: 'bernoulli' }, A: 2 },
    { setting: { g: 0.9, activation: relu(0.3), feedback: 'bernoulli' }, A: 1.5 },
  ];
  const theory = cases.map((c) => singleLevel(c.setting, c.A));
  const ref = runPython<ScipyLevel[]>(
    SCIPY,
    cases.map((c, k) => ({ ...c.setting, A: c.A, sigma2: theory[k].sigma2 })),
  );

  it.each(
    cases.map(
      (c, k) =>
        [
          `${c.setting.activation.name} g=${c.setting.g} ${c.setting.feedback} A=${c.A}`,
          k,
        ] as const,
    ),
  )('%s', (_name, k) => {
    const t = theory[k];
    const r = ref[k];
    const { g, activation, feedback } = cases[k].setting;
    const m = levelMoments(scalarActivation(activation), feedback, cases[k].A, Math.sqrt(t.sigma2));
    // σ² solves eq. 8 as scipy evaluates it; every integral agrees to 1e-10.
    expect(Math.abs(r.residual)).toBeLessThan(1e-10);
    expect(Math.abs(m.phi2 - r.phi2)).toBeLessThan(1e-10);
    expect(Math.abs(m.dphi2 - r.dphi2)).toBeLessThan(1e-10);
    expect(Math.abs(m.phiDphiW - r.phiDphiW)).toBeLessThan(1e-10);
    expect(Math.abs(m.phiDphiXi - r.phiDphiXi)).toBeLessThan(1e-10);
    // Eq. 14 and eq. 15 are the same number.
    expect(Math.abs(t.lambdaOut - r.eq15)).toBeLessThan(1e-9);
    expect(t.rho).toBeCloseTo(g * Math.sqrt(r.dphi2), 10);
  });
});

describe('M = 1 closed forms and numbers', () => {
  it('a linear network sits exactly on the edge: λ_out = 0, σ² = g²A²⟨w²⟩/(1 − g²)', () => {
    for (const [fb, m2] of [
      ['uniform', 1 / 3],
      ['normal', 1],
      ['bernoulli', 1],
    ] as const) {
      const t = singleLevel({ g: 0.7, activation: { name: 'identity' }, feedback: fb }, 1.3);
      expect(t.sigma2).toBeCloseTo((0.49 * 1.69 * m2) / (1 - 0.49), 12);
      expect(t.beta1).toBeCloseTo(0.49, 12);
      expect(Math.abs(t.lambdaOut)).toBeLessThan(1e-12);
      expect(t.rho).toBeCloseTo(0.7, 14);
    }
  });

  it('matches the numbers of the issue: tanh g=0.5 → −0.336, ReLU θ=0.1 g=1.1 → +0.105', () => {
    const a = singleLevel({ g: 0.5, activation: tanh, feedback: 'uniform' }, 1);
    expect(a.lambdaOut).toBeCloseTo(-0.336, 3);
    expect(a.tauOut).toBeCloseTo(-1 / a.lambdaOut, 14);
    expect(a.tauNet).toBeCloseTo(1 / (1 - a.rho), 14);
    const b = singleLevel({ g: 1.1, activation: relu(0.1), feedback: 'uniform' }, 1);
    expect(b.lambdaOut).toBeCloseTo(0.105, 3);
    // G_OL(ω) = Aβ₀/(1 − β₁ + iω) and G_CL's pole: 1 − G_OL(s) = 0 at s = λ_out.
    const [re, im] = singleLevelGain(b, 0.7);
    const d = (1 - b.beta1) ** 2 + 0.49;
    expect(re).toBeCloseTo((b.beta0 * (1 - b.beta1)) / d, 14);
    expect(im).toBeCloseTo((-b.beta0 * 0.7) / d, 14);
    expect((b.amplitude * b.beta0) / (1 - b.beta1 + b.lambdaOut)).toBeCloseTo(1, 12);
  });

  it('ReLU beyond g = √2 has no finite σ²', () => {
    expect(() => singleLevel({ g: 1.5, activation: relu(0), feedback: 'normal' }, 1)).toThrow(
      /no finite σ²/,
    );
    expect(() => singleLevel({ g: 0.5, activation: relu(2), feedback: 'uniform' }, 1)).toThrow(
      /σ² = 0/,
    );
  });
});

describe("seed 001's central claim over a grid", () => {
  const feedbacks: FeedbackDistribution[] = ['uniform', 'normal', 'bernoulli'];
  it('tanh: λ_out < 0 for every g and A', () => {
    let worst = -Infinity;
    for (const feedback of feedbacks)
      for (const g of [0.3, 0.6, 0.9, 1.2, 1.5, 1.8])
        for (const A of [0.2, 0.5, 1, 2]) {
          const t = singleLevel({ g, activation: tanh, feedback }, A);
          expect(t.lambdaOut, `g=${g} A=${A} ${feedback}`).toBeLessThan(0);
          worst = Math.max(worst, t.lambdaOut);
        }
    expect(worst).toBeLessThan(0);
  });

  it('ReLU with θ > 0: λ_out > 0 for every g and A', () => {
    for (const feedback of feedbacks)
      for (const theta of [0.05, 0.1, 0.5])
        for (const g of [0.3, 0.7, 1.1, 1.35])
          for (const A of [0.7, 1, 2]) {
            const t = singleLevel({ g, activation: relu(theta), feedback }, A);
            expect(t.lambdaOut, `θ=${theta} g=${g} A=${A} ${feedback}`).toBeGreaterThan(0);
          }
  });
});
