// Francis double-shift QR iteration on an upper Hessenberg matrix. Small active blocks use the
// EISPACK hqr/hqr2 formulation of the TS reference (src/linalg/ts/schur.ts): same deflation
// test, shifts, exceptional shifts and iteration cap. Blocks of AED_MIN rows or more add
// aggressive early deflation (./eig-aed.ts), whose undeflated Ritz values become the shifts of
// the next sweeps, and with Z wanted those sweeps are batched so their reflectors reach Z in
// one pass (./eig-bulge.ts, which also holds the cache-friendly bulge chase itself).

import { at } from './eig-util';
import { chase, chaseLogBytes, flushLog, GROUP } from './eig-bulge';
import { aed, aedShiftCount, aedScratchDoubles } from './eig-aed';

/** Sweeps allowed per eigenvalue (or pair) before giving up, as in the TS reference. */
const MAX_ITER_PER_EIGENVALUE: i32 = 100;

// @ts-ignore: decorator
@inline function el(h: usize, n: i32, i: i32, j: i32): usize {
  return h + ((<usize>i * <usize>n + <usize>j) << 3);
}

// @ts-ignore: decorator
@inline function get(h: usize, n: i32, i: i32, j: i32): f64 {
  return load<f64>(el(h, n, i, j));
}

// @ts-ignore: decorator
@inline function put(h: usize, n: i32, i: i32, j: i32, x: f64): void {
  store<f64>(el(h, n, i, j), x);
}

/** Bytes of scratch `francis` needs (the grouped chase's reflector records). */
export function francisWorkBytes(): i32 {
  return GROUP * 96;
}

/**
 * Active blocks at least this large use aggressive early deflation. LAPACK starts at 75; here,
 * with double-shift sweeps, AED only paid off from a few hundred rows on (measured 100–1000).
 */
const AED_MIN: i32 = 250;
/** Largest trailing window examined by AED (see aedWindow). */
const AED_WINDOW: i32 = 128;

/**
 * AED window for an active block of nh rows; half of it is used as shifts (two per sweep)
 * before the next AED. Larger blocks take larger windows, as in LAPACK's iparmq; the sizes were
 * tuned on random N(0, 1/N) matrices of order 1000–3000.
 */
function aedWindow(nh: i32): i32 {
  return nh < 300 ? 32 : nh < 1500 ? 64 : AED_WINDOW;
}

/** An AED that deflates more than this percentage of its window is repeated before any sweep. */
const AED_NIBBLE: i32 = 14;

/** Bytes of AED scratch for an n×n problem (0: AED is not used below AED_MIN). */
export function aedWorkBytes(n: i32): i32 {
  if (n < AED_MIN) return 0;
  return (4 * AED_WINDOW + aedScratchDoubles(n, AED_WINDOW)) << 3;
}

/** Sweeps whose reflectors may be held back for one pass over zt (see `flushLog`). */
const LOG_SWEEPS: i32 = 32;

/** Bytes of the sweep log for an n×n problem with Z wanted (0 without AED). */
export function francisLogBytes(n: i32): i32 {
  return n < AED_MIN ? 0 : LOG_SWEEPS * chaseLogBytes(n);
}

/** `francis` without AED, for the window inside AED itself. */
function francisSmall(n: i32, h: usize, zt: usize, wr: usize, wi: usize, coef: usize): i32 {
  return francis(n, h, zt, wr, wi, coef, 0, 0, 0, 0, 0);
}

