/**
 * General real eigendecomposition in the wasm kernels (asm/eig*.ts), with the output conventions
 * of the TS reference (src/linalg/ts/eig.ts) so the backends are interchangeable: balance →
 * blocked Hessenberg (GEMM) → Francis double-shift QR with aggressive early deflation →
 * back-substitution on T → back-transformation by GEMM; left eigenvectors from the inverse of
 * the right-eigenvector matrix W, formed here as X⁻¹·Zᵀ·D⁻¹ from the block-triangular X (cheaper
 * and more accurate than an LU of W, and the same vectors after normalisation).
 *
 * Eigenvalues come in the order of the Schur diagonal, as in the reference. Below 75 rows the
 * QR iteration is the reference's, so the order normally matches; larger matrices deflate in
 * the order aggressive early deflation finds, which differs. Use `sortEig` for a canonical
 * order. Vectors, pair structure, phase and errors are the same.
 */
import { RnnscopeError } from '../../errors.js';
import type { EigOptions, EigResult } from '../backend.js';
import type { Matrix } from '../matrix.js';
import { powerOfTwoScale, requireFinite, requireSquare } from '../ts/checks.js';
import { balance } from '../ts/hessenberg.js';
import { normalizeComplex } from '../ts/phase.js';
import type { KernelExports, WasmKernels } from './load.js';
import { isWasmMatrix } from './matrix.js';

/** The eigensolver's exports of asm/index.ts (pointers are byte addresses). */
interface EigKernels extends Pick<KernelExports, 'gemm' | 'gemmWorkBytes'> {
  hessenbergReduce(
    n: number,
    a: number,
    nb: number,
    keepAll: number,
    vAll: number,
    tAll: number,
    yt: number,
    z1: number,
    wk: number,
    wk2: number,
    b: number,
    w: number,
    work: number,
    workBytes: number,
  ): void;
  hessenbergFormQt(
    n: number,
    q: number,
    nb: number,
    vAll: number,
    tAll: number,
    wk: number,
    wk2: number,
    work: number,
    workBytes: number,
  ): void;
  francis(
    n: number,
    h: number,
    zt: number,
    wr: number,
    wi: number,
    coef: number,
    aedWork: number,
    work: number,
    workBytes: number,
    log: number,
    logBytes: number,
  ): number;
  francisWorkBytes(): number;
  aedWorkBytes(n: number): number;
  francisLogBytes(n: number): number;
  schurVectors(n: number, t: number, wr: number, wi: number, xt: number): void;
  invertBlockLower(
    n: number,
    xt: number,
    wi: number,
    m: number,
    work: number,
    workBytes: number,
  ): void;
  eigWorkShort(): number;
}

/** Reflectors per block of the Hessenberg reduction (LAPACK's default for dgehrd). */
const NB = 32;
/** Rows per GEMM in the triangular back-transformations. */
const BAND = 128;

/**
 * Largest GEMM workspace any call on dimensions ≤ n can need. The kernel's block sizes are
 * capped at powers of two and its workspace peaks where a dimension equals a cap, so powers of
 * two up to n (and n itself) cover every case; asm/eig-util.ts checks each call regardless.
 */
function gemmWorkBound(k: EigKernels, n: number): number {
  const dims = [n];
  for (let x = 1; x < n; x *= 2) dims.push(x);
  let most = 0;
  for (const a of dims)
    for (const b of dims) for (const c of dims) most = Math.max(most, k.gemmWorkBytes(a, b, c));
  return most;
}

