/**
 * Householder QR on the wasm kernels, blocked with the compact WY representation (the
 * dgeqrf/dlarft/dlarfb + dorgqr scheme; Schreiber & Van Loan 1989, Golub & Van Loan §5.2.3):
 * each panel of NB columns is factored by a Level-2 kernel, then its NB reflectors are applied to
 * the trailing columns at once as I − V·Tᵀ·Vᵀ with three GEMMs. Q is accumulated backwards the
 * same way. Results follow the TS reference (../ts/qr.ts): thin Q, diag(R) ≥ 0.
 */
import type { QrResult } from '../backend.js';
import type { Matrix } from '../matrix.js';
import { requireFinite } from '../ts/checks.js';
import { Workspace, type GemmPicker } from './decomp-workspace.js';
import type { WasmKernels } from './load.js';
import { formT } from './tridiag.js';

const NB = 32;

/**
 * Vᵀ of panel k0 (kb reflectors over rows k0..m−1) into the kb×(m−k0) block at vt: zeros above
 * each reflector's leading 1, then the entries stored below the diagonal of f.
 */
function packV(
  h: Float64Array,
  f: number,
  n: number,
  m: number,
  k0: number,
  kb: number,
  vt: number,
): void {
  const mr = m - k0;
  const F = f / 8;
  for (let p = 0; p < kb; p++) {
    const row = vt / 8 + p * mr;
    h.fill(0, row, row + p);
    h[row + p] = 1;
    const c = k0 + p;
    for (let i = p + 1; i < mr; i++) h[row + i] = h[F + (k0 + i) * n + c];
  }
}

export function wasmQr(kernels: WasmKernels, A: Matrix, pools?: GemmPicker): QrResult {
  requireFinite(A, 'qr');
  const { rows: m, cols: n } = A;
  const p = Math.min(m, n);
  const ws = new Workspace(kernels, pools);
  try {
    const f = ws.alloc(m * n);
    const tau = ws.alloc(Math.max(p, 1));
    const work = ws.alloc(NB);
    const nb = Math.max(1, Math.min(NB, p));
    const vt = ws.alloc(nb * m);
    const s = ws.alloc(nb * nb);
    const t = ws.alloc(nb * nb);
    const w1 = ws.alloc(nb * Math.max(n, p));
    const w2 = ws.alloc(nb * Math.max(n, p));
    ws.h.set(A.data.subarray(0, m * n), f / 8);
    ws.reserveGemm(Math.max(m, nb), Math.max(n, p, nb), Math.max(m, nb));
    const k = ws.k;

    // Block T of panel k0 (Tᵀ applies Qᵀ, T applies Q), after packV.
    const blockT = (k0: number, kb: number): void => {
      const mr = m - k0;
      ws.gemm(0, 1, kb, kb, mr, 1, vt, mr, vt, mr, 0, s, kb);
      formT(ws.h, s / 8, t / 8, kb, ws.f64(tau, p), k0);
    };

    for (let k0 = 0; k0 < p; k0 += nb) {
      const kb = Math.min(nb, p - k0);
      const mr = m - k0;
      k.qrPanel(f + 8 * (k0 * n + k0), n, mr, kb, tau + 8 * k0, work);
      const n2 = n - k0 - kb;
      if (n2 <= 0) continue;
      packV(ws.h, f, n, m, k0, kb, vt);
      blockT(k0, kb);
      // A₂ ← (I − V·Tᵀ·Vᵀ)·A₂ = A₂ − V·(Tᵀ·(Vᵀ·A₂)).
      const a2 = f + 8 * (k0 * n + k0 + kb);
      ws.gemm(0, 0, kb, n2, mr, 1, vt, mr, a2, n, 0, w1, n2);
      ws.gemm(1, 0, kb, n2, kb, 1, t, kb, w1, n2, 0, w2, n2);
      ws.gemm(1, 0, mr, n2, kb, -1, vt, mr, w2, n2, 1, a2, n);
    }

    // Q = H₀·…·H_{p−1}·I (m×p), blocks applied last-first: columns left of k0 are still unit
    // vectors with zeros in rows ≥ k0, so each block only touches Q[k0:, k0:].
    const q = ws.zeros(m * p);
    let h = ws.h;
    for (let i = 0; i < p; i++) h[q / 8 + i * p + i] = 1;
    for (let k0 = Math.floor((p - 1) / nb) * nb; k0 >= 0; k0 -= nb) {
      const kb = Math.min(nb, p - k0);
      const mr = m - k0;
      const pc = p - k0;
      packV(ws.h, f, n, m, k0, kb, vt);
      blockT(k0, kb);
      const qs = q + 8 * (k0 * p + k0);
      ws.gemm(0, 0, kb, pc, mr, 1, vt, mr, qs, p, 0, w1, pc);
      ws.gemm(0, 0, kb, pc, kb, 1, t, kb, w1, pc, 0, w2, pc);
      ws.gemm(1, 0, mr, pc, kb, -1, vt, mr, w2, pc, 1, qs, p);
    }

    h = ws.h;
    const Q = h.slice(q / 8, q / 8 + m * p);
    const R = new Float64Array(p * n);
    for (let i = 0; i < p; i++) R.set(h.subarray(f / 8 + i * n + i, f / 8 + i * n + n), i * n + i);
    for (let c = 0; c < p; c++) {
      if (R[c * n + c] < 0) {
        for (let j = c; j < n; j++) R[c * n + j] = -R[c * n + j];
        for (let i = 0; i < m; i++) Q[i * p + c] = -Q[i * p + c];
      }
    }
    return { Q: { rows: m, cols: p, data: Q }, R: { rows: p, cols: n, data: R } };
  } finally {
    ws.dispose();
  }
}
