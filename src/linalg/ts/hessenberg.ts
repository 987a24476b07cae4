/**
 * The two preparatory steps of the non-symmetric eigensolver: diagonal balancing and orthogonal
 * reduction to upper Hessenberg form (Golub & Van Loan §7.4–7.5; the EISPACK balanc/orthes pair).
 */
import { transposeSquareInPlace } from './checks.js';
import { makeReflector, reflectCols, reflectRows } from './householder.js';

/** Balancing stops once a full pass no longer shrinks any row+column norm below this fraction. */
const BALANCE_GAIN = 0.95;
/** Safety cap on balancing passes; each pass only rescales by exact powers of two. */
const BALANCE_MAX_PASSES = 1000;

/**
 * Replaces the n×n `a` by D⁻¹·A·D with D diagonal of powers of two, chosen so that each row and
 * the matching column have comparable 2-norms (Parlett & Reinsch, in the 2-norm form LAPACK
 * adopted in 3.5: the older 1-norm form is known to over-scale some matrices, e.g. Frank's, and
 * wreck the eigenvector residual). Powers of two make the similarity exact in floating point, and
 * shrinking ‖A‖ tightens the error bound of the QR iteration. Returns D.
 */
export function balance(a: Float64Array, n: number): Float64Array {
  const d = new Float64Array(n).fill(1);
  for (let pass = 0; pass < BALANCE_MAX_PASSES; pass++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let c = norm2(a, i, n, n);
      let r = norm2(a, i * n, 1, n);
      if (c === 0 || r === 0) continue;
      const s = c + r;
      let f = 1;
      // Scaling row i by 1/f and column i by f turns (c, r) into (c·f, r/f); find f = 2^k that
      // brings them within a factor 2 (exponents bounded so nothing over- or underflows).
      while (c < r / 2 && f < 2 ** 500) {
        f *= 2;
        c *= 2;
        r /= 2;
      }
      while (c / 2 >= r && f > 2 ** -500) {
        f /= 2;
        c /= 2;
        r *= 2;
      }
      if (c + r >= BALANCE_GAIN * s) continue;
      changed = true;
      d[i] *= f;
      const inv = 1 / f;
      for (let j = 0; j < n; j++) a[i * n + j] *= inv;
      for (let j = 0; j < n; j++) a[j * n + i] *= f;
    }
    if (!changed) break;
  }
  return d;
}

/** 2-norm of n entries a[off + k·stride], scaled so squares cannot overflow or underflow. */
function norm2(a: Float64Array, off: number, stride: number, n: number): number {
  let max = 0;
  for (let k = 0; k < n; k++) max = Math.max(max, Math.abs(a[off + k * stride]));
  if (max === 0) return 0;
  let ss = 0;
  for (let k = 0; k < n; k++) {
    const t = a[off + k * stride] / max;
    ss += t * t;
  }
  return max * Math.sqrt(ss);
}

/**
 * Reduces `a` in place to upper Hessenberg H = Qᵀ·A·Q (entries below the subdiagonal set to
 * exactly 0). Returns Qᵀ (rows are the columns of Q) when asked: the QR iteration then rotates
 * its rows, which is contiguous in row-major storage.
 */
export function hessenberg(a: Float64Array, n: number, wantQ: boolean): Float64Array | null {
  const taus = new Float64Array(Math.max(n - 2, 0));
  // Reflector k occupies row k of `refl` from column k+1 (leading 1 included), so Q can be formed.
  const refl = wantQ ? new Float64Array(n * n) : null;
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    const len = n - k - 1;
    const off = (k + 1) * n + k;
    const tau = makeReflector(a, off, n, len);
    taus[k] = tau;
    v[0] = 1;
    for (let i = 1; i < len; i++) {
      v[i] = a[off + i * n];
      a[off + i * n] = 0;
    }
    if (refl) refl.set(v.subarray(0, len), k * n + k + 1);
    // Column k already holds (beta, 0, …); H acts on rows k+1.. for columns k+1.. and on all rows
    // for columns k+1.. from the right.
    reflectRows(a, n, k + 1, len, k + 1, n, tau, v, 0, w);
    reflectCols(a, n, 0, n, k + 1, len, tau, v, 0);
  }
  if (!refl) return null;
  // Backward accumulation of Q = H_0·…·H_{n−3}, then transpose to Qᵀ.
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let k = n - 3; k >= 0; k--) {
    reflectRows(q, n, k + 1, n - k - 1, k + 1, n, taus[k], refl, k * n + k + 1, w);
  }
  transposeSquareInPlace(q, n);
  return q;
}