/** Creates the wasm `eig` for one kernel instance (see LinalgBackend.eig for the contract). */
export function createWasmEig(
  kernels: WasmKernels,
): (A: Matrix, options?: EigOptions) => EigResult {
  const k = kernels.exports as unknown as EigKernels;
  const arena = kernels.arena;
  const workCache = new Map<number, number>();

  return function eig(A: Matrix, options: EigOptions = {}): EigResult {
    const n = requireSquare(A, 'eig');
    requireFinite(A, 'eig');
    const wantLeft = options.left === true;
    const wantVectors = wantLeft || options.vectors !== false;
    if (n === 0) {
      const empty = (): Matrix => ({ rows: 0, cols: 0, data: new Float64Array(0) });
      const r: EigResult = { re: new Float64Array(0), im: new Float64Array(0) };
      if (wantVectors) r.vectors = { re: empty(), im: empty() };
      if (wantLeft) r.leftVectors = { re: empty(), im: empty() };
      return r;
    }
    let workBytes = workCache.get(n);
    if (workBytes === undefined) {
      workBytes = gemmWorkBound(k, n);
      workCache.set(n, workBytes);
    }
    // Work on A/2^k with max|entry| ≈ 1 (exact), so the iteration cannot over- or underflow.
    const s = powerOfTwoScale(A);
    // An input viewing unshared kernel memory would be detached by the allocations below.
    const input =
      !kernels.shared && arena.owns(A.data) ? A.data.slice(0, n * n) : A.data.subarray(0, n * n);
    const nn = n * n * 8;
    const ptrs: number[] = [];
    const alloc = (bytes: number): number => {
      const p = arena.alloc(bytes);
      ptrs.push(p);
      return p;
    };
    try {
      // Everything is allocated before any view is made: growth detaches unshared views.
      const h = alloc(nn);
      const wr = alloc(n * 8);
      const wi = alloc(n * 8);
      const vAll = alloc(wantVectors ? nn : NB * n * 8);
      const tAll = alloc(wantVectors ? (n + NB) * NB * 8 : NB * NB * 8);
      const zt = wantVectors ? alloc(nn) : 0;
      const yt = alloc(NB * n * 8);
      const z1 = alloc(NB * n * 8);
      const wk = alloc(NB * n * 8);
      const wk2 = alloc(NB * n * 8);
      const b = alloc(n * 8);
      const w = alloc(NB * 8);
      const work = alloc(workBytes);
      const coef = alloc(k.francisWorkBytes());
      const aedBytes = k.aedWorkBytes(n);
      const aedWork = aedBytes > 0 ? alloc(aedBytes) : 0;
      const logBytes = wantVectors ? k.francisLogBytes(n) : 0;
      const log = logBytes > 0 ? alloc(logBytes) : 0;

      const hv = arena.f64(h, n * n);
      hv.set(isWasmMatrix(A) ? A.data.subarray(0, n * n) : input);
      if (s !== 1) for (let i = 0; i < n * n; i++) hv[i] /= s;
      const scale = balance(hv, n);
      k.hessenbergReduce(
        n,
        h,
        NB,
        wantVectors ? 1 : 0,
        vAll,
        tAll,
        yt,
        z1,
        wk,
        wk2,
        b,
        w,
        work,
        workBytes,
      );
      if (wantVectors) k.hessenbergFormQt(n, zt, NB, vAll, tAll, wk, wk2, work, workBytes);
      checkWork(k);
      const failed = k.francis(n, h, zt, wr, wi, coef, aedWork, work, workBytes, log, logBytes);
      checkWork(k);
      if (failed >= 0) {
        throw new RnnscopeError(
          'NOT_CONVERGED',
          `eig: QR iteration did not converge for eigenvalue ${failed} after 100 sweeps`,
        );
      }
      const re = arena.f64(wr, n).slice();
      const im = arena.f64(wi, n).slice();
      if (s !== 1) {
        for (let i = 0; i < n; i++) {
          re[i] *= s;
          im[i] *= s;
        }
      }
      if (!wantVectors) return { re, im };

      // Vᵀ = X^T·Zᵀ = xt·zt into h (T is not needed once X is known): one eigenvector per row,
      // so balancing, norms and normalisation below run along contiguous rows. xt is block lower
      // triangular, so each band of rows only needs the leading columns of xt (half the flops).
      const xt = vAll;
      k.schurVectors(n, h, wr, wi, xt);
      for (let i0 = 0; i0 < n; i0 += BAND) {
        const rows = Math.min(BAND, n - i0);
        const inner = Math.min(n, i0 + rows + 1); // a pair's Re row reaches one column further
        k.gemm(0, 0, rows, n, inner, 1, xt + i0 * n * 8, n, zt, n, 0, h + i0 * n * 8, n, work);
      }
      const vt = arena.f64(h, n * n);
      for (let r = 0; r < n; r++) for (let i = 0; i < n; i++) vt[r * n + i] *= scale[i];
      const vectors = unpackRows(vt, n, im);
      const result: EigResult = { re, im, vectors };
      if (!wantLeft) return result;

      // W⁻¹ = X⁻¹·Zᵀ·D⁻¹ = (xt⁻¹)ᵀ·zt·D⁻¹: rows are the left vectors (Re, Im rows for a pair).
      // M = xt⁻¹ is block lower triangular too: row band [i0, i1) of Mᵀ needs rows ≥ i0 − 1 of M.
      const unit = vectorScales(vt, n, im);
      const normW = scaledNorm1(vt, n, unit, false);
      k.invertBlockLower(n, xt, wi, h, work, workBytes);
      checkWork(k);
      for (let i0 = 0; i0 < n; i0 += BAND) {
        const rows = Math.min(BAND, n - i0);
        const j0 = Math.max(0, i0 - 1);
        k.gemm(
          1,
          0,
          rows,
          n,
          n - j0,
          1,
          h + (j0 * n + i0) * 8,
          n,
          zt + j0 * n * 8,
          n,
          0,
          xt + i0 * n * 8,
          n,
          work,
        );
      }
      const winv = arena.f64(xt, n * n);
      for (let r = 0; r < n; r++) for (let j = 0; j < n; j++) winv[r * n + j] /= scale[j];
      // As in the reference: a (numerically) defective A has cond₁(W) ≥ 1/(n·eps), W the basis
      // of unit-norm right vectors, and the "left vectors" from W⁻¹ would be noise.
      const normWinv = scaledNorm1(winv, n, unit, true);
      if (!(normW * normWinv * n * Number.EPSILON < 1)) {
        throw new RnnscopeError(
          'SINGULAR',
          'eig: left eigenvectors need linearly independent right eigenvectors, but the matrix is (numerically) defective',
        );
      }
      result.leftVectors = unpackRows(winv, n, im);
      return result;
    } finally {
      for (const p of ptrs) arena.free(p);
    }
  };
}

