/**
 * What an eigenvalue λ of the recurrent matrix means for a model's dynamics: the linearisation
 * about the origin (seed 004 §4, eq. 4–9), with the gain γ = φ′(0) of the activation.
 *
 *   kind        flow rate μ (continuous time)     simulated map multiplier ν (one step)
 *   rate        μ = (γλ − 1)/τ                     ν = 1 + dt·μ   (Euler)
 *   ctrnn       μ = γλ − 1/τ                       ν = 1 + dt·μ   (Euler)
 *   leaky-esn   —                                  ν = 1 − α + αγλ
 *   rnn         —                                  ν = γλ
 *
 * A mode grows when Re μ > 0 (flows) or |ν| > 1 (the map the model is simulated with). For the
 * seed's setting (ctrnn, tanh, τ = 1) Re μ > 0 ⇔ Re λ > 1, the modes that destabilise −I + W;
 * with dt = τ = 1 also ν = λ, so the unit circle of W is the stability boundary of the simulation.
 * A mode oscillates at arg ν / (2π·dt) cycles per unit time in the simulation (per step for maps),
 * and at Im μ / (2π) in the continuous-time limit dt → 0.
 */
import { activation } from '../../models/activations.js';
import type { ModelParams } from '../../models/types.js';
import type { Complex } from './matrix-spectrum.js';

/** The linearisation convention of a model (plain data). */
export interface ModeConvention {
  kind: ModelParams['kind'];
  time: 'flow' | 'map';
  /** γ = φ′(0). */
  gain: number;
  /** Time per simulated step: dt for rate/ctrnn, 1 (a step) for maps. */
  step: number;
  tau?: number;
  alpha?: number;
  /** Unit of frequencies: 'cycles per unit time' or 'cycles per step'. */
  frequencyUnit: string;
}

/** The convention for a model's parameters. */
export function modeConvention(p: ModelParams): ModeConvention {
  const d = new Float64Array(1);
  activation(p.activation).derivative(new Float64Array(1), d);
  const gain = d[0];
  switch (p.kind) {
    case 'rate':
    case 'ctrnn':
      return {
        kind: p.kind,
        time: 'flow',
        gain,
        step: p.dt,
        tau: p.tau,
        frequencyUnit: 'cycles per unit time',
      };
    case 'leaky-esn':
      return {
        kind: p.kind,
        time: 'map',
        gain,
        step: 1,
        alpha: p.alpha,
        frequencyUnit: 'cycles per step',
      };
    case 'rnn':
      return { kind: p.kind, time: 'map', gain, step: 1, frequencyUnit: 'cycles per step' };
  }
}

/** μ(λ), the continuous-time rate of the mode (flows only; null for maps). */
export function flowRate(c: ModeConvention, [re, im]: Complex): Complex | null {
  if (c.kind === 'rate') return [(c.gain * re - 1) / c.tau!, (c.gain * im) / c.tau!];
  if (c.kind === 'ctrnn') return [c.gain * re - 1 / c.tau!, c.gain * im];
  return null;
}

/** ν(λ), the multiplier of the mode over one simulated step. */
export function mapMultiplier(c: ModeConvention, l: Complex): Complex {
  const mu = flowRate(c, l);
  if (mu) return [1 + c.step * mu[0], c.step * mu[1]];
  if (c.kind === 'leaky-esn')
    return [1 - c.alpha! + c.alpha! * c.gain * l[0], c.alpha! * c.gain * l[1]];
  return [c.gain * l[0], c.gain * l[1]];
}

/**
 * True when the mode grows: Re μ > 0 for flows (the continuous-time model), |ν| > 1 for maps.
 * `tolerance` is the slack on the boundary.
 */
export function isGrowing(c: ModeConvention, l: Complex, tolerance = 1e-9): boolean {
  const mu = flowRate(c, l);
  if (mu) return mu[0] > tolerance;
  const nu = mapMultiplier(c, l);
  return Math.hypot(nu[0], nu[1]) > 1 + tolerance;
}

