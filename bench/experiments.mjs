#!/usr/bin/env node
/**
 * Acceptance runs of the seed 000 §6–8 experiments at full size (too long for the unit tests),
 * through the library calls behind `rnnscope evolution | compare-geometry | robustness`:
 *
 *   evolution    3-bit FORCE flip-flop, N = 1000, seed-000 parameters, Wout snapshots spread
 *                over the 30000 steps (plus Wout = 0 at step 0): fixed points per snapshot with
 *                continuation, tracks, events, stable count, corners held, and the full spectrum
 *                of the origin (J = (W + Wfb·Wout − I)/τ there, since tanh′(0) = 1).
 *   geometry     4-bit FORCE flip-flops trained from scratch and from the 3-bit network
 *                (transferInit, seed 000 §7.1): their 16 stable points as numbers.
 *   robustness   W + η·N(0, 1) over η, several draws each: test MSE and stable / surviving
 *                fixed points, mean ± std, for tanh from scratch, tanh transferred, and logistic
 *                from scratch (seed 000 §8, fig. 9).
 *
 *   seeds        the robustness conditions for several seeds (MSE only): network-to-network
 *                spread against the differences between conditions.
 *
 *   node bench/experiments.mjs [--only=evolution,geometry,robustness,seeds] [--seeds=1,2,3]
 *                              [--quick] [--dist=DIR]
 *
 * The FORCE engine (src/train/force-engine.ts) implements tanh units only, so the logistic
 * network is trained here by `forceAnyActivation`, the same RLS equations in plain loops with
 * the backend's GEMV/GEMM; on tanh it reproduces trainForce's readout (checked and printed).
 *
 * Results: text on stdout, progress on stderr, JSON in bench/results/experiments-latest.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const a = args.find((s) => s.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const quick = args.includes('--quick');
const dist = arg('dist', fileURLToPath(new URL('../dist', import.meta.url)));
const only = arg('only', '') ? arg('only', '').split(',') : undefined;
const want = (s) => !only || only.includes(s);
const R = await import(pathToFileURL(`${dist}/index.js`).href);
const here = fileURLToPath(new URL('.', import.meta.url));

const N = quick ? 300 : 1000;
const STEPS = quick ? 10000 : 30000;
const SEED = 1;
const log = (s) => process.stderr.write(`${s}\n`);
const sig = (v, d = 3) => (Number.isFinite(v) ? Number(v.toPrecision(d)) : v);
const fmtPm = (s, d = 3) => (s && s.n > 0 ? `${sig(s.mean, d)} ± ${sig(s.std, 2)}` : '—');
const results = {
  machine: `${os.cpus()[0]?.model} ×${os.cpus().length}, Node ${process.version}, load ${os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')}`,
  started: new Date().toISOString(),
  units: N,
  steps: STEPS,
  seed: SEED,
};
const backend = R.createWasmBackend();
const seconds = (t0) => (performance.now() - t0) / 1000;

/** FORCE (RLS on the readout, loop closed) for rate models with any activation: see force.ts. */
function forceAnyActivation(params, inputs, targets, x0, { alpha = 1, delta = 2 } = {}) {
  const n = params.W.rows;
  const O = params.Wout.rows;
  const I = inputs.cols;
  const act = R.activation(params.activation);
  const W = R.toWasmMatrix(params.W);
  const P = R.wasmMatrix(n, n);
  const K = R.wasmMatrix(n, 1);
  const Kt = R.wasmMatrix(1, n);
  const p0 = P.data;
  for (let i = 0; i < n; i++) p0[i * n + i] = 1 / alpha;
  const Wfb = params.Wfb.data;
  const Win = params.Win?.data;
  const Wout = new Float64Array(O * n);
  const x = Float64Array.from(x0);
  const r = new Float64Array(n);
  const a = new Float64Array(n);
  const k = new Float64Array(n);
  const z = new Float64Array(O);
  const h = params.dt / params.tau;
  const readout = () => {
    for (let q = 0; q < O; q++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Wout[q * n + j] * r[j];
      z[q] = s;
    }
  };
  act.value(x, r, n);
  readout();
  for (let t = 0; t < inputs.rows; t++) {
    R.gemv(false, 1, W, r, 0, a);
    for (let i = 0; i < n; i++) {
      let s = a[i];
      for (let q = 0; q < O; q++) s += Wfb[i * O + q] * z[q];
      for (let q = 0; q < I; q++) s += Win[i * I + q] * inputs.data[t * I + q];
      x[i] += h * (s - x[i]);
    }
    act.value(x, r, n);
    readout();
    if ((t + 1) % delta === 0) {
      R.gemv(false, 1, P, r, 0, k);
      let rk = 0;
      for (let j = 0; j < n; j++) rk += r[j] * k[j];
      const c = 1 / (1 + rk);
      K.data.set(k);
      Kt.data.set(k);
      R.gemm(false, false, -c, K, Kt, 1, P); // P ← P − c·k·kᵀ
      for (let q = 0; q < O; q++) {
        const e = z[q] - targets.data[t * O + q];
        for (let j = 0; j < n; j++) Wout[q * n + j] -= c * e * k[j];
      }
      readout();
    }
  }
  for (const m of [W, P, K, Kt]) R.freeWasm(m);
  return R.fromData(O, n, Wout);
}

