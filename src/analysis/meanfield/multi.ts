/**
 * Mean-field theory for M output levels A₁…A_M (seed 001 eqs. 16–18), derived in
 * docs/mean-field.md. With ξ_m = W r̄_m the stochastic parts of the M open-loop fixed points,
 * jointly Gaussian with covariance Σ (Σ_mm = σ_m² of eq. 8; Σ_mn = g²E[φ(x_m)φ(x_n)]), and
 * x_m = wA_m + ξ_m:
 *
 *   readout           w_out = N⁻¹ Σ_m k_m r̄_m,   k = g² Σ⁻¹ A
 *   around level n    G_n(ω) = kᵀ((1 + iω)I − P_n)⁻¹ b_n               (eq. 17)
 *                     b_n[j] = E[φ(x_j)φ′(x_n)w],  P_n = g² B_n Σ⁻¹,
 *                     B_n[j][k] = E[φ(x_j)φ′(x_n)ξ_k]
 *   closed-loop modes λ = eig(P_n + b_n kᵀ) − 1  (the M eigenvalues that closing the loop moves)
 *
 * B_n needs only two of the ξ's at a time: E[F(ξ_j, ξ_n)ξ_k] = E[F·E(ξ_k | ξ_j, ξ_n)], and the
 * conditional mean is linear in (ξ_j, ξ_n). For M = 1 everything reduces to single.ts.
 */
import { RnnscopeError } from '../../errors.js';
import { eig, inverse, type Matrix } from '../../linalg/index.js';
import type { Complex } from '../spectrum/matrix-spectrum.js';
import { complexSolve } from './complex.js';
import { feedbackExpectation, scalarActivation, type ScalarActivation } from './distributions.js';
import { gaussianIntegral, gaussianIntegralFixed, type VectorIntegrand } from './quadrature.js';
import {
  checkSetting,
  levelMoments,
  solveSigma2,
  type LevelMoments,
  type MeanFieldSetting,
} from './single.js';

/**
 * E over w and the pair (ξ_a, ξ_b) ~ N(0, [[Saa, c], [c, Sbb]]) of, in order:
 * φaφb, φ′aφ′b, φaφ′b·w, φ′aφb·w, φaφ′b·ξa, φaφ′b·ξb, φ′aφb·ξa, φ′aφb·ξb  (φa = φ(wA_a + ξ_a)).
 * ξa = √Saa·y₁, ξb = (c/√Saa)·y₁ + s₂·y₂ with s₂² = Sbb − c²/Saa; the y₂ integral is done first,
 * for the four functions φ(x_b), φ′(x_b), φ(x_b)y₂, φ′(x_b)y₂ of x_b's conditional law.
 */
function pairMomentsWith(
  s: MeanFieldSetting,
  phi: ScalarActivation,
  Aa: number,
  Ab: number,
  Saa: number,
  Sbb: number,
  c: number,
  full: boolean,
  gaussian: GaussianRule,
): Float64Array {
  const sa = Math.sqrt(Saa);
  const r = c / sa;
  const s2 = Math.sqrt(Math.max(0, Sbb - r * r));
  const m = full ? 8 : 2;
  const ni = full ? 4 : 2;
  const q = s.quadrature ?? {};
  return feedbackExpectation(
    s.feedback,
    (w, out) => {
      const y1Kinks = phi.kinks.map((k) => (k - w * Aa) / sa);
      const res = gaussian(
        (y1, o) => {
          const xa = w * Aa + sa * y1;
          const pa = phi.phi(xa);
          const da = phi.dphi(xa);
          const mb = w * Ab + r * y1;
          let I: ArrayLike<number>;
          if (s2 === 0) {
            I = [phi.phi(mb), phi.dphi(mb), 0, 0];
          } else {
            I = gaussian(
              (y2, o2) => {
                const xb = mb + s2 * y2;
                o2[0] = phi.phi(xb);
                o2[1] = phi.dphi(xb);
                if (full) {
                  o2[2] = o2[0] * y2;
                  o2[3] = o2[1] * y2;
                }
              },
              ni,
              phi.kinks.map((k) => (k - mb) / s2),
            );
          }
          o[0] = pa * I[0];
          o[1] = da * I[1];
          if (!full) return;
          const xia = sa * y1;
          o[2] = pa * I[1] * w;
          o[3] = da * I[0] * w;
          o[4] = pa * I[1] * xia;
          o[5] = pa * (r * y1 * I[1] + s2 * I[3]);
          o[6] = da * I[0] * xia;
          o[7] = da * (r * y1 * I[0] + s2 * I[2]);
        },
        m,
        y1Kinks,
      );
      out.set(res);
    },
    m,
    q,
  );
}

/** A rule for ∫ f(y) Dy: adaptive with breakpoints, or a fixed Gauss–Hermite order. */
type GaussianRule = (f: VectorIntegrand, m: number, kinks: number[]) => Float64Array;

