/** The linear-algebra backend the analysis commands run on, and its release when they are done. */
import { createWasmBackend, type LinalgBackend } from '../linalg/index.js';

/** The wasm backend, or `undefined` (the TS backend) where wasm SIMD is not available. */
export function wasmBackend(): LinalgBackend | undefined {
  try {
    return createWasmBackend();
  } catch {
    return undefined; // no wasm SIMD here: the TS backend does the work
  }
}

/** Frees the backend's scratch memory (wasm); a no-op for the TS backend or none. */
export function releaseScratch(backend: LinalgBackend | undefined): void {
  (backend as { releaseScratch?: () => void } | undefined)?.releaseScratch?.();
}
