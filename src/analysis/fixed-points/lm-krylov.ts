/**
 * Matrix-free Levenberg–Marquardt on q(x) = ½‖F(x)‖²: the dense Gauss–Newton iteration of
 * gauss-newton.ts with the damped normal equations solved by CGLS (J·v and Jᵀ·v products only),
 * batched over the starts:
 *
 *   (JᵀJ + μI)·p = −JᵀF  to  ‖JᵀJp + μp + JᵀF‖ ≤ η‖JᵀF‖,   x ← x + p if ρ > 0,
 *   ρ = (q(x) − q(x + p)) / (q(x) − ½‖F + J·p‖²),
 *
 * μ by Nielsen's rule as in the dense method, starting from μ₀ = 10⁻³·‖Jg‖²/‖g‖² (the Rayleigh
 * quotient of JᵀJ along g = JᵀF, a matrix-free stand-in for the dense method's max diag(JᵀJ)).
 * Memory per start is O(N), so it runs at any N; each CGLS iteration is one batched J·v and one
 * batched Jᵀ·v (one GEMM each for model systems).
 *
 * Why it exists next to Newton–Krylov: near slow points J is nearly singular in many directions,
 * the Newton direction from GMRES is poor and the dogleg falls back to Cauchy steps, which make
 * almost no progress in chaotic networks; the damped Gauss–Newton direction interpolates between
 * gradient and Newton continuously and keeps making progress there (measured in
 * docs/fixed-points.md). Newton–Krylov stays faster where J is well conditioned.
 *
 * Two additions make it affordable without J:
 *  - Krylov path search: the CGLS iterates after 1, 2, 4, 8, … iterations are evaluated with
 *    the final one in one batched velocity call and x moves to the best of them (the damping
 *    is still updated from the final step's ρ). A step that overshoots is not wasted: with
 *    truncated CG the early iterates are the shorter, more gradient-like steps the trust region
 *    would have taken after a rejection, so most rejections cost no new solve.
 *  - Newton tail: once a step halves q with ρ > 0.9 (the Newton regime), the Newton step
 *    J·p = −F by GMRES joins the candidates. CGLS converges with κ(J)², GMRES with κ(J), so near
 *    a regular fixed point this turns a linear tail (CGLS at its budget, q falling 10× per step)
 *    into quadratic convergence.
 *
 * η follows Eisenstat–Walker (choice 2) on ‖F‖, capped at 0.1 and floored so CGLS is not asked
 * for more than round-off allows; the CGLS budget grows when a step that used the whole budget
 * paid off. A start stops on q = 0 ('exact'), when q no longer falls below tolFixed ('round-off
 * floor'), when ∇q vanishes relative to ‖J‖·‖F‖ ('local minimum of q'), after STALL_LIMIT
 * rejected steps in a row ('local minimum of q' or 'round-off floor'), when q fell by less than
 * 10 % over STAGNATION_WINDOW iterations ('stagnated'), or at the iteration cap.
 */
import { batchedCgls } from './cgls.js';
import { batchedGmres } from './gmres.js';
import {
  convergedStarts,
  eisenstatWalker,
  gradientProducts,
  MERGE_STEP,
  STATIONARY_COSINE,
  STEP_TOL,
  type Optimiser,
  type OptimiserContext,
} from './optimiser.js';
import {
  gatherRows,
  halfSquaredNorm,
  mergeConverging,
  retire,
  rowDot,
  zeros,
} from './population.js';

const MU0 = 1e-3;
const ETA_MAX = 0.1;
const ETA_START = 0.1;
/** CGLS budget: from INNER_START, doubled after a paying step that used all of it, to INNER_MAX. */
const INNER_START = 40;
const INNER_MAX = 640;
/** Krylov-path storage cap: starts × N × path iterates × 2 (iterates and trial points), 2²⁵ doubles. */
const PATH_NUMBERS = 1 << 25;
const STALL_LIMIT = 10;
const STALL_LIMIT_CONVERGED = 2;
const STAGNATION_WINDOW = 12;
const STAGNATION_FACTOR = 0.9;

