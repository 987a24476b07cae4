#!/usr/bin/env node
/**
 * Decomposition benchmark: rnnscope's TS reference and wasm backends against numpy/scipy
 * (OpenBLAS), measured in the same run on the same machine.
 *
 *   node bench/decomp-sym.mjs             eigSym N=100/300/1000 (vectors) and N=1000 values-only,
 *                                         LU/Cholesky/QR N=1000, thin SVD 5000×500 and 2000×2000,
 *                                         PCA 100000×1000 (10 components)
 *   node bench/decomp-sym.mjs --quick     eigSym N=100/300, LU/Cholesky/QR N=300, SVD 1000×200 and
 *                                         500×500, PCA 20000×500
 *   node bench/decomp-sym.mjs --no-ts     skip the (slow) TS reference
 *   node bench/decomp-sym.mjs --rounds=R  interleaved rounds per operation (default 3)
 *   node bench/decomp-sym.mjs --lib=PATH  import the library from PATH (default ../dist/index.js)
 *   node bench/decomp-sym.mjs --json=FILE also write the rows as JSON
 *   node bench/decomp-sym.mjs --only=pca,qr  only these operations
 *
 * Ours runs on one thread (createWasmBackend({ threads: 1 })) and on the worker pool
 * (min(cores, 4) threads); numpy in two persistent child processes with OPENBLAS_NUM_THREADS
 * pinned to 1 and to the same thread count. For each operation the four are timed in turn, for a
 * few rounds, and each keeps its best time: on a shared machine whose load drifts, ours and numpy
 * are then measured under the same conditions. Each timing is the best of a few calls after a
 * warm-up call. PCA: ours streams the rows in 1000-row chunks (pca(iterable)); numpy holds X whole
 * and computes the mean, XᵀX − T·μμᵀ (syrk) and eigh, the fastest numpy route. Ratios are
 * ours / numpy.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const noTs = args.includes('--no-ts');
const opt = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const libUrl = opt('lib')
  ? pathToFileURL(opt('lib')).href
  : new URL('../dist/index.js', import.meta.url).href;
const lib = await import(libUrl);
const jsonOut = opt('json');
const ROUNDS = Number(opt('rounds') ?? 3);
const ONLY = opt('only')?.split(',');

const EIG_N = quick ? [100, 300] : [100, 300, 1000];
const FACT_N = quick ? 300 : 1000;
const PCA = quick ? { T: 20000, N: 500 } : { T: 100000, N: 1000 };
const SVD = quick
  ? [
      [1000, 200],
      [500, 500],
    ]
  : [
      [5000, 500],
      [2000, 2000],
    ];
const PCA_K = 10;
const CHUNK = 1000;
const THREADS = Math.min(os.cpus().length, 4);

// ---- data (LCG; content does not affect the timings) ------------------------------------------

let seed = 12345;
function uniform() {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296 - 0.5;
}
function random(m, n) {
  const data = new Float64Array(m * n);
  for (let i = 0; i < data.length; i++) data[i] = uniform();
  return { rows: m, cols: n, data };
}
function symmetric(n) {
  const A = random(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A.data[j * n + i] = A.data[i * n + j];
  return A;
}
function spd(n) {
  const B = random(n, n);
  const A = { rows: n, cols: n, data: new Float64Array(n * n) };
  lib.tsBackend.gemm(false, true, 1, B, B, 0, A);
  for (let i = 0; i < n; i++) A.data[i * n + i] += n;
  return A;
}
function pcaChunks(T, N) {
  // Correlated columns with non-zero means, generated once (800 MB for the full size).
  const chunks = [];
  for (let r = 0; r < T; r += CHUNK) {
    const c = random(Math.min(CHUNK, T - r), N);
    for (let i = 0; i < c.rows; i++) {
      let s = 0;
      for (let j = 0; j < N; j++) {
        s = 0.9 * s + c.data[i * N + j];
        c.data[i * N + j] = s + 0.01 * j;
      }
    }
    chunks.push(c);
  }
  return chunks;
}

// ---- numpy workers ----------------------------------------------------------------------------

const PY = String.raw`
import sys, json, time, numpy as np, scipy, scipy.linalg as sla
rng = np.random.default_rng(1)
cache = {}
def task(op, n, aux):
    key = (op, n, tuple(aux))
    if key in cache: return cache[key]
    cache.clear()  # one operation's data at a time (PCA's X is 800 MB)
    if op in ('eigSym', 'eigSym values'):
        B = rng.standard_normal((n, n)); S = (B + B.T) / 2
        f = (lambda: sla.eigh(S)) if op == 'eigSym' else (lambda: sla.eigh(S, eigvals_only=True))
    elif op == 'lu':
        A = rng.standard_normal((n, n)); f = lambda: sla.lu_factor(A)
    elif op == 'cholesky':
        A = rng.standard_normal((n, n)); P = A @ A.T + n * np.eye(n); f = lambda: np.linalg.cholesky(P)
    elif op == 'qr':
        A = rng.standard_normal((n, n)); f = lambda: np.linalg.qr(A, mode='reduced')
    elif op == 'svd':
        A = rng.standard_normal((aux[0], n)); f = lambda: np.linalg.svd(A, full_matrices=False)
    elif op == 'pca':
        T, k = aux
        X = rng.standard_normal((T, n))
        def f():
            mu = X.mean(axis=0)
            C = (X.T @ X - T * np.outer(mu, mu)) / (T - 1)
            w, V = np.linalg.eigh(C)
            return V[:, ::-1][:, :k]
    f()
    cache[key] = f
    return f
print(json.dumps({'numpy': np.__version__, 'scipy': scipy.__version__}), flush=True)
for line in sys.stdin:
    q = json.loads(line)
    f = task(q['op'], q['n'], q.get('aux', []))
    t = float('inf')
    for _ in range(q['reps']):
        t0 = time.perf_counter(); f(); t = min(t, time.perf_counter() - t0)
    print(json.dumps({'t': t}), flush=True)
`;

function startNumpy(threads) {
  const env = {
    ...process.env,
    OPENBLAS_NUM_THREADS: String(threads),
    OMP_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
  };
  const child = spawn('python3', ['-c', PY], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error(`numpy (${threads} threads) exited`);
    return JSON.parse(r.value);
  };
  const info = next();
  info.catch(() => {}); // awaited below; this only keeps a failed start from being "unhandled"
  return {
    info,
    async time(op, n, aux, reps) {
      child.stdin.write(`${JSON.stringify({ op, n, aux, reps })}\n`);
      return (await next()).t;
    },
    close: () => child.stdin.end(),
  };
}

let np1 = startNumpy(1);
let npT = startNumpy(THREADS);
let versions;
try {
  versions = await np1.info;
  await npT.info;
} catch (e) {
  process.stderr.write(`  numpy/scipy unavailable (${e.message}): numpy columns left empty\n`);
  np1 = npT = null;
}

// ---- timing -----------------------------------------------------------------------------------

function best(fn, reps) {
  // The first call warms up (JIT tier-up, first touch of wasm memory); a call of seconds is
  // past that point already, so it counts as a sample.
  const t0 = performance.now();
  fn();
  const first = performance.now() - t0;
  let t = first > 2000 ? first : Infinity;
  for (let r = first > 2000 ? 1 : 0; r < reps; r++) {
    const s = performance.now();
    fn();
    t = Math.min(t, performance.now() - s);
  }
  return t / 1000;
}
const repsFor = (n) => (n <= 300 ? 5 : 2);

const wasm = lib.createWasmBackend({ threads: 1 });
const wasmPool = lib.createWasmBackend({ threads: THREADS });
const ts = lib.tsBackend;
const rows = [];
const min = (a, b) => (a === null ? b : Math.min(a, b));

async function measure(op, n, size, task, reps, aux = []) {
  if (ONLY && !ONLY.includes(op)) return;
  const row = { op, size, ts: null, wasm: null, wasmPool: null, numpy1: null, numpyPool: null };
  for (let round = 0; round < ROUNDS; round++) {
    row.wasm = min(
      row.wasm,
      best(() => task(wasm), reps),
    );
    if (np1) row.numpy1 = min(row.numpy1, await np1.time(op, n, aux, reps));
    row.wasmPool = min(
      row.wasmPool,
      best(() => task(wasmPool), reps),
    );
    if (npT) row.numpyPool = min(row.numpyPool, await npT.time(op, n, aux, reps));
  }
  // The TS reference is 5–20× slower: one round, one timed call for the large sizes.
  // Its SVD (rotations, unblocked) would take minutes at the full sizes.
  const tsTooSlow = op === 'svd' && n * (aux[0] ?? n) > 1e6;
  if (!noTs && !tsTooSlow) row.ts = best(() => task(ts), n >= 1000 || op === 'pca' ? 1 : reps);
  process.stderr.write(
    `  ${op.padEnd(14)} ${size.padEnd(11)} wasm ${fmt(row.wasm)} / numpy ${fmt(row.numpy1)}` +
      `   ×${THREADS}: ${fmt(row.wasmPool)} / ${fmt(row.numpyPool)}   ts ${fmt(row.ts)}\n`,
  );
  rows.push(row);
}

function fmt(s) {
  if (s === null || s === undefined || !Number.isFinite(s)) return '–';
  if (s < 1) return `${(s * 1e3).toFixed(1)} ms`;
  return `${s.toFixed(2)} s`;
}

process.stderr.write(`rnnscope decomposition bench${quick ? ' (quick)' : ''}: ${wasm.name}\n`);
const load0 = os.loadavg()[0];
for (const n of EIG_N) {
  const A = symmetric(n);
  await measure('eigSym', n, `N=${n}`, (b) => b.eigSym(A, true), repsFor(n));
}
{
  const n = EIG_N[EIG_N.length - 1];
  const A = symmetric(n);
  await measure('eigSym values', n, `N=${n}`, (b) => b.eigSym(A, false), repsFor(n));
}
{
  const A = random(FACT_N, FACT_N);
  await measure('lu', FACT_N, `N=${FACT_N}`, (b) => b.lu(A), repsFor(FACT_N));
  const P = spd(FACT_N);
  await measure('cholesky', FACT_N, `N=${FACT_N}`, (b) => b.cholesky(P), repsFor(FACT_N));
  await measure('qr', FACT_N, `N=${FACT_N}`, (b) => b.qr(A), repsFor(FACT_N));
}
for (const [m, n] of SVD) {
  if (ONLY && !ONLY.includes('svd')) break;
  const A = random(m, n);
  await measure('svd', n, `${m}×${n}`, (b) => b.svd(A), m * n >= 2e6 ? 2 : 3, [m]);
}
if (!ONLY || ONLY.includes('pca')) {
  const chunks = pcaChunks(PCA.T, PCA.N);
  const run = (b) => {
    lib.setBackend(b);
    try {
      return lib.pca(chunks, { components: PCA_K });
    } finally {
      lib.setBackend(ts);
    }
  };
  await measure('pca', PCA.N, `${PCA.T}×${PCA.N}`, run, 1, [PCA.T, PCA_K]);
}
np1?.close();
npT?.close();

// ---- report -----------------------------------------------------------------------------------

const ratio = (a, b) => (a === null || !b ? '–' : `${(a / b).toFixed(2)}×`);
const header = [
  'op',
  'size',
  'ts',
  'wasm 1T',
  'numpy 1T',
  'wasm/np',
  'ts/np',
  `wasm ${THREADS}T`,
  `numpy ${THREADS}T`,
  'wasm/np',
];
const table = rows.map((r) => [
  r.op,
  r.size,
  fmt(r.ts),
  fmt(r.wasm),
  fmt(r.numpy1),
  ratio(r.wasm, r.numpy1),
  ratio(r.ts, r.numpy1),
  fmt(r.wasmPool),
  fmt(r.numpyPool),
  ratio(r.wasmPool, r.numpyPool),
]);
const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
const line = (cells) =>
  cells.map((x, c) => (c < 2 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
console.log(
  `\nratio = our time / numpy time (lower is better), best of ${ROUNDS} interleaved rounds. ` +
    'eigSym = scipy.linalg.eigh (evr); lu = lu_factor; qr = np.linalg.qr reduced (Q and R); ' +
    'svd = np.linalg.svd(full_matrices=False) (gesdd); ' +
    `pca: ours streams ${CHUNK}-row chunks, ${PCA_K} components; numpy: mean + XᵀX − Tμμᵀ + eigh on X in memory.`,
);
console.log(
  `CPU: ${os.cpus()[0]?.model ?? '?'} ×${os.cpus().length}, Node ${process.version}, ` +
    `numpy ${versions?.numpy ?? '?'}, scipy ${versions?.scipy ?? '?'}; ` +
    `1-min load ${load0.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}`,
);
if (jsonOut) {
  const report = { date: new Date().toISOString(), quick, backend: wasm.name, threads: THREADS };
  writeFileSync(jsonOut, `${JSON.stringify({ ...report, rows }, null, 2)}\n`);
}
