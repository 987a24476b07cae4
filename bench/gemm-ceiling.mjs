#!/usr/bin/env node
/**
 * Why the GEMM target "≥ 70 % of numpy single-threaded" cannot be met on a CPU with 256- or 512-bit
 * FMA units: measures, in one run and interleaved,
 *   - the per-core peak float64 FMA throughput at 128, 256 and 512 bits (bench/fma-peak.c, gcc),
 *   - numpy's single-threaded DGEMM N=1000 (OPENBLAS_NUM_THREADS=1) and the OpenBLAS kernel it uses,
 *   - our wasm DGEMM N=1000 on one thread, operands in wasm memory,
 * and prints each as a fraction of its own vector width's peak and the ceiling that wasm's 128-bit
 * SIMD puts on ours/numpy.
 *
 *   node bench/gemm-ceiling.mjs [--rounds=R] [--n=N] [--lib=PATH]
 *
 * Needs gcc for the peak (skipped with a message otherwise) and python3 + numpy.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROUNDS = Number(opt('rounds') ?? 5);
const N = Number(opt('n') ?? 1000);
const libUrl = opt('lib')
  ? pathToFileURL(opt('lib')).href
  : new URL('../dist/index.js', import.meta.url).href;
const lib = await import(libUrl);

// ---- FMA peak (C) -----------------------------------------------------------------------------

function buildPeak() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rnnscope-peak-'));
  const exe = path.join(dir, 'fma-peak');
  const src = fileURLToPath(new URL('./fma-peak.c', import.meta.url));
  const r = spawnSync('gcc', ['-O2', '-mfma', '-o', exe, src], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    process.stderr.write(
      `  gcc unavailable or failed (${r.error?.message ?? r.stderr.trim()}): no peak\n`,
    );
    return null;
  }
  return exe;
}
function runPeak(exe) {
  const r = spawnSync(exe, [], { encoding: 'utf8' });
  const out = {};
  for (const line of r.stdout.trim().split('\n')) {
    const [bits, gf] = line.split(' ');
    if (bits) out[bits] = Number(gf);
  }
  return out;
}

// ---- numpy (persistent child, one thread) -------------------------------------------------------

const PY = String.raw`
import sys, json, time, ctypes, glob, os, numpy as np
core = None
libs = glob.glob(os.path.join(os.path.dirname(np.__file__), '..', 'numpy.libs', '*openblas*'))
for p in libs:
    try:
        l = ctypes.CDLL(p)
        for name in ('scipy_openblas_get_corename64_', 'scipy_openblas_get_corename', 'openblas_get_corename64_', 'openblas_get_corename'):
            if hasattr(l, name):
                f = getattr(l, name); f.restype = ctypes.c_char_p; core = f().decode(); break
    except OSError:
        pass
    if core: break
rng = np.random.default_rng(1)
n = int(sys.argv[1])
A = rng.standard_normal((n, n)); B = rng.standard_normal((n, n)); C = np.empty((n, n))
np.matmul(A, B, out=C)
print(json.dumps({'numpy': np.__version__, 'core': core}), flush=True)
for line in sys.stdin:
    reps = json.loads(line)['reps']
    t = float('inf')
    for _ in range(reps):
        t0 = time.perf_counter(); np.matmul(A, B, out=C); t = min(t, time.perf_counter() - t0)
    print(json.dumps({'t': t}), flush=True)
`;

function startNumpy() {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  const child = spawn('python3', ['-c', PY, String(N)], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error('numpy exited');
    return JSON.parse(r.value);
  };
  return {
    info: next(),
    async time(reps) {
      child.stdin.write(`${JSON.stringify({ reps })}\n`);
      return (await next()).t;
    },
    close: () => child.stdin.end(),
  };
}

// ---- ours -------------------------------------------------------------------------------------

const wasm = lib.createWasmBackend({ threads: 1 });
function randomWasm(n) {
  const M = lib.wasmMatrix(n, n);
  const d = M.data;
  for (let i = 0; i < d.length; i++) d[i] = Math.sin(i * 0.7548776662) * 2;
  return M;
}
const A = randomWasm(N);
const B = randomWasm(N);
const C = lib.wasmMatrix(N, N);
const ours = (reps) => {
  let t = Infinity;
  for (let r = 0; r < reps; r++) {
    const s = performance.now();
    wasm.gemm(false, false, 1, A, B, 0, C);
    t = Math.min(t, performance.now() - s);
  }
  return t / 1000;
};
ours(3); // warm-up: tier-up from Liftoff

const exe = buildPeak();
const np = startNumpy();
const info = await np.info;
const load0 = os.loadavg()[0];
let best = { ours: Infinity, numpy: Infinity };
const peak = {};
for (let r = 0; r < ROUNDS; r++) {
  if (exe)
    for (const [bits, gf] of Object.entries(runPeak(exe)))
      peak[bits] = Math.max(peak[bits] ?? 0, gf);
  best.numpy = Math.min(best.numpy, await np.time(3));
  best.ours = Math.min(best.ours, ours(3));
  process.stderr.write(`  round ${r + 1}/${ROUNDS}\n`);
}
np.close();

const flops = 2 * N ** 3;
const gf = { ours: flops / best.ours / 1e9, numpy: flops / best.numpy / 1e9 };
// OpenBLAS's DYNAMIC_ARCH kernel names and the vector width their DGEMM uses.
const coreBits = (core) =>
  /skylakex|cooperlake|sapphire|zen4|zen5/i.test(core ?? '')
    ? 512
    : /haswell|zen|skylake|excavator|steamroller/i.test(core ?? '')
      ? 256
      : null;
const npBits = coreBits(info.core);
const pct = (x, y) => (x && y ? `${((100 * x) / y).toFixed(0)} %` : '–');
const rows = [
  ['FMA peak, 128-bit (wasm f64x2)', peak[128], null],
  ['FMA peak, 256-bit (AVX2)', peak[256], null],
  ['FMA peak, 512-bit (AVX-512)', peak[512], null],
  [
    `numpy DGEMM N=${N}, 1 thread (OpenBLAS ${info.core ?? '?'})`,
    gf.numpy,
    npBits ? peak[npBits] : null,
  ],
  [`ours wasm DGEMM N=${N}, 1 thread`, gf.ours, peak[128]],
];
console.log("what                                             GFLOP/s  of its width's peak");
for (const [what, g, p] of rows)
  console.log(`${what.padEnd(48)} ${g ? g.toFixed(1).padStart(7) : '      –'}  ${pct(g, p)}`);
const ceiling = peak[128] ? peak[128] / gf.numpy : null;
console.log(
  `\nours/numpy = ${(gf.ours / gf.numpy).toFixed(2)}; ceiling for a 128-bit kernel at 100 % of its peak: ` +
    `${ceiling ? ceiling.toFixed(2) : '–'} (peak128 / numpy's measured rate)`,
);
console.log(
  `CPU: ${os.cpus()[0]?.model ?? '?'} ×${os.cpus().length}, Node ${process.version}, numpy ${info.numpy}; ` +
    `1-min load ${load0.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}; best of ${ROUNDS} interleaved rounds`,
);
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(
  `${dir}gemm-ceiling-latest.json`,
  `${JSON.stringify({ date: new Date().toISOString(), n: N, peak, gflops: gf, openblasCore: info.core, numpy: info.numpy, load: [load0, os.loadavg()[0]] }, null, 2)}\n`,
);
