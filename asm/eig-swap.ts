// Reordering of a real Schur form: swapping adjacent 1×1/2×2 diagonal blocks by an orthogonal
// similarity (the direct swap of Bai & Demmel, as in LAPACK dlaexc), used by aggressive early
// deflation to move undeflatable eigenvalues out of the way.

import { at } from './eig-util';

// Scratch layout (doubles) inside the caller's `scratch` block: Kronecker system, solution,
// basis of the invariant subspace, two reflectors and their τ, a copy of the swapped block.
const K_OFF: i32 = 0, X_OFF: i32 = 16, B_OFF: i32 = 20, V_OFF: i32 = 28, TAU_OFF: i32 = 36, C_OFF: i32 = 40;
/** Doubles of scratch `swapBlocks` needs. */
export const SWAP_SCRATCH: i32 = 56;

/**
 * Swaps the diagonal blocks A₁₁ (p×p at j) and A₂₂ (q×q at j+p) of the quasi-triangular t
 * (m×m, row-major) by an orthogonal similarity Qᵀ·T·Q, multiplying zt's rows j..j+p+q−1 by Qᵀ
 * (zt holds Zᵀ). Two 1×1 blocks are exchanged by a rotation; otherwise A₁₁X − XA₂₂ = A₁₂ is
 * solved, so the columns of [−X; I] span the invariant subspace of A₂₂, and Q is the orthogonal
 * factor of that basis. Returns false, changing nothing, when the swap would not be accurate
 * (nearly equal eigenvalues in the two blocks make X huge), as LAPACK's dlaexc does. A 2×2
 * block whose eigenvalues come out real is split, so 2×2 blocks always hold complex pairs.
 */
export function swapBlocks(t: usize, zt: usize, m: i32, j: i32, p: i32, q: i32, scratch: usize): bool {
  if (p == 1 && q == 1) {
    swapSingles(t, zt, m, j);
    return true;
  }
  const s = p * q;
  const K = at(scratch, K_OFF), x = at(scratch, X_OFF), basis = at(scratch, B_OFF);
  memory.fill(K, 0, <usize>(s * s) << 3);
  let scale: f64 = 0;
  for (let a = 0; a < p; a++) {
    for (let c = 0; c < q; c++) {
      const r = a * q + c;
      for (let e = 0; e < p; e++) addAt(K, r * s + e * q + c, get(t, m, j + a, j + e));
      for (let d = 0; d < q; d++) addAt(K, r * s + a * q + d, -get(t, m, j + p + d, j + p + c));
      const rhs = get(t, m, j + a, j + p + c);
      store<f64>(at(x, r), rhs);
      scale = max(scale, abs(rhs));
    }
  }
  solveSmall(K, x, s, scale);
  const len = p + q;
  let xmax: f64 = 0;
  for (let i = 0; i < s; i++) xmax = max(xmax, abs(load<f64>(at(x, i))));
  if (!(xmax * f64.EPSILON < 1)) return false; // also catches NaN
  memory.fill(basis, 0, <usize>(len * q) << 3);
  for (let a = 0; a < p; a++) for (let c = 0; c < q; c++) store<f64>(at(basis, a * q + c), -load<f64>(at(x, a * q + c)));
  for (let c = 0; c < q; c++) store<f64>(at(basis, (p + c) * q + c), 1);
  // Householder QR of the basis: reflector c zeroes basis[c+1.., c].
  for (let c = 0; c < q; c++) {
    const v = at(scratch, V_OFF + 4 * c);
    memory.fill(v, 0, 32);
    store<f64>(at(scratch, TAU_OFF + c), 0);
    const alpha = load<f64>(at(basis, c * q + c));
    let ss: f64 = 0;
    for (let i = c + 1; i < len; i++) ss += load<f64>(at(basis, i * q + c)) ** 2;
    if (ss == 0) continue;
    const beta = -(alpha >= 0 ? 1.0 : -1.0) * Math.sqrt(alpha * alpha + ss);
    store<f64>(at(v, c), 1);
    for (let i = c + 1; i < len; i++) store<f64>(at(v, i), load<f64>(at(basis, i * q + c)) / (alpha - beta));
    const tau = (beta - alpha) / beta;
    store<f64>(at(scratch, TAU_OFF + c), tau);
    for (let cc = c; cc < q; cc++) reflect(at(basis, cc), <usize>q << 3, v, c, len, tau);
  }
  // Try the swap on a copy of the block first: the part that must vanish has to be negligible.
  const blk = at(scratch, C_OFF);
  let bmax: f64 = 0;
  for (let i = 0; i < len; i++) {
    for (let c = 0; c < len; c++) {
      const val = get(t, m, j + i, j + c);
      store<f64>(at(blk, i * len + c), val);
      bmax = max(bmax, abs(val));
    }
  }
  for (let c = 0; c < q; c++) {
    const v = at(scratch, V_OFF + 4 * c), tau = load<f64>(at(scratch, TAU_OFF + c));
    for (let col = 0; col < len; col++) reflect(at(blk, col), <usize>len << 3, v, c, len, tau);
    for (let row = 0; row < len; row++) reflect(at(blk, row * len), 8, v, c, len, tau);
  }
  let low: f64 = 0;
  for (let i = q; i < len; i++) for (let c = 0; c < q; c++) low = max(low, abs(load<f64>(at(blk, i * len + c))));
  if (!(low <= 10 * f64.EPSILON * bmax)) return false;
  for (let c = 0; c < q; c++) {
    const v = at(scratch, V_OFF + 4 * c), tau = load<f64>(at(scratch, TAU_OFF + c));
    for (let col = 0; col < m; col++) reflect(at(t, j * m + col), <usize>m << 3, v, c, len, tau);
    for (let row = 0; row < m; row++) reflect(at(t, row * m + j), 8, v, c, len, tau);
    for (let col = 0; col < m; col++) reflect(at(zt, j * m + col), <usize>m << 3, v, c, len, tau);
  }
  // The block below the new diagonal blocks is zero up to rounding: make it exactly zero.
  for (let i = q; i < len; i++) for (let c = 0; c < q; c++) put(t, m, j + i, j + c, 0);
  standardize(t, zt, m, j, q);
  standardize(t, zt, m, j + q, p);
  return true;
}

