#!/usr/bin/env node
// Timing script (not a test): wasm DGEMM GFLOP/s at N = 256, 512, 1000 for both builds, with
// numpy (OpenBLAS, 1 thread) measured in the same run for reference.
//
//   node bench/wasm-gemm.mjs [N ...] [--trans=NN|NT|TN|TT] [--reps=R]
//
// Loads src/linalg/wasm/kernels-*.wasm directly (no TS build needed) and keeps the operands in
// wasm memory, i.e. it measures the zero-copy path that wasmMatrix operands take. Best of R
// repetitions after a warm-up call (the first call also pays V8's tier-up from Liftoff).
// On a shared machine the numbers are noisy: compare runs taken under the same load.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { URL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import v8 from 'node:v8';

const args = process.argv.slice(2);
const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
if (sizes.length === 0) sizes.push(256, 512, 1000);
const trans = (args.find((a) => a.startsWith('--trans=')) ?? '--trans=NN').slice(8);
const reps = Number((args.find((a) => a.startsWith('--reps=')) ?? '--reps=5').slice(7));
const [tA, tB] = [trans[0] === 'T' ? 1 : 0, trans[1] === 'T' ? 1 : 0];

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

function load(variant) {
  const bytes = readFileSync(
    new URL(`../src/linalg/wasm/kernels-${variant}.wasm`, import.meta.url),
  );
  if (!WebAssembly.validate(bytes)) return null;
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return { memory, exports };
}

function benchWasm(k, n) {
  const work = k.exports.gemmWorkBytes(n, n, n);
  const base = 1 << 16;
  const bytes = n * n * 8;
  const [a, b, c, w] = [base, base + bytes, base + 2 * bytes, base + 3 * bytes];
  const need = w + work;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  const heap = new Float64Array(k.memory.buffer);
  let s = 12345;
  for (let i = 0; i < 3 * n * n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    heap[a / 8 + i] = s / 2 ** 32 - 0.5;
  }
  const run = () => k.exports.gemm(tA, tB, n, n, n, 1, a, n, b, n, 0, c, n, w);
  const t0 = performance.now();
  run();
  const first = performance.now() - t0;
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    run();
    best = Math.min(best, performance.now() - t);
  }
  return { gflops: (2 * n ** 3) / (best * 1e6), ms: best, firstMs: first };
}

function benchNumpy(ns) {
  const py = `
import json, time, numpy as np
out = {}
for n in ${JSON.stringify(ns)}:
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)); b = rng.standard_normal((n, n)); c = np.empty((n, n))
    A = a.T if '${trans[0]}' == 'T' else a
    B = b.T if '${trans[1]}' == 'T' else b
    np.matmul(A, B, out=c)
    best = 1e9
    for _ in range(${reps}):
        t = time.perf_counter(); np.matmul(A, B, out=c); best = min(best, time.perf_counter() - t)
    out[n] = 2 * n**3 / best / 1e9
print(json.dumps(out))
`;
  const r = spawnSync('python3', ['-c', py], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0)
    return { error: (r.stderr || r.error?.message || 'python3 failed').trim().split('\n').pop() };
  return JSON.parse(r.stdout);
}

console.log(
  `node ${process.version}, ${cpus()[0]?.model ?? '?'} ×${cpus().length}, load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(`DGEMM ${trans}, C = A·B, N×N, best of ${reps}; GFLOP/s (first call ms)`);
const rows = [];
for (const variant of ['simd', 'fma']) {
  const k = load(variant);
  if (!k) {
    console.log(`${variant}: does not validate here`);
    continue;
  }
  for (const n of sizes) {
    const r = benchWasm(k, n);
    rows.push({ impl: `wasm ${variant}`, n, ...r });
  }
}
const np = benchNumpy(sizes);
for (const n of sizes) rows.push({ impl: 'numpy 1 thread', n, gflops: np.error ? NaN : np[n] });
if (np.error) console.log(`numpy: ${np.error}`);
const header = ['impl'.padEnd(16), ...sizes.map((n) => `N=${n}`.padStart(16))].join('');
console.log(header);
for (const impl of [...new Set(rows.map((r) => r.impl))]) {
  const cells = sizes.map((n) => {
    const r = rows.find((x) => x.impl === impl && x.n === n);
    const f = r.firstMs === undefined ? '' : ` (${r.firstMs.toFixed(0)})`;
    return `${r.gflops.toFixed(2)}${f}`.padStart(16);
  });
  console.log(impl.padEnd(16) + cells.join(''));
}
console.log(
  `load after: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
