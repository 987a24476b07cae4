/**
 * Linear stability by the system's time convention — the one place where 'flow' and 'map' are
 * interpreted (DESIGN §1):
 *
 *   flow  dx/dt = F(x):  eigenvalues λ of dF/dx;  stable iff Re λ < 0;  growth = Re λ;
 *                        decay time −1/Re λ, angular frequency |Im λ| (per time unit).
 *   map   x' = G(x):     multipliers μ of DG (= the system's jacobian + I);  stable iff |μ| < 1;
 *                        growth = |μ| − 1;  decay time −1/ln|μ|, angular frequency |arg μ|
 *                        (per step).
 */
import type { StabilityLabel } from './types.js';

/** Order of eigenvalues used everywhere: by Re λ (flows) or |μ| (maps), largest first. */
export function sortKeyFor(time: 'flow' | 'map'): 'real' | 'modulus' {
  return time === 'flow' ? 'real' : 'modulus';
}

/** Re λ (flows) or |μ| − 1 (maps): positive means growing. */
export function growth(re: number, im: number, time: 'flow' | 'map'): number {
  return time === 'flow' ? re : Math.hypot(re, im) - 1;
}

/** Decay time and angular frequency of one mode (see the module comment). */
export function modeTimescale(
  re: number,
  im: number,
  time: 'flow' | 'map',
): { timeConstant: number; angularFrequency: number } {
  if (time === 'flow') {
    return { timeConstant: re === 0 ? Infinity : -1 / re, angularFrequency: Math.abs(im) };
  }
  const mod = Math.hypot(re, im);
  const l = Math.log(mod);
  return {
    timeConstant: l === 0 ? Infinity : -1 / l,
    angularFrequency: Math.abs(Math.atan2(im, re)),
  };
}

export interface SpectrumClass {
  stability: 'stable' | 'unstable' | 'marginal';
  label: StabilityLabel;
  unstableDims: number;
  marginalDims: number;
  unstableDimsAtLeast: boolean;
}

/**
 * Classifies a spectrum (sorted by `sortKeyFor(time)`). `complete` says whether these are all
 * n eigenvalues or only the leading ones. |growth| ≤ tol counts as marginal.
 *
 * Labels: no unstable or marginal mode → 'stable spiral' if the leading (slowest) mode is
 * complex (|Im| > max(tol, 10⁻⁶|λ|)), else 'stable node'; only marginal beyond stable → 'marginal'; every mode unstable
 * (complete spectra only) → 'unstable spiral'/'unstable node' by the leading mode; otherwise
 * 'saddle' (with `unstableDims` unstable directions).
 */
export function classifySpectrum(
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  time: 'flow' | 'map',
  n: number,
  complete: boolean,
  tol: number,
): SpectrumClass {
  let unstable = 0;
  let marginal = 0;
  for (let k = 0; k < re.length; k++) {
    const g = growth(re[k], im[k], time);
    if (g > tol) unstable++;
    else if (g >= -tol) marginal++;
  }
  // A defective (Jordan) eigenvalue splits by O(√ε) under rounding, possibly into a complex
  // pair: rotation slower than 10⁻⁶ of the mode's rate is not called a spiral.
  const leadComplex =
    re.length > 0 && Math.abs(im[0]) > Math.max(tol, 1e-6 * Math.hypot(re[0], im[0]));
  let label: StabilityLabel;
  if (unstable === 0 && marginal === 0) label = leadComplex ? 'stable spiral' : 'stable node';
  else if (unstable === 0) label = 'marginal';
  else if (complete && unstable === n) label = leadComplex ? 'unstable spiral' : 'unstable node';
  else label = 'saddle';
  return {
    stability: unstable > 0 ? 'unstable' : marginal > 0 ? 'marginal' : 'stable',
    label,
    unstableDims: unstable,
    marginalDims: marginal,
    unstableDimsAtLeast: !complete && re.length > 0 && unstable === re.length,
  };
}
