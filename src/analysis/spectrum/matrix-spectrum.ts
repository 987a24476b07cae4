/**
 * Spectral diagnostics of one square matrix (seed 004 §3.4 and §4): eigenvalues, spectral radius,
 * the eigenvalues outside the unit circle, Henrici's departure from normality (eq. 11) and the
 * largest eigenvalue of the symmetric part (eq. 13).
 */
import { RnnscopeError } from '../../errors.js';
import { eig, eigSym, firstNonFinite, sortEig, type Matrix } from '../../linalg/index.js';

/** A complex number as [re, im] (plain JSON). */
export type Complex = [number, number];

/** Default slack for "outside the unit circle": |λ| > 1 + 1e-9 (an orthogonal W stays inside). */
export const UNIT_CIRCLE_TOLERANCE = 1e-9;

export interface MatrixSpectrum {
  /** Matrix order n. */
  n: number;
  /** All n eigenvalues, by descending |λ| (conjugate pairs adjacent, +im first). */
  eigenvalues: Complex[];
  /** max |λ|. */
  spectralRadius: number;
  /** The eigenvalues with |λ| > 1 + tolerance, in the same order. */
  outsideUnitCircle: Complex[];
  /** ‖W‖_F. */
  frobeniusNorm: number;
  /** Henrici's departure from normality normalised by ‖W‖_F (seed 004 eq. 11), in [0, 1]. */
  henrici: number;
  /** Largest eigenvalue of (W + Wᵀ)/2 (seed 004 eq. 13). */
  symmetricPartMaxEig: number;
}

function checkSquare(W: Matrix, what: string): void {
  if (W.rows !== W.cols || W.rows === 0) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `${what} must be a non-empty square matrix, got ${W.rows}×${W.cols}`,
    );
  }
  const bad = firstNonFinite(W.data, W.rows * W.cols);
  if (bad >= 0) {
    throw new RnnscopeError(
      'NON_FINITE',
      `${what}[${Math.floor(bad / W.cols)}][${bad % W.cols}] is ${W.data[bad]}`,
    );
  }
}

/** Eigenvalues of a real square matrix as [re, im] pairs, by descending modulus. */
export function eigenvalues(W: Matrix): Complex[] {
  checkSquare(W, 'matrix');
  const { re, im } = sortEig(eig(W, { vectors: false }), 'modulus');
  return Array.from(re, (r, k): Complex => [r, im[k]]);
}

/** max |λ| over the eigenvalues of a square matrix. */
export function spectralRadius(W: Matrix): number {
  const { re, im } = eig(W, { vectors: false });
  let r = 0;
  for (let i = 0; i < re.length; i++) r = Math.max(r, Math.hypot(re[i], im[i]));
  return r;
}

/** ‖W‖_F, scaled so that entries near 1e±200 neither overflow nor underflow. */
export function frobeniusNorm(W: Matrix): number {
  let scale = 0;
  const n = W.rows * W.cols;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(W.data[i]));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = W.data[i] / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/**
 * Henrici's departure from normality, normalised as in seed 004 eq. 11:
 *
 *   d_F(W) = √(‖W‖_F² − Σᵢ |λᵢ|²) / ‖W‖_F.
 *
 * Schur's inequality Σ|λᵢ|² ≤ ‖W‖_F² (equality iff W is normal) makes the radicand ≥ 0; rounding
 * can push it a few ulps below zero for a normal W, which is reported as 0. Returns 0 for W = 0.
 */
export function henrici(W: Matrix, eigs: ReadonlyArray<Complex> = eigenvalues(W)): number {
  const f = frobeniusNorm(W);
  if (f === 0) return 0;
  let s = 0;
  for (const [re, im] of eigs) s += (re / f) ** 2 + (im / f) ** 2;
  return Math.sqrt(Math.max(0, 1 - s));
}

/**
 * Largest eigenvalue of the symmetric part S = (W + Wᵀ)/2 (seed 004 eq. 13). It bounds the
 * instantaneous growth of the linear flow ḣ = (W − I)h: d‖h‖²/dt = 2hᵀ(S − I)h, so transiently
 * amplified trajectories exist iff λ_max(S) > 1 (seed 004 §4, after its ref. [37]).
 */
export function symmetricPartMaxEig(W: Matrix): number {
  checkSquare(W, 'matrix');
  const n = W.rows;
  const S: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) S.data[i * n + j] = 0.5 * (W.data[i * n + j] + W.data[j * n + i]);
  const { values } = eigSym(S, false);
  return values[n - 1];
}

/**
 * All the single-matrix diagnostics at once (one eigendecomposition).
 *
 * @param tolerance slack for `outsideUnitCircle`: |λ| > 1 + tolerance (default 1e-9).
 * @example
 * const s = matrixSpectrum(model.params.W);
 * s.outsideUnitCircle; // e.g. [[1.21, 0]] for a trained flip-flop
 */
export function matrixSpectrum(W: Matrix, tolerance = UNIT_CIRCLE_TOLERANCE): MatrixSpectrum {
  const eigs = eigenvalues(W);
  let radius = 0;
  const outside: Complex[] = [];
  for (const l of eigs) {
    const m = Math.hypot(l[0], l[1]);
    radius = Math.max(radius, m);
    if (m > 1 + tolerance) outside.push(l);
  }
  return {
    n: W.rows,
    eigenvalues: eigs,
    spectralRadius: radius,
    outsideUnitCircle: outside,
    frobeniusNorm: frobeniusNorm(W),
    henrici: henrici(W, eigs),
    symmetricPartMaxEig: symmetricPartMaxEig(W),
  };
}
