/**
 * Checkpoints as two plain parts: JSON for the structure and scalars, and a list of named
 * float64 tensors for the arrays (written by the CLI as a safetensors file). Every typed array
 * in the object is replaced by `{"$tensor": name, "dtype": "float64" | "float32"}`; float32
 * arrays are widened to float64 (exact) and narrowed back on load (exact), so a round trip
 * restores every bit.
 */
import { RnnscopeError } from '../errors.js';

export interface CheckpointTensor {
  name: string;
  shape: number[];
  data: Float64Array;
}

export interface PackedCheckpoint {
  json: unknown;
  tensors: CheckpointTensor[];
}

/** Splits `value` into JSON and tensors (names are the JSON paths, e.g. `state.P`). */
export function packCheckpoint(value: unknown): PackedCheckpoint {
  const tensors: CheckpointTensor[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (v instanceof Float64Array || v instanceof Float32Array) {
      const name = path || 'root';
      tensors.push({
        name,
        shape: [v.length],
        data: v instanceof Float64Array ? v : Float64Array.from(v),
      });
      return { $tensor: name, dtype: v instanceof Float64Array ? 'float64' : 'float32' };
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, path ? `${path}.${k}` : k);
      return out;
    }
    if (typeof v === 'number' && !Number.isFinite(v))
      return { $number: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' };
    return v;
  };
  return { json: walk(value, ''), tensors };
}

/** Inverse of packCheckpoint; `tensor(name)` returns the stored float64 data. */
export function unpackCheckpoint(json: unknown, tensor: (name: string) => Float64Array): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$tensor === 'string') {
        const data = tensor(o.$tensor);
        if (o.dtype === 'float32') return Float32Array.from(data);
        if (o.dtype === 'float64') return data;
        throw new RnnscopeError(
          'INVALID_FILE',
          `checkpoint tensor ${o.$tensor} has unknown dtype ${String(o.dtype)}`,
        );
      }
      if (typeof o.$number === 'string') return Number(o.$number);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(json);
}
