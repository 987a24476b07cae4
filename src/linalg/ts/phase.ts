/**
 * Deterministic sign/phase conventions for eigenvectors and singular vectors, so that results are
 * reproducible and comparable between backends. The "dominant" component is the first one whose
 * modulus is within a relative 1e-10 of the largest modulus; the tolerance keeps the choice stable
 * when two components tie up to rounding (a different backend rounds differently).
 */

const TIE = 1 - 1e-10;

/** Index of the dominant component of a real vector stored with a stride. */
function dominantReal(a: Float64Array, off: number, stride: number, n: number): number {
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(a[off + i * stride]));
  for (let i = 0; i < n; i++) if (Math.abs(a[off + i * stride]) >= TIE * max) return i;
  return 0;
}

/** Flips the sign of a strided real vector so that its dominant component is positive; true if flipped. */
export function fixSignReal(a: Float64Array, off: number, stride: number, n: number): boolean {
  const k = dominantReal(a, off, stride, n);
  if (!(a[off + k * stride] < 0)) return false;
  for (let i = 0; i < n; i++) a[off + i * stride] = 0 - a[off + i * stride]; // 0 − x: no −0
  return true;
}

/**
 * Scales the complex vector (re, im) (same offset/stride in both) to unit 2-norm and rotates its
 * phase so the dominant component is real and positive. A zero vector is left as is.
 */
export function normalizeComplex(
  re: Float64Array,
  im: Float64Array,
  off: number,
  stride: number,
  n: number,
): void {
  let max = 0;
  let real = true;
  for (let i = 0; i < n; i++) {
    const o = off + i * stride;
    max = Math.max(max, Math.hypot(re[o], im[o]));
    if (im[o] !== 0) real = false;
  }
  if (max === 0) return;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const x = re[off + i * stride] / max;
    const y = im[off + i * stride] / max;
    ss += x * x + y * y;
  }
  const norm = Math.sqrt(ss);
  let k = 0;
  while (Math.hypot(re[off + k * stride], im[off + k * stride]) < TIE * max) k++;
  if (real) {
    // Keep real vectors exactly real (+0 imaginary parts, never −0).
    const f = (re[off + k * stride] < 0 ? -1 : 1) / norm;
    for (let i = 0; i < n; i++) {
      const o = off + i * stride;
      re[o] = (re[o] / max) * f;
      im[o] = 0;
    }
    return;
  }
  // Multiply by conj(z_k)/|z_k|/‖z‖ after dividing by max, so nothing overflows or underflows.
  const zr = re[off + k * stride] / max;
  const zi = im[off + k * stride] / max;
  const zabs = Math.hypot(zr, zi);
  const cr = zr / (zabs * norm);
  const ci = -zi / (zabs * norm);
  for (let i = 0; i < n; i++) {
    const o = off + i * stride;
    const x = re[o] / max;
    const y = im[o] / max;
    re[o] = x * cr - y * ci;
    im[o] = x * ci + y * cr;
  }
  im[off + k * stride] = 0;
}
