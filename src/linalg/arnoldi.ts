/**
 * A few leading eigenvalues (and eigenvectors) of a large real n×n operator known only through
 * `matvec`, by the Krylov–Schur method (Stewart, SIAM J. Matrix Anal. Appl. 23, 2001).
 *
 * An Arnoldi factorisation A·V = V·H + f·eₘᵀ (orthonormal V, n×m) is grown to m vectors; H is
 * brought to real Schur form H = Z·T·Zᵀ, the Schur form is reordered so the Ritz values wanted
 * come first, and the factorisation is truncated to its leading p Schur vectors,
 * A·(V·Z₁) = (V·Z₁)·T₁₁ + f·bᵀ, from which Arnoldi grows again. Unlike implicit restarts with
 * shifted QR steps, the truncation uses only orthogonal transformations of a Schur form, so the
 * factorisation stays exact to rounding and converged Ritz values cannot be disturbed.
 */
import { RnnscopeError } from '../errors.js';
import { createRng } from '../random/index.js';
import type { EigResult } from './backend.js';
import type { Matrix } from './matrix.js';
import { eig as denseEig } from './ts/eig.js';
import { schurVectors } from './ts/eigvec.js';
import { gemm, gemv } from './ts/gemm.js';
import { hessenberg } from './ts/hessenberg.js';
import { normalizeComplex } from './ts/phase.js';
import { francisQr } from './ts/schur.js';
import { sortEig } from './ts/sort.js';

export interface EigsOptions {
  /** Number of eigenvalues wanted (1 ≤ k < n). */
  k: number;
  /** 'LM' (default): largest modulus, for maps; 'LR': largest real part, for flows. */
  which?: 'LM' | 'LR';
  /** Ritz pair accepted when ‖A·x − λ·x‖ ≤ tol·|λ| for unit x (default 1e-12). */
  tol?: number;
  /** Restarts before giving up with NOT_CONVERGED (default 1000). */
  maxRestarts?: number;
  /** Krylov subspace dimension m (default min(n, max(3k, 40))). */
  subspace?: number;
  /** Seed of the deterministic random start vector (default 0). */
  seed?: number | string;
  /** Eigenvectors too (default true). */
  vectors?: boolean;
}

export interface EigsResult {
  /**
   * The leading eigenvalues, in descending order of |λ| ('LM') or Re λ ('LR'); conjugate pairs
   * adjacent with +im first. k of them, or k + 1 when the k-th opens a conjugate pair: pairs are
   * never split.
   */
  re: Float64Array;
  im: Float64Array;
  /** n×count eigenvectors (columns), unit norm, phase convention of `eig`. */
  vectors?: { re: Matrix; im: Matrix };
  /** Residual norms ‖A·x − λ·x‖ of the unit Ritz vectors. */
  residuals: Float64Array;
  /** How many of the returned pairs meet the tolerance (all of them on success). */
  converged: number;
  /** Restarts performed. */
  iterations: number;
  /** Products with A. */
  matvecs: number;
}

/** NOT_CONVERGED from `eigs`, carrying the best Ritz pairs found (`partial.converged` < count). */
export class EigsNotConvergedError extends RnnscopeError {
  constructor(
    message: string,
    readonly partial: EigsResult,
  ) {
    super('NOT_CONVERGED', message);
  }
}

const EPS = Number.EPSILON;

/**
 * The k leading eigenpairs of the operator x ↦ A·x.
 * @example
 *   // spectral radius of a 3000×3000 Jacobian without forming its full spectrum
 *   const r = eigs(3000, (x, out) => gemv(false, 1, J, x, 0, out), { k: 10 });
 *   const radius = Math.hypot(r.re[0], r.im[0]);
 */
