/**
 * Eigenvectors of a real quasi-upper-triangular Schur factor T by back-substitution (the
 * approach of EISPACK hqr2 and LAPACK trevc): for eigenvalue λ at position k, solve
 * (T − λI)·x = 0 with x_k fixed and x_j = 0 below, walking up through 1×1 and 2×2 blocks.
 */

const EPS = Number.EPSILON;

// Scratch for the 2×2 complex solve and complex division (results returned through it).
const out = new Float64Array(4);

/** out[0..1] ← (ar + i·ai) / (br + i·bi), Smith's algorithm (no needless overflow). */
function cdiv(ar: number, ai: number, br: number, bi: number): void {
  if (Math.abs(br) >= Math.abs(bi)) {
    const r = bi / br;
    const d = br + r * bi;
    out[0] = (ar + r * ai) / d;
    out[1] = (ai - r * ar) / d;
  } else {
    const r = br / bi;
    const d = bi + r * br;
    out[0] = (r * ar + ai) / d;
    out[1] = (r * ai - ar) / d;
  }
}

/**
 * Solves [[a − λ, b], [c, d − λ]]·(x1, x2) = (r1, r2) for complex λ = lr + i·li and complex r,
 * by Gaussian elimination with partial pivoting; a zero pivot is replaced by `small` (the
 * usual perturbation for (nearly) repeated eigenvalues). Result in out[0..3] = x1r, x1i, x2r, x2i.
 */
function solve2(
  a: number,
  b: number,
  c: number,
  d: number,
  lr: number,
  li: number,
  r1r: number,
  r1i: number,
  r2r: number,
  r2i: number,
  small: number,
): void {
  const m11r = a - lr,
    m11i = -li,
    m22r = d - lr,
    m22i = -li;
  if (Math.abs(c) > Math.hypot(m11r, m11i)) {
    // Pivot on the second equation: [[c, d − λ], [a − λ, b]]·(x1, x2) = (r2, r1).
    finish(c, 0, m22r, m22i, m11r, m11i, b, 0, r2r, r2i, r1r, r1i, small);
  } else {
    finish(m11r, m11i, b, 0, c, 0, m22r, m22i, r1r, r1i, r2r, r2i, small);
  }
}

/** Elimination on a pivoted 2×2 complex system [[p, q], [u, v]]·x = (s1, s2). */
function finish(
  pr: number,
  pi: number,
  qr: number,
  qi: number,
  ur: number,
  ui: number,
  vr: number,
  vi: number,
  s1r: number,
  s1i: number,
  s2r: number,
  s2i: number,
  small: number,
): void {
  if (pr === 0 && pi === 0) pr = small;
  cdiv(ur, ui, pr, pi);
  const lr = out[0],
    li = out[1];
  let dr = vr - (lr * qr - li * qi);
  const di = vi - (lr * qi + li * qr);
  if (dr === 0 && di === 0) dr = small;
  const tr = s2r - (lr * s1r - li * s1i);
  const ti = s2i - (lr * s1i + li * s1r);
  cdiv(tr, ti, dr, di);
  const x2r = out[0],
    x2i = out[1];
  cdiv(s1r - (qr * x2r - qi * x2i), s1i - (qr * x2i + qi * x2r), pr, pi);
  out[2] = x2r;
  out[3] = x2i;
}

/** −Σ_{j=i+1}^{k} t[i][j]·x[j] for row i of t. */
function negRowDot(
  t: Float64Array,
  n: number,
  i: number,
  k: number,
  x: Float64Array,
  xOff: number,
): number {
  const ri = i * n;
  let s0 = 0,
    s1 = 0;
  let j = i + 1;
  for (; j + 1 <= k; j += 2) {
    s0 += t[ri + j] * x[xOff + j];
    s1 += t[ri + j + 1] * x[xOff + j + 1];
  }
  if (j <= k) s0 += t[ri + j] * x[xOff + j];
  return -(s0 + s1);
}

/** Rescales x[from..to] (and its imaginary part) when it nears overflow, as hqr2 does. */
function guardOverflow(
  x: Float64Array,
  xr: number,
  xi: number,
  from: number,
  to: number,
  t: number,
): void {
  if (EPS * t * t <= 1) return;
  for (let j = from; j <= to; j++) {
    x[xr + j] /= t;
    if (xi >= 0) x[xi + j] /= t;
  }
}

/**
 * Returns Xt (n×n, row-major) whose rows hold the eigenvectors of T: for a real eigenvalue at k,
 * row k is x with x_k = 1 and x_j = 0 for j > k; for a complex pair at (k, k+1) with wi[k] > 0,
 * rows k and k+1 are the real and imaginary parts of the eigenvector of wr[k] + i·wi[k].
 * T must be in the form `francisQr` leaves it: 2×2 blocks only where wi ≠ 0.
 */