/** A FORCE flip-flop as trainTask builds it (same seed forks), with the given activation. */
function reservoirAndData(bits, activation, steps, seed = SEED) {
  const rng = R.createRng(seed);
  const params = R.createReservoir(
    { units: N, inputs: bits, outputs: bits, inputScale: 6, feedbackScale: 1.5 },
    rng.fork('init'),
  );
  params.activation = { name: activation };
  const xr = rng.fork('x0');
  const x0 = Float64Array.from({ length: N }, () => 0.5 * xr.normal());
  const task = R.createTask({ task: 'flipflop', bits });
  const trial = R.trialMatrices(task.sample(rng.fork('data'), 1, steps), 0);
  return { params, x0, trial, task };
}

/** The 4-bit logistic FORCE network of `seed`, tested like trainTask's (6 fresh trials). */
function trainedLogistic(seed) {
  const t0 = performance.now();
  const lg = reservoirAndData(4, 'logistic', STEPS, seed);
  lg.params.Wout = forceAnyActivation(lg.params, lg.trial.inputs, lg.trial.targets, lg.x0);
  const test = R.evaluateModel(lg.params, lg.task, R.createRng(seed).fork('test'), {
    trials: 6,
    x0: { randomScale: 0.5 },
  });
  log(
    `4-bit logistic scratch, seed ${seed}: trained in ${sig(seconds(t0))} s, test accuracy ${sig(100 * test.accuracy, 4)} %, mse ${sig(test.mse)}`,
  );
  return { params: lg.params, test };
}

async function trained(label, recipe) {
  const t0 = performance.now();
  const out = await R.trainTask({ testTrials: 6, steps: STEPS, units: N, seed: SEED, ...recipe });
  log(
    `${label}: trained in ${sig(seconds(t0))} s, test accuracy ${sig(100 * out.test.accuracy, 4)} %, mse ${sig(out.test.mse)}`,
  );
  return { ...out, label, trainSeconds: seconds(t0) };
}

const snapSteps = quick
  ? [100, 300, 1000, 3000, 10000]
  : [
      50, 100, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000, 25000,
      30000,
    ];
let net3;
if (want('evolution') || want('geometry') || want('robustness'))
  net3 = await trained('3-bit tanh', { task: { task: 'flipflop', bits: 3 }, snapshots: snapSteps });
const task3 = R.createTask({ task: 'flipflop', bits: 3 });

