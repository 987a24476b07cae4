/**
 * The two ingredients the mean-field integrals are taken over: the scalar nonlinearity φ (with
 * φ′ and its kinks) and the distribution of the feedback weights w_FB (seed 001 eq. 8: 𝒟w).
 */
import { RnnscopeError } from '../../errors.js';
import type { Matrix } from '../../linalg/matrix.js';
import type { ActivationSpec } from '../../models/types.js';
import { bernoulliSigns, gaussianMatrix, uniformMatrix, type Rng } from '../../random/index.js';
import {
  gaussianIntegral,
  adaptiveIntegral,
  type QuadratureOptions,
  type VectorIntegrand,
} from './quadrature.js';

/** φ and φ′ on scalars, and where they are not smooth. */
export interface ScalarActivation {
  spec: ActivationSpec;
  phi(x: number): number;
  dphi(x: number): number;
  /** Points where φ or φ′ is not analytic (the ReLU threshold). */
  kinks: number[];
}

/**
 * The scalar form of an activation spec, the same functions as models/activations.ts:
 * tanh; logistic 1/(1 + e^{−x}); relu max(0, x − θ) with φ′ = 1 for x > θ else 0; identity.
 */
export function scalarActivation(spec: ActivationSpec): ScalarActivation {
  switch (spec.name) {
    case 'tanh':
      return {
        spec,
        phi: Math.tanh,
        dphi: (x) => {
          const t = Math.tanh(x);
          return 1 - t * t;
        },
        kinks: [],
      };
    case 'logistic':
      return {
        spec,
        phi: (x) => 1 / (1 + Math.exp(-x)),
        dphi: (x) => {
          const s = 1 / (1 + Math.exp(-x));
          return s * (1 - s);
        },
        kinks: [],
      };
    case 'relu': {
      const t = spec.threshold ?? 0;
      if (!Number.isFinite(t)) {
        throw new RnnscopeError('INVALID_ARGUMENT', `relu threshold must be finite, got ${t}`);
      }
      return {
        spec: { name: 'relu', threshold: t },
        phi: (x) => (x > t ? x - t : 0),
        dphi: (x) => (x > t ? 1 : 0),
        kinks: [t],
      };
    }
    case 'identity':
      return { spec, phi: (x) => x, dphi: () => 1, kinks: [] };
    default:
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `mean-field activation must be tanh, logistic, relu or identity, got '${String((spec as { name?: unknown }).name)}'`,
      );
  }
}

/** Feedback weight distributions of seed 001: uniform(−1, 1), normal(0, 1), ±1 with p = ½. */
export type FeedbackDistribution = 'uniform' | 'normal' | 'bernoulli';

export const feedbackDistributions: ReadonlyArray<FeedbackDistribution> = [
  'uniform',
  'normal',
  'bernoulli',
];

export function checkFeedback(d: string): asserts d is FeedbackDistribution {
  if (!(feedbackDistributions as ReadonlyArray<string>).includes(d)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `feedback distribution must be one of ${feedbackDistributions.join(', ')}, got '${d}'`,
    );
  }
}

/** ⟨w²⟩ of the distribution. */
export function feedbackSecondMoment(d: FeedbackDistribution): number {
  return d === 'uniform' ? 1 / 3 : 1;
}

/**
 * ∫ f(w) 𝒟w for a vector integrand: ½∫_{−1}^{1} dw (uniform), ∫ Dw (normal), ½(f(−1) + f(1))
 * (bernoulli).
 */
export function feedbackExpectation(
  d: FeedbackDistribution,
  f: VectorIntegrand,
  m: number,
  options: QuadratureOptions = {},
): Float64Array {
  switch (d) {
    case 'uniform': {
      const r = adaptiveIntegral(f, m, -1, 1, [0], options);
      for (let k = 0; k < m; k++) r[k] *= 0.5;
      return r;
    }
    case 'normal':
      return gaussianIntegral(f, m, [], options);
    case 'bernoulli': {
      const a = new Float64Array(m);
      const b = new Float64Array(m);
      f(-1, a);
      f(1, b);
      for (let k = 0; k < m; k++) a[k] = 0.5 * (a[k] + b[k]);
      return a;
    }
  }
}

/** An N×1 feedback vector drawn from the distribution (src/random initialisers). */
export function sampleFeedback(d: FeedbackDistribution, N: number, rng: Rng): Matrix {
  switch (d) {
    case 'uniform':
      return uniformMatrix(N, 1, -1, 1, rng);
    case 'normal':
      return gaussianMatrix(N, 1, 1, rng);
    case 'bernoulli':
      return bernoulliSigns(N, 1, rng);
  }
}
