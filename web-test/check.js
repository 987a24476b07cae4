// The browser check shared by the page (index.html → page.js) and its module worker (worker.js):
// load the kernels from the built package, run one GEMM and one GEMV on a backend with a
// worker pool and on a single-threaded one, and compare both with plain JS loops.
// Served by test/browser/wasm-browser.test.ts; imports resolve against the served dist/.
import { loadWasmKernels } from '../dist/linalg/wasm/load.js';
import { createWasmBackend } from '../dist/linalg/wasm/backend.js';
import { freeWasm, wasmMatrix } from '../dist/linalg/wasm/matrix.js';
import { createWorkerPool } from '../dist/linalg/wasm/pool.js';

/** Deterministic values in (−0.5, 0.5): the page has no seeded RNG of its own. */
function fill(a, seed) {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
}

function sameBits(x, y) {
  const a = new BigUint64Array(x.buffer, x.byteOffset, x.length);
  const b = new BigUint64Array(y.buffer, y.byteOffset, y.length);
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** max |got − want| / (Σ|terms|): componentwise relative error of a dot-product result. */
function relErr(got, want, scale) {
  let worst = 0;
  for (let i = 0; i < want.length; i++)
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / scale[i]);
  return worst;
}

export async function gemmCheck({ n, threads }) {
  const kernels = await loadWasmKernels();
  const pool = createWorkerPool({ kernels, threads, adaptive: false });
  const activeThreads = await pool.ready();
  const one = createWasmBackend({ kernels, threads: 1 });
  const many = createWasmBackend({ kernels, pool });
  const A = wasmMatrix(n, n, kernels);
  const B = wasmMatrix(n, n, kernels);
  const C1 = wasmMatrix(n, n, kernels);
  const C2 = wasmMatrix(n, n, kernels);
  fill(A.data, 1);
  fill(B.data, 2);
  one.gemm(false, false, 1, A, B, 0, C1);
  many.gemm(false, false, 1, A, B, 0, C2);

  const a = A.data;
  const b = B.data;
  const want = new Float64Array(n * n);
  const scale = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let sa = 0;
      for (let p = 0; p < n; p++) {
        const t = a[i * n + p] * b[p * n + j];
        s += t;
        sa += Math.abs(t);
      }
      want[i * n + j] = s;
      scale[i * n + j] = sa;
    }
  }
  const gemmErr = relErr(C2.data, want, scale);
  const gemmIdentical = sameBits(C1.data, C2.data);

  // GEMV on a matrix large enough to split (2·m·n ≥ GEMV_MIN_FLOPS).
  const m = 4 * n;
  const M = wasmMatrix(m, n, kernels);
  fill(M.data, 3);
  const x = new Float64Array(n);
  fill(x, 4);
  const y1 = new Float64Array(m);
  const y2 = new Float64Array(m);
  one.gemv(false, 1, M, x, 0, y1);
  many.gemv(false, 1, M, x, 0, y2);
  const yw = new Float64Array(m);
  const ys = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const t = M.data[i * n + j] * x[j];
      yw[i] += t;
      ys[i] += Math.abs(t);
    }
  }
  const split = pool.stats.split;

  // Rates for the log only: N = 600, best of 5 after a first call that compiles the kernels.
  const T = wasmMatrix(600, 600, kernels);
  const U = wasmMatrix(600, 600, kernels);
  fill(T.data, 5);
  const rate = (backend) => {
    let best = Infinity;
    for (let r = 0; r < 6; r++) {
      const t0 = performance.now();
      backend.gemm(false, false, 1, T, T, 0, U);
      if (r > 0) best = Math.min(best, performance.now() - t0);
    }
    return (2 * 600 ** 3) / (best * 1e6);
  };
  const gflops1 = rate(one);
  const gflops = rate(many);
  freeWasm(T);
  freeWasm(U);

  const result = {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    sharedMemory: kernels.shared,
    variant: kernels.variant,
    activeThreads,
    fallbackReason: pool.fallbackReason ?? null,
    split,
    gemmErr,
    gemmIdentical,
    gemvErr: relErr(y2, yw, ys),
    gemvIdentical: sameBits(y1, y2),
    gflops1,
    gflops,
  };
  for (const X of [A, B, C1, C2, M]) freeWasm(X);
  await pool.close();
  return result;
}
