/**
 * Matrix-free inexact Newton for F(x) = 0 with a dogleg trust region (Newton–Krylov), batched
 * over the starts. Per iteration and start, with g = ∇q = JᵀF:
 *
 *   Cauchy point   s_C = −α·g,  α = ‖g‖²/‖Jg‖²   (minimiser of ½‖F + Js‖² along −g),
 *   Newton point   s_N: J·s_N = −F by GMRES to ‖F + J·s_N‖ ≤ η‖F‖ (J·v products only),
 *   step           s_N if ‖s_N‖ ≤ Δ, else the dogleg path s_C → s_N cut at radius Δ,
 *   gain           ρ = (q(x) − q(x + s)) / (q(x) − ½‖F + J·s‖²);  accept if ρ > 10⁻⁴,
 *                  Δ ← 2Δ after a good step at the boundary, Δ ← ½‖s‖ after a rejected one.
 *
 * Far from a solution (or near a slow point, where J is nearly singular) the Cauchy step does
 * the work and GMRES is skipped whenever ‖s_C‖ ≥ Δ; near a regular fixed point the full Newton
 * step is taken and convergence is quadratic. η follows Eisenstat–Walker (choice 2, capped at
 * 0.9, 0.5 after a restricted step) and is floored so GMRES is not asked for a residual below
 * 10⁻³·√(2·tolFixed). A start stops when q can no longer decrease ('round-off floor' below
 * tolFixed), when ∇q vanishes relative to ‖F‖ ('local minimum of q'), or when q fell by less
 * than 10 % over 8 iterations ('stagnated'). Memory and time per iteration are O(B·N·(m + N))
 * for B starts and GMRES restart length m; each batched product is one GEMM for model systems.
 */
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
import { halfSquaredNorm, mergeConverging, retire, rowDot, zeros } from './population.js';

/** GMRES budget per Newton step: small while the trust region restricts the step, large once
 * full Newton steps converge (then an accurate solve is what buys quadratic convergence). */
const INNER_FAR = 20;
const INNER_NEAR = 1000;
const INNER_GROWN = 80;
const INNER_MIN = 10;
const ETA_MAX = 0.9;
const ETA_RESTRICTED = 0.5;
const ETA_START = 0.1;
const ACCEPT = 1e-4;
const MAX_TRIALS = 10;
const STAGNATION_WINDOW = 8;
const STAGNATION_FACTOR = 0.9;

