#!/usr/bin/env node
/**
 * Linear-algebra benchmark: rnnscope's active backend against numpy/OpenBLAS, measured in the
 * same run on the same machine.
 *
 *   node bench/run.mjs            full sizes (gemm/gemv/syrk 256, 512, 1000; eig/eigSym 100, 300,
 *                                 1000; svd 5000×500 and 2000×2000)
 *   node bench/run.mjs --quick    smallest size of each only
 *   node bench/run.mjs --lib=PATH import the library from PATH instead of ../dist/index.js
 *   node bench/run.mjs --only=svd,syrk   only these operations
 *
 * Every number is the best of a few repeats after a JIT warm-up. numpy runs in child processes
 * with OPENBLAS_NUM_THREADS pinned to 1 and to 2. Results are printed as a table and written to
 * bench/results/latest.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const libArg = args.find((a) => a.startsWith('--lib='));
const libUrl = libArg
  ? pathToFileURL(libArg.slice('--lib='.length)).href
  : new URL('../dist/index.js', import.meta.url).href;
const lib = await import(libUrl);

const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const SIZES = {
  gemm: quick ? [256] : [256, 512, 1000],
  gemv: quick ? [256] : [256, 512, 1000],
  'gemm-wasm': quick ? [256] : [256, 512, 1000],
  'gemv-wasm': quick ? [256] : [256, 512, 1000],
  eig: quick ? [100] : [100, 300, 1000],
  eigSym: quick ? [100] : [100, 300, 1000],
  // C = AᵀA for n×n A (numpy's A.T @ A calls dsyrk).
  syrk: quick ? [256] : [256, 512, 1000],
  // Thin SVD of an m×n matrix (numpy.linalg.svd(full_matrices=False), LAPACK dgesdd).
  svd: quick
    ? [[500, 100]]
    : [
        [5000, 500],
        [2000, 2000],
      ],
};
if (only) for (const op of Object.keys(SIZES)) if (!only.includes(op)) delete SIZES[op];
/** Size label: N, or m×n for rectangular operands. */
const label = (n) => (Array.isArray(n) ? `${n[0]}×${n[1]}` : String(n));
/** Timed repeats: at least MIN_REPEATS, at most MAX_REPEATS, stopping once BUDGET_S is used. */
const MIN_REPEATS = 2;
const MAX_REPEATS = 5;
const BUDGET_S = 1.5;
/** Calls per timing sample are raised until one sample takes at least this long (fast kernels). */
const MIN_SAMPLE_S = 0.05;

// ---- data --------------------------------------------------------------------------------------

function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = mulberry32(20240601);
const wasm = lib.createWasmBackend();
function randn(m, n, scale = 1) {
  const data = new Float64Array(m * n);
  for (let i = 0; i < data.length; i++) {
    const u = 1 - rng();
    data[i] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  }
  return lib.fromData(m, n, data);
}
function symmetric(n) {
  const B = randn(n, n);
  const S = lib.zeros(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) S.data[i * n + j] = (B.data[i * n + j] + B.data[j * n + i]) / 2;
  return S;
}

/** Returns a zero-argument function performing one operation of size n on fixed inputs. */
function makeTask(op, n) {
  switch (op) {
    case 'gemm': {
      const A = randn(n, n);
      const B = randn(n, n);
      const C = lib.zeros(n, n);
      return () => lib.gemm(false, false, 1, A, B, 0, C);
    }
    case 'gemv': {
      const A = randn(n, n);
      const x = randn(n, 1).data;
      const y = new Float64Array(n);
      return () => lib.gemv(false, 1, A, x, 0, y);
    }
    case 'gemm-wasm': {
      // Operands live in wasm memory (wasmMatrix), as the analyses will hold them.
      const A = lib.toWasmMatrix(randn(n, n));
      const B = lib.toWasmMatrix(randn(n, n));
      const C = lib.wasmMatrix(n, n);
      return () => wasm.gemm(false, false, 1, A, B, 0, C);
    }
    case 'gemv-wasm': {
      const A = lib.toWasmMatrix(randn(n, n));
      const x = randn(n, 1).data;
      const y = new Float64Array(n);
      return () => wasm.gemv(false, 1, A, x, 0, y);
    }
    case 'eig': {
      const A = randn(n, n, 1 / Math.sqrt(n));
      return () => lib.eig(A, { vectors: true });
    }
    case 'eigSym': {
      const S = symmetric(n);
      return () => lib.eigSym(S, true);
    }
    case 'syrk': {
      const A = randn(n, n);
      const C = lib.zeros(n, n);
      return () => lib.syrk(true, 1, A, 0, C);
    }
    case 'svd': {
      const [rows, cols] = Array.isArray(n) ? n : [n, n];
      const A = randn(rows, cols);
      return () => lib.svd(A);
    }
    default:
      throw new Error(op);
  }
}

