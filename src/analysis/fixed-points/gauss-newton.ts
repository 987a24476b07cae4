/**
 * Levenberg–Marquardt Gauss–Newton on q(x) = ½‖F(x)‖², dense, one small linear solve per start.
 *
 *   ∇q = JᵀF,   H ≈ JᵀJ (seed 000 eq. 13: the Σ Fₖ∇²Fₖ term vanishes at a fixed point),
 *   (JᵀJ + μI)·δ = −JᵀF,   x ← x + δ if the gain ratio ρ > 0,
 *   ρ = (q(x) − q(x + δ)) / L(δ),   L(δ) = ½δᵀ(μδ − JᵀF)   (the decrease the model predicts).
 *
 * μ follows Nielsen's rule (accept: μ ← μ·max(⅓, 1 − (2ρ − 1)³), ν ← 2; reject: μ ← μν,
 * ν ← 2ν), starting from μ₀ = 10⁻³·max diag(JᵀJ). It is a trust-region method: a large μ gives
 * a short gradient step, μ → 0 gives the Gauss–Newton step, which is the Newton step J⁻¹F when
 * J is square and regular, so convergence to a regular fixed point is quadratic. All trial
 * points of one iteration are evaluated in one batched call. Starts are processed in chunks so
 * that the stored JᵀJ (N² numbers each) stay within a memory budget.
 */
import { RnnscopeError } from '../../errors.js';
import {
  choleskyInPlace,
  choleskySolveInPlace,
  convergedStarts,
  GRADIENT_TOL,
  MERGE_STEP,
  norm,
  STEP_TOL,
  type Optimiser,
  type OptimiserContext,
} from './optimiser.js';
import { halfSquaredNorm, mergeConverging, retire } from './population.js';

/** Numbers of stored JᵀJ per chunk (2²² doubles = 32 MiB). */
const CHUNK_NUMBERS = 1 << 22;
/** Consecutive rejected steps that end a start: fewer once q is already below tolFixed. */
const STALL_LIMIT = 10;
const STALL_LIMIT_CONVERGED = 2;
/** Below this dimension JᵀJ is a plain loop (lower triangle); above it a GEMM. */
const GEMM_FROM = 48;