// ---------------------------------------------------------------------------------------------
if (want('evolution')) {
  const params = net3.params;
  const O = 3;
  const snapshots = [
    { step: 0, Wout: R.zeros(O, N) },
    ...net3.snapshots.map((s) => ({ step: s.step, Wout: R.fromRows(s.Wout) })),
  ];
  const t0 = performance.now();
  const made = R.experimentStarts(params, {
    task: task3,
    rng: R.createRng(SEED).fork('evolution starts'),
    samples: 64,
    perCorner: 1,
  });
  const evo = await R.fixedPointEvolution(
    R.woutStages(params, snapshots, { backend }),
    made.starts,
    {
      fixedPoints: { backend },
      onSnapshot: (s, done, total) =>
        log(
          `evolution ${done}/${total}: step ${s.step}: ${s.fixed} fixed, ${s.stable} stable (${sig(s.seconds)} s)`,
        ),
    },
  );
  // The origin: an exact fixed point of every snapshot; its full spectrum by dense eig.
  const originTrack = evo.tracks.find((t) => t.points.every((p) => p.norm === 0));
  const rows = evo.snapshots.map((s) => {
    const Weff = R.createModel({ ...params, Wout: snapshots[s.snapshot].Wout }).effectiveW();
    const { re } = R.eig(Weff, { vectors: false });
    const unstable = Array.from(re).filter((v) => v > 1).length;
    const lead = (Math.max(...re) - 1) / params.tau;
    const here = evo.tracks.flatMap((t) => t.points.filter((p) => p.snapshot === s.snapshot));
    const stable = here.filter((p) => p.stability === 'stable');
    const corners = new Set(
      stable
        .filter((p) => p.output && p.output.every((z) => Math.abs(Math.abs(z) - 1) < 0.25))
        .map((p) => R.cornerIndex(p.output)),
    );
    const ev = evo.events.filter((e) => e.snapshot === s.snapshot);
    return {
      step: s.step,
      fixed: s.fixed,
      stable: s.stable,
      cornersHeld: corners.size,
      originUnstableDims: unstable,
      originLeadingRate: lead,
      originTracked: Boolean(originTrack?.points.some((p) => p.snapshot === s.snapshot)),
      appear: ev.filter((e) => e.type === 'appear').length,
      vanish: ev.filter((e) => e.type === 'vanish').length,
      stabilityChanges: ev.filter((e) => e.type === 'stability').length,
      seconds: s.seconds,
    };
  });
  results.evolution = {
    train: { seconds: net3.trainSeconds, accuracy: net3.test.accuracy, mse: net3.test.mse },
    starts: made.counts,
    seconds: seconds(t0),
    table: rows,
    scale: evo.scale,
    matchRadius: evo.matchRadius,
    tracks: evo.tracks.length,
    events: evo.events.length,
    result: evo,
  };
  console.log(
    `\n## Evolution (3-bit FORCE, N = ${N}, ${made.starts.rows} starts + continuation, ${sig(seconds(t0))} s)\n`,
  );
  console.log(
    '| step | fixed | stable | corners held | origin unstable dims | origin max Re λ | appear | vanish | stability changes |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.step} | ${r.fixed} | ${r.stable} | ${r.cornersHeld} | ${r.originUnstableDims} | ${sig(r.originLeadingRate)} | ${r.appear} | ${r.vanish} | ${r.stabilityChanges} |`,
    );
}

// ---------------------------------------------------------------------------------------------
let net4s;
let net4t;
if (want('geometry') || want('robustness')) {
  net4s = await trained('4-bit tanh scratch', { task: { task: 'flipflop', bits: 4 } });
  net4t = await trained('4-bit tanh transferred', {
    task: { task: 'flipflop', bits: 4 },
    transferFrom: net3.params,
  });
}
const task4 = R.createTask({ task: 'flipflop', bits: 4 });
const sweepLevels = quick
  ? { etas: [0, 0.001, 0.01, 0.05], draws: 2 }
  : { etas: [0, 1e-4, 3e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2], draws: 4 };

