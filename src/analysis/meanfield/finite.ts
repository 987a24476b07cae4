/**
 * The finite network the mean-field theory describes (seed 001): W_ij ~ N(0, g²/N), w_FB from
 * the feedback distribution; the open loop (eq. 2) relaxed to its fixed point x̄_m at each level;
 * the least-squares readout (eq. 16); and around level n the closed-loop Jacobian (eq. 4)
 *
 *   J_n = −I + (W + w_FB w_outᵀ) R′_n,   R′_n = diag φ′(x̄_n),
 *
 * with its outliers and the finite-N open-loop gain G_N(ω) = w_outᵀR′_n(iω + I − WR′_n)⁻¹w_FB.
 * Everything is matrix-free (GEMVs) except the optional full spectrum, one O(N³) eigensolve.
 */
import { RnnscopeError } from '../../errors.js';
import {
  EigsNotConvergedError,
  eig,
  eigs,
  gemv,
  solve,
  type EigsResult,
  type Matrix,
} from '../../linalg/index.js';
import { createRng, recurrentGaussian } from '../../random/index.js';
import type { Complex } from '../spectrum/matrix-spectrum.js';
import { sampleFeedback, scalarActivation, type ScalarActivation } from './distributions.js';
import {
  arnoldiStart,
  arnoldiStep,
  fomTransfer,
  gmres,
  hessenbergMatrix,
  type ArnoldiBasis,
  type MatVec,
} from './krylov.js';
import { checkSetting, type MeanFieldSetting } from './single.js';

export interface FiniteNetwork {
  N: number;
  seed: number;
  W: Matrix;
  /** w_FB (N). */
  feedback: Float64Array;
}

/**
 * The random network for (N, g, seed): W = recurrentGaussian(N, g) from the stream
 * createRng(seed).fork('W'), w_FB from .fork('feedback'), so either can be regenerated alone.
 */
export function buildFiniteNetwork(
  setting: MeanFieldSetting,
  N: number,
  seed: number,
): FiniteNetwork {
  checkSetting(setting);
  if (!(Number.isInteger(N) && N >= 2)) {
    throw new RnnscopeError('INVALID_ARGUMENT', `network size N must be an integer ≥ 2, got ${N}`);
  }
  const rng = createRng(seed);
  const W = recurrentGaussian(N, setting.g, rng.fork('W'));
  const feedback = sampleFeedback(setting.feedback, N, rng.fork('feedback')).data;
  return { N, seed, W, feedback };
}

