/** Reordering of general eigendecompositions, for callers that need a canonical order. */
import type { EigResult } from '../backend.js';
import type { Matrix } from '../matrix.js';

export type EigSortKey = 'modulus' | 'real';

/**
 * Returns a copy of `r` with eigenvalues in descending order of |λ| ('modulus', the natural order
 * for discrete-time stability) or of Re λ ('real', for continuous time). Ties are broken by
 * descending imaginary part, so each conjugate pair stays adjacent with +im first; vectors move
 * with their eigenvalues.
 */
export function sortEig(r: EigResult, by: EigSortKey = 'modulus'): EigResult {
  const n = r.re.length;
  const key = (k: number): number => (by === 'modulus' ? Math.hypot(r.re[k], r.im[k]) : r.re[k]);
  const idx = Array.from({ length: n }, (_, k) => k);
  // Sort pairs as units (by their +im member) so that rounding differences between the two
  // members of a pair can never split them.
  const lead = idx.filter((k) => r.im[k] >= 0);
  lead.sort((a, b) => key(b) - key(a) || r.im[b] - r.im[a] || r.re[b] - r.re[a] || a - b);
  const order: number[] = [];
  for (const k of lead) {
    order.push(k);
    if (r.im[k] > 0) order.push(k + 1);
  }
  const pick = (a: Float64Array): Float64Array => Float64Array.from(order, (k) => a[k]);
  const cols = (M: Matrix): Matrix => {
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) out[i * n + j] = M.data[i * n + order[j]];
    return { rows: n, cols: n, data: out };
  };
  const res: EigResult = { re: pick(r.re), im: pick(r.im) };
  if (r.vectors) res.vectors = { re: cols(r.vectors.re), im: cols(r.vectors.im) };
  if (r.leftVectors) res.leftVectors = { re: cols(r.leftVectors.re), im: cols(r.leftVectors.im) };
  return res;
}