function checkWork(k: EigKernels): void {
  if (k.eigWorkShort() !== 0) {
    throw new Error('internal error: eig GEMM workspace too small (asm/eig-util.ts mm)');
  }
}

/**
 * 2-norms of the eigenvectors held one per row in vt ((Re, Im) rows for a pair): the scale that
 * makes each complex vector unit-norm, the same for both rows of a pair.
 */
function vectorScales(vt: Float64Array, n: number, im: Float64Array): Float64Array {
  const c = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    if (im[k] < 0) continue;
    const end = (im[k] > 0 ? k + 2 : k + 1) * n;
    let max = 0;
    for (let i = k * n; i < end; i++) max = Math.max(max, Math.abs(vt[i]));
    let ss = 0;
    if (max > 0) {
      for (let i = k * n; i < end; i++) {
        const t = vt[i] / max;
        ss += t * t;
      }
    }
    c[k] = max * Math.sqrt(ss);
    if (im[k] > 0) c[k + 1] = c[k];
  }
  return c;
}

/**
 * With vectors held one per row (Wᵀ) or W⁻¹ as rows: ‖W·diag(1/c)‖₁ = max_k ‖row k‖₁/c_k
 * (inverse = false), or ‖diag(c)·W⁻¹‖₁ = max_j Σ_k c_k·|W⁻¹_kj| (inverse = true). NaN (never
 * < anything) when an entry is not finite.
 */
function scaledNorm1(a: Float64Array, n: number, c: Float64Array, inverse: boolean): number {
  let max = 0;
  if (!inverse) {
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let i = k * n; i < (k + 1) * n; i++) s += Math.abs(a[i]);
      if (!Number.isFinite(s)) return NaN;
      max = Math.max(max, s / c[k]);
    }
    return max;
  }
  const sums = new Float64Array(n);
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) sums[j] += c[k] * Math.abs(a[k * n + j]);
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(sums[j])) return NaN;
    max = Math.max(max, sums[j]);
  }
  return max;
}

/**
 * Splits the real basis held one vector per row of `rows` (a row per real eigenvector, (Re, Im)
 * rows per conjugate pair) into normalised column re/im matrices with explicit conjugates,
 * exactly as the reference does. Normalisation runs on a contiguous copy of each vector.
 */
function unpackRows(rows: Float64Array, n: number, im: Float64Array): { re: Matrix; im: Matrix } {
  const vr = new Float64Array(n * n);
  const vi = new Float64Array(n * n);
  const tr = new Float64Array(n);
  const ti = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    if (im[k] < 0) continue;
    tr.set(rows.subarray(k * n, k * n + n));
    if (im[k] > 0) ti.set(rows.subarray((k + 1) * n, (k + 2) * n));
    else ti.fill(0);
    normalizeComplex(tr, ti, 0, 1, n);
    for (let i = 0; i < n; i++) {
      vr[i * n + k] = tr[i];
      vi[i * n + k] = ti[i];
    }
    if (im[k] > 0) {
      for (let i = 0; i < n; i++) {
        vr[i * n + k + 1] = tr[i];
        vi[i * n + k + 1] = 0 - ti[i]; // 0 − x, not −x: no −0 entries
      }
    }
  }
  return { re: { rows: n, cols: n, data: vr }, im: { rows: n, cols: n, data: vi } };
}