export function newtonKrylov(ctx: OptimiserContext): Optimiser {
  const { pop } = ctx;
  const n = pop.n;
  const eta = new Float64Array(pop.count).fill(ETA_START);
  const radius = new Float64Array(pop.count).fill(ctx.stateScale);
  const stepNorm = new Float64Array(pop.count).fill(Infinity);
  const history = Array.from({ length: pop.count }, () => [] as number[]);
  const inner = new Int32Array(pop.count).fill(INNER_FAR);
  const residualFloor = 1e-3 * Math.sqrt(2 * ctx.tolFixed);

  return {
    step(): void {
      const products = gradientProducts(pop);
      if (!products) return;
      const { live, Xa, Fa, G, JG } = products;
      const L = live.length;

      // Cauchy points; stationary starts stop here.
      const alpha = new Float64Array(L);
      const cauchy = new Float64Array(L);
      const newtonIdx: number[] = [];
      const keep = new Uint8Array(L);
      live.forEach((r, k) => {
        const g2 = rowDot(G.data, k * n, G.data, k * n, n);
        const jg2 = rowDot(JG.data, k * n, JG.data, k * n, n);
        const f = Math.sqrt(2 * pop.q[r]);
        if (!Number.isFinite(g2) || !Number.isFinite(jg2)) return retire(pop, r, 'non-finite');
        if (!(jg2 > 0) || g2 <= STATIONARY_COSINE * Math.sqrt(jg2) * f) {
          return retire(
            pop,
            r,
            pop.q[r] <= ctx.tolFixed ? 'round-off floor' : 'local minimum of q',
          );
        }
        alpha[k] = g2 / jg2;
        cauchy[k] = alpha[k] * Math.sqrt(g2);
        keep[k] = 1;
        if (cauchy[k] < radius[r]) newtonIdx.push(k);
      });

      // Newton points by GMRES, only where the trust region can reach beyond the Cauchy point.
      /** GMRES residual over its target per start (≤ 1: the Newton system was solved). */
      const gmresRel = new Float64Array(L).fill(Infinity);
      const gmresRaw = new Float64Array(L).fill(Infinity);
      const SN = zeros(L, n);
      const JSN = zeros(L, n);
      const hasNewton = new Uint8Array(L);
      if (newtonIdx.length > 0) {
        const P = newtonIdx.length;
        const rhs = zeros(P, n);
        const rtol = new Float64Array(P);
        const caps = new Int32Array(P);
        newtonIdx.forEach((k, t) => {
          const r = live[k];
          caps[t] = Math.min(inner[r], 4 * n);
          for (let i = 0; i < n; i++) rhs.data[t * n + i] = -Fa.data[k * n + i];
          const f = Math.sqrt(2 * pop.q[r]);
          rtol[t] = Math.min(ETA_MAX, Math.max(eta[r], residualFloor / f));
        });
        const sol = zeros(P, n);
        const gmInfo = batchedGmres(
          pop.batch,
          rhs,
          P,
          { rtol, maxIterations: caps, points: Int32Array.from(newtonIdx) },
          sol,
        );
        newtonIdx.forEach((k, t) => {
          gmresRaw[k] = gmInfo.relResidual[t];
          gmresRel[k] = gmInfo.relResidual[t] / rtol[t];
        });
        const jsol = zeros(P, n);
        pop.batch.jvp(sol, P, Int32Array.from(newtonIdx), jsol);
        newtonIdx.forEach((k, t) => {
          SN.data.set(sol.data.subarray(t * n, (t + 1) * n), k * n);
          JSN.data.set(jsol.data.subarray(t * n, (t + 1) * n), k * n);
          hasNewton[k] = 1;
        });
      }

      // Trust-region trials: s = a·g + b·s_N (g-coefficient a ≤ 0), all trials batched.
      const ca = new Float64Array(L);
      const cb = new Float64Array(L);
      const sNorm = new Float64Array(L);
      const predicted = new Float64Array(L);
      const fullNewton = new Uint8Array(L);
      const gain = new Float64Array(L);
      const accepted = new Uint8Array(L);
      const trial = zeros(L, n);
      const Ft = zeros(L, n);
      let searching = live.map((_, k) => k).filter((k) => keep[k]);
      const sn2 = new Float64Array(L);
      const scsn = new Float64Array(L);
      for (const k of searching) {
        if (!hasNewton[k]) continue;
        sn2[k] = rowDot(SN.data, k * n, SN.data, k * n, n);
        scsn[k] = -alpha[k] * rowDot(G.data, k * n, SN.data, k * n, n);
      }
      for (let t = 0; t < MAX_TRIALS && searching.length > 0; t++) {
        searching.forEach((k, row) => {
          const r = live[k];
          const D = radius[r];
          const sc = cauchy[k];
          const snn = Math.sqrt(sn2[k]);
          fullNewton[k] = 0;
          if (hasNewton[k] && snn <= D) {
            ca[k] = 0;
            cb[k] = 1;
            fullNewton[k] = 1;
            sNorm[k] = snn;
          } else if (!hasNewton[k] || sc >= D) {
            ca[k] = -(Math.min(D, sc) / sc) * alpha[k];
            cb[k] = 0;
            sNorm[k] = Math.min(D, sc);
          } else {
            // ‖s_C + τ(s_N − s_C)‖ = Δ, τ ∈ (0, 1).
            const a = sn2[k] - 2 * scsn[k] + sc * sc;
            const b = 2 * (scsn[k] - sc * sc);
            const c = sc * sc - D * D;
            const tau = (-b + Math.sqrt(Math.max(0, b * b - 4 * a * c))) / (2 * a);
            ca[k] = -(1 - tau) * alpha[k];
            cb[k] = tau;
            sNorm[k] = D;
          }
          let m = 0;
          for (let i = 0; i < n; i++) {
            const j = k * n + i;
            const js = ca[k] * JG.data[j] + cb[k] * JSN.data[j];
            m += (Fa.data[j] + js) ** 2;
            trial.data[row * n + i] = Xa.data[j] + ca[k] * G.data[j] + cb[k] * SN.data[j];
          }
          predicted[k] = pop.q[r] - 0.5 * m;
        });
        pop.batch.velocity(trial, searching.length, Ft);
        const next: number[] = [];
        searching.forEach((k, row) => {
          const r = live[k];
          const qt = halfSquaredNorm(Ft.data, row * n, n);
          const rho = (pop.q[r] - qt) / predicted[k];
          if (qt < pop.q[r] && rho > ACCEPT) {
            accepted[k] = 1;
            gain[k] = rho;
            pop.X.data.set(trial.data.subarray(row * n, (row + 1) * n), r * n);
            pop.F.data.set(Ft.data.subarray(row * n, (row + 1) * n), r * n);
            predicted[k] = qt; // now holds the new q
            if (rho > 0.75 && sNorm[k] >= 0.99 * radius[r]) radius[r] *= 2;
          } else {
            radius[r] = 0.5 * sNorm[k];
            const xn = Math.sqrt(rowDot(Xa.data, k * n, Xa.data, k * n, n));
            if (radius[r] > STEP_TOL * (xn + STEP_TOL)) next.push(k);
          }
        });
        searching = next;
      }

      const candidates: number[] = [];
      live.forEach((r, k) => {
        if (!keep[k] || pop.done[r]) return;
        pop.iterations[r]++;
        const qOld = pop.q[r];
        if (!accepted[k]) {
          retire(pop, r, qOld <= ctx.tolFixed ? 'round-off floor' : 'trust region collapsed');
          return;
        }
        const qNew = predicted[k];
        pop.q[r] = qNew;
        stepNorm[r] = sNorm[k];
        // A step that used the Newton point and paid off earns a larger GMRES budget next time.
        // GMRES that reached its tolerance on a step that paid off earns a larger budget; one
        // that made no headway (J nearly singular in many directions) gets a smaller one.
        if (fullNewton[k] && qNew <= 0.1 * qOld) inner[r] = INNER_NEAR;
        else if (gmresRel[k] <= 1 && gain[k] > 0.5) inner[r] = Math.min(INNER_GROWN, 2 * inner[r]);
        else if (gmresRaw[k] > 0.9 && Number.isFinite(gmresRaw[k])) inner[r] = INNER_MIN;
        else inner[r] = INNER_FAR;
        if (fullNewton[k]) {
          const ratio = qNew / qOld; // (‖F_new‖/‖F_old‖)²
          eta[r] = eisenstatWalker(eta[r], ratio, ETA_MAX);
        } else eta[r] = ETA_RESTRICTED;
        const h = history[r];
        h.push(qNew);
        if (h.length > STAGNATION_WINDOW + 1) h.shift();
        if (qNew === 0) retire(pop, r, 'exact');
        else if (qOld <= ctx.tolFixed && qNew > 0.25 * qOld) retire(pop, r, 'round-off floor');
        else if (
          qNew > ctx.tolFixed &&
          h.length > STAGNATION_WINDOW &&
          qNew > STAGNATION_FACTOR * h[0]
        )
          retire(pop, r, 'stagnated');
        else if (pop.iterations[r] >= ctx.maxIterations) retire(pop, r, 'max iterations');
        else if (fullNewton[k] && qNew <= 1e-2 * qOld && sNorm[k] <= MERGE_STEP * ctx.stateScale)
          candidates.push(r);
      });
      if (ctx.earlyMerge && candidates.length > 0) {
        mergeConverging(
          pop,
          candidates,
          (r) => (pop.done[r] ? 0 : stepNorm[r]),
          ctx.uniqueTol * ctx.stateScale,
          convergedStarts(pop, ctx.tolFixed),
        );
      }
    },
  };
}
