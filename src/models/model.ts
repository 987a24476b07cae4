import { RnnscopeError } from '../errors.js';
import { clone, gemm, type Matrix } from '../linalg/index.js';
import type { DynamicalSystem } from '../systems/types.js';
import { activation } from './activations.js';
import { actsOnState, readoutInto } from './kernels.js';
import { simulateModel } from './simulate.js';
import { modelSystem } from './system.js';
import type { Model, ModelParams, Trajectory } from './types.js';
import { modelSizes, validateModel } from './validate.js';

/**
 * Binds validated parameters to behaviour (see types.ts for each kind's equations).
 * The model keeps `params` by reference and reads the weights on every call, so a trainer may
 * update e.g. `params.Wout.data` in place; shapes must not change after creation.
 *
 * @example
 * const rng = createRng(1);
 * const model = createModel({
 *   kind: 'rate', activation: { name: 'tanh' }, tau: 10, dt: 1,
 *   W: recurrentGaussian(1000, 1.5, rng), Wout: gaussianMatrix(3, 1000, 0.01, rng),
 * });
 * const { states, outputs } = model.simulate(zeros(500, 0));
 * const sys = model.system(); // dx/dt = F(x) with u = 0
 */
export function createModel(params: ModelParams): Model {
  validateModel(params);
  const sizes = Object.freeze(modelSizes(params));
  const act = activation(params.activation);
  const onState = actsOnState(params);
  return {
    params,
    sizes,
    simulate(inputs: Matrix, x0?: Float64Array): Trajectory {
      return simulateModel(params, sizes, act, inputs, x0);
    },
    system(u?: Float64Array, time?: 'flow' | 'map'): DynamicalSystem {
      return modelSystem(params, sizes, act, u, time);
    },
    output(x: Float64Array, out: Float64Array = new Float64Array(sizes.outputs)): Float64Array {
      if (x.length !== sizes.units) {
        throw new RnnscopeError(
          'SHAPE_MISMATCH',
          `state must have length ${sizes.units} (units), got ${x.length}`,
        );
      }
      if (out.length !== sizes.outputs) {
        throw new RnnscopeError(
          'SHAPE_MISMATCH',
          `output buffer must have length ${sizes.outputs}, got ${out.length}`,
        );
      }
      let rho = x;
      if (onState) {
        rho = new Float64Array(sizes.units);
        act.value(x, rho);
      }
      readoutInto(params, sizes, rho, out);
      return out;
    },
    effectiveW(): Matrix {
      const W = clone(params.W);
      if (params.Wfb && params.Wout && sizes.outputs > 0)
        gemm(false, false, 1, params.Wfb, params.Wout, 1, W);
      return W;
    },
  };
}
