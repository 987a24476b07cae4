/**
 * Hand-written reverse mode through the simulated dynamics of the discrete `rnn` and the Euler-
 * stepped `ctrnn` (seed 004), float64, batched so every time step is a GEMM over the batch.
 *
 * Forward (B trials as rows, H_0 = 1·x0ᵀ, t = 1…T):
 *   A_t = H_{t−1}·Wᵀ + U_t·Winᵀ + 1·bᵀ,   S_t = φ(A_t),
 *   rnn:   H_t = S_t;      ctrnn: H_t = (1 − dt/τ)·H_{t−1} + dt·S_t,
 *   Z = H_{1…T}·Woutᵀ + 1·boutᵀ,   L = Σ m⊙(Z − Y)² / Σ m.
 * Reverse (G = ∂L/∂Z = 2 m⊙(Z − Y)/Σm, carry = ∂L/∂H_t through H_{t+1}, zero at T):
 *   g_t = G_t·Wout + carry,
 *   rnn:   dA_t = g_t ⊙ φ′(A_t),       carry ← dA_t·W,
 *   ctrnn: dA_t = dt·g_t ⊙ φ′(A_t),    carry ← (1 − dt/τ)·g_t + dA_t·W,
 *   ∂W = Σ_t dA_tᵀ·H_{t−1},  ∂Win = Σ_t dA_tᵀ·U_t,  ∂b = Σ dA,  ∂Wout = Gᵀ·H_{1…T},
 *   ∂bout = Σ G,  ∂x0 = Σ_b carry (after t = 1).
 * The weight gradients are single GEMMs over the stacked T·B axis.
 */
import { RnnscopeError } from '../errors.js';
import type { CtrnnModel, RnnModel } from '../models/types.js';
import type { TrialBatch } from '../tasks/types.js';
import { createBpttOps, type BpttOps } from './bptt-ops.js';

export type BpttModel = RnnModel | CtrnnModel;

/** Names of the parameters BPTT can train. */
export const bpttParameterNames = ['W', 'Win', 'Wout', 'bias', 'bout', 'x0'] as const;
export type BpttParameterName = (typeof bpttParameterNames)[number];

/** Gradients, one array per parameter (same layout as the model's), all present. */
export type BpttGradients = Record<BpttParameterName, Float64Array>;

export interface BpttWorkspace {
  readonly ops: BpttOps;
  readonly trials: number;
  readonly steps: number;
  /** ∂L/∂θ of the last `lossAndGradient` call. */
  readonly grads: BpttGradients;
  /** Outputs Z of the last forward pass, T×B×O. */
  readonly outputs: Float64Array;
  /** L and ∇L for the model's current weights on `batch`. */
  lossAndGradient(model: BpttModel, x0: Float64Array, batch: TrialBatch): number;
  /** L only (a forward pass). */
  loss(model: BpttModel, x0: Float64Array, batch: TrialBatch): number;
  dispose(): void;
}

function sizes(model: BpttModel) {
  if (model.kind !== 'rnn' && model.kind !== 'ctrnn')
    throw new RnnscopeError(
      'INVALID_MODEL',
      `BPTT trains rnn and ctrnn models, not ${(model as { kind: string }).kind}`,
    );
  if (model.Wfb)
    throw new RnnscopeError(
      'INVALID_MODEL',
      'BPTT does not train models with output feedback (Wfb)',
    );
  if (!model.Wout) throw new RnnscopeError('INVALID_MODEL', 'BPTT needs a readout Wout');
  return { N: model.W.rows, I: model.Win?.cols ?? 0, O: model.Wout.rows };
}

/**
 * A workspace for batches of `trials` × `steps` on models shaped like `model`. Reuse it across
 * iterations: it allocates everything once (in wasm memory when available).
 */
