/**
 * The finite network against an independent numpy construction (fixed point, readout, full
 * closed-loop spectrum, G_N by dense solves), and against the mean field: the outlier at
 * N = 2000 (tanh and ReLU), G_N → G_OL as N grows, and Fig. 1D's oscillatory pair.
 */
import { describe, expect, it } from 'vitest';
import {
  buildFiniteNetwork,
  finiteComparison,
  multiLevel,
  singleLevel,
  singleLevelGain,
  type MeanFieldSetting,
} from '../../src/analysis/meanfield/index.js';
import type { Complex } from '../../src/analysis/spectrum/index.js';
import { hasPython, runPython, toWire } from '../helpers/python.js';

const tanh = (g: number): MeanFieldSetting => ({
  g,
  activation: { name: 'tanh' },
  feedback: 'uniform',
});
const reluSetting: MeanFieldSetting = {
  g: 1.1,
  activation: { name: 'relu', threshold: 0.1 },
  feedback: 'uniform',
};

const dist = (a: Complex, b: Complex) => Math.hypot(a[0] - b[0], a[1] - b[1]);

describe.skipIf(!hasPython())('finite network vs an independent numpy construction', () => {
  it.each([
    ['tanh g=0.9, levels 0.5, 1.5', tanh(0.9), [0.5, 1.5]],
    ['relu θ=0.1 g=1.1, level 1', reluSetting, [1]],
  ] as const)('%s', (_name, setting, levels) => {
    const N = 300;
    const omegas = [0, 0.25, 2];
    const ours = finiteComparison(setting, levels, N, 7, { omegas, fullSpectrum: true });
    const net = buildFiniteNetwork(setting, N, 7);
    const theta = setting.activation.name === 'relu' ? (setting.activation.threshold ?? 0) : null;
    const ref = runPython<{
      x: number[][];
      modes: number[][][];
      gain: number[][][];
      bulk: number[];
    }>(
      `
W = M(inp['W']); wfb = np.array(inp['wfb']); N = W.shape[0]; th = inp['theta']
phi = (lambda x: np.maximum(0, x - th)) if th is not None else np.tanh
dphi = (lambda x: (x > th).astype(float)) if th is not None else (lambda x: 1 - np.tanh(x)**2)
xs = []
for A in inp['levels']:
    x = wfb * A
    for it in range(20000):
        F = -x + W @ phi(x) + wfb * A
        if np.linalg.norm(F) < 1e-14 * (1 + np.linalg.norm(x)): break
        if it < 200: x = x + F
        else: x = x - np.linalg.solve(-np.eye(N) + W * dphi(x)[None, :], F)
    xs.append(x)
R = np.array([phi(x) for x in xs]).T
wout = np.linalg.lstsq(R.T, np.array(inp['levels']), rcond=None)[0]   # minimum-norm solution
modes, gains, bulk = [], [], []
for x in xs:
    d = dphi(x)
    J = -np.eye(N) + (W + np.outer(wfb, wout)) * d[None, :]
    ev = np.linalg.eigvals(J)
    est = np.sqrt(np.sum((W * d[None, :])**2) / N)
    out_ = sorted([z for z in ev if abs(z + 1) > 1.1 * est], key=lambda z: (-z.real, -z.imag))
    modes.append([[z.real, z.imag] for z in out_])
    bulk.append(max(abs(z + 1) for z in ev if abs(z + 1) <= 1.1 * est))
    A_ = W * d[None, :]
    gains.append([[complex(wout @ (d * np.linalg.solve((1 + 1j*om) * np.eye(N) - A_, wfb))).real,
                   complex(wout @ (d * np.linalg.solve((1 + 1j*om) * np.eye(N) - A_, wfb))).imag] for om in inp['omegas']])
out({'x': [x.tolist() for x in xs], 'modes': modes, 'gain': gains, 'bulk': bulk})
`,
      { W: toWire(net.W), wfb: Array.from(net.feedback), levels, omegas, theta },
    );
    ours.perLevel.forEach((lvl, n) => {
      expect(lvl.fixedPointResidual).toBeLessThan(1e-11);
      expect(lvl.readout).toBeCloseTo(levels[n], 12);
      // The same outliers from the full spectrum, from the Krylov basis started at w_FB, and (the
      // rightmost) from linalg's Krylov–Schur eigs; and the same as numpy's.
      expect(lvl.outliers.length).toBe(ref.modes[n].length);
      expect(lvl.outliers.length).toBeGreaterThan(0);
      lvl.outliers.forEach((l, i) =>
        expect(dist(l, ref.modes[n][i] as Complex)).toBeLessThan(1e-9),
      );
      expect(lvl.krylovOutliers.length).toBe(lvl.outliers.length);
      lvl.krylovOutliers.forEach((l, i) => expect(dist(l, lvl.outliers[i])).toBeLessThan(1e-9));
      expect(dist(lvl.leading!.eigenvalues[0], lvl.outliers[0])).toBeLessThan(1e-8);
      expect(lvl.bulkRadius).toBeCloseTo(ref.bulk[n], 9);
      lvl.gainOpenLoop.forEach(([, re, im], i) =>
        expect(Math.hypot(re - ref.gain[n][i][0], im - ref.gain[n][i][1])).toBeLessThan(1e-9),
      );
    });
  });
});

