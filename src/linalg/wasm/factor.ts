/**
 * LU with partial pivoting, triangular solves and Cholesky on the wasm kernels, written
 * recursively (Toledo 1997; Gustavson 1997; LAPACK's dgetrf2/dpotrf2): split the columns in two,
 * factor the left half, update the right half with a triangular solve and one GEMM, recurse. The
 * GEMMs are as large as the matrix allows at every level, so nearly all O(n³) work runs at GEMM
 * speed, and the leaves (narrow panels, small triangles) are Level-2 kernels in asm/factor.ts.
 * Results and errors follow the TS reference (../ts/lu.ts, ../ts/cholesky.ts).
 */
import { RnnscopeError } from '../../errors.js';
import type { LuResult } from '../backend.js';
import type { Matrix } from '../matrix.js';
import { requireFinite, requireSquare, requireSymmetric } from '../ts/checks.js';
import { Workspace, type GemmPicker } from './decomp-workspace.js';
import type { WasmKernels } from './load.js';

/** Panel width below which LU is eliminated column by column. */
const LU_LEAF = 16;
/** Triangle size below which TRSM runs as a row-axpy kernel. */
const TRSM_LEAF = 32;
/** Cholesky leaf: dot-product form, row by row. */
const CHOL_LEAF = 32;
/** SYRK diagonal blocks up to this size are computed whole by one GEMM (upper half wasted). */
const SYRK_LEAF = 64;

/** Splits w so the left part is a multiple of 8 when possible (GEMM tiles are 4 wide). */
function half(w: number): number {
  const h = w >> 1;
  return h >= 16 ? h & ~7 : h;
}

/** B ← L⁻¹B for unit lower w×w L (byte address l, ld ldl) and w×q B (b, ldb). */
function trsmLowerUnit(
  ws: Workspace,
  w: number,
  q: number,
  l: number,
  ldl: number,
  b: number,
  ldb: number,
): void {
  if (w <= TRSM_LEAF) {
    ws.k.trsmLowerUnit(w, q, l, ldl, b, ldb);
    return;
  }
  const w1 = half(w);
  trsmLowerUnit(ws, w1, q, l, ldl, b, ldb);
  ws.gemm(0, 0, w - w1, q, w1, -1, l + 8 * w1 * ldl, ldl, b, ldb, 1, b + 8 * w1 * ldb, ldb);
  trsmLowerUnit(ws, w - w1, q, l + 8 * (w1 * ldl + w1), ldl, b + 8 * w1 * ldb, ldb);
}

/** B ← U⁻¹B for non-unit upper w×w U and w×q B. */
function trsmUpper(
  ws: Workspace,
  w: number,
  q: number,
  u: number,
  ldu: number,
  b: number,
  ldb: number,
): void {
  if (w <= TRSM_LEAF) {
    ws.k.trsmUpper(w, q, u, ldu, b, ldb);
    return;
  }
  const w1 = half(w);
  trsmUpper(ws, w - w1, q, u + 8 * (w1 * ldu + w1), ldu, b + 8 * w1 * ldb, ldb);
  ws.gemm(0, 0, w1, q, w - w1, -1, u + 8 * w1, ldu, b + 8 * w1 * ldb, ldb, 1, b, ldb);
  trsmUpper(ws, w1, q, u, ldu, b, ldb);
}

/**
 * Factors the (n − r0)×w panel on the diagonal at (r0, r0) of the n×n matrix at a; row swaps move
 * whole rows and the pivot array. Returns the number of swaps.
 */
function luRec(ws: Workspace, a: number, n: number, r0: number, w: number, piv: number): number {
  const m = n - r0;
  if (w <= LU_LEAF) return ws.k.luPanel(a, n, n, r0, r0, m, w, piv);
  const w1 = half(w);
  const w2 = w - w1;
  let swaps = luRec(ws, a, n, r0, w1, piv);
  const a11 = a + 8 * (r0 * n + r0);
  const a12 = a11 + 8 * w1;
  trsmLowerUnit(ws, w1, w2, a11, n, a12, n);
  ws.gemm(0, 0, m - w1, w2, w1, -1, a11 + 8 * w1 * n, n, a12, n, 1, a12 + 8 * w1 * n, n);
  swaps += luRec(ws, a, n, r0 + w1, w2, piv);
  return swaps;
}

interface LuInWasm {
  ws: Workspace;
  a: number;
  piv: number;
  swaps: number;
}

function factorInWasm(kernels: WasmKernels, A: Matrix, pools?: GemmPicker): LuInWasm {
  const n = A.rows;
  const ws = new Workspace(kernels, pools);
  try {
    const a = ws.alloc(n * n);
    const piv = ws.alloc((n + 1) >> 1);
    ws.h.set(A.data.subarray(0, n * n), a / 8);
    const p = ws.i32(piv, n);
    for (let i = 0; i < n; i++) p[i] = i;
    ws.reserveGemm(n, n, n);
    const swaps = n > 0 ? luRec(ws, a, n, 0, n, piv) : 0;
    return { ws, a, piv, swaps };
  } catch (e) {
    ws.dispose();
    throw e;
  }
}