if (want('geometry')) {
  const out = {};
  for (const [name, net, task] of [
    ['3-bit', net3, task3],
    ['4-bit scratch', net4s, task4],
    ['4-bit transferred', net4t, task4],
  ]) {
    const t0 = performance.now();
    const g = await R.flipFlopGeometry(net.params, task, {
      seed: SEED,
      samples: 64,
      perCorner: 2,
      fixedPoints: { backend },
    });
    log(
      `geometry ${name}: ${2 ** g.bits - g.missing.length}/${2 ** g.bits} corners (${sig(seconds(t0))} s)`,
    );
    out[name] = { ...g, accuracy: net.test.accuracy, mse: net.test.mse };
  }
  const a = out['4-bit scratch'].geometry;
  const b = out['4-bit transferred'].geometry;
  const comparison = a && b ? R.compareGeometry(a, b) : undefined;
  results.geometry = { ...out, comparison };
  console.log('\n## Geometry of the stable points\n');
  console.log(
    '| network | test acc. | corners | edge per bit (mean ± std) | Hamming 1…B rel. | residual | RMS cos | PCA variance ratios | 3-D picture (PR) |',
  );
  console.log('| --- | ---: | ---: | --- | --- | ---: | ---: | --- | --- |');
  for (const [name, g] of Object.entries(out)) {
    const geo = g.geometry;
    const cells = geo
      ? [
          geo.edges.map((e) => `${sig(e.mean)} ± ${sig(e.std, 2)}`).join('; '),
          geo.hamming.map((h) => sig(h.relative)).join(', '),
          sig(geo.parallelotope.residual),
          sig(geo.parallelotope.rmsCosine),
          geo.pca.varianceRatio
            .slice(0, g.bits + 1)
            .map((v) => sig(v, 2))
            .join(', '),
          geo.projection?.participation !== undefined
            ? `${geo.projection.shape} (PR ${sig(geo.projection.participation)}; n = ${geo.projection.nullVector.map((v) => sig(v, 2)).join(', ')}; axis 3/4 variance ${sig(geo.projection.axisGap)})`
            : '—',
        ]
      : ['—', '—', '—', '—', '—', `missing corners ${g.missing.join(', ')}`];
    console.log(
      `| ${name} | ${sig(100 * g.accuracy, 4)} % | ${2 ** g.bits - g.missing.length}/${2 ** g.bits} | ${cells.join(' | ')} |`,
    );
  }
  if (comparison)
    console.log(
      `\nscratch vs transferred: distance correlation ${sig(comparison.distanceCorrelation)}, RMS difference of scale-free distances ${sig(comparison.rmsDistanceDifference)}, scale ratio ${sig(comparison.scaleRatio)}; relative edges scratch ${comparison.relativeEdges.map((e) => sig(e.a)).join(', ')}, transferred ${comparison.relativeEdges.map((e) => sig(e.b)).join(', ')}`,
    );
}

// ---------------------------------------------------------------------------------------------
if (want('robustness')) {
  // The generic RLS loop against the FORCE engine on tanh (same reservoir, data, start).
  const check = reservoirAndData(3, 'tanh', 2000);
  const mine = forceAnyActivation(check.params, check.trial.inputs, check.trial.targets, check.x0);
  const ref = { ...check.params, Wout: R.zeros(3, N) };
  await R.trainForce(ref, check.trial.inputs, check.trial.targets, { x0: check.x0 });
  let d = 0;
  let m = 0;
  for (let i = 0; i < mine.data.length; i++) {
    d = Math.max(d, Math.abs(mine.data[i] - ref.Wout.data[i]));
    m = Math.max(m, Math.abs(ref.Wout.data[i]));
  }
  log(`forceAnyActivation vs trainForce (tanh, 2000 steps): max |ΔWout| / max |Wout| = ${d / m}`);

  const lg = trainedLogistic(SEED);
  const lgTest = lg.test;
  const nets = [
    ['tanh, scratch', net4s.params, net4s.test],
    ['tanh, transferred from 3-bit', net4t.params, net4t.test],
    ['logistic, scratch', lg.params, lgTest],
  ];
  const { etas, draws } = sweepLevels;
  const sweeps = {};
  for (const [name, params, test] of nets) {
    const t1 = performance.now();
    const r = await R.weightNoiseRobustness(params, {
      task: task4,
      etas,
      draws,
      seed: SEED,
      evaluate: { trials: 2, x0: { randomScale: 0.5 } },
      fixedPointOptions: { backend },
      onDraw: (row, done, total) =>
        log(
          `robustness ${name} ${done}/${total}: η ${row.eta} draw ${row.draw}: mse ${sig(row.mse)}, ${row.stable} stable, ${row.surviving} surviving (${sig(row.seconds)} s)`,
        ),
    });
    sweeps[name] = {
      ...r,
      trainedTest: { accuracy: test.accuracy, mse: test.mse },
      seconds: seconds(t1),
    };
  }
  results.robustness = { forceCheck: d / m, sweeps };
  console.log(
    `\n## Robustness to W + η·N(0, 1) (4-bit, N = ${N}, ${draws} draws per η, 2 test trials of 5000 steps)\n`,
  );
  console.log(
    '| η | η√N | ' + nets.map(([n]) => `${n}: MSE | stable | surviving`).join(' | ') + ' |',
  );
  console.log('| ---: | ---: | ' + nets.map(() => '---: | ---: | ---:').join(' | ') + ' |');
  etas.forEach((eta, i) => {
    const cells = nets.map(([n]) => {
      const l = sweeps[n].levels[i];
      return `${fmtPm(l.mse)} | ${fmtPm(l.stable)} | ${fmtPm(l.surviving)}`;
    });
    console.log(`| ${eta} | ${sig(eta * Math.sqrt(N))} | ${cells.join(' | ')} |`);
  });
  console.log(
    '\nunperturbed: ' +
      nets
        .map(
          ([n]) =>
            `${n}: MSE ${sig(sweeps[n].baseline.mse)}, ${sweeps[n].baseline.stable} stable (test acc. ${sig(100 * sweeps[n].trainedTest.accuracy, 4)} %)`,
        )
        .join('; '),
  );
}

