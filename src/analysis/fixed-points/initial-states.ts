/**
 * Initial states for the fixed-point search: samples of simulated trajectories (the states the
 * network actually visits), optional Gaussian jitter, and states placed off the visited
 * manifold — scaled away from the centroid, or (seed 000 §6) chosen so that the readout takes
 * values outside the range the task uses.
 */
import { RnnscopeError } from '../../errors.js';
import { gemm, gemv, solve, type Matrix } from '../../linalg/index.js';
import { activation } from '../../models/index.js';
import { actsOnState } from '../../models/kernels.js';
import type { ModelParams } from '../../models/types.js';
import type { Rng } from '../../random/index.js';

/** Stacks matrices with equal column counts row-wise. */
export function stackStates(...parts: Matrix[]): Matrix {
  const cols = parts.length > 0 ? parts[0].cols : 0;
  let rows = 0;
  for (const p of parts) {
    if (p.cols !== cols) {
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `states to stack must all have ${cols} columns, got ${p.rows}×${p.cols}`,
      );
    }
    rows += p.rows;
  }
  const data = new Float64Array(rows * cols);
  let at = 0;
  for (const p of parts) {
    data.set(p.data.subarray(0, p.rows * p.cols), at);
    at += p.rows * p.cols;
  }
  return { rows, cols, data };
}

/**
 * `count` states with i.i.d. coordinates N(center_i, scale²) — random starts for systems without
 * trajectories (analytic systems, tests).
 */
export function randomStates(
  dim: number,
  count: number,
  rng: Rng,
  opts: { scale?: number; center?: ArrayLike<number> } = {},
): Matrix {
  const scale = opts.scale ?? 1;
  const out = { rows: count, cols: dim, data: new Float64Array(count * dim) };
  for (let r = 0; r < count; r++)
    for (let i = 0; i < dim; i++)
      out.data[r * dim + i] = (opts.center ? opts.center[i] : 0) + scale * rng.normal();
  return out;
}

/**
 * `count` rows drawn uniformly from the rows of the trajectories (each T×N), without
 * replacement unless `replace` (FixedPointFinder samples with replacement), plus N(0, noise²)
 * jitter on every coordinate.
 */
export function sampleStates(
  trajectories: Matrix | readonly Matrix[],
  count: number,
  rng: Rng,
  opts: { replace?: boolean; noise?: number } = {},
): Matrix {
  const list = Array.isArray(trajectories) ? trajectories : [trajectories as Matrix];
  const all = stackStates(...(list as Matrix[]));
  const n = all.cols;
  if (!(Number.isInteger(count) && count >= 1))
    throw new RnnscopeError('INVALID_ARGUMENT', `count must be a positive integer, got ${count}`);
  if (all.rows === 0) throw new RnnscopeError('INVALID_ARGUMENT', 'no trajectory states to sample');
  const replace = opts.replace ?? false;
  if (!replace && count > all.rows) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `cannot draw ${count} states without replacement from ${all.rows} trajectory states; simulate longer or sample with replacement`,
    );
  }
  const idx = rng.sampleIndices(all.rows, count, replace);
  const noise = opts.noise ?? 0;
  if (!(noise >= 0 && Number.isFinite(noise)))
    throw new RnnscopeError('INVALID_ARGUMENT', `noise must be ≥ 0, got ${noise}`);
  const out = { rows: count, cols: n, data: new Float64Array(count * n) };
  idx.forEach((r, k) => {
    for (let i = 0; i < n; i++)
      out.data[k * n + i] = all.data[r * n + i] + (noise > 0 ? noise * rng.normal() : 0);
  });
  return out;
}

/** The centroid c of the rows, and c + s·(x − c) for every row x and factor s in `scales`. */
export function radialStates(states: Matrix, scales: readonly number[]): Matrix {
  const n = states.cols;
  const c = new Float64Array(n);
  for (let r = 0; r < states.rows; r++) for (let i = 0; i < n; i++) c[i] += states.data[r * n + i];
  for (let i = 0; i < n; i++) c[i] /= Math.max(1, states.rows);
  const out = {
    rows: states.rows * scales.length,
    cols: n,
    data: new Float64Array(states.rows * scales.length * n),
  };
  let k = 0;
  for (const s of scales)
    for (let r = 0; r < states.rows; r++, k++)
      for (let i = 0; i < n; i++) out.data[k * n + i] = c[i] + s * (states.data[r * n + i] - c[i]);
  return out;
}

function inverseActivation(p: ModelParams, rho: number): number {
  const a = p.activation;
  switch (a.name) {
    case 'tanh':
      return Math.atanh(Math.max(-1 + 1e-6, Math.min(1 - 1e-6, rho)));
    case 'logistic': {
      const r = Math.max(1e-6, Math.min(1 - 1e-6, rho));
      return Math.log(r / (1 - r));
    }
    case 'identity':
      return rho;
    case 'relu':
      return rho + (a.threshold ?? 0); // below threshold the readout cannot be negative: approximate
  }
}

/**
 * States near `reference` whose readout is the given target (rows of `targets`, K×O), as seed
 * 000 §6 placed initial conditions at output values outside the flip-flop cube. The readout is
 * linear in ρ (ρ = φ(x) for rate models, x otherwise), so the minimal change of ρ is
 *
 *   ρ = ρ̄ + Woutᵀ(Wout·Woutᵀ)⁻¹·(z̄ − bout − Wout·ρ̄),   ρ̄ = ρ(reference),
 *
 * and x = φ⁻¹(ρ) for rate models (clipped to φ's range: exact only where ρ is attainable).
 * Needs a readout of full row rank.
 */
export function statesForOutputs(
  params: ModelParams,
  targets: Matrix,
  reference: Float64Array,
): Matrix {
  const Wout = params.Wout;
  const N = params.W.rows;
  if (!Wout || Wout.rows === 0) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      'output-space initial states need a model with a readout (Wout)',
    );
  }
  const O = Wout.rows;
  if (targets.cols !== O) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `output targets must have ${O} columns (outputs), got ${targets.cols}`,
    );
  }
  if (reference.length !== N) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `reference state must have length ${N}, got ${reference.length}`,
    );
  }
  const onState = actsOnState(params);
  const rhoBar = new Float64Array(N);
  if (onState) activation(params.activation).value(reference, rhoBar, N);
  else rhoBar.set(reference);
  const zBar = new Float64Array(O);
  gemv(false, 1, Wout, rhoBar, 0, zBar);
  const G = { rows: O, cols: O, data: new Float64Array(O * O) };
  gemm(false, true, 1, Wout, Wout, 0, G);
  const K = targets.rows;
  const rhs = { rows: O, cols: K, data: new Float64Array(O * K) };
  for (let k = 0; k < K; k++)
    for (let o = 0; o < O; o++)
      rhs.data[o * K + k] = targets.data[k * O + o] - (params.bout ? params.bout[o] : 0) - zBar[o];
  let coef: Matrix;
  try {
    coef = solve(G, rhs);
  } catch (e) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      'the readout Wout is rank-deficient: cannot place states by output',
      { cause: e },
    );
  }
  const D = { rows: N, cols: K, data: new Float64Array(N * K) };
  gemm(true, false, 1, Wout, coef, 0, D);
  const out = { rows: K, cols: N, data: new Float64Array(K * N) };
  for (let k = 0; k < K; k++)
    for (let i = 0; i < N; i++) {
      const rho = rhoBar[i] + D.data[i * K + k];
      out.data[k * N + i] = onState ? inverseActivation(params, rho) : rho;
    }
  return out;
}