/** ‖v‖₂. */
function norm(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

/**
 * The open-loop fixed point x̄ = Wφ(x̄) + w_FB·A (eq. 3): the iteration x ← Wφ(x) + w_FB·A
 * (which converges at rate ≈ ρ under fading memory) until ‖F‖ ≤ 1e-8(1 + ‖x‖), then Newton's
 * method with GMRES on −I + WR′ until ‖F‖ ≤ 1e-13(1 + ‖x‖), F(x) = −x + Wφ(x) + w_FB·A.
 */
export function relaxOpenLoop(
  net: FiniteNetwork,
  phi: ScalarActivation,
  A: number,
): { x: Float64Array; residual: number; iterations: number } {
  const { N, W, feedback } = net;
  const x = new Float64Array(N);
  for (let i = 0; i < N; i++) x[i] = feedback[i] * A;
  const r = new Float64Array(N);
  const F = new Float64Array(N);
  const residualOf = () => {
    for (let i = 0; i < N; i++) r[i] = phi.phi(x[i]);
    gemv(false, 1, W, r, 0, F);
    for (let i = 0; i < N; i++) F[i] += feedback[i] * A - x[i];
    return norm(F);
  };
  let iterations = 0;
  let res = residualOf();
  for (; iterations < 5000 && res > 1e-8 * (1 + norm(x)); iterations++) {
    for (let i = 0; i < N; i++) x[i] += F[i];
    res = residualOf();
  }
  const d = new Float64Array(N);
  const tmp = new Float64Array(N);
  const jac: MatVec = (v, out) => {
    for (let i = 0; i < N; i++) tmp[i] = d[i] * v[i];
    gemv(false, 1, W, tmp, 0, out);
    for (let i = 0; i < N; i++) out[i] -= v[i];
  };
  for (let k = 0; k < 30 && res > 1e-13 * (1 + norm(x)) && Number.isFinite(res); k++) {
    for (let i = 0; i < N; i++) d[i] = phi.dphi(x[i]);
    const minusF = F.map((v) => -v);
    const step = gmres(jac, minusF, 1e-12, 3000).x;
    for (let i = 0; i < N; i++) x[i] += step[i];
    res = residualOf();
    iterations++;
  }
  if (!(res <= 1e-10 * (1 + norm(x)))) {
    throw new RnnscopeError(
      'NOT_CONVERGED',
      `the open loop did not settle at a fixed point for A = ${A} (‖F‖ = ${res}); fading memory needs ρ = g√⟨φ′²⟩ < 1`,
    );
  }
  return { x, residual: res, iterations };
}

/**
 * The least-squares readout of eq. 16: the minimum-norm w_out with w_outᵀr̄_m = A_m for every
 * level, w_out = R(RᵀR)⁻¹A with R = [r̄₁ … r̄_M] (N×M).
 */
export function fitReadout(rates: Float64Array[], levels: ReadonlyArray<number>): Float64Array {
  const M = rates.length;
  const N = rates[0].length;
  const G: Matrix = { rows: M, cols: M, data: new Float64Array(M * M) };
  for (let a = 0; a < M; a++)
    for (let b = 0; b < M; b++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += rates[a][i] * rates[b][i];
      G.data[a * M + b] = s;
    }
  const coef = solve(G, { rows: M, cols: 1, data: Float64Array.from(levels) }).data;
  const w = new Float64Array(N);
  for (let m = 0; m < M; m++) for (let i = 0; i < N; i++) w[i] += coef[m] * rates[m][i];
  return w;
}

export interface FiniteOptions {
  /** Real frequencies at which G_N is evaluated (default none). */
  omegas?: ReadonlyArray<number>;
  /** FOM relative residual required at every ω (default 1e-12). */
  tolerance?: number;
  /** Largest Krylov dimension (default min(N − 1, 1000)). */
  maxKrylov?: number;
  /** Smallest Krylov dimension before checking (default 30). */
  minKrylov?: number;
  /** Also compute the full spectrum of J_n (O(N³)). Default false. */
  fullSpectrum?: boolean;
  /** An eigenvalue is an outlier when |λ + 1| > margin · bulk radius estimate (default 1.1). */
  outlierMargin?: number;
  /**
   * How many eigenvalues of J_n with the largest real part to compute independently with the
   * Krylov–Schur solver of linalg (random start; default 1, which returns a whole conjugate pair
   * when the rightmost eigenvalue is complex; 0 to skip).
   */
  leading?: number;
  /** Indices of the levels to analyse (default all; every level still shapes the readout). */
  analyse?: ReadonlyArray<number>;
}

export interface FiniteLevel {
  amplitude: number;
  /** ‖F(x̄)‖ at the relaxed fixed point. */
  fixedPointResidual: number;
  /** w_outᵀ r̄_n (should equal the level). */
  readout: number;
  /** g√⟨r′²⟩ over this network's units (the mean-field ρ evaluated on x̄_n). */
  rho: number;
  /** Circular-law radius of this realisation's W R′_n: ‖W R′_n‖_F / √N. */
  bulkRadiusEstimate: number;
  /** Radius of the bulk around −1: measured from the full spectrum when computed, else the estimate. */
  bulkRadius: number;
  bulkRadiusMethod: 'full spectrum' | 'circular-law estimate';
  /** Converged closed-loop eigenvalues outside the bulk (Krylov, or the full spectrum when computed). */
  outliers: Complex[];
  /** The same outliers from the Krylov basis started at w_FB, with their Ritz residuals. */
  krylovOutliers: Complex[];
  krylovResiduals: number[];
  krylovDimension: number;
  /** The rightmost eigenvalues of J_n from linalg's Krylov–Schur `eigs` (an independent check). */
  leading?: { eigenvalues: Complex[]; residuals: number[]; converged: boolean; matvecs: number };
  /** [ω, Re G_N(iω), Im G_N(iω)]. */
  gainOpenLoop: [number, number, number][];
  /** Largest FOM relative residual over the ω grid. */
  gainResidual: number;
}

export interface FiniteComparison {
  N: number;
  seed: number;
  levels: number[];
  /** One entry per analysed level, in the order of `options.analyse`. */
  perLevel: FiniteLevel[];
}

/** Ritz values of the closed loop from the basis, with residuals h_{k+1,k}|e_kᵀz|. */
function closedLoopRitz(
  basis: ArnoldiBasis,
  cv: Float64Array,
): { values: Complex[]; residuals: number[] } {
  const k = basis.k;
  const Hc = hessenbergMatrix(basis);
  for (let j = 0; j < k; j++) Hc[j] += basis.beta * cv[j];
  const { re, im, vectors } = eig({ rows: k, cols: k, data: Hc });
  const hk = basis.invariant ? 0 : basis.H[k - 1][k];
  const values: Complex[] = [];
  const residuals: number[] = [];
  for (let i = 0; i < k; i++) {
    values.push([re[i], im[i]]);
    const zr = vectors!.re.data[(k - 1) * k + i];
    const zi = vectors!.im.data[(k - 1) * k + i];
    residuals.push(hk * Math.hypot(zr, zi));
  }
  return { values, residuals };
}

/**
 * Builds the network, relaxes every level, fits the readout, and around each level reports the
 * closed-loop outliers, the bulk radius and G_N(ω) (see the file comment).
 *
 * @example
 * const f = finiteComparison({ g: 0.5, activation: { name: 'tanh' }, feedback: 'uniform' }, [1], 2000, 1);
 * f.perLevel[0].outliers; // ≈ [[−0.337, 0]]
 */
export function finiteComparison(
  setting: MeanFieldSetting,
  levels: ReadonlyArray<number>,
  N: number,
  seed: number,
  options: FiniteOptions = {},
): FiniteComparison {
  const net = buildFiniteNetwork(setting, N, seed);
  const phi = scalarActivation(setting.activation);
  const tol = options.tolerance ?? 1e-12;
  const maxK = Math.min(N - 1, options.maxKrylov ?? 1000);
  const minK = Math.min(maxK, options.minKrylov ?? 30);
  const margin = options.outlierMargin ?? 1.1;
  const omegas = options.omegas ?? [];
  const fixed = levels.map((A) => relaxOpenLoop(net, phi, A));
  const rates = fixed.map((f) => Float64Array.from(f.x, phi.phi));
  const wOut = fitReadout(rates, levels);
  const { W, feedback } = net;

  const analyse = options.analyse ?? levels.map((_, n) => n);
  const perLevel = analyse.map((n): FiniteLevel => {
    const A = levels[n];
    const x = fixed[n].x;
    const d = Float64Array.from(x, phi.dphi);
    const tmp = new Float64Array(N);
    const op: MatVec = (v, out) => {
      for (let i = 0; i < N; i++) tmp[i] = d[i] * v[i];
      gemv(false, 1, W, tmp, 0, out);
    };
    const c = Float64Array.from(wOut, (w, i) => w * d[i]);
    let meanD2 = 0;
    for (const v of d) meanD2 += v * v;
    meanD2 /= N;
    let fro = 0;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) fro += (W.data[i * N + j] * d[j]) ** 2;
    const bulkEstimate = Math.sqrt(fro / N);

    // Krylov basis from w_FB, grown until G_N is converged at every ω.
    const basis = arnoldiStart(feedback);
    const cv: number[] = [];
    const grow = () => {
      arnoldiStep(basis, op);
      let s = 0;
      const v = basis.V[basis.k - 1];
      for (let i = 0; i < N; i++) s += v[i] * c[i];
      cv.push(s);
    };
    let gains: ReturnType<typeof fomTransfer>[] = [];
    while (basis.k < maxK && !basis.invariant) {
      grow();
      if (basis.k < minK && !basis.invariant) continue;
      if (basis.k % 10 !== 0 && !basis.invariant) continue;
      // (sI − (A − I)) = ((1 + s)I − A) with s = iω.
      gains = omegas.map((w) => fomTransfer(basis, cv, 1, w));
      if (!gains.every((g) => g.residual <= tol) && !basis.invariant) continue;
      // The k×k eigensolve only once the gains have converged.
      const ritz = closedLoopRitz(basis, Float64Array.from(cv));
      const outliersConverged = ritz.values.every(
        (l, i) =>
          Math.hypot(...l) <= margin * bulkEstimate ||
          ritz.residuals[i] <= 1e-10 * Math.max(1, Math.hypot(...l)),
      );
      if (outliersConverged) break;
    }
    if (gains.length !== omegas.length || basis.k >= maxK)
      gains = omegas.map((w) => fomTransfer(basis, cv, 1, w));
    const ritz = closedLoopRitz(basis, Float64Array.from(cv));
    const krylovOutliers: Complex[] = [];
    const krylovResiduals: number[] = [];
    ritz.values.forEach((l, i) => {
      if (
        Math.hypot(...l) > margin * bulkEstimate &&
        ritz.residuals[i] <= 1e-8 * Math.max(1, Math.hypot(...l))
      ) {
        krylovOutliers.push([l[0] - 1, l[1]]);
        krylovResiduals.push(ritz.residuals[i]);
      }
    });
    let outliers = krylovOutliers;
    let bulkRadius = bulkEstimate;
    let method: FiniteLevel['bulkRadiusMethod'] = 'circular-law estimate';
    if (options.fullSpectrum) {
      const J: Matrix = { rows: N, cols: N, data: new Float64Array(N * N) };
      for (let i = 0; i < N; i++)
        for (let j = 0; j < N; j++)
          J.data[i * N + j] =
            (W.data[i * N + j] + feedback[i] * wOut[j]) * d[j] - (i === j ? 1 : 0);
      const { re, im } = eig(J, { vectors: false });
      outliers = [];
      bulkRadius = 0;
      for (let i = 0; i < N; i++) {
        const r = Math.hypot(re[i] + 1, im[i]);
        if (r > margin * bulkEstimate) outliers.push([re[i], im[i]]);
        else bulkRadius = Math.max(bulkRadius, r);
      }
      method = 'full spectrum';
    }
    const byRealPart = (p: Complex, q: Complex) => q[0] - p[0] || q[1] - p[1];
    const leadingCount = Math.min(N - 2, options.leading ?? 1);
    let leading: FiniteLevel['leading'];
    if (leadingCount >= 1) {
      // J_n v = −v + W(R′v) + w_FB (w_outᵀR′v).
      const jac: MatVec = (v, out) => {
        op(v, out);
        let z = 0;
        for (let i = 0; i < N; i++) z += c[i] * v[i];
        for (let i = 0; i < N; i++) out[i] += feedback[i] * z - v[i];
      };
      let r: EigsResult;
      try {
        r = eigs(N, jac, {
          k: leadingCount,
          which: 'LR',
          tol: 1e-10,
          maxRestarts: 300,
          vectors: false,
          seed,
        });
      } catch (e) {
        if (!(e instanceof EigsNotConvergedError)) throw e;
        r = e.partial;
      }
      leading = {
        eigenvalues: Array.from(r.re, (re, i): Complex => [re, r.im[i]]),
        residuals: Array.from(r.residuals),
        converged: r.converged === r.re.length,
        matvecs: r.matvecs,
      };
    }
    let readout = 0;
    for (let i = 0; i < N; i++) readout += wOut[i] * rates[n][i];
    return {
      amplitude: A,
      fixedPointResidual: fixed[n].residual,
      readout,
      rho: setting.g * Math.sqrt(meanD2),
      bulkRadiusEstimate: bulkEstimate,
      bulkRadius,
      bulkRadiusMethod: method,
      outliers: outliers.sort(byRealPart),
      krylovOutliers,
      krylovResiduals,
      krylovDimension: basis.k,
      ...(leading ? { leading } : {}),
      gainOpenLoop: gains.map((g, i) => [omegas[i], g.value[0], g.value[1]]),
      gainResidual: gains.reduce((m, g) => Math.max(m, g.residual), 0),
    };
  });
  return { N, seed, levels: levels.slice(), perLevel };
}