/** The dominant complex eigenvalue and what it predicts. */
export interface DominantMode {
  /** λ (the member of the conjugate pair with Im λ > 0). */
  re: number;
  im: number;
  modulus: number;
  /** θ = atan2(Im λ, Re λ) in radians, from the positive real semi-axis (seed 004 eq. 3). */
  angle: number;
  /** |ν|, growth factor per simulated step (> 1: the mode grows). */
  growthPerStep: number;
  /** arg ν / (2π·step): the oscillation frequency of the simulated linearised dynamics. */
  predictedFrequency: number;
  /** Im μ / (2π): the continuous-time limit (flows only). */
  flowFrequency?: number;
  outsideUnitCircle: boolean;
}

/**
 * The dominant complex eigenvalue: among the eigenvalues with Im λ > `imagTolerance`, the one
 * whose mode grows fastest in the simulated dynamics (largest |ν|; for maps this is the one
 * farthest outside the unit circle, seed 004 §3.4). Null when W has no complex eigenvalue.
 */
export function dominantComplexMode(
  c: ModeConvention,
  eigs: ReadonlyArray<Complex>,
  imagTolerance = 1e-12,
): DominantMode | null {
  let best: Complex | null = null;
  let bestGrowth = -Infinity;
  for (const l of eigs) {
    if (!(l[1] > imagTolerance * Math.max(1, Math.abs(l[0])))) continue;
    const nu = mapMultiplier(c, l);
    const g = Math.hypot(nu[0], nu[1]);
    if (g > bestGrowth) {
      bestGrowth = g;
      best = l;
    }
  }
  if (!best) return null;
  const nu = mapMultiplier(c, best);
  const modulus = Math.hypot(best[0], best[1]);
  const mode: DominantMode = {
    re: best[0],
    im: best[1],
    modulus,
    angle: Math.atan2(best[1], best[0]),
    growthPerStep: bestGrowth,
    predictedFrequency: Math.abs(Math.atan2(nu[1], nu[0])) / (2 * Math.PI * c.step),
    outsideUnitCircle: modulus > 1,
  };
  const mu = flowRate(c, best);
  if (mu) mode.flowFrequency = Math.abs(mu[1]) / (2 * Math.PI);
  return mode;
}

/** Seed 004's amplification condition, in the model's own time convention. */
export interface AmplificationCondition {
  criterion: string;
  /** The quantity compared: λ_max((W + Wᵀ)/2) for flows, ‖M‖₂ of the step matrix for maps. */
  value: number;
  threshold: number;
  /** value > threshold: some initial conditions are transiently amplified. */
  possible: boolean;
}

/**
 * For flows, d‖h‖²/dt = 2hᵀ J_s h with J_s the symmetric part of the Jacobian at the origin, so
 * amplification is possible iff λ_max((W + Wᵀ)/2) > 1/γ (rate) or 1/(γτ) (ctrnn); with γ = τ = 1
 * this is seed 004's "largest eigenvalue of the symmetric part greater than 1". For maps the
 * analogue is ‖M‖₂ > 1 for the one-step matrix M = γW (rnn) or (1 − α)I + αγW (leaky-esn);
 * `stepNorm` supplies ‖M‖₂.
 */
export function amplificationCondition(
  c: ModeConvention,
  symmetricMax: number,
  stepNorm: () => number,
): AmplificationCondition {
  if (c.time === 'flow') {
    const threshold =
      c.gain === 0 ? Infinity : c.kind === 'ctrnn' ? 1 / (c.gain * c.tau!) : 1 / c.gain;
    return {
      criterion: 'λmax((W + Wᵀ)/2) > threshold (symmetric part of the Jacobian at the origin > 0)',
      value: symmetricMax,
      threshold,
      possible: symmetricMax > threshold,
    };
  }
  const value = stepNorm();
  return {
    criterion: '‖M‖₂ > 1 for the one-step matrix M at the origin',
    value,
    threshold: 1,
    possible: value > 1,
  };
}
