/**
 * M > 1 mean-field theory (docs/mean-field.md): reduction to M = 1, an independent numpy
 * evaluation of every expectation in the derivation (a direct 3-D Gauss–Hermite tensor over the
 * joint law of (ξ₁, ξ₂, ξ₃), without the conditional-mean reduction used in the library), the
 * pole structure of seed 001 eq. 18, and seed 001's Fig. 1D and Fig. 2.
 */
import { describe, expect, it } from 'vitest';
import {
  levelGain,
  multiLevel,
  nyquist,
  singleLevel,
  type MeanFieldSetting,
} from '../../src/analysis/meanfield/index.js';
import { hasPython, runPython } from '../helpers/python.js';

const tanh = (g: number): MeanFieldSetting => ({
  g,
  activation: { name: 'tanh' },
  feedback: 'uniform',
});

describe('M > 1 theory', () => {
  it('reduces to the M = 1 closed forms', () => {
    for (const s of [
      tanh(0.5),
      {
        g: 1.1,
        activation: { name: 'relu', threshold: 0.1 },
        feedback: 'normal',
      } as MeanFieldSetting,
    ]) {
      const one = singleLevel(s, 1);
      const [lvl] = multiLevel(s, [1]).perLevel;
      expect(lvl.outliers[0][0]).toBeCloseTo(one.lambdaOut, 13);
      expect(lvl.P[0][0]).toBeCloseTo(one.beta1, 13);
      expect(lvl.readout[0] * lvl.b[0]).toBeCloseTo(one.beta0, 13);
      const [re, im] = levelGain(lvl, 0.3);
      const d = (1 - one.beta1) ** 2 + 0.09;
      expect(re).toBeCloseTo((one.beta0 * (1 - one.beta1)) / d, 13);
      expect(im).toBeCloseTo((-one.beta0 * 0.3) / d, 13);
    }
  });

  const fig1d = multiLevel(tanh(1), [0.5, 1, 1.5]);

  it('has the pole structure of eq. 18: levels n and m share the pole p_nm', () => {
    const poles = fig1d.perLevel.map((l) => l.openLoopPoles.map((p) => p[0]));
    for (const p of fig1d.perLevel.flatMap((l) => l.openLoopPoles)) expect(p[1]).toBe(0);
    const shared = (a: number[], b: number[]) =>
      a.filter((x) => b.some((y) => Math.abs(x - y) < 1e-9)).length;
    // Each pair of levels shares exactly one pole; each level keeps one pole of its own (p_nn).
    expect(shared(poles[0], poles[1])).toBe(1);
    expect(shared(poles[0], poles[2])).toBe(1);
    expect(shared(poles[1], poles[2])).toBe(1);
    for (const n of [0, 1, 2]) {
      const others = poles.filter((_, m) => m !== n).flat();
      const own = poles[n].filter((x) => !others.some((y) => Math.abs(x - y) < 1e-9));
      expect(own).toHaveLength(1);
      // By Stein's lemma P_n = g²·(diagonal + column n) and its own pole is p_nn = β₁(A_n) − 1
      // of the single-level theory (docs/mean-field.md).
      expect(own[0]).toBeCloseTo(singleLevel(tanh(1), fig1d.levels[n]).beta1 - 1, 10);
    }
  });

  it('reproduces Fig. 1D: g = 1, A = {0.5, 1, 1.5} is oscillatory-unstable around 0.5', () => {
    const [low] = fig1d.perLevel;
    expect(low.outliers[0][0]).toBeGreaterThan(0);
    expect(Math.abs(low.outliers[0][1])).toBeGreaterThan(0.1);
    expect(low.dcGain).toBeLessThan(1); // DC gain < 1, yet unstable: eq. 13's criterion fails for M > 1
    const ny = nyquist((w) => levelGain(low, w), 0);
    expect(ny.encirclements).toBe(2);
    expect(ny.stable).toBe(false);
  });

  const fig2 = multiLevel(tanh(0.9), [0.5, 1, 1.5]);

  it('reproduces Fig. 2: g = 0.9 is stable at 0.5 (resonant) and 1.5 (not)', () => {
    const [a1, a2, a3] = fig2.perLevel;
    expect(a1.stable).toBe(true);
    expect(a3.stable).toBe(true);
    expect(a2.stable).toBe(false);
    // A weakly damped complex pair at 0.5 with ω₀ in the 0.1–0.5 range the seed reports …
    expect(a1.outliers[0][0]).toBeGreaterThan(-0.05);
    expect(Math.abs(a1.outliers[0][1])).toBeGreaterThan(0.1);
    expect(Math.abs(a1.outliers[0][1])).toBeLessThan(0.5);
    // … and a resonance peak of |G_CL| away from ω = 0, absent at 1.5.
    const gcl = (l: typeof a1, w: number) => {
      const [re, im] = levelGain(l, w);
      return Math.hypot(re, im) / Math.hypot(1 - re, im);
    };
    const peak = (l: typeof a1) => {
      let best = 0;
      for (let w = 0; w <= 1; w += 0.005) if (gcl(l, w) > gcl(l, best)) best = w;
      return best;
    };
    expect(peak(a1)).toBeGreaterThan(0.1);
    expect(peak(a3)).toBe(0);
  });

  it('Nyquist (point 1 + 0i) counts exactly the unstable closed-loop modes', () => {
    for (const lvl of [...fig1d.perLevel, ...fig2.perLevel]) {
      const P = lvl.openLoopPoles.filter((p) => p[0] > 0).length;
      const Z = lvl.outliers.filter((p) => p[0] > 0).length;
      expect(nyquist((w) => levelGain(lvl, w), P).closedLoopUnstablePoles).toBe(Z);
    }
  });

  it('rejects repeated or zero levels', () => {
    expect(() => multiLevel(tanh(1), [1, 1])).toThrow(/distinct/);
    expect(() => multiLevel(tanh(1), [0, 1])).toThrow(/≠ 0/);
  });
});

