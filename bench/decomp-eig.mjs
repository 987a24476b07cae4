#!/usr/bin/env node
// Timing script (not a test): general eigendecomposition, ours (TS reference and wasm) against
// numpy/LAPACK dgeev on the same matrices in the same run, and Krylov–Schur `eigs` against
// scipy.sparse.linalg.eigs (ARPACK).
//
//   node bench/decomp-eig.mjs [--large] [--ts-large] [--no-arnoldi] [--np-threads=T] [--lib=PATH]
//
//   --large        add N = 3000 (wasm and numpy; the TS reference takes minutes there)
//   --ts-large     time the TS reference at N = 3000 too
//   --no-arnoldi   skip eigs (k = 10 of N = 3000; with the dense check, a minute or two)
//   --np-threads   OpenBLAS threads for numpy/scipy (default 1: ours is single-threaded)
//   --lib          the library entry (default ../dist/index.js; build with `npm run build`)
//
// Matrices: i.i.d. N(0, 1/N) (an RNN-like Jacobian with spectral radius ≈ 1), generated here and
// handed to Python through a raw float64 file, so both sides factor identical matrices. Each
// number is the best of a few repetitions after a warm-up call; the machine is shared, so compare
// numbers from one run, not across runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) =>
  (args.find((a) => a.startsWith(`--${name}=`)) ?? `--${name}=${fallback}`).split('=')[1];
const libUrl = flag('lib')
  ? pathToFileURL(option('lib', '')).href
  : args.some((a) => a.startsWith('--lib='))
    ? pathToFileURL(option('lib', '')).href
    : new URL('../dist/index.js', import.meta.url).href;
const lib = await import(libUrl);
const npThreads = option('np-threads', '1');
const sizes = [100, 300, 1000, ...(flag('large') ? [3000] : [])];
const repeats = (n) => (n <= 100 ? 7 : n <= 300 ? 4 : n <= 1000 ? 2 : 1);
const dir = mkdtempSync(join(tmpdir(), 'rnnscope-bench-'));

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

function randomMatrix(n, seed) {
  const rng = mulberry32(seed);
  const data = new Float64Array(n * n);
  const s = 1 / Math.sqrt(n);
  for (let i = 0; i < data.length; i++) {
    const u = 1 - rng();
    data[i] = s * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  }
  const file = join(dir, `A${n}.f64`);
  writeFileSync(file, new Uint8Array(data.buffer));
  return { A: { rows: n, cols: n, data }, file };
}

/** Best wall time in seconds of `reps` calls after one warm-up call. */
function bestOf(fn, reps) {
  fn();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return best;
}

function python(script, input) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: npThreads, OMP_NUM_THREADS: npThreads };
  const r = spawnSync('python3', ['-c', script], {
    input: JSON.stringify(input),
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.error || r.status !== 0) {
    process.stderr.write(
      `python3 failed: ${r.error?.message ?? r.stderr.trim().split('\n').pop()}\n`,
    );
    return null;
  }
  return JSON.parse(r.stdout);
}

const NUMPY_EIG = String.raw`
import sys, json, time, numpy as np
cfg = json.load(sys.stdin)
n = cfg['n']
A = np.fromfile(cfg['file'], dtype=np.float64).reshape(n, n)
def best(fn):
    fn(); b = float('inf')
    for _ in range(cfg['reps']):
        t = time.perf_counter(); fn(); b = min(b, time.perf_counter() - t)
    return b
json.dump({'values': best(lambda: np.linalg.eigvals(A)), 'vectors': best(lambda: np.linalg.eig(A)),
           'version': np.__version__}, sys.stdout)
`;

const fmt = (s) =>
  s == null ? '—' : s < 1 ? `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms` : `${s.toFixed(2)} s`;
const ratio = (a, b) => (a == null || b == null ? '—' : `${(a / b).toFixed(2)}×`);

console.log(
  `node ${process.version}, ${cpus()[0]?.model ?? '?'} ×${cpus().length}, load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; numpy with ${npThreads} OpenBLAS thread(s)`,
);
const wasm = lib.createWasmBackend({ threads: 1 });
const ts = lib.tsBackend;
console.log(`wasm build: ${wasm.name}\n`);
const rows = [];
for (const n of sizes) {
  const { A, file } = randomMatrix(n, n);
  const reps = repeats(n);
  const runTs = n < 3000 || flag('ts-large');
  const ours = {
    tsValues: runTs ? bestOf(() => ts.eig(A, { vectors: false }), reps) : null,
    tsVectors: runTs ? bestOf(() => ts.eig(A), reps) : null,
    wasmValues: bestOf(() => wasm.eig(A, { vectors: false }), reps),
    wasmVectors: bestOf(() => wasm.eig(A), reps),
  };
  const np = python(NUMPY_EIG, { n, file, reps }) ?? {};
  for (const [mode, t, w, p] of [
    ['values', ours.tsValues, ours.wasmValues, np.values],
    ['values+vectors', ours.tsVectors, ours.wasmVectors, np.vectors],
  ]) {
    rows.push({ n, mode, ts: t, wasm: w, numpy: p });
    process.stderr.write(`  N=${n} ${mode}: ts ${fmt(t)}, wasm ${fmt(w)}, numpy ${fmt(p)}\n`);
  }
}

