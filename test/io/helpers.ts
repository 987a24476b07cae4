import type { Matrix } from '../../src/linalg/matrix.js';
import type { ModelParams } from '../../src/models/types.js';

/** Deterministic splitmix64 (tests must not depend on Math.random). */
export function splitmix(seed: number) {
  let s = BigInt(seed) & 0xffffffffffffffffn;
  return (): bigint => {
    s = (s + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return z ^ (z >> 31n);
  };
}

const SPECIAL = [
  -0,
  0,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  1e-300,
  -1e-300,
  0.1 + 0.2,
  1 / 3,
  1.7976931348623157e308,
  -1e21,
  1e21,
  123456789.12345679,
];

/**
 * Doubles from random bit patterns (so every exponent, subnormals included, appears) mixed with
 * ordinary N(0,1)-ish values and a list of awkward constants; never NaN or ±Infinity.
 */
export function trickyValues(count: number, seed: number): Float64Array {
  const next = splitmix(seed);
  const out = new Float64Array(count);
  const view = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < count; i++) {
    const r = next();
    const mode = Number(r & 3n);
    if (mode === 0) out[i] = SPECIAL[Number((r >> 2n) % BigInt(SPECIAL.length))];
    else if (mode === 1) out[i] = (Number(r >> 11n) / 2 ** 53 - 0.5) * 4;
    else {
      view.setBigUint64(0, r);
      const v = view.getFloat64(0);
      out[i] = Number.isFinite(v) ? v : -0;
    }
  }
  return out;
}

export function tricky(rows: number, cols: number, seed: number): Matrix {
  return { rows, cols, data: trickyValues(rows * cols, seed) };
}

/** Bitwise equality, so -0 ≠ 0 and every NaN payload would count. */
export function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Shapes and bits of every weight, plus the scalar fields, must match. */
export function expectSameParams(a: ModelParams, b: ModelParams): string[] {
  const diffs: string[] = [];
  const keysA = Object.keys(a).sort();
  const keysB = Object.keys(b).sort();
  if (keysA.join() !== keysB.join()) diffs.push(`keys ${keysA} vs ${keysB}`);
  for (const k of keysA) {
    const va = (a as unknown as Record<string, unknown>)[k];
    const vb = (b as unknown as Record<string, unknown>)[k];
    if (va instanceof Float64Array) {
      if (!(vb instanceof Float64Array) || !sameBits(va, vb)) diffs.push(k);
    } else if (va && typeof va === 'object' && 'data' in va) {
      const ma = va as Matrix;
      const mb = vb as Matrix;
      if (
        ma.rows !== mb.rows ||
        ma.cols !== mb.cols ||
        !sameBits(ma.data.subarray(0, ma.rows * ma.cols), mb.data.subarray(0, mb.rows * mb.cols))
      )
        diffs.push(k);
    } else if (
      JSON.stringify(va) !== JSON.stringify(vb) ||
      (!Object.is(va, vb) && typeof va !== 'object')
    ) {
      diffs.push(k);
    }
  }
  return diffs;
}
