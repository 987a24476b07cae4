#!/usr/bin/env node
/**
 * Acceptance run of the excitable-network-attractor graph and the echo index on FORCE-trained
 * 3-bit flip-flops (N = 1000, seed-000 parameters, through `trainTask` — the code path of
 * `rnnscope train flipflop`):
 *
 *   good   30000 FORCE steps (the seed's): the graph should have the 8 corners as nodes and the
 *          24 single-bit flips as edges; the echo index under zero input should equal the number
 *          of stable fixed points and fall to 1 for large random input.
 *   bad    2000 FORCE steps: its extra / missing nodes and wrong edges should be reported.
 *
 *   node bench/attractors.mjs [--seed=1] [--sweep=0,0.25,1,4,16] [--starts=64] [--steps=600]
 *                             [--dist=DIR] [--out=FILE] [--only=good|bad]
 *
 * Prints a summary and writes bench/results/attractors-latest.json (or --out). Timings are wall
 * clock and process CPU (all threads) per phase; the machine may be shared: expect noise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const a = args.find((s) => s.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const dist = arg('dist', fileURLToPath(new URL('../dist', import.meta.url)));
const seed = Number(arg('seed', '1'));
const sweep = arg('sweep', '0,0.25,1,4,16').split(',').map(Number);
const starts = Number(arg('starts', '64'));
const steps = Number(arg('steps', '600'));
const only = arg('only', '');
const out = arg('out', fileURLToPath(new URL('./results/attractors-latest.json', import.meta.url)));

const { trainTask } = await import(pathToFileURL(`${dist}/train/recipe.js`).href);
const lib = await import(pathToFileURL(`${dist}/index.js`).href);
const { attractorGraph, echoIndexSweep } = lib;

const round = (v, d = 4) => (Number.isFinite(v) ? Number(v.toPrecision(d)) : v);
function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const cpu = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}
async function timedAsync(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const cpu = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

const runs = [];
for (const [name, forceSteps] of [
  ['good', 30000],
  ['bad', 2000],
]) {
  if (only && only !== name) continue;
  console.error(
    `[${name}] training FORCE 3-bit flip-flop, N = 1000, ${forceSteps} steps, seed ${seed}`,
  );
  const trained = await timedAsync(() =>
    trainTask({ task: { task: 'flipflop', bits: 3 }, trainer: 'force', seed, steps: forceSteps }),
  );
  const params = trained.value.params;
  console.error(
    `[${name}] trained in ${round(trained.wall, 3)} s, test accuracy ${round(trained.value.test?.accuracy ?? NaN)}`,
  );

  console.error(`[${name}] attractor graph`);
  const graph = timed(() =>
    attractorGraph(params, {
      task: trained.value.recipe.task,
      seed,
      onProgress: (p) =>
        console.error(`  ${p.phase} ${p.done}/${p.total} ${round(p.elapsedSeconds, 3)} s`),
    }),
  );
  const g = graph.value;
  const f = g.flipflop;
  const missingFlips = new Set(f.missingEdges.map((m) => `${m.from}@${m.channel}`)).size;
  const summary = {
    nodes: g.nodes.length,
    patterns: g.nodes.map((n) => n.pattern),
    edges: g.edges.length,
    expectedFlipsFound: f.expectedEdges - missingFlips,
    unexpectedEdges: f.unexpectedEdges.length,
    thresholds: g.edges.map((e) => ({
      from: g.nodes[e.from].pattern,
      to: g.nodes[e.to].pattern,
      channel: e.channel,
      sign: e.sign,
      threshold: round(e.threshold, 5),
      bracket: round(e.bracketWidth, 2),
      saddle: e.saddle
        ? {
            dims: e.saddle.unstableDims,
            kind: e.saddle.kind,
            rel: round(e.saddle.relativeDistance, 3),
            near: e.saddle.stepsNear,
          }
        : null,
    })),
    saddles: g.saddles.length,
    flipflopOk: f.ok,
    missingPatterns: f.missingPatterns,
    duplicatePatterns: f.duplicatePatterns,
    ambiguousNodes: f.ambiguousNodes.map((k) => g.nodes[k].pattern),
    diagnostics: g.diagnostics.map((d) => `${d.level} ${d.code}: ${d.message}`),
    rowSteps: g.work.rowSteps,
    phaseSeconds: Object.fromEntries(
      Object.entries(g.work.seconds).map(([k, v]) => [k, round(v, 3)]),
    ),
    wall: round(graph.wall, 3),
    cpu: round(graph.cpu, 3),
  };
  console.error(
    `[${name}] graph: ${summary.nodes} nodes, ${summary.edges} edges in ${summary.wall} s (cpu ${summary.cpu} s)`,
  );

  console.error(`[${name}] echo index sweep ${sweep.join(', ')}`);
  const echo = timed(() =>
    echoIndexSweep(params, sweep, {
      input: { kind: 'random', amplitude: 1 },
      starts,
      steps,
      seed,
      regionSamples: 32,
      onProgress: (p) =>
        console.error(`  ${p.phase} ${p.done}/${p.total} ${round(p.elapsedSeconds, 3)} s`),
    }),
  );
  const stable = g.nodes.length;
  runs.push({
    name,
    forceSteps,
    train: {
      seconds: round(trained.wall, 3),
      accuracy: trained.value.test?.accuracy,
      mse: trained.value.test?.mse,
    },
    graph: summary,
    echo: {
      stableFixedPoints: stable,
      table: echo.value.table.map((r) => ({
        amplitude: r.amplitude,
        echoIndex: r.echoIndex,
        fractions: r.fractions.map((x) => round(x, 3)),
        sampledMax: round(r.sampledMax, 4),
        slowestProbeRate: round(r.slowestProbeRate, 4),
      })),
      warnings: echo.value.results.flatMap((r) =>
        r.warnings.map((w) => `A=${r.input.amplitude}: ${w}`),
      ),
      analytic: echo.value.analytic && {
        bound: round(echo.value.analytic.bound, 5),
        normWeff: round(echo.value.analytic.normWeff, 5),
      },
      wall: round(echo.wall, 3),
      cpu: round(echo.cpu, 3),
    },
  });
}

// Report.
for (const r of runs) {
  const g = r.graph;
  console.log(
    `\n== ${r.name}: FORCE ${r.forceSteps} steps (seed ${seed}), test accuracy ${round(r.train.accuracy)}, trained in ${r.train.seconds} s`,
  );
  console.log(
    `graph: ${g.nodes} nodes [${g.patterns.join(' ')}], ${g.edges} edges, ${g.expectedFlipsFound}/24 single-bit flips, ${g.unexpectedEdges} unexpected, ${g.saddles} saddles; flip-flop ok: ${g.flipflopOk}`,
  );
  console.log(
    `       ${g.wall} s wall, ${g.cpu} s CPU; phases ${JSON.stringify(g.phaseSeconds)}; row-steps ${JSON.stringify(g.rowSteps)}`,
  );
  if (g.missingPatterns.length)
    console.log(`       missing patterns: ${g.missingPatterns.join(' ')}`);
  if (g.ambiguousNodes.length) console.log(`       ambiguous nodes: ${g.ambiguousNodes.join(' ')}`);
  const thr = g.thresholds.map((t) => t.threshold);
  console.log(
    `       thresholds: min ${Math.min(...thr)}, median ${thr.sort((a, b) => a - b)[Math.floor(thr.length / 2)]}, max ${Math.max(...thr)}`,
  );
  for (const d of g.diagnostics.filter((s) => !s.startsWith('info'))) console.log(`       ${d}`);
  console.log(
    `echo index (${starts} starts × ${steps} steps, random U(−1,1)·A on all inputs): stable fixed points ${r.echo.stableFixedPoints}`,
  );
  for (const t of r.echo.table)
    console.log(
      `       A = ${String(t.amplitude).padEnd(5)} index ${String(t.echoIndex).padEnd(3)} fractions ${t.fractions.join(' ')}  sampled max‖DG‖ ${t.sampledMax}  slowest probe rate ${t.slowestProbeRate}`,
    );
  if (r.echo.analytic)
    console.log(
      `       analytic bound ${r.echo.analytic.bound} (‖Weff‖₂ ${r.echo.analytic.normWeff})`,
    );
  for (const w of r.echo.warnings) console.log(`       warning ${w}`);
  console.log(`       ${r.echo.wall} s wall, ${r.echo.cpu} s CPU`);
}

mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        load: os.loadavg(),
        node: process.version,
      },
      seed,
      sweep,
      starts,
      steps,
      runs,
    },
    null,
    1,
  ) + '\n',
);
console.error(`wrote ${out}`);
