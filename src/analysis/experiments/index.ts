/**
 * Experiments of seed 000 §6–8: fixed points followed over training (phase-space evolution),
 * the geometry of a flip-flop's stable points (transfer learning), and robustness of memories
 * to noise in the recurrent weights. Pure functions over models and systems, plain results.
 */
export {
  fixedPointEvolution,
  type EvolutionStage,
  type EvolutionOptions,
  type EvolutionResult,
  type SnapshotSummary,
} from './evolution.js';
export { woutStages, woutSnapshotsFromMetadata, type WoutSnapshot } from './wout-snapshots.js';
export {
  matchNearest,
  stabilityChanged,
  TrackBuilder,
  type Matching,
  type Track,
  type TrackPoint,
  type EvolutionEvent,
  type EvolutionEventType,
} from './tracks.js';
export { pointPca, type PointPca } from './point-pca.js';
export { summarize, type Summary } from './stats.js';
export {
  cornerSigns,
  cornerIndex,
  labelCorners,
  findCornerPoints,
  type CornerPoints,
  type CornerSearch,
} from './corners.js';
export {
  cornerGeometry,
  compareGeometry,
  nullVector4,
  PROJECTION_SHAPES,
  type CornerGeometry,
  type GeometryComparison,
} from './geometry.js';
export {
  experimentStarts,
  experimentTrajectories,
  type ExperimentStarts,
  type ExperimentStartsOptions,
} from './starts.js';
export {
  weightNoiseRobustness,
  perturbRecurrent,
  standardNormalMatrix,
  type RobustnessOptions,
  type RobustnessResult,
  type RobustnessLevel,
  type RobustnessDraw,
} from './robustness.js';
export {
  flipFlopGeometry,
  type FlipFlopGeometry,
  type FlipFlopGeometryOptions,
  type CornerSummary,
} from './flipflop-geometry.js';
