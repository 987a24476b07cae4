/** Allocation-free fills of existing arrays with random deviates (hot paths: noise, initial states). */
import type { Rng } from './rng.js';

/** out[i] ← mean + std·ξᵢ, ξᵢ ~ N(0, 1) i.i.d., in index order. */
export function fillNormal(out: Float64Array, rng: Rng, std = 1, mean = 0): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = rng.normal(mean, std);
  return out;
}

/** out[i] ← a + (b − a)·Uᵢ, Uᵢ ~ U[0, 1) i.i.d., in index order. */
export function fillUniform(out: Float64Array, rng: Rng, a = 0, b = 1): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = rng.uniformRange(a, b);
  return out;
}