/**
 * Runs the iteration on the n×n Hessenberg `h` in place, filling wr/wi (n each). With zt ≠ 0
 * (n×n, normally Qᵀ of the reduction) the whole of h is updated, leaving the quasi-triangular T
 * with real pairs split into 1×1 blocks and A = Z·T·Zᵀ, Z = ztᵀ; with zt = 0 only the active
 * window is updated (eigenvalues only). `coef`: francisWorkBytes() of scratch. With aedWork ≠ 0
 * (aedWorkBytes(n) of scratch, plus GEMM work) active blocks of AED_MIN or more use aggressive
 * early deflation and its shifts; otherwise the plain EISPACK iteration runs. With zt ≠ 0 and
 * a log (francisLogBytes(n) bytes), the sweeps that use one AED's shifts are a batch: their
 * reflectors reach zt and the parts of h outside the batch's active block l0..en0 in one pass
 * at the end of the batch (before the next AED, a rotated 2×2 deflation, or an active block
 * outside l0..en0). Returns −1 on success, else the index of the eigenvalue that did not
 * converge within the sweep cap.
 */
export function francis(
  n: i32, h: usize, zt: usize, wr: usize, wi: usize, coef: usize,
  aedWork: usize, work: usize, workBytes: i32, log: usize, logBytes: i32,
): i32 {
  const eps = f64.EPSILON;
  let norm: f64 = 0;
  for (let i = 0; i < n; i++) for (let j = max(i - 1, 0); j < n; j++) norm += abs(get(h, n, i, j));
  let useAed = aedWork != 0 && n >= AED_MIN;
  const sr = aedWork, si = at(sr, AED_WINDOW);
  const shiftSum = at(si, AED_WINDOW), shiftProd = at(shiftSum, AED_WINDOW);
  const aedScratch = at(shiftProd, AED_WINDOW);
  let queued = 0; // shift pairs left from the last AED, valid for the active block (qL, qEn)
  let qL = -1, qEn = -1;
  let batch = false; // sweeps are logged, for the batch's active block l0..en0
  let l0 = 0, en0 = 0;
  let logEnd = log;

  let exshift: f64 = 0;
  let iter = 0;
  let en = n - 1;
  while (en >= 0) {
    // Deflation: the largest l ≤ en with a negligible subdiagonal h[l][l−1].
    let l = en;
    while (l > 0) {
      let s = abs(get(h, n, l - 1, l - 1)) + abs(get(h, n, l, l));
      if (s == 0) s = norm;
      if (abs(get(h, n, l, l - 1)) <= eps * s) break;
      l--;
    }
    if (l == en) {
      const d = get(h, n, en, en) + exshift;
      put(h, n, en, en, d);
      store<f64>(at(wr, en), d);
      store<f64>(at(wi, en), 0);
      if (en > 0) put(h, n, en, en - 1, 0);
      en--;
      iter = 0;
      continue;
    }
    const e1 = en - 1;
    if (batch && (l < l0 || l == e1)) {
      // The rotation of a real 2×2 block, like a block above the batch's, touches the deferred
      // parts: they must be brought up to date first.
      if (logEnd > log) flushLog(h, n, zt, l0, en0, log, logEnd);
      logEnd = log;
      batch = false;
    }
    if (l == e1) {
      deflatePair(h, n, en, exshift, wr, wi, zt);
      en -= 2;
      iter = 0;
      continue;
    }
    const exceptional = iter > 0 && iter % 10 == 0;
    // AED and its shifts only until the first exceptional shift: on matrices where the window's
    // Ritz values are useless as shifts (a cyclic permutation: all zero) the plain iteration
    // with its exceptional shifts is what converges.
    const aedShifts = iter < 10;
    if (queued > 0 && (qL != l || qEn != en || !aedShifts)) queued = 0;
    if (useAed && en - l + 1 >= AED_MIN && queued == 0 && aedShifts) {
      const nw = min(aedWindow(en - l + 1), en - l);
      if (batch) {
        if (logEnd > log) flushLog(h, n, zt, l0, en0, log, logEnd);
        logEnd = log;
        batch = false;
      }
      const nd = aed(
        n, h, zt, l, en, nw, exshift, wr, wi, sr, si, aedScratch, coef, work, workBytes, francisSmall,
      );
      if (nd < 0) {
        useAed = false; // the window's own iteration failed: plain iteration from here on
      } else {
        en -= nd;
        queued = shiftPairs(sr, si, aedShiftCount(), nw / 4, shiftSum, shiftProd);
        qL = l;
        qEn = en;
        if (zt != 0 && log != 0 && queued > 0) {
          batch = true;
          l0 = l;
          en0 = en;
        }
        if (nd > 0) {
          iter = 0;
          if (nd * 100 > AED_NIBBLE * nw) queued = 0;
          continue;
        }
      }
    }

    // Shifts: the roots of λ² − (x + y)·λ + (x·y − w): normally the eigenvalues of the trailing
    // 2×2, or the next pair left by AED (sum S, product P: x = y = S/2, w = S²/4 − P).
    let x = get(h, n, en, en);
    let y = get(h, n, e1, e1);
    let w = get(h, n, en, e1) * get(h, n, e1, en);
    if (queued > 0 && !exceptional) {
      queued--;
      const sum = load<f64>(at(shiftSum, queued));
      x = y = sum / 2;
      w = x * x - load<f64>(at(shiftProd, queued));
    }
    if (exceptional) {
      queued = 0; // the exceptional shift moves the diagonal: queued shifts would be stale
      // Exceptional shifts break the rare cycles of the standard one (as the reference does).
      if (iter == 30) {
        let s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = 0; i <= en; i++) put(h, n, i, i, get(h, n, i, i) - s);
          exshift += s;
          x = y = w = 0.964;
        }
      } else {
        exshift += x;
        for (let i = 0; i <= en; i++) put(h, n, i, i, get(h, n, i, i) - x);
        const s = abs(get(h, n, en, e1)) + abs(get(h, n, e1, en - 2));
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
    }
    if (++iter > MAX_ITER_PER_EIGENVALUE) return en;

    // Start the bulge at the lowest row m where two consecutive subdiagonals are small.
    let m = en - 2;
    let p: f64 = 0, q: f64 = 0, r: f64 = 0;
    for (; m >= l; m--) {
      const z = get(h, n, m, m);
      const rr = x - z;
      const ss = y - z;
      p = (rr * ss - w) / get(h, n, m + 1, m) + get(h, n, m, m + 1);
      q = get(h, n, m + 1, m + 1) - z - rr - ss;
      r = get(h, n, m + 2, m + 1);
      const s = abs(p) + abs(q) + abs(r);
      p /= s;
      q /= s;
      r /= s;
      if (m == l) break;
      const lhs = abs(get(h, n, m, m - 1)) * (abs(q) + abs(r));
      const rhs = eps * (abs(p) * (abs(get(h, n, m - 1, m - 1)) + abs(z) + abs(get(h, n, m + 1, m + 1))));
      if (lhs < rhs) break;
    }
    for (let i = m + 2; i <= en; i++) {
      put(h, n, i, i - 2, 0);
      if (i > m + 2) put(h, n, i, i - 3, 0);
    }
    if (batch) {
      if (<i32>(logEnd - log) + chaseLogBytes(en - l + 1) > logBytes) {
        flushLog(h, n, zt, l0, en0, log, logEnd);
        logEnd = log;
      }
      logEnd = chase(h, n, l, m, en, p, q, r, zt, coef, l0, en0, logEnd);
    } else if (zt != 0) {
      chase(h, n, l, m, en, p, q, r, zt, coef, 0, n - 1, 0);
    } else {
      chase(h, n, l, m, en, p, q, r, 0, coef, l, en, 0);
    }
  }
  if (batch && logEnd > log) flushLog(h, n, zt, l0, en0, log, logEnd);
  return -1;
}