/** Gauss–Hermite orders compared on smooth activations; they must agree to FAST_PATH_TOL. */
const FAST_ORDERS = [48, 72] as const;
const FAST_PATH_TOL = 1e-13;

/**
 * The pair moments. With a smooth φ (no kinks) the two inner Gaussian integrals use Gauss–Hermite
 * rules of two orders, 25× cheaper than the adaptive rule; their results must agree to 1e-13 in
 * every component, else (e.g. a very wide σ) the adaptive rule is used. Kinked φ (ReLU) always
 * takes the adaptive rule with the kinks as breakpoints.
 */
function pairMoments(
  s: MeanFieldSetting,
  phi: ScalarActivation,
  Aa: number,
  Ab: number,
  Saa: number,
  Sbb: number,
  c: number,
  full: boolean,
): Float64Array {
  const q = s.quadrature ?? {};
  const adaptive: GaussianRule = (f, m, kinks) => gaussianIntegral(f, m, kinks, q);
  if (phi.kinks.length === 0 && !q.adaptiveOnly) {
    const [lo, hi] = FAST_ORDERS.map((n) =>
      pairMomentsWith(s, phi, Aa, Ab, Saa, Sbb, c, full, (f, m) => gaussianIntegralFixed(f, m, n)),
    );
    const tol = Math.max(FAST_PATH_TOL, q.absTol ?? 0);
    if (hi.every((v, k) => Math.abs(v - lo[k]) <= tol * Math.max(1, Math.abs(v)))) return hi;
  }
  return pairMomentsWith(s, phi, Aa, Ab, Saa, Sbb, c, full, adaptive);
}

/**
 * Σ_ab = g²E[φ(x_a)φ(x_b)] (a ≠ b) by Newton's method on c: the derivative of E[φ_aφ_b] with
 * respect to the covariance c is E[φ′_aφ′_b] (Price's theorem), so each step costs one pair
 * integral. Steps are kept inside the positive-definite range |c| < √(Saa·Sbb).
 */
function solveCovariance(
  s: MeanFieldSetting,
  phi: ScalarActivation,
  Aa: number,
  Ab: number,
  Saa: number,
  Sbb: number,
): number {
  const g2 = s.g * s.g;
  const bound = Math.sqrt(Saa * Sbb);
  let c = g2 * pairMoments(s, phi, Aa, Ab, Saa, Sbb, 0, false)[0];
  for (let it = 0; it < 60; it++) {
    c = Math.max(-0.999999 * bound, Math.min(0.999999 * bound, c));
    const [e, d] = pairMoments(s, phi, Aa, Ab, Saa, Sbb, c, false);
    const h = g2 * e - c;
    const step = h / (1 - g2 * d);
    c += step;
    if (Math.abs(step) <= 1e-14 * bound) return c;
  }
  throw new RnnscopeError(
    'NOT_CONVERGED',
    `the covariance of levels ${Aa} and ${Ab} did not converge (is ρ < 1 at both levels?)`,
  );
}

export interface LevelTheory {
  amplitude: number;
  sigma2: number;
  meanDphi2: number;
  /** ρ_n = g√⟨φ′²⟩ at this level: the bulk radius of W R′_n. */
  rho: number;
  /** b_n (M). */
  b: number[];
  /** P_n (M×M). */
  P: number[][];
  /** k = g²Σ⁻¹A, the readout coefficients (shared by all levels). */
  readout: number[];
  /** Poles of the mean-field G_n: eig(P_n) − 1. */
  openLoopPoles: Complex[];
  /** Closed-loop eigenvalues moved by the feedback: eig(P_n + b_n kᵀ) − 1. */
  outliers: Complex[];
  /** G_n(0). */
  dcGain: number;
  /** Every outlier has Re λ < 0. */
  stable: boolean;
}

export interface MultiLevelTheory {
  levels: number[];
  /** Σ, the covariance of the stochastic parts ξ_m of the open-loop fixed points. */
  covariance: number[][];
  perLevel: LevelTheory[];
}

const toRows = (M: number, f: (i: number, j: number) => number) =>
  Array.from({ length: M }, (_, i) => Array.from({ length: M }, (_, j) => f(i, j)));

function eigenvaluesMinusOne(M: number, rows: number[][]): Complex[] {
  const A: Matrix = { rows: M, cols: M, data: Float64Array.from(rows.flat()) };
  const { re, im } = eig(A, { vectors: false });
  return Array.from(re, (r, k): Complex => [r - 1, im[k]]).sort(
    (p, q) => q[0] - p[0] || q[1] - p[1],
  );
}

/**
 * The mean-field theory around each of the M levels (see the file comment). Cost: M
 * two-dimensional σ² solves and M(M−1)/2 covariance solves, each a few three-dimensional
 * quadratures.
 *
 * @example
 * const t = multiLevel({ g: 1, activation: { name: 'tanh' }, feedback: 'uniform' }, [0.5, 1, 1.5]);
 * t.perLevel[0].outliers; // the closed-loop modes around z = 0.5
 */