export function createBpttWorkspace(
  model: BpttModel,
  trials: number,
  steps: number,
  backend: 'auto' | 'wasm' | 'ts' = 'auto',
): BpttWorkspace {
  const { N, I, O } = sizes(model);
  const B = trials;
  const T = steps;
  const TB = T * B;
  const ops = createBpttOps(
    model.activation,
    [
      { m: B, n: N, k: N },
      { m: TB, n: N, k: Math.max(I, 1) },
      { m: TB, n: O, k: N },
      { m: TB, n: N, k: O },
      { m: O, n: N, k: TB },
      { m: N, n: N, k: TB },
      { m: N, n: Math.max(I, 1), k: TB },
    ],
    backend,
  );
  const W = ops.alloc(N * N);
  const WT = ops.alloc(N * N); // Wᵀ: the backward pass multiplies by W, and NT GEMMs run faster
  const WinT = ops.alloc(I * N); // Winᵀ, so the K = I input GEMM is NN
  const Win = ops.alloc(N * I);
  const Wout = ops.alloc(O * N);
  const H = ops.alloc((T + 1) * B * N); // H_0 … H_T
  const D = ops.alloc(TB * N); // A_t, then φ′(A_t)
  const G = ops.alloc(TB * N); // ∂L/∂H direct, then dA
  const S = model.kind === 'ctrnn' ? ops.alloc(B * N) : H; // φ(A_t) before the leak
  const U = ops.alloc(TB * I);
  const Z = ops.alloc(TB * O);
  const GZ = ops.alloc(TB * O);
  const carry = ops.alloc(B * N);
  const gW = ops.alloc(N * N);
  const gWin = ops.alloc(N * I);
  const gWout = ops.alloc(O * N);
  const grads: BpttGradients = {
    W: gW,
    Win: gWin,
    Wout: gWout,
    bias: new Float64Array(N),
    bout: new Float64Array(O),
    x0: new Float64Array(N),
  };

  function check(m: BpttModel, x0: Float64Array, batch: TrialBatch): void {
    const s = sizes(m);
    if (s.N !== N || s.I !== I || s.O !== O)
      throw new RnnscopeError('SHAPE_MISMATCH', 'model sizes differ from the BPTT workspace');
    if (batch.trials !== B || batch.steps !== T || batch.inputs !== I || batch.outputs !== O)
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `batch is ${batch.steps}×${batch.trials} (${batch.inputs} in, ${batch.outputs} out); workspace expects ${T}×${B} (${I} in, ${O} out)`,
      );
    if (x0.length !== N) throw new RnnscopeError('SHAPE_MISMATCH', `x0 must have length ${N}`);
  }

  /** Forward pass; returns L and leaves Z, H, D (= φ′) filled. */
  function forward(m: BpttModel, x0: Float64Array, batch: TrialBatch): number {
    check(m, x0, batch);
    W.set(m.W.data.subarray(0, N * N));
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) WT[j * N + i] = W[i * N + j];
    if (I > 0) {
      Win.set(m.Win!.data.subarray(0, N * I));
      for (let i = 0; i < N; i++) for (let k = 0; k < I; k++) WinT[k * N + i] = Win[i * I + k];
    }
    Wout.set(m.Wout!.data.subarray(0, O * N));
    U.set(batch.u);
    for (let b = 0; b < B; b++) H.set(x0, b * N);
    // Input drive and bias for every step at once: D = U·Winᵀ + 1·bᵀ.
    if (I > 0) ops.gemm(false, false, TB, N, I, 1, U, WinT, 0, D);
    else D.fill(0);
    const bias = m.bias;
    if (bias) for (let r = 0; r < TB; r++) for (let i = 0; i < N; i++) D[r * N + i] += bias[i];
    const leak = m.kind === 'ctrnn' ? 1 - m.dt / m.tau : 0;
    const dt = m.kind === 'ctrnn' ? m.dt : 1;
    const BN = B * N;
    for (let t = 1; t <= T; t++) {
      const Hprev = H.subarray((t - 1) * BN, t * BN);
      const Ht = H.subarray(t * BN, (t + 1) * BN);
      const At = D.subarray((t - 1) * BN, t * BN);
      ops.gemm(false, true, B, N, N, 1, Hprev, W, 1, At);
      if (m.kind === 'rnn') {
        ops.activate(At, Ht, At, BN);
      } else {
        ops.activate(At, S, At, BN);
        for (let i = 0; i < BN; i++) Ht[i] = leak * Hprev[i] + dt * S[i];
      }
    }
    const Hs = H.subarray(BN);
    ops.gemm(false, true, TB, O, N, 1, Hs, Wout, 0, Z);
    const bout = m.bout;
    let sq = 0;
    let msum = 0;
    for (let r = 0; r < TB; r++) {
      for (let o = 0; o < O; o++) {
        const i = r * O + o;
        if (bout) Z[i] += bout[o];
        const mk = batch.mask[i];
        const e = Z[i] - batch.y[i];
        sq += mk * e * e;
        msum += mk;
      }
    }
    if (!(msum > 0)) throw new RnnscopeError('INVALID_ARGUMENT', 'the batch mask scores nothing');
    for (let i = 0; i < TB * O; i++) GZ[i] = (2 * batch.mask[i] * (Z[i] - batch.y[i])) / msum;
    return sq / msum;
  }

  function backward(m: BpttModel): void {
    const BN = B * N;
    const leak = m.kind === 'ctrnn' ? 1 - m.dt / m.tau : 0;
    const dt = m.kind === 'ctrnn' ? m.dt : 1;
    const Hs = H.subarray(BN);
    ops.gemm(true, false, O, N, TB, 1, GZ, Hs, 0, gWout);
    grads.bout.fill(0);
    for (let r = 0; r < TB; r++) for (let o = 0; o < O; o++) grads.bout[o] += GZ[r * O + o];
    ops.gemm(false, false, TB, N, O, 1, GZ, Wout, 0, G);
    carry.fill(0);
    for (let t = T; t >= 1; t--) {
      const Gt = G.subarray((t - 1) * BN, t * BN);
      const Dt = D.subarray((t - 1) * BN, t * BN);
      if (m.kind === 'rnn') {
        for (let i = 0; i < BN; i++) Gt[i] = (Gt[i] + carry[i]) * Dt[i];
        ops.gemm(false, true, B, N, N, 1, Gt, WT, 0, carry);
      } else {
        for (let i = 0; i < BN; i++) {
          const g = Gt[i] + carry[i];
          carry[i] = leak * g;
          Gt[i] = dt * g * Dt[i];
        }
        ops.gemm(false, true, B, N, N, 1, Gt, WT, 1, carry);
      }
    }
    ops.gemm(true, false, N, N, TB, 1, G, H.subarray(0, TB * N), 0, gW);
    if (I > 0) ops.gemm(true, false, N, I, TB, 1, G, U, 0, gWin);
    grads.bias.fill(0);
    for (let r = 0; r < TB; r++) for (let i = 0; i < N; i++) grads.bias[i] += G[r * N + i];
    grads.x0.fill(0);
    for (let b = 0; b < B; b++) for (let i = 0; i < N; i++) grads.x0[i] += carry[b * N + i];
  }

  return {
    ops,
    trials: B,
    steps: T,
    grads,
    outputs: Z,
    lossAndGradient(m, x0, batch) {
      const L = forward(m, x0, batch);
      backward(m);
      return L;
    },
    loss: forward,
    dispose: () => ops.dispose(),
  };
}
