/** Householder QR on row-major storage. */
import type { QrResult } from '../backend.js';
import type { Matrix } from '../matrix.js';
import { copyMatrix, requireFinite } from './checks.js';
import { makeReflector, reflectRows } from './householder.js';

/**
 * Thin QR: for m ≥ n, Q is m×n with orthonormal columns and R is n×n upper triangular. For m < n
 * the factorisation is A = Q·R with Q m×m orthogonal and R m×n upper trapezoidal. In both cases
 * the diagonal of R is made non-negative (flipping matching columns of Q), which makes the
 * factorisation unique for full-rank A and so comparable across backends.
 */
export function qr(A: Matrix): QrResult {
  requireFinite(A, 'qr');
  const { rows: m, cols: n } = A;
  const p = Math.min(m, n);
  const f = copyMatrix(A).data;
  // Reflector k stays below the diagonal of column k of f (LAPACK geqrf layout) to form Q later.
  const tau = new Float64Array(p);
  const v = new Float64Array(m);
  const w = new Float64Array(Math.max(n, p));
  for (let k = 0; k < p; k++) {
    tau[k] = makeReflector(f, k * n + k, n, m - k);
    v[k] = 1;
    for (let i = k + 1; i < m; i++) v[i] = f[i * n + k];
    reflectRows(f, n, k, m - k, k + 1, n, tau[k], v, k, w);
  }

  const R = new Float64Array(p * n);
  for (let i = 0; i < p; i++) for (let j = i; j < n; j++) R[i * n + j] = f[i * n + j];

  // Backward accumulation: applying H_{p−1} first keeps each update inside the trailing block,
  // because the leading columns of the partial product are still unit vectors there.
  const Q = new Float64Array(m * p);
  for (let i = 0; i < p; i++) Q[i * p + i] = 1;
  for (let k = p - 1; k >= 0; k--) {
    v[k] = 1;
    for (let i = k + 1; i < m; i++) v[i] = f[i * n + k];
    reflectRows(Q, p, k, m - k, k, p, tau[k], v, k, w);
  }

  for (let k = 0; k < p; k++) {
    if (R[k * n + k] < 0) {
      for (let j = k; j < n; j++) R[k * n + j] = -R[k * n + j];
      for (let i = 0; i < m; i++) Q[i * p + k] = -Q[i * p + k];
    }
  }
  return { Q: { rows: m, cols: p, data: Q }, R: { rows: p, cols: n, data: R } };
}
