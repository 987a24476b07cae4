/** Trainers: FORCE (RLS), teacher-forced ridge, BPTT + Adam; transfer initialisation; testing. */
export {
  trainForce,
  type ForceOptions,
  type ForceResult,
  type ForceCheckpoint,
  type ForceHistory,
} from './force.js';
export {
  createForceEngine,
  type ForceEngine,
  type ForceEngineState,
  type ForceEngineOptions,
  type ForcePrecision,
} from './force-engine.js';
export {
  trainBptt,
  type BpttOptions,
  type BpttResult,
  type BpttCheckpoint,
  type BpttHistory,
} from './bptt.js';
export {
  createBpttWorkspace,
  bpttParameterNames,
  type BpttWorkspace,
  type BpttModel,
  type BpttGradients,
  type BpttParameterName,
} from './bptt-grad.js';
export {
  adamStep,
  createAdamState,
  globalNorm,
  adamDefaults,
  type AdamOptions,
  type AdamState,
} from './adam.js';
export {
  teacherForcedStates,
  teacherForcedRates,
  ridgeReadout,
  trainRidge,
  openLoopFixedPoints,
  trainFixedLevels,
  closedLoopHolds,
  type RidgeOptions,
  type FixedLevelsResult,
  type LevelCheck,
} from './ridge.js';
export { transferInit, type TransferOptions } from './transfer.js';
export {
  createReservoir,
  createTrainableNetwork,
  type ReservoirOptions,
  type TrainableNetworkOptions,
} from './init.js';
export { evaluateModel, type EvaluateOptions, type Evaluation } from './evaluate.js';
export {
  packCheckpoint,
  unpackCheckpoint,
  type PackedCheckpoint,
  type CheckpointTensor,
} from './checkpoint.js';
export {
  yieldToEventLoop,
  type TrainProgress,
  type TrainControl,
  type StopReason as TrainStopReason,
} from './control.js';
export { formatProgress } from './progress.js';
export {
  trainTask,
  initialNetwork,
  resolveRecipe,
  type TrainRecipe,
  type ResolvedRecipe,
  type TrainOutcome,
  type TrainerName,
  type TrainerCheckpoint,
} from './recipe.js';
