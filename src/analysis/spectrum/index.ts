/** Spectral diagnostics of recurrent weight matrices (seed 004): see docs/spectrum.md. */
export {
  eigenvalues,
  spectralRadius,
  frobeniusNorm,
  henrici,
  symmetricPartMaxEig,
  matrixSpectrum,
  UNIT_CIRCLE_TOLERANCE,
  type Complex,
  type MatrixSpectrum,
} from './matrix-spectrum.js';
export {
  weightMoments,
  weightStats,
  change,
  momentChanges,
  regressMomentChanges,
  type WeightMoments,
  type WeightStats,
  type Change,
  type MomentChanges,
  type MomentRegression,
} from './moments.js';
export {
  modeConvention,
  flowRate,
  mapMultiplier,
  isGrowing,
  dominantComplexMode,
  amplificationCondition,
  type ModeConvention,
  type DominantMode,
  type AmplificationCondition,
} from './modes.js';
export {
  classifyTrajectory,
  crossingFrequency,
  type ResponseClass,
  type OscillationOptions,
  type TrajectoryClass,
} from './oscillation.js';
export {
  classifyResponses,
  type ResponseOptions,
  type InputResponse,
  type ResponseClassification,
} from './responses.js';
export {
  modelSpectrum,
  compareSpectra,
  type SpectrumSection,
  type ModelSpectrum,
  type SpectrumChanges,
  type SpectrumComparison,
  type SpectrumOptions,
  type FrequencyComparison,
} from './report.js';
