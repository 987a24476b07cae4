// Data staging for the streamed PCA (src/linalg/pca.ts).

/**
 * dst (cols×rows, ld = ldd) ← (src − 1·shiftᵀ)ᵀ for the rows×cols row-major src (ld = lds), and
 * sums[j] += Σ_i (src[i][j] − shift[j]). The transposed layout makes every prefix of the
 * variables a contiguous block of rows for the Gram-matrix GEMMs. Eight source rows at a time:
 * pairs of rows are transposed 2×2 in registers (one shuffle per output vector), so the reads
 * stream along eight rows and each output row receives a whole 64-byte line per pass.
 */
export function shiftTranspose(rows: i32, cols: i32, src: usize, lds: i32, shift: usize, dst: usize, ldd: i32, sums: usize): void {
  const ls = <usize>lds << 3;
  const lt = <usize>ldd << 3;
  const c2 = cols & ~1;
  let i = 0;
  for (; i + 7 < rows; i += 8) {
    const s0 = src + <usize>i * ls;
    const s1 = s0 + ls, s2 = s1 + ls, s3 = s2 + ls, s4 = s3 + ls, s5 = s4 + ls, s6 = s5 + ls, s7 = s6 + ls;
    const d = dst + (<usize>i << 3);
    for (let j = 0; j < c2; j += 2) {
      const o = <usize>j << 3;
      const a0 = v128.load(s0 + o), a1 = v128.load(s1 + o), a2 = v128.load(s2 + o), a3 = v128.load(s3 + o);
      const a4 = v128.load(s4 + o), a5 = v128.load(s5 + o), a6 = v128.load(s6 + o), a7 = v128.load(s7 + o);
      const sa = f64x2.splat(load<f64>(shift + o));
      const sb = f64x2.splat(load<f64>(shift + o, 8));
      const e0 = f64x2.sub(i64x2.shuffle(a0, a1, 0, 2), sa);
      const e1 = f64x2.sub(i64x2.shuffle(a2, a3, 0, 2), sa);
      const e2 = f64x2.sub(i64x2.shuffle(a4, a5, 0, 2), sa);
      const e3 = f64x2.sub(i64x2.shuffle(a6, a7, 0, 2), sa);
      const f0 = f64x2.sub(i64x2.shuffle(a0, a1, 1, 3), sb);
      const f1 = f64x2.sub(i64x2.shuffle(a2, a3, 1, 3), sb);
      const f2 = f64x2.sub(i64x2.shuffle(a4, a5, 1, 3), sb);
      const f3 = f64x2.sub(i64x2.shuffle(a6, a7, 1, 3), sb);
      const da = d + <usize>j * lt;
      const db = da + lt;
      v128.store(da, e0);
      v128.store(da, e1, 16);
      v128.store(da, e2, 32);
      v128.store(da, e3, 48);
      v128.store(db, f0);
      v128.store(db, f1, 16);
      v128.store(db, f2, 32);
      v128.store(db, f3, 48);
      const se = f64x2.add(f64x2.add(e0, e1), f64x2.add(e2, e3));
      const sf = f64x2.add(f64x2.add(f0, f1), f64x2.add(f2, f3));
      const sp = sums + o;
      store<f64>(sp, load<f64>(sp) + (f64x2.extract_lane(se, 0) + f64x2.extract_lane(se, 1)));
      store<f64>(sp, load<f64>(sp, 8) + (f64x2.extract_lane(sf, 0) + f64x2.extract_lane(sf, 1)), 8);
    }
    if (c2 < cols) tail(i, i + 8, c2, src, ls, shift, dst, lt, sums);
  }
  if (i < rows) {
    for (let j = 0; j < cols; j++) tail(i, rows, j, src, ls, shift, dst, lt, sums);
  }
}

/** Rows i0..i1−1 of column j, one element at a time. */
function tail(i0: i32, i1: i32, j: i32, src: usize, ls: usize, shift: usize, dst: usize, lt: usize, sums: usize): void {
  const o = <usize>j << 3;
  const sh = load<f64>(shift + o);
  let acc: f64 = 0;
  for (let i = i0; i < i1; i++) {
    const v = load<f64>(src + <usize>i * ls + o) - sh;
    store<f64>(dst + <usize>j * lt + (<usize>i << 3), v);
    acc += v;
  }
  store<f64>(sums + o, load<f64>(sums + o) + acc);
}
