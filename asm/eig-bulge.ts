// The double-shift bulge chase when the full Schur form and Z are wanted, with the reflectors
// applied in groups.
//
// A step at k changes rows k..k+2 of H (to column n−1), columns k..k+2 (from row 0) and rows
// k..k+2 of Zᵀ. Done one step at a time, the column part is a strided walk down the whole
// matrix per step and every row part is reloaded by three consecutive steps. Here the steps of a
// group k0..k1 are first chased inside the small window of rows/columns k0..k1+3, recording
// their reflectors; the parts outside the window — rows k0..k1+2 right of it, the columns above
// it, and rows k0..k1+2 of Zᵀ — only ever see the group's reflectors, in order (the left
// reflectors never touch the columns above the window, the right ones never the rows to its
// right), so they are updated afterwards: row parts in L1-sized column chunks, two reflectors
// per pass; the column part one row segment at a time, eight rows at once. Every entry gets the
// same operations in the same order as in the one-step-at-a-time chase (up to FMA contraction).

import { madd } from './simd';

/** Steps per group: the window is (GROUP+4)² and the coefficient scratch GROUP·96 bytes. */
export const GROUP: i32 = 32;

// Coefficient record per step (96 bytes): splatted q, r, −x, −y, −z, then a flag (0: the step
// found nothing to annihilate and applies no reflector).
const Q: usize = 0, R: usize = 16, NX: usize = 32, NY: usize = 48, NZ: usize = 64;
const FLAG: usize = 80;
const REC: usize = 96;

// @ts-ignore: decorator
@inline function el(h: usize, n: i32, i: i32, j: i32): usize {
  return h + ((<usize>i * <usize>n + <usize>j) << 3);
}

/** Bytes a log entry takes: a 32-byte group header (k0, steps, lastThree) plus the records. */
// @ts-ignore: decorator
@inline function groupBytes(steps: i32): usize {
  return 32 + <usize>steps * REC;
}

/** Largest log growth of one `chase` over an active block of nh rows. */
export function chaseLogBytes(nh: i32): i32 {
  return nh * <i32>REC + (nh / GROUP + 2) * 32;
}

/**
 * One implicit double-shift step on rows/columns m..en of the n×n `h`, starting the bulge from
 * (p, q, r). Rows are updated up to column jEnd and columns from row iBeg (n−1 and 0 for the
 * whole Schur form, en and l for eigenvalues only); zt's rows too unless zt = 0. With log ≠ 0
 * the reflectors are not applied to zt, nor beyond those bounds, but appended to the log at
 * `log` for `flushLog`, which applies a whole batch of sweeps in one pass over the memory; the
 * new end of the log is returned. `coef` is GROUP·96 bytes of scratch (unused with a log).
 */
export function chase(
  h: usize, n: i32, l: i32, m: i32, en: i32, p: f64, q: f64, r: f64,
  zt: usize, coef: usize, iBeg: i32, jEnd: i32, log: usize,
): usize {
  const ld = <usize>n << 3;
  for (let k0 = m; k0 <= en - 1; k0 += GROUP) {
    const k1 = min(k0 + GROUP - 1, en - 1);
    const wEnd = min(en, k1 + 3);
    const steps = k1 - k0 + 1;
    const recs = log != 0 ? log + 32 : coef;
    let lastThree = true;
    for (let k = k0; k <= k1; k++) {
      const cf = recs + <usize>(k - k0) * REC;
      const notLast = k != en - 1;
      if (!notLast) lastThree = false;
      store<f64>(cf + FLAG, 0);
      let x: f64 = 0;
      if (k != m) {
        p = load<f64>(el(h, n, k, k - 1));
        q = load<f64>(el(h, n, k + 1, k - 1));
        r = notLast ? load<f64>(el(h, n, k + 2, k - 1)) : 0;
        x = abs(p) + abs(q) + abs(r);
        if (x == 0) continue;
        p /= x;
        q /= x;
        r /= x;
      }
      let s = Math.sqrt(p * p + q * q + r * r);
      if (p < 0) s = -s;
      if (s == 0) continue;
      if (k != m) store<f64>(el(h, n, k, k - 1), -s * x);
      else if (l != m) store<f64>(el(h, n, k, k - 1), -load<f64>(el(h, n, k, k - 1)));
      p += s;
      x = p / s;
      const y = q / s;
      const z = r / s;
      q /= p;
      r /= p;
      v128.store(cf + Q, f64x2.splat(q));
      v128.store(cf + R, f64x2.splat(r));
      v128.store(cf + NX, f64x2.splat(-x));
      v128.store(cf + NY, f64x2.splat(-y));
      v128.store(cf + NZ, f64x2.splat(-z));
      store<f64>(cf + FLAG, 1);
      // Inside the window: rows k..k+2 up to column wEnd, columns k..k+2 from row k0.
      leftChain(el(h, n, k, k), ld, wEnd - k + 1, 1, cf, notLast);
      rightChain(el(h, n, k0, k), ld, min(en, k + 3) - k0 + 1, 1, cf, notLast);
    }
    if (wEnd < jEnd) leftChain(el(h, n, k0, wEnd + 1), ld, jEnd - wEnd, steps, recs, lastThree);
    if (iBeg < k0) rightChain(el(h, n, iBeg, k0), ld, k0 - iBeg, steps, recs, lastThree);
    if (log != 0) {
      store<f64>(log, <f64>k0);
      store<f64>(log, <f64>steps, 8);
      store<f64>(log, lastThree ? 1 : 0, 16);
      log += groupBytes(steps);
    } else if (zt != 0) {
      leftChain(el(zt, n, k0, 0), ld, n, steps, coef, lastThree);
    }
  }
  return log;
}