/**
 * Exchanges the 1×1 blocks t11 = T[j][j] and t22 = T[j+1][j+1] with the rotation that maps
 * (t12, t22 − t11) onto the first axis (LAPACK dlaexc): never fails, even for t11 = t22.
 */
function swapSingles(t: usize, zt: usize, m: i32, j: i32): void {
  const t11 = get(t, m, j, j), t12 = get(t, m, j, j + 1), t22 = get(t, m, j + 1, j + 1);
  const f = t12, g = t22 - t11;
  if (g == 0) return; // equal eigenvalues: the order is already either way
  const r = Math.sqrt(f * f + g * g);
  const cs = f / r, sn = g / r;
  for (let col = j; col < m; col++) {
    const u = get(t, m, j, col), w = get(t, m, j + 1, col);
    put(t, m, j, col, cs * u + sn * w);
    put(t, m, j + 1, col, cs * w - sn * u);
  }
  for (let row = 0; row <= j + 1; row++) {
    const u = get(t, m, row, j), w = get(t, m, row, j + 1);
    put(t, m, row, j, cs * u + sn * w);
    put(t, m, row, j + 1, cs * w - sn * u);
  }
  for (let col = 0; col < m; col++) {
    const u = get(zt, m, j, col), w = get(zt, m, j + 1, col);
    put(zt, m, j, col, cs * u + sn * w);
    put(zt, m, j + 1, col, cs * w - sn * u);
  }
  put(t, m, j, j, t22);
  put(t, m, j + 1, j + 1, t11);
  put(t, m, j + 1, j, 0);
}

// @ts-ignore: decorator
@inline function get(t: usize, m: i32, i: i32, j: i32): f64 {
  return load<f64>(at(t, i * m + j));
}

// @ts-ignore: decorator
@inline function put(t: usize, m: i32, i: i32, j: i32, x: f64): void {
  store<f64>(at(t, i * m + j), x);
}

// @ts-ignore: decorator
@inline function addAt(p: usize, i: i32, x: f64): void {
  store<f64>(at(p, i), load<f64>(at(p, i)) + x);
}

