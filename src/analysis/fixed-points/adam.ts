/**
 * Adam on the mean of q over all starts, with FixedPointFinder's PyTorch schedule, for
 * like-for-like comparisons (docs/fixed-points.md): learning rate 1, β = (0.9, 0.999),
 * ε = 1e-8, ReduceLROnPlateau on the mean q (factor 0.95, patience 2, relative threshold 1e-4,
 * no cooldown), and FixedPointFinder's stop rule: every start has q < tolQ (1e-12) or
 * |Δq| < tolDq·lr (tolDq = 1e-20); else at maxIterations. Every start is updated until the
 * rule holds for all of them, as in FixedPointFinder's joint optimisation. Runs in float64
 * (FixedPointFinder: float32), so its q can go lower than there, but it stays first order.
 */
import type { Optimiser, OptimiserContext } from './optimiser.js';
import { activeStarts, gatherRows, halfSquaredNorm, retire } from './population.js';

export function adam(
  ctx: OptimiserContext,
  o: { learningRate?: number; tolQ?: number; tolDq?: number },
): Optimiser {
  const { pop } = ctx;
  const n = pop.n;
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-8;
  const tolQ = o.tolQ ?? 1e-12;
  const tolDq = o.tolDq ?? 1e-20;
  let lr = o.learningRate ?? 1;
  let best = Infinity;
  let bad = 0;
  let t = 0;
  const M = new Float64Array(pop.count * n);
  const Vv = new Float64Array(pop.count * n);
  const qPrev = new Float64Array(pop.count).fill(Infinity);

  return {
    step(): void {
      const live = activeStarts(pop);
      const L = live.length;
      if (L === 0) return;
      t++;
      const Xa = gatherRows(pop.X, live, n);
      pop.batch.setPoints(Xa, L);
      const G = { rows: L, cols: n, data: new Float64Array(L * n) };
      pop.batch.vjp(
        gatherRows(pop.F, live, n),
        L,
        Int32Array.from(live, (_, k) => k),
        G,
      );
      const c1 = 1 - b1 ** t;
      const c2 = 1 - b2 ** t;
      live.forEach((r, k) => {
        for (let i = 0; i < n; i++) {
          const g = G.data[k * n + i] / pop.count; // ∂(mean q)/∂x
          const j = r * n + i;
          M[j] = b1 * M[j] + (1 - b1) * g;
          Vv[j] = b2 * Vv[j] + (1 - b2) * g * g;
          Xa.data[k * n + i] -= (lr * (M[j] / c1)) / (Math.sqrt(Vv[j] / c2) + eps);
        }
      });
      const Fa = { rows: L, cols: n, data: new Float64Array(L * n) };
      pop.batch.velocity(Xa, L, Fa);
      let mean = 0;
      let allDone = true;
      live.forEach((r, k) => {
        const q = halfSquaredNorm(Fa.data, k * n, n);
        pop.X.data.set(Xa.data.subarray(k * n, (k + 1) * n), r * n);
        pop.F.data.set(Fa.data.subarray(k * n, (k + 1) * n), r * n);
        qPrev[r] = pop.q[r];
        pop.q[r] = q;
        pop.iterations[r]++;
        mean += q / L;
        if (!(q < tolQ || Math.abs(q - qPrev[r]) < tolDq * lr)) allDone = false;
      });
      if (mean < best * (1 - 1e-4)) {
        best = mean;
        bad = 0;
      } else if (++bad > 2) {
        lr *= 0.95;
        bad = 0;
      }
      for (const r of live) {
        if (!Number.isFinite(pop.q[r])) retire(pop, r, 'non-finite');
        else if (allDone) retire(pop, r, pop.q[r] < tolQ ? 'tolerance reached' : 'stalled');
        else if (t >= ctx.maxIterations) retire(pop, r, 'max iterations');
      }
    },
  };
}
