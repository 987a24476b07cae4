import { RnnscopeError } from '../errors.js';
import { zeros, type Matrix } from '../linalg/matrix.js';
import type { DynamicalSystem } from './types.js';

/** ∛ε: balances the O(h²) truncation and O(ε/h) rounding errors of a central difference. */
const DEFAULT_STEP = Math.cbrt(Number.EPSILON);

/**
 * Central-difference Jacobian of `sys.velocity` at x — a check for hand-written `jacobian`s:
 *
 *   J[i][j] ≈ (Fᵢ(x + hⱼeⱼ) − Fᵢ(x − hⱼeⱼ)) / (2hⱼ),   hⱼ = h·max(1, |xⱼ|),
 *
 * where 2hⱼ is taken as the exactly representable difference of the two perturbed coordinates.
 * Error O(hⱼ²·|F'''|) + O(ε|F|/hⱼ); with the default h = ∛ε ≈ 6e-6 about 1e-10 relative for
 * smooth F of order one. Costs 2·dim velocity evaluations. Returns a dim×dim row-major Matrix.
 *
 * @example
 * const Jfd = finiteDifferenceJacobian(mySystem, x);
 */
export function finiteDifferenceJacobian(
  sys: DynamicalSystem,
  x: Float64Array,
  h = DEFAULT_STEP,
): Matrix {
  const n = sys.dim;
  if (x.length !== n) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `state must have length ${n} (the system's dim), got ${x.length}`,
    );
  }
  if (!(h > 0 && Number.isFinite(h)))
    throw new RnnscopeError('INVALID_ARGUMENT', `step h must be > 0, got ${h}`);
  const J = zeros(n, n);
  const xp = Float64Array.from(x);
  const fp = new Float64Array(n);
  const fm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const xj = x[j];
    const hj = h * Math.max(1, Math.abs(xj));
    const plus = xj + hj;
    const minus = xj - hj;
    xp[j] = plus;
    sys.velocity(xp, fp);
    xp[j] = minus;
    sys.velocity(xp, fm);
    xp[j] = xj;
    const inv = 1 / (plus - minus);
    for (let i = 0; i < n; i++) J.data[i * n + j] = (fp[i] - fm[i]) * inv;
  }
  return J;
}