export function eigs(
  n: number,
  matvec: (x: Float64Array, out: Float64Array) => void,
  options: EigsOptions,
): EigsResult {
  const { k } = options;
  const which = options.which ?? 'LM';
  const tol = options.tol ?? 1e-12;
  const maxRestarts = options.maxRestarts ?? 1000;
  const wantVectors = options.vectors !== false;
  if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(k) && k >= 1 && k < n))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `eigs needs integers 1 ≤ k < n, got k = ${k}, n = ${n}`,
    );
  if (which !== 'LM' && which !== 'LR')
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `eigs: which must be 'LM' or 'LR', got ${String(which)}`,
    );
  // A roomier default than ARPACK's 2k + 1: on clustered spectra (the circular law of random
  // networks) it needs fewer products and misses fewer of the truly leading eigenvalues.
  const m = Math.min(n, options.subspace ?? Math.max(3 * k, 40));
  if (!(Number.isInteger(m) && m >= k + 2))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `eigs: subspace must be an integer ≥ k + 2, got ${m}`,
    );
  const key = (re: number, im: number): number => (which === 'LM' ? Math.hypot(re, im) : re);
  if (m >= n - 1) return dense(n, matvec, k, which, wantVectors);

  const vt = new Float64Array((m + 1) * n); // row j = basis vector v_j
  const hb = new Float64Array((m + 1) * m); // (m+1)×m projected matrix, row-major
  const w = new Float64Array(n);
  const coef = new Float64Array(m + 1);
  const rng = createRng(options.seed ?? 0);
  let matvecs = 0;
  randomUnit(vt.subarray(0, n), vt, 0, rng, n);
  let p = 0; // factorisation holds v_0..v_p and columns 0..p−1 of hb
  for (let iter = 0; ; iter++) {
    // Expansion: Arnoldi steps p..m−1 with classical Gram–Schmidt applied twice ("twice is enough").
    for (let j = p; j < m; j++) {
      matvec(vt.subarray(j * n, j * n + n), w);
      matvecs++;
      const before = norm(w);
      if (!Number.isFinite(before))
        throw new RnnscopeError('NON_FINITE', `eigs: matvec returned a non-finite vector`);
      orthogonalize(vt, j + 1, n, w, coef);
      for (let i = 0; i <= j; i++) hb[i * m + j] = coef[i];
      const beta = norm(w);
      if (!(beta > 1e-12 * before)) {
        // Invariant subspace: continue from a fresh direction orthogonal to it (H stays exact).
        randomUnit(w, vt, j + 1, rng, n);
        hb[(j + 1) * m + j] = 0;
        vt.set(w, (j + 1) * n);
        continue;
      }
      hb[(j + 1) * m + j] = beta;
      for (let i = 0; i < n; i++) vt[(j + 1) * n + i] = w[i] / beta;
    }

    // Ordered real Schur form of the m×m projection: H = Z·T·Zᵀ, blocks by descending key.
    const t = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) t[i * m + j] = hb[i * m + j];
    const z = schurOrdered(t, m, key);
    const beta = hb[m * m + m - 1];
    const b = new Float64Array(m); // residual row: f·bᵀ with f = v_m
    for (let j = 0; j < m; j++) b[j] = beta * z[(m - 1) * m + j];
    const wanted = blockEnd(t, m, k);
    const ritz = ritzPairs(t, m, b, wanted);
    let converged = 0;
    for (let i = 0; i < wanted; i++) {
      const lam = Math.hypot(ritz.re[i], ritz.im[i]);
      if (ritz.residuals[i] <= tol * Math.max(lam, EPS ** (2 / 3) * ritz.scale)) converged++;
    }
    const done = converged === wanted;
    if (done || iter >= maxRestarts) {
      const result: EigsResult = {
        re: ritz.re,
        im: ritz.im,
        residuals: ritz.residuals,
        converged,
        iterations: iter,
        matvecs,
      };
      if (wantVectors) result.vectors = ritzVectors(vt, n, m, z, ritz.coef, ritz.im);
      if (done) return result;
      throw new EigsNotConvergedError(
        `eigs: ${converged} of ${wanted} Ritz pairs converged after ${iter} restarts (tol ${tol}); ` +
          'raise maxRestarts or subspace, or loosen tol (the partial result is in error.partial)',
        result,
      );
    }

    // Truncation to the leading p Schur vectors (more than wanted, to keep some of the
    // information about the next ones, as ARPACK does), never splitting a 2×2 block.
    p = blockEnd(t, m, Math.min(m - 2, wanted + Math.max(1, Math.floor((m - wanted) / 2))));
    const z1: Matrix = { rows: m, cols: p, data: new Float64Array(m * p) };
    for (let j = 0; j < m; j++) for (let c = 0; c < p; c++) z1.data[j * p + c] = z[j * m + c];
    const vNew: Matrix = { rows: p, cols: n, data: new Float64Array(p * n) };
    gemm(true, false, 1, z1, { rows: m, cols: n, data: vt.subarray(0, m * n) }, 0, vNew);
    vt.copyWithin(p * n, m * n, m * n + n);
    vt.set(vNew.data, 0);
    hb.fill(0);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) hb[i * m + j] = t[i * m + j];
    for (let j = 0; j < p; j++) hb[p * m + j] = b[j];
  }
}