export function schurVectors(
  t: Float64Array,
  n: number,
  wr: Float64Array,
  wi: Float64Array,
): Float64Array {
  let tnorm = 0;
  for (let i = 0; i < n; i++)
    for (let j = Math.max(i - 1, 0); j < n; j++) tnorm += Math.abs(t[i * n + j]);
  const small = tnorm > 0 ? EPS * tnorm : EPS;
  const xt = new Float64Array(n * n);
  for (let k = n - 1; k >= 0; k--) {
    if (wi[k] < 0) continue; // second member of a pair: built together with the first
    if (wi[k] === 0) realVector(t, n, k, wr[k], wi, xt, small);
    else complexVector(t, n, k, wr[k], wi[k], wi, xt, small);
  }
  return xt;
}

function realVector(
  t: Float64Array,
  n: number,
  k: number,
  lam: number,
  wi: Float64Array,
  xt: Float64Array,
  small: number,
): void {
  const xo = k * n;
  xt[xo + k] = 1;
  let i = k - 1;
  while (i >= 0) {
    if (wi[i] < 0) {
      // 2×2 block on rows i−1, i (a complex pair of T, not of λ): a real 2×2 solve.
      const i0 = i - 1;
      const r1 = negRowDot(t, n, i0, k, xt, xo);
      const r2 = negRowDot(t, n, i, k, xt, xo);
      solve2(
        t[i0 * n + i0],
        t[i0 * n + i],
        t[i * n + i0],
        t[i * n + i],
        lam,
        0,
        r1,
        0,
        r2,
        0,
        small,
      );
      xt[xo + i0] = out[0];
      xt[xo + i] = out[2];
      guardOverflow(xt, xo, -1, i0, k, Math.max(Math.abs(out[0]), Math.abs(out[2])));
      i -= 2;
    } else {
      const r = negRowDot(t, n, i, k, xt, xo);
      let den = t[i * n + i] - lam;
      if (den === 0) den = small;
      xt[xo + i] = r / den;
      guardOverflow(xt, xo, -1, i, k, Math.abs(xt[xo + i]));
      i -= 1;
    }
  }
}

function complexVector(
  t: Float64Array,
  n: number,
  k: number,
  lr: number,
  li: number,
  wi: Float64Array,
  xt: Float64Array,
  small: number,
): void {
  const xr = k * n;
  const xi = xr + n;
  const k1 = k + 1;
  const a = t[k * n + k],
    b = t[k * n + k1],
    c = t[k1 * n + k],
    d = t[k1 * n + k1];
  // Pick the row of the 2×2 block with the larger off-diagonal entry to fix the last two
  // components; (a − λ)x_k + b·x_{k+1} = 0 (or the second row) then holds to rounding.
  if (Math.abs(b) >= Math.abs(c)) {
    xt[xr + k] = 1;
    xt[xr + k1] = (lr - a) / b;
    xt[xi + k1] = li / b;
  } else {
    xt[xr + k1] = 1;
    xt[xr + k] = (lr - d) / c;
    xt[xi + k] = li / c;
  }
  let i = k - 1;
  while (i >= 0) {
    if (wi[i] < 0) {
      const i0 = i - 1;
      const r1r = negRowDot(t, n, i0, k1, xt, xr),
        r1i = negRowDot(t, n, i0, k1, xt, xi);
      const r2r = negRowDot(t, n, i, k1, xt, xr),
        r2i = negRowDot(t, n, i, k1, xt, xi);
      solve2(
        t[i0 * n + i0],
        t[i0 * n + i],
        t[i * n + i0],
        t[i * n + i],
        lr,
        li,
        r1r,
        r1i,
        r2r,
        r2i,
        small,
      );
      xt[xr + i0] = out[0];
      xt[xi + i0] = out[1];
      xt[xr + i] = out[2];
      xt[xi + i] = out[3];
      const m = Math.max(Math.abs(out[0]), Math.abs(out[1]), Math.abs(out[2]), Math.abs(out[3]));
      guardOverflow(xt, xr, xi, i0, k1, m);
      i -= 2;
    } else {
      const rr = negRowDot(t, n, i, k1, xt, xr);
      const ri = negRowDot(t, n, i, k1, xt, xi);
      cdiv(rr, ri, t[i * n + i] - lr, -li);
      xt[xr + i] = out[0];
      xt[xi + i] = out[1];
      guardOverflow(xt, xr, xi, i, k1, Math.max(Math.abs(out[0]), Math.abs(out[1])));
      i -= 1;
    }
  }
}
