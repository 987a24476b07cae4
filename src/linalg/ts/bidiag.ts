/**
 * SVD of a real upper bidiagonal matrix by implicitly shifted QR (Golub & Kahan 1965; Golub &
 * Reinsch 1970), in the deflation/splitting organisation of LINPACK's dsvdc. The accumulated
 * left and right rotations are applied to `ut` and `vt`, which hold Uᵀ and Vᵀ (rows are the
 * singular vectors), so each rotation touches two contiguous rows.
 */
import { RnnscopeError } from '../../errors.js';
import { hypot2 } from './checks.js';

const EPS = 2 ** -52;
/** Below this, entries are treated as zero regardless of their neighbours (underflow guard). */
const TINY = 2 ** -966;
/** QR sweeps allowed per singular value before giving up; 2–4 is typical. */
const MAX_ITER = 100;

/** Rows a and b of x (row length n) ← (cs·x_a + sn·x_b, −sn·x_a + cs·x_b). */
function rotateRows(
  x: Float64Array,
  n: number,
  a: number,
  b: number,
  cs: number,
  sn: number,
): void {
  const ra = a * n;
  const rb = b * n;
  for (let i = 0; i < n; i++) {
    const xa = x[ra + i];
    const xb = x[rb + i];
    x[ra + i] = cs * xa + sn * xb;
    x[rb + i] = -sn * xa + cs * xb;
  }
}

/** (cs, sn, r) with cs·f + sn·g = r and −sn·f + cs·g = 0; the identity when f = g = 0. */
function givens(f: number, g: number, out: Float64Array): void {
  const r = hypot2(f, g);
  if (r === 0) {
    out[0] = 1;
    out[1] = 0;
    out[2] = 0;
    return;
  }
  out[0] = f / r;
  out[1] = g / r;
  out[2] = r;
}

/**
 * Diagonalises the n×n upper bidiagonal matrix with diagonal s and superdiagonal e (e[k] couples
 * k and k+1; e[n−1] is ignored) in place: on exit s holds the singular values, non-negative but
 * unsorted, and the rows of ut/vt (n×n) have been rotated along.
 */
export function bidiagonalSvd(
  s: Float64Array,
  e: Float64Array,
  n: number,
  ut: Float64Array,
  vt: Float64Array,
): void {
  const rot = new Float64Array(3);
  if (n > 0) e[n - 1] = 0;
  let p = n;
  let iter = 0;
  while (p > 0) {
    // k: the largest index below p−1 whose superdiagonal entry is negligible (−1 if none).
    let k = p - 2;
    for (; k >= 0; k--) {
      if (Math.abs(e[k]) <= TINY + EPS * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      // s[p−1] has converged: make it non-negative (flipping its right vector) and deflate.
      const j = p - 1;
      if (s[j] < 0) {
        s[j] = -s[j];
        for (let i = 0; i < n; i++) vt[j * n + i] = -vt[j * n + i];
      }
      p--;
      iter = 0;
      continue;
    }
    // Unreduced block is k+1..p−1. A negligible diagonal entry in it needs a zero-chasing step
    // instead of a QR step (the shifted step would not converge there).
    let ks = p - 1;
    for (; ks > k; ks--) {
      const t = Math.abs(e[ks]) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
      if (Math.abs(s[ks]) <= TINY + EPS * t) {
        s[ks] = 0;
        break;
      }
    }
    k++;
    if (++iter > MAX_ITER) {
      throw new RnnscopeError(
        'NOT_CONVERGED',
        `svd: bidiagonal QR did not converge for singular value ${p - 1} after ${MAX_ITER} sweeps`,
      );
    }
    if (ks === p - 1 && ks >= k) {
      // s[p−1] = 0: chase e[p−2] up the column with right rotations (columns j and p−1).
      let f = e[p - 2];
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        givens(s[j], f, rot);
        const cs = rot[0],
          sn = rot[1];
        s[j] = rot[2];
        if (j !== k) {
          f = -sn * e[j - 1];
          e[j - 1] = cs * e[j - 1];
        }
        rotateRows(vt, n, j, p - 1, cs, sn);
      }
    } else if (ks >= k) {
      // s[ks] = 0 inside the block: split there, chasing e[ks] along the row with left rotations.
      const z = ks;
      let f = e[z];
      e[z] = 0;
      for (let j = z + 1; j < p; j++) {
        givens(s[j], f, rot);
        const cs = rot[0],
          sn = rot[1];
        s[j] = rot[2];
        f = -sn * e[j];
        e[j] = cs * e[j];
        rotateRows(ut, n, j, z, cs, sn);
      }
    } else {
      qrStep(s, e, n, k, p, ut, vt, rot);
    }
  }
}

/**
 * One implicit QR step on the unreduced block k..p−1, with the shift taken from the trailing 2×2
 * of BᵀB (Wilkinson's choice); computed on values scaled by the block's largest entry.
 */
function qrStep(
  s: Float64Array,
  e: Float64Array,
  n: number,
  k: number,
  p: number,
  ut: Float64Array,
  vt: Float64Array,
  rot: Float64Array,
): void {
  const scale = Math.max(
    Math.abs(s[p - 1]),
    Math.abs(s[p - 2]),
    Math.abs(e[p - 2]),
    Math.abs(s[k]),
    Math.abs(e[k]),
  );
  const sp = s[p - 1] / scale;
  const spm1 = s[p - 2] / scale;
  const epm1 = e[p - 2] / scale;
  const sk = s[k] / scale;
  const ek = e[k] / scale;
  const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
  const c = sp * epm1 * (sp * epm1);
  let shift = 0;
  if (b !== 0 || c !== 0) {
    shift = Math.sqrt(b * b + c);
    if (b < 0) shift = -shift;
    shift = c / (b + shift);
  }
  let f = (sk + sp) * (sk - sp) + shift;
  let g = sk * ek;
  for (let j = k; j < p - 1; j++) {
    // Right rotation on columns j, j+1 (creates a bulge below the diagonal) …
    givens(f, g, rot);
    let cs = rot[0],
      sn = rot[1];
    if (j !== k) e[j - 1] = rot[2];
    f = cs * s[j] + sn * e[j];
    e[j] = cs * e[j] - sn * s[j];
    g = sn * s[j + 1];
    s[j + 1] = cs * s[j + 1];
    rotateRows(vt, n, j, j + 1, cs, sn);
    // … and a left rotation on rows j, j+1 that pushes it to the right of the superdiagonal.
    givens(f, g, rot);
    cs = rot[0];
    sn = rot[1];
    s[j] = rot[2];
    f = cs * e[j] + sn * s[j + 1];
    s[j + 1] = -sn * e[j] + cs * s[j + 1];
    g = sn * e[j + 1];
    e[j + 1] = cs * e[j + 1];
    rotateRows(ut, n, j, j + 1, cs, sn);
  }
  e[p - 2] = f;
}
