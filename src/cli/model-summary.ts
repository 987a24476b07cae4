/**
 * The numbers `rnnscope info` reports about a model: weight statistics and spectral radii, both
 * from analysis/spectrum (`rnnscope spectrum` reports the full diagnostics).
 */
import { spectralRadius, weightStats, type WeightStats } from '../analysis/spectrum/index.js';
import type { Model, ModelParams } from '../models/types.js';

export type { WeightStats } from '../analysis/spectrum/index.js';

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
