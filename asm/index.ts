// Entry point of the float64 kernel module (built twice by scripts/build-wasm.mjs: SIMD and
// relaxed-SIMD FMA). Memory is imported and shared; this module owns no heap and no data, so
// the host's allocator (src/linalg/wasm/arena.ts) manages every byte above `heapBase()`.

export { gemm, gemmWorkBytes, scaleBlock } from './gemm';
export { gemv, scaleVector, symv, spmv, syr, spr } from './blas2';
export { tanhForward, logisticForward, reluForward } from './activations';
export { symvUpper, secularSums, loewner, rankOneVectors, gatherColumns } from './eigsym';
export { luPanel, trsmLowerUnit, trsmUpper, choleskyLeaf, trsmRightLowerT, qrPanel } from './factor';
export { shiftRows } from './pca';
export { syrk, syrkWorkBytes } from './syrk';
export { bidiagPass } from './bidiag';
export * from './eig';
export {
  forceDrive, rateStep64, rateStep32, rateRows64, rateRows32, rateFinish64, rateFinish32,
  rlsFused64, rlsFused32, rlsGroups64, rlsGroups32, rlsReduce64, rlsReduce32, rlsReadout,
  rlsGroupCount, rlsGroupStart,
} from './force';

/** First byte the host may use (end of the module's static data, if any). */
export function heapBase(): usize {
  return __heap_base;
}

/** 1 in the relaxed-SIMD (FMA) build, 0 in the plain SIMD build. */
export function hasFma(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
