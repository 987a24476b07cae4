/**
 * The maths every model kind shares, written once. Two families:
 *
 * - rate (seeds 000/001): the nonlinearity acts on the state, r = φ(x), and the readout reads r;
 *     a = W r + Wfb z + Win u + b,  z = Wout r + bout,  F(x) = (a − x)/τ.
 * - ctrnn, leaky-esn, rnn: the nonlinearity acts on the drive, the readout reads x;
 *     a = W x + Wfb z + Win u + b,  z = Wout x + bout,  next state from φ(a).
 *
 * Every kind's velocity then has the form s·(g − c·x) with g = a (rate) or φ(a) (others):
 *
 *   kind        time   s        c      g
 *   rate        flow   1/τ      1      a
 *   ctrnn       flow   1        1/τ    φ(a)
 *   leaky-esn   map    α        1      φ(a)      (velocity = G(x) − x)
 *   rnn         map    1        1      φ(a)
 *
 * and the Euler map of a flow multiplies s by dt. Hence one Jacobian for all:
 *   J = s·(Weff·D − c·I)  (rate, D = diag φ′(x)),   J = s·(D·Weff − c·I)  (others, D = diag φ′(a)),
 * with Weff = W + Wfb·Wout, because z depends on x through the readout.
 */
import { gemv } from '../linalg/index.js';
import type { Activation } from './activations.js';
import type { ModelParams, ModelSizes } from './types.js';

/** True when the readout and the recurrence see φ(x) rather than x (the rate family). */
export function actsOnState(p: ModelParams): boolean {
  return p.kind === 'rate';
}

/** The natural time convention of a kind. */
export function naturalTime(p: ModelParams): 'flow' | 'map' {
  return p.kind === 'rate' || p.kind === 'ctrnn' ? 'flow' : 'map';
}

/** The (s, c) of the table above; `time: 'map'` on a flow kind gives its Euler map. */
export function velocityCoefficients(
  p: ModelParams,
  time: 'flow' | 'map',
): { s: number; c: number } {
  switch (p.kind) {
    case 'rate':
      return { s: (time === 'map' ? p.dt : 1) / p.tau, c: 1 };
    case 'ctrnn':
      return { s: time === 'map' ? p.dt : 1, c: 1 / p.tau };
    case 'leaky-esn':
      return { s: p.alpha, c: 1 };
    case 'rnn':
      return { s: 1, c: 1 };
  }
}

/**
 * z ← Wout·ρ + bout (nothing when O = 0), where ρ is the vector the readout reads:
 * φ(x) for rate (the caller passes r), x otherwise.
 */
export function readoutInto(
  p: ModelParams,
  sizes: ModelSizes,
  rho: Float64Array,
  z: Float64Array,
): void {
  if (sizes.outputs === 0 || !p.Wout) return;
  if (p.bout) z.set(p.bout);
  gemv(false, 1, p.Wout, rho, p.bout ? 1 : 0, z);
}

/** a ← W·ρ + Wfb·z + Win·u + bias, ρ = r (rate) or x (others). `u` may be empty when I = 0. */
export function driveInto(
  p: ModelParams,
  sizes: ModelSizes,
  rho: Float64Array,
  z: Float64Array,
  u: Float64Array,
  a: Float64Array,
): void {
  gemv(false, 1, p.W, rho, 0, a);
  if (p.Wfb && sizes.outputs > 0) gemv(false, 1, p.Wfb, z, 1, a);
  if (p.Win && sizes.inputs > 0) gemv(false, 1, p.Win, u, 1, a);
  const b = p.bias;
  if (b) for (let i = 0; i < sizes.units; i++) a[i] += b[i];
}

/** Scratch vectors for one evaluator (a system or a simulation); allocated once. */
export interface Scratch {
  r: Float64Array; // φ(x) for rate
  a: Float64Array; // drive
  d: Float64Array; // φ′ at x (rate) or at a (others)
  y: Float64Array; // N-length temporary
  w: Float64Array; // N-length temporary
  z: Float64Array; // readout
  t: Float64Array; // O-length temporary
}

export function makeScratch(sizes: ModelSizes): Scratch {
  const N = sizes.units;
  const O = sizes.outputs;
  return {
    r: new Float64Array(N),
    a: new Float64Array(N),
    d: new Float64Array(N),
    y: new Float64Array(N),
    w: new Float64Array(N),
    z: new Float64Array(O),
    t: new Float64Array(O),
  };
}

/**
 * Evaluates the model at x with input u: fills s.z (readout), s.a (drive), s.d (φ′ at x for
 * rate, at a otherwise) and returns g (= s.a for rate; φ(a) in s.y otherwise).
 * For rate, s.r = φ(x) as well.
 */
export function evaluate(
  p: ModelParams,
  sizes: ModelSizes,
  act: Activation,
  x: Float64Array,
  u: Float64Array,
  s: Scratch,
): Float64Array {
  if (actsOnState(p)) {
    act.valueAndDerivative(x, s.r, s.d, sizes.units);
    readoutInto(p, sizes, s.r, s.z);
    driveInto(p, sizes, s.r, s.z, u, s.a);
    return s.a;
  }
  readoutInto(p, sizes, x, s.z);
  driveInto(p, sizes, x, s.z, u, s.a);
  act.valueAndDerivative(s.a, s.y, s.d, sizes.units);
  return s.y;
}

/** y ← Weff·v = W·v + Wfb·(Wout·v), using t (O-length) as scratch. */
export function effectiveTimes(
  p: ModelParams,
  sizes: ModelSizes,
  v: Float64Array,
  y: Float64Array,
  t: Float64Array,
): void {
  gemv(false, 1, p.W, v, 0, y);
  if (p.Wfb && p.Wout && sizes.outputs > 0) {
    gemv(false, 1, p.Wout, v, 0, t);
    gemv(false, 1, p.Wfb, t, 1, y);
  }
}

/** y ← Weffᵀ·v = Wᵀ·v + Woutᵀ·(Wfbᵀ·v), using t (O-length) as scratch. */
export function effectiveTransposeTimes(
  p: ModelParams,
  sizes: ModelSizes,
  v: Float64Array,
  y: Float64Array,
  t: Float64Array,
): void {
  gemv(true, 1, p.W, v, 0, y);
  if (p.Wfb && p.Wout && sizes.outputs > 0) {
    gemv(true, 1, p.Wfb, v, 0, t);
    gemv(true, 1, p.Wout, t, 1, y);
  }
}
