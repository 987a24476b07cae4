import type { Matrix } from '../linalg/matrix.js';
import type { DynamicalSystem } from '../systems/types.js';

/** Element-wise nonlinearity. `relu` is max(0, x − threshold) (seed 001); threshold defaults to 0. */
export type ActivationSpec =
  | { name: 'tanh' }
  | { name: 'logistic' }
  | { name: 'relu'; threshold?: number }
  | { name: 'identity' };

export type ModelKind = 'rate' | 'leaky-esn' | 'ctrnn' | 'rnn';

/**
 * Weights shared by every kind. Shapes (N units, I inputs, O outputs):
 * W N×N, Win N×I, Wfb N×O, Wout O×N, bias N, bout O. `W[i][j]` is the weight from unit j to
 * unit i. Absent optional matrices mean zero (and size 0 where they define a dimension:
 * no Win ⇒ I = 0, no Wout ⇒ O = 0). Wfb and bout need Wout.
 *
 * Feedback rule, the same for every kind: Wfb feeds back the readout z of the state the update
 * starts from — the current state's readout for continuous-time kinds, z[k−1] for maps. With
 * u frozen, z is then a function of x, so every Jacobian sees Weff = W + Wfb·Wout.
 */
export interface ModelWeights {
  W: Matrix;
  Win?: Matrix;
  Wfb?: Matrix;
  Wout?: Matrix;
  bias?: Float64Array;
  bout?: Float64Array;
}

/**
 * Continuous-time rate network of seeds 000/001:
 *   τ ẋ = −x + W φ(x) + Wfb z + Win u + bias,   z = Wout φ(x) + bout,
 * Euler step x ← x + (dt/τ)(…). With feedback the effective recurrent matrix is W + Wfb·Wout.
 */
export interface RateModel extends ModelWeights {
  kind: 'rate';
  activation: ActivationSpec;
  tau: number;
  dt: number;
}

/**
 * Discrete leaky echo-state network of seed 002:
 *   x[k] = (1−α) x[k−1] + α φ(W x[k−1] + Win u[k] + Wfb z[k−1] + bias),  z[k] = Wout x[k] + bout.
 */
export interface LeakyEsnModel extends ModelWeights {
  kind: 'leaky-esn';
  activation: ActivationSpec;
  alpha: number;
}

/**
 * Jarne's continuous-time network (seed 004 eq. 1, plus the optional feedback):
 *   dh/dt = −h/τ + σ(W h + Wfb z + Win u + bias),  z = Wout h + bout,
 * simulated by Euler steps h ← h + dt·(…). `system(u)` gives the flow; `system(u, 'map')` the
 * Euler map that `simulate` actually iterates.
 */
export interface CtrnnModel extends ModelWeights {
  kind: 'ctrnn';
  activation: ActivationSpec;
  tau: number;
  dt: number;
}

/**
 * Discrete vanilla RNN (PyTorch nn.RNN convention, plus the optional feedback):
 *   h[k] = φ(W h[k−1] + Win u[k] + Wfb z[k−1] + bias),  z[k] = Wout h[k] + bout.
 */
export interface RnnModel extends ModelWeights {
  kind: 'rnn';
  activation: ActivationSpec;
}

export type ModelParams = RateModel | LeakyEsnModel | CtrnnModel | RnnModel;

export interface ModelSizes {
  units: number;
  inputs: number;
  outputs: number;
}

/** A simulation: row t of `states` is the state after step t (x0 is not included). */
export interface Trajectory {
  states: Matrix; // T×N
  outputs: Matrix; // T×O (0 columns when the model has no readout)
}

/** A model bound to behaviour. The parameters stay plain data (`params`) for saving and sharing. */
export interface Model {
  readonly params: ModelParams;
  readonly sizes: ModelSizes;
  /**
   * Runs T steps; `inputs` is T×I (for I = 0 give a T×0 matrix), row t drives step t.
   * x0 defaults to zeros. Throws DIVERGED naming the step if the state becomes non-finite.
   */
  simulate(inputs: Matrix, x0?: Float64Array): Trajectory;
  /**
   * The model as a DynamicalSystem with input `u` frozen (length I; defaults to zeros; copied).
   * `time` defaults to the model's natural convention ('flow' for rate/ctrnn, 'map' for
   * leaky-esn/rnn); `'map'` on a continuous-time model gives its Euler map (velocity dt·F,
   * Jacobian dt·DF); `'flow'` on a discrete-time model throws INVALID_ARGUMENT. The system has
   * analytic `jacobian`, matrix-free `jvp`/`vjp` (O(N²)), and `output` when O > 0. Weights are
   * read on every call, so in-place training updates are seen.
   */
  system(u?: Float64Array, time?: 'flow' | 'map'): DynamicalSystem;
  /** Readout z = Wout·r + bout for a state (r = φ(x) for rate, x otherwise). */
  output(x: Float64Array, out?: Float64Array): Float64Array;
  /** The recurrent matrix the linearisation sees: W + Wfb·Wout when feedback exists, else W. */
  effectiveW(): Matrix;
}