export function multiLevel(
  setting: MeanFieldSetting,
  levels: ReadonlyArray<number>,
): MultiLevelTheory {
  checkSetting(setting);
  const M = levels.length;
  if (M === 0) throw new RnnscopeError('INVALID_ARGUMENT', 'at least one output level is needed');
  for (const A of levels) {
    if (!(Number.isFinite(A) && A !== 0)) {
      throw new RnnscopeError('INVALID_ARGUMENT', `output levels must be finite and ≠ 0, got ${A}`);
    }
  }
  if (new Set(levels).size !== M) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `output levels must be distinct, got ${levels.join(', ')}`,
    );
  }
  const phi = scalarActivation(setting.activation);
  const g2 = setting.g * setting.g;
  const q = setting.quadrature ?? {};
  const sig2 = levels.map((A) => solveSigma2(setting, A));
  const single: LevelMoments[] = levels.map((A, n) =>
    levelMoments(phi, setting.feedback, A, Math.sqrt(sig2[n]), q),
  );
  const S = toRows(M, (i, j) => (i === j ? sig2[i] : 0));
  // E[φ_j φ′_n w], E[φ_j φ′_n ξ_j], E[φ_j φ′_n ξ_n], indexed [n][j].
  const b0 = toRows(M, (n, j) => (n === j ? single[n].phiDphiW : 0));
  const Ej = toRows(M, (n, j) => (n === j ? single[n].phiDphiXi : 0));
  const En = toRows(M, (n, j) => (n === j ? single[n].phiDphiXi : 0));
  for (let a = 0; a < M; a++) {
    for (let b = a + 1; b < M; b++) {
      const c = solveCovariance(setting, phi, levels[a], levels[b], sig2[a], sig2[b]);
      S[a][b] = S[b][a] = c;
      const v = pairMoments(setting, phi, levels[a], levels[b], sig2[a], sig2[b], c, true);
      b0[b][a] = v[2];
      b0[a][b] = v[3];
      Ej[b][a] = v[4];
      En[b][a] = v[5];
      En[a][b] = v[6];
      Ej[a][b] = v[7];
    }
  }
  const Sinv = inverse({ rows: M, cols: M, data: Float64Array.from(S.flat()) }).data;
  const k = Array.from({ length: M }, (_, i) => {
    let t = 0;
    for (let j = 0; j < M; j++) t += Sinv[i * M + j] * levels[j];
    return g2 * t;
  });
  const perLevel = levels.map((A, n): LevelTheory => {
    // B[j][kk] = E[φ_j φ′_n ξ_kk] from the regression of ξ_kk on (ξ_j, ξ_n).
    const B = toRows(M, (j, kk) => {
      if (j === n) return (S[kk][n] / S[n][n]) * En[n][n];
      const det = S[j][j] * S[n][n] - S[j][n] * S[j][n];
      const cj = (S[kk][j] * S[n][n] - S[kk][n] * S[j][n]) / det;
      const cn = (S[kk][n] * S[j][j] - S[kk][j] * S[j][n]) / det;
      return cj * Ej[n][j] + cn * En[n][j];
    });
    const P = toRows(M, (i, j) => {
      let t = 0;
      for (let l = 0; l < M; l++) t += B[i][l] * Sinv[l * M + j];
      return g2 * t;
    });
    const b = b0[n].slice();
    const closed = toRows(M, (i, j) => P[i][j] + b[i] * k[j]);
    const outliers = eigenvaluesMinusOne(M, closed);
    const level: LevelTheory = {
      amplitude: A,
      sigma2: sig2[n],
      meanDphi2: single[n].dphi2,
      rho: setting.g * Math.sqrt(single[n].dphi2),
      b,
      P,
      readout: k.slice(),
      openLoopPoles: eigenvaluesMinusOne(M, P),
      outliers,
      dcGain: 0,
      stable: outliers.every((l) => l[0] < 0),
    };
    level.dcGain = levelGain(level, 0)[0];
    return level;
  });
  return { levels: levels.slice(), covariance: S, perLevel };
}

/** G_n(ω) = kᵀ((1 + iω)I − P_n)⁻¹ b_n, as [re, im]. */
export function levelGain(t: LevelTheory, omega: number): [number, number] {
  const M = t.b.length;
  const Ar = new Float64Array(M * M);
  const Ai = new Float64Array(M * M);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < M; j++) Ar[i * M + j] = (i === j ? 1 : 0) - t.P[i][j];
    Ai[i * M + i] = omega;
  }
  const x = complexSolve(M, Ar, Ai, t.b, new Float64Array(M));
  let re = 0;
  let im = 0;
  for (let i = 0; i < M; i++) {
    re += t.readout[i] * x.re[i];
    im += t.readout[i] * x.im[i];
  }
  return [re, im];
}
