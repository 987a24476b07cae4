#!/usr/bin/env node
// Timing script (not a test): the wasm worker pool's scaling, 1 thread against N threads, with
// numpy (OpenBLAS) on 1 and 2 threads measured in the same run.
//
//   node bench/pool.mjs                    GEMM N = 1000, 2000; GEMV N = 1000, 3000
//   node bench/pool.mjs --sweep            also small sizes, to place the work threshold
//   node bench/pool.mjs --threads=3        compare 1 thread with 3 (default 2)
//   node bench/pool.mjs --dist=DIR         import the library from DIR (default ../dist)
//
// Operands live in wasm memory (the zero-copy path). The pool is called at the pointer level
// with no threshold and adaptation off, so the sweep shows the raw cost of splitting; the defaults
// (GEMM_MIN_FLOPS, GEMV_MIN_FLOPS in src/linalg/wasm/pool.ts) come from that sweep. Each
// number is the best of several samples after a warm-up. The machine is shared: compare numbers
// from one run, and look at the load printed before and after.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const sweep = args.includes('--sweep');
const threads = Number(opt('threads', '2'));
const dist = opt('dist', fileURLToPath(new URL('../dist', import.meta.url)));
if (!existsSync(`${dist}/linalg/wasm/pool.js`)) {
  console.error(`no ${dist}/linalg/wasm/pool.js: run npm run build (or pass --dist=DIR)`);
  process.exit(1);
}
const lib = (p) => import(pathToFileURL(`${dist}/${p}`).href);
const { loadWasmKernels } = await lib('linalg/wasm/load.js');
const { createWorkerPool } = await lib('linalg/wasm/pool.js');

const kernels = await loadWasmKernels();
const single = createWorkerPool({ kernels, threads: 1 });
// Raw splitting: no threshold, not adaptive (an adaptive pool would stop splitting what loses).
const multi = createWorkerPool({ kernels, threads, minFlops: 0, minGemvFlops: 0, adaptive: false });
const active = await multi.ready();
if (active !== threads) console.log(`warning: only ${active} threads (${multi.fallbackReason})`);

function randomIn(n) {
  const ptr = kernels.arena.alloc(n * 8);
  const v = kernels.arena.f64(ptr, n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    v[i] = s / 2 ** 32 - 0.5;
  }
  return ptr;
}

/** Best seconds per call; calls are batched until one sample lasts ≥ 20 ms. */
function best(fn, samples) {
  fn();
  let batch = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    if (performance.now() - t >= 20 || batch >= 1 << 16) break;
    batch *= 2;
  }
  let b = Infinity;
  for (let s = 0; s < samples; s++) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    b = Math.min(b, (performance.now() - t) / 1000 / batch);
  }
  return b;
}

/** Median seconds per call when calls come 2 ms apart, so that the workers are asleep. */
function isolated(fn) {
  fn();
  const times = [];
  for (let r = 0; r < 41; r++) {
    const until = performance.now() + 2;
    while (performance.now() < until);
    const t = performance.now();
    fn();
    times.push((performance.now() - t) / 1000);
  }
  return times.sort((x, y) => x - y)[20];
}

function gemmRate(pool, n, samples, apart = false) {
  const [a, b, c] = [randomIn(n * n), randomIn(n * n), randomIn(n * n)];
  const call = () => pool.gemm(0, 0, n, n, n, 1, a, n, b, n, 0, c, n);
  const s = apart ? isolated(call) : best(call, samples);
  for (const p of [a, b, c]) kernels.arena.free(p);
  return (2 * n ** 3) / s / 1e9;
}

function gemvRate(pool, n, samples, apart = false) {
  const [a, x, y] = [randomIn(n * n), randomIn(n), randomIn(n)];
  const call = () => pool.gemv(0, n, n, 1, a, n, x, 0, y);
  const s = apart ? isolated(call) : best(call, samples);
  for (const p of [a, x, y]) kernels.arena.free(p);
  return (2 * n * n) / s / 1e9;
}

