/**
 * Everything `rnnscope meanfield` reports for one output level A of a reservoir trained to hold
 * the levels A₁…A_M: the mean-field quantities, G_OL(ω), the Nyquist verdict and, optionally,
 * the same quantities measured on a finite network.
 */
import { RnnscopeError } from '../../errors.js';
import type { Complex } from '../spectrum/matrix-spectrum.js';
import { finiteComparison, type FiniteLevel } from './finite.js';
import { levelGain, multiLevel, type LevelTheory } from './multi.js';
import { nyquist, type NyquistResult } from './nyquist.js';
import { singleLevel, singleLevelGain, type MeanFieldSetting } from './single.js';

export interface MeanFieldOptions extends MeanFieldSetting {
  /** The level A analysed (the target the network sits at). */
  amplitude: number;
  /** All trained levels (default [amplitude]); must contain `amplitude`. */
  levels?: ReadonlyArray<number>;
  /** Frequencies of the reported gain curve (default {@link defaultOmegas}()). */
  omegas?: ReadonlyArray<number>;
  /** Also build a finite network of N units with this seed and compare. */
  finite?: { N: number; seed: number; fullSpectrum?: boolean };
}

export interface FiniteReport extends FiniteLevel {
  N: number;
  seed: number;
  /** max over the ω grid of |G_N(iω) − G_OL(iω)|. */
  gainError: number;
}

export interface MeanFieldReport {
  g: number;
  activation: MeanFieldSetting['activation'];
  feedback: MeanFieldSetting['feedback'];
  amplitude: number;
  levels: number[];
  /** σ² at A (eq. 8). */
  sigma2: number;
  /** β₀, β₁ at A (eq. 11; single-level quantities, the whole story for M = 1). */
  beta0: number;
  beta1: number;
  /** The rightmost closed-loop mode at A: eq. 14 for M = 1, Re of the rightmost outlier for M > 1. */
  lambdaOut: number;
  /** All M closed-loop modes that the feedback moves, by descending real part. */
  outliers: Complex[];
  rho: number;
  /** −1/λ_out (negative when the output runs away). */
  tauOut: number;
  /** 1/(1 − ρ). */
  tauNet: number;
  /** G_OL(0). */
  dcGain: number;
  fadingMemory: boolean;
  /** [ω, Re G_OL(iω), Im G_OL(iω)]. */
  gainOpenLoop: [number, number, number][];
  nyquist: NyquistResult;
  /** M > 1: the theory around every level, and the covariance Σ of the fixed points. */
  perLevel?: LevelTheory[];
  covariance?: number[][];
  finite?: FiniteReport;
}

/** 0 and ±10^(−2…2) in `perSide` log-spaced steps per sign (default 40): 2·perSide + 1 values. */
export function defaultOmegas(omegaMax = 100, perSide = 40): number[] {
  if (!(omegaMax > 0.01) || !(Number.isInteger(perSide) && perSide >= 1)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `need omegaMax > 0.01 and an integer perSide ≥ 1, got ${omegaMax} and ${perSide}`,
    );
  }
  const lo = Math.log10(0.01);
  const hi = Math.log10(omegaMax);
  const pos = Array.from(
    { length: perSide },
    (_, k) => 10 ** (lo + ((hi - lo) * k) / Math.max(1, perSide - 1)),
  );
  return [...pos.map((w) => -w).reverse(), 0, ...pos];
}

/**
 * The mean-field report at level A (see {@link MeanFieldReport}); M = 1 uses the closed forms of
 * eqs. 8–15, M > 1 the derivation in docs/mean-field.md. With `finite`, the same network
 * quantities measured on a finite realisation (N, seed) at the same ω grid.
 *
 * @example
 * const r = meanFieldReport({ g: 1.1, amplitude: 1, activation: { name: 'relu', threshold: 0.1 }, feedback: 'uniform' });
 * r.lambdaOut > 0; // ReLU with a positive threshold: the trained level is unstable
 */
export function meanFieldReport(options: MeanFieldOptions): MeanFieldReport {
  const setting: MeanFieldSetting = {
    g: options.g,
    activation: options.activation,
    feedback: options.feedback,
    quadrature: options.quadrature,
  };
  const A = options.amplitude;
  const levels = (options.levels ?? [A]).slice();
  const n = levels.indexOf(A);
  if (n < 0) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `the analysed amplitude ${A} must be one of the trained levels ${levels.join(', ')}`,
    );
  }
  const omegas = (options.omegas ?? defaultOmegas()).slice();
  const single = singleLevel(setting, A);
  let gain: (w: number) => Complex;
  let outliers: Complex[];
  let openLoopUnstable: number;
  let perLevel: LevelTheory[] | undefined;
  let covariance: number[][] | undefined;
  let dcGain = single.dcGain;
  if (levels.length === 1) {
    gain = (w) => singleLevelGain(single, w);
    outliers = [[single.lambdaOut, 0]];
    openLoopUnstable = single.beta1 > 1 ? 1 : 0;
  } else {
    const multi = multiLevel(setting, levels);
    const level = multi.perLevel[n];
    gain = (w) => levelGain(level, w);
    outliers = level.outliers;
    openLoopUnstable = level.openLoopPoles.filter((p) => p[0] > 0).length;
    perLevel = multi.perLevel;
    covariance = multi.covariance;
    dcGain = level.dcGain;
  }
  const lambdaOut = outliers[0][0];
  const report: MeanFieldReport = {
    g: setting.g,
    activation: setting.activation,
    feedback: setting.feedback,
    amplitude: A,
    levels,
    sigma2: single.sigma2,
    beta0: single.beta0,
    beta1: single.beta1,
    lambdaOut,
    outliers,
    rho: single.rho,
    tauOut: -1 / lambdaOut,
    tauNet: single.tauNet,
    dcGain,
    fadingMemory: single.fadingMemory,
    gainOpenLoop: omegas.map((w) => [w, ...gain(w)]),
    nyquist: nyquist(gain, openLoopUnstable),
  };
  if (perLevel) {
    report.perLevel = perLevel;
    report.covariance = covariance;
  }
  if (options.finite) {
    const { N, seed, fullSpectrum } = options.finite;
    const [f] = finiteComparison(setting, levels, N, seed, {
      omegas,
      fullSpectrum,
      analyse: [n],
    }).perLevel;
    let gainError = 0;
    f.gainOpenLoop.forEach(([, re, im], k) => {
      const [, mre, mim] = report.gainOpenLoop[k];
      gainError = Math.max(gainError, Math.hypot(re - mre, im - mim));
    });
    report.finite = { N, seed, ...f, gainError };
  }
  return report;
}