function norm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** w ← (I − V·Vᵀ)²·w over the first `count` rows of vt; coef ← the total projection Vᵀ·w. */
function orthogonalize(
  vt: Float64Array,
  count: number,
  n: number,
  w: Float64Array,
  coef: Float64Array,
): void {
  coef.fill(0);
  if (count === 0) return;
  const V: Matrix = { rows: count, cols: n, data: vt.subarray(0, count * n) };
  const h = coef.subarray(0, count);
  const h2 = new Float64Array(count);
  for (let pass = 0; pass < 2; pass++) {
    gemv(false, 1, V, w, 0, h2);
    gemv(true, -1, V, h2, 1, w);
    for (let j = 0; j < count; j++) h[j] += h2[j];
  }
}

/** out ← a random unit vector orthogonal to the first `count` rows of vt. */
function randomUnit(
  out: Float64Array,
  vt: Float64Array,
  count: number,
  rng: ReturnType<typeof createRng>,
  n: number,
): void {
  const scratch = new Float64Array(count + 1);
  for (;;) {
    for (let i = 0; i < n; i++) out[i] = rng.normal();
    orthogonalize(vt, count, n, out, scratch);
    const s = norm(out);
    if (s > 1e-8) {
      for (let i = 0; i < n; i++) out[i] /= s;
      return;
    }
  }
}

/** The smallest block boundary ≥ count (a 2×2 block of T is not split). */
function blockEnd(t: Float64Array, m: number, count: number): number {
  return count < m && t[count * m + count - 1] !== 0 ? count + 1 : count;
}

/**
 * Real Schur form of the m×m t in place, reordered by descending key of the diagonal blocks;
 * returns Z (m×m, row-major) with H = Z·T·Zᵀ. Complex pairs stay 2×2 blocks; real pairs are 1×1.
 */
function schurOrdered(
  t: Float64Array,
  m: number,
  key: (re: number, im: number) => number,
): Float64Array {
  const qt = hessenberg(t, m, true)!;
  const wr = new Float64Array(m);
  const wi = new Float64Array(m);
  francisQr(t, m, wr, wi, qt); // qt now holds Zᵀ
  const z = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) z[i * m + j] = qt[j * m + i];
  // Exact zeros below the blocks (the iteration leaves rounding-level entries where it
  // deflated), so block boundaries can be read off the subdiagonal from here on.
  for (let i = 0; i < m; i++) for (let j = 0; j + 1 < i; j++) t[i * m + j] = 0;
  for (let i = 1; i < m; i++) if (!(wi[i - 1] > 0)) t[i * m + i - 1] = 0;
  // Insertion sort of blocks by adjacent swaps; keys are carried, not recomputed, so rounding in
  // a swap can never reorder two blocks twice.
  const starts: number[] = [];
  const keys: number[] = [];
  for (let i = 0; i < m; i += wi[i] !== 0 ? 2 : 1) {
    starts.push(i);
    keys.push(key(wr[i], wi[i]));
  }
  const size = (b: number): number => (b + 1 < starts.length ? starts[b + 1] : m) - starts[b];
  for (let b = 1; b < starts.length; b++) {
    for (let c = b; c > 0 && keys[c] > keys[c - 1]; c--) {
      const p = size(c - 1);
      const q = size(c);
      if (!swapBlocks(t, z, m, starts[c - 1], p, q)) break; // nearly equal: leave the order
      starts[c] = starts[c - 1] + q;
      [keys[c], keys[c - 1]] = [keys[c - 1], keys[c]];
    }
  }
  return z;
}

/**
 * Swaps the adjacent diagonal blocks A₁₁ (p×p at j) and A₂₂ (q×q at j+p) of the quasi-triangular
 * t by an orthogonal similarity Qᵀ·T·Q (Bai & Demmel's direct swap, as LAPACK's dlaexc; z
 * accumulates Q on its columns). Two 1×1 blocks are exchanged by a rotation; otherwise
 * A₁₁X − XA₂₂ = A₁₂ is solved, the columns of [−X; I] span the invariant subspace of A₂₂, and Q
 * is the orthogonal factor of that basis. Returns false, changing nothing, when the swap would
 * be inaccurate (nearly equal eigenvalues in the two blocks).
 */
