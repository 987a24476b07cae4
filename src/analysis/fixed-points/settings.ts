/**
 * Defaults, validation and run control shared by the fixed-point drivers.
 *
 * Units of q. q(x) = ½‖F(x)‖² with F the system's velocity: dx/dt for flows (state units per
 * time unit, so τ enters: a rate network's F is (−x + W·φ(x))/τ) and G(x) − x for maps (per
 * step). This is FixedPointFinder's q (½·sum of squares); the computation-through-dynamics JAX
 * tool minimises the mean over units instead, which is 2q/N. A point whose units all move at
 * RMS speed v has q = ½·N·v², so for a fixed per-unit criterion q must scale with N; the
 * defaults do that:
 *
 *   tolFixed = ½·N·(1e-11)²   (RMS speed 1e-11: float64 round-off of F for O(1) states),
 *   tolSlow  = ½·N·(1e-4)²    (RMS speed 1e-4: 10⁴ time units or steps to move by 1).
 */
import { RnnscopeError } from '../../errors.js';
import type { FixedPointMethod, FixedPointOptions, FixedPointProgress } from './types.js';

export const DEFAULT_DENSE_LIMIT = 128;
export const DEFAULT_EIGEN_LIMIT = 400;
export const FIXED_SPEED = 1e-11;
export const SLOW_SPEED = 1e-4;
export const DEFAULT_UNIQUE_TOL = 1e-6;

export const DEFAULT_MAX_ITERATIONS: Record<FixedPointMethod, number> = {
  'gauss-newton': 200,
  'newton-krylov': 40,
  cg: 5000,
  adam: 5000,
};

export function defaultTolerances(n: number): { tolFixed: number; tolSlow: number } {
  return { tolFixed: 0.5 * n * FIXED_SPEED ** 2, tolSlow: 0.5 * n * SLOW_SPEED ** 2 };
}

export const Q_UNITS =
  'q = ½‖F(x)‖², F = dx/dt (flows, per time unit) or G(x) − x (maps, per step); sum over units, not mean';

const METHODS: readonly string[] = ['gauss-newton', 'newton-krylov', 'cg', 'adam', 'auto'];

function positive(name: string, v: unknown, allowZero = false): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `${name} must be a finite number ${allowZero ? '≥' : '>'} 0, got ${String(v)}`,
    );
  }
}

function positiveInteger(name: string, v: unknown, min = 1): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `${name} must be an integer ≥ ${min}, got ${String(v)}`,
    );
  }
}

/** Throws INVALID_ARGUMENT naming the first bad option. */
export function validateOptions(o: FixedPointOptions): void {
  if (o.method !== undefined && !METHODS.includes(o.method)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `method must be one of ${METHODS.join(', ')}, got '${String(o.method)}'`,
    );
  }
  positive('tolFixed', o.tolFixed, true);
  positive('tolSlow', o.tolSlow, true);
  if (o.tolFixed !== undefined && o.tolSlow !== undefined && o.tolSlow < o.tolFixed) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `tolSlow (${o.tolSlow}) must be ≥ tolFixed (${o.tolFixed})`,
    );
  }
  positive('uniqueTol', o.uniqueTol, true);
  positive('outlierDistanceScale', o.outlierDistanceScale);
  positive('marginalTol', o.marginalTol, true);
  positive('progressInterval', o.progressInterval, true);
  positiveInteger('maxIterations', o.maxIterations);
  positiveInteger('denseLimit', o.denseLimit);
  positiveInteger('eigenLimit', o.eigenLimit);
  positiveInteger('modes', o.modes, 0);
  positiveInteger('leadingEigenvalues', o.leadingEigenvalues);
  positiveInteger('maxPeriod', o.maxPeriod, 2);
  if (o.periodic !== undefined && !['auto', 'always', 'never'].includes(o.periodic)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `periodic must be 'auto', 'always' or 'never', got '${String(o.periodic)}'`,
    );
  }
  if (o.adam) {
    positive('adam.learningRate', o.adam.learningRate);
    positive('adam.tolQ', o.adam.tolQ, true);
    positive('adam.tolDq', o.adam.tolDq, true);
  }
}

/** Whether gauss-newton solves its damped systems densely (N ≤ denseLimit) or matrix-free. */
export function denseGaussNewton(o: FixedPointOptions, n: number): boolean {
  return n <= (o.denseLimit ?? DEFAULT_DENSE_LIMIT);
}

/** The method 'auto' stands for at dimension n. */
export function resolveMethod(o: FixedPointOptions, n: number): FixedPointMethod {
  const m = o.method ?? 'auto';
  if (m !== 'auto') return m;
  return n <= (o.denseLimit ?? DEFAULT_DENSE_LIMIT) ? 'gauss-newton' : 'newton-krylov';
}

/** Progress reporting, interruption and timing for one run (shared by nested searches). */
export class RunControl {
  readonly t0 = performance.now();
  interrupted = false;
  private lastReport = -Infinity;
  constructor(
    private readonly onProgress: FixedPointOptions['onProgress'],
    private readonly interval: number,
    private readonly shouldStop: FixedPointOptions['shouldStop'],
  ) {}

  elapsed(): number {
    return (performance.now() - this.t0) / 1000;
  }

  /** Reports (throttled) and returns true when the run must stop. */
  checkpoint(p: Omit<FixedPointProgress, 'elapsedSeconds'>, force = false): boolean {
    const now = this.elapsed();
    if (this.onProgress && (force || now - this.lastReport >= this.interval)) {
      this.lastReport = now;
      this.onProgress({ ...p, elapsedSeconds: now });
    }
    if (!this.interrupted && this.shouldStop?.()) this.interrupted = true;
    return this.interrupted;
  }
}
