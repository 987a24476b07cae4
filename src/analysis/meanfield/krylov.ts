/**
 * Krylov tools for the finite network's loop: the open-loop transfer function
 * G(s) = cᵀ(sI − A)⁻¹b at many s from one Arnoldi basis, the closed-loop Ritz values, and GMRES
 * for the Newton steps of the fixed-point relaxation. All matrix-free (a matvec is one N×N GEMV).
 *
 * Shift invariance makes one basis serve every frequency: K_k(A, b) = K_k(sI − A, b), and
 * closing the loop does not change it either, K_k(A + bcᵀ, b) = K_k(A, b). With
 * A·V_k = V_k·H_k + h_{k+1,k}·v_{k+1}·e_kᵀ and b = β·v₁:
 *
 *   G(s) ≈ β·(V_kᵀc)ᵀ (sI − H_k)⁻¹ e₁                      (FOM; residual β·h_{k+1,k}·|e_kᵀy|)
 *   closed-loop Ritz values: eig(H_k + β·e₁·(V_kᵀc)ᵀ)        (residual h_{k+1,k}·|e_kᵀz|)
 *
 * so the eigenvalues of the closed loop that the feedback moves are found from the same basis,
 * started from w_FB, the direction that excites them.
 */
import { RnnscopeError } from '../../errors.js';

export type MatVec = (v: Float64Array, out: Float64Array) => void;

/** An Arnoldi factorisation A·V_k = V_k·H_k + h_{k+1,k}·v_{k+1}·e_kᵀ with V orthonormal. */
export interface ArnoldiBasis {
  n: number;
  /** Current dimension k. */
  k: number;
  /** Basis vectors v₁…v_{k+1}. */
  V: Float64Array[];
  /** H as columns: H[j] holds h_{0..j+1, j}. */
  H: Float64Array[];
  /** ‖b‖. */
  beta: number;
  /** True when h_{k+1,k} = 0: the space is invariant and every result is exact. */
  invariant: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Starts an Arnoldi basis from b. */
export function arnoldiStart(b: Float64Array): ArnoldiBasis {
  const beta = Math.sqrt(dot(b, b));
  if (!(beta > 0) || !Number.isFinite(beta)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      'the Krylov start vector must be finite and non-zero',
    );
  }
  const v = new Float64Array(b.length);
  for (let i = 0; i < b.length; i++) v[i] = b[i] / beta;
  return { n: b.length, k: 0, V: [v], H: [], beta, invariant: false };
}

/**
 * One Arnoldi step (classical Gram–Schmidt applied twice, which keeps V orthonormal to working
 * precision). No-op once the space is invariant.
 */
export function arnoldiStep(basis: ArnoldiBasis, matvec: MatVec): void {
  if (basis.invariant) return;
  const { n, V } = basis;
  const j = basis.k;
  const w = new Float64Array(n);
  matvec(V[j], w);
  const h = new Float64Array(j + 2);
  const norm0 = Math.sqrt(dot(w, w));
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i <= j; i++) {
      const s = dot(V[i], w);
      h[i] += s;
      const vi = V[i];
      for (let t = 0; t < n; t++) w[t] -= s * vi[t];
    }
  }
  const hn = Math.sqrt(dot(w, w));
  h[j + 1] = hn;
  basis.H.push(h);
  basis.k = j + 1;
  if (hn <= 1e-14 * Math.max(norm0, 1e-300)) {
    basis.invariant = true;
    h[j + 1] = 0;
    V.push(new Float64Array(n));
    return;
  }
  for (let t = 0; t < n; t++) w[t] /= hn;
  V.push(w);
}

/** H_k as a dense row-major k×k matrix. */
export function hessenbergMatrix(basis: ArnoldiBasis): Float64Array {
  const k = basis.k;
  const M = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const h = basis.H[j];
    for (let i = 0; i <= Math.min(j + 1, k - 1); i++) M[i * k + j] = h[i];
  }
  return M;
}

/**
 * y = (s·I − H_k)⁻¹ e₁ for complex s = sr + i·si, by Gaussian elimination with partial pivoting
 * on the upper Hessenberg matrix (only adjacent rows can swap): O(k²).
 */