function swapBlocks(
  t: Float64Array,
  z: Float64Array,
  m: number,
  j: number,
  p: number,
  q: number,
): boolean {
  const len = p + q;
  let Q: Float64Array; // len×len
  if (p === 1 && q === 1) {
    const g = t[(j + 1) * m + j + 1] - t[j * m + j];
    if (g === 0) return true; // equal eigenvalues: either order
    const f = t[j * m + j + 1];
    const r = Math.hypot(f, g);
    Q = Float64Array.of(f / r, -g / r, g / r, f / r);
  } else {
    const s = p * q;
    const K = new Float64Array(s * s);
    const x = new Float64Array(s);
    let scale = 0;
    for (let a = 0; a < p; a++) {
      for (let c = 0; c < q; c++) {
        const r = a * q + c;
        for (let e = 0; e < p; e++) K[r * s + e * q + c] += t[(j + a) * m + j + e];
        for (let d = 0; d < q; d++) K[r * s + a * q + d] -= t[(j + p + d) * m + j + p + c];
        x[r] = t[(j + a) * m + j + p + c];
        scale = Math.max(scale, Math.abs(x[r]));
      }
    }
    solveSmall(K, x, s, scale);
    if (!(Math.max(...x.map(Math.abs)) * EPS < 1)) return false;
    // Q from a Householder QR of [−X; I] (len×q), accumulated explicitly (len ≤ 4).
    const basis = new Float64Array(len * q);
    for (let a = 0; a < p; a++) for (let c = 0; c < q; c++) basis[a * q + c] = -x[a * q + c];
    for (let c = 0; c < q; c++) basis[(p + c) * q + c] = 1;
    Q = new Float64Array(len * len);
    for (let i = 0; i < len; i++) Q[i * len + i] = 1;
    for (let c = 0; c < q; c++) {
      const alpha = basis[c * q + c];
      let ss = 0;
      for (let i = c + 1; i < len; i++) ss += basis[i * q + c] ** 2;
      if (ss === 0) continue;
      const beta = -(alpha >= 0 ? 1 : -1) * Math.sqrt(alpha * alpha + ss);
      const v = new Float64Array(len);
      v[c] = 1;
      for (let i = c + 1; i < len; i++) v[i] = basis[i * q + c] / (alpha - beta);
      const tau = (beta - alpha) / beta;
      for (let cc = c; cc < q; cc++) {
        let d = 0;
        for (let i = c; i < len; i++) d += v[i] * basis[i * q + cc];
        for (let i = c; i < len; i++) basis[i * q + cc] -= tau * d * v[i];
      }
      for (let row = 0; row < len; row++) {
        let d = 0;
        for (let i = c; i < len; i++) d += Q[row * len + i] * v[i];
        for (let i = c; i < len; i++) Q[row * len + i] -= tau * d * v[i];
      }
    }
  }
  // Accept only if Qᵀ·B·Q has a negligible block below its new diagonal blocks.
  let bmax = 0;
  let low = 0;
  for (let i = 0; i < len; i++)
    for (let c = 0; c < len; c++) bmax = Math.max(bmax, Math.abs(t[(j + i) * m + j + c]));
  for (let i = q; i < len; i++) {
    for (let c = 0; c < q; c++) {
      let v = 0;
      for (let a = 0; a < len; a++)
        for (let b = 0; b < len; b++) v += Q[a * len + i] * t[(j + a) * m + j + b] * Q[b * len + c];
      low = Math.max(low, Math.abs(v));
    }
  }
  if (!(low <= 10 * EPS * bmax)) return false;
  const tmp = new Float64Array(len);
  for (let col = 0; col < m; col++) {
    for (let i = 0; i < len; i++) {
      let v = 0;
      for (let a = 0; a < len; a++) v += Q[a * len + i] * t[(j + a) * m + col];
      tmp[i] = v;
    }
    for (let i = 0; i < len; i++) t[(j + i) * m + col] = tmp[i];
  }
  for (const M of [t, z]) {
    for (let row = 0; row < m; row++) {
      for (let i = 0; i < len; i++) {
        let v = 0;
        for (let a = 0; a < len; a++) v += M[row * m + j + a] * Q[a * len + i];
        tmp[i] = v;
      }
      for (let i = 0; i < len; i++) M[row * m + j + i] = tmp[i];
    }
  }
  // The block below the new diagonal blocks is zero up to rounding: make it exactly zero.
  for (let i = q; i < len; i++) for (let c = 0; c < q; c++) t[(j + i) * m + j + c] = 0;
  standardize(t, z, m, j, q);
  standardize(t, z, m, j + q, p);
  return true;
}

