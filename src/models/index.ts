/** RNN models: rate (seeds 000/001), leaky ESN (seed 002), CTRNN (seed 004), vanilla RNN. */
export type {
  ActivationSpec,
  ModelKind,
  ModelWeights,
  RateModel,
  LeakyEsnModel,
  CtrnnModel,
  RnnModel,
  ModelParams,
  ModelSizes,
  Trajectory,
  Model,
} from './types.js';
export { activation, activationNames, type Activation } from './activations.js';
export { createModel } from './model.js';
export { modelSizes, validateModel, modelKinds } from './validate.js';
