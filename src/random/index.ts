/** Seeded random numbers and weight initialisers. */
export { createRng, rngFromState, type Rng, type RngState } from './rng.js';
export { deterministicLog } from './log.js';
export { fillNormal, fillUniform } from './fill.js';
export {
  gaussianMatrix,
  recurrentGaussian,
  orthogonal,
  sparseGaussian,
  uniformMatrix,
  bernoulliSigns,
} from './init.js';