/** y ← (I − τ·v·vᵀ)·y for y = (y[c], y[c+1], …, y[len−1]) at base + i·stride. */
function reflect(base: usize, stride: usize, v: usize, c: i32, len: i32, tau: f64): void {
  let d: f64 = 0;
  for (let i = c; i < len; i++) d += load<f64>(at(v, i)) * load<f64>(base + <usize>i * stride);
  d *= tau;
  for (let i = c; i < len; i++) {
    const p = base + <usize>i * stride;
    store<f64>(p, load<f64>(p) - d * load<f64>(at(v, i)));
  }
}

/**
 * Gaussian elimination with partial pivoting on an s×s system (s ≤ 4); a pivot below
 * eps·max(|K|, |rhs|) is raised to that (nearly equal eigenvalues), so the solution stays finite.
 */
function solveSmall(K: usize, x: usize, s: i32, rhsScale: f64): void {
  let scale: f64 = rhsScale;
  for (let i = 0; i < s * s; i++) scale = max(scale, abs(load<f64>(at(K, i))));
  const small = max(f64.EPSILON * scale, f64.MIN_NORMAL_VALUE);
  for (let c = 0; c < s; c++) {
    let piv = c;
    for (let r = c + 1; r < s; r++) if (abs(load<f64>(at(K, r * s + c))) > abs(load<f64>(at(K, piv * s + c)))) piv = r;
    if (piv != c) {
      for (let e = 0; e < s; e++) {
        const tmp = load<f64>(at(K, c * s + e));
        store<f64>(at(K, c * s + e), load<f64>(at(K, piv * s + e)));
        store<f64>(at(K, piv * s + e), tmp);
      }
      const tmp = load<f64>(at(x, c));
      store<f64>(at(x, c), load<f64>(at(x, piv)));
      store<f64>(at(x, piv), tmp);
    }
    if (abs(load<f64>(at(K, c * s + c))) < small) store<f64>(at(K, c * s + c), small); // nearly equal eigenvalues
    const pivot = load<f64>(at(K, c * s + c));
    for (let r = c + 1; r < s; r++) {
      const f = load<f64>(at(K, r * s + c)) / pivot;
      for (let e = c; e < s; e++) addAt(K, r * s + e, -f * load<f64>(at(K, c * s + e)));
      addAt(x, r, -f * load<f64>(at(x, c)));
    }
  }
  for (let c = s - 1; c >= 0; c--) {
    let val = load<f64>(at(x, c));
    for (let e = c + 1; e < s; e++) val -= load<f64>(at(K, c * s + e)) * load<f64>(at(x, e));
    store<f64>(at(x, c), val / load<f64>(at(K, c * s + c)));
  }
}

/**
 * A 2×2 block at j whose eigenvalues are real is split into two 1×1 blocks by a rotation whose
 * first column is an eigenvector.
 */
function standardize(t: usize, zt: usize, m: i32, j: i32, size: i32): void {
  if (size != 2) return;
  const a = get(t, m, j, j), b = get(t, m, j, j + 1), c = get(t, m, j + 1, j), d = get(t, m, j + 1, j + 1);
  const half = (a - d) / 2;
  const disc = half * half + b * c;
  if (disc < 0 && c != 0) return;
  const lam = d + half + (half >= 0 ? 1.0 : -1.0) * Math.sqrt(max(disc, 0));
  let cs = lam - d;
  let sn = c;
  if (cs == 0 && sn == 0) cs = 1;
  const r = Math.sqrt(cs * cs + sn * sn);
  cs /= r;
  sn /= r;
  for (let col = 0; col < m; col++) {
    const u = get(t, m, j, col), w = get(t, m, j + 1, col);
    put(t, m, j, col, cs * u + sn * w);
    put(t, m, j + 1, col, cs * w - sn * u);
    const zu = get(zt, m, j, col), zw = get(zt, m, j + 1, col);
    put(zt, m, j, col, cs * zu + sn * zw);
    put(zt, m, j + 1, col, cs * zw - sn * zu);
  }
  for (let row = 0; row < m; row++) {
    const u = get(t, m, row, j), w = get(t, m, row, j + 1);
    put(t, m, row, j, cs * u + sn * w);
    put(t, m, row, j + 1, cs * w - sn * u);
  }
  put(t, m, j + 1, j, 0);
}