/** Columns of zt (and of h right of the batch) per pass of `flushLog`: 2 MB at n = 4000. */
const FLUSH_COLS: i32 = 64;

/**
 * Applies the logged reflectors [log, end), in order, to what the chases deferred: every row of
 * zt, rows of h right of column en0 and rows of h above row l0 (the batch's active block was
 * l0..en0). Each chunk of columns (each block of eight rows) is loaded once for the whole log
 * instead of once per sweep.
 */
export function flushLog(h: usize, n: i32, zt: usize, l0: i32, en0: i32, log: usize, end: usize): void {
  const ld = <usize>n << 3;
  for (let pass = 0; pass < 2; pass++) {
    const m = pass == 0 ? zt : h;
    const c0 = pass == 0 ? 0 : en0 + 1;
    for (let c = c0; c < n; c += FLUSH_COLS) {
      const w = min(FLUSH_COLS, n - c);
      for (let g = log; g < end; ) {
        const k0 = <i32>load<f64>(g), steps = <i32>load<f64>(g, 8), lastThree = load<f64>(g, 16) != 0;
        leftChain(el(m, n, k0, c), ld, w, steps, g + 32, lastThree);
        g += groupBytes(steps);
      }
    }
  }
  for (let r0 = 0; r0 < l0; r0 += 8) {
    const rows = min(8, l0 - r0);
    for (let g = log; g < end; ) {
      const k0 = <i32>load<f64>(g), steps = <i32>load<f64>(g, 8), lastThree = load<f64>(g, 16) != 0;
      rightChain(el(h, n, r0, k0), ld, rows, steps, g + 32, lastThree);
      g += groupBytes(steps);
    }
  }
}

/** Columns per chunk of `leftChain`: (GROUP+2) rows × 128 columns × 8 B ≈ 34 KB stays in L1. */
const CHUNK: i32 = 128;

/**
 * Applies `steps` recorded reflectors from the left to consecutive rows starting at `base`
 * (row stride ld bytes), over `ncols` contiguous columns: step s acts on rows s, s+1 (and s+2
 * unless it is the last step and `lastThree` is false). Column chunks are sized to stay in L1
 * while every step sweeps them, and within a step the columns are independent, so the loop runs
 * at load/store throughput rather than along a dependency chain.
 */
function leftChain(base: usize, ld: usize, ncols: i32, steps: i32, coef: usize, lastThree: bool): void {
  for (let c0 = 0; c0 < ncols; c0 += CHUNK) {
    const w = min(CHUNK, ncols - c0);
    let row = base + (<usize>c0 << 3);
    let cf = coef;
    let s = 0;
    while (s < steps) {
      // Two consecutive full reflectors share rows s+1, s+2: one pass loads and stores rows
      // s..s+3 once instead of twice.
      if (s + 1 < steps && (s + 2 < steps || lastThree) && load<f64>(cf + FLAG) != 0 && load<f64>(cf + REC + FLAG) != 0) {
        reflect3x2(row, ld, w, cf);
        row += 2 * ld;
        cf += 2 * REC;
        s += 2;
        continue;
      }
      if (load<f64>(cf + FLAG) != 0) {
        const three = s < steps - 1 || lastThree;
        reflect3(row, ld, w, three, cf);
      }
      row += ld;
      cf += REC;
      s++;
    }
  }
}