function numpy(nThreads, gemmSizes, gemvSizes) {
  const py = `
import json, time, numpy as np
def best(f, samples):
    f(); batch = 1
    while True:
        t = time.perf_counter()
        for _ in range(batch): f()
        if time.perf_counter() - t >= 0.02 or batch >= 65536: break
        batch *= 2
    b = 1e9
    for _ in range(samples):
        t = time.perf_counter()
        for _ in range(batch): f()
        b = min(b, (time.perf_counter() - t) / batch)
    return b
rng = np.random.default_rng(0); out = {'gemm': {}, 'gemv': {}}
for n in ${JSON.stringify(gemmSizes)}:
    a = rng.standard_normal((n, n)); b = rng.standard_normal((n, n)); c = np.empty((n, n))
    out['gemm'][n] = 2 * n**3 / best(lambda: np.matmul(a, b, out=c), 3 if n >= 2000 else 5) / 1e9
for n in ${JSON.stringify(gemvSizes)}:
    a = rng.standard_normal((n, n)); x = rng.standard_normal(n); y = np.empty(n)
    out['gemv'][n] = 2 * n * n / best(lambda: np.matmul(a, x, out=y), 7) / 1e9
print(json.dumps(out))
`;
  const t = String(nThreads);
  const r = spawnSync('python3', ['-c', py], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: t, OMP_NUM_THREADS: t, MKL_NUM_THREADS: t },
    encoding: 'utf8',
  });
  if (r.status !== 0) return { error: (r.stderr || 'python3 failed').trim().split('\n').pop() };
  return JSON.parse(r.stdout);
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(
  `node ${process.version}, ${os.cpus()[0]?.model ?? '?'} ×${os.cpus().length}, ` +
    `wasm ${kernels.variant}, load ${load()}`,
);

const rows = [];
const gemmSizes = [1000, 2000];
const gemvSizes = [1000, 3000];
for (const n of gemmSizes) {
  const samples = n >= 2000 ? 3 : 5;
  rows.push(['GEMM', n, gemmRate(single, n, samples), gemmRate(multi, n, samples)]);
}
for (const n of gemvSizes) rows.push(['GEMV', n, gemvRate(single, n, 9), gemvRate(multi, n, 9)]);
const np1 = numpy(1, gemmSizes, gemvSizes);
const np2 = numpy(2, gemmSizes, gemvSizes);

const fmt = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–').padStart(9);
console.log(
  `\nGFLOP/s, best of 3–9 samples   wasm 1 thr  wasm ${threads} thr   scaling   numpy 1   numpy 2   np scaling`,
);
for (const [op, n, one, many] of rows) {
  const key = op.toLowerCase();
  const [p1, p2] = [np1[key]?.[n] ?? NaN, np2[key]?.[n] ?? NaN];
  console.log(
    `${op} N=${n}`.padEnd(30) +
      fmt(one) +
      fmt(many) +
      `${(many / one).toFixed(2)}×`.padStart(11) +
      fmt(p1) +
      fmt(p2) +
      `${(p2 / p1).toFixed(2)}×`.padStart(11),
  );
}
if (np1.error) console.log(`numpy: ${np1.error}`);

if (sweep) {
  console.log(
    `\nsmall sizes: speed-up of ${threads} threads over 1 (> 1: splitting pays), ` +
      'back-to-back calls (best) | calls 2 ms apart (median)',
  );
  const ratio = (rate, n) => (apart) =>
    (rate(multi, n, 15, apart) / rate(single, n, 15, apart)).toFixed(2);
  for (const n of [16, 24, 32, 48, 64, 80, 100, 128, 160]) {
    const r = ratio(gemmRate, n);
    console.log(`GEMM N=${n} (${(2 * n ** 3).toExponential(1)} flops): ${r(false)} | ${r(true)}`);
  }
  for (const n of [100, 150, 200, 300, 400, 600, 800]) {
    const r = ratio(gemvRate, n);
    console.log(`GEMV N=${n} (${(2 * n * n).toExponential(1)} flops): ${r(false)} | ${r(true)}`);
  }
}
console.log(`load after: ${load()}`);
await multi.close();
