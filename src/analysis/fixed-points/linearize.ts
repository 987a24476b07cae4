/**
 * Linearisation at a point: eigenvalues (and the leading eigenvectors) of the Jacobian in the
 * system's time convention, stability, label and the time scales of the leading modes.
 */
import { RnnscopeError } from '../../errors.js';
import {
  eig,
  eigs,
  EigsNotConvergedError,
  sortEig,
  type EigResult,
  type EigsResult,
  type Matrix,
} from '../../linalg/index.js';
import type { DynamicalSystem } from '../../systems/types.js';
import { classifySpectrum, modeTimescale, sortKeyFor } from './stability.js';
import type { Linearization, Mode } from './types.js';

export interface LinearizeOptions {
  /** Dense eigendecomposition up to this dimension, Arnoldi above (default 400). */
  eigenLimit?: number;
  /** Modes reported with eigenvectors (default 3). */
  modes?: number;
  /** Leading eigenvalues computed by Arnoldi (default 10). */
  leading?: number;
  /** Left eigenvectors of the reported modes too (default false). */
  left?: boolean;
  /** |growth| at or below this is marginal (default 1e-8·max(1, max|λ|)). */
  marginalTol?: number;
  /** Seed of Arnoldi's starting vector (default 'linearize'). */
  seed?: number | string;
}

function column(M: Matrix, c: number): number[] {
  const out = new Array<number>(M.rows);
  for (let i = 0; i < M.rows; i++) out[i] = M.data[i * M.cols + c];
  return out;
}

/** v ↦ A·v for the Jacobian in the time convention (maps: DG = jacobian + I). */
function operator(
  sys: DynamicalSystem,
  x: Float64Array,
  transpose: boolean,
): (v: Float64Array, out: Float64Array) => void {
  const n = sys.dim;
  const map = sys.time === 'map';
  const f = transpose ? sys.vjp : sys.jvp;
  if (f) {
    return (v, out) => {
      f.call(sys, x, v, out);
      if (map) for (let i = 0; i < n; i++) out[i] += v[i];
    };
  }
  const J = denseJacobian(sys, x);
  return (v, out) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (transpose ? J.data[k * n + i] : J.data[i * n + k]) * v[k];
      out[i] = s;
    }
  };
}

/** The Jacobian in the time convention: dF/dx (flows) or DG = dF/dx + I (maps). */
export function denseJacobian(sys: DynamicalSystem, x: Float64Array): Matrix {
  const n = sys.dim;
  const J: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  sys.jacobian(x, J.data);
  if (sys.time === 'map') for (let i = 0; i < n; i++) J.data[i * n + i] += 1;
  for (let k = 0; k < n * n; k++) {
    if (!Number.isFinite(J.data[k])) {
      throw new RnnscopeError(
        'NON_FINITE',
        `the Jacobian has ${J.data[k]} at [${Math.floor(k / n)}][${k % n}]; cannot linearise here`,
      );
    }
  }
  return J;
}

/**
 * Linearises `sys` at x. Dense (n ≤ eigenLimit): all n eigenvalues of the Jacobian by the
 * general eigensolver, right (and optionally left) eigenvectors of the leading `modes`.
 * Large n: the `leading` eigenvalues with the largest Re λ (flows) or |μ| (maps) by Krylov–Schur
 * Arnoldi (linalg `eigs`) on J·v products (`sys.jvp`), so the full spectrum is never formed;
 * left eigenvectors then come from Arnoldi on Jᵀ·v, matched by eigenvalue. If Arnoldi does not
 * converge its best Ritz values are kept and `eigenConverged: false` says so. Stability, label and mode time scales follow
 * `classifySpectrum` / `modeTimescale`.
 *
 * @example
 * const lin = linearize(toy2d(), Float64Array.of(0, 0));
 * // lin.label === 'saddle', lin.eigenvalues ≈ [[(−1+√3)/2, 0], [(−1−√3)/2, 0]]
 */
