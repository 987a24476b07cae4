/**
 * Analyses of dynamical systems: pure functions over `DynamicalSystem` returning plain data.
 * Layer: above models/systems, below cli (docs/architecture.md).
 */
export * from './fixed-points/index.js';
export {
  batchModelSystem,
  batchSystem,
  hasBatch,
  type BatchedSystem,
  type SystemWithBatch,
} from './batch.js';
export {
  projectFixedPoints,
  type FixedPointProjection,
  type ProjectionOptions,
} from './pca-projection.js';
