/**
 * Weight initialisers. Each takes the Rng explicitly and fills entries in row-major order, so a
 * seed fixes the matrix bit for bit.
 */
import { RnnscopeError } from '../errors.js';
import { qr, zeros, type Matrix } from '../linalg/index.js';
import type { Rng } from './rng.js';

function checkNonNegative(value: number, what: string): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `${what} must be a finite number ≥ 0, got ${value}`,
    );
  }
}

function checkUnits(N: number): void {
  if (!(Number.isInteger(N) && N >= 1)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `number of units must be a positive integer, got ${N}`,
    );
  }
}

/** rows×cols with i.i.d. entries N(0, std²). */
export function gaussianMatrix(rows: number, cols: number, std: number, rng: Rng): Matrix {
  checkNonNegative(std, 'std');
  const m = zeros(rows, cols);
  const d = m.data;
  for (let i = 0; i < d.length; i++) d[i] = rng.normal(0, std);
  return m;
}

/**
 * N×N recurrent matrix with W_ij ~ N(0, g²/N) (seeds 000/001). For large N its eigenvalues fill
 * the disc of radius g (circular law); g > 1 puts the rate network in the chaotic regime.
 */
export function recurrentGaussian(N: number, g: number, rng: Rng): Matrix {
  checkUnits(N);
  checkNonNegative(g, 'gain g');
  return gaussianMatrix(N, N, g / Math.sqrt(N), rng);
}

/**
 * Haar-random orthogonal N×N matrix times `gain` (Jarne, seed 004): A Gaussian, A = QR, then
 * Q·diag(sign Rᵢᵢ). Without the sign correction Q depends on the QR routine's sign convention
 * and is not Haar distributed (Mezzadri 2007). All singular values equal `gain`.
 */
export function orthogonal(N: number, rng: Rng, gain = 1): Matrix {
  checkUnits(N);
  if (!Number.isFinite(gain))
    throw new RnnscopeError('INVALID_ARGUMENT', `gain must be finite, got ${gain}`);
  const A = gaussianMatrix(N, N, 1, rng);
  const { Q, R } = qr(A);
  const out = zeros(N, N);
  for (let j = 0; j < N; j++) {
    const s = (R.data[j * R.cols + j] < 0 ? -1 : 1) * gain;
    for (let i = 0; i < N; i++) out.data[i * N + j] = s * Q.data[i * Q.cols + j];
  }
  return out;
}

/**
 * N×N sparse Gaussian matrix: each entry is nonzero with probability `density`, and nonzero
 * entries are N(0, g²/(density·N)). Every entry then has variance g²/N, so (circular law) the
 * spectral radius is ≈ g for large density·N, as for `recurrentGaussian`.
 */
export function sparseGaussian(N: number, density: number, g: number, rng: Rng): Matrix {
  checkUnits(N);
  checkNonNegative(g, 'gain g');
  if (!(density > 0 && density <= 1)) {
    throw new RnnscopeError('INVALID_ARGUMENT', `density must be in (0, 1], got ${density}`);
  }
  const std = g / Math.sqrt(density * N);
  const m = zeros(N, N);
  const d = m.data;
  for (let i = 0; i < d.length; i++) if (rng.bernoulli(density)) d[i] = rng.normal(0, std);
  return m;
}

/** rows×cols with i.i.d. entries uniform on [a, b). */
export function uniformMatrix(rows: number, cols: number, a: number, b: number, rng: Rng): Matrix {
  if (!(Number.isFinite(a) && Number.isFinite(b) && a <= b)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `uniformMatrix needs finite a ≤ b, got a=${a}, b=${b}`,
    );
  }
  const m = zeros(rows, cols);
  const d = m.data;
  for (let i = 0; i < d.length; i++) d[i] = rng.uniformRange(a, b);
  return m;
}

/** rows×cols of independent ±1 with equal probability (e.g. feedback or input weights). */
export function bernoulliSigns(rows: number, cols: number, rng: Rng): Matrix {
  const m = zeros(rows, cols);
  const d = m.data;
  // The top bit of a raw output is a fair coin.
  for (let i = 0; i < d.length; i++) d[i] = rng.nextUint32() >>> 31 ? 1 : -1;
  return m;
}