/** PA = LU like the TS reference: an exactly singular A is not an error (zero pivot kept in U). */
export function wasmLu(kernels: WasmKernels, A: Matrix, pools?: GemmPicker): LuResult {
  const n = requireSquare(A, 'lu');
  requireFinite(A, 'lu');
  const f = factorInWasm(kernels, A, pools);
  try {
    const lu = { rows: n, cols: n, data: f.ws.h.slice(f.a / 8, f.a / 8 + n * n) };
    const pivots = Int32Array.from(f.ws.i32(f.piv, n));
    return { lu, pivots, sign: f.swaps % 2 === 0 ? 1 : -1 };
  } finally {
    f.ws.dispose();
  }
}

/** Solves A X = B (B n×k) by LU and two recursive triangular solves. */
export function wasmSolve(kernels: WasmKernels, A: Matrix, B: Matrix, pools?: GemmPicker): Matrix {
  const n = requireSquare(A, 'solve');
  if (B.rows !== n) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `solve: A is ${n}×${n} but the right-hand side has ${B.rows} rows`,
    );
  }
  requireFinite(B, 'solve (right-hand side)');
  requireFinite(A, 'lu');
  const f = factorInWasm(kernels, A, pools);
  const { ws, a } = f;
  try {
    let h = ws.h;
    for (let i = 0; i < n; i++) {
      if (h[a / 8 + i * n + i] === 0) {
        throw new RnnscopeError(
          'SINGULAR',
          `solve: matrix is singular (zero pivot U[${i}][${i}] in the LU factorisation)`,
        );
      }
    }
    const k = B.cols;
    const x = ws.alloc(n * k);
    const piv = ws.i32(f.piv, n);
    h = ws.h;
    for (let i = 0; i < n; i++) {
      h.set(B.data.subarray(piv[i] * k, piv[i] * k + k), x / 8 + i * k);
    }
    if (k > 0 && n > 0) {
      trsmLowerUnit(ws, n, k, a, n, x, k);
      trsmUpper(ws, n, k, a, n, x, k);
    }
    const out = ws.h.slice(x / 8, x / 8 + n * k);
    for (let i = 0; i < n * k; i++) {
      if (!Number.isFinite(out[i])) {
        throw new RnnscopeError(
          'SINGULAR',
          'solve: the solution overflowed; the matrix is numerically singular',
        );
      }
    }
    return { rows: n, cols: k, data: out };
  } finally {
    ws.dispose();
  }
}

/** Lower-triangular L with A = L·Lᵀ (upper part zero); INVALID_ARGUMENT naming the failing pivot. */
export function wasmCholesky(kernels: WasmKernels, A: Matrix, pools?: GemmPicker): Matrix {
  const n = requireSquare(A, 'cholesky');
  requireFinite(A, 'cholesky');
  requireSymmetric(A, 'cholesky');
  const ws = new Workspace(kernels, pools);
  try {
    const a = ws.alloc(n * n);
    const bad = ws.alloc(1);
    // Only the lower triangle is read (and written back): copy half in, half out.
    let h = ws.h;
    for (let i = 0; i < n; i++) h.set(A.data.subarray(i * n, i * n + i + 1), a / 8 + i * n);
    ws.reserveGemm(n, n, n);
    const fail = (at: number): never => {
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `cholesky: matrix is not positive definite (pivot ${at} is ${ws.h[bad / 8]}, must be > 0)`,
      );
    };
    const trsmRight = (w: number, q: number, l: number, b: number): void => {
      // B (q×w) ← B·L⁻ᵀ, recursing on the columns of B.
      if (w <= TRSM_LEAF) {
        ws.k.trsmRightLowerT(w, q, l, n, b, n);
        return;
      }
      const w1 = half(w);
      trsmRight(w1, q, l, b);
      ws.gemm(0, 1, q, w - w1, w1, -1, b, n, l + 8 * w1 * n, n, 1, b + 8 * w1, n);
      trsmRight(w - w1, q, l + 8 * (w1 * n + w1), b + 8 * w1);
    };
    const syrk = (m: number, c: number, x: number, kk: number): void => {
      // Lower triangle of C (m×m) −= X·Xᵀ, X m×kk.
      if (m <= SYRK_LEAF) {
        ws.gemm(0, 1, m, m, kk, -1, x, n, x, n, 1, c, n);
        return;
      }
      const m1 = half(m);
      syrk(m1, c, x, kk);
      ws.gemm(0, 1, m - m1, m1, kk, -1, x + 8 * m1 * n, n, x, n, 1, c + 8 * m1 * n, n);
      syrk(m - m1, c + 8 * (m1 * n + m1), x + 8 * m1 * n, kk);
    };
    const chol = (s: number, m: number): void => {
      const d = a + 8 * (s * n + s);
      if (m <= CHOL_LEAF) {
        const r = ws.k.choleskyLeaf(m, d, n, bad);
        if (r >= 0) fail(s + r);
        return;
      }
      const m1 = half(m);
      const m2 = m - m1;
      chol(s, m1);
      const a21 = d + 8 * m1 * n;
      trsmRight(m1, m2, d, a21);
      syrk(m2, a21 + 8 * m1, a21, m1);
      chol(s + m1, m2);
    };
    if (n > 0) chol(0, n);
    const l = new Float64Array(n * n);
    h = ws.h;
    for (let i = 0; i < n; i++) l.set(h.subarray(a / 8 + i * n, a / 8 + i * n + i + 1), i * n);
    return { rows: n, cols: n, data: l };
  } finally {
    ws.dispose();
  }
}
