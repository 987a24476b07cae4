/**
 * Thin SVD by Golub–Kahan–Reinsch: Householder bidiagonalisation, then implicitly shifted QR on
 * the bidiagonal (bidiag.ts). Tall matrices are first reduced by QR so that bidiagonalisation
 * works on an n×n triangle (as LAPACK's gesvd does for m ≫ n); wide ones go through Aᵀ.
 */
import type { SvdResult } from '../backend.js';
import type { Matrix } from '../matrix.js';
import { bidiagonalSvd } from './bidiag.js';
import { powerOfTwoScale, requireFinite, transposeSquareInPlace } from './checks.js';
import { gemm } from './gemm.js';
import { makeReflector, reflectCols, reflectRows } from './householder.js';
import { fixSignReal } from './phase.js';
import { qr } from './qr.js';

/**
 * A = U·diag(S)·Vᵀ with k = min(m, n): U m×k and V n×k with orthonormal columns, S descending.
 * Sign convention (same tie rule as the eigenvectors): the dominant entry of each V column is
 * positive, and U follows.
 */
export function svd(A: Matrix): SvdResult {
  requireFinite(A, 'svd');
  const r = svdAny(A);
  const { U, V } = r;
  const k = r.S.length;
  for (let j = 0; j < k; j++) {
    if (fixSignReal(V.data, j, k, V.rows)) {
      for (let i = 0; i < U.rows; i++) U.data[i * k + j] = 0 - U.data[i * k + j];
    }
  }
  return r;
}

function svdAny(A: Matrix): SvdResult {
  const { rows: m, cols: n } = A;
  if (m < n) {
    const t = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = A.data[i * n + j];
    const r = svdAny({ rows: n, cols: m, data: t });
    return { U: r.V, S: r.S, V: r.U };
  }
  if (m > n) {
    const { Q, R } = qr(A);
    const r = svdSquare(R);
    const U = { rows: m, cols: n, data: new Float64Array(m * n) };
    gemm(false, false, 1, Q, r.U, 0, U);
    return { U, S: r.S, V: r.V };
  }
  return svdSquare(A);
}

/** Full SVD of a square matrix. */
function svdSquare(A: Matrix): SvdResult {
  const n = A.rows;
  // Work on A/2^k with max|entry| ≈ 1 (exact), so nothing over- or underflows.
  const scale = powerOfTwoScale(A);
  const a = A.data.slice(0, n * n);
  if (scale !== 1) for (let i = 0; i < n * n; i++) a[i] /= scale;

  // Bidiagonalise: B = Uᵀ·A·V with diagonal d and superdiagonal e. Left reflector k is kept in
  // row k of `lv` (from column k), right reflector k in row k of `rv` (from column k+1).
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const lv = new Float64Array(n * n);
  const rv = new Float64Array(n * n);
  const tauL = new Float64Array(n);
  const tauR = new Float64Array(n);
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const kk = k * n + k;
    tauL[k] = makeReflector(a, kk, n, n - k);
    d[k] = a[kk];
    lv[kk] = 1;
    for (let i = k + 1; i < n; i++) lv[k * n + i] = a[i * n + k];
    reflectRows(a, n, k, n - k, k + 1, n, tauL[k], lv, kk, w);
    if (k + 2 < n) {
      tauR[k] = makeReflector(a, kk + 1, 1, n - k - 1);
      e[k] = a[kk + 1];
      rv[kk + 1] = 1;
      for (let j = k + 2; j < n; j++) rv[k * n + j] = a[k * n + j];
      reflectCols(a, n, k + 1, n, k + 1, n - k - 1, tauR[k], rv, kk + 1);
    } else if (k + 1 < n) {
      e[k] = a[kk + 1];
    }
  }

  // Backward accumulation of U = H_0…H_{n−1} and V = G_0…G_{n−3}, then transposed so that the
  // bidiagonal QR rotates rows.
  const ut = new Float64Array(n * n);
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    ut[i * n + i] = 1;
    vt[i * n + i] = 1;
  }
  for (let k = n - 1; k >= 0; k--) reflectRows(ut, n, k, n - k, k, n, tauL[k], lv, k * n + k, w);
  for (let k = n - 3; k >= 0; k--) {
    reflectRows(vt, n, k + 1, n - k - 1, k + 1, n, tauR[k], rv, k * n + k + 1, w);
  }
  transposeSquareInPlace(ut, n);
  transposeSquareInPlace(vt, n);

  bidiagonalSvd(d, e, n, ut, vt);

  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => d[y] - d[x] || x - y);
  const S = new Float64Array(n);
  const U = new Float64Array(n * n);
  const V = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const j = order[k];
    S[k] = d[j] * scale;
    for (let i = 0; i < n; i++) {
      U[i * n + k] = ut[j * n + i];
      V[i * n + k] = vt[j * n + i];
    }
  }
  return { U: { rows: n, cols: n, data: U }, S, V: { rows: n, cols: n, data: V } };
}
