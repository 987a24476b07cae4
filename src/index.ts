/**
 * rnnscope: train recurrent neural networks and reverse-engineer them as dynamical systems.
 *
 * Layers (arrows point down only): io → models/systems → linalg/random. Everything is
 * re-exported here; see docs/architecture.md.
 */
export { RnnscopeError, isRnnscopeError, type ErrorCode } from './errors.js';
export * from './linalg/index.js';
export * from './random/index.js';
export * from './systems/index.js';
export * from './models/index.js';
export * from './io/index.js';
export * from './analysis/index.js';
export * from './analysis/spectrum/index.js';
export * from './analysis/meanfield/index.js';
export * from './analysis/attractors/index.js';
export * from './analysis/experiments/index.js';
export * from './tasks/index.js';
export * from './train/index.js';
export * from './report/index.js';
