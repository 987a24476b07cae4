/**
 * Semantic checks of model parameters: shapes agree, numbers are finite, time constants are
 * positive. (File-format checks live in io/; this runs on every model however it was made.)
 */
import { RnnscopeError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { activation } from './activations.js';
import type { ModelKind, ModelParams, ModelSizes } from './types.js';

export const modelKinds: readonly ModelKind[] = ['rate', 'leaky-esn', 'ctrnn', 'rnn'];

/** N = W.rows, I = Win.cols (0 without Win), O = Wout.rows (0 without Wout). */
export function modelSizes(params: ModelParams): ModelSizes {
  return {
    units: params.W.rows,
    inputs: params.Win ? params.Win.cols : 0,
    outputs: params.Wout ? params.Wout.rows : 0,
  };
}

function describe(x: number): string {
  return Number.isNaN(x) ? 'NaN' : String(x);
}

function checkMatrixObject(m: unknown, name: string): asserts m is Matrix {
  const ok =
    typeof m === 'object' &&
    m !== null &&
    Number.isInteger((m as Matrix).rows) &&
    Number.isInteger((m as Matrix).cols) &&
    (m as Matrix).rows >= 0 &&
    (m as Matrix).cols >= 0 &&
    (m as Matrix).data instanceof Float64Array;
  if (!ok)
    throw new RnnscopeError(
      'INVALID_MODEL',
      `${name} must be a Matrix { rows, cols, data: Float64Array }`,
    );
  const { rows, cols, data } = m as Matrix;
  if (data.length < rows * cols) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `${name} is ${rows}×${cols} but its data holds only ${data.length} numbers`,
    );
  }
}

function checkShape(m: Matrix, rows: number, cols: number, name: string, meaning: string): void {
  if (m.rows !== rows || m.cols !== cols) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `${name} must be ${rows}×${cols} (${meaning}), got ${m.rows}×${m.cols}`,
    );
  }
}

function checkFiniteMatrix(m: Matrix, name: string): void {
  const { rows, cols, data } = m;
  for (let k = 0; k < rows * cols; k++) {
    if (!Number.isFinite(data[k])) {
      throw new RnnscopeError(
        'NON_FINITE',
        `${name}[${Math.floor(k / cols)}][${k % cols}] is ${describe(data[k])}`,
      );
    }
  }
}

function checkVector(v: unknown, length: number, name: string, meaning: string): void {
  if (!(v instanceof Float64Array))
    throw new RnnscopeError('INVALID_MODEL', `${name} must be a Float64Array`);
  if (v.length !== length) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `${name} must have length ${length} (${meaning}), got ${v.length}`,
    );
  }
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(v[i]))
      throw new RnnscopeError('NON_FINITE', `${name}[${i}] is ${describe(v[i])}`);
  }
}

function checkPositive(value: unknown, name: string, why: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RnnscopeError(
      'INVALID_MODEL',
      `${name} must be a finite number > 0 (${why}), got ${String(value)}`,
    );
  }
}

/**
 * Throws an RnnscopeError naming the offending field unless `params` is a consistent model:
 * INVALID_MODEL for an unknown kind/activation, a missing W, bad tau/dt/alpha or a Wfb/bout
 * without Wout; SHAPE_MISMATCH for a wrong shape, e.g. "Wout must be 3×1000 (outputs × units),
 * got 3×999"; NON_FINITE for NaN/±∞ entries, e.g. "W[12][7] is NaN".
 * Required: tau > 0 and dt > 0 (rate, ctrnn), 0 < alpha ≤ 1 (leaky-esn).
 */
export function validateModel(params: ModelParams): void {
  if (typeof params !== 'object' || params === null) {
    throw new RnnscopeError('INVALID_MODEL', 'model parameters must be an object');
  }
  if (!modelKinds.includes(params.kind)) {
    throw new RnnscopeError(
      'INVALID_MODEL',
      `kind must be one of ${modelKinds.join(', ')}, got '${String(params.kind)}'`,
    );
  }
  activation(params.activation);

  const { W, Win, Wfb, Wout, bias, bout } = params;
  if (W === undefined)
    throw new RnnscopeError('INVALID_MODEL', 'W (the recurrent weights) is required');
  checkMatrixObject(W, 'W');
  if (W.rows !== W.cols || W.rows === 0) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `W must be N×N with N ≥ 1 (units × units), got ${W.rows}×${W.cols}`,
    );
  }
  const N = W.rows;
  checkFiniteMatrix(W, 'W');
  if (Win !== undefined) {
    checkMatrixObject(Win, 'Win');
    checkShape(Win, N, Win.cols, 'Win', 'units × inputs');
    checkFiniteMatrix(Win, 'Win');
  }
  if (Wout !== undefined) {
    checkMatrixObject(Wout, 'Wout');
    checkShape(Wout, Wout.rows, N, 'Wout', 'outputs × units');
    checkFiniteMatrix(Wout, 'Wout');
  }
  const O = Wout ? Wout.rows : 0;
  if (Wfb !== undefined) {
    if (Wout === undefined) {
      throw new RnnscopeError(
        'INVALID_MODEL',
        'Wfb feeds back the readout z = Wout·r + bout, so it needs Wout',
      );
    }
    checkMatrixObject(Wfb, 'Wfb');
    checkShape(Wfb, N, O, 'Wfb', 'units × outputs');
    checkFiniteMatrix(Wfb, 'Wfb');
  }
  if (bias !== undefined) checkVector(bias, N, 'bias', 'units');
  if (bout !== undefined) {
    if (Wout === undefined)
      throw new RnnscopeError('INVALID_MODEL', 'bout is the readout bias, so it needs Wout');
    checkVector(bout, O, 'bout', 'outputs');
  }

  switch (params.kind) {
    case 'rate':
    case 'ctrnn':
      checkPositive(params.tau, 'tau', 'the time constant');
      checkPositive(params.dt, 'dt', 'the Euler time step');
      break;
    case 'leaky-esn': {
      const a = params.alpha;
      if (typeof a !== 'number' || !(a > 0 && a <= 1)) {
        throw new RnnscopeError(
          'INVALID_MODEL',
          `alpha (the leak rate) must satisfy 0 < alpha ≤ 1, got ${String(a)}`,
        );
      }
      break;
    }
    case 'rnn':
      break;
  }
}
