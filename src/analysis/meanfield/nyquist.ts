/**
 * The Nyquist criterion for the trained reservoir's feedback loop (seed 001, after eq. 18).
 *
 * The closed loop is G_CL = G_OL/(1 − G_OL) (eq. 7): positive feedback, so its poles are the
 * zeros of 1 − G_OL(s) and the critical point is G_OL = 1 (1 + 0i). Traversing s = iω upwards
 * for ω from −∞ to ∞ (closed by the large right half-circle, which G_OL maps to 0 because
 * G_OL is strictly proper) encloses the right half-plane clockwise, so by the argument principle
 *
 *   Z = N + P,
 *
 * Z the closed-loop poles with Re s > 0, P the open-loop poles there, N the clockwise
 * encirclements of 1 by the curve G_OL(iω). The loop is stable iff Z = 0. (The figure caption of
 * seed 001 marks 0 + 1i; with the gain convention of eq. 7 the point is 1 + 0i — see
 * docs/mean-field.md.)
 */
import type { Complex } from '../spectrum/matrix-spectrum.js';

export interface NyquistOptions {
  /** Initial samples of t ∈ [−1, 1], ω = tan(πt/2) (default 256). */
  samples?: number;
  /** Largest bisection depth between two samples (default 30). */
  maxDepth?: number;
}

export interface NyquistResult {
  criticalPoint: Complex;
  /** N: clockwise encirclements of the critical point as ω runs from −∞ to ∞. */
  encirclements: number;
  /** P: open-loop poles in the right half-plane. */
  openLoopUnstablePoles: number;
  /** Z = N + P. */
  closedLoopUnstablePoles: number;
  stable: boolean;
  /** min over ω of |G_OL(iω) − 1| (0 means marginal: a closed-loop pole on the axis). */
  minDistance: number;
  /** Evaluations of the gain. */
  evaluations: number;
}

const angle = (g: Complex) => Math.atan2(g[1], g[0] - 1);

/**
 * Counts the encirclements of 1 by ω ↦ G(iω), sampling ω = tan(πt/2) on t ∈ (−1, 1) and
 * bisecting every step whose argument of G − 1 turns by more than π/8 or whose chord is long
 * compared with its distance to 1 (so no loop around 1 can hide between two samples).
 * G(±∞) = 0 is assumed (strictly proper gain).
 *
 * @param gain G_OL at real frequency ω, as [re, im].
 * @param openLoopUnstablePoles P (0 under fading memory).
 */
export function nyquist(
  gain: (omega: number) => Complex,
  openLoopUnstablePoles: number,
  options: NyquistOptions = {},
): NyquistResult {
  const samples = options.samples ?? 256;
  const maxDepth = options.maxDepth ?? 30;
  let evaluations = 0;
  let minDistance = 1; // |G(±∞) − 1|
  const at = (t: number): Complex => {
    if (t <= -1 || t >= 1) return [0, 0];
    evaluations++;
    const g = gain(Math.tan((Math.PI * t) / 2));
    minDistance = Math.min(minDistance, Math.hypot(g[0] - 1, g[1]));
    return g;
  };
  // Signed turning of arg(G − 1) from ta to tb.
  const turn = (ta: number, ga: Complex, tb: number, gb: Complex, depth: number): number => {
    let d = angle(gb) - angle(ga);
    if (d > Math.PI) d -= 2 * Math.PI;
    if (d < -Math.PI) d += 2 * Math.PI;
    const chord = Math.hypot(gb[0] - ga[0], gb[1] - ga[1]);
    const near = Math.min(Math.hypot(ga[0] - 1, ga[1]), Math.hypot(gb[0] - 1, gb[1]));
    if ((Math.abs(d) <= Math.PI / 8 && chord <= 0.5 * near) || depth >= maxDepth) return d;
    const tm = 0.5 * (ta + tb);
    const gm = at(tm);
    return turn(ta, ga, tm, gm, depth + 1) + turn(tm, gm, tb, gb, depth + 1);
  };
  let total = 0;
  let tPrev = -1;
  let gPrev = at(-1);
  for (let i = 1; i <= samples; i++) {
    const t = -1 + (2 * i) / samples;
    const g = at(t);
    total += turn(tPrev, gPrev, t, g, 0);
    tPrev = t;
    gPrev = g;
  }
  // Counter-clockwise turning is positive; N counts clockwise turns.
  const encirclements = Math.round(-total / (2 * Math.PI)) || 0; // no −0
  const Z = encirclements + openLoopUnstablePoles;
  return {
    criticalPoint: [1, 0],
    encirclements,
    openLoopUnstablePoles,
    closedLoopUnstablePoles: Z,
    stable: Z === 0 && minDistance > 1e-12,
    minDistance,
    evaluations,
  };
}
