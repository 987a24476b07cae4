/** Fixed points, slow points, linear stability and periodic orbits (Sussillo–Barak, done right). */
export type * from './types.js';
export { findFixedPoints, findFixedPointsAsync } from './drivers.js';
export { fixedPointSearch } from './find.js';
export { linearize, denseJacobian, type LinearizeOptions } from './linearize.js';
export {
  classifySpectrum,
  modeTimescale,
  growth,
  sortKeyFor,
  type SpectrumClass,
} from './stability.js';
export { kStepSystem } from './periodic.js';
export { stateScale, uniquePoints } from './dedupe.js';
export {
  randomStates,
  sampleStates,
  radialStates,
  statesForOutputs,
  stackStates,
} from './initial-states.js';
export {
  defaultTolerances,
  DEFAULT_DENSE_LIMIT,
  DEFAULT_EIGEN_LIMIT,
  DEFAULT_UNIQUE_TOL,
  DEFAULT_MAX_ITERATIONS,
  Q_UNITS,
} from './settings.js';
export {
  simulateForSampling,
  offManifoldStates,
  type SamplingTarget,
  type TrajectoryOptions,
} from './prepare.js';
