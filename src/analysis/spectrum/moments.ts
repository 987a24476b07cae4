/**
 * Weight-distribution statistics: the four moments of seed 004's appendix tables, their change
 * from initial to trained weights, and the summary statistics `rnnscope info` prints.
 */
import { RnnscopeError } from '../../errors.js';

/** Population moments of a set of weights (scipy.stats conventions: bias=True, fisher=True). */
export interface WeightMoments {
  /** Number of values. */
  count: number;
  mean: number;
  /** Population standard deviation √m₂ (numpy's default ddof = 0). */
  std: number;
  /** m₃ / m₂^{3/2} (0 when m₂ = 0). */
  skewness: number;
  /** Excess kurtosis m₄ / m₂² − 3 (0 when m₂ = 0). */
  kurtosis: number;
}

/**
 * Mean, standard deviation, skewness and excess kurtosis of the first `n` values, with the central
 * moments m_k = (1/n) Σ (x_i − x̄)^k:
 *
 *   std = √m₂,  skewness = m₃ / m₂^{3/2},  kurtosis = m₄ / m₂² − 3,
 *
 * as `scipy.stats.skew(x)` and `scipy.stats.kurtosis(x)` with their defaults. The mean is
 * computed first (two passes, with a compensated sum) so large offsets do not spoil the central
 * moments.
 *
 * @example
 * const { skewness, kurtosis } = weightMoments(model.params.W.data);
 */
export function weightMoments(values: ArrayLike<number>, n = values.length): WeightMoments {
  if (!(Number.isInteger(n) && n >= 1 && n <= values.length)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `weightMoments needs 1 ≤ n ≤ ${values.length} values, got n = ${n}`,
    );
  }
  // Neumaier summation: the mean of 10⁶ weights should not lose digits to rounding.
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      throw new RnnscopeError('NON_FINITE', `weight ${i} is ${v}; moments need finite values`);
    }
    const t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  const mean = (sum + comp) / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return {
    count: n,
    mean,
    std: Math.sqrt(m2),
    skewness: m2 > 0 ? m3 / (m2 * Math.sqrt(m2)) : 0,
    kurtosis: m2 > 0 ? m4 / (m2 * m2) - 3 : 0,
  };
}

/** A scalar before and after training. */
export interface Change {
  initial: number;
  trained: number;
  /** trained − initial. */
  delta: number;
  /** 100·(trained − initial)/|initial|; null when initial = 0. */
  percent: number | null;
}

/** The change of one quantity from `initial` to `trained`. */
export function change(initial: number, trained: number): Change {
  const delta = trained - initial;
  return {
    initial,
    trained,
    delta,
    percent: initial !== 0 ? (100 * delta) / Math.abs(initial) : null,
  };
}

export interface MomentChanges {
  mean: Change;
  std: Change;
  skewness: Change;
  kurtosis: Change;
}

/** Moment by moment, the change from the initial to the trained distribution. */
export function momentChanges(initial: WeightMoments, trained: WeightMoments): MomentChanges {
  return {
    mean: change(initial.mean, trained.mean),
    std: change(initial.std, trained.std),
    skewness: change(initial.skewness, trained.skewness),
    kurtosis: change(initial.kurtosis, trained.kurtosis),
  };
}

/** One row of seed 004's tables A.1/A.2: the departure from the identity line, in percent. */
export interface MomentRegression {
  /** Slope s of trained ≈ s·initial (least squares through the origin). */
  slope: number;
  /** 100·(s − 1): positive means larger after training. */
  percent: number;
  /** 100·(standard error of s); null with fewer than two realisations. */
  uncertainty: number | null;
}

/**
 * Seed 004's appendix tables: over many realisations, regress each trained moment on its initial
 * value through the origin, y ≈ s·x with s = Σxy / Σx², and report 100(s − 1) with the standard
 * error 100·√(Σ(y − s x)² / ((n − 1) Σx²)).
 */
export function regressMomentChanges(
  pairs: ReadonlyArray<{ initial: WeightMoments; trained: WeightMoments }>,
): Record<'mean' | 'std' | 'skewness' | 'kurtosis', MomentRegression> {
  if (pairs.length === 0) {
    throw new RnnscopeError('INVALID_ARGUMENT', 'regressMomentChanges needs at least one pair');
  }
  const fit = (key: 'mean' | 'std' | 'skewness' | 'kurtosis'): MomentRegression => {
    let sxx = 0;
    let sxy = 0;
    for (const p of pairs) {
      sxx += p.initial[key] * p.initial[key];
      sxy += p.initial[key] * p.trained[key];
    }
    if (sxx === 0) return { slope: NaN, percent: NaN, uncertainty: null };
    const s = sxy / sxx;
    let rss = 0;
    for (const p of pairs) rss += (p.trained[key] - s * p.initial[key]) ** 2;
    const n = pairs.length;
    return {
      slope: s,
      percent: 100 * (s - 1),
      uncertainty: n > 1 ? 100 * Math.sqrt(rss / ((n - 1) * sxx)) : null,
    };
  };
  return {
    mean: fit('mean'),
    std: fit('std'),
    skewness: fit('skewness'),
    kurtosis: fit('kurtosis'),
  };
}

/** What `rnnscope info` prints for each weight array. */
export interface WeightStats {
  shape: number[];
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Euclidean (Frobenius for matrices) norm. */
  norm: number;
  /** Fraction of exact zeros (sparsity). */
  zeros: number;
}

/** Summary statistics of a weight array of the given shape (population std, ddof = 0). */
export function weightStats(data: Float64Array, shape: number[]): WeightStats {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) return { shape, mean: 0, std: 0, min: 0, max: 0, norm: 0, zeros: 0 };
  let min = Infinity;
  let max = -Infinity;
  let zeros = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0) zeros++;
    sq += v * v;
  }
  const m = weightMoments(data, n);
  return { shape, mean: m.mean, std: m.std, min, max, norm: Math.sqrt(sq), zeros: zeros / n };
}