export function levenbergMarquardtKrylov(ctx: OptimiserContext): Optimiser {
  const { pop } = ctx;
  const n = pop.n;
  const mu = new Float64Array(pop.count);
  const nu = new Float64Array(pop.count).fill(2);
  const stall = new Int32Array(pop.count);
  const tail = new Uint8Array(pop.count);
  const eta = new Float64Array(pop.count).fill(ETA_START);
  const inner = new Int32Array(pop.count).fill(INNER_START);
  const stepNorm = new Float64Array(pop.count).fill(Infinity);
  const history = Array.from({ length: pop.count }, () => [] as number[]);
  const residualFloor = 1e-3 * Math.sqrt(2 * ctx.tolFixed);

  const stopStalled = (r: number): void =>
    retire(pop, r, pop.q[r] <= ctx.tolFixed ? 'round-off floor' : 'local minimum of q');

  return {
    step(): void {
      const products = gradientProducts(pop);
      if (!products) return;
      const { live, Xa, Fa, G, JG } = products;

      const solve: number[] = [];
      live.forEach((r, k) => {
        const g2 = rowDot(G.data, k * n, G.data, k * n, n);
        const jg2 = rowDot(JG.data, k * n, JG.data, k * n, n);
        const f = Math.sqrt(2 * pop.q[r]);
        if (!Number.isFinite(g2) || !Number.isFinite(jg2)) return retire(pop, r, 'non-finite');
        if (!(jg2 > 0) || g2 <= STATIONARY_COSINE * Math.sqrt(jg2) * f) return stopStalled(r);
        if (mu[r] === 0) mu[r] = (MU0 * jg2) / g2;
        solve.push(k);
      });
      if (solve.length === 0) return;

      const S = solve.length;
      const rhs = gatherRows(Fa, solve, n);
      const muS = Float64Array.from(solve, (k) => mu[live[k]]);
      const rtol = Float64Array.from(solve, (k) => {
        const r = live[k];
        return Math.min(ETA_MAX, Math.max(eta[r], residualFloor / Math.sqrt(2 * pop.q[r])));
      });
      const caps = Int32Array.from(solve, (k) =>
        Math.min(tail[live[k]] ? INNER_START : inner[live[k]], 4 * n),
      );
      const P = zeros(S, n);
      const info = batchedCgls(
        pop.batch,
        rhs,
        S,
        {
          mu: muS,
          rtol,
          maxIterations: caps,
          points: Int32Array.from(solve),
          // The path (≤ 11 iterates per start) and its trial points must fit the storage cap.
          keepPath: S * n * 2 * (Math.log2(INNER_MAX) + 2) <= PATH_NUMBERS,
        },
        P,
      );

      // In the Newton regime (the last step paid off and halved q at least), also the Newton
      // step by GMRES; CGLS then only gets INNER_START iterations.
      // gm: positions in `solve`; gmRow[t]: row of start solve[t] in gmSol, or −1.
      const gm = [...solve.keys()].filter((t) => tail[live[solve[t]]]);
      const gmRow = new Int32Array(S).fill(-1);
      gm.forEach((t, g) => (gmRow[t] = g));
      const gmSol = zeros(gm.length, n);
      const gmRes2 = new Float64Array(gm.length);
      if (gm.length > 0) {
        const gRhs = gatherRows(rhs, gm, n);
        for (let i = 0; i < gm.length * n; i++) gRhs.data[i] = -gRhs.data[i];
        const gInfo = batchedGmres(
          pop.batch,
          gRhs,
          gm.length,
          {
            rtol: Float64Array.from(gm, (t) => rtol[t]),
            maxIterations: Int32Array.from(gm, (t) => Math.min(inner[live[solve[t]]], 4 * n)),
            points: Int32Array.from(gm, (t) => solve[t]),
          },
          gmSol,
        );
        gm.forEach((t, g) => (gmRes2[g] = gInfo.relResidual[g] ** 2 * 2 * pop.q[live[solve[t]]]));
      }

      // Trial points: the final CGLS iterate and the earlier ones on its path, all in one
      // batched evaluation; the best of them is taken (a line search along the Krylov path).
      const trials: { t: number; p: Float64Array; residual2: number }[] = [];
      const first = new Int32Array(S + 1);
      solve.forEach((_, t) => {
        first[t] = trials.length;
        for (const it of info.path?.[t] ?? []) trials.push({ t, p: it.p, residual2: it.residual2 });
        const gi = gmRow[t];
        if (gi >= 0)
          trials.push({ t, p: gmSol.data.subarray(gi * n, (gi + 1) * n), residual2: gmRes2[gi] });
        trials.push({
          t,
          p: P.data.subarray(t * n, (t + 1) * n),
          residual2: info.residual2[t],
        });
      });
      first[S] = trials.length;
      const T = trials.length;
      const trial = zeros(T, n);
      trials.forEach((c, row) => {
        const xo = solve[c.t] * n;
        for (let i = 0; i < n; i++) trial.data[row * n + i] = Xa.data[xo + i] + c.p[i];
      });
      const Ft = zeros(T, n);
      pop.batch.velocity(trial, T, Ft);

      const candidates: number[] = [];
      solve.forEach((k, t) => {
        const r = live[k];
        const qOld = pop.q[r];
        pop.iterations[r]++;
        // The full step decides the damping (as in the dense method); the best trial moves x.
        const fin = first[t + 1] - 1;
        const qFin = halfSquaredNorm(Ft.data, fin * n, n);
        const rho = (qOld - qFin) / (qOld - 0.5 * trials[fin].residual2);
        let best = -1;
        let qBest = qOld;
        for (let row = first[t]; row <= fin; row++) {
          const qt = halfSquaredNorm(Ft.data, row * n, n);
          const pred = qOld - 0.5 * trials[row].residual2;
          if (qt < qBest && (qOld - qt) / pred > 0) {
            best = row;
            qBest = qt;
          }
        }
        if (Number.isFinite(qFin) && qFin < qOld && rho > 0) {
          const c = 2 * rho - 1;
          mu[r] *= Math.max(1 / 3, 1 - c * c * c);
          nu[r] = 2;
          if (info.iterations[t] >= caps[t] && rho > 0.25)
            inner[r] = Math.min(INNER_MAX, 2 * inner[r]);
        } else {
          tail[r] = 0;
          mu[r] = Math.min(mu[r] * nu[r], 1e300);
          nu[r] *= 2;
        }
        if (best < 0) {
          stall[r]++;
          if (stall[r] >= (qOld <= ctx.tolFixed ? STALL_LIMIT_CONVERGED : STALL_LIMIT))
            return stopStalled(r);
        } else {
          const pn = Math.sqrt(rowDot(trials[best].p, 0, trials[best].p, 0, n));
          const xn = Math.sqrt(rowDot(Xa.data, k * n, Xa.data, k * n, n));
          if (!(pn > STEP_TOL * (xn + STEP_TOL))) return stopStalled(r);
          pop.X.data.set(trial.data.subarray(best * n, (best + 1) * n), r * n);
          pop.F.data.set(Ft.data.subarray(best * n, (best + 1) * n), r * n);
          pop.q[r] = qBest;
          stepNorm[r] = pn;
          stall[r] = 0;
          // Eisenstat–Walker choice 2 on ‖F‖ (q ratio = ‖F_new‖²/‖F_old‖²).
          const ratio = qBest / qOld;
          tail[r] = ratio <= 0.5 && rho > 0.9 ? 1 : 0;
          eta[r] = eisenstatWalker(eta[r], ratio, ETA_MAX);
          const h = history[r];
          h.push(qBest);
          if (h.length > STAGNATION_WINDOW + 1) h.shift();
          if (qBest === 0) return retire(pop, r, 'exact');
          if (qOld <= ctx.tolFixed && qBest > 0.5 * qOld) return retire(pop, r, 'round-off floor');
          if (
            qBest > ctx.tolFixed &&
            h.length > STAGNATION_WINDOW &&
            qBest > STAGNATION_FACTOR * h[0]
          )
            return retire(pop, r, 'stagnated');
          if (qBest <= 1e-2 * qOld && pn <= MERGE_STEP * ctx.stateScale) candidates.push(r);
        }
        if (pop.iterations[r] >= ctx.maxIterations) retire(pop, r, 'max iterations');
      });
      if (ctx.earlyMerge && candidates.length > 0) {
        mergeConverging(
          pop,
          candidates.filter((r) => !pop.done[r]),
          (r) => (pop.done[r] ? 0 : stepNorm[r]),
          ctx.uniqueTol * ctx.stateScale,
          convergedStarts(pop, ctx.tolFixed),
        );
      }
    },
  };
}
