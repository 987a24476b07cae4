/**
 * The safetensors layout (https://huggingface.co/docs/safetensors), float64 only:
 *   8 bytes   little-endian u64 N, the header length
 *   N bytes   UTF-8 JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {...}}
 *   rest      raw little-endian tensor bytes; offsets are relative to the start of this block
 * Chosen because numpy/PyTorch users can read and write it with `safetensors` in one line, and
 * because it is trivially memory-safe to parse: every tensor is a bounds-checked byte range.
 */
import { RnnscopeError } from '../errors.js';

export interface TensorEntry {
  dtype: string;
  shape: number[];
  /** Byte range within the data block. */
  begin: number;
  end: number;
}

export interface SafetensorsFile {
  tensors: Map<string, TensorEntry>;
  /** Copies tensor `name` out as float64 (call only after checking `dtype === 'F64'`). */
  readF64(name: string): Float64Array;
}

export interface TensorInput {
  name: string;
  shape: number[];
  data: Float64Array;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Header lengths beyond this are refused as corrupt rather than allocated. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/** Encodes float64 tensors; the header is space-padded so the data block starts 8-byte aligned. */
export function encodeSafetensors(tensors: readonly TensorInput[]): Uint8Array {
  const header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> =
    {};
  let offset = 0;
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length < count) {
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `tensor ${t.name}: ${t.data.length} values cannot fill shape [${t.shape}]`,
      );
    }
    header[t.name] = { dtype: 'F64', shape: t.shape, data_offsets: [offset, offset + 8 * count] };
    offset += 8 * count;
  }
  let headerText = JSON.stringify(header);
  const headerBytesRaw = new TextEncoder().encode(headerText).length;
  headerText += ' '.repeat((8 - ((8 + headerBytesRaw) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const dataStart = 8 + headerBytes.length;
  for (const t of tensors) {
    const { data_offsets } = header[t.name];
    const count = (data_offsets[1] - data_offsets[0]) / 8;
    if (LITTLE_ENDIAN_HOST) {
      out.set(
        new Uint8Array(t.data.buffer, t.data.byteOffset, count * 8),
        dataStart + data_offsets[0],
      );
    } else {
      for (let k = 0; k < count; k++)
        view.setFloat64(dataStart + data_offsets[0] + 8 * k, t.data[k], true);
    }
  }
  return out;
}

/**
 * Parses and bounds-checks a safetensors file. `label` names the file in errors. Dtypes are
 * not restricted here (a wrong dtype is reported against the field that uses the tensor).
 */
export function decodeSafetensors(bytes: Uint8Array, label: string): SafetensorsFile {
  const bad = (why: string): never => {
    throw new RnnscopeError(
      'INVALID_FILE',
      `sidecar ${label} is not a valid safetensors file: ${why}`,
    );
  };
  if (bytes.length < 8) bad(`it has ${bytes.length} bytes, fewer than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(bytes.length - 8, MAX_HEADER_BYTES))) {
    bad(`header length ${headerLength} exceeds the ${bytes.length - 8} bytes that follow`);
  }
  const n = Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    bad(`header is not UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    bad('header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, TensorEntry>();
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e === null || typeof e !== 'object') bad(`entry "${name}" is not an object`);
    if (typeof e.dtype !== 'string') bad(`entry "${name}" has no dtype`);
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      bad(`entry "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    }
    const offs = e.data_offsets;
    if (
      !Array.isArray(offs) ||
      offs.length !== 2 ||
      !offs.every((d) => Number.isSafeInteger(d) && d >= 0)
    ) {
      bad(`entry "${name}" has invalid data_offsets ${JSON.stringify(offs)}`);
    }
    const [begin, end] = offs as [number, number];
    if (begin > end || end > dataLength) {
      bad(
        `tensor "${name}" spans bytes [${begin}, ${end}) but the data block has only ${dataLength} bytes (truncated file?)`,
      );
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (e.dtype === 'F64' && end - begin !== 8 * count) {
      bad(
        `tensor "${name}" of shape [${shape}] needs ${8 * count} bytes of F64 but its data_offsets span ${end - begin}`,
      );
    }
    tensors.set(name, { dtype: e.dtype as string, shape: shape as number[], begin, end });
  }
  return {
    tensors,
    readF64(name) {
      const t = tensors.get(name);
      if (!t || t.dtype !== 'F64')
        throw new RnnscopeError('INVALID_FILE', `sidecar ${label} has no F64 tensor "${name}"`);
      const at = bytes.byteOffset + dataStart + t.begin;
      const count = (t.end - t.begin) / 8;
      if (LITTLE_ENDIAN_HOST) {
        // slice() copies into a fresh, 8-byte-aligned buffer; the file offset need not be aligned.
        return new Float64Array(bytes.buffer.slice(at, at + 8 * count));
      }
      const out = new Float64Array(count);
      for (let k = 0; k < count; k++) out[k] = view.getFloat64(dataStart + t.begin + 8 * k, true);
      return out;
    },
  };
}
