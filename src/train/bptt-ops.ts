/**
 * The few kernels BPTT needs, over arrays it owns: GEMM on contiguous row-major operands and
 * activations with their derivatives. Two implementations with one interface: wasm (arrays are
 * views into the kernel memory, so GEMMs run with no copies) and plain TypeScript (the fallback
 * where WebAssembly SIMD is missing; also what the tests compare against).
 */
import { RnnscopeError } from '../errors.js';
import { tsBackend } from '../linalg/index.js';
import { wasmKernels, type WasmKernels } from '../linalg/wasm/index.js';
import { activation as activationOf } from '../models/activations.js';
import type { ActivationSpec } from '../models/types.js';

export interface BpttOps {
  readonly backend: 'wasm' | 'ts';
  /** A zero-filled array of n doubles owned by these ops (in wasm memory for the wasm ops). */
  alloc(n: number): Float64Array;
  /**
   * C ← alpha·op(A)·op(B) + beta·C, all contiguous row-major: op(A) m×k, op(B) k×n, C m×n
   * (A is stored k×m when transposed, B n×k). C must not overlap A or B.
   */
  gemm(
    tA: boolean,
    tB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    A: Float64Array,
    B: Float64Array,
    beta: number,
    C: Float64Array,
  ): void;
  /** y ← φ(x), d ← φ′(x) over the first n entries; x, y, d may alias. */
  activate(x: Float64Array, y: Float64Array, d: Float64Array, n: number): void;
  /** Frees everything alloc handed out. */
  dispose(): void;
}

interface RawKernels {
  gemm(...a: number[]): void;
  gemmWorkBytes(m: number, n: number, k: number): number;
  tanhForward(n: number, x: number, y: number, d: number): void;
  logisticForward(n: number, x: number, y: number, d: number): void;
  reluForward(n: number, theta: number, x: number, y: number, d: number): void;
}

/** Largest GEMM a workspace will run, to size the wasm GEMM's packing buffer once. */
export interface GemmBound {
  m: number;
  n: number;
  k: number;
}

export function createBpttOps(
  spec: ActivationSpec,
  bounds: GemmBound[],
  backend: 'auto' | 'wasm' | 'ts' = 'auto',
): BpttOps {
  if (backend === 'ts') return tsOps(spec);
  let kernels: WasmKernels;
  try {
    kernels = wasmKernels();
  } catch (e) {
    if (backend === 'wasm') throw e;
    return tsOps(spec);
  }
  // Unshared memory detaches every view when it grows (any later allocation anywhere may grow
  // it), and the workspace keeps views across calls: use the plain path there.
  if (!kernels.shared && backend === 'auto') return tsOps(spec);
  return wasmOps(spec, bounds, kernels);
}

function tsOps(spec: ActivationSpec): BpttOps {
  const act = activationOf(spec);
  return {
    backend: 'ts',
    alloc: (n) => new Float64Array(n),
    gemm(tA, tB, m, n, k, alpha, A, B, beta, C) {
      const a = { rows: tA ? k : m, cols: tA ? m : k, data: A };
      const b = { rows: tB ? n : k, cols: tB ? k : n, data: B };
      tsBackend.gemm(tA, tB, alpha, a, b, beta, { rows: m, cols: n, data: C });
    },
    activate(x, y, d, n) {
      act.valueAndDerivative(x, y, d, n);
    },
    dispose() {},
  };
}

function wasmOps(spec: ActivationSpec, bounds: GemmBound[], kernels: WasmKernels): BpttOps {
  const k = kernels.exports as unknown as RawKernels;
  const arena = kernels.arena;
  const owned: number[] = [];
  let workBytes = 0;
  for (const b of bounds) workBytes = Math.max(workBytes, k.gemmWorkBytes(b.m, b.n, b.k));
  const work = arena.alloc(Math.max(workBytes, 64));
  owned.push(work);
  const act = activationOf(spec);
  const ptr = (a: Float64Array): number => {
    if (!arena.owns(a))
      throw new RnnscopeError('INVALID_ARGUMENT', 'BPTT wasm ops need arrays from ops.alloc');
    return a.byteOffset;
  };
  return {
    backend: 'wasm',
    alloc(n) {
      const p = arena.alloc(Math.max(n, 1) * 8);
      owned.push(p);
      const view = new Float64Array(kernels.memory.buffer, p, n);
      view.fill(0);
      return view;
    },
    gemm(tA, tB, m, n, kk, alpha, A, B, beta, C) {
      if (m === 0 || n === 0) return;
      k.gemm(
        tA ? 1 : 0,
        tB ? 1 : 0,
        m,
        n,
        kk,
        alpha,
        ptr(A),
        tA ? m : kk,
        ptr(B),
        tB ? kk : n,
        beta,
        ptr(C),
        n,
        work,
      );
    },
    activate(x, y, d, n) {
      switch (spec.name) {
        case 'tanh':
          return k.tanhForward(n, ptr(x), ptr(y), ptr(d));
        case 'logistic':
          return k.logisticForward(n, ptr(x), ptr(y), ptr(d));
        case 'relu':
          return k.reluForward(n, spec.threshold ?? 0, ptr(x), ptr(y), ptr(d));
        default:
          act.valueAndDerivative(x, y, d, n);
      }
    },
    dispose() {
      for (const p of owned.splice(0)) arena.free(p);
    },
  };
}
