/**
 * Mean-field theory of a reservoir trained to hold one output level A (seed 001, M = 1).
 *
 * Open loop (eq. 3): x̄ = Wφ(x̄) + w_FB A, so x̄ᵢ = wᵢA + σyᵢ with y ~ N(0, 1) and
 *   σ² = g² ∫𝒟w ∫Dy φ²(wA + σy)                                    (eq. 8)
 *   β₀ = g²σ⁻² ∫𝒟w∫Dy φφ′(wA + σy)·w,  β₁ = g²σ⁻² ∫𝒟w∫Dy φφ′(wA + σy)·σy   (eq. 11)
 *   G_OL(ω) = Aβ₀ / (1 − β₁ + iω)                                  (eq. 13)
 *   λ_out = −(1 − Aβ₀ − β₁) = −g²σ⁻² ∫∫ φ(x′)(φ(x′) − x′φ′(x′))     (eq. 14, 15)
 *   ρ = g√⟨φ′²⟩ (bulk radius of WR′),  τ_out = −1/λ_out,  τ_net = 1/(1 − ρ).
 */
import { RnnscopeError } from '../../errors.js';
import type { ActivationSpec } from '../../models/types.js';
import {
  checkFeedback,
  feedbackExpectation,
  scalarActivation,
  type FeedbackDistribution,
  type ScalarActivation,
} from './distributions.js';
import { gaussianIntegral, type QuadratureOptions } from './quadrature.js';
import { brent } from './roots.js';

export interface MeanFieldSetting {
  /** Gain of W: W_ij ~ N(0, g²/N). */
  g: number;
  activation: ActivationSpec;
  feedback: FeedbackDistribution;
  quadrature?: QuadratureOptions;
}

/** Gaussian moments of one level: E over w ~ 𝒟w, y ~ N(0, 1) with x = wA + σy. */
export interface LevelMoments {
  /** E φ(x)². */
  phi2: number;
  /** E φ′(x)². */
  dphi2: number;
  /** E φ(x)φ′(x)·w. */
  phiDphiW: number;
  /** E φ(x)φ′(x)·σy. */
  phiDphiXi: number;
}

/**
 * The four level moments at (A, σ) in one nested quadrature (inner y, outer w). The inner
 * integral is cut at y = (kink − wA)/σ, where φ or φ′ is not smooth.
 */
export function levelMoments(
  phi: ScalarActivation,
  feedback: FeedbackDistribution,
  A: number,
  sigma: number,
  quadrature: QuadratureOptions = {},
  components = 4,
): LevelMoments {
  const r = feedbackExpectation(
    feedback,
    (w, out) => {
      const m = w * A;
      if (sigma === 0) {
        const p = phi.phi(m);
        const d = phi.dphi(m);
        out[0] = p * p;
        out[1] = d * d;
        out[2] = p * d * w;
        out[3] = 0;
        return;
      }
      const kinks = phi.kinks.map((k) => (k - m) / sigma);
      const inner = gaussianIntegral(
        (y, o) => {
          const x = m + sigma * y;
          const p = phi.phi(x);
          const d = phi.dphi(x);
          o[0] = p * p;
          if (components > 1) {
            o[1] = d * d;
            o[2] = p * d * w;
            o[3] = p * d * sigma * y;
          }
        },
        components,
        kinks,
        quadrature,
      );
      for (let k = 0; k < components; k++) out[k] = inner[k];
    },
    components,
    quadrature,
  );
  return { phi2: r[0], dphi2: r[1] ?? NaN, phiDphiW: r[2] ?? NaN, phiDphiXi: r[3] ?? NaN };
}

export function checkSetting(s: MeanFieldSetting): void {
  if (!(Number.isFinite(s.g) && s.g > 0)) {
    throw new RnnscopeError('INVALID_ARGUMENT', `g must be a finite number > 0, got ${s.g}`);
  }
  checkFeedback(s.feedback);
}

