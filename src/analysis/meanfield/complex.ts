/** Small dense complex linear algebra (split real/imaginary storage), for M×M and k×k systems. */
import { RnnscopeError } from '../../errors.js';

/**
 * Solves (Ar + i·Ai)(xr + i·xi) = br + i·bi for an n×n row-major complex matrix by Gaussian
 * elimination with partial pivoting (on |a|). Inputs are not modified. Throws SINGULAR for an
 * exactly singular matrix.
 */
export function complexSolve(
  n: number,
  Ar: ArrayLike<number>,
  Ai: ArrayLike<number>,
  br: ArrayLike<number>,
  bi: ArrayLike<number>,
): { re: Float64Array; im: Float64Array } {
  const ar = Float64Array.from({ length: n * n }, (_, k) => Ar[k]);
  const ai = Float64Array.from({ length: n * n }, (_, k) => Ai[k]);
  const xr = Float64Array.from({ length: n }, (_, k) => br[k]);
  const xi = Float64Array.from({ length: n }, (_, k) => bi[k]);
  for (let c = 0; c < n; c++) {
    let p = c;
    let best = -1;
    for (let r = c; r < n; r++) {
      const m = Math.hypot(ar[r * n + c], ai[r * n + c]);
      if (m > best) {
        best = m;
        p = r;
      }
    }
    if (best === 0)
      throw new RnnscopeError('SINGULAR', `complex system is singular at column ${c}`);
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        let t = ar[c * n + j];
        ar[c * n + j] = ar[p * n + j];
        ar[p * n + j] = t;
        t = ai[c * n + j];
        ai[c * n + j] = ai[p * n + j];
        ai[p * n + j] = t;
      }
      let t = xr[c];
      xr[c] = xr[p];
      xr[p] = t;
      t = xi[c];
      xi[c] = xi[p];
      xi[p] = t;
    }
    const pr = ar[c * n + c];
    const pi = ai[c * n + c];
    const pd = pr * pr + pi * pi;
    for (let r = c + 1; r < n; r++) {
      const er = ar[r * n + c];
      const ei = ai[r * n + c];
      if (er === 0 && ei === 0) continue;
      // f = e / pivot
      const fr = (er * pr + ei * pi) / pd;
      const fi = (ei * pr - er * pi) / pd;
      for (let j = c; j < n; j++) {
        const ur = ar[c * n + j];
        const ui = ai[c * n + j];
        ar[r * n + j] -= fr * ur - fi * ui;
        ai[r * n + j] -= fr * ui + fi * ur;
      }
      xr[r] -= fr * xr[c] - fi * xi[c];
      xi[r] -= fr * xi[c] + fi * xr[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let sr = xr[r];
    let si = xi[r];
    for (let j = r + 1; j < n; j++) {
      const ur = ar[r * n + j];
      const ui = ai[r * n + j];
      sr -= ur * xr[j] - ui * xi[j];
      si -= ur * xi[j] + ui * xr[j];
    }
    const pr = ar[r * n + r];
    const pi = ai[r * n + r];
    const pd = pr * pr + pi * pi;
    xr[r] = (sr * pr + si * pi) / pd;
    xi[r] = (si * pr - sr * pi) / pd;
  }
  return { re: xr, im: xi };
}
