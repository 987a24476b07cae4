/**
 * Restarted GMRES for many independent systems J(x_b)·δ_b = r_b at once. The systems advance in
 * lockstep, so the Krylov vectors of all unfinished systems form one matrix and each Arnoldi
 * step costs one batched Jacobian-vector product (one GEMM for model systems).
 */
import type { Matrix } from '../../linalg/index.js';
import type { BatchedSystem } from '../batch.js';

/** Krylov storage cap: batch × (restart + 1) × n numbers (2²⁵ doubles = 256 MiB). */
const KRYLOV_NUMBERS = 1 << 25;

export interface GmresOptions {
  /** Stop when ‖r − J·δ‖ ≤ rtol_b·‖r‖. */
  rtol: Float64Array;
  /** Restart length (default 300; lowered to fit the storage cap, not below 10). */
  restart?: number;
  /** Inner iterations per system, in all (default 400); one number or one per system. */
  maxIterations?: number | Int32Array;
  /** Linearisation point of system b (default b): the `which` passed to `batch.jvp`. */
  points?: Int32Array;
}

export interface GmresResult {
  iterations: Int32Array;
  /** Achieved ‖r − J·δ‖/‖r‖ (the GMRES estimate). */
  relResidual: Float64Array;
  /** Total batched products (for accounting). */
  products: number;
}

/**
 * Solves J(x_b)·δ_b = rhs_b for b < rows (points already set with `batch.setPoints`), writing δ
 * into the rows of `out`. Each system is restarted GMRES(m) from δ = 0: Arnoldi with modified
 * Gram–Schmidt, Givens rotations on the Hessenberg matrix, and the residual estimate |gⱼ₊₁|.
 */
