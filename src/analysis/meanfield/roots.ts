/** Scalar root finding for the self-consistency equations. */
import { RnnscopeError } from '../../errors.js';

/**
 * A root of f in [a, b] where f(a) and f(b) have opposite signs (or one is 0), by Brent's method:
 * inverse quadratic interpolation or secant steps, falling back to bisection whenever a step
 * would not shrink the bracket fast enough. Stops when the bracket is below
 * 2·eps·|x| + tol/2.
 */
export function brent(
  f: (x: number) => number,
  a: number,
  b: number,
  tol = 1e-15,
  maxIter = 200,
  fa = f(a),
  fb = f(b),
): number {
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (fa * fb > 0 || !Number.isFinite(fa) || !Number.isFinite(fb)) {
    throw new RnnscopeError(
      'NOT_CONVERGED',
      `root not bracketed: f(${a}) = ${fa}, f(${b}) = ${fb}`,
    );
  }
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let it = 0; it < maxIter; it++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      p = Math.abs(p);
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : xm > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  throw new RnnscopeError(
    'NOT_CONVERGED',
    `Brent's method did not converge in ${maxIter} iterations`,
  );
}