// ---- timing ------------------------------------------------------------------------------------

function bestOf(fn) {
  const t0 = performance.now();
  fn();
  const once = (performance.now() - t0) / 1000;
  const inner = Math.max(1, Math.ceil(MIN_SAMPLE_S / Math.max(once, 1e-9)));
  let best = Infinity;
  let used = 0;
  for (let r = 0; r < MAX_REPEATS && (r < MIN_REPEATS || used < BUDGET_S); r++) {
    const s0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    const dt = (performance.now() - s0) / 1000;
    used += dt;
    best = Math.min(best, dt / inner);
  }
  return best;
}

function runOurs() {
  const out = {};
  // JIT warm-up: every code path at a small size until the optimiser has settled.
  for (const op of Object.keys(SIZES)) {
    const t = makeTask(op, op === 'svd' ? [64, 48] : 64);
    for (let i = 0; i < 20; i++) t();
  }
  for (const [op, sizes] of Object.entries(SIZES)) {
    for (const n of sizes) {
      out[`${op}:${label(n)}`] = bestOf(makeTask(op, n));
      process.stderr.write(
        `  ours   ${op.padEnd(6)} N=${label(n).padEnd(5)} ${fmtTime(out[`${op}:${label(n)}`])}\n`,
      );
    }
  }
  return out;
}

const PY = String.raw`
import sys, json, time, numpy as np
cfg = json.load(sys.stdin)
rng = np.random.default_rng(1)
MIN_REPEATS, MAX_REPEATS, BUDGET_S, MIN_SAMPLE_S = cfg['timing']
def task(op, n):
    op = op.replace('-wasm', '')
    if op == 'gemm':
        A = rng.standard_normal((n, n)); B = rng.standard_normal((n, n)); C = np.empty((n, n))
        return lambda: np.matmul(A, B, out=C)
    if op == 'gemv':
        A = rng.standard_normal((n, n)); x = rng.standard_normal(n); y = np.empty(n)
        return lambda: np.matmul(A, x, out=y)
    if op == 'eig':
        A = rng.standard_normal((n, n)) / np.sqrt(n)
        return lambda: np.linalg.eig(A)
    if op == 'eigSym':
        B = rng.standard_normal((n, n)); S = (B + B.T) / 2
        return lambda: np.linalg.eigh(S)
    if op == 'syrk':
        A = rng.standard_normal((n, n))
        return lambda: A.T @ A
    if op == 'svd':
        A = rng.standard_normal(tuple(n) if isinstance(n, list) else (n, n))
        return lambda: np.linalg.svd(A, full_matrices=False)
def best_of(fn):
    t0 = time.perf_counter(); fn(); once = time.perf_counter() - t0
    inner = max(1, int(np.ceil(MIN_SAMPLE_S / max(once, 1e-9))))
    best, used, r = float('inf'), 0.0, 0
    while r < MAX_REPEATS and (r < MIN_REPEATS or used < BUDGET_S):
        s0 = time.perf_counter()
        for _ in range(inner): fn()
        dt = time.perf_counter() - s0
        used += dt; best = min(best, dt / inner); r += 1
    return best
res = {}
for op, sizes in cfg['sizes'].items():
    for n in sizes:
        key = ('%d×%d' % tuple(n)) if isinstance(n, list) else str(n)
        res[op + ':' + key] = best_of(task(op, n))
json.dump({'times': res, 'numpy': np.__version__}, sys.stdout)
`;