/** Reflectors cf (rows r, r+1, r+2) then cf + REC (rows r+1, r+2, r+3) over w columns. */
function reflect3x2(r0: usize, ld: usize, w: i32, cf: usize): void {
  const r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
  const cg = cf + REC;
  const q1 = v128.load(cf + Q), s1 = v128.load(cf + R);
  const x1 = v128.load(cf + NX), y1 = v128.load(cf + NY), z1 = v128.load(cf + NZ);
  const q2 = v128.load(cg + Q), s2 = v128.load(cg + R);
  const x2 = v128.load(cg + NX), y2 = v128.load(cg + NY), z2 = v128.load(cg + NZ);
  let j = 0;
  for (; j + 1 < w; j += 2) {
    const o = <usize>j << 3;
    const a0 = v128.load(r0 + o), a1 = v128.load(r1 + o), a2 = v128.load(r2 + o), a3 = v128.load(r3 + o);
    const t = madd(s1, a2, madd(q1, a1, a0));
    v128.store(r0 + o, madd(t, x1, a0));
    const b1 = madd(t, y1, a1), b2 = madd(t, z1, a2);
    const u = madd(s2, a3, madd(q2, b2, b1));
    v128.store(r1 + o, madd(u, x2, b1));
    v128.store(r2 + o, madd(u, y2, b2));
    v128.store(r3 + o, madd(u, z2, a3));
  }
  if (j < w) {
    reflect3(r0 + (<usize>j << 3), ld, 1, true, cf);
    reflect3(r1 + (<usize>j << 3), ld, 1, true, cg);
  }
}

/** One recorded reflector on rows r, r+1 (, r+2) over w contiguous columns. */
function reflect3(r0: usize, ld: usize, w: i32, three: bool, cf: usize): void {
  const r1 = r0 + ld, r2 = r1 + ld;
  const qv = v128.load(cf + Q), rv = v128.load(cf + R);
  const nx = v128.load(cf + NX), ny = v128.load(cf + NY), nz = v128.load(cf + NZ);
  let j = 0;
  if (three) {
    for (; j + 1 < w; j += 2) {
      const o = <usize>j << 3;
      const a0 = v128.load(r0 + o), a1 = v128.load(r1 + o), a2 = v128.load(r2 + o);
      const t = madd(rv, a2, madd(qv, a1, a0));
      v128.store(r0 + o, madd(t, nx, a0));
      v128.store(r1 + o, madd(t, ny, a1));
      v128.store(r2 + o, madd(t, nz, a2));
    }
    if (j < w) {
      const o = <usize>j << 3;
      const a0 = load<f64>(r0 + o), a1 = load<f64>(r1 + o), a2 = load<f64>(r2 + o);
      const t = a0 + load<f64>(cf + Q) * a1 + load<f64>(cf + R) * a2;
      store<f64>(r0 + o, a0 + t * load<f64>(cf + NX));
      store<f64>(r1 + o, a1 + t * load<f64>(cf + NY));
      store<f64>(r2 + o, a2 + t * load<f64>(cf + NZ));
    }
  } else {
    for (; j + 1 < w; j += 2) {
      const o = <usize>j << 3;
      const a0 = v128.load(r0 + o), a1 = v128.load(r1 + o);
      const t = madd(qv, a1, a0);
      v128.store(r0 + o, madd(t, nx, a0));
      v128.store(r1 + o, madd(t, ny, a1));
    }
    if (j < w) {
      const o = <usize>j << 3;
      const a0 = load<f64>(r0 + o), a1 = load<f64>(r1 + o);
      const t = a0 + load<f64>(cf + Q) * a1;
      store<f64>(r0 + o, a0 + t * load<f64>(cf + NX));
      store<f64>(r1 + o, a1 + t * load<f64>(cf + NY));
    }
  }
}

/**
 * Applies `steps` recorded reflectors from the right to `nrows` rows (stride ld bytes) starting
 * at `base`, which points at the group's first column: step s acts on columns s, s+1 (and s+2
 * unless it is the last step and `lastThree` is false). Each row is walked once, carrying two
 * values from step to step; that walk is a dependency chain, so four rows go together (two
 * rows per vector, two vectors) to keep the arithmetic units busy.
 */
// @ts-ignore: decorator
@inline function lanes(p: usize, q: usize): v128 {
  return v128.load64_lane(q, v128.load64_splat(p), 1);
}

// @ts-ignore: decorator
@inline function unlanes(p: usize, q: usize, v: v128): void {
  v128.store64_lane(p, v, 0);
  v128.store64_lane(q, v, 1);
}

