/**
 * Loading the float64 kernels: pick the build, create the memory, instantiate.
 *
 * Build choice: the relaxed-SIMD FMA build when the engine validates it, else the plain SIMD
 * build, else an error (code UNSUPPORTED_VERSION) telling the caller to stay on the TS backend.
 * Node 20 (V8 11.3) ships relaxed SIMD behind `--experimental-wasm-relaxed-simd`; V8 accepts that
 * flag at run time, before compilation, through `node:v8`, which is reached without a static
 * import so that browser bundles never see it. Newer engines validate the FMA build directly.
 *
 * Memory: one `WasmMemory` per `WasmKernels`, shared (SharedArrayBuffer) when the
 * environment allows, so a later worker pool can compute on the same arrays; otherwise an
 * ordinary memory (browser pages without cross-origin isolation). See ./arena.ts for growth.
 */
import { RnnscopeError } from '../../errors.js';
import { kernelBinary, type KernelVariant } from './binary.js';
import { WasmArena } from './arena.js';
import { wasmApi, type WasmApi, type WasmMemory, type WasmModule } from './wasm-api.js';

/** Raw exports of asm/index.ts. Pointers are byte offsets in the memory; ld* are in elements. */
export interface KernelExports {
  heapBase(): number;
  hasFma(): number;
  gemmWorkBytes(m: number, n: number, k: number): number;
  gemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    work: number,
  ): void;
  scaleBlock(m: number, n: number, beta: number, c: number, ldc: number): void;
  syrkWorkBytes(k: number, r1: number): number;
  /** Lower triangle of C, rows r0..r1−1 (r0 a multiple of 4) ← alpha·op(A)·op(A)ᵀ + beta·C. */
  syrk(
    trans: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    beta: number,
    c: number,
    ldc: number,
    r0: number,
    r1: number,
    work: number,
  ): void;
  gemv(
    trans: number,
    m: number,
    n: number,
    alpha: number,
    a: number,
    lda: number,
    x: number,
    beta: number,
    y: number,
  ): void;
  scaleVector(n: number, beta: number, y: number): void;
  symv(n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): void;
  spmv(n: number, alpha: number, ap: number, x: number, beta: number, y: number): void;
  syr(n: number, alpha: number, x: number, a: number, lda: number): void;
  spr(n: number, alpha: number, x: number, ap: number): void;
  tanhForward(n: number, x: number, y: number, d: number): void;
  logisticForward(n: number, x: number, y: number, d: number): void;
  reluForward(n: number, theta: number, x: number, y: number, d: number): void;
}

/** One instance of the kernels with its own memory and allocator. */
export interface WasmKernels {
  readonly variant: KernelVariant;
  /** True when `memory.buffer` is a SharedArrayBuffer (views survive growth; workers can share it). */
  readonly shared: boolean;
  readonly memory: WasmMemory;
  /** Compiled module, kept so that workers can instantiate it on the same memory later. */
  readonly module: WasmModule;
  readonly exports: KernelExports;
  readonly arena: WasmArena;
}

export interface WasmLoadOptions {
  /** 'auto' (default): FMA if it validates, else SIMD. Naming a build that does not validate throws. */
  variant?: 'auto' | KernelVariant;
  /** 'auto' (default): shared memory where available. `true` throws where it is not. */
  shared?: 'auto' | boolean;
  /** Initial memory in bytes (default 16 MiB; committed lazily by the OS). */
  initialBytes?: number;
  /** Upper bound for growth in bytes (default and maximum 4 GiB, the wasm32 limit). */
  maximumBytes?: number;
}

const PAGE = 65536;
export const MAX_WASM_BYTES = 65536 * PAGE;

interface V8Flags {
  setFlagsFromString(flags: string): void;
}
let flagTried = false;

/** Node ≥ 20.16 exposes builtins synchronously; older Node 20 needs the async path. */
function nodeV8Sync(): V8Flags | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:v8') as V8Flags | undefined;
}

function isNode(): boolean {
  return (
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions
      ?.node === 'string'
  );
}