console.log('eig (general real), best wall time');
console.log(
  `${'N'.padStart(5)}  ${'mode'.padEnd(15)} ${'TS'.padStart(9)} ${'wasm'.padStart(9)} ${'numpy'.padStart(9)}   ${'wasm/numpy'.padStart(10)} ${'TS/numpy'.padStart(9)} ${'TS/wasm'.padStart(8)}`,
);
for (const r of rows) {
  console.log(
    `${String(r.n).padStart(5)}  ${r.mode.padEnd(15)} ${fmt(r.ts).padStart(9)} ${fmt(r.wasm).padStart(9)} ${fmt(r.numpy).padStart(9)}   ${ratio(r.wasm, r.numpy).padStart(10)} ${ratio(r.ts, r.numpy).padStart(9)} ${ratio(r.ts, r.wasm).padStart(8)}`,
  );
}

if (!flag('no-arnoldi')) {
  // eigs: k = 10 largest-modulus eigenvalues of a 3000×3000 matrix, the operator a wasm GEMV on a
  // matrix held in wasm memory; scipy gets the dense array (ARPACK calling OpenBLAS dgemv).
  const n = 3000;
  const k = 10;
  const tol = 1e-12;
  const { A, file } = randomMatrix(n, 7);
  const W = lib.toWasmMatrix(A);
  const x = lib.wasmVector(n);
  const y = lib.wasmVector(n);
  const matvec = (v, out) => {
    x.data.set(v);
    wasm.gemv(false, 1, W, x.data, 0, y.data);
    out.set(y.data);
  };
  const t0 = performance.now();
  const r = lib.eigs(n, matvec, { k, tol });
  const ours = (performance.now() - t0) / 1000;
  const sp = python(
    String.raw`
import sys, json, time, numpy as np, scipy.sparse.linalg as spl
cfg = json.load(sys.stdin)
n = cfg['n']
A = np.fromfile(cfg['file'], dtype=np.float64).reshape(n, n)
count = [0]
def mv(v):
    count[0] += 1
    return A @ v
op = spl.LinearOperator((n, n), matvec=mv, dtype=np.float64)
t = time.perf_counter()
w = spl.eigs(op, k=cfg['k'], which='LM', tol=cfg['tol'])[0]
dt = time.perf_counter() - t
truth = np.linalg.eigvals(A)  # untimed: the reference both are checked against
json.dump({'time': dt, 'matvecs': count[0], 're': w.real.tolist(), 'im': w.imag.tolist(),
           'tre': truth.real.tolist(), 'tim': truth.imag.tolist()}, sys.stdout)
`,
    { n, file, k: r.re.length, tol },
  );
  console.log(
    `\neigs (Krylov–Schur), k = ${k} (${r.re.length} returned: pairs are not split), N = ${n}, tol ${tol}, LM`,
  );
  console.log(`  ours  ${fmt(ours).padStart(8)}  ${r.matvecs} matvecs, ${r.iterations} restarts`);
  if (sp) {
    // Which of the truly leading eigenvalues (dense numpy) each method returned: on a clustered
    // spectrum (the circular law) Krylov methods can converge to a set that misses some.
    const order = sp.tre.map((_, i) => i);
    order.sort((a, b) => Math.hypot(sp.tre[b], sp.tim[b]) - Math.hypot(sp.tre[a], sp.tim[a]));
    const lead = order.slice(0, r.re.length);
    const found = (re, im) =>
      lead.filter((j) => re.some((x, i) => Math.hypot(x - sp.tre[j], im[i] - sp.tim[j]) < 1e-8))
        .length;
    const worst = (re, im) => {
      let w = 0;
      for (let i = 0; i < re.length; i++) {
        let best = Infinity;
        for (let j = 0; j < sp.tre.length; j++)
          best = Math.min(best, Math.hypot(re[i] - sp.tre[j], im[i] - sp.tim[j]));
        w = Math.max(w, best);
      }
      return w.toExponential(1);
    };
    console.log(`  scipy ${fmt(sp.time).padStart(8)}  ${sp.matvecs} matvecs (ARPACK)`);
    console.log(`  ours/scipy ${ratio(ours, sp.time)}`);
    console.log(
      `  leading ${lead.length} found: ours ${found(Array.from(r.re), Array.from(r.im))}, scipy ${found(sp.re, sp.im)}; ` +
        `max distance to an eigenvalue: ours ${worst(Array.from(r.re), Array.from(r.im))}, scipy ${worst(sp.re, sp.im)}`,
    );
  }
}
rmSync(dir, { recursive: true, force: true });
