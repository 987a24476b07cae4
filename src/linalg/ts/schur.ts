/**
 * Francis double-shift QR iteration on an upper Hessenberg matrix (Golub & Van Loan §7.5; the
 * EISPACK hqr/hqr2 formulation): eigenvalues always, and optionally the real Schur form T with
 * the accumulated orthogonal transformation.
 */
import { RnnscopeError } from '../../errors.js';

/** Sweeps allowed per eigenvalue (or pair) before giving up; typical is 2–4. */
const MAX_ITER_PER_EIGENVALUE = 100;

/**
 * Runs the iteration on the n×n Hessenberg `h` in place, filling wr/wi. Conjugate pairs are
 * adjacent with the positive imaginary part first.
 *
 * With `zt` (an n×n matrix whose rows are rotated along, normally Qᵀ of the Hessenberg
 * reduction), the whole of `h` is updated so that on exit it holds the quasi-triangular Schur
 * factor T with real eigenvalue pairs split into 1×1 blocks, and A = Z·T·Zᵀ with Z = ztᵀ.
 * Without `zt`, only the active window is updated (roughly half the work): values only.
 */
export function francisQr(
  h: Float64Array,
  n: number,
  wr: Float64Array,
  wi: Float64Array,
  zt: Float64Array | null,
): void {
  const full = zt !== null;
  const eps = Number.EPSILON;
  let norm = 0;
  for (let i = 0; i < n; i++)
    for (let j = Math.max(i - 1, 0); j < n; j++) norm += Math.abs(h[i * n + j]);

  let exshift = 0;
  let iter = 0;
  let en = n - 1;
  while (en >= 0) {
    // Deflation: find the largest l ≤ en with a negligible subdiagonal h[l][l−1].
    let l = en;
    while (l > 0) {
      let s = Math.abs(h[(l - 1) * n + l - 1]) + Math.abs(h[l * n + l]);
      if (s === 0) s = norm;
      if (Math.abs(h[l * n + l - 1]) <= eps * s) break; // `<=`: an all-zero matrix deflates too
      l--;
    }
    if (l === en) {
      h[en * n + en] += exshift;
      wr[en] = h[en * n + en];
      wi[en] = 0;
      if (en > 0) h[en * n + en - 1] = 0;
      en--;
      iter = 0;
      continue;
    }
    const e1 = en - 1;
    if (l === e1) {
      deflatePair(h, n, en, exshift, wr, wi, zt);
      en -= 2;
      iter = 0;
      continue;
    }

    // No deflation yet: choose shifts, normally the eigenvalues of the trailing 2×2 block,
    // passed implicitly via their sum (x + y) and product-related term (w).
    let x = h[en * n + en];
    let y = h[e1 * n + e1];
    let w = h[en * n + e1] * h[e1 * n + en];
    if (iter > 0 && iter % 10 === 0) {
      // Exceptional shifts break the rare cycles of the standard shift (e.g. permutation
      // matrices): an ad hoc one (Wilkinson) and, at 30, the one used by MATLAB's hqr2 port.
      if (iter === 30) {
        let s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = 0; i <= en; i++) h[i * n + i] -= s;
          exshift += s;
          x = y = w = 0.964;
        }
      } else {
        exshift += x;
        for (let i = 0; i <= en; i++) h[i * n + i] -= x;
        const s = Math.abs(h[en * n + e1]) + Math.abs(h[e1 * n + en - 2]);
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
    }
    if (++iter > MAX_ITER_PER_EIGENVALUE) {
      throw new RnnscopeError(
        'NOT_CONVERGED',
        `eig: QR iteration did not converge for eigenvalue ${en} after ${MAX_ITER_PER_EIGENVALUE} sweeps`,
      );
    }

    // Start the bulge as low as possible: look for two consecutive small subdiagonal entries,
    // so the double step can begin at row m instead of l.
    let m = en - 2;
    let p = 0,
      q = 0,
      r = 0;
    for (; m >= l; m--) {
      const z = h[m * n + m];
      const rr = x - z;
      const ss = y - z;
      p = (rr * ss - w) / h[(m + 1) * n + m] + h[m * n + m + 1];
      q = h[(m + 1) * n + m + 1] - z - rr - ss;
      r = h[(m + 2) * n + m + 1];
      const s = Math.abs(p) + Math.abs(q) + Math.abs(r);
      p /= s;
      q /= s;
      r /= s;
      if (m === l) break;
      const lhs = Math.abs(h[m * n + m - 1]) * (Math.abs(q) + Math.abs(r));
      const rhs =
        eps *
        (Math.abs(p) *
          (Math.abs(h[(m - 1) * n + m - 1]) + Math.abs(z) + Math.abs(h[(m + 1) * n + m + 1])));
      if (lhs < rhs) break;
    }
    for (let i = m + 2; i <= en; i++) {
      h[i * n + i - 2] = 0;
      if (i > m + 2) h[i * n + i - 3] = 0;
    }
    doubleStep(h, n, l, m, en, p, q, r, full, zt);
  }
}