function runNumpy(threads) {
  const env = {
    ...process.env,
    OPENBLAS_NUM_THREADS: String(threads),
    OMP_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
  };
  const input = JSON.stringify({
    sizes: SIZES,
    timing: [MIN_REPEATS, MAX_REPEATS, BUDGET_S, MIN_SAMPLE_S],
  });
  const r = spawnSync('python3', ['-c', PY], { input, env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error || r.status !== 0) {
    process.stderr.write(
      `  numpy (${threads} thread) unavailable: ${r.error?.message ?? r.stderr.trim().split('\n').pop()}\n`,
    );
    return null;
  }
  const parsed = JSON.parse(r.stdout);
  process.stderr.write(`  numpy ${parsed.numpy}, ${threads} thread(s): done\n`);
  return parsed;
}

// ---- report ------------------------------------------------------------------------------------

function fmtTime(s) {
  if (s === null || s === undefined || !Number.isFinite(s)) return '–';
  if (s < 1e-3) return `${(s * 1e6).toFixed(1)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(3)} s`;
}
const fmtRatio = (r) => (r === null ? '–' : `${r.toFixed(1)}×`);
const fmtGf = (g) => (g === null ? '' : g.toFixed(2));
const flops = (op, n) =>
  op.startsWith('gemm')
    ? 2 * n ** 3
    : op.startsWith('gemv')
      ? 2 * n ** 2
      : op === 'syrk'
        ? n * n * (n + 1)
        : null;

const backendName = typeof lib.getBackend === 'function' ? lib.getBackend().name : 'unknown';
process.stderr.write(`rnnscope linalg bench (backend: ${backendName}${quick ? ', quick' : ''})\n`);
const loadBefore = os.loadavg()[0];
const ours = runOurs();
const np1 = runNumpy(1);
const np2 = runNumpy(2);

const rows = [];
for (const [op, sizes] of Object.entries(SIZES)) {
  for (const n of sizes) {
    const key = `${op}:${label(n)}`;
    const t = ours[key];
    const t1 = np1?.times[key] ?? null;
    const t2 = np2?.times[key] ?? null;
    const f = flops(op, n);
    rows.push({
      op,
      n,
      ours_s: t,
      numpy_1t_s: t1,
      numpy_2t_s: t2,
      ratio_1t: t1 ? t / t1 : null,
      ratio_2t: t2 ? t / t2 : null,
      ours_gflops: f ? f / t / 1e9 : null,
      numpy_1t_gflops: f && t1 ? f / t1 / 1e9 : null,
      numpy_2t_gflops: f && t2 ? f / t2 / 1e9 : null,
    });
  }
}

const header = [
  'op',
  'N',
  'ours',
  'numpy 1T',
  'ours/np1',
  'numpy 2T',
  'ours/np2',
  'GF/s ours',
  'GF/s np1',
  'GF/s np2',
];
const table = rows.map((r) => [
  r.op,
  label(r.n),
  fmtTime(r.ours_s),
  fmtTime(r.numpy_1t_s),
  fmtRatio(r.ratio_1t),
  fmtTime(r.numpy_2t_s),
  fmtRatio(r.ratio_2t),
  fmtGf(r.ours_gflops),
  fmtGf(r.numpy_1t_gflops),
  fmtGf(r.numpy_2t_gflops),
]);
const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
const line = (cells) =>
  cells.map((x, c) => (c < 2 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
console.log(
  `\nratio = our time / numpy time (lower is better; > 1 means slower than numpy). backend: ${backendName}; *-wasm rows: ${wasm.name} kernels on wasm-resident operands`,
);
console.log(
  `CPU: ${os.cpus()[0]?.model ?? '?'} ×${os.cpus().length}, Node ${process.version}, numpy ${np1?.numpy ?? '?'}; 1-min load ${loadBefore.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}`,
);

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
const report = {
  date: new Date().toISOString(),
  quick,
  backend: backendName,
  node: process.version,
  numpy: np1?.numpy ?? null,
  cpu: os.cpus()[0]?.model ?? null,
  cores: os.cpus().length,
  load1: [loadBefore, os.loadavg()[0]],
  timing: {
    minRepeats: MIN_REPEATS,
    maxRepeats: MAX_REPEATS,
    budgetSeconds: BUDGET_S,
    minSampleSeconds: MIN_SAMPLE_S,
  },
  results: rows,
};
writeFileSync(`${resultsDir}latest.json`, `${JSON.stringify(report, null, 2)}\n`);
console.log(`written ${resultsDir}latest.json`);
