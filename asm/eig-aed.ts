// Aggressive early deflation (Braman, Byers & Mathias, SIAM J. Matrix Anal. Appl. 23, 2002;
// LAPACK dlaqr3). The trailing nw×nw window of the active block is brought to real Schur form
// T = Uᵀ·H_w·U; coupled to the rest only through the spike s·U[0, :] (s the subdiagonal entry
// left of the window), every eigenvalue whose spike component is negligible has converged, even
// if no subdiagonal of H is small yet. Those are deflated at once, the rest are moved up by
// Schur reordering and give the shifts for the next sweeps, and the window is returned to
// Hessenberg form. With double-shift sweeps alone, most eigenvalues would need sweeps of their
// own before the classical test sees them converge.

import { at, mm } from './eig-util';
import { swapBlocks, SWAP_SCRATCH } from './eig-swap';

/** Undeflated Ritz values of the last window (shifts for the next sweeps), in sr/si order. */
let shiftCount: i32 = 0;

export function aedShiftCount(): i32 {
  return shiftCount;
}

/** Doubles of scratch `aed` needs for a window of nw in an n×n matrix. */
export function aedScratchDoubles(n: i32, nw: i32): i32 {
  return 2 * nw * nw + 3 * nw + 1 + n * nw + SWAP_SCRATCH;
}

// @ts-ignore: decorator
@inline function get(t: usize, m: i32, i: i32, j: i32): f64 {
  return load<f64>(at(t, i * m + j));
}

// @ts-ignore: decorator
@inline function put(t: usize, m: i32, i: i32, j: i32, x: f64): void {
  store<f64>(at(t, i * m + j), x);
}

/** Size of the diagonal block of t (m×m) that ends at row `last`. */
// @ts-ignore: decorator
@inline function blockEndingAt(t: usize, m: i32, last: i32): i32 {
  return last > 0 && get(t, m, last, last - 1) != 0 ? 2 : 1;
}

/**
 * AED on rows/columns kwtop..en of h (kwtop = en − nw + 1 > l). `schur(nw, T, Ut, wr, wi)`
 * must leave T in real Schur form with Ut ← Uᵀ·Ut; it is passed in so that this file does not
 * import the QR driver that calls it. Deflated eigenvalues (plus `exshift`) go to wr/wi at their
 * final positions; the undeflated ones to sr/si (see aedShiftCount). With zt ≠ 0 the whole of h
 * and zt are updated, else only the active block from row l. Returns the number deflated
 * (−1 when the window's QR iteration failed: nothing changed).
 */
