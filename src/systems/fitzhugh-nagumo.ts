import { RnnscopeError } from '../errors.js';
import type { DynamicalSystem } from './types.js';

/** FitzHugh–Nagumo parameters (seed 003 §1.3, eq. 6). */
export interface FhnParams {
  a: number;
  b: number;
  /** Recovery time scale τ (> 0). */
  tau: number;
  /** External current I_ext. */
  I: number;
}

/** a = 0.7, b = 0.8, τ = 12.5 as fixed in seed 003; I = 0.5 lies in its limit-cycle range [0.4, 1.4]. */
export const defaultFhnParams: Readonly<FhnParams> = Object.freeze({
  a: 0.7,
  b: 0.8,
  tau: 12.5,
  I: 0.5,
});

/**
 * FitzHugh–Nagumo model of neuronal excitation (seed 003, eq. 6a–6b), state (v, w):
 *
 *   dv/dt = v − v³/3 − w + I,   dw/dt = (v + a − b·w)/τ,
 *
 *   J(v, w) = [ 1 − v²   −1   ]
 *             [  1/τ    −b/τ  ].
 *
 * Fixed points satisfy w = (v + a)/b and the cubic v − v³/3 − (v + a)/b + I = 0. The readout
 * (`output`) is the voltage v, which is what seed 003 trains an RNN to reproduce.
 *
 * @example
 * const fhn = fitzhughNagumo({ I: 1.0 });
 * const path = integrate(fhn, Float64Array.of(0, 0), 1000, { dt: 0.1, method: 'rk4' });
 */
export function fitzhughNagumo(
  p: Partial<FhnParams> = {},
): DynamicalSystem & { readonly params: FhnParams } {
  const params: FhnParams = { ...defaultFhnParams, ...p };
  for (const k of ['a', 'b', 'tau', 'I'] as const) {
    if (typeof params[k] !== 'number' || !Number.isFinite(params[k])) {
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `FitzHugh–Nagumo parameter ${k} must be a finite number, got ${params[k]}`,
      );
    }
  }
  if (!(params.tau > 0)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `FitzHugh–Nagumo tau must be > 0, got ${params.tau}`,
    );
  }
  const { a, b, tau, I } = params;
  return {
    params,
    dim: 2,
    time: 'flow',
    label: `fitzhugh-nagumo a=${a} b=${b} tau=${tau} I=${I}`,
    outputDim: 1,
    velocity(x: Float64Array, out: Float64Array): void {
      const v = x[0];
      const w = x[1];
      out[0] = v - (v * v * v) / 3 - w + I;
      out[1] = (v + a - b * w) / tau;
    },
    jacobian(x: Float64Array, out: Float64Array): void {
      const v = x[0];
      out[0] = 1 - v * v;
      out[1] = -1;
      out[2] = 1 / tau;
      out[3] = -b / tau;
    },
    jvp(x: Float64Array, d: Float64Array, out: Float64Array): void {
      const v = x[0];
      const o0 = (1 - v * v) * d[0] - d[1];
      out[1] = (d[0] - b * d[1]) / tau;
      out[0] = o0;
    },
    vjp(x: Float64Array, d: Float64Array, out: Float64Array): void {
      const v = x[0];
      const o0 = (1 - v * v) * d[0] + d[1] / tau;
      out[1] = -d[0] - (b * d[1]) / tau;
      out[0] = o0;
    },
    output(x: Float64Array, out: Float64Array): void {
      out[0] = x[0];
    },
  };
}