export function hessenbergShiftSolve(
  basis: ArnoldiBasis,
  sr: number,
  si: number,
): { re: Float64Array; im: Float64Array } {
  const k = basis.k;
  // Dense copy of sI − H (complex), row-major.
  const ar = new Float64Array(k * k);
  const ai = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const h = basis.H[j];
    for (let i = 0; i <= Math.min(j + 1, k - 1); i++) ar[i * k + j] = -h[i];
    ar[j * k + j] += sr;
    ai[j * k + j] += si;
  }
  const xr = new Float64Array(k);
  const xi = new Float64Array(k);
  xr[0] = 1;
  for (let c = 0; c < k - 1; c++) {
    const r = c + 1;
    // Swap rows c and r if the subdiagonal entry is larger.
    if (Math.hypot(ar[r * k + c], ai[r * k + c]) > Math.hypot(ar[c * k + c], ai[c * k + c])) {
      for (let j = c; j < k; j++) {
        let t = ar[c * k + j];
        ar[c * k + j] = ar[r * k + j];
        ar[r * k + j] = t;
        t = ai[c * k + j];
        ai[c * k + j] = ai[r * k + j];
        ai[r * k + j] = t;
      }
      let t = xr[c];
      xr[c] = xr[r];
      xr[r] = t;
      t = xi[c];
      xi[c] = xi[r];
      xi[r] = t;
    }
    const pr = ar[c * k + c];
    const pi = ai[c * k + c];
    const pd = pr * pr + pi * pi;
    if (pd === 0)
      throw new RnnscopeError(
        'SINGULAR',
        `shifted Hessenberg system is singular at s = ${sr} + ${si}i`,
      );
    const er = ar[r * k + c];
    const ei = ai[r * k + c];
    const fr = (er * pr + ei * pi) / pd;
    const fi = (ei * pr - er * pi) / pd;
    for (let j = c; j < k; j++) {
      const ur = ar[c * k + j];
      const ui = ai[c * k + j];
      ar[r * k + j] -= fr * ur - fi * ui;
      ai[r * k + j] -= fr * ui + fi * ur;
    }
    xr[r] -= fr * xr[c] - fi * xi[c];
    xi[r] -= fr * xi[c] + fi * xr[c];
  }
  for (let r = k - 1; r >= 0; r--) {
    let sr2 = xr[r];
    let si2 = xi[r];
    for (let j = r + 1; j < k; j++) {
      sr2 -= ar[r * k + j] * xr[j] - ai[r * k + j] * xi[j];
      si2 -= ar[r * k + j] * xi[j] + ai[r * k + j] * xr[j];
    }
    const pr = ar[r * k + r];
    const pi = ai[r * k + r];
    const pd = pr * pr + pi * pi;
    if (pd === 0)
      throw new RnnscopeError(
        'SINGULAR',
        `shifted Hessenberg system is singular at s = ${sr} + ${si}i`,
      );
    xr[r] = (sr2 * pr + si2 * pi) / pd;
    xi[r] = (si2 * pr - sr2 * pi) / pd;
  }
  return { re: xr, im: xi };
}

/**
 * The FOM approximation of cᵀ(sI − A)⁻¹b at s = sr + i·si from the basis, with `cv` = V_kᵀc
 * (first k entries used), and the relative residual ‖b − (sI − A)x_k‖/‖b‖ = h_{k+1,k}|e_kᵀy|.
 */
export function fomTransfer(
  basis: ArnoldiBasis,
  cv: ArrayLike<number>,
  sr: number,
  si: number,
): { value: [number, number]; residual: number } {
  const k = basis.k;
  const y = hessenbergShiftSolve(basis, sr, si);
  let re = 0;
  let im = 0;
  for (let i = 0; i < k; i++) {
    re += cv[i] * y.re[i];
    im += cv[i] * y.im[i];
  }
  const hk = basis.invariant ? 0 : basis.H[k - 1][k];
  return {
    value: [basis.beta * re, basis.beta * im],
    residual: hk * Math.hypot(y.re[k - 1], y.im[k - 1]),
  };
}

/**
 * GMRES for A·x = b (A given by `matvec`), restarted every `restart` steps, until
 * ‖b − A·x‖ ≤ tol·‖b‖. Returns x, the relative residual and the number of matvecs.
 */
export function gmres(
  matvec: MatVec,
  b: Float64Array,
  tol = 1e-12,
  maxMatvecs = 2000,
  restart = 150,
): { x: Float64Array; residual: number; matvecs: number } {
  const n = b.length;
  const x = new Float64Array(n);
  const bnorm = Math.sqrt(dot(b, b));
  if (bnorm === 0) return { x, residual: 0, matvecs: 0 };
  let matvecs = 0;
  const r = new Float64Array(n);
  const Ax = new Float64Array(n);
  for (;;) {
    matvec(x, Ax);
    matvecs++;
    for (let i = 0; i < n; i++) r[i] = b[i] - Ax[i];
    const rnorm = Math.sqrt(dot(r, r));
    if (rnorm <= tol * bnorm || matvecs >= maxMatvecs)
      return { x, residual: rnorm / bnorm, matvecs };
    const basis = arnoldiStart(r);
    // Givens-rotated least squares: min ‖β e₁ − H̄ y‖.
    const cs: number[] = [];
    const sn: number[] = [];
    const g: number[] = [basis.beta];
    const R: Float64Array[] = [];
    let k = 0;
    while (k < restart && matvecs < maxMatvecs) {
      arnoldiStep(basis, matvec);
      matvecs++;
      const h = Float64Array.from(basis.H[k]);
      for (let i = 0; i < k; i++) {
        const t = cs[i] * h[i] + sn[i] * h[i + 1];
        h[i + 1] = -sn[i] * h[i] + cs[i] * h[i + 1];
        h[i] = t;
      }
      const d = Math.hypot(h[k], h[k + 1]);
      const c = d === 0 ? 1 : h[k] / d;
      const s = d === 0 ? 0 : h[k + 1] / d;
      cs.push(c);
      sn.push(s);
      h[k] = d;
      h[k + 1] = 0;
      R.push(h);
      g.push(-s * g[k]);
      g[k] = c * g[k];
      k++;
      if (Math.abs(g[k]) <= tol * bnorm || basis.invariant) break;
    }
    // Back substitution R y = g, then x += V y.
    const y = new Float64Array(k);
    for (let i = k - 1; i >= 0; i--) {
      let t = g[i];
      for (let j = i + 1; j < k; j++) t -= R[j][i] * y[j];
      y[i] = t / R[i][i];
    }
    for (let j = 0; j < k; j++) {
      const v = basis.V[j];
      for (let i = 0; i < n; i++) x[i] += y[j] * v[i];
    }
  }
}
