/**
 * The spectral report of a model (seed 004): its recurrent matrix W and, with feedback, the
 * effective closed-loop matrix W + Wfb·Wout; optionally against the same model before training.
 */
import { RnnscopeError } from '../../errors.js';
import { svd, zeros, type Matrix } from '../../linalg/index.js';
import type { Model } from '../../models/types.js';
import {
  matrixSpectrum,
  UNIT_CIRCLE_TOLERANCE,
  type Complex,
  type MatrixSpectrum,
} from './matrix-spectrum.js';
import {
  amplificationCondition,
  dominantComplexMode,
  isGrowing,
  modeConvention,
  type AmplificationCondition,
  type DominantMode,
  type ModeConvention,
} from './modes.js';
import {
  change,
  momentChanges,
  weightMoments,
  type Change,
  type MomentChanges,
  type WeightMoments,
} from './moments.js';
import {
  classifyResponses,
  type ResponseClassification,
  type ResponseOptions,
} from './responses.js';

/** One matrix of one model, read through the model's time convention. */
export interface SpectrumSection extends MatrixSpectrum {
  /**
   * Eigenvalues whose mode grows in the linearisation about the origin: Re μ > 0 for flows
   * (Re λ > 1 for a tanh ctrnn with τ = 1: the modes that destabilise −I + W), |ν| > 1 for maps.
   */
  growingModes: Complex[];
  dominant: DominantMode | null;
  amplification: AmplificationCondition;
  /** Moments of the matrix entries. */
  moments: WeightMoments;
}

export interface FrequencyComparison {
  inputs: number[];
  measured: number;
  predicted: number;
  /** measured / predicted. */
  ratio: number;
}

export interface ModelSpectrum extends SpectrumSection {
  convention: ModeConvention;
  /** W + Wfb·Wout, when the model feeds its readout back. */
  effective?: SpectrumSection;
  /** Simulated responses to every input combination (seed 004 §3.1), when asked for. */
  responses?: ResponseClassification;
  /** The dominant mode's predicted frequency next to each measured oscillation. */
  frequencyComparison?: FrequencyComparison[];
}

export interface SpectrumChanges {
  spectralRadius: Change;
  henrici: Change;
  symmetricPartMaxEig: Change;
  frobeniusNorm: Change;
  outsideUnitCircle: { initial: number; trained: number };
  moments: MomentChanges;
}

export interface SpectrumComparison extends ModelSpectrum {
  initial: ModelSpectrum;
  changes: SpectrumChanges;
}

export interface SpectrumOptions {
  /** Slack for "outside the unit circle" (default 1e-9). */
  tolerance?: number;
  /** Simulate the responses to every input combination (default false); options for it. */
  responses?: boolean | ResponseOptions;
}

function stepMatrix(c: ModeConvention, W: Matrix): Matrix {
  const n = W.rows;
  const M = zeros(n, n);
  const a = c.kind === 'leaky-esn' ? c.alpha! : 1;
  for (let i = 0; i < n * n; i++) M.data[i] = a * c.gain * W.data[i];
  if (c.kind === 'leaky-esn') for (let i = 0; i < n; i++) M.data[i * n + i] += 1 - a;
  return M;
}

function section(W: Matrix, c: ModeConvention, tolerance: number): SpectrumSection {
  const s = matrixSpectrum(W, tolerance);
  return {
    ...s,
    growingModes: s.eigenvalues.filter((l) => isGrowing(c, l, tolerance)),
    dominant: dominantComplexMode(c, s.eigenvalues),
    amplification: amplificationCondition(
      c,
      s.symmetricPartMaxEig,
      () => svd(stepMatrix(c, W)).S[0],
    ),
    moments: weightMoments(W.data, W.rows * W.cols),
  };
}

/**
 * Spectral diagnostics of a model: all eigenvalues of W, spectral radius, those outside the unit
 * circle and those whose mode grows, the dominant complex eigenvalue with its angle θ and
 * predicted oscillation frequency, Henrici's departure from normality, λ_max of the symmetric
 * part and the amplification condition, the moments of the weights; the same for W + Wfb·Wout
 * when the model has feedback; and, when `responses` is set, the simulated response to every
 * input combination with each measured frequency next to the predicted one.
 * Cost: one O(N³) eigendecomposition per matrix (plus 2^I simulations for `responses`).
 */
export function modelSpectrum(model: Model, options: SpectrumOptions = {}): ModelSpectrum {
  const tolerance = options.tolerance ?? UNIT_CIRCLE_TOLERANCE;
  const p = model.params;
  const convention = modeConvention(p);
  const report: ModelSpectrum = { convention, ...section(p.W, convention, tolerance) };
  if (p.Wfb && p.Wout && model.sizes.outputs > 0) {
    report.effective = section(model.effectiveW(), convention, tolerance);
  }
  if (options.responses) {
    const r = classifyResponses(model, options.responses === true ? {} : options.responses);
    report.responses = r;
    // With feedback the simulated linearisation is governed by W + Wfb·Wout.
    const dominant = (report.effective ?? report).dominant;
    if (dominant) {
      report.frequencyComparison = r.responses
        .filter((x) => x.class === 'oscillatory' && x.frequency !== null)
        .map((x) => ({
          inputs: x.inputs,
          measured: x.frequency!,
          predicted: dominant.predictedFrequency,
          ratio: x.frequency! / dominant.predictedFrequency,
        }));
    }
  }
  return report;
}

/**
 * {@link modelSpectrum} of a trained model and of the same network before training, with the
 * change of every scalar diagnostic and of the weight moments (seed 004 appendix A, B).
 * The two models must have the same number of units.
 */
export function compareSpectra(
  initial: Model,
  trained: Model,
  options: SpectrumOptions = {},
): SpectrumComparison {
  if (initial.sizes.units !== trained.sizes.units) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `the initial model has ${initial.sizes.units} units but the trained one ${trained.sizes.units}; they must be the same network`,
    );
  }
  const a = modelSpectrum(initial, { ...options, responses: false });
  const b = modelSpectrum(trained, options);
  return {
    ...b,
    initial: a,
    changes: {
      spectralRadius: change(a.spectralRadius, b.spectralRadius),
      henrici: change(a.henrici, b.henrici),
      symmetricPartMaxEig: change(a.symmetricPartMaxEig, b.symmetricPartMaxEig),
      frobeniusNorm: change(a.frobeniusNorm, b.frobeniusNorm),
      outsideUnitCircle: {
        initial: a.outsideUnitCircle.length,
        trained: b.outsideUnitCircle.length,
      },
      moments: momentChanges(a.moments, b.moments),
    },
  };
}
