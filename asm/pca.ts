// Data staging for the streamed PCA (src/linalg/pca.ts).

/**
 * x[i][j] ← x[i][j] − shift[j] in place for the rows×cols row-major block x (ld = ldx), and
 * sums[j] += the shifted values, row by row (so each column's sum runs over the rows in order).
 * The chunk is then the operand of a SYRK (C += xᵀx) as it stands.
 */
export function shiftRows(rows: i32, cols: i32, x: usize, ldx: i32, shift: usize, sums: usize): void {
  const lx = <usize>ldx << 3;
  const c2 = cols & ~1;
  for (let i = 0; i < rows; i++) {
    const r = x + <usize>i * lx;
    for (let j = 0; j < c2; j += 2) {
      const o = <usize>j << 3;
      const v = f64x2.sub(v128.load(r + o), v128.load(shift + o));
      v128.store(r + o, v);
      v128.store(sums + o, f64x2.add(v128.load(sums + o), v));
    }
    if (c2 < cols) {
      const o = <usize>c2 << 3;
      const v = load<f64>(r + o) - load<f64>(shift + o);
      store<f64>(r + o, v);
      store<f64>(sums + o, load<f64>(sums + o) + v);
    }
  }
}
