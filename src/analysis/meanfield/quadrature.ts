/**
 * Adaptive Gauss–Legendre quadrature for the mean-field integrals, vector-valued so that several
 * integrands sharing their nodes (φ², φφ′w, φφ′y, …) cost one pass. Kinks of the integrand (the
 * ReLU threshold) are passed as breakpoints, so every panel integrates an analytic function and
 * the error estimate means what it says.
 */
import { RnnscopeError } from '../../errors.js';
import { eigSym } from '../../linalg/index.js';

/** A vector integrand: writes f(x) (m components) into `out`. */
export type VectorIntegrand = (x: number, out: Float64Array) => void;

export interface QuadratureOptions {
  /** Absolute tolerance on every component of the whole integral (default 1e-13). */
  absTol?: number;
  /** Relative tolerance on every component (default 1e-13). */
  relTol?: number;
  /** Largest number of bisections of a panel (default 40). */
  maxDepth?: number;
  /**
   * Mean-field pair integrals (M > 1) with smooth φ normally use Gauss–Hermite rules checked
   * against each other; true forces the adaptive rule everywhere (slower; for verification).
   */
  adaptiveOnly?: boolean;
}

/**
 * Nodes (ascending) and weights of the n-point Gauss–Legendre rule on [−1, 1]: the roots of P_n by Newton's
 * method from the Chebyshev-like guesses cos(π(i − ¼)/(n + ½)), and w_i = 2/((1 − x²) P_n′(x)²).
 */
