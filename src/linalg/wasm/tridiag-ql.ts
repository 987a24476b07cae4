/**
 * Implicit QL with Wilkinson-type shifts for a symmetric tridiagonal matrix (the tql2 scheme of
 * the Handbook, Bowdler, Martin, Reinsch & Wilkinson 1968, as in ../ts/eigsym.ts). Used for the
 * small leaves of divide and conquer and for the eigenvalues-only path, where it costs O(n²).
 */
import { RnnscopeError } from '../../errors.js';
import { hypot2 } from '../ts/checks.js';

const MAX_ITER = 30;

/**
 * Diagonalises (d, e) in place (e[k] couples k and k+1, e[n−1] ignored and zeroed): d receives the
 * eigenvalues, unsorted. With `zt` (n×n, rows), the rotations are applied to its rows, so if zt = I
 * on entry, row j is the eigenvector of d[j] on exit.
 */
export function qlImplicit(
  d: Float64Array,
  e: Float64Array,
  n: number,
  zt: Float64Array | null,
): void {
  const eps = Number.EPSILON;
  if (n > 0) e[n - 1] = 0;
  let shiftSum = 0;
  let tst = 0;
  for (let l = 0; l < n; l++) {
    tst = Math.max(tst, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst) m++;
    let iter = 0;
    while (m > l) {
      if (++iter > MAX_ITER) {
        throw new RnnscopeError(
          'NOT_CONVERGED',
          `eigSym: QL iteration did not converge for eigenvalue ${l} after ${MAX_ITER} sweeps`,
        );
      }
      const g0 = d[l];
      let p = (d[l + 1] - g0) / (2 * e[l]);
      let r = hypot2(p, 1);
      if (p < 0) r = -r;
      d[l] = e[l] / (p + r);
      d[l + 1] = e[l] * (p + r);
      const dl1 = d[l + 1];
      const h0 = g0 - d[l];
      for (let i = l + 2; i < n; i++) d[i] -= h0;
      shiftSum += h0;
      p = d[m];
      let c = 1;
      let c2 = 1;
      let c3 = 1;
      let s = 0;
      let s2 = 0;
      const el1 = e[l + 1];
      for (let i = m - 1; i >= l; i--) {
        c3 = c2;
        c2 = c;
        s2 = s;
        const g = c * e[i];
        const h = c * p;
        r = hypot2(p, e[i]);
        e[i + 1] = s * r;
        s = e[i] / r;
        c = p / r;
        p = c * d[i] - s * g;
        d[i + 1] = h + s * (c * g + s * d[i]);
        if (zt) {
          const ri = i * n;
          const rj = ri + n;
          for (let k = 0; k < n; k++) {
            const zi = zt[ri + k];
            const zj = zt[rj + k];
            zt[rj + k] = s * zi + c * zj;
            zt[ri + k] = c * zi - s * zj;
          }
        }
      }
      p = -s * s2 * c3 * el1 * (e[l] / dl1);
      e[l] = s * p;
      d[l] = c * p;
      if (!(Math.abs(e[l]) > eps * tst)) break;
    }
    d[l] += shiftSum;
    e[l] = 0;
  }
}