/**
 * Groups the AED shifts (complex pairs adjacent, +im first) into quadratic factors for the
 * double-shift sweeps: (sum, product) of a complex pair or of two real shifts, at most `limit`
 * pairs, taken from the bottom of the window (the best-converged Ritz values) and stored so that
 * the bottom ones are used first (popped from the end). Returns the number of pairs.
 */
function shiftPairs(sr: usize, si: usize, count: i32, limit: i32, sum: usize, prod: usize): i32 {
  let pairs = 0;
  let i = count - 1;
  let pendingReal = false;
  let first: f64 = 0;
  // Collected bottom-up into the tail of the arrays, then moved to the front in reverse order.
  while (i >= 0 && pairs < limit) {
    const im = load<f64>(at(si, i));
    if (im != 0) {
      // The pair occupies i−1 (+im) and i (−im).
      const re = load<f64>(at(sr, i));
      store<f64>(at(sum, pairs), 2 * re);
      store<f64>(at(prod, pairs), re * re + im * im);
      pairs++;
      i -= 2;
      continue;
    }
    const re = load<f64>(at(sr, i));
    if (pendingReal) {
      store<f64>(at(sum, pairs), first + re);
      store<f64>(at(prod, pairs), first * re);
      pairs++;
      pendingReal = false;
    } else {
      first = re;
      pendingReal = true;
    }
    i--;
  }
  // Reverse, so that popping from the end uses the bottom-most pair first.
  for (let a = 0, b = pairs - 1; a < b; a++, b--) {
    let t = load<f64>(at(sum, a));
    store<f64>(at(sum, a), load<f64>(at(sum, b)));
    store<f64>(at(sum, b), t);
    t = load<f64>(at(prod, a));
    store<f64>(at(prod, a), load<f64>(at(prod, b)));
    store<f64>(at(prod, b), t);
  }
  return pairs;
}