export function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      // P_n(z) and P_n′(z) by the three-term recurrence.
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    // Ascending order (numpy's): the i-th guess is the i-th largest root.
    x[n - 1 - i] = z;
    w[n - 1 - i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

const RULE = gaussLegendre(16);

/** Σ wᵢ f(xᵢ) on [a, b] for every component, added into `acc` (scratch `tmp` of length m). */
function rule(
  f: VectorIntegrand,
  a: number,
  b: number,
  acc: Float64Array,
  tmp: Float64Array,
): void {
  const half = 0.5 * (b - a);
  const mid = 0.5 * (a + b);
  acc.fill(0);
  for (let i = 0; i < RULE.x.length; i++) {
    f(mid + half * RULE.x[i], tmp);
    const wi = half * RULE.w[i];
    for (let k = 0; k < acc.length; k++) acc[k] += wi * tmp[k];
  }
}

/**
 * ∫_a^b f(x) dx for a vector integrand with m components. The interval is cut at `breaks`
 * (those inside (a, b)); each panel is bisected until the 16-point rule on the panel and the sum
 * of the rules on its halves agree to within max(absTol, relTol·|I|)·(panel length)/(b − a) in
 * every component. Throws NOT_CONVERGED if a panel needs more than `maxDepth` bisections.
 *
 * @example
 * // ∫₀^π sin x dx = 2
 * adaptiveIntegral((x, out) => { out[0] = Math.sin(x); }, 1, 0, Math.PI)[0];
 */
export function adaptiveIntegral(
  f: VectorIntegrand,
  m: number,
  a: number,
  b: number,
  breaks: ReadonlyArray<number> = [],
  options: QuadratureOptions = {},
): Float64Array {
  const absTol = options.absTol ?? 1e-13;
  const relTol = options.relTol ?? 1e-13;
  const maxDepth = options.maxDepth ?? 40;
  const total = new Float64Array(m);
  if (!(b > a)) return total;
  const cuts = [a, ...breaks.filter((c) => c > a && c < b).sort((p, q) => p - q), b];
  const tmp = new Float64Array(m);
  const length = b - a;

  // Rough magnitude of the integral for the relative tolerance: one rule per panel.
  const scale = new Float64Array(m);
  const whole: Float64Array[] = [];
  for (let p = 0; p + 1 < cuts.length; p++) {
    const q = new Float64Array(m);
    if (cuts[p + 1] > cuts[p]) rule(f, cuts[p], cuts[p + 1], q, tmp);
    whole.push(q);
    for (let k = 0; k < m; k++) scale[k] += q[k];
  }
  const tolOf = (k: number, width: number) =>
    Math.max(absTol, relTol * Math.abs(scale[k])) * (width / length);

  const adapt = (lo: number, hi: number, q: Float64Array, depth: number): void => {
    const c = 0.5 * (lo + hi);
    const left = new Float64Array(m);
    const right = new Float64Array(m);
    rule(f, lo, c, left, tmp);
    rule(f, c, hi, right, tmp);
    let ok = true;
    for (let k = 0; k < m && ok; k++) {
      if (!(Math.abs(left[k] + right[k] - q[k]) <= tolOf(k, hi - lo))) ok = false;
    }
    if (ok) {
      for (let k = 0; k < m; k++) total[k] += left[k] + right[k];
      return;
    }
    if (depth >= maxDepth || !(c > lo && c < hi)) {
      throw new RnnscopeError(
        'NOT_CONVERGED',
        `quadrature did not converge on [${lo}, ${hi}] after ${depth} bisections (is the integrand finite and smooth between breakpoints?)`,
      );
    }
    adapt(lo, c, left, depth + 1);
    adapt(c, hi, right, depth + 1);
  };
  for (let p = 0; p + 1 < cuts.length; p++) {
    if (cuts[p + 1] > cuts[p]) adapt(cuts[p], cuts[p + 1], whole[p], 0);
  }
  return total;
}

/** Half-width of the truncated real line for Gaussian measures: Dy beyond ±12.5 is < 2e-34. */
export const GAUSSIAN_CUTOFF = 12.5;

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * ∫ f(y) Dy with Dy = e^{−y²/2} dy/√(2π), the standard Gaussian measure, over [−12.5, 12.5]
 * (the rest weighs < 2e-34 times the integrand's growth). `kinks` are points where f is not
 * smooth; 0 and ±3, ±6 are added as breakpoints so the bell is resolved from the start.
 */
export function gaussianIntegral(
  f: VectorIntegrand,
  m: number,
  kinks: ReadonlyArray<number> = [],
  options: QuadratureOptions = {},
): Float64Array {
  const L = GAUSSIAN_CUTOFF;
  return adaptiveIntegral(
    (y, out) => {
      f(y, out);
      const p = INV_SQRT_2PI * Math.exp(-0.5 * y * y);
      for (let k = 0; k < m; k++) out[k] *= p;
    },
    m,
    -L,
    L,
    [...kinks, -6, -3, 0, 3, 6],
    options,
  );
}

const hermiteCache = new Map<number, { x: Float64Array; w: Float64Array }>();

/**
 * The n-point Gauss–Hermite rule for the standard Gaussian measure Dy (probabilists' Hermite
 * polynomials), by Golub–Welsch: the nodes are the eigenvalues of the Jacobi matrix with
 * off-diagonal √k, the weights the squared first components of its unit eigenvectors. Exact for
 * polynomials of degree < 2n; for analytic integrands the error falls exponentially in √n.
 */
export function gaussHermite(n: number): { x: Float64Array; w: Float64Array } {
  const cached = hermiteCache.get(n);
  if (cached) return cached;
  const J = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let k = 1; k < n; k++) {
    J.data[k * n + k - 1] = Math.sqrt(k);
    J.data[(k - 1) * n + k] = Math.sqrt(k);
  }
  const { values, vectors } = eigSym(J, true);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = vectors!.data[i] ** 2;
  const rule = { x: Float64Array.from(values), w };
  hermiteCache.set(n, rule);
  return rule;
}

/** ∫ f(y) Dy by the n-point Gauss–Hermite rule (no error estimate: the caller compares orders). */
export function gaussianIntegralFixed(f: VectorIntegrand, m: number, n: number): Float64Array {
  const { x, w } = gaussHermite(n);
  const acc = new Float64Array(m);
  const tmp = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    f(x[i], tmp);
    for (let k = 0; k < m; k++) acc[k] += w[i] * tmp[k];
  }
  return acc;
}
