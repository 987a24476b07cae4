#!/usr/bin/env node
/**
 * Fixed-point benchmark: rnnscope's findFixedPoints against a numpy implementation of the same
 * Levenberg–Marquardt Gauss–Newton step, measured in the same run on the same machine.
 *
 *   node bench/fixedpoints.mjs            all cases (several minutes on 2 cores)
 *   node bench/fixedpoints.mjs --quick    the 16-unit flip-flop only
 *   node bench/fixedpoints.mjs --lib=PATH import the library from PATH (default ../dist/index.js)
 *
 * Cases:
 *  flipflop16  the 16-unit tanh RNN of test/fixtures/flipflop, 1024 initial states sampled (with
 *              replacement) from 64 task trials + N(0, 0.5²) jitter, as FixedPointFinder's
 *              example; ours: gauss-newton (default), also without early merging and with Adam on
 *              FixedPointFinder's schedule; numpy: the same LM iteration batched over all starts.
 *  memory1000  rate network, N = 1000, τ = 10: chaotic bulk W ~ N(0, 1.5²/N) plus a rank-3
 *              memory term (3/N)·Σ ξₖξₖᵀ (ξ ∈ {±1}ᴺ), 256 starts from 16 trajectories + jitter 0.5;
 *              ours: default (newton-krylov, Arnoldi for 10 leading eigenvalues); numpy: dense
 *              LM on the first 16 starts (time per start reported, total extrapolated).
 *  chaotic1000 rate network, N = 1000, g = 1.5, no structure, 256 starts from trajectories;
 *              ours: default (newton-krylov) on all, gauss-newton (matrix-free Levenberg–Marquardt)
 *              on the first 16; numpy: dense LM on the first 8 of those.
 *  fpf1000     FixedPointFinder's measured case: vanilla tanh RNN map x ← tanh(Wx), N = 1000,
 *              g = 1.5, 100 starts (steps 100–299 of 20 trajectories), matrix-free gauss-newton on
 *              the first 8; FixedPointFinder's 434 s and
 *              q results are quoted from shared/research/fixed-point-finder.md (not re-run here).
 * Timings are best-of-k where k > 1 (the machine is shared: expect noise). Results go to
 * bench/results/fixedpoints-latest.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const libArg = args.find((a) => a.startsWith('--lib='));
const libPath = libArg
  ? libArg.slice(6)
  : fileURLToPath(new URL('../dist/index.js', import.meta.url));
const lib = await import(pathToFileURL(libPath).href);
const A = await import(pathToFileURL(join(dirname(libPath), 'analysis/index.js')).href);
const tmp = mkdtempSync(join(os.tmpdir(), 'rnnscope-fpbench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

let backend;
try {
  backend = lib.createWasmBackend();
  lib.setBackend(backend);
} catch {
  backend = undefined;
}

const NUMPY_LM = String.raw`
import sys, json, time
import numpy as np
cfg = json.load(open(sys.argv[1]))
N = cfg['n']; kind = cfg['kind']; tau = cfg.get('tau', 1.0)
W = np.fromfile(cfg['W']).reshape(N, N)
b = np.fromfile(cfg['b']) if cfg.get('b') else np.zeros(N)
X = np.fromfile(cfg['starts']).reshape(-1, N)[: cfg.get('limit', None)].copy()
B = X.shape[0]; I = np.eye(N)
tolFixed = 0.5 * N * 1e-22
def vel(X):
    if kind == 'rnn': return np.tanh(X @ W.T + b) - X
    return (-X + np.tanh(X) @ W.T + b) / tau
def normal_eqs(X, F):
    if kind == 'rnn':
        d = 1 - np.tanh(X @ W.T + b) ** 2
        J = d[:, :, None] * W[None] - I
    else:
        d = 1 - np.tanh(X) ** 2
        J = (W[None] * d[:, None, :] - I) / tau
    Jt = np.transpose(J, (0, 2, 1))
    return Jt @ J, np.einsum('bij,bi->bj', J, F), np.sqrt(np.sum(J * J, axis=(1, 2)))
t0 = time.perf_counter()
F = vel(X); q = 0.5 * np.sum(F * F, axis=1)
mu = np.zeros(B); nu = np.full(B, 2.0); stall = np.zeros(B, int); its = np.zeros(B, int)
active = np.isfinite(q); fresh = np.zeros(B, bool)
H = np.zeros((B, N, N)); g = np.zeros((B, N))
chunk = max(1, int(2**25 // (N * N)))
while active.any():
    need = np.where(active & ~fresh)[0]
    for s in range(0, len(need), chunk):
        k = need[s:s + chunk]
        H[k], g[k], jn = normal_eqs(X[k], F[k])
        stat = np.linalg.norm(g[k], axis=1) <= 1e-10 * jn * np.sqrt(2 * q[k])
        active[k[stat]] = False
        m0 = mu[k] == 0
        mu[k[m0]] = 1e-3 * np.maximum(np.max(np.diagonal(H[k[m0]], axis1=1, axis2=2), axis=1), 1e-300)
    fresh[need] = True
    act = np.where(active)[0]
    if len(act) == 0: break
    delta = np.zeros((len(act), N))
    for s in range(0, len(act), chunk):
        k = act[s:s + chunk]
        delta[s:s + chunk] = np.linalg.solve(H[k] + mu[k, None, None] * I, -g[k][:, :, None])[:, :, 0]
    Xt = X[act] + delta; Ft = vel(Xt); qt = 0.5 * np.sum(Ft * Ft, axis=1)
    pred = 0.5 * np.sum(delta * (mu[act, None] * delta - g[act]), axis=1)
    rho = (q[act] - qt) / pred
    its[act] += 1
    ok = np.isfinite(qt) & (rho > 0) & (qt < q[act])
    a = act[ok]; r = act[~ok]
    floor = q[a] <= tolFixed
    done_floor = a[floor & (qt[ok] > 0.5 * q[a])]
    X[a] = Xt[ok]; F[a] = Ft[ok]; q[a] = qt[ok]; fresh[a] = False; stall[a] = 0
    t = 2 * rho[ok] - 1; mu[a] *= np.maximum(1 / 3, 1 - t ** 3); nu[a] = 2
    active[done_floor] = False
    mu[r] *= nu[r]; nu[r] *= 2; stall[r] += 1
    active[r[(stall[r] >= 10) | ((q[r] <= tolFixed) & (stall[r] >= 2))]] = False
    active[(q == 0) | (its >= 200)] = False
secs = time.perf_counter() - t0
json.dump({'seconds': secs, 'starts': int(B), 'q': q.tolist(), 'iterations': its.tolist(),
           'fixed': int(np.sum(q <= tolFixed)), 'threads': 'numpy default'}, sys.stdout)
`;

function numpyLm(cfg) {
  const file = join(tmp, 'cfg.json');
  writeFileSync(file, JSON.stringify(cfg));
  const py = join(tmp, 'lm.py');
  writeFileSync(py, NUMPY_LM);
  const r = spawnSync('python3', [py, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) return { error: (r.stderr || String(r.error)).trim().split('\n').pop() };
  return JSON.parse(r.stdout);
}

const dump = (name, data) => {
  const p = join(tmp, name);
  writeFileSync(p, Buffer.from(data.buffer, data.byteOffset, data.length * 8));
  return p;
};

function bestOf(k, fn) {
  let best;
  for (let i = 0; i < k; i++) {
    const t = performance.now();
    const value = fn();
    const s = (performance.now() - t) / 1000;
    if (!best || s < best.seconds) best = { seconds: s, value };
  }
  return best;
}

function describe(r) {
  const fixed = r.fixedPoints.filter((p) => p.kind === 'fixed');
  return {
    starts: r.summary,
    uniqueFixed: fixed.length,
    stable: r.summary.stable,
    maxQFixed: fixed.reduce((m, p) => Math.max(m, p.q), 0),
    leadingEigenvalue: fixed.map((p) => p.eigenvalues?.[0] ?? null),
    reasons: r.starts.reduce((m, s) => ((m[s.reason] = (m[s.reason] ?? 0) + 1), m), {}),
    timings: r.timings,
  };
}

const results = [];
const row = (name, who, seconds, note) => {
  results.push({ case: name, who, seconds, note });
  console.log(
    `${name.padEnd(12)} ${who.padEnd(34)} ${seconds === null ? '     -' : seconds.toFixed(3).padStart(8)} s  ${note}`,
  );
};

// ---- flipflop16 ----------------------------------------------------------------------------------
{
  const fixture = fileURLToPath(
    new URL('../test/fixtures/flipflop/flipflop-rnn16.json', import.meta.url),
  );
  const { params } = lib.loadModelSync(fixture);
  const model = lib.createModel(params);
  const rng = lib.createRng('flipflop bench');
  const runs = [];
  for (let k = 0; k < 64; k++) {
    const T = 200;
    const inp = lib.zeros(T, 3);
    for (let t = 0; t < T; t++)
      for (let c = 0; c < 3; c++)
        if (t === 0 || rng.uniform() < 0.05) inp.data[t * 3 + c] = rng.uniform() < 0.5 ? -1 : 1;
    runs.push(model.simulate(inp).states);
  }
  const starts = A.sampleStates(runs, 1024, lib.createRng(11), { replace: true, noise: 0.5 });
  const sys = A.batchModelSystem(params, new Float64Array(3), undefined, backend);
  A.findFixedPoints(sys, starts); // warm-up (JIT)
  const gn = bestOf(7, () => A.findFixedPoints(sys, starts));
  const d = describe(gn.value);
  row(
    'flipflop16',
    'ours gauss-newton (default)',
    gn.seconds,
    `${d.uniqueFixed} fixed (${d.stable} stable), max q ${d.maxQFixed.toExponential(1)}, ${d.starts.merged} merged early`,
  );
  const nm = bestOf(3, () => A.findFixedPoints(sys, starts, { earlyMerge: false }));
  row(
    'flipflop16',
    'ours gauss-newton, no early merge',
    nm.seconds,
    `${describe(nm.value).uniqueFixed} fixed`,
  );
  const ad = bestOf(2, () => A.findFixedPoints(sys, starts, { method: 'adam', periodic: 'never' }));
  const dq = ad.value.starts.map((s) => s.q);
  row(
    'flipflop16',
    'ours adam (FixedPointFinder sched.)',
    ad.seconds,
    `q ${Math.min(...dq).toExponential(1)}…${Math.max(...dq).toExponential(1)}, ${ad.value.summary.slow} slow / ${ad.value.summary.fixed} fixed`,
  );
  const np = [1, 2, 3].map(() =>
    numpyLm({
      n: 16,
      kind: 'rnn',
      W: dump('ffW.bin', params.W.data),
      b: dump('ffb.bin', params.bias),
      starts: dump('ffX.bin', starts.data),
    }),
  );
  const best = np.filter((r) => !r.error).sort((a, b) => a.seconds - b.seconds)[0];
  if (best)
    row(
      'flipflop16',
      'numpy LM (same step, batched)',
      best.seconds,
      `${best.fixed}/1024 starts fixed, max q ${Math.max(...best.q).toExponential(1)}`,
    );
  else row('flipflop16', 'numpy LM', null, np[0].error);
  results.at(-4).details = d;
  row(
    'flipflop16',
    'FixedPointFinder (quoted)',
    null,
    '0.7–2 s, Adam float32, q 1e-13…1e-15 (research notes)',
  );
}

if (!quick) {
  const rateNet = (N, g, c, seed) => {
    const rng = lib.createRng(seed);
    const W = lib.recurrentGaussian(N, g, rng);
    if (c > 0) {
      const xi = [0, 1, 2].map(() =>
        Float64Array.from({ length: N }, () => (rng.uniform() < 0.5 ? -1 : 1)),
      );
      for (let i = 0; i < N; i++)
        for (let j = 0; j < N; j++)
          W.data[i * N + j] +=
            (c / N) * (xi[0][i] * xi[0][j] + xi[1][i] * xi[1][j] + xi[2][i] * xi[2][j]);
    }
    return { params: { kind: 'rate', activation: { name: 'tanh' }, tau: 10, dt: 1, W }, rng };
  };
  const trajStarts = (params, rng, runs, steps, skip, count, noise, x0Scale) => {
    const model = lib.createModel(params);
    const N = params.W.rows;
    const T = [];
    for (let k = 0; k < runs; k++) {
      const x0 = Float64Array.from({ length: N }, () => x0Scale * rng.normal());
      const { states } = model.simulate(lib.zeros(steps, 0), x0);
      T.push({ rows: steps - skip, cols: N, data: states.data.slice(skip * N) });
    }
    return A.sampleStates(T, count, lib.createRng(2), { noise });
  };

  // ---- memory1000 ----
  {
    const { params, rng } = rateNet(1000, 1.5, 3, 'memory1000');
    const starts = trajStarts(params, rng, 16, 300, 0, 256, 0.5, 2);
    const sys = A.batchModelSystem(params, undefined, undefined, backend);
    const ours = bestOf(2, () => A.findFixedPoints(sys, starts));
    const d = describe(ours.value);
    row(
      'memory1000',
      'ours default (newton-krylov)',
      ours.seconds,
      `${d.uniqueFixed} fixed (${d.stable} stable), max q ${d.maxQFixed.toExponential(1)}; ${JSON.stringify(d.reasons)}; linearise ${ours.value.timings.linearise.toFixed(1)} s`,
    );
    results.at(-1).details = d;
    const np = numpyLm({
      n: 1000,
      kind: 'rate',
      tau: 10,
      W: dump('mW.bin', params.W.data),
      starts: dump('mX.bin', starts.data),
      limit: 16,
    });
    if (np.error) row('memory1000', 'numpy LM (dense, 16 starts)', null, np.error);
    else
      row(
        'memory1000',
        'numpy LM (dense, 16 starts)',
        np.seconds,
        `${np.fixed}/16 fixed; ×16 → ~${(np.seconds * 16).toFixed(0)} s for 256 starts (no eigenvalues)`,
      );
    sys.batch.release?.();
  }

  // ---- chaotic1000 ----
  {
    const { params, rng } = rateNet(1000, 1.5, 0, 'chaotic1000');
    const starts = trajStarts(params, rng, 8, 600, 100, 256, 0, 1);
    const sys = A.batchModelSystem(params, undefined, undefined, backend);
    const ours = bestOf(1, () => A.findFixedPoints(sys, starts));
    const d = describe(ours.value);
    const qs = ours.value.starts.map((s) => s.q).sort((a, b) => a - b);
    row(
      'chaotic1000',
      'ours default (newton-krylov)',
      ours.seconds,
      `${d.uniqueFixed} fixed, ${d.starts.slow} slow, ${d.starts.notConverged} not converged; median q ${qs[qs.length >> 1].toExponential(1)}; ${JSON.stringify(d.reasons)}`,
    );
    results.at(-1).details = d;
    // Matrix-free Levenberg–Marquardt (gauss-newton above denseLimit) on the first 16 starts,
    // and numpy's dense LM (the same iteration with exact solves) on the first 8 of them.
    const sub = { rows: 16, cols: 1000, data: starts.data.slice(0, 16 * 1000) };
    const lm = bestOf(1, () =>
      A.findFixedPoints(sys, sub, { method: 'gauss-newton', periodic: 'never' }),
    );
    const dl = describe(lm.value);
    const lq = lm.value.starts.map((s) => s.q).sort((a, b) => a - b);
    row(
      'chaotic1000',
      'ours gauss-newton (matrix-free), 16',
      lm.seconds,
      `${dl.uniqueFixed} fixed, ${dl.starts.slow} slow, ${dl.starts.notConverged} not converged; median q ${lq[8].toExponential(1)}; ${JSON.stringify(dl.reasons)}`,
    );
    results.at(-1).details = dl;
    const np = numpyLm({
      n: 1000,
      kind: 'rate',
      tau: 10,
      W: dump('cW.bin', params.W.data),
      starts: dump('cX.bin', sub.data),
      limit: 8,
    });
    if (np.error) row('chaotic1000', 'numpy LM (dense, 8 starts)', null, np.error);
    else {
      const nq = [...np.q].sort((a, b) => a - b);
      row(
        'chaotic1000',
        'numpy LM (dense, 8 of those starts)',
        np.seconds,
        `${np.fixed}/8 fixed; q median ${nq[4].toExponential(1)}; ×2 → ~${(np.seconds * 2).toFixed(0)} s for 16 starts`,
      );
    }
    sys.batch.release?.();
  }

  // ---- fpf1000: FixedPointFinder's own measurement case ----
  {
    const N = 1000;
    const rng = lib.createRng('fpf1000');
    const W = lib.recurrentGaussian(N, 1.5, rng);
    const params = { kind: 'rnn', activation: { name: 'tanh' }, W };
    const model = lib.createModel(params);
    const T = [];
    for (let k = 0; k < 20; k++) {
      const { states } = model.simulate(
        lib.zeros(300, 0),
        Float64Array.from({ length: N }, () => rng.normal()),
      );
      T.push({ rows: 200, cols: N, data: states.data.slice(100 * N) });
    }
    const starts = A.sampleStates(T, 100, lib.createRng(3), { replace: true });
    const sys = A.batchModelSystem(params, undefined, undefined, backend);
    const ours = bestOf(1, () => A.findFixedPoints(sys, starts, { periodic: 'never' }));
    const qs = ours.value.starts.map((s) => s.q).sort((a, b) => a - b);
    const below = qs.filter((q) => q < 1e-6).length;
    row(
      'fpf1000',
      'ours default (newton-krylov)',
      ours.seconds,
      `${ours.value.summary.fixed} fixed, ${ours.value.summary.slow} slow, ${ours.value.summary.notConverged} not conv.; ${below}/100 below q=1e-6; q min/median ${qs[0].toExponential(1)}/${qs[50].toExponential(1)}`,
    );
    results.at(-1).details = describe(ours.value);
    const sub = { rows: 8, cols: N, data: starts.data.slice(0, 8 * N) };
    const lm = bestOf(1, () =>
      A.findFixedPoints(sys, sub, { method: 'gauss-newton', periodic: 'never' }),
    );
    const lq = lm.value.starts.map((s) => s.q).sort((a, b) => a - b);
    row(
      'fpf1000',
      'ours gauss-newton (matrix-free), 8',
      lm.seconds,
      `${lm.value.summary.fixed} fixed, ${lm.value.summary.slow} slow, ${lm.value.summary.notConverged} not conv.; ${lq.filter((q) => q < 1e-6).length}/8 below q=1e-6; q min/median ${lq[0].toExponential(1)}/${lq[4].toExponential(1)}`,
    );
    results.at(-1).details = describe(lm.value);
    row(
      'fpf1000',
      'FixedPointFinder (quoted)',
      434,
      '0/100 below q=1e-6, q median 2.1e-3, all 97 reported as fixed points',
    );
    sys.batch.release?.();
  }
}

const out = {
  date: new Date().toISOString(),
  node: process.version,
  backend: backend ? backend.name : 'ts',
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  load1: os.loadavg().slice(0, 2),
  quick,
  results,
};
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/fixedpoints-latest.json', import.meta.url),
  JSON.stringify(out, null, 2) + '\n',
);
console.log(
  `\nbackend ${out.backend}; ${out.cores} cores (${out.cpu}), load ${out.load1.join(' ')}; written bench/results/fixedpoints-latest.json`,
);