export function gaussNewton(ctx: OptimiserContext): Optimiser {
  const { pop } = ctx;
  const n = pop.n;
  const sys = pop.batch.system;
  const chunkSize = Math.max(1, Math.min(pop.count, Math.floor(CHUNK_NUMBERS / (n * n))));
  const H = new Float64Array(chunkSize * n * n);
  const G = new Float64Array(chunkSize * n);
  const A = new Float64Array(n * n);
  const J = new Float64Array(n * n);
  const delta = new Float64Array(chunkSize * n);
  const trial = { rows: chunkSize, cols: n, data: new Float64Array(chunkSize * n) };
  const Ftrial = { rows: chunkSize, cols: n, data: new Float64Array(chunkSize * n) };
  const mu = new Float64Array(pop.count);
  const nu = new Float64Array(pop.count).fill(2);
  const stall = new Int32Array(pop.count);
  const fresh = new Uint8Array(pop.count); // 1 when H, g belong to the current x
  const pred = new Float64Array(chunkSize);
  const stepNorm = new Float64Array(pop.count).fill(Infinity);
  let chunkStart = 0;

  /** JᵀJ into H (lower triangle at least) and JᵀF into g; returns ‖J‖_F. */
  const normalEquations = (r: number, slot: number): number => {
    const h = H.subarray(slot * n * n, (slot + 1) * n * n);
    const g = G.subarray(slot * n, (slot + 1) * n);
    const f = pop.F.data.subarray(r * n, (r + 1) * n);
    sys.jacobian(pop.X.data.subarray(r * n, (r + 1) * n), J);
    let jn = 0;
    for (let k = 0; k < n * n; k++) jn += J[k] * J[k];
    g.fill(0);
    for (let k = 0; k < n; k++) {
      const fk = f[k];
      for (let i = 0; i < n; i++) g[i] += J[k * n + i] * fk;
    }
    if (n >= GEMM_FROM) {
      const Jm = { rows: n, cols: n, data: J };
      ctx.gemm(true, false, 1, Jm, Jm, 0, { rows: n, cols: n, data: h });
    } else {
      h.fill(0);
      for (let k = 0; k < n; k++) {
        const row = k * n;
        for (let i = 0; i < n; i++) {
          const a = J[row + i];
          if (a === 0) continue;
          const hi = i * n;
          for (let j = 0; j <= i; j++) h[hi + j] += a * J[row + j];
        }
      }
    }
    return Math.sqrt(jn);
  };

  /** Damped solve into delta[slot]; false if no μ makes JᵀJ + μI factorisable. */
  const dampedStep = (r: number, slot: number): boolean => {
    const h = H.subarray(slot * n * n, (slot + 1) * n * n);
    const g = G.subarray(slot * n, (slot + 1) * n);
    const d = delta.subarray(slot * n, (slot + 1) * n);
    for (let tries = 0; tries < 64; tries++) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) A[i * n + j] = h[i * n + j];
        A[i * n + i] += mu[r];
      }
      if (choleskyInPlace(A, n)) {
        for (let i = 0; i < n; i++) d[i] = -g[i];
        choleskySolveInPlace(A, n, d);
        let L = 0;
        for (let i = 0; i < n; i++) L += d[i] * (mu[r] * d[i] - g[i]);
        pred[slot] = 0.5 * L;
        return true;
      }
      mu[r] = Math.max(mu[r] * nu[r], 1e-300);
      nu[r] *= 2;
    }
    return false;
  };

  const stopStalled = (r: number): void =>
    retire(pop, r, pop.q[r] <= ctx.tolFixed ? 'round-off floor' : 'local minimum of q');

  return {
    step(): void {
      while (chunkStart < pop.count) {
        let any = false;
        for (let r = chunkStart; r < Math.min(pop.count, chunkStart + chunkSize); r++)
          if (!pop.done[r]) any = true;
        if (any) break;
        chunkStart += chunkSize;
      }
      if (chunkStart >= pop.count) return;
      const end = Math.min(pop.count, chunkStart + chunkSize);
      const rows: number[] = [];
      for (let r = chunkStart; r < end; r++) {
        if (pop.done[r]) continue;
        const slot = r - chunkStart;
        if (pop.q[r] === 0) {
          retire(pop, r, 'exact');
          continue;
        }
        if (!fresh[r]) {
          const jn = normalEquations(r, slot);
          fresh[r] = 1;
          const g = G.subarray(slot * n, (slot + 1) * n);
          const gn = norm(g);
          if (!Number.isFinite(gn) || !Number.isFinite(jn)) {
            retire(pop, r, 'non-finite');
            continue;
          }
          if (gn <= GRADIENT_TOL * jn * Math.sqrt(2 * pop.q[r])) {
            stopStalled(r);
            continue;
          }
          if (mu[r] === 0) {
            let m = 0;
            for (let i = 0; i < n; i++) m = Math.max(m, H[slot * n * n + i * n + i]);
            mu[r] = 1e-3 * (m > 0 ? m : 1);
          }
        }
        if (!dampedStep(r, slot)) {
          stopStalled(r);
          continue;
        }
        const xr = pop.X.data.subarray(r * n, (r + 1) * n);
        const d = delta.subarray(slot * n, (slot + 1) * n);
        const dn = norm(d);
        if (dn <= STEP_TOL * (norm(xr) + STEP_TOL)) {
          stopStalled(r);
          continue;
        }
        stepNorm[r] = dn;
        const k = rows.length;
        for (let i = 0; i < n; i++) trial.data[k * n + i] = xr[i] + d[i];
        rows.push(r);
      }
      if (rows.length === 0) return;
      pop.batch.velocity(trial, rows.length, Ftrial);
      const candidates: number[] = [];
      rows.forEach((r, k) => {
        const slot = r - chunkStart;
        const qNew = halfSquaredNorm(Ftrial.data, k * n, n);
        const qOld = pop.q[r];
        const rho = (qOld - qNew) / pred[slot];
        pop.iterations[r]++;
        if (Number.isFinite(qNew) && rho > 0 && qNew < qOld) {
          pop.X.data.set(trial.data.subarray(k * n, (k + 1) * n), r * n);
          pop.F.data.set(Ftrial.data.subarray(k * n, (k + 1) * n), r * n);
          pop.q[r] = qNew;
          fresh[r] = 0;
          stall[r] = 0;
          const t = 2 * rho - 1;
          mu[r] *= Math.max(1 / 3, 1 - t * t * t);
          nu[r] = 2;
          if (qNew <= 1e-2 * qOld && stepNorm[r] <= MERGE_STEP * ctx.stateScale) candidates.push(r);
          // Below tolFixed a step that no longer shrinks q by half is rounding noise.
          if (qOld <= ctx.tolFixed && qNew > 0.5 * qOld) {
            retire(pop, r, 'round-off floor');
            return;
          }
        } else {
          mu[r] = Math.min(mu[r] * nu[r], 1e300);
          nu[r] *= 2;
          stall[r]++;
          if (stall[r] >= (qOld <= ctx.tolFixed ? STALL_LIMIT_CONVERGED : STALL_LIMIT)) {
            stopStalled(r);
            return;
          }
        }
        if (pop.q[r] === 0) retire(pop, r, 'exact');
        else if (pop.iterations[r] >= ctx.maxIterations) retire(pop, r, 'max iterations');
      });
      if (ctx.earlyMerge && candidates.length > 0) {
        const live = candidates.filter((r) => !pop.done[r]);
        mergeConverging(
          pop,
          live,
          (r) => (pop.done[r] ? 0 : stepNorm[r]),
          ctx.uniqueTol * ctx.stateScale,
          convergedStarts(pop, ctx.tolFixed),
        );
      }
    },
  };
}

/** Checks a dimension is small enough for dense Gauss–Newton (N² per start in memory). */
export function checkDenseDimension(n: number): void {
  if (n * n > CHUNK_NUMBERS * 4) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `dense gauss-newton stores an N×N matrix per start; N=${n} is too large for it — lower denseLimit (gauss-newton is matrix-free above it)`,
    );
  }
}
