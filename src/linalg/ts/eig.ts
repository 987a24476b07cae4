/**
 * General real eigendecomposition: balance → Hessenberg → Francis QR → back-substitution →
 * back-transformation, plus left eigenvectors from the inverse of the right-eigenvector matrix.
 */
import { RnnscopeError } from '../../errors.js';
import type { EigOptions, EigResult } from '../backend.js';
import type { Matrix } from '../matrix.js';
import { powerOfTwoScale, requireFinite, requireSquare } from './checks.js';
import { gemm } from './gemm.js';
import { balance, hessenberg } from './hessenberg.js';
import { lu, solveLu } from './lu.js';
import { normalizeComplex } from './phase.js';
import { francisQr } from './schur.js';
import { schurVectors } from './eigvec.js';

/**
 * Eigenvalues in the order they appear on the diagonal of the real Schur form (conjugate pairs
 * adjacent, +imaginary first). `vectors` (default true) adds right eigenvectors; `left` adds left
 * eigenvectors (yᴴA = λyᴴ) and implies the right ones, which are returned too. Every vector has
 * unit 2-norm and its first largest-modulus component real and positive; the vectors of a
 * conjugate pair are exact conjugates. Left vectors need a diagonalisable A: for a defective or
 * numerically defective A (right-eigenvector matrix W with cond₁(W) ≥ 1/(n·eps)) `left` throws
 * SINGULAR.
 */
export function eig(A: Matrix, options: EigOptions = {}): EigResult {
  const n = requireSquare(A, 'eig');
  requireFinite(A, 'eig');
  const wantLeft = options.left === true;
  const wantVectors = wantLeft || options.vectors !== false;
  // Work on A/2^k with max|entry| ≈ 1 (exact), so the iteration cannot over- or underflow.
  const s = powerOfTwoScale(A);
  const h = A.data.slice(0, n * n);
  if (s !== 1) for (let i = 0; i < n * n; i++) h[i] /= s;
  const scale = balance(h, n);
  const zt = hessenberg(h, n, wantVectors);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  francisQr(h, n, re, im, zt);
  const unscale = (): void => {
    if (s === 1) return;
    for (let k = 0; k < n; k++) {
      re[k] *= s;
      im[k] *= s;
    }
  };
  if (!wantVectors || !zt) {
    unscale();
    return { re, im };
  }

  // V = Z·X with Z = ztᵀ and X = xtᵀ; X is quasi-upper-triangular but one full GEMM is simpler
  // and, with the packed kernel, no slower than a triangular product written with strided loops.
  const xt = schurVectors(h, n, re, im);
  unscale();
  const V = { rows: n, cols: n, data: new Float64Array(n * n) };
  gemm(true, true, 1, { rows: n, cols: n, data: zt }, { rows: n, cols: n, data: xt }, 0, V);
  const v = V.data;
  for (let i = 0; i < n; i++) {
    const d = scale[i];
    if (d !== 1) for (let j = 0; j < n; j++) v[i * n + j] *= d;
  }
  const vectors = unpack(v, n, im, false);
  const result: EigResult = { re, im, vectors };
  if (wantLeft) result.leftVectors = leftFromRight(vectors.re.data, vectors.im.data, n, im);
  return result;
}

/**
 * Turns a real matrix holding one column per real eigenvector and (Re, Im) column pairs per
 * conjugate pair into separate normalised re/im matrices with explicit conjugates. With
 * `rows` true the vectors are read from rows instead of columns.
 */
function unpack(
  v: Float64Array,
  n: number,
  im: Float64Array,
  rows: boolean,
): { re: Matrix; im: Matrix } {
  const vr = new Float64Array(n * n);
  const vi = new Float64Array(n * n);
  const at = (i: number, k: number): number => (rows ? v[k * n + i] : v[i * n + k]);
  for (let k = 0; k < n; k++) {
    if (im[k] < 0) continue;
    if (im[k] === 0) {
      for (let i = 0; i < n; i++) vr[i * n + k] = at(i, k);
      normalizeComplex(vr, vi, k, n, n);
      continue;
    }
    for (let i = 0; i < n; i++) {
      vr[i * n + k] = at(i, k);
      vi[i * n + k] = at(i, k + 1);
    }
    normalizeComplex(vr, vi, k, n, n);
    for (let i = 0; i < n; i++) {
      vr[i * n + k + 1] = vr[i * n + k];
      vi[i * n + k + 1] = 0 - vi[i * n + k]; // 0 − x, not −x: no −0 entries
    }
  }
  return { re: { rows: n, cols: n, data: vr }, im: { rows: n, cols: n, data: vi } };
}

/**
 * Left eigenvectors from W⁻¹, where W is the real basis of right eigenvectors (Re and Im columns
 * for a pair). If A·W = W·D with D block diagonal, then W⁻¹·A = D·W⁻¹: a real row a gives the
 * left vector of a real λ; rows (a, b) of a pair give y = a + i·b for λ = μ + iν (ν > 0).
 */
function leftFromRight(
  vr: Float64Array,
  vi: Float64Array,
  n: number,
  im: Float64Array,
): { re: Matrix; im: Matrix } {
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      W[i * n + k] = im[k] < 0 ? vi[i * n + k - 1] : vr[i * n + k];
    }
  }
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  const defective = (): RnnscopeError =>
    new RnnscopeError(
      'SINGULAR',
      'eig: left eigenvectors need linearly independent right eigenvectors, but the matrix is (numerically) defective',
    );
  let winv: Float64Array;
  try {
    winv = solveLu(lu({ rows: n, cols: n, data: W }), { rows: n, cols: n, data: eye }).data;
  } catch (e) {
    if (e instanceof RnnscopeError && e.code === 'SINGULAR') throw defective();
    throw e;
  }
  // Back-substitution perturbs exact repeats, so a defective A gives a W that is singular only to
  // working precision; its inverse (and any "left vector" from it) is then noise.
  if (norm1(W, n) * norm1(winv, n) * n * Number.EPSILON >= 1) throw defective();
  return unpack(winv, n, im, true);
}

function norm1(a: Float64Array, n: number): number {
  let max = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(a[i * n + j]);
    max = Math.max(max, s);
  }
  return max;
}