export function batchedGmres(
  batch: BatchedSystem,
  rhs: Matrix,
  rows: number,
  opts: GmresOptions,
  out: Matrix,
): GmresResult {
  const n = batch.dim;
  const cap = opts.maxIterations ?? 400;
  const maxIt = (b: number) => (typeof cap === 'number' ? cap : cap[b]);
  const m = Math.max(
    Math.min(10, n),
    Math.min(opts.restart ?? 300, n, Math.floor(KRYLOV_NUMBERS / Math.max(1, rows * n)) - 1),
  );

  // Each system's restart length is capped by its own iteration budget (storage follows).
  const mOf = Int32Array.from({ length: rows }, (_, b) => Math.max(1, Math.min(m, maxIt(b))));
  const V = Array.from({ length: rows }, (_, b) => new Float64Array((mOf[b] + 1) * n));
  const H = Array.from({ length: rows }, (_, b) => new Float64Array((mOf[b] + 1) * mOf[b]));
  const cs = Array.from({ length: rows }, (_, b) => new Float64Array(mOf[b]));
  const sn = Array.from({ length: rows }, (_, b) => new Float64Array(mOf[b]));
  const g = Array.from({ length: rows }, (_, b) => new Float64Array(mOf[b] + 1));
  const col = new Int32Array(rows);
  const its = new Int32Array(rows);
  const beta0 = new Float64Array(rows);
  const rel = new Float64Array(rows);
  const running = new Uint8Array(rows);
  const x = out.data;
  x.fill(0, 0, rows * n);
  let products = 0;

  const begin = (b: number, r: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += r[i] * r[i];
    const beta = Math.sqrt(s);
    const v = V[b];
    g[b].fill(0);
    g[b][0] = beta;
    col[b] = 0;
    if (!(beta > 0) || !Number.isFinite(beta)) return false;
    for (let i = 0; i < n; i++) v[i] = r[i] / beta;
    return true;
  };
  /** x_b += V_b·y with y from the j×j triangular system H·y = g. */
  const accumulate = (b: number) => {
    const j = col[b];
    const h = H[b];
    const m = mOf[b];
    const y = new Float64Array(j);
    for (let i = j - 1; i >= 0; i--) {
      let s = g[b][i];
      for (let k = i + 1; k < j; k++) s -= h[i * m + k] * y[k];
      y[i] = h[i * m + i] !== 0 ? s / h[i * m + i] : 0;
    }
    const v = V[b];
    for (let k = 0; k < j; k++) {
      const yk = y[k];
      for (let i = 0; i < n; i++) x[b * n + i] += yk * v[k * n + i];
    }
  };

  for (let b = 0; b < rows; b++) {
    const r = rhs.data.subarray(b * n, (b + 1) * n);
    running[b] = begin(b, r) ? 1 : 0;
    beta0[b] = g[b][0];
    rel[b] = 0;
  }
  let W = new Float64Array(0);
  let Vm = new Float64Array(0);
  const restartSet: number[] = [];
  for (;;) {
    const R: number[] = [];
    for (let b = 0; b < rows; b++) if (running[b]) R.push(b);
    if (R.length === 0) break;
    if (Vm.length < R.length * n) {
      Vm = new Float64Array(R.length * n);
      W = new Float64Array(R.length * n);
    }
    const which = Int32Array.from(R, (b) => (opts.points ? opts.points[b] : b));
    R.forEach((b, k) => Vm.set(V[b].subarray(col[b] * n, (col[b] + 1) * n), k * n));
    batch.jvp({ rows: R.length, cols: n, data: Vm }, R.length, which, {
      rows: R.length,
      cols: n,
      data: W,
    });
    products++;
    restartSet.length = 0;
    R.forEach((b, k) => {
      const j = col[b];
      const v = V[b];
      const h = H[b];
      const m = mOf[b];
      const w = W.subarray(k * n, (k + 1) * n);
      for (let i = 0; i <= j; i++) {
        let s = 0;
        const off = i * n;
        for (let t = 0; t < n; t++) s += w[t] * v[off + t];
        h[i * m + j] = s;
        for (let t = 0; t < n; t++) w[t] -= s * v[off + t];
      }
      let s2 = 0;
      for (let t = 0; t < n; t++) s2 += w[t] * w[t];
      const hn = Math.sqrt(s2);
      h[(j + 1) * m + j] = hn;
      if (hn > 0) for (let t = 0; t < n; t++) v[(j + 1) * n + t] = w[t] / hn;
      for (let i = 0; i < j; i++) {
        const a = h[i * m + j];
        const c = h[(i + 1) * m + j];
        h[i * m + j] = cs[b][i] * a + sn[b][i] * c;
        h[(i + 1) * m + j] = -sn[b][i] * a + cs[b][i] * c;
      }
      const a = h[j * m + j];
      const c = h[(j + 1) * m + j];
      const d = Math.hypot(a, c);
      cs[b][j] = d > 0 ? a / d : 1;
      sn[b][j] = d > 0 ? c / d : 0;
      h[j * m + j] = d;
      h[(j + 1) * m + j] = 0;
      g[b][j + 1] = -sn[b][j] * g[b][j];
      g[b][j] = cs[b][j] * g[b][j];
      col[b] = j + 1;
      its[b]++;
      const res = Math.abs(g[b][j + 1]);
      rel[b] = res / beta0[b];
      const done = !Number.isFinite(res) || res <= opts.rtol[b] * beta0[b] || hn === 0;
      if (done || its[b] >= maxIt(b)) {
        accumulate(b);
        running[b] = 0;
      } else if (col[b] === m) {
        accumulate(b);
        restartSet.push(b);
      }
    });
    if (restartSet.length > 0) {
      // True residual r − J·δ for the restarting systems, in one batched product.
      const which = Int32Array.from(restartSet, (b) => (opts.points ? opts.points[b] : b));
      restartSet.forEach((b, k) => Vm.set(x.subarray(b * n, (b + 1) * n), k * n));
      batch.jvp({ rows: restartSet.length, cols: n, data: Vm }, restartSet.length, which, {
        rows: restartSet.length,
        cols: n,
        data: W,
      });
      products++;
      restartSet.forEach((b, k) => {
        const r = W.subarray(k * n, (k + 1) * n);
        for (let i = 0; i < n; i++) r[i] = rhs.data[b * n + i] - r[i];
        if (!begin(b, r)) running[b] = 0;
        rel[b] = g[b][0] / beta0[b];
        if (rel[b] <= opts.rtol[b]) running[b] = 0;
      });
    }
  }
  return { iterations: its, relResidual: rel, products };
}