// ---------------------------------------------------------------------------------------------
// Network-to-network spread: the three conditions for several seeds (MSE only, no fixed points),
// so a difference between conditions can be told from a difference between two networks.
if (want('seeds')) {
  const seeds = arg('seeds', quick ? '1,2' : '1,2,3')
    .split(',')
    .map(Number);
  const { etas, draws } = sweepLevels;
  const conditions = ['tanh, scratch', 'tanh, transferred from 3-bit', 'logistic, scratch'];
  const perSeed = {};
  for (const seed of seeds) {
    const n3 = await trained(`3-bit tanh, seed ${seed}`, {
      task: { task: 'flipflop', bits: 3 },
      seed,
    });
    const nets = {
      [conditions[0]]: await trained(`4-bit tanh scratch, seed ${seed}`, {
        task: { task: 'flipflop', bits: 4 },
        seed,
      }),
      [conditions[1]]: await trained(`4-bit tanh transferred, seed ${seed}`, {
        task: { task: 'flipflop', bits: 4 },
        seed,
        transferFrom: n3.params,
      }),
      [conditions[2]]: trainedLogistic(seed),
    };
    perSeed[seed] = {};
    for (const c of conditions) {
      const t1 = performance.now();
      const r = await R.weightNoiseRobustness(nets[c].params, {
        task: task4,
        etas,
        draws,
        seed,
        evaluate: { trials: 2, x0: { randomScale: 0.5 } },
        fixedPoints: false,
      });
      perSeed[seed][c] = {
        accuracy: nets[c].test.accuracy,
        testMse: nets[c].test.mse,
        mse: r.levels.map((l) => l.mse.mean),
        mseStd: r.levels.map((l) => l.mse.std),
      };
      log(`seeds: ${c}, seed ${seed}: sweep in ${sig(seconds(t1))} s`);
    }
  }
  const across = Object.fromEntries(
    conditions.map((c) => [
      c,
      etas.map((_, i) => R.summarize(seeds.map((sd) => perSeed[sd][c].mse[i]))),
    ]),
  );
  results.seeds = { seeds, etas, draws, perSeed, across };
  console.log(
    `\n## Robustness across networks (seeds ${seeds.join(', ')}; per seed the mean MSE over ${draws} draws; mean ± std over seeds)\n`,
  );
  console.log('| η | ' + conditions.join(' | ') + ' |');
  console.log('| ---: | ' + conditions.map(() => '---:').join(' | ') + ' |');
  etas.forEach((eta, i) =>
    console.log(`| ${eta} | ${conditions.map((c) => fmtPm(across[c][i])).join(' | ')} |`),
  );
  console.log(
    '\ntest accuracy of the networks: ' +
      conditions
        .map(
          (c) =>
            `${c}: ${seeds.map((sd) => `${sig(100 * perSeed[sd][c].accuracy, 4)} %`).join(', ')}`,
        )
        .join('; '),
  );
}

results.finished = new Date().toISOString();
mkdirSync(`${here}/results`, { recursive: true });
const file = `${here}/results/experiments-${quick ? 'quick' : 'latest'}.json`;
// With --only, the sections run now replace theirs in the stored results; the others stay.
let stored = {};
if (only && existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8'));
writeFileSync(file, R.stringifyCompact({ ...stored, ...results }));
log(`wrote ${file}`);
