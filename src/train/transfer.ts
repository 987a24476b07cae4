/**
 * Transfer initialisation (seed 000 §7.1): a network for a task with more inputs/outputs (the
 * 4-bit flip-flop) starts from one trained on the smaller task (3-bit), with the new dimensions
 * zeroed: the readout gains zero rows (and zero output biases). The new input and feedback
 * columns depend on the trainer:
 *  - 'random' (FORCE, as Jang's run_train.m): Win and Wfb are fixed random weights that FORCE
 *    never trains, and a zero feedback column would leave the new bit no loop to hold it, so the
 *    new columns are drawn U(−s, s) like the originals;
 *  - 'zero' (BPTT, which trains Win): the new input columns are zero.
 * W, biases, τ and dt are copied unchanged.
 */
import { RnnscopeError } from '../errors.js';
import { zeros, type Matrix } from '../linalg/matrix.js';
import type { ModelParams } from '../models/types.js';
import type { Rng } from '../random/index.js';

export interface TransferOptions {
  inputs: number;
  outputs: number;
  /** How new Win/Wfb columns are filled (default 'random' for rate models, else 'zero'). */
  newColumns?: 'random' | 'zero';
  /** Half-width s of U(−s, s) for new random Win / Wfb columns (default 1). */
  inputScale?: number;
  feedbackScale?: number;
}

function widenColumns(M: Matrix, cols: number, fill: () => number): Matrix {
  const out = zeros(M.rows, cols);
  for (let i = 0; i < M.rows; i++) {
    for (let j = 0; j < M.cols; j++) out.data[i * cols + j] = M.data[i * M.cols + j];
    for (let j = M.cols; j < cols; j++) out.data[i * cols + j] = fill();
  }
  return out;
}

/**
 * A copy of `trained` widened to `inputs` × `outputs`.
 * @example
 * const net4 = transferInit(net3, { inputs: 4, outputs: 4 }, rng); // then trainForce(net4, …)
 */
export function transferInit<P extends ModelParams>(
  trained: P,
  opts: TransferOptions,
  rng: Rng,
): P {
  const N = trained.W.rows;
  const I0 = trained.Win?.cols ?? 0;
  const O0 = trained.Wout?.rows ?? 0;
  const { inputs: I, outputs: O } = opts;
  if (!(Number.isInteger(I) && Number.isInteger(O) && I >= I0 && O >= O0))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `transfer can only add dimensions: from ${I0} inputs/${O0} outputs to ${I}/${O}`,
    );
  const mode = opts.newColumns ?? (trained.kind === 'rate' ? 'random' : 'zero');
  const draw = (s: number) => () => (mode === 'zero' ? 0 : rng.uniformRange(-s, s));
  const out = { ...trained, W: { rows: N, cols: N, data: trained.W.data.slice() } } as P;
  if (I > 0) out.Win = widenColumns(trained.Win ?? zeros(N, 0), I, draw(opts.inputScale ?? 1));
  if (trained.Wfb) out.Wfb = widenColumns(trained.Wfb, O, draw(opts.feedbackScale ?? 1));
  if (O > 0) {
    const Wout = zeros(O, N);
    if (trained.Wout) Wout.data.set(trained.Wout.data.subarray(0, O0 * N));
    out.Wout = Wout;
  }
  if (trained.bout) {
    const b = new Float64Array(O);
    b.set(trained.bout);
    out.bout = b;
  }
  if (trained.bias) out.bias = trained.bias.slice();
  return out;
}
