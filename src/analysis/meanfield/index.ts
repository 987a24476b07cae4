/** Mean-field theory of trained reservoirs (seed 001): see docs/mean-field.md. */
export {
  gaussLegendre,
  gaussHermite,
  adaptiveIntegral,
  gaussianIntegral,
  gaussianIntegralFixed,
  GAUSSIAN_CUTOFF,
  type QuadratureOptions,
  type VectorIntegrand,
} from './quadrature.js';
export {
  scalarActivation,
  feedbackDistributions,
  feedbackExpectation,
  feedbackSecondMoment,
  sampleFeedback,
  type ScalarActivation,
  type FeedbackDistribution,
} from './distributions.js';
export { brent } from './roots.js';
export {
  levelMoments,
  solveSigma2,
  singleLevel,
  singleLevelGain,
  type MeanFieldSetting,
  type LevelMoments,
  type SingleLevelTheory,
} from './single.js';
export { multiLevel, levelGain, type LevelTheory, type MultiLevelTheory } from './multi.js';
export { nyquist, type NyquistOptions, type NyquistResult } from './nyquist.js';
export { complexSolve } from './complex.js';
export {
  arnoldiStart,
  arnoldiStep,
  fomTransfer,
  gmres,
  hessenbergMatrix,
  hessenbergShiftSolve,
  type ArnoldiBasis,
  type MatVec,
} from './krylov.js';
export {
  buildFiniteNetwork,
  relaxOpenLoop,
  fitReadout,
  finiteComparison,
  type FiniteNetwork,
  type FiniteOptions,
  type FiniteLevel,
  type FiniteComparison,
} from './finite.js';
export {
  meanFieldReport,
  defaultOmegas,
  type MeanFieldOptions,
  type MeanFieldReport,
  type FiniteReport,
} from './report.js';
