/**
 * Adam (Kingma & Ba 2015) over named parameter arrays, with global gradient-norm clipping.
 * State is plain arrays so it checkpoints and resumes bit for bit.
 */
export interface AdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export const adamDefaults: AdamOptions = {
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
};

/** Moments per parameter and the step count t. */
export interface AdamState {
  t: number;
  m: Record<string, Float64Array>;
  v: Record<string, Float64Array>;
}

export function createAdamState(params: Record<string, Float64Array>): AdamState {
  const m: Record<string, Float64Array> = {};
  const v: Record<string, Float64Array> = {};
  for (const [k, p] of Object.entries(params)) {
    m[k] = new Float64Array(p.length);
    v[k] = new Float64Array(p.length);
  }
  return { t: 0, m, v };
}

/** ‖g‖₂ over all arrays together (scaled to avoid overflow). */
export function globalNorm(grads: Iterable<Float64Array>): number {
  let scale = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) scale = Math.max(scale, Math.abs(g[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (const g of grads)
    for (let i = 0; i < g.length; i++) {
      const v = g[i] / scale;
      s += v * v;
    }
  return scale * Math.sqrt(s);
}

/**
 * One Adam step on every parameter named in `params` (in place), after scaling all gradients by
 * min(1, maxNorm/‖g‖) (clipping off when maxNorm is 0 or ∞):
 *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ ← θ − lr·m̂/(√v̂ + ε),
 *   m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
 * Returns the gradient norm before clipping.
 */
export function adamStep(
  state: AdamState,
  params: Record<string, Float64Array>,
  grads: Record<string, Float64Array>,
  opts: AdamOptions,
  maxNorm: number,
): number {
  const names = Object.keys(params);
  const norm = globalNorm(names.map((k) => grads[k]));
  const clip = maxNorm > 0 && Number.isFinite(maxNorm) && norm > maxNorm ? maxNorm / norm : 1;
  state.t += 1;
  const { beta1: b1, beta2: b2, epsilon: eps, learningRate: lr } = opts;
  const c1 = 1 - b1 ** state.t;
  const c2 = 1 - b2 ** state.t;
  for (const k of names) {
    const p = params[k];
    const g = grads[k];
    const m = state.m[k];
    const v = state.v[k];
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] * clip;
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
    }
  }
  return norm;
}
