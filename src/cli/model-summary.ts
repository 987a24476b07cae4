/**
 * The numbers `rnnscope info` reports about a model. Kept to summary statistics and a spectral
 * radius from linalg's eig; anything deeper belongs in analysis/.
 */
import { eig, type Matrix } from '../linalg/index.js';
import type { Model, ModelParams } from '../models/types.js';

export interface WeightStats {
  shape: number[];
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Euclidean (Frobenius for matrices) norm. */
  norm: number;
  /** Fraction of exact zeros (sparsity). */
  zeros: number;
}

export function weightStats(data: Float64Array, shape: number[]): WeightStats {
  const n = shape.reduce((a, b) => a * b, 1);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0) zeros++;
  }
  const mean = n > 0 ? sum / n : 0;
  let ss = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    ss += (data[i] - mean) ** 2;
    sq += data[i] ** 2;
  }
  return {
    shape,
    mean,
    std: n > 0 ? Math.sqrt(ss / n) : 0,
    min: n > 0 ? min : 0,
    max: n > 0 ? max : 0,
    norm: Math.sqrt(sq),
    zeros: n > 0 ? zeros / n : 0,
  };
}

/** max |λ| over the eigenvalues of a square matrix. */
export function spectralRadius(A: Matrix): number {
  const { re, im } = eig(A, { vectors: false });
  let r = 0;
  for (let i = 0; i < re.length; i++) r = Math.max(r, Math.hypot(re[i], im[i]));
  return r;
}

export interface ModelSummary {
  kind: ModelParams['kind'];
  units: number;
  inputs: number;
  outputs: number;
  activation: ModelParams['activation'];
  tau?: number;
  dt?: number;
  alpha?: number;
  /** Spectral radius of W, and of W + Wfb·Wout when the model has feedback. */
  spectralRadius?: { W: number; effective?: number };
  weights: Record<string, WeightStats>;
}

export function summarizeModel(model: Model, withSpectrum: boolean): ModelSummary {
  const p = model.params;
  const s: ModelSummary = { kind: p.kind, ...model.sizes, activation: p.activation, weights: {} };
  if (p.kind === 'rate' || p.kind === 'ctrnn') {
    s.tau = p.tau;
    s.dt = p.dt;
  } else if (p.kind === 'leaky-esn') {
    s.alpha = p.alpha;
  }
  if (withSpectrum) {
    s.spectralRadius = { W: spectralRadius(p.W) };
    if (p.Wfb && p.Wout && model.sizes.outputs > 0)
      s.spectralRadius.effective = spectralRadius(model.effectiveW());
  }
  for (const f of ['W', 'Win', 'Wfb', 'Wout'] as const) {
    const m = p[f];
    if (m) s.weights[f] = weightStats(m.data, [m.rows, m.cols]);
  }
  for (const f of ['bias', 'bout'] as const) {
    const v = p[f];
    if (v) s.weights[f] = weightStats(v, [v.length]);
  }
  return s;
}
