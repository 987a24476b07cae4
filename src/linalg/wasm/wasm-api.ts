/**
 * The slice of the WebAssembly JS API this package uses, typed locally: the project compiles
 * against lib ES2022 + @types/node, neither of which declares `WebAssembly` (only lib.dom does),
 * and declaring it globally here could clash with a consumer's DOM typings.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Grows by `delta` 64 KiB pages; returns the old size in pages; throws RangeError on failure. */
  grow(delta: number): number;
}

/** A compiled module (opaque; pass it to workers to instantiate on the same memory). */
export type WasmModule = object;

export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: unknown };
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<WasmModule>;
}

/** The engine's WebAssembly object, or undefined where there is none. */
export function wasmApi(): WasmApi | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return typeof api === 'object' && api !== null ? api : undefined;
}