/**
 * Gaussian elimination with partial pivoting on an s×s system (s ≤ 4); a pivot below
 * eps·max(|K|, |rhs|) is raised to that (nearly equal eigenvalues), so the solution stays finite.
 */
function solveSmall(K: Float64Array, x: Float64Array, s: number, rhsScale: number): void {
  let scale = rhsScale;
  for (let i = 0; i < s * s; i++) scale = Math.max(scale, Math.abs(K[i]));
  const small = Math.max(EPS * scale, 2 ** -1022);
  for (let c = 0; c < s; c++) {
    let piv = c;
    for (let r = c + 1; r < s; r++) if (Math.abs(K[r * s + c]) > Math.abs(K[piv * s + c])) piv = r;
    if (piv !== c) {
      for (let e = 0; e < s; e++) [K[c * s + e], K[piv * s + e]] = [K[piv * s + e], K[c * s + e]];
      [x[c], x[piv]] = [x[piv], x[c]];
    }
    if (Math.abs(K[c * s + c]) < small) K[c * s + c] = small;
    for (let r = c + 1; r < s; r++) {
      const f = K[r * s + c] / K[c * s + c];
      for (let e = c; e < s; e++) K[r * s + e] -= f * K[c * s + e];
      x[r] -= f * x[c];
    }
  }
  for (let c = s - 1; c >= 0; c--) {
    let v = x[c];
    for (let e = c + 1; e < s; e++) v -= K[c * s + e] * x[e];
    x[c] = v / K[c * s + c];
  }
}

/**
 * A 2×2 block at j whose eigenvalues have become real (a pair that was nearly real) is split into
 * two 1×1 blocks by a rotation, so 2×2 blocks always mean complex pairs.
 */
function standardize(t: Float64Array, z: Float64Array, m: number, j: number, size: number): void {
  if (size !== 2) return;
  const a = t[j * m + j],
    b = t[j * m + j + 1],
    c = t[(j + 1) * m + j],
    d = t[(j + 1) * m + j + 1];
  const half = (a - d) / 2;
  const disc = half * half + b * c;
  if (disc < 0 && c !== 0) return;
  // Eigenvector (λ − d, c) of the real eigenvalue λ of larger |λ − d| gives the rotation.
  const lam = d + half + (half >= 0 ? 1 : -1) * Math.sqrt(Math.max(disc, 0));
  let cs = lam - d;
  let sn = c;
  if (cs === 0 && sn === 0) cs = 1;
  const r = Math.hypot(cs, sn);
  cs /= r;
  sn /= r;
  for (let col = 0; col < m; col++) {
    const u = t[j * m + col],
      v = t[(j + 1) * m + col];
    t[j * m + col] = cs * u + sn * v;
    t[(j + 1) * m + col] = cs * v - sn * u;
  }
  for (let row = 0; row < m; row++) {
    for (const M of [t, z]) {
      const u = M[row * m + j],
        v = M[row * m + j + 1];
      M[row * m + j] = cs * u + sn * v;
      M[row * m + j + 1] = cs * v - sn * u;
    }
  }
  t[(j + 1) * m + j] = 0;
}

/**
 * Ritz values of the leading `count` × `count` block of the ordered T, their eigenvectors y
 * (coef: count×count, row i = y_i, a pair as Re/Im rows) and residual norms |bᵀ·y|/‖y‖.
 */