export function linearize(
  sys: DynamicalSystem,
  x: Float64Array,
  opts: LinearizeOptions = {},
): Linearization {
  const n = sys.dim;
  const time = sys.time;
  const key = sortKeyFor(time);
  const nModes = Math.min(n, opts.modes ?? 3);
  const dense = n <= (opts.eigenLimit ?? 400);
  const seed = opts.seed ?? 'linearize';
  let converged = true;
  /** Krylov–Schur (linalg `eigs`); on NOT_CONVERGED keep its best Ritz pairs, flagged. */
  const leading = (op: (v: Float64Array, out: Float64Array) => void, k: number): EigsResult => {
    try {
      return eigs(n, op, { k, which: key === 'real' ? 'LR' : 'LM', seed, tol: 1e-10 });
    } catch (e) {
      if (!(e instanceof EigsNotConvergedError)) throw e;
      converged = false;
      return e.partial;
    }
  };
  let re: Float64Array;
  let im: Float64Array;
  let vectors: EigResult['vectors'];
  let left: EigResult['leftVectors'];
  if (dense) {
    const J = denseJacobian(sys, x);
    let r: EigResult;
    try {
      r = eig(J, { vectors: nModes > 0, left: Boolean(opts.left) && nModes > 0 });
    } catch (e) {
      if (!(e instanceof RnnscopeError && e.code === 'SINGULAR')) throw e;
      r = eig(J, { vectors: nModes > 0 }); // defective: no left vectors from V⁻¹
    }
    r = sortEig(r, key);
    ({ re, im, vectors } = r);
    left = r.leftVectors;
  } else {
    const k = Math.min(n - 1, Math.max(opts.leading ?? 10, nModes));
    const r = leading(operator(sys, x, false), k);
    ({ re, im, vectors } = r);
    if (opts.left && nModes > 0) {
      const l = leading(operator(sys, x, true), k);
      // yᴴA = λyᴴ ⇔ Aᵀȳ = λȳ: the left vector is the conjugate of Aᵀ's eigenvector for the
      // same λ, matched here by nearest eigenvalue.
      const cols = re.length;
      const lr = new Float64Array(n * cols);
      const li = new Float64Array(n * cols);
      for (let c = 0; c < cols; c++) {
        let best = -1;
        let bd = Infinity;
        for (let d = 0; d < l.re.length; d++) {
          const dist = Math.hypot(l.re[d] - re[c], l.im[d] - im[c]);
          if (dist < bd) {
            bd = dist;
            best = d;
          }
        }
        for (let i = 0; i < n; i++) {
          lr[i * cols + c] = l.vectors!.re.data[i * l.re.length + best];
          li[i * cols + c] = -l.vectors!.im.data[i * l.re.length + best];
        }
      }
      left = { re: { rows: n, cols, data: lr }, im: { rows: n, cols, data: li } };
    }
  }
  let scale = 1;
  for (let k = 0; k < re.length; k++) scale = Math.max(scale, Math.hypot(re[k], im[k]));
  const tol = opts.marginalTol ?? 1e-8 * scale;
  const cls = classifySpectrum(re, im, time, n, dense, tol);
  const modes: Mode[] = [];
  for (let c = 0; c < Math.min(nModes, re.length); c++) {
    const mode: Mode = { eigenvalue: [re[c], im[c]], ...modeTimescale(re[c], im[c], time) };
    if (vectors) mode.vector = { re: column(vectors.re, c), im: column(vectors.im, c) };
    if (left) mode.leftVector = { re: column(left.re, c), im: column(left.im, c) };
    modes.push(mode);
  }
  const eigenvalues: [number, number][] = Array.from(re, (v, k) => [v, im[k]]);
  return {
    eigenvalues,
    spectrum: dense ? 'full' : 'leading',
    stability: cls.stability,
    label: cls.label,
    unstableDims: cls.unstableDims,
    ...(cls.unstableDimsAtLeast ? { unstableDimsAtLeast: true } : {}),
    marginalDims: cls.marginalDims,
    ...(converged ? {} : { eigenConverged: false }),
    modes,
  };
}