/**
 * σ² solving eq. 8, h(s) = g²E[φ²(wA + √s·y)] − s = 0. h(0) ≥ 0; the bracket's upper end is
 * doubled from max(g², 1) until h < 0 (for bounded φ, h(g²) ≤ 0 already), then Brent's method.
 * Throws NOT_CONVERGED when no finite root exists (ReLU with g ≥ √2 makes E[φ²] grow like σ²/2).
 */
export function solveSigma2(setting: MeanFieldSetting, A: number): number {
  checkSetting(setting);
  const phi = scalarActivation(setting.activation);
  const g2 = setting.g * setting.g;
  const h = (s: number) =>
    g2 * levelMoments(phi, setting.feedback, A, Math.sqrt(s), setting.quadrature, 1).phi2 - s;
  const h0 = h(0);
  if (h0 === 0) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `σ² = 0 solves eq. 8 (φ(w·A) = 0 for every feedback weight, A = ${A}): the network is silent at this level and β₀, β₁ are undefined`,
    );
  }
  let hi = Math.max(g2, 1);
  let hHi = h(hi);
  for (let k = 0; hHi >= 0; k++) {
    if (k >= 60) {
      throw new RnnscopeError(
        'NOT_CONVERGED',
        `no finite σ² solves eq. 8 for g = ${setting.g}, A = ${A} (${phi.spec.name}): the variance grows without bound`,
      );
    }
    hi *= 2;
    hHi = h(hi);
  }
  return brent(h, 0, hi, 1e-15 * hi, 200, h0, hHi);
}

export interface SingleLevelTheory {
  amplitude: number;
  sigma2: number;
  beta0: number;
  beta1: number;
  /** λ_out = −(1 − Aβ₀ − β₁) (eq. 14). */
  lambdaOut: number;
  /** ⟨φ′²⟩ over the open-loop fixed point. */
  meanDphi2: number;
  /** ρ = g√⟨φ′²⟩, the radius of the open-loop bulk spectrum of WR′. */
  rho: number;
  /** −1/λ_out (negative when λ_out > 0: the output runs away). */
  tauOut: number;
  /** 1/(1 − ρ) (Infinity at ρ ≥ 1, where fading memory fails). */
  tauNet: number;
  /** G_OL(0) = Aβ₀/(1 − β₁). */
  dcGain: number;
  /** ρ < 1: the open loop forgets its initial state (fading memory, seed 001). */
  fadingMemory: boolean;
}

/**
 * The whole M = 1 theory at one output level A (see the file comment for the equations).
 *
 * @example
 * const t = singleLevel({ g: 0.5, activation: { name: 'tanh' }, feedback: 'uniform' }, 1);
 * t.lambdaOut; // ≈ −0.336
 */
export function singleLevel(setting: MeanFieldSetting, A: number): SingleLevelTheory {
  if (!(Number.isFinite(A) && A !== 0)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `the output level A must be finite and ≠ 0, got ${A}`,
    );
  }
  const sigma2 = solveSigma2(setting, A);
  const phi = scalarActivation(setting.activation);
  const m = levelMoments(phi, setting.feedback, A, Math.sqrt(sigma2), setting.quadrature);
  const g2 = setting.g * setting.g;
  const beta0 = (g2 / sigma2) * m.phiDphiW;
  const beta1 = (g2 / sigma2) * m.phiDphiXi;
  const lambdaOut = -(1 - A * beta0 - beta1);
  const rho = setting.g * Math.sqrt(m.dphi2);
  return {
    amplitude: A,
    sigma2,
    beta0,
    beta1,
    lambdaOut,
    meanDphi2: m.dphi2,
    rho,
    tauOut: -1 / lambdaOut,
    tauNet: rho < 1 ? 1 / (1 - rho) : Infinity,
    dcGain: (A * beta0) / (1 - beta1),
    fadingMemory: rho < 1,
  };
}

/** G_OL(ω) = Aβ₀/(1 − β₁ + iω) (eq. 13), as [re, im]. */
export function singleLevelGain(t: SingleLevelTheory, omega: number): [number, number] {
  const a = 1 - t.beta1;
  const d = a * a + omega * omega;
  const k = t.amplitude * t.beta0;
  return [(k * a) / d, (-k * omega) / d];
}