describe('finite network vs mean field', () => {
  it('N = 2000, tanh g = 0.5, A = 1: the outlier is within 0.02 of λ_out', () => {
    const mf = singleLevel(tanh(0.5), 1);
    const [lvl] = finiteComparison(tanh(0.5), [1], 2000, 1).perLevel;
    expect(lvl.outliers).toHaveLength(1);
    expect(Math.abs(lvl.outliers[0][0] - mf.lambdaOut)).toBeLessThan(0.02);
    expect(lvl.outliers[0][1]).toBe(0);
    expect(Math.abs(lvl.bulkRadius - mf.rho)).toBeLessThan(0.02);
    expect(dist(lvl.leading!.eigenvalues[0], lvl.outliers[0])).toBeLessThan(1e-8);
  });

  it('N = 2000, ReLU θ = 0.1, g = 1.1: the outlier is unstable, within 0.02 of λ_out ≈ +0.105', () => {
    const mf = singleLevel(reluSetting, 1);
    const [lvl] = finiteComparison(reluSetting, [1], 2000, 1).perLevel;
    expect(lvl.outliers).toHaveLength(1);
    expect(lvl.outliers[0][0]).toBeGreaterThan(0);
    expect(Math.abs(lvl.outliers[0][0] - mf.lambdaOut)).toBeLessThan(0.02);
  });

  it('G_N(ω) converges to G_OL(ω) as N grows (rms over seeds, N = 200 and 1600)', () => {
    const setting = tanh(0.5);
    const mf = singleLevel(setting, 1);
    const omegas = [-3, -1, -0.3, 0, 0.3, 1, 3];
    const rmsError = (N: number) => {
      let s = 0;
      const seeds = [1, 2, 3, 4, 5];
      for (const seed of seeds) {
        const [lvl] = finiteComparison(setting, [1], N, seed, { omegas, leading: 0 }).perLevel;
        let e = 0;
        for (const [w, re, im] of lvl.gainOpenLoop) {
          const [a, b] = singleLevelGain(mf, w);
          e = Math.max(e, Math.hypot(re - a, im - b));
        }
        s += e * e;
      }
      return Math.sqrt(s / seeds.length);
    };
    const small = rmsError(200);
    const large = rmsError(1600);
    // Fluctuations shrink like 1/√N: expect a ratio near √8 ≈ 2.8.
    expect(large).toBeLessThan(0.6 * small);
    expect(large).toBeLessThan(0.015);
  });

  it("N = 1000 shows Fig. 1D's unstable oscillatory pair near the mean-field one", () => {
    const levels = [0.5, 1, 1.5];
    const mf = multiLevel(tanh(1), levels).perLevel[0].outliers[0];
    const [lvl] = finiteComparison(tanh(1), levels, 1000, 3, { analyse: [0] }).perLevel;
    expect(lvl.outliers.length).toBe(2);
    expect(lvl.outliers[0][0]).toBeGreaterThan(0);
    expect(dist(lvl.outliers[0], mf)).toBeLessThan(0.05);
  });
});
