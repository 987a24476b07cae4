/** Level-1 vector kernels on Float64Array (allocation-free). */

export function dot(x: Float64Array, y: Float64Array, n = x.length): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += x[i] * y[i];
    s1 += x[i + 1] * y[i + 1];
    s2 += x[i + 2] * y[i + 2];
    s3 += x[i + 3] * y[i + 3];
  }
  for (; i < n; i++) s0 += x[i] * y[i];
  return s0 + s1 + (s2 + s3);
}

/** y ← a·x + y */
export function axpy(a: number, x: Float64Array, y: Float64Array, n = x.length): void {
  for (let i = 0; i < n; i++) y[i] += a * x[i];
}

/** x ← a·x */
export function scal(a: number, x: Float64Array, n = x.length): void {
  for (let i = 0; i < n; i++) x[i] *= a;
}

/** Euclidean norm without overflow/underflow for any finite input (scaled sum of squares). */
export function nrm2(x: Float64Array, n = x.length): number {
  let scale = 0;
  let ssq = 1;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== 0) {
      const a = Math.abs(v);
      if (scale < a) {
        const r = scale / a;
        ssq = 1 + ssq * r * r;
        scale = a;
      } else {
        const r = a / scale;
        ssq += r * r;
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

/** Max-abs (infinity) norm. */
export function normInf(x: Float64Array, n = x.length): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]);
    if (a > m || Number.isNaN(a)) m = a;
  }
  return m;
}

/** Frobenius norm of the first n entries (matrix data). */
export const normFro = nrm2;
