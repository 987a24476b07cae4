/** Summary statistics over repeated draws (robustness sweeps, edge lengths). */

/** Mean, sample standard deviation (n − 1; 0 for one value), min and max of finite values. */
export interface Summary {
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Number of finite values summarised (non-finite ones are skipped). */
  n: number;
}

/**
 * Summary of the finite entries of `values`. With none, every field is NaN (null in JSON) and
 * n = 0, so a sweep cell where every draw diverged stays visible instead of throwing.
 */
export function summarize(values: readonly number[]): Summary {
  const v = values.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN, n: 0 };
  let mean = 0;
  for (const x of v) mean += x;
  mean /= n;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return {
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: Math.min(...v),
    max: Math.max(...v),
    n,
  };
}

/** Euclidean distance between two vectors of equal length. */
export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** Euclidean norm. */
export function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}
