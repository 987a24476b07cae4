/**
 * Element-wise nonlinearities φ with their derivatives, over vectors, writing into `out`
 * (allocation-free; `out` may be `x` itself). Only the first n entries are touched.
 */
import { RnnscopeError } from '../errors.js';
import type { ActivationSpec } from './types.js';

export interface Activation {
  readonly spec: ActivationSpec;
  /** out[i] = φ(x[i]). */
  value(x: Float64Array, out: Float64Array, n?: number): void;
  /** out[i] = φ′(x[i]). */
  derivative(x: Float64Array, out: Float64Array, n?: number): void;
  /** Both in one pass; each x[i] is read before value[i], deriv[i] are written, so either may alias x. */
  valueAndDerivative(x: Float64Array, value: Float64Array, deriv: Float64Array, n?: number): void;
}

/** Names accepted in an ActivationSpec. */
export const activationNames = ['tanh', 'logistic', 'relu', 'identity'] as const;

/** φ = tanh, φ′ = 1 − tanh². */
const tanh: Activation = {
  spec: { name: 'tanh' },
  value(x, out, n = x.length) {
    for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
  },
  derivative(x, out, n = x.length) {
    for (let i = 0; i < n; i++) {
      const t = Math.tanh(x[i]);
      out[i] = 1 - t * t;
    }
  },
  valueAndDerivative(x, value, deriv, n = x.length) {
    for (let i = 0; i < n; i++) {
      const t = Math.tanh(x[i]);
      deriv[i] = 1 - t * t;
      value[i] = t;
    }
  },
};

/** φ = 1/(1 + e⁻ˣ), φ′ = φ(1 − φ). (e⁻ˣ overflowing to ∞ gives φ = 0 exactly, as it should.) */
const logistic: Activation = {
  spec: { name: 'logistic' },
  value(x, out, n = x.length) {
    for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
  },
  derivative(x, out, n = x.length) {
    for (let i = 0; i < n; i++) {
      const s = 1 / (1 + Math.exp(-x[i]));
      out[i] = s * (1 - s);
    }
  },
  valueAndDerivative(x, value, deriv, n = x.length) {
    for (let i = 0; i < n; i++) {
      const s = 1 / (1 + Math.exp(-x[i]));
      deriv[i] = s * (1 - s);
      value[i] = s;
    }
  },
};

/** φ = max(0, x − θ) (seed 001), φ′ = 1 for x > θ else 0 (the kink takes the 0 subgradient). */
function relu(threshold: number): Activation {
  return {
    spec: { name: 'relu', threshold },
    value(x, out, n = x.length) {
      for (let i = 0; i < n; i++) {
        const v = x[i] - threshold;
        out[i] = v > 0 ? v : 0;
      }
    },
    derivative(x, out, n = x.length) {
      for (let i = 0; i < n; i++) out[i] = x[i] > threshold ? 1 : 0;
    },
    valueAndDerivative(x, value, deriv, n = x.length) {
      for (let i = 0; i < n; i++) {
        const xi = x[i];
        deriv[i] = xi > threshold ? 1 : 0;
        value[i] = xi > threshold ? xi - threshold : 0;
      }
    },
  };
}

/** φ = x, φ′ = 1 (linear networks). */
const identity: Activation = {
  spec: { name: 'identity' },
  value(x, out, n = x.length) {
    if (out !== x) for (let i = 0; i < n; i++) out[i] = x[i];
  },
  derivative(x, out, n = x.length) {
    out.fill(1, 0, n);
  },
  valueAndDerivative(x, value, deriv, n = x.length) {
    for (let i = 0; i < n; i++) {
      deriv[i] = 1;
      value[i] = x[i];
    }
  },
};

/**
 * The Activation for a spec. Throws INVALID_MODEL for an unknown name or a non-finite relu
 * threshold.
 *
 * @example
 * const phi = activation({ name: 'relu', threshold: 0.1 });
 * phi.value(x, r); // r = max(0, x − 0.1)
 */
export function activation(spec: ActivationSpec): Activation {
  switch (spec?.name) {
    case 'tanh':
      return tanh;
    case 'logistic':
      return logistic;
    case 'identity':
      return identity;
    case 'relu': {
      const threshold = spec.threshold ?? 0;
      if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
        throw new RnnscopeError(
          'INVALID_MODEL',
          `activation relu threshold must be a finite number, got ${threshold}`,
        );
      }
      return relu(threshold);
    }
    default:
      throw new RnnscopeError(
        'INVALID_MODEL',
        `activation must be one of ${activationNames.join(', ')}, got '${String((spec as { name?: unknown })?.name)}'`,
      );
  }
}
