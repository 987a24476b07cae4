/** Task generators: seeded (inputs, targets, mask) batches for training and testing. */
export type {
  TaskName,
  TaskSpec,
  Task,
  TrialBatch,
  TrialMatrices,
  FlipFlopSpec,
  BooleanSpec,
  SineSpec,
  FhnSpec,
  LevelsSpec,
} from './types.js';
export { emptyBatch, trialMatrices } from './batch.js';
export { flipFlopTask, flipFlopDefaults } from './flipflop.js';
export { booleanTask, booleanDefaults, booleanOps } from './boolean.js';
export { sineTask, sineDefaults, sineFrequency } from './sine.js';
export { fhnTask, fhnDefaults, fhnVoltage } from './fhn.js';
export { levelsTask, levelsDefaults } from './levels.js';
export { createTask, taskFromJson, taskNames } from './registry.js';
export { scoreOutputs, nearestLevel, type Score } from './score.js';