function enableRelaxedSimd(v8: V8Flags | undefined): void {
  if (!v8 || flagTried) return;
  flagTried = true;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/** Which builds this engine can run; in Node this may switch on V8's relaxed-SIMD flag. */
export function wasmSupport(): { simd: boolean; fma: boolean } {
  const wa = wasmApi();
  if (!wa) return { simd: false, fma: false };
  const simd = wa.validate(kernelBinary('simd', true));
  let fma = wa.validate(kernelBinary('fma', true));
  if (!fma && simd && isNode()) {
    enableRelaxedSimd(nodeV8Sync());
    fma = wa.validate(kernelBinary('fma', true));
  }
  return { simd, fma };
}

function api(): WasmApi {
  const wa = wasmApi();
  if (!wa)
    throw new RnnscopeError(
      'WASM_UNAVAILABLE',
      'this JavaScript engine has no WebAssembly; keep the TypeScript backend (tsBackend)',
    );
  return wa;
}

async function wasmSupportAsync(): Promise<{ simd: boolean; fma: boolean }> {
  const s = wasmSupport();
  if (!s.fma && s.simd && isNode() && !flagTried) {
    const spec = 'node:v8'; // not a literal, so bundlers do not try to resolve it
    try {
      enableRelaxedSimd((await import(spec)) as V8Flags);
    } catch {
      // no node:v8 (some embedded runtime): keep the SIMD build
    }
    return { simd: s.simd, fma: api().validate(kernelBinary('fma', true)) };
  }
  return s;
}

function chooseVariant(
  support: { simd: boolean; fma: boolean },
  wanted: WasmLoadOptions['variant'],
): KernelVariant {
  const want = wanted ?? 'auto';
  if (want === 'fma' || (want === 'auto' && support.fma)) {
    if (support.fma) return 'fma';
    throw new RnnscopeError(
      'WASM_UNAVAILABLE',
      'the relaxed-SIMD (FMA) wasm kernels do not validate in this engine; use variant "simd"',
    );
  }
  if (support.simd) return 'simd';
  throw new RnnscopeError(
    'WASM_UNAVAILABLE',
    'this JavaScript engine has no WebAssembly SIMD (needs Node ≥ 16.4, Chrome ≥ 91, Firefox ≥ 89 or Safari ≥ 16.4); ' +
      'keep the plain TypeScript linear-algebra backend (tsBackend)',
  );
}

function pages(bytes: number): number {
  return Math.ceil(bytes / PAGE);
}

function createMemory(opts: WasmLoadOptions): { memory: WasmMemory; shared: boolean } {
  const maximumBytes = opts.maximumBytes ?? MAX_WASM_BYTES;
  if (!(maximumBytes > 0 && maximumBytes <= MAX_WASM_BYTES)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `maximumBytes must be in (0, 4 GiB], got ${maximumBytes}`,
    );
  }
  const maximum = pages(maximumBytes);
  const initial = Math.min(maximum, Math.max(1, pages(opts.initialBytes ?? 16 * 1024 * 1024)));
  const want = opts.shared ?? 'auto';
  // A page that is not cross-origin isolated cannot share memory with workers; do not try.
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
  if (want === true || (want === 'auto' && isolated && typeof SharedArrayBuffer === 'function')) {
    try {
      return { memory: new (api().Memory)({ initial, maximum, shared: true }), shared: true };
    } catch (e) {
      if (want === true)
        throw new RnnscopeError(
          'WASM_UNAVAILABLE',
          `shared WebAssembly memory is unavailable here: ${String(e)}`,
          { cause: e },
        );
    }
  }
  return { memory: new (api().Memory)({ initial, maximum }), shared: false };
}

function instantiate(module: WasmModule, memory: WasmMemory): KernelExports {
  const abort = (): never => {
    throw new RnnscopeError('INVALID_ARGUMENT', 'wasm kernel aborted');
  };
  const instance = new (api().Instance)(module, { env: { memory, abort } });
  return instance.exports as unknown as KernelExports;
}

function assemble(
  variant: KernelVariant,
  module: WasmModule,
  memory: WasmMemory,
  shared: boolean,
  opts: WasmLoadOptions,
): WasmKernels {
  const exports = instantiate(module, memory);
  const arena = new WasmArena(memory, exports.heapBase(), opts.maximumBytes ?? MAX_WASM_BYTES);
  return { variant, shared, memory, module, exports, arena };
}

/**
 * Loads a new kernel instance synchronously: fine in Node and in workers. On a browser main
 * thread prefer `loadWasmKernels`/`initWasmKernels`: older Chrome refused synchronous compiles
 * of modules over 4 KB there (this one is ~12 KB).
 * Throws RnnscopeError UNSUPPORTED_VERSION where wasm SIMD is missing: fall back to `tsBackend`.
 */
export function loadWasmKernelsSync(opts: WasmLoadOptions = {}): WasmKernels {
  const variant = chooseVariant(wasmSupport(), opts.variant);
  const { memory, shared } = createMemory(opts);
  const module = new (api().Module)(kernelBinary(variant, shared));
  return assemble(variant, module, memory, shared, opts);
}

/** Async variant: compiles off the main thread and reaches `node:v8` on any Node 20. */
export async function loadWasmKernels(opts: WasmLoadOptions = {}): Promise<WasmKernels> {
  const variant = chooseVariant(await wasmSupportAsync(), opts.variant);
  const { memory, shared } = createMemory(opts);
  const module = await api().compile(kernelBinary(variant, shared));
  return assemble(variant, module, memory, shared, opts);
}

let defaultKernels: WasmKernels | undefined;

/**
 * The process-wide kernel instance that `wasmMatrix` and `createWasmBackend` use by default,
 * loaded synchronously on first use. Call `initWasmKernels` first to choose options or load
 * asynchronously.
 */
export function wasmKernels(): WasmKernels {
  defaultKernels ??= loadWasmKernelsSync();
  return defaultKernels;
}

/** Loads (once) the default instance asynchronously; later calls return the same instance. */
export async function initWasmKernels(opts: WasmLoadOptions = {}): Promise<WasmKernels> {
  defaultKernels ??= await loadWasmKernels(opts);
  return defaultKernels;
}