export function aed(
  n: i32, h: usize, zt: usize, l: i32, en: i32, nw: i32, exshift: f64,
  wr: usize, wi: usize, sr: usize, si: usize, scratch: usize, coef: usize, work: usize, workBytes: i32,
  schur: (n: i32, h: usize, zt: usize, wr: usize, wi: usize, coef: usize) => i32,
): i32 {
  shiftCount = 0;
  const kwtop = en - nw + 1;
  const T = scratch;
  const Ut = at(T, nw * nw);
  const wrw = at(Ut, nw * nw), wiw = at(wrw, nw), v = at(wiw, nw);
  const tmp = at(v, nw + 1);
  const swap = at(tmp, n * nw);
  const spike = get(h, n, kwtop, kwtop - 1);
  memory.fill(T, 0, <usize>(nw * nw) << 3);
  memory.fill(Ut, 0, <usize>(nw * nw) << 3);
  for (let i = 0; i < nw; i++) {
    store<f64>(at(Ut, i * nw + i), 1);
    for (let j = max(i - 1, 0); j < nw; j++) put(T, nw, i, j, get(h, n, kwtop + i, kwtop + j));
  }
  if (schur(nw, T, Ut, wrw, wiw, coef) >= 0) return -1;
  // Exact zeros below the blocks, so block boundaries can be read off the subdiagonal.
  for (let i = 1; i < nw; i++) {
    for (let j = 0; j < i - 1; j++) put(T, nw, i, j, 0);
    if (!(load<f64>(at(wiw, i - 1)) > 0)) put(T, nw, i, i - 1, 0);
  }

  // From the bottom: a block whose spike is negligible stays there (deflated); any other block
  // is moved up to `ilst`, the end of the undeflatable ones, and the next block is examined.
  const ulp = f64.EPSILON;
  const safe = f64.MIN_VALUE * (nw / ulp);
  let ns = nw;
  let ilst = 0;
  while (ilst < ns) {
    const size = blockEndingAt(T, nw, ns - 1);
    const top = ns - size;
    let foo = abs(get(T, nw, ns - 1, ns - 1));
    if (size == 2) foo += Math.sqrt(abs(get(T, nw, ns - 1, ns - 2))) * Math.sqrt(abs(get(T, nw, ns - 2, ns - 1)));
    if (foo == 0) foo = abs(spike);
    let sp = abs(spike * get(Ut, nw, ns - 1, 0));
    if (size == 2) sp = max(sp, abs(spike * get(Ut, nw, ns - 2, 0)));
    if (sp <= max(safe, ulp * foo)) {
      ns = top;
      continue;
    }
    // Move the block at `top` up to `ilst` by swaps with the block above it.
    let pos = top;
    let sz = size;
    let moved = true;
    while (pos > ilst) {
      const above = blockEndingAt(T, nw, pos - 1);
      if (!swapBlocks(T, Ut, nw, pos - above, above, sz, swap)) {
        moved = false;
        break;
      }
      pos -= above;
      sz = pos + 1 < nw && get(T, nw, pos + 1, pos) != 0 && sz == 2 ? 2 : 1; // a pair may split
    }
    // A refused swap (nearly equal eigenvalues): stop looking; the rest count as undeflatable.
    if (!moved) break;
    ilst += sz;
  }
  const nd = nw - ns;

  // Shifts: the undeflated Ritz values.
  for (let i = 0; i < ns; ) {
    if (i + 1 < ns && get(T, nw, i + 1, i) != 0) {
      pairAt(T, nw, i, sr, si, i);
      i += 2;
    } else {
      store<f64>(at(sr, i), get(T, nw, i, i));
      store<f64>(at(si, i), 0);
      i++;
    }
  }
  shiftCount = ns;
  if (nd == 0) return 0; // nothing converged: leave h as it was

  // Deflated eigenvalues, then the spike of the undeflated part reflected onto its first entry
  // (the deflated entries' spike components, all negligible, are dropped) and that part
  // returned to Hessenberg form.
  for (let i = ns; i < nw; ) {
    if (i + 1 < nw && get(T, nw, i + 1, i) != 0) {
      put(T, nw, i, i, get(T, nw, i, i) + exshift);
      put(T, nw, i + 1, i + 1, get(T, nw, i + 1, i + 1) + exshift);
      pairAt(T, nw, i, wr, wi, kwtop + i);
      i += 2;
    } else {
      put(T, nw, i, i, get(T, nw, i, i) + exshift);
      store<f64>(at(wr, kwtop + i), get(T, nw, i, i));
      store<f64>(at(wi, kwtop + i), 0);
      i++;
    }
  }
  let newSpike: f64 = 0;
  if (ns > 0 && spike != 0) {
    for (let i = 0; i < ns; i++) store<f64>(at(v, i), spike * get(Ut, nw, i, 0));
    newSpike = householder(v, ns);
    const tau = load<f64>(at(v, ns)); // householder() leaves τ after the vector
    reflectRows(T, nw, 0, ns, 0, nw, v, tau);
    reflectCols(T, nw, 0, ns, 0, ns, v, tau);
    reflectRows(Ut, nw, 0, ns, 0, nw, v, tau);
    for (let j = 0; j + 2 < ns; j++) {
      const len = ns - j - 1;
      for (let i = 0; i < len; i++) store<f64>(at(v, i), get(T, nw, j + 1 + i, j));
      const beta = householder(v, len);
      const tj = load<f64>(at(v, len));
      reflectRows(T, nw, j + 1, len, j + 1, nw, v, tj);
      reflectCols(T, nw, 0, ns, j + 1, len, v, tj);
      reflectRows(Ut, nw, j + 1, len, 0, nw, v, tj);
      put(T, nw, j + 1, j, beta);
      for (let i = j + 2; i < ns; i++) put(T, nw, i, j, 0);
    }
  }

  // Back into h, and U applied outside the window: above it (H·U), right of it (Uᵀ·H), and Zᵀ.
  for (let i = 0; i < nw; i++) for (let j = 0; j < nw; j++) put(h, n, kwtop + i, kwtop + j, get(T, nw, i, j));
  put(h, n, kwtop, kwtop - 1, newSpike);
  const rowBeg = zt != 0 ? 0 : l;
  const rows = kwtop - rowBeg;
  if (rows > 0) {
    const above = at(h, rowBeg * n + kwtop);
    mm(0, 1, rows, nw, nw, 1.0, above, n, Ut, nw, 0.0, tmp, nw, work, workBytes);
    for (let i = 0; i < rows; i++) memory.copy(at(above, i * n), at(tmp, i * nw), <usize>nw << 3);
  }
  if (zt != 0) {
    const cols = n - 1 - en;
    if (cols > 0) {
      const right = at(h, kwtop * n + en + 1);
      mm(0, 0, nw, cols, nw, 1.0, Ut, nw, right, n, 0.0, tmp, cols, work, workBytes);
      for (let i = 0; i < nw; i++) memory.copy(at(right, i * n), at(tmp, i * cols), <usize>cols << 3);
    }
    const zw = at(zt, kwtop * n);
    mm(0, 0, nw, n, nw, 1.0, Ut, nw, zw, n, 0.0, tmp, n, work, workBytes);
    memory.copy(zw, tmp, <usize>(nw * n) << 3);
  }
  return nd;
}

