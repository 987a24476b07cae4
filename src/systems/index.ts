/** Analytic dynamical systems and the utilities that work on any DynamicalSystem. */
export type { DynamicalSystem } from './types.js';
export { toy2d } from './toy2d.js';
export { fitzhughNagumo, defaultFhnParams, type FhnParams } from './fitzhugh-nagumo.js';
export { finiteDifferenceJacobian } from './finite-difference.js';
export { integrate, type IntegrateOptions } from './integrate.js';
export { builtinSystem, builtinSystemNames } from './builtin.js';
