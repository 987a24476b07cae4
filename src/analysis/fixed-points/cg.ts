/**
 * Nonlinear conjugate gradients on q(x) = ½‖F(x)‖² (the optimiser of seed 000 and of Sussillo
 * & Barak), batched over the starts:
 *
 *   g = ∇q = JᵀF,   p = −g + β·p_prev,   β = max(0, gᵀ(g − g_prev)/‖g_prev‖²)  (Polak–Ribière+),
 *
 * restarted (β = 0) every N iterations or when p is not a descent direction. The step length
 * starts at the minimiser of the Gauss–Newton model along p, α = −FᵀJp/‖Jp‖², and backtracks
 * until Armijo's q(x + αp) ≤ q(x) + 10⁻⁴·α·gᵀp holds. First order, so it converges linearly;
 * it stops when q ≤ 10⁻⁶·tolFixed ('tolerance reached') or a line search fails. Needs J·v and
 * Jᵀ·v products (one GEMM each per iteration for model systems).
 */
import { type Optimiser, type OptimiserContext } from './optimiser.js';
import { activeStarts, gatherRows, halfSquaredNorm, retire } from './population.js';

const ARMIJO = 1e-4;
const MAX_BACKTRACKS = 20;

export function conjugateGradient(ctx: OptimiserContext): Optimiser {
  const { pop } = ctx;
  const n = pop.n;
  const gPrev = new Float64Array(pop.count * n);
  const pPrev = new Float64Array(pop.count * n);
  const hasPrev = new Uint8Array(pop.count);
  const sinceRestart = new Int32Array(pop.count);
  const goal = 1e-6 * ctx.tolFixed;

  return {
    step(): void {
      const live = activeStarts(pop).filter((r) => {
        if (pop.q[r] === 0) retire(pop, r, 'exact');
        else if (pop.q[r] <= goal) retire(pop, r, 'tolerance reached');
        return !pop.done[r];
      });
      const L = live.length;
      if (L === 0) return;
      const Xa = gatherRows(pop.X, live, n);
      pop.batch.setPoints(Xa, L);
      const which = Int32Array.from(live, (_, k) => k);
      const Fa = gatherRows(pop.F, live, n);
      const G = { rows: L, cols: n, data: new Float64Array(L * n) };
      pop.batch.vjp(Fa, L, which, G);
      const P = { rows: L, cols: n, data: new Float64Array(L * n) };
      const slope = new Float64Array(L);
      live.forEach((r, k) => {
        const g = G.data.subarray(k * n, (k + 1) * n);
        const gp = gPrev.subarray(r * n, (r + 1) * n);
        const pp = pPrev.subarray(r * n, (r + 1) * n);
        let beta = 0;
        if (hasPrev[r] && sinceRestart[r] < n) {
          let num = 0;
          let den = 0;
          for (let i = 0; i < n; i++) {
            num += g[i] * (g[i] - gp[i]);
            den += gp[i] * gp[i];
          }
          beta = den > 0 ? Math.max(0, num / den) : 0;
        }
        let gtp = 0;
        for (let i = 0; i < n; i++) {
          const p = -g[i] + beta * pp[i];
          P.data[k * n + i] = p;
          gtp += g[i] * p;
        }
        if (!(gtp < 0)) {
          gtp = 0;
          for (let i = 0; i < n; i++) {
            P.data[k * n + i] = -g[i];
            gtp -= g[i] * g[i];
          }
          beta = 0;
        }
        sinceRestart[r] = beta === 0 ? 0 : sinceRestart[r] + 1;
        slope[k] = gtp;
        gp.set(g);
        pp.set(P.data.subarray(k * n, (k + 1) * n));
        hasPrev[r] = 1;
      });
      const JP = { rows: L, cols: n, data: new Float64Array(L * n) };
      pop.batch.jvp(P, L, which, JP);
      const alpha = new Float64Array(L);
      live.forEach((_, k) => {
        let num = 0;
        let den = 0;
        for (let i = 0; i < n; i++) {
          num += Fa.data[k * n + i] * JP.data[k * n + i];
          den += JP.data[k * n + i] ** 2;
        }
        alpha[k] = den > 0 && Number.isFinite(num / den) ? Math.max(-num / den, 0) || 1e-8 : 1e-8;
      });
      const trial = { rows: L, cols: n, data: new Float64Array(L * n) };
      const Ft = { rows: L, cols: n, data: new Float64Array(L * n) };
      let searching = live.map((_, k) => k);
      const ok = new Uint8Array(L);
      for (let bt = 0; bt <= MAX_BACKTRACKS && searching.length > 0; bt++) {
        searching.forEach((k, t) => {
          for (let i = 0; i < n; i++)
            trial.data[t * n + i] = Xa.data[k * n + i] + alpha[k] * P.data[k * n + i];
        });
        pop.batch.velocity(trial, searching.length, Ft);
        const next: number[] = [];
        searching.forEach((k, t) => {
          const r = live[k];
          const qt = halfSquaredNorm(Ft.data, t * n, n);
          if (qt <= pop.q[r] + ARMIJO * alpha[k] * slope[k] && qt < pop.q[r]) {
            ok[k] = 1;
            pop.q[r] = qt;
            pop.X.data.set(trial.data.subarray(t * n, (t + 1) * n), r * n);
            pop.F.data.set(Ft.data.subarray(t * n, (t + 1) * n), r * n);
          } else {
            alpha[k] *= 0.5;
            next.push(k);
          }
        });
        searching = next;
      }
      live.forEach((r, k) => {
        pop.iterations[r]++;
        if (!ok[k])
          retire(pop, r, pop.q[r] <= ctx.tolFixed ? 'round-off floor' : 'local minimum of q');
        else if (pop.iterations[r] >= ctx.maxIterations) retire(pop, r, 'max iterations');
      });
    },
  };
}
