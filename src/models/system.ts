/**
 * A model with its input frozen, as a DynamicalSystem (see kernels.ts for the maths).
 * Weights are read from `params` on every call, so a system made before training sees the
 * trained weights; only u is captured (copied) when the system is made.
 */
import { RnnscopeError } from '../errors.js';
import { fromData, gemm } from '../linalg/index.js';
import type { DynamicalSystem } from '../systems/types.js';
import type { Activation } from './activations.js';
import {
  actsOnState,
  effectiveTimes,
  effectiveTransposeTimes,
  evaluate,
  makeScratch,
  naturalTime,
  readoutInto,
  velocityCoefficients,
} from './kernels.js';
import type { ModelParams, ModelSizes } from './types.js';

function describeActivation(act: Activation): string {
  const spec = act.spec;
  return spec.name === 'relu' && spec.threshold ? `relu(θ=${spec.threshold})` : spec.name;
}

export function modelSystem(
  p: ModelParams,
  sizes: ModelSizes,
  act: Activation,
  u: Float64Array | undefined,
  time: 'flow' | 'map' | undefined,
): DynamicalSystem {
  const N = sizes.units;
  const natural = naturalTime(p);
  const t = time ?? natural;
  if (t !== 'flow' && t !== 'map') {
    throw new RnnscopeError('INVALID_ARGUMENT', `time must be 'flow' or 'map', got '${String(t)}'`);
  }
  if (natural === 'map' && t === 'flow') {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `a ${p.kind} model is discrete-time; system(u, 'flow') is only defined for rate and ctrnn models`,
    );
  }
  const input = new Float64Array(sizes.inputs);
  if (u !== undefined) {
    if (u.length !== sizes.inputs) {
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `input u must have length ${sizes.inputs} (inputs), got ${u.length}`,
      );
    }
    for (let i = 0; i < u.length; i++) {
      if (!Number.isFinite(u[i])) throw new RnnscopeError('NON_FINITE', `input u[${i}] is ${u[i]}`);
    }
    input.set(u);
  }
  const onState = actsOnState(p);
  const s = makeScratch(sizes);
  const checkX = (x: Float64Array) => {
    if (x.length !== N)
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `state must have length ${N} (units), got ${x.length}`,
      );
  };
  /** Fills s.d with φ′ (at x for rate, at the drive otherwise); rate needs no matrix product. */
  const slopes = (x: Float64Array) => {
    if (onState) act.derivative(x, s.d, N);
    else evaluate(p, sizes, act, x, input, s);
  };

  const euler =
    natural === 'flow' && t === 'map' ? `, Euler map dt=${(p as { dt: number }).dt}` : '';
  const sys: DynamicalSystem = {
    dim: N,
    time: t,
    label: `${p.kind} N=${N} ${describeActivation(act)}${euler} (u frozen)`,

    /** s·(g − c·x). */
    velocity(x, out) {
      checkX(x);
      const { s: k, c } = velocityCoefficients(p, t);
      const g = evaluate(p, sizes, act, x, input, s);
      for (let i = 0; i < N; i++) out[i] = k * (g[i] - c * x[i]);
    },

    /** s·(Weff·D − c·I) for rate, s·(D·Weff − c·I) otherwise; row-major N×N. */
    jacobian(x, out) {
      checkX(x);
      const { s: k, c } = velocityCoefficients(p, t);
      slopes(x);
      const J = fromData(N, N, out);
      out.set(p.W.data.subarray(0, N * N));
      if (p.Wfb && p.Wout && sizes.outputs > 0) gemm(false, false, 1, p.Wfb, p.Wout, 1, J);
      const d = s.d;
      for (let i = 0; i < N; i++) {
        const row = i * N;
        if (onState) for (let j = 0; j < N; j++) out[row + j] *= k * d[j];
        else {
          const di = k * d[i];
          for (let j = 0; j < N; j++) out[row + j] *= di;
        }
        out[row + i] -= k * c;
      }
    },

    /** J·v without forming J: O(N²) (plus O(N·O) for feedback). */
    jvp(x, v, out) {
      checkX(x);
      const { s: k, c } = velocityCoefficients(p, t);
      slopes(x);
      const d = s.d;
      if (onState) {
        for (let j = 0; j < N; j++) s.w[j] = d[j] * v[j];
        effectiveTimes(p, sizes, s.w, s.y, s.t);
        for (let i = 0; i < N; i++) out[i] = k * (s.y[i] - c * v[i]);
      } else {
        effectiveTimes(p, sizes, v, s.w, s.t);
        for (let i = 0; i < N; i++) out[i] = k * (d[i] * s.w[i] - c * v[i]);
      }
    },

    /** Jᵀ·v without forming J. */
    vjp(x, v, out) {
      checkX(x);
      const { s: k, c } = velocityCoefficients(p, t);
      slopes(x);
      const d = s.d;
      if (onState) {
        effectiveTransposeTimes(p, sizes, v, s.w, s.t);
        for (let i = 0; i < N; i++) out[i] = k * (d[i] * s.w[i] - c * v[i]);
      } else {
        for (let i = 0; i < N; i++) s.w[i] = d[i] * v[i];
        effectiveTransposeTimes(p, sizes, s.w, s.y, s.t);
        for (let i = 0; i < N; i++) out[i] = k * (s.y[i] - c * v[i]);
      }
    },
  };

  if (sizes.outputs > 0) {
    return {
      ...sys,
      outputDim: sizes.outputs,
      output(x, out) {
        checkX(x);
        if (onState) {
          act.value(x, s.w, N);
          readoutInto(p, sizes, s.w, out);
        } else readoutInto(p, sizes, x, out);
      },
    };
  }
  return sys;
}
