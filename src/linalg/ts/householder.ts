/**
 * Householder reflectors H = I − tau·v·vᵀ (v[0] = 1), shared by QR, tridiagonalisation and
 * Hessenberg reduction. Vectors are passed contiguously so that applying H from either side is
 * a sequence of contiguous row operations on row-major storage.
 */

/**
 * Overwrites x = (a[off], a[off+stride], …, count entries) with (beta, v_1, …, v_{count−1}) such
 * that H·x = beta·e₁, and returns tau (0 when x is already a multiple of e₁: H = I, beta = x₀).
 * beta takes the sign opposite to x₀ so that x₀ − beta never cancels.
 */
export function makeReflector(a: Float64Array, off: number, stride: number, count: number): number {
  let scale = 0;
  for (let i = 1; i < count; i++) scale = Math.max(scale, Math.abs(a[off + i * stride]));
  if (scale === 0) return 0;
  let ss = 0;
  for (let i = 1; i < count; i++) {
    const t = a[off + i * stride] / scale;
    ss += t * t;
  }
  const alpha = a[off];
  const sigma = scale * Math.sqrt(ss);
  const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, sigma);
  const inv = 1 / (alpha - beta);
  for (let i = 1; i < count; i++) a[off + i * stride] *= inv;
  a[off] = beta;
  return (beta - alpha) / beta;
}

/**
 * Rows r0..r0+len−1, columns j0..j1−1 of t (row length tn) ← H·(that block), with
 * v = v[vOff..vOff+len) and v[vOff] = 1. `w` needs length ≥ j1.
 */
export function reflectRows(
  t: Float64Array,
  tn: number,
  r0: number,
  len: number,
  j0: number,
  j1: number,
  tau: number,
  v: Float64Array,
  vOff: number,
  w: Float64Array,
): void {
  if (tau === 0 || j0 >= j1 || len === 0) return;
  // w = vᵀ·block, then block −= tau·v·wᵀ. Rows go two at a time so each w[j] is loaded and
  // stored once per pair of rows instead of once per row (the loop is memory-bound otherwise).
  for (let j = j0; j < j1; j++) w[j] = 0;
  let i = 0;
  for (; i + 1 < len; i += 2) {
    const v0 = v[vOff + i];
    const v1 = v[vOff + i + 1];
    const ra = (r0 + i) * tn;
    const rb = ra + tn;
    for (let j = j0; j < j1; j++) w[j] += v0 * t[ra + j] + v1 * t[rb + j];
  }
  if (i < len) {
    const v0 = v[vOff + i];
    const ra = (r0 + i) * tn;
    for (let j = j0; j < j1; j++) w[j] += v0 * t[ra + j];
  }
  for (i = 0; i + 1 < len; i += 2) {
    const g0 = tau * v[vOff + i];
    const g1 = tau * v[vOff + i + 1];
    const ra = (r0 + i) * tn;
    const rb = ra + tn;
    for (let j = j0; j < j1; j++) {
      const wj = w[j];
      t[ra + j] -= g0 * wj;
      t[rb + j] -= g1 * wj;
    }
  }
  if (i < len) {
    const g0 = tau * v[vOff + i];
    const ra = (r0 + i) * tn;
    for (let j = j0; j < j1; j++) t[ra + j] -= g0 * w[j];
  }
}

/** Rows i0..i1−1, columns c0..c0+len−1 of t ← (that block)·H, v as in `reflectRows`. */
export function reflectCols(
  t: Float64Array,
  tn: number,
  i0: number,
  i1: number,
  c0: number,
  len: number,
  tau: number,
  v: Float64Array,
  vOff: number,
): void {
  if (tau === 0 || len === 0) return;
  // Per row: s = row·v, row −= tau·s·vᵀ. Two rows per pass share the loads of v.
  let i = i0;
  for (; i + 1 < i1; i += 2) {
    const ra = i * tn + c0;
    const rb = ra + tn;
    let sa = 0;
    let sb = 0;
    for (let j = 0; j < len; j++) {
      const vj = v[vOff + j];
      sa += t[ra + j] * vj;
      sb += t[rb + j] * vj;
    }
    sa *= tau;
    sb *= tau;
    for (let j = 0; j < len; j++) {
      const vj = v[vOff + j];
      t[ra + j] -= sa * vj;
      t[rb + j] -= sb * vj;
    }
  }
  if (i < i1) {
    const ra = i * tn + c0;
    let sa = 0;
    for (let j = 0; j < len; j++) sa += t[ra + j] * v[vOff + j];
    sa *= tau;
    for (let j = 0; j < len; j++) t[ra + j] -= sa * v[vOff + j];
  }
}
