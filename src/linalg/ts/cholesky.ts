/**
 * Cholesky factorisation A = L·Lᵀ. Row-major, row by row (the "Cholesky–Banachiewicz" order):
 * every inner product runs along two contiguous rows of L.
 */
import { RnnscopeError } from '../../errors.js';
import type { Matrix } from '../matrix.js';
import { requireFinite, requireSquare, requireSymmetric } from './checks.js';

/**
 * Returns lower-triangular L (upper part zero). Reads the lower triangle of A; A must be
 * symmetric to within 1e-8·max|A| (anything else is almost surely a caller bug).
 */
export function cholesky(A: Matrix): Matrix {
  const n = requireSquare(A, 'cholesky');
  requireFinite(A, 'cholesky');
  requireSymmetric(A, 'cholesky');
  const a = A.data;
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= l[ri + k] * l[rj + k];
      if (i === j) {
        // `!(s > 0)` also catches NaN from an indefinite matrix with huge entries.
        if (!(s > 0)) {
          throw new RnnscopeError(
            'INVALID_ARGUMENT',
            `cholesky: matrix is not positive definite (pivot ${i} is ${s}, must be > 0)`,
          );
        }
        l[ri + i] = Math.sqrt(s);
      } else {
        l[ri + j] = s / l[rj + j];
      }
    }
  }
  return { rows: n, cols: n, data: l };
}