function rightChain(base: usize, ld: usize, nrows: i32, steps: i32, coef: usize, lastThree: bool): void {
  let i = 0;
  const zero = f64x2.splat(0);
  for (; i + 7 < nrows; i += 8) {
    let p0 = base + <usize>i * ld;
    let p1 = p0 + ld, p2 = p1 + ld, p3 = p2 + ld, p4 = p3 + ld, p5 = p4 + ld, p6 = p5 + ld, p7 = p6 + ld;
    let a0 = lanes(p0, p1), a1 = lanes(p0 + 8, p1 + 8);
    let b0 = lanes(p2, p3), b1 = lanes(p2 + 8, p3 + 8);
    let c0 = lanes(p4, p5), c1 = lanes(p4 + 8, p5 + 8);
    let d0 = lanes(p6, p7), d1 = lanes(p6 + 8, p7 + 8);
    let cf = coef;
    for (let s = 0; s < steps; s++) {
      const three = s < steps - 1 || lastThree;
      let a2 = zero, b2 = zero, c2 = zero, d2 = zero;
      if (three) {
        a2 = lanes(p0 + 16, p1 + 16);
        b2 = lanes(p2 + 16, p3 + 16);
        c2 = lanes(p4 + 16, p5 + 16);
        d2 = lanes(p6 + 16, p7 + 16);
      }
      if (load<f64>(cf + FLAG) != 0) {
        // t = x·b0 + y·b1 + z·b2; b0 −= t; b1 −= t·q; b2 −= t·r (NX = −x, …).
        const nx = v128.load(cf + NX), ny = v128.load(cf + NY), nz = v128.load(cf + NZ);
        const ta = f64x2.add(f64x2.add(f64x2.mul(nx, a0), f64x2.mul(ny, a1)), f64x2.mul(nz, a2));
        const tb = f64x2.add(f64x2.add(f64x2.mul(nx, b0), f64x2.mul(ny, b1)), f64x2.mul(nz, b2));
        const tc = f64x2.add(f64x2.add(f64x2.mul(nx, c0), f64x2.mul(ny, c1)), f64x2.mul(nz, c2));
        const td = f64x2.add(f64x2.add(f64x2.mul(nx, d0), f64x2.mul(ny, d1)), f64x2.mul(nz, d2));
        const qv = v128.load(cf + Q), rv = v128.load(cf + R);
        a0 = f64x2.add(a0, ta);
        b0 = f64x2.add(b0, tb);
        c0 = f64x2.add(c0, tc);
        d0 = f64x2.add(d0, td);
        a1 = madd(ta, qv, a1);
        b1 = madd(tb, qv, b1);
        c1 = madd(tc, qv, c1);
        d1 = madd(td, qv, d1);
        a2 = madd(ta, rv, a2);
        b2 = madd(tb, rv, b2);
        c2 = madd(tc, rv, c2);
        d2 = madd(td, rv, d2);
      }
      unlanes(p0, p1, a0);
      unlanes(p2, p3, b0);
      unlanes(p4, p5, c0);
      unlanes(p6, p7, d0);
      a0 = a1; a1 = a2;
      b0 = b1; b1 = b2;
      c0 = c1; c1 = c2;
      d0 = d1; d1 = d2;
      p0 += 8; p1 += 8; p2 += 8; p3 += 8; p4 += 8; p5 += 8; p6 += 8; p7 += 8;
      cf += REC;
    }
    unlanes(p0, p1, a0);
    unlanes(p2, p3, b0);
    unlanes(p4, p5, c0);
    unlanes(p6, p7, d0);
    if (lastThree) {
      unlanes(p0 + 8, p1 + 8, a1);
      unlanes(p2 + 8, p3 + 8, b1);
      unlanes(p4 + 8, p5 + 8, c1);
      unlanes(p6 + 8, p7 + 8, d1);
    }
  }
  for (; i < nrows; i++) {
    let p = base + <usize>i * ld;
    let b0 = load<f64>(p), b1 = load<f64>(p, 8);
    let cf = coef;
    for (let s = 0; s < steps; s++) {
      const three = s < steps - 1 || lastThree;
      let b2: f64 = three ? load<f64>(p, 16) : 0;
      if (load<f64>(cf + FLAG) != 0) {
        const t = -(load<f64>(cf + NX) * b0 + load<f64>(cf + NY) * b1 + load<f64>(cf + NZ) * b2);
        b0 -= t;
        b1 -= t * load<f64>(cf + Q);
        b2 -= t * load<f64>(cf + R);
      }
      store<f64>(p, b0);
      b0 = b1;
      b1 = b2;
      p += 8;
      cf += REC;
    }
    store<f64>(p, b0);
    if (lastThree) store<f64>(p, b1, 8);
  }
}