/** Deflates the 2×2 block at rows en−1, en: a complex pair, or two reals split into 1×1 blocks. */
function deflatePair(
  h: Float64Array,
  n: number,
  en: number,
  exshift: number,
  wr: Float64Array,
  wi: Float64Array,
  zt: Float64Array | null,
): void {
  const e1 = en - 1;
  const w = h[en * n + e1] * h[e1 * n + en];
  let p = (h[e1 * n + e1] - h[en * n + en]) / 2;
  let q = p * p + w;
  let z = Math.sqrt(Math.abs(q));
  h[en * n + en] += exshift;
  h[e1 * n + e1] += exshift;
  const x = h[en * n + en];
  if (q < 0) {
    wr[e1] = x + p;
    wr[en] = x + p;
    wi[e1] = z;
    wi[en] = -z;
    return;
  }
  // Real pair: z is the root of larger magnitude (no cancellation), the other from the product.
  z = p >= 0 ? p + z : p - z;
  wr[e1] = x + z;
  wr[en] = z !== 0 ? x - w / z : x + z;
  wi[e1] = 0;
  wi[en] = 0;
  if (!zt) return;
  // Rotate the block to upper triangular form so T is truly quasi-triangular.
  const hx = h[en * n + e1];
  const s = Math.abs(hx) + Math.abs(z);
  p = hx / s;
  q = z / s;
  const rr = Math.sqrt(p * p + q * q);
  p /= rr;
  q /= rr;
  for (let j = e1; j < n; j++) {
    const t = h[e1 * n + j];
    h[e1 * n + j] = q * t + p * h[en * n + j];
    h[en * n + j] = q * h[en * n + j] - p * t;
  }
  for (let i = 0; i <= en; i++) {
    const t = h[i * n + e1];
    h[i * n + e1] = q * t + p * h[i * n + en];
    h[i * n + en] = q * h[i * n + en] - p * t;
  }
  h[en * n + e1] = 0;
  const r0 = e1 * n;
  const r1 = en * n;
  for (let c = 0; c < n; c++) {
    const t = zt[r0 + c];
    zt[r0 + c] = q * t + p * zt[r1 + c];
    zt[r1 + c] = q * zt[r1 + c] - p * t;
  }
}

/**
 * One implicit double-shift step on rows/columns m..en: chases a 3×3 Householder bulge from
 * (p, q, r) down the subdiagonal. Row updates reach column n−1 and column updates start at row 0
 * when the full Schur form is wanted; otherwise both stay inside the active window l..en.
 */
function doubleStep(
  h: Float64Array,
  n: number,
  l: number,
  m: number,
  en: number,
  p: number,
  q: number,
  r: number,
  full: boolean,
  zt: Float64Array | null,
): void {
  const jEnd = full ? n - 1 : en;
  const iBeg = full ? 0 : l;
  for (let k = m; k <= en - 1; k++) {
    const notLast = k !== en - 1;
    let x = 0;
    if (k !== m) {
      p = h[k * n + k - 1];
      q = h[(k + 1) * n + k - 1];
      r = notLast ? h[(k + 2) * n + k - 1] : 0;
      x = Math.abs(p) + Math.abs(q) + Math.abs(r);
      if (x === 0) continue;
      p /= x;
      q /= x;
      r /= x;
    }
    let s = Math.sqrt(p * p + q * q + r * r);
    if (p < 0) s = -s;
    if (s === 0) continue;
    if (k !== m) h[k * n + k - 1] = -s * x;
    else if (l !== m) h[k * n + k - 1] = -h[k * n + k - 1];
    p += s;
    x = p / s;
    const y = q / s;
    const z = r / s;
    q /= p;
    r /= p;
    const rk = k * n;
    const rk1 = rk + n;
    const rk2 = rk1 + n;
    if (notLast) {
      for (let j = k; j <= jEnd; j++) {
        const t = h[rk + j] + q * h[rk1 + j] + r * h[rk2 + j];
        h[rk + j] -= t * x;
        h[rk1 + j] -= t * y;
        h[rk2 + j] -= t * z;
      }
    } else {
      for (let j = k; j <= jEnd; j++) {
        const t = h[rk + j] + q * h[rk1 + j];
        h[rk + j] -= t * x;
        h[rk1 + j] -= t * y;
      }
    }
    const iEnd = Math.min(en, k + 3);
    for (let i = iBeg; i <= iEnd; i++) {
      const ri = i * n;
      let t = x * h[ri + k] + y * h[ri + k + 1];
      if (notLast) {
        t += z * h[ri + k + 2];
        h[ri + k + 2] -= t * r;
      }
      h[ri + k] -= t;
      h[ri + k + 1] -= t * q;
    }
    if (zt) {
      // Same reflector applied to the columns of Z, i.e. to rows k..k+2 of Zᵀ.
      for (let c = 0; c < n; c++) {
        let t = x * zt[rk + c] + y * zt[rk1 + c];
        if (notLast) {
          t += z * zt[rk2 + c];
          zt[rk2 + c] -= t * r;
        }
        zt[rk + c] -= t;
        zt[rk1 + c] -= t * q;
      }
    }
  }
}
