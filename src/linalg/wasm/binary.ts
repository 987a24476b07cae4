/**
 * The embedded kernel binaries and the one byte-level edit the loader may need.
 *
 * Both builds declare `(import "env" "memory" (memory 1 65536 shared))` so that a worker pool
 * can later share one memory. Shared memory is unavailable in browser pages that are not
 * cross-origin isolated; the kernels use no atomic instructions, so there the loader clears the
 * `shared` bit of that import and runs the same code on an ordinary memory.
 */
import { RnnscopeError } from '../../errors.js';
import { KERNELS_FMA_BASE64, KERNELS_SIMD_BASE64 } from './kernels.generated.js';

export type KernelVariant = 'fma' | 'simd';

/** Decodes base64 with `atob`, present in every browser, worker and Node ≥ 16. */
function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const cache = new Map<string, Uint8Array>();

/** The kernel binary of a variant, with a shared (as built) or unshared memory import. */
export function kernelBinary(variant: KernelVariant, shared: boolean): Uint8Array {
  const key = `${variant}:${shared}`;
  let bytes = cache.get(key);
  if (!bytes) {
    bytes = fromBase64(variant === 'fma' ? KERNELS_FMA_BASE64 : KERNELS_SIMD_BASE64);
    if (!shared) unshareMemoryImport(bytes);
    cache.set(key, bytes);
  }
  return bytes;
}

function readLeb(b: Uint8Array, pos: { i: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = b[pos.i++];
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7;
  }
}

function skipLimits(b: Uint8Array, pos: { i: number }): void {
  const flags = b[pos.i++];
  readLeb(b, pos);
  if (flags & 1) readLeb(b, pos);
}

/** Rewrites, in place, the limits flag of the memory import from 0x03 (max + shared) to 0x01 (max). */
function unshareMemoryImport(b: Uint8Array): void {
  const pos = { i: 8 }; // after magic and version
  while (pos.i < b.length) {
    const id = b[pos.i++];
    const size = readLeb(b, pos);
    const end = pos.i + size;
    if (id === 2) {
      const count = readLeb(b, pos);
      for (let n = 0; n < count; n++) {
        // (`pos.i += readLeb(...)` would read pos.i before readLeb advances it)
        const moduleLen = readLeb(b, pos);
        pos.i += moduleLen;
        const fieldLen = readLeb(b, pos);
        pos.i += fieldLen;
        const kind = b[pos.i++];
        if (kind === 0) readLeb(b, pos);
        else if (kind === 1) {
          pos.i++; // reftype
          skipLimits(b, pos);
        } else if (kind === 2) {
          if (b[pos.i] === 0x03) {
            b[pos.i] = 0x01;
            return;
          }
          skipLimits(b, pos);
        } else if (kind === 3)
          pos.i += 2; // valtype, mutability
        else break;
      }
    }
    pos.i = end;
  }
  throw new RnnscopeError(
    'INVALID_ARGUMENT',
    'wasm kernels: no shared memory import found to unshare (corrupt build?)',
  );
}
