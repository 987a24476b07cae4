/**
 * Initial networks for the trainers, as the seeds build them. Draw order is fixed (W, Win,
 * Wfb, Wout) so a seed always gives the same network.
 */
import { RnnscopeError } from '../errors.js';
import { zeros } from '../linalg/matrix.js';
import type { ActivationSpec, CtrnnModel, RateModel, RnnModel } from '../models/types.js';
import {
  gaussianMatrix,
  orthogonal,
  recurrentGaussian,
  uniformMatrix,
  type Rng,
} from '../random/index.js';

export interface ReservoirOptions {
  units: number;
  inputs: number;
  outputs: number;
  /** W_ij ~ N(0, g²/N) (default 1.5). */
  g?: number;
  tau?: number;
  dt?: number;
  /** Scale of Win ~ U(−s, s) and Wfb ~ U(−s, s) (default 1, as init_net.m). */
  inputScale?: number;
  feedbackScale?: number;
  /** Unit nonlinearity (default tanh, as seed 000; seed 000 fig. 9 also uses logistic units). */
  activation?: ActivationSpec;
}

/**
 * The rate network FORCE and teacher-forced ridge train (seed 000 init_net.m, seed 001):
 *   τ ẋ = −x + W·tanh(x) + Wfb·z + Win·u,  z = Wout·tanh(x),
 * W ~ N(0, g²/N), Win, Wfb ~ U(−1, 1), Wout = 0; τ = 10, dt = 1.
 */
export function createReservoir(opts: ReservoirOptions, rng: Rng): RateModel {
  const { units: N, inputs: I, outputs: O } = opts;
  const g = opts.g ?? 1.5;
  const si = opts.inputScale ?? 1;
  const sf = opts.feedbackScale ?? 1;
  const model: RateModel = {
    kind: 'rate',
    activation: opts.activation ?? { name: 'tanh' },
    tau: opts.tau ?? 10,
    dt: opts.dt ?? 1,
    W: recurrentGaussian(N, g, rng),
    Wout: zeros(O, N),
  };
  if (I > 0) model.Win = uniformMatrix(N, I, -si, si, rng);
  model.Wfb = uniformMatrix(N, O, -sf, sf, rng);
  return model;
}

export interface TrainableNetworkOptions {
  kind: 'rnn' | 'ctrnn';
  units: number;
  inputs: number;
  outputs: number;
  /** 'normal': W ~ N(0, g²/N) (g = 1: variance 1/N, seed 004); 'orthogonal': Haar orthogonal · g. */
  init?: 'normal' | 'orthogonal';
  g?: number;
  activation?: ActivationSpec;
  /** ctrnn only (defaults τ = 1, dt = 0.1). */
  tau?: number;
  dt?: number;
}

/**
 * A network for BPTT: W per `init`, Win ~ U(−1, 1)/√I·√3 (unit variance per input), Wout ~
 * N(0, 1/N), zero biases.
 */
export function createTrainableNetwork(
  opts: TrainableNetworkOptions,
  rng: Rng,
): RnnModel | CtrnnModel {
  const { units: N, inputs: I, outputs: O } = opts;
  const g = opts.g ?? 1;
  const init = opts.init ?? 'normal';
  if (init !== 'normal' && init !== 'orthogonal')
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `init must be 'normal' or 'orthogonal', got '${String(init)}'`,
    );
  const W = init === 'orthogonal' ? orthogonal(N, rng, g) : recurrentGaussian(N, g, rng);
  const a = I > 0 ? Math.sqrt(3 / I) : 0;
  const weights = {
    W,
    ...(I > 0 ? { Win: uniformMatrix(N, I, -a, a, rng) } : {}),
    Wout: gaussianMatrix(O, N, 1 / Math.sqrt(N), rng),
    bias: new Float64Array(N),
    bout: new Float64Array(O),
  };
  const activation = opts.activation ?? { name: 'tanh' };
  return opts.kind === 'ctrnn'
    ? { kind: 'ctrnn', activation, tau: opts.tau ?? 1, dt: opts.dt ?? 0.1, ...weights }
    : { kind: 'rnn', activation, ...weights };
}