/** The complex pair of the 2×2 block of t at (i, i) into (re, im)[k], [k+1], +im first. */
function pairAt(t: usize, m: i32, i: i32, re: usize, im: usize, k: i32): void {
  const a = get(t, m, i, i), b = get(t, m, i, i + 1), c = get(t, m, i + 1, i), d = get(t, m, i + 1, i + 1);
  const half = (a - d) / 2;
  const nu = Math.sqrt(max(-(half * half + b * c), 0));
  const mu = (a + d) / 2;
  store<f64>(at(re, k), mu);
  store<f64>(at(re, k + 1), mu);
  store<f64>(at(im, k), nu);
  store<f64>(at(im, k + 1), -nu);
}

/**
 * Householder reflector for x = v[0..len): overwrites v with the vector (v[0] = 1), stores τ at
 * v[len] and returns β (H·x = β·e₁). τ = 0 when x is already a multiple of e₁.
 */
function householder(v: usize, len: i32): f64 {
  const alpha = load<f64>(v);
  let scale: f64 = 0;
  for (let i = 1; i < len; i++) scale = max(scale, abs(load<f64>(at(v, i))));
  if (scale == 0) {
    store<f64>(v, 1);
    store<f64>(at(v, len), 0);
    return alpha;
  }
  let ss: f64 = 0;
  for (let i = 1; i < len; i++) ss += (load<f64>(at(v, i)) / scale) ** 2;
  const sigma = scale * Math.sqrt(ss);
  const big = max(abs(alpha), sigma);
  const r = min(abs(alpha), sigma) / big;
  const beta = (alpha >= 0 ? -1.0 : 1.0) * big * Math.sqrt(1 + r * r);
  const inv = 1 / (alpha - beta);
  for (let i = 1; i < len; i++) store<f64>(at(v, i), load<f64>(at(v, i)) * inv);
  store<f64>(v, 1);
  store<f64>(at(v, len), (beta - alpha) / beta);
  return beta;
}

/** Rows r0..r0+len−1, columns c0..c1−1 of t (m columns) ← (I − τvvᵀ)·block. */
function reflectRows(t: usize, m: i32, r0: i32, len: i32, c0: i32, c1: i32, v: usize, tau: f64): void {
  if (tau == 0) return;
  for (let c = c0; c < c1; c++) {
    let d: f64 = 0;
    for (let i = 0; i < len; i++) d += load<f64>(at(v, i)) * get(t, m, r0 + i, c);
    d *= tau;
    for (let i = 0; i < len; i++) put(t, m, r0 + i, c, get(t, m, r0 + i, c) - d * load<f64>(at(v, i)));
  }
}

/** Rows r0..r1−1, columns c0..c0+len−1 of t ← block·(I − τvvᵀ). */
function reflectCols(t: usize, m: i32, r0: i32, r1: i32, c0: i32, len: i32, v: usize, tau: f64): void {
  if (tau == 0) return;
  for (let r = r0; r < r1; r++) {
    let d: f64 = 0;
    for (let i = 0; i < len; i++) d += get(t, m, r, c0 + i) * load<f64>(at(v, i));
    d *= tau;
    for (let i = 0; i < len; i++) put(t, m, r, c0 + i, get(t, m, r, c0 + i) - d * load<f64>(at(v, i)));
  }
}
