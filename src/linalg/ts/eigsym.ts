/**
 * Symmetric eigendecomposition: Householder reduction to tridiagonal form, then the implicit QL
 * algorithm with Wilkinson-type shifts (the tred2/tql2 pair of the Handbook, Bowdler, Martin,
 * Reinsch & Wilkinson 1968; Golub & Van Loan §8.3). Written for row-major storage: the
 * accumulated transformation is kept transposed (eigenvectors as rows) during QL so every plane
 * rotation touches two contiguous rows.
 */
import { RnnscopeError } from '../../errors.js';
import type { EigSymResult } from '../backend.js';
import type { Matrix } from '../matrix.js';
import {
  requireFinite,
  requireSquare,
  requireSymmetric,
  hypot2,
  powerOfTwoScale,
  transposeSquareInPlace,
} from './checks.js';
import { makeReflector, reflectRows } from './householder.js';
import { fixSignReal } from './phase.js';

/** QL sweeps allowed per eigenvalue; 2–3 are typical, 30 is the traditional safety cap. */
const MAX_ITER = 30;

/**
 * Reduces the symmetric n×n `a` (both triangles valid, destroyed) to tridiagonal T = Qᵀ·A·Q with
 * diagonal d and off-diagonal e (e[k] couples k and k+1, e[n−1] = 0). Returns Q when asked.
 */
function tridiagonalize(
  a: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
  wantQ: boolean,
): Float64Array | null {
  const tau = new Float64Array(Math.max(n - 2, 0));
  const p = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    // Column k below the diagonal equals row k right of it; the row is contiguous.
    const off = k * n + k + 1;
    const r = n - k - 1;
    const t = makeReflector(a, off, 1, r);
    tau[k] = t;
    d[k] = a[k * n + k];
    e[k] = a[off];
    if (t === 0) continue;
    a[off] = 1; // v in row k, with its leading 1 made explicit for the loops below
    // Symmetric rank-2 update B ← H·B·H = B − v·wᵀ − w·vᵀ with p = tau·B·v, w = p − (tau/2)(pᵀv)·v.
    let pv = 0;
    for (let i = 0; i < r; i++) {
      const ri = (k + 1 + i) * n + k + 1;
      let s = 0;
      for (let j = 0; j < r; j++) s += a[ri + j] * a[off + j];
      p[i] = t * s;
      pv += p[i] * a[off + i];
    }
    const K = 0.5 * t * pv;
    for (let i = 0; i < r; i++) p[i] -= K * a[off + i];
    for (let i = 0; i < r; i++) {
      const ri = (k + 1 + i) * n + k + 1;
      const vi = a[off + i];
      const wi = p[i];
      for (let j = 0; j < r; j++) a[ri + j] -= vi * p[j] + wi * a[off + j];
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2];
    e[n - 2] = a[(n - 1) * n + n - 2];
  }
  if (n >= 1) {
    d[n - 1] = a[n * n - 1];
    e[n - 1] = 0;
  }
  if (!wantQ) return null;
  // Q = H_0·H_1·…·H_{n−3}, accumulated backwards so each step only touches its trailing block.
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let k = n - 3; k >= 0; k--) {
    const r = n - k - 1;
    reflectRows(q, n, k + 1, r, k + 1, n, tau[k], a, k * n + k + 1, p);
  }
  return q;
}

/**
 * Diagonalises the symmetric tridiagonal (d, e) in place by implicit QL with Wilkinson-type shifts
 * (the tql2 scheme of Bowdler, Martin, Reinsch & Wilkinson 1968): d receives the eigenvalues
 * (unsorted); e[k] couples k and k+1, and e[n−1] is ignored and zeroed. When `zt` is given, its
 * rows are rotated along, so if zt = Qᵀ on entry, row j of zt is the eigenvector of d[j] on exit.
 * Shared with the wasm backend (values-only path and divide-and-conquer leaves).
 */
export function tridiagonalQl(
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
      // Shift: the eigenvalue of the leading 2×2 block closest to d[l]; d[l+1..] are shifted by
      // the same amount explicitly and the shift is added back once the eigenvalue converges.
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
      // Chase the bulge from the bottom of the unreduced block m up to l with plane rotations.
      p = d[m];
      let c = 1,
        c2 = 1,
        c3 = 1,
        s = 0,
        s2 = 0;
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
      // e[l]/dl1 first: el1·e[l] alone can underflow for tiny matrices.
      p = -s * s2 * c3 * el1 * (e[l] / dl1);
      e[l] = s * p;
      d[l] = c * p;
      if (!(Math.abs(e[l]) > eps * tst)) break;
    }
    d[l] += shiftSum;
    e[l] = 0;
  }
}

/**
 * Eigenvalues (ascending) and, when `wantVectors`, orthonormal eigenvectors as the columns of an
 * n×n matrix, each with its largest-modulus component positive. Reads the lower triangle; A must
 * be symmetric to within 1e-8·max|A|.
 */
export function eigSym(A: Matrix, wantVectors = true): EigSymResult {
  const n = requireSquare(A, 'eigSym');
  requireFinite(A, 'eigSym');
  requireSymmetric(A, 'eigSym');
  // Work on A/2^k with max|entry| ≈ 1 (exact): keeps every intermediate clear of over/underflow.
  const scale = powerOfTwoScale(A);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = A.data[i * n + j] / scale;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const q = tridiagonalize(a, n, d, e, wantVectors);
  if (q) transposeSquareInPlace(q, n); // now Qᵀ: rows are the columns of Q
  tridiagonalQl(d, e, n, q);

  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y] || x - y);
  const values = new Float64Array(n);
  for (let j = 0; j < n; j++) values[j] = d[order[j]] * scale;
  if (!q) return { values };
  const v = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = order[j] * n;
    for (let i = 0; i < n; i++) v[i * n + j] = q[rj + i];
    fixSignReal(v, j, n, n);
  }
  return { values, vectors: { rows: n, cols: n, data: v } };
}
