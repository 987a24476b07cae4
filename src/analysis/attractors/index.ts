/**
 * Excitable network attractors (Ceni, Ashwin & Livi 2019) and the echo index (Ceni et al.,
 * seed 002): how input pulses move a network between its attractors, and how many attracting
 * responses an input sequence leaves.
 */
export type * from './types.js';
export { attractorGraph, attractorGraphAsync } from './graph-drivers.js';
export { attractorGraphSearch } from './graph.js';
export { outputPattern, checkFlipFlop } from './flipflop-check.js';
export { modelStepper, type ModelStepper, type StepInput } from './stepper.js';
export type * from './echo-types.js';
export { echoIndex, echoIndexAsync, echoIndexSweep, echoIndexSweepAsync } from './echo-drivers.js';
export { echoIndexSearch } from './echo.js';
export { analyticBound, jacobianNorms, spectralNorm } from './contraction.js';
export { exponentialRate } from './decay.js';
export { inputPattern, describeInput } from './echo-input.js';
