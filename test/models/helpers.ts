/**
 * Test helpers: random model parameters, and naive reference implementations of every model's
 * equations written with plain loops straight from the seeds (no gemv, no shared kernels).
 */
import type { Matrix } from '../../src/linalg/matrix.js';
import type { ActivationSpec, ModelKind, ModelParams } from '../../src/models/types.js';
import { createRng } from '../../src/random/rng.js';

export const KINDS: ModelKind[] = ['rate', 'leaky-esn', 'ctrnn', 'rnn'];
export const ACTIVATIONS: ActivationSpec[] = [
  { name: 'tanh' },
  { name: 'logistic' },
  { name: 'relu', threshold: 0.1 },
  { name: 'identity' },
];

function gaussian(rows: number, cols: number, std: number, seed: string): Matrix {
  const rng = createRng(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(0, std);
  return { rows, cols, data };
}

function vector(n: number, std: number, seed: string): Float64Array {
  return gaussian(1, n, std, seed).data;
}

export interface MakeOptions {
  N?: number;
  I?: number;
  O?: number;
  feedback?: boolean;
  g?: number;
  seed?: string;
}

/** A model of `kind` with Gaussian weights; everything optional present unless asked otherwise. */
export function makeParams(kind: ModelKind, act: ActivationSpec, o: MakeOptions = {}): ModelParams {
  const N = o.N ?? 12;
  const I = o.I ?? 2;
  const O = o.O ?? 3;
  const seed = o.seed ?? `${kind}-${act.name}`;
  const g = o.g ?? 1.2;
  const weights = {
    W: gaussian(N, N, g / Math.sqrt(N), seed + 'W'),
    ...(I > 0 ? { Win: gaussian(N, I, 1, seed + 'Win') } : {}),
    ...(O > 0
      ? {
          Wout: gaussian(O, N, 1 / Math.sqrt(N), seed + 'Wout'),
          bout: vector(O, 0.1, seed + 'bout'),
        }
      : {}),
    ...(O > 0 && o.feedback !== false ? { Wfb: gaussian(N, O, 0.5, seed + 'Wfb') } : {}),
    bias: vector(N, 0.2, seed + 'bias'),
  };
  switch (kind) {
    case 'rate':
      return { kind, activation: act, tau: 10, dt: 0.5, ...weights };
    case 'ctrnn':
      return { kind, activation: act, tau: 2, dt: 0.1, ...weights };
    case 'leaky-esn':
      return { kind, activation: act, alpha: 0.3, ...weights };
    case 'rnn':
      return { kind, activation: act, ...weights };
  }
}

export function phi(spec: ActivationSpec, x: number): number {
  switch (spec.name) {
    case 'tanh':
      return Math.tanh(x);
    case 'logistic':
      return 1 / (1 + Math.exp(-x));
    case 'relu':
      return Math.max(0, x - (spec.threshold ?? 0));
    case 'identity':
      return x;
  }
}

const at = (m: Matrix, i: number, j: number) => m.data[i * m.cols + j];

/** z = Wout·ρ + bout with ρ = φ(x) for rate, x otherwise. */
export function naiveReadout(p: ModelParams, x: ArrayLike<number>): number[] {
  const N = p.W.rows;
  const rho = Array.from(x, (v) => (p.kind === 'rate' ? phi(p.activation, v) : v));
  const O = p.Wout ? p.Wout.rows : 0;
  const z: number[] = [];
  for (let o = 0; o < O; o++) {
    let s = p.bout ? p.bout[o] : 0;
    for (let j = 0; j < N; j++) s += at(p.Wout!, o, j) * rho[j];
    z.push(s);
  }
  return z;
}

/** a = W·ρ + Wfb·z + Win·u + bias. */
export function naiveDrive(p: ModelParams, x: ArrayLike<number>, u: ArrayLike<number>): number[] {
  const N = p.W.rows;
  const rho = Array.from(x, (v) => (p.kind === 'rate' ? phi(p.activation, v) : v));
  const z = naiveReadout(p, x);
  const a: number[] = [];
  for (let i = 0; i < N; i++) {
    let s = p.bias ? p.bias[i] : 0;
    for (let j = 0; j < N; j++) s += at(p.W, i, j) * rho[j];
    if (p.Wfb) for (let o = 0; o < z.length; o++) s += at(p.Wfb, i, o) * z[o];
    if (p.Win) for (let k = 0; k < u.length; k++) s += at(p.Win, i, k) * u[k];
    a.push(s);
  }
  return a;
}

/** One step of the model exactly as the seeds write it. */
export function naiveStep(p: ModelParams, x: ArrayLike<number>, u: ArrayLike<number>): number[] {
  const a = naiveDrive(p, x, u);
  return a.map((ai, i) => {
    switch (p.kind) {
      case 'rate':
        return x[i] + (p.dt / p.tau) * (-x[i] + ai);
      case 'ctrnn':
        return x[i] + p.dt * (-x[i] / p.tau + phi(p.activation, ai));
      case 'leaky-esn':
        return (1 - p.alpha) * x[i] + p.alpha * phi(p.activation, ai);
      case 'rnn':
        return phi(p.activation, ai);
    }
  });
}

/** dx/dt for flows; G(x) − x for maps (the Euler map of a flow when `time` is 'map'). */
export function naiveVelocity(
  p: ModelParams,
  x: ArrayLike<number>,
  u: ArrayLike<number>,
  time: 'flow' | 'map',
): number[] {
  if (time === 'map') return naiveStep(p, x, u).map((v, i) => v - x[i]);
  const a = naiveDrive(p, x, u);
  if (p.kind === 'rate') return a.map((ai, i) => (ai - x[i]) / p.tau);
  if (p.kind === 'ctrnn') return a.map((ai, i) => phi(p.activation, ai) - x[i] / p.tau);
  throw new Error('no flow for discrete kinds');
}

export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / Math.max(den, 1e-300);
}
