/**
 * Runs a model forward over an input sequence. The per-step maths is kernels.ts's; here the
 * update is written in its direct form (e.g. x ← φ(a) for rnn rather than x + (φ(a) − x)) so a
 * step rounds exactly as the model equation reads.
 */
import { RnnscopeError } from '../errors.js';
import { firstNonFinite, zeros, type Matrix } from '../linalg/matrix.js';
import type { Activation } from './activations.js';
import { actsOnState, driveInto, makeScratch, readoutInto } from './kernels.js';
import type { ModelParams, ModelSizes, Trajectory } from './types.js';

function checkInputs(inputs: Matrix, sizes: ModelSizes): void {
  if (!inputs || !Number.isInteger(inputs.rows) || !(inputs.data instanceof Float64Array)) {
    throw new RnnscopeError('INVALID_ARGUMENT', 'inputs must be a T×I Matrix (T steps, I inputs)');
  }
  if (inputs.cols !== sizes.inputs) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `inputs must be T×${sizes.inputs} (steps × inputs), got ${inputs.rows}×${inputs.cols}`,
    );
  }
  const bad = firstNonFinite(inputs.data, inputs.rows * inputs.cols);
  if (bad >= 0) {
    const v = inputs.data[bad];
    throw new RnnscopeError(
      'NON_FINITE',
      `inputs[${Math.floor(bad / inputs.cols)}][${bad % inputs.cols}] is ${Number.isNaN(v) ? 'NaN' : v}`,
    );
  }
}

/**
 * T steps of the model; row t of `states` is the state after step t, driven by inputs row t.
 *
 *   rate:      x ← x + (dt/τ)(−x + W r + Wfb z + Win u + b),  r = φ(x), z = Wout r + bout
 *   ctrnn:     h ← h + dt(−h/τ + φ(W h + Wfb z + Win u + b)),  z = Wout h + bout
 *   leaky-esn: x ← (1−α)x + α φ(W x + Win u + Wfb z + b),      z = Wout x + bout
 *   rnn:       h ← φ(W h + Win u + Wfb z + b),                 z = Wout h + bout
 *
 * where z is always the readout of the state before the step (z[k−1] for maps; the current
 * state's readout for flows). Outputs row t is the readout of states row t.
 */
export function simulateModel(
  p: ModelParams,
  sizes: ModelSizes,
  act: Activation,
  inputs: Matrix,
  x0?: Float64Array,
): Trajectory {
  const N = sizes.units;
  const O = sizes.outputs;
  const I = sizes.inputs;
  checkInputs(inputs, sizes);
  if (x0 !== undefined) {
    if (x0.length !== N)
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `x0 must have length ${N} (units), got ${x0.length}`,
      );
    const bad = firstNonFinite(x0);
    if (bad >= 0) throw new RnnscopeError('NON_FINITE', `x0[${bad}] is ${x0[bad]}`);
  }
  const T = inputs.rows;
  const states = zeros(T, N);
  const outputs = zeros(T, O);
  const s = makeScratch(sizes);
  const onState = actsOnState(p);
  const empty = new Float64Array(0);

  let x: Float64Array = x0 ? Float64Array.from(x0) : new Float64Array(N);
  // ρ is what the readout and the recurrence read: φ(x) for rate, x otherwise.
  const rhoOf = (state: Float64Array): Float64Array => {
    if (!onState) return state;
    act.value(state, s.r, N);
    return s.r;
  };
  let rho = rhoOf(x);
  let z = s.z;
  readoutInto(p, sizes, rho, z);

  for (let t = 0; t < T; t++) {
    const u = I > 0 ? inputs.data.subarray(t * I, (t + 1) * I) : empty;
    const next = states.data.subarray(t * N, (t + 1) * N);
    const a = s.a;
    driveInto(p, sizes, rho, z, u, a);
    switch (p.kind) {
      case 'rate': {
        const h = p.dt / p.tau;
        for (let i = 0; i < N; i++) next[i] = x[i] + h * (a[i] - x[i]);
        break;
      }
      case 'ctrnn': {
        act.value(a, a, N);
        const { dt, tau } = p;
        for (let i = 0; i < N; i++) next[i] = x[i] + dt * (a[i] - x[i] / tau);
        break;
      }
      case 'leaky-esn': {
        act.value(a, a, N);
        const alpha = p.alpha;
        for (let i = 0; i < N; i++) next[i] = (1 - alpha) * x[i] + alpha * a[i];
        break;
      }
      case 'rnn':
        act.value(a, next, N);
        break;
    }
    const bad = firstNonFinite(next, N);
    if (bad >= 0) {
      const hint =
        p.kind === 'rate' || p.kind === 'ctrnn'
          ? ` (dt=${p.dt}, tau=${p.tau}: try a smaller dt)`
          : '';
      throw new RnnscopeError(
        'DIVERGED',
        `${p.kind} model diverged at step ${t}: unit ${bad} became ${next[bad]}${hint}`,
      );
    }
    x = next;
    rho = rhoOf(x);
    z = outputs.data.subarray(t * O, (t + 1) * O);
    readoutInto(p, sizes, rho, z);
  }
  return { states, outputs };
}
