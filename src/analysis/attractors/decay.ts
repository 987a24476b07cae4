/**
 * Exponential rates of distance series: d(t) ≈ C·e^{r·t}, r from a least-squares line through
 * ln d over the asymptotic part of the series — the later half of the points that lie above the
 * floor where round-off (or the storage precision) takes over. r < 0: the distance decays by
 * e^{r} per step; r > 0: it grows (separating trajectories).
 */

export interface DecayFit {
  /** r, per step. */
  rate: number;
  /** Steps (t values) the fit used. */
  from: number;
  to: number;
  points: number;
  /** Coefficient of determination of the line through ln d (1: a clean exponential). */
  r2: number;
}

/**
 * The fit, or null when fewer than 2 points lie above the floor. `part: 'all'` fits every
 * point above the floor instead of the later half.
 */
export function exponentialRate(
  t: ArrayLike<number>,
  d: ArrayLike<number>,
  floor: number,
  part: 'tail' | 'all' = 'tail',
): DecayFit | null {
  const valid: number[] = [];
  for (let k = 0; k < d.length; k++) if (d[k] > floor && Number.isFinite(d[k])) valid.push(k);
  // Once the distance hits the floor, later points above it are round-off noise: stop there.
  const run: number[] = [];
  for (const k of valid) {
    if (run.length > 0 && k !== run[run.length - 1] + 1) break;
    run.push(k);
  }
  if (run.length < 2) return null;
  const half = part === 'all' ? run : run.slice(Math.floor(run.length / 2));
  const pts = half.length >= 2 ? half : run.slice(-2);
  let st = 0;
  let sy = 0;
  for (const k of pts) {
    st += t[k];
    sy += Math.log(d[k]);
  }
  const mt = st / pts.length;
  const my = sy / pts.length;
  let num = 0;
  let den = 0;
  for (const k of pts) {
    num += (t[k] - mt) * (Math.log(d[k]) - my);
    den += (t[k] - mt) ** 2;
  }
  if (den === 0) return null;
  const rate = num / den;
  let ssRes = 0;
  let ssTot = 0;
  for (const k of pts) {
    const y = Math.log(d[k]);
    ssRes += (y - (my + rate * (t[k] - mt))) ** 2;
    ssTot += (y - my) ** 2;
  }
  return {
    rate,
    from: t[pts[0]],
    to: t[pts[pts.length - 1]],
    points: pts.length,
    r2: ssTot > 0 ? 1 - ssRes / ssTot : 1,
  };
}
