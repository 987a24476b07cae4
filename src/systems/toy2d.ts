import type { DynamicalSystem } from './types.js';

/**
 * The two-dimensional example of seed 000 (§3.1):
 *
 *   ẋ = (1 − x²)·y,   ẏ = x/2 − y,
 *
 *   J(x, y) = [ −2xy   1 − x² ]
 *             [  1/2     −1   ].
 *
 * Fixed points: (0, 0), a saddle with eigenvalues (−1 ± √3)/2, and (1, ½), (−1, −½), stable
 * nodes with the double eigenvalue −1. (The seed lists (1, −½) for the last one; it is not a
 * fixed point: there ẏ = 1.)
 *
 * @example
 * const sys = toy2d();
 * const J = new Float64Array(4);
 * sys.jacobian(Float64Array.of(0, 0), J); // [0, 1, 0.5, -1]
 */
export function toy2d(): DynamicalSystem {
  return {
    dim: 2,
    time: 'flow',
    label: 'toy2d: ẋ=(1−x²)y, ẏ=x/2−y',
    velocity(s: Float64Array, out: Float64Array): void {
      const x = s[0];
      const y = s[1];
      out[0] = (1 - x * x) * y;
      out[1] = x / 2 - y;
    },
    jacobian(s: Float64Array, out: Float64Array): void {
      const x = s[0];
      const y = s[1];
      out[0] = -2 * x * y;
      out[1] = 1 - x * x;
      out[2] = 0.5;
      out[3] = -1;
    },
    jvp(s: Float64Array, v: Float64Array, out: Float64Array): void {
      const x = s[0];
      const y = s[1];
      const a = -2 * x * y * v[0] + (1 - x * x) * v[1];
      out[1] = 0.5 * v[0] - v[1];
      out[0] = a;
    },
    vjp(s: Float64Array, v: Float64Array, out: Float64Array): void {
      const x = s[0];
      const y = s[1];
      const a = -2 * x * y * v[0] + 0.5 * v[1];
      out[1] = (1 - x * x) * v[0] - v[1];
      out[0] = a;
    },
  };
}
