/**
 * WebAssembly float64 kernels (AssemblyScript sources in asm/, built by scripts/build-wasm.mjs).
 *
 * @example
 *   import { setBackend } from '../index.js';
 *   import { createWasmBackend, wasmMatrix } from './wasm/index.js';
 *   try {
 *     setBackend(createWasmBackend()); // FMA build where the engine has relaxed SIMD, else SIMD
 *   } catch (e) {
 *     // RnnscopeError WASM_UNAVAILABLE: no wasm SIMD here; the TS backend stays in place
 *   }
 *   const W = wasmMatrix(1000, 1000); // storage inside wasm memory: used without copies
 */
export { createWasmBackend, type WasmBackend, type WasmBackendOptions } from './backend.js';
export type { WasmOps } from './ops.js';
export {
  loadWasmKernels,
  loadWasmKernelsSync,
  initWasmKernels,
  wasmKernels,
  wasmSupport,
  MAX_WASM_BYTES,
  type KernelExports,
  type WasmKernels,
  type WasmLoadOptions,
} from './load.js';
export type { KernelVariant } from './binary.js';
export { WasmArena } from './arena.js';
export {
  wasmMatrix,
  wasmVector,
  toWasmMatrix,
  freeWasm,
  isWasmMatrix,
  type WasmMatrix,
  type WasmVector,
} from './matrix.js';
export {
  createWorkerPool,
  GEMM_MIN_FLOPS,
  GEMV_MIN_FLOPS,
  type WorkerPool,
  type WorkerPoolOptions,
} from './pool.js';
export { defaultThreads } from './pool-spawn.js';