/** Deflates the 2×2 block at rows en−1, en: a complex pair, or two reals split into 1×1 blocks. */
function deflatePair(h: usize, n: i32, en: i32, exshift: f64, wr: usize, wi: usize, zt: usize): void {
  const e1 = en - 1;
  const w = get(h, n, en, e1) * get(h, n, e1, en);
  let p = (get(h, n, e1, e1) - get(h, n, en, en)) / 2;
  let q = p * p + w;
  let z = Math.sqrt(abs(q));
  put(h, n, en, en, get(h, n, en, en) + exshift);
  put(h, n, e1, e1, get(h, n, e1, e1) + exshift);
  const x = get(h, n, en, en);
  if (q < 0) {
    store<f64>(at(wr, e1), x + p);
    store<f64>(at(wr, en), x + p);
    store<f64>(at(wi, e1), z);
    store<f64>(at(wi, en), -z);
    return;
  }
  // Real pair: z is the root of larger magnitude (no cancellation), the other from the product.
  z = p >= 0 ? p + z : p - z;
  store<f64>(at(wr, e1), x + z);
  store<f64>(at(wr, en), z != 0 ? x - w / z : x + z);
  store<f64>(at(wi, e1), 0);
  store<f64>(at(wi, en), 0);
  if (zt == 0) return;
  // Rotate the block to upper triangular form so T is truly quasi-triangular.
  const hx = get(h, n, en, e1);
  const s = abs(hx) + abs(z);
  p = hx / s;
  q = z / s;
  const rr = Math.sqrt(p * p + q * q);
  p /= rr;
  q /= rr;
  rotateRows(el(h, n, e1, e1), el(h, n, en, e1), n - e1, p, q);
  for (let i = 0; i <= en; i++) {
    const t = get(h, n, i, e1);
    put(h, n, i, e1, q * t + p * get(h, n, i, en));
    put(h, n, i, en, q * get(h, n, i, en) - p * t);
  }
  put(h, n, en, e1, 0);
  rotateRows(el(zt, n, e1, 0), el(zt, n, en, 0), n, p, q);
}

/** (a, b) ← (q·a + p·b, q·b − p·a) over len contiguous entries of two rows. */
function rotateRows(a: usize, b: usize, len: i32, p: f64, q: f64): void {
  for (let j = 0; j < len; j++) {
    const o = <usize>j << 3;
    const t = load<f64>(a + o);
    store<f64>(a + o, q * t + p * load<f64>(b + o));
    store<f64>(b + o, q * load<f64>(b + o) - p * t);
  }
}