function ritzPairs(t: Float64Array, m: number, b: Float64Array, count: number) {
  const lead = new Float64Array(count * count);
  for (let i = 0; i < count; i++)
    for (let j = 0; j < count; j++) lead[i * count + j] = t[i * m + j];
  const re = new Float64Array(count);
  const im = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    re[i] = lead[i * count + i];
    if (i + 1 < count && lead[(i + 1) * count + i] !== 0) {
      const a = lead[i * count + i],
        bb = lead[i * count + i + 1];
      const c = lead[(i + 1) * count + i],
        d = lead[(i + 1) * count + i + 1];
      const half = (a - d) / 2;
      const mu = (a + d) / 2;
      const nu = Math.sqrt(Math.max(-(half * half + bb * c), 0));
      re[i] = re[i + 1] = mu;
      im[i] = nu;
      im[i + 1] = -nu;
      i++;
    }
  }
  const coef = schurVectors(lead, count, re, im);
  const residuals = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const pair = im[i] !== 0;
    const r0 = im[i] < 0 ? i - 1 : i; // rows r0 (Re) and r0+1 (Im) for a pair
    let dr = 0,
      di = 0,
      nn = 0;
    for (let j = 0; j < count; j++) {
      const yr = coef[r0 * count + j];
      const yi = pair ? coef[(r0 + 1) * count + j] : 0;
      dr += b[j] * yr;
      di += b[j] * yi;
      nn += yr * yr + yi * yi;
    }
    residuals[i] = Math.hypot(dr, di) / Math.sqrt(nn);
  }
  let scale = 0;
  for (let i = 0; i < m * m; i++) scale = Math.max(scale, Math.abs(t[i]));
  return { re, im, residuals, coef, scale };
}

/** Ritz vectors V·Z₁·y (n×count), normalised with the phase convention of `eig`. */
function ritzVectors(
  vt: Float64Array,
  n: number,
  m: number,
  z: Float64Array,
  coef: Float64Array,
  im: Float64Array,
) {
  const count = im.length;
  const c = new Float64Array(m * count); // Z₁·Yᵀ: column i = coefficients of vector i in V
  for (let j = 0; j < m; j++)
    for (let i = 0; i < count; i++) {
      let s = 0;
      for (let l = 0; l < count; l++) s += z[j * m + l] * coef[i * count + l];
      c[j * count + i] = s;
    }
  const basis = new Float64Array(n * count);
  for (let j = 0; j < m; j++)
    for (let i = 0; i < count; i++) {
      const s = c[j * count + i];
      if (s !== 0) for (let r = 0; r < n; r++) basis[r * count + i] += s * vt[j * n + r];
    }
  const vr = new Float64Array(n * count);
  const vi = new Float64Array(n * count);
  for (let i = 0; i < count; i++) {
    if (im[i] < 0) continue;
    for (let r = 0; r < n; r++) {
      vr[r * count + i] = basis[r * count + i];
      if (im[i] > 0) vi[r * count + i] = basis[r * count + i + 1];
    }
    normalizeComplex(vr, vi, i, count, n);
    if (im[i] > 0) {
      for (let r = 0; r < n; r++) {
        vr[r * count + i + 1] = vr[r * count + i];
        vi[r * count + i + 1] = 0 - vi[r * count + i];
      }
    }
  }
  return { re: { rows: n, cols: count, data: vr }, im: { rows: n, cols: count, data: vi } };
}

/** Small problems (m ≥ n − 1): form A column by column and take the dense eigendecomposition. */
function dense(
  n: number,
  matvec: (x: Float64Array, out: Float64Array) => void,
  k: number,
  which: 'LM' | 'LR',
  wantVectors: boolean,
): EigsResult {
  const A: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  const e = new Float64Array(n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    matvec(e, col);
    for (let i = 0; i < n; i++) A.data[i * n + j] = col[i];
  }
  const all: EigResult = sortEig(
    denseEig(A, { vectors: wantVectors }),
    which === 'LM' ? 'modulus' : 'real',
  );
  const count = all.im[k - 1] > 0 ? k + 1 : k;
  const cols = (M: Matrix): Matrix => {
    const d = new Float64Array(n * count);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < count; j++) d[i * count + j] = M.data[i * n + j];
    return { rows: n, cols: count, data: d };
  };
  const result: EigsResult = {
    re: all.re.slice(0, count),
    im: all.im.slice(0, count),
    residuals: new Float64Array(count), // exact up to the dense solver's ~eps·‖A‖
    converged: count,
    iterations: 0,
    matvecs: n,
  };
  if (all.vectors) result.vectors = { re: cols(all.vectors.re), im: cols(all.vectors.im) };
  return result;
}
