/**
 * Symmetric eigendecomposition on the wasm kernels: blocked Householder tridiagonalisation
 * (./tridiag.ts), divide and conquer on the tridiagonal matrix (./tridiag-dc.ts), blocked
 * back-transformation of the eigenvectors; implicit QL (O(n²)) when only eigenvalues are wanted.
 * Conventions match the TS reference (../ts/eigsym.ts): ascending values, orthonormal columns
 * with the dominant component positive (../ts/phase.ts), power-of-two scaling, the same input
 * checks and error codes.
 */
import type { EigSymResult } from '../backend.js';
import type { Matrix } from '../matrix.js';
import { powerOfTwoScale, requireFinite, requireSquare, requireSymmetric } from '../ts/checks.js';
import { fixSignReal } from '../ts/phase.js';
import { Workspace, type GemmPicker } from './decomp-workspace.js';
import type { WasmKernels } from './load.js';
import { applyQ, tridiagonalize } from './tridiag.js';
import { tridiagonalEigen } from './tridiag-dc.js';
import { tridiagonalQl as qlImplicit } from '../ts/eigsym.js';

/**
 * Eigenvalues (ascending) and, when `wantVectors`, orthonormal eigenvectors as the columns of a
 * new n×n matrix (plain JS memory; nothing stays allocated in wasm memory). Reads the lower
 * triangle of A; A must be symmetric to within 1e-8·max|A|. `pools`: where large GEMMs may run.
 */
export function wasmEigSym(
  kernels: WasmKernels,
  A: Matrix,
  wantVectors = true,
  pools?: GemmPicker,
): EigSymResult {
  const n = requireSquare(A, 'eigSym');
  requireFinite(A, 'eigSym');
  requireSymmetric(A, 'eigSym');
  if (n === 0) {
    const values = new Float64Array(0);
    return wantVectors
      ? { values, vectors: { rows: 0, cols: 0, data: new Float64Array(0) } }
      : { values };
  }
  // Work on A/2^k with max|entry| ≈ 1 (exact), as the reference does.
  const scale = powerOfTwoScale(A);
  const ws = new Workspace(kernels, pools);
  try {
    const a = ws.alloc(n * n);
    const h = ws.h;
    const src = A.data;
    const base = a / 8;
    // Lower triangle of A (row-major) = upper triangle of the working copy (see tridiag.ts).
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      for (let j = 0; j <= i; j++) h[base + j * n + i] = src[ri + j] / scale;
    }
    const { d, e, tau } = tridiagonalize(ws, a, n);
    if (!wantVectors) {
      qlImplicit(d, e, n, null);
      const values = d.sort();
      for (let i = 0; i < n; i++) values[i] *= scale;
      return { values };
    }
    const q = ws.alloc(n * n);
    tridiagonalEigen(ws, d, e, q);
    applyQ(ws, a, tau, n, q);
    const v = ws.h.slice(q / 8, q / 8 + n * n);
    for (let j = 0; j < n; j++) fixSignReal(v, j, n, n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = d[i] * scale;
    return { values, vectors: { rows: n, cols: n, data: v } };
  } finally {
    ws.dispose();
  }
}