describe.skipIf(!hasPython())('M = 3 against an independent numpy evaluation', () => {
  it('Σ, b_n, P_n, the readout, the closed-loop modes and G_n(ω) agree', () => {
    const t = multiLevel(tanh(1), [0.5, 1, 1.5]);
    const omegas = [0, 0.2, 1];
    const ref = runPython<{
      residual: number[];
      b: number[][];
      P: number[][][];
      k: number[];
      modes: number[][][];
      gain: number[][][];
      dd: number[][];
    }>(
      `
import numpy.polynomial.hermite_e as H, numpy.polynomial.legendre as L
S = np.array(inp['S']); A = np.array(inp['A']); g = inp['g']; M = len(A)
y, wy = H.hermegauss(36); wy = wy / np.sqrt(2*np.pi)
w, ww = L.leggauss(40); ww = ww / 2
Lc = np.linalg.cholesky(S)
# Joint grid over (w, y1, y2, y3): xi = Lc @ y.
Y = np.stack(np.meshgrid(y, y, y, indexing='ij'), -1).reshape(-1, 3)
WY = (wy[:, None, None] * wy[None, :, None] * wy[None, None, :]).ravel()
XI = Y @ Lc.T
# Every expectation at once, one pass over w: C[a,b] = E φ_a φ_b, Bw[n,j] = E φ_j φ'_n w,
# B[n,j,k] = E φ_j φ'_n ξ_k.
C = np.zeros((M, M)); DD = np.zeros((M, M)); Bw = np.zeros((M, M)); B = np.zeros((M, M, M))
for wi, wwi in zip(w, ww):
    X = wi * A[None, :] + XI
    F = np.tanh(X); D = 1 - F**2; Wt = wwi * WY
    C += (F * Wt[:, None]).T @ F
    DD += (D * Wt[:, None]).T @ D
    Bw += wi * ((D * Wt[:, None]).T @ F)
    for n in range(M):
        B[n] += (F * (Wt * D[:, n])[:, None]).T @ XI
resid = (g*g*C - S).ravel().tolist()
Si = np.linalg.inv(S); k = g*g * Si @ A
bs, Ps, modes, gains = [], [], [], []
for n in range(M):
    b = Bw[n]
    P = g*g * B[n] @ Si
    ev = np.linalg.eigvals(P + np.outer(b, k)) - 1
    ev = sorted(ev, key=lambda z: (-z.real, -z.imag))
    G = [complex(k @ np.linalg.solve((1 + 1j*om) * np.eye(M) - P, b)) for om in inp['omegas']]
    bs.append(b.tolist()); Ps.append(P.tolist()); modes.append([[z.real, z.imag] for z in ev])
    gains.append([[z.real, z.imag] for z in G])
out({'residual': resid, 'b': bs, 'P': Ps, 'k': k.tolist(), 'modes': modes, 'gain': gains, 'dd': DD.tolist()})
`,
      { S: t.covariance, A: t.levels, g: 1, omegas },
    );
    for (const r of ref.residual) expect(Math.abs(r)).toBeLessThan(1e-11);
    ref.k.forEach((v, i) => expect(t.perLevel[0].readout[i]).toBeCloseTo(v, 9));
    t.perLevel.forEach((lvl, n) => {
      lvl.b.forEach((v, j) => expect(Math.abs(v - ref.b[n][j])).toBeLessThan(1e-11));
      lvl.P.forEach((row, i) =>
        row.forEach((v, j) => expect(Math.abs(v - ref.P[n][i][j])).toBeLessThan(1e-10)),
      );
      lvl.outliers.forEach(([re, im], i) => {
        expect(Math.abs(re - ref.modes[n][i][0])).toBeLessThan(1e-9);
        expect(Math.abs(im - ref.modes[n][i][1])).toBeLessThan(1e-9);
      });
      // The shared poles of eq. 18: p_nm = g²E[φ′(x_n)φ′(x_m)] − 1.
      for (let m = 0; m < 3; m++) {
        if (m === n) continue;
        const p = ref.dd[n][m] - 1;
        expect(Math.min(...lvl.openLoopPoles.map((q) => Math.abs(q[0] - p)))).toBeLessThan(1e-10);
      }
      omegas.forEach((w, i) => {
        const [re, im] = levelGain(lvl, w);
        expect(Math.hypot(re - ref.gain[n][i][0], im - ref.gain[n][i][1])).toBeLessThan(1e-9);
      });
    });
  });
});
