/**
 * Thin SVD on the wasm kernels, the LAPACK dgesdd route:
 *   - m ≥ TALL·n: Householder QR first (./qr.ts), the SVD of the n×n R, then U = Q·U_R (GEMM);
 *   - otherwise (m ≥ n): blocked bidiagonalisation B = Qᵀ·A·P (./bidiag.ts), divide and conquer
 *     on B (./bidiag-dc.ts), and the blocked back-transformations U = Q·U_B, V = P·V_B;
 *   - m < n through Aᵀ.
 * Results follow the TS reference (../ts/svd.ts): k = min(m, n) descending singular values, the
 * dominant entry of each V column positive (U follows), power-of-two scaling of the input, the
 * same checks and error codes.
 */
import type { SvdResult } from '../backend.js';
import type { Matrix } from '../matrix.js';
import { powerOfTwoScale, requireFinite } from '../ts/checks.js';
import { fixSignReal } from '../ts/phase.js';
import { applyP, applyQ, bidiagonalize, type PoolPicker } from './bidiag.js';
import { bidiagonalSvdDc } from './bidiag-dc.js';
import { Workspace } from './decomp-workspace.js';
import type { WasmKernels } from './load.js';
import { wasmQr } from './qr.js';

/**
 * Aspect ratio from which QR goes first: bidiagonalising the m×n matrix directly moves about
 * 2(m − n)n² more flops into memory-bound GEMVs, QR first adds about 4(m − n)n² GEMM-speed flops;
 * measured even near 1.5.
 */
const TALL = 1.6;

/** Internal knobs (tests reach the code paths that only large inputs take by default). */
export interface WasmSvdTuning {
  /** See `bidiagonalize`: trailing matrices above this many bytes take the one-pass kernel. */
  fuseBytes?: number;
}

/** A = U·diag(S)·Vᵀ, thin (see LinalgBackend.svd). `pools`: where large GEMMs/GEMVs may run. */
export function wasmSvd(
  kernels: WasmKernels,
  A: Matrix,
  pools?: PoolPicker,
  tuning: WasmSvdTuning = {},
): SvdResult {
  requireFinite(A, 'svd');
  const r = svdAny(kernels, A, pools, tuning);
  const { U, V } = r;
  const k = r.S.length;
  for (let j = 0; j < k; j++) {
    if (fixSignReal(V.data, j, k, V.rows)) {
      for (let i = 0; i < U.rows; i++) U.data[i * k + j] = 0 - U.data[i * k + j];
    }
  }
  return r;
}

function svdAny(
  kernels: WasmKernels,
  A: Matrix,
  pools: PoolPicker | undefined,
  tuning: WasmSvdTuning,
): SvdResult {
  const { rows: m, cols: n } = A;
  if (m < n) {
    const t = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = A.data[i * n + j];
    const r = svdAny(kernels, { rows: n, cols: m, data: t }, pools, tuning);
    return { U: r.V, S: r.S, V: r.U };
  }
  if (n === 0) {
    return {
      U: { rows: m, cols: 0, data: new Float64Array(0) },
      S: new Float64Array(0),
      V: { rows: 0, cols: 0, data: new Float64Array(0) },
    };
  }
  if (m >= TALL * n) {
    const { Q, R } = wasmQr(kernels, A, pools);
    const r = svdCore(kernels, R, pools, tuning);
    const ws = new Workspace(kernels, pools);
    try {
      const q = ws.alloc(m * n);
      const ur = ws.alloc(n * n);
      const u = ws.alloc(m * n);
      ws.h.set(Q.data, q / 8);
      ws.h.set(r.U.data, ur / 8);
      ws.gemm(0, 0, m, n, n, 1, q, n, ur, n, 0, u, n);
      return { U: { rows: m, cols: n, data: ws.h.slice(u / 8, u / 8 + m * n) }, S: r.S, V: r.V };
    } finally {
      ws.dispose();
    }
  }
  return svdCore(kernels, A, pools, tuning);
}

/** SVD of an m×n matrix with m ≥ n ≥ 1 by bidiagonalisation and divide and conquer. */
function svdCore(
  kernels: WasmKernels,
  A: Matrix,
  pools: PoolPicker | undefined,
  tuning: WasmSvdTuning,
): SvdResult {
  const { rows: m, cols: n } = A;
  const ws = new Workspace(kernels, pools);
  try {
    // Work on A/2^k with max|entry| ≈ 1 (exact), so nothing over- or underflows.
    const scale = powerOfTwoScale(A);
    // The reduction works on Aᵀ (row-major n×m), whose rows are A's columns.
    const at = ws.alloc(m * n);
    let h = ws.h;
    const T = at / 8;
    const src = A.data;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) h[T + j * m + i] = src[i * n + j] / scale;
    const { d, e, tauq, taup } = bidiagonalize(ws, at, m, n, pools, tuning.fuseBytes);
    const u = ws.alloc(m * n);
    const v = ws.alloc(n * n);
    bidiagonalSvdDc(ws, d, e, u, v);
    ws.h.fill(0, u / 8 + n * n, u / 8 + m * n);
    applyQ(ws, at, m, n, tauq, u, n);
    applyP(ws, at, m, n, taup, v, n);
    // Ascending from the divide and conquer: read the columns out in reverse.
    h = ws.h;
    const S = new Float64Array(n);
    const U = new Float64Array(m * n);
    const V = new Float64Array(n * n);
    for (let c = 0; c < n; c++) {
      const src = n - 1 - c;
      S[c] = d[src] * scale;
      for (let i = 0; i < m; i++) U[i * n + c] = h[u / 8 + i * n + src];
      for (let i = 0; i < n; i++) V[i * n + c] = h[v / 8 + i * n + src];
    }
    return { U: { rows: m, cols: n, data: U }, S, V: { rows: n, cols: n, data: V } };
  } finally {
    ws.dispose();
  }
}
