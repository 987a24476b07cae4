/**
 * The echo index (seed 002): drive M initial states with one input sequence, discard a
 * transient, and count the distinct attracting responses. Index 1 is the echo state property;
 * under zero input the index is the number of point attractors, and seed 002's theorems say it
 * stays there for small inputs and falls to 1 for large ones.
 */
import { zeros, type Matrix } from '../../linalg/index.js';
import { createModel } from '../../models/index.js';
import type { ModelParams } from '../../models/types.js';
import { createRng } from '../../random/index.js';
import { stateScale } from '../fixed-points/dedupe.js';
import { analyticBound, jacobianNorms, type ContractionBound } from './contraction.js';
import { exponentialRate } from './decay.js';
import { describeInput, inputPattern } from './echo-input.js';
import {
  clusterWindow,
  convergingPairs,
  dist,
  driveEnsemble,
  newtonLimits,
  type Snapshots,
} from './echo-run.js';
import { resolveEchoOptions } from './echo-options.js';
import type { EchoCluster, EchoIndexOptions, EchoIndexResult } from './echo-types.js';
import { modelStepper, type ModelStepper } from './stepper.js';

/** The sampled sup‖DG‖₂: half the points on the driven trajectories, half between two of them. */
function sampledNorm(
  stepper: ModelStepper,
  snaps: Snapshots,
  rows: readonly number[],
  offsets: Matrix,
  from: number,
  samples: number,
  jitter: number,
  scale: number,
  rng: ReturnType<typeof createRng>,
  iterations: number,
): ContractionBound['sampled'] {
  const N = stepper.dim;
  const I = stepper.inputs;
  const pool = snaps.times.flatMap((t, j) => (t >= from && t > 0 ? [j] : []));
  if (samples === 0 || rows.length === 0 || pool.length === 0) return null;
  const S = zeros(samples, N);
  const U = zeros(samples, I);
  const last = offsets.rows - 1;
  for (let k = 0; k < samples; k++) {
    const j = pool[rng.integer(pool.length)];
    const a = rows[rng.integer(rows.length)];
    const b = rows[rng.integer(rows.length)];
    const lambda = k % 2 === 0 ? 0 : rng.uniform();
    const x = snaps.states[j];
    for (let i = 0; i < N; i++)
      S.data[k * N + i] =
        x[a * N + i] +
        lambda * (x[b * N + i] - x[a * N + i]) +
        (jitter * scale * rng.normal()) / Math.sqrt(N);
    // The state after step t is next mapped with input row t.
    const t = Math.min(snaps.times[j], last);
    for (let i = 0; i < I; i++) U.data[k * I + i] = offsets.data[t * I + i];
  }
  const est = jacobianNorms(stepper, S, U, rng, iterations);
  const sorted = Array.from(est.norms).sort((p, q) => p - q);
  return {
    max: sorted[sorted.length - 1],
    median: sorted[Math.floor(sorted.length / 2)],
    fractionBelowOne: sorted.filter((v) => v < 1).length / sorted.length,
    points: sorted.length,
    method: est.method,
    ...(est.convergence !== undefined ? { convergence: est.convergence } : {}),
    holds: sorted[sorted.length - 1] < 1,
  };
}

/** Generator form of `echoIndex` (yields once per simulated step). */
export function* echoIndexSearch(
  params: ModelParams,
  options: EchoIndexOptions = {},
): Generator<void, EchoIndexResult> {
  const model = createModel(params);
  const { units: N, inputs: I, outputs: O } = model.sizes;
  const o = resolveEchoOptions(options, model.sizes);
  const { steps: T, transient, window } = o;
  const rng = createRng(o.seed);
  const { xi, amplitude } = inputPattern(o.input, o.maxSteps, I, o.channels, rng.fork('input'));
  const offsets = zeros(o.maxSteps, I); // A·ξ, offsets from the baseline
  for (let k = 0; k < o.maxSteps * I; k++) offsets.data[k] = amplitude * xi.data[k];

  const xrng = rng.fork('x0');
  const extra = options.states;
  const M = o.starts + (extra?.rows ?? 0);
  const X = zeros(M, N);
  for (let k = 0; k < o.starts * N; k++) X.data[k] = o.x0Scale * xrng.normal();
  if (extra) X.data.set(extra.data.subarray(0, extra.rows * N), o.starts * N);
  const scale = stateScale(X).scale;
  const tol = o.clusterTol * scale;

  const t0 = performance.now();
  const stop = () => Boolean(options.shouldStop?.());
  let lastReport = 0;
  const report = (phase: 'simulate' | 'probes' | 'region', done: number, total: number) => {
    if (!options.onProgress || performance.now() - lastReport < 500) return;
    lastReport = performance.now();
    options.onProgress({ phase, done, total, elapsedSeconds: (performance.now() - t0) / 1000 });
  };
  const warnings: string[] = [];
  const stepper = modelStepper(params, options.baseline, options.backend);
  try {
    // 1. All starts for T steps: float32 snapshots (dense in the window), float64 states at the
    //    end of the transient (where the probes start).
    const stride = Math.max(1, Math.ceil(T / 64));
    const ws = Math.max(1, Math.floor(window / 8));
    const snaps: Snapshots = { times: [0], states: [Float32Array.from(X.data)] };
    const x0 = transient === 0 ? Float64Array.from(X.data) : undefined;
    const run = yield* driveEnsemble(
      stepper,
      X,
      M,
      offsets,
      0,
      T,
      (t) => t % stride === 0 || t === T || (t >= T - window && (T - t) % ws === 0),
      snaps,
      stop,
      transient,
      (t) => report('simulate', t, T),
    );
    const atTransient = x0 ?? run.copy;
    let interrupted = run.steps < T;
    const tSim = (performance.now() - t0) / 1000;

    // 2. Responses: cluster over the window, then follow the representatives for longer while
    //    some of them are still approaching each other (one attractor, converging slowly).
    const ok: number[] = [];
    const diverged: number[] = [];
    for (let r = 0; r < M; r++) {
      let finite = true;
      for (let i = 0; i < N && finite; i++) finite = Number.isFinite(X.data[r * N + i]);
      (finite ? ok : diverged).push(r);
    }
    let meanNorm = 0;
    for (const r of ok) meanNorm += dist(X.data, r * N, new Float64Array(N), 0, N) / ok.length;
    const level = scale + meanNorm;
    const first = clusterWindow(snaps, ok, N, run.steps - window, tol);
    let reps = first.reps;
    let members = first.members;
    const spread = [...first.spread];
    let repStates = zeros(reps.length, N);
    reps.forEach((r, k) => repStates.data.set(X.data.subarray(r * N, (r + 1) * N), k * N));
    let total = run.steps;
    let repSnaps = snaps;
    let repRows = reps; // rows of repSnaps holding each representative
    const extension = Math.max(window, Math.ceil(T / 2));
    let checkFrom = transient;
    // Under a constant input the responses are fixed points (or cycles): follow them until
    // they are at rest — slow spirals of a badly trained network take thousands of steps.
    let constant = true;
    for (let k = 0; k < offsets.data.length && constant; k++) constant = offsets.data[k] === 0;
    const stillMoving = (): number => {
      if (!constant) return 0;
      const Y = zeros(reps.length, N);
      stepper.step(repStates, reps.length, Y, { u: stepper.baseline });
      let moving = 0;
      for (let k = 0; k < reps.length; k++)
        if (dist(Y.data, k * N, repStates.data, k * N, N) > 1e-4 * tol) moving++;
      return moving;
    };
    while (!interrupted && reps.length > 1) {
      const pairs = convergingPairs(repSnaps, repRows, N, checkFrom, 1e-6 * level);
      const moving = stillMoving();
      if (pairs.length === 0 && moving === 0) break;
      if (total + extension > o.maxSteps) {
        // Out of steps. Responses approaching each other like a clean exponential are one
        // attractor converging slowly; under a constant input, Newton's method on the map
        // gives the fixed point each still-moving response is heading for.
        const root = reps.map((_, k) => k);
        const find = (k: number): number => (root[k] === k ? k : (root[k] = find(root[k])));
        for (const [a, b] of pairs) root[find(b)] = find(a);
        if (pairs.length > 0)
          warnings.push(
            `${pairs.length} pair${pairs.length === 1 ? '' : 's'} of responses still approached each other exponentially after ${total} steps (maxSteps ${o.maxSteps}): merged as one slowly converging attractor (raise steps to see it converge)`,
          );
        if (moving > 0) {
          const limits = yield* newtonLimits(
            params,
            stepper.baseline,
            repStates,
            options.backend,
            stop,
          );
          const first = new Map<number, number>();
          limits.forEach((id, k) => {
            if (id < 0) return;
            const f = first.get(id);
            if (f === undefined) first.set(id, k);
            else root[find(k)] = find(f);
          });
          const reached = limits.filter((id) => id >= 0).length;
          warnings.push(
            `${moving} response${moving === 1 ? ' was' : 's were'} still converging after ${total} steps under a constant input (maxSteps ${o.maxSteps}); Newton's method on the map from the final states found the fixed points ${reached} of the ${reps.length} responses head for (${first.size} distinct), and responses heading for the same one were merged`,
          );
        }
        const groups = new Map<number, number[]>();
        reps.forEach((_, k) => groups.set(find(k), [...(groups.get(find(k)) ?? []), k]));
        const last = repSnaps.states[repSnaps.states.length - 1];
        const merged = [...groups.values()];
        const keepRows = merged.map((g) => g[0]);
        members = merged.map((g) => g.flatMap((k) => members[k]).sort((a, b) => a - b));
        const newSpread = merged.map((g) =>
          Math.max(
            ...g.map((k) => spread[k] ?? 0),
            ...g.map((k) => dist(last, repRows[k] * N, last, repRows[g[0]] * N, N)),
          ),
        );
        spread.length = 0;
        spread.push(...newSpread);
        const states = zeros(keepRows.length, N);
        keepRows.forEach((k, g) =>
          states.data.set(repStates.data.subarray(k * N, (k + 1) * N), g * N),
        );
        repStates = states;
        reps = keepRows.map((k) => reps[k]);
        break;
      }
      const R = reps.length;
      const ext: Snapshots = { times: [], states: [] };
      const end = total + extension;
      const more = yield* driveEnsemble(
        stepper,
        repStates,
        R,
        offsets,
        total,
        end,
        (t) =>
          t === end ||
          (t - total) % Math.max(1, Math.floor(extension / 32)) === 0 ||
          (t >= end - window && (end - t) % ws === 0),
        ext,
        stop,
      );
      checkFrom = total;
      total = more.steps;
      interrupted = total < end;
      if (interrupted) break;
      const regroup = clusterWindow(
        ext,
        Array.from({ length: R }, (_, k) => k),
        N,
        total - window,
        tol,
      );
      const merged = regroup.reps.map((k, g) => ({
        rep: reps[k],
        members: regroup.members[g].flatMap((j) => members[j]).sort((a, b) => a - b),
        state: repStates.data.slice(k * N, (k + 1) * N),
        spread: Math.max(...regroup.members[g].map((j) => spread[j] ?? 0), regroup.spread[g]),
      }));
      reps = merged.map((m) => m.rep);
      members = merged.map((m) => m.members);
      spread.length = 0;
      spread.push(...merged.map((m) => m.spread));
      repStates = zeros(reps.length, N);
      merged.forEach((m, k) => repStates.data.set(m.state, k * N));
      // The regrouped representatives are rows regroup.reps of `ext`.
      repSnaps = {
        times: ext.times,
        states: ext.states.map((s) => {
          const out = new Float32Array(reps.length * N);
          regroup.reps.forEach((k, g) => out.set(s.subarray(k * N, (k + 1) * N), g * N));
          return out;
        }),
      };
      repRows = reps.map((_, g) => g);
    }

    // 3. Probes: perturbed copies of each representative from the end of the transient.
    const tP = performance.now();
    const C = reps.length;
    const P = o.probes;
    const probeD: Float64Array[] = [];
    if (C > 0 && !interrupted && atTransient) {
      const prng = rng.fork('probes');
      const rowsP = C * (1 + P);
      const PX = zeros(rowsP, N);
      const eps = o.probeSize * scale;
      reps.forEach((r, c) => {
        const base = c * (1 + P);
        const x = atTransient.subarray(r * N, (r + 1) * N);
        for (let p = 0; p <= P; p++) PX.data.set(x, (base + p) * N);
        for (let p = 1; p <= P; p++) {
          const v = Float64Array.from({ length: N }, () => prng.normal());
          let nv = 0;
          for (const vi of v) nv += vi * vi;
          nv = Math.sqrt(nv) || 1;
          for (let i = 0; i < N; i++) PX.data[(base + p) * N + i] += (eps * v[i]) / nv;
        }
      });
      const len = total - transient;
      for (let k = 0; k < C * P; k++) probeD.push(new Float64Array(len + 1).fill(eps));
      const probeSnaps: Snapshots = { times: [], states: [] };
      const probeRun = yield* driveEnsemble(
        stepper,
        PX,
        rowsP,
        offsets,
        transient,
        total,
        () => false,
        probeSnaps,
        stop,
        -1,
        (t, cur) => {
          for (let c = 0; c < C; c++)
            for (let p = 1; p <= P; p++) {
              const base = c * (1 + P);
              probeD[c * P + p - 1][t - transient] = dist(cur, (base + p) * N, cur, base * N, N);
            }
          report('probes', t - transient, len);
        },
      );
      interrupted = interrupted || probeRun.steps < total;
    }
    const tProbes = (performance.now() - tP) / 1000;

    // 4. Clusters with their decay rates.
    const Z = zeros(1, O);
    const clusters: EchoCluster[] = reps.map((r, c) => {
      const m = members[c];
      const others = m.filter((x) => x !== r);
      let memberDecay = null;
      if (others.length > 0) {
        const d = snaps.times.map((_, j) => {
          let s = 0;
          for (const x of others) s += dist(snaps.states[j], x * N, snaps.states[j], r * N, N);
          return s / others.length;
        });
        memberDecay = exponentialRate(snaps.times, d, 1e-6 * level);
      }
      let probeDecay = null;
      let probeRatio = NaN;
      if (probeD.length > 0) {
        const len = probeD[c * P].length;
        const tt = Array.from({ length: len }, (_, k) => transient + k);
        const mean = new Float64Array(len);
        for (let p = 0; p < P; p++) {
          const d = probeD[c * P + p];
          for (let k = 0; k < len; k++) mean[k] += d[k] / P;
          const ratio = d[len - 1] / d[0];
          probeRatio = Number.isNaN(probeRatio) ? ratio : Math.max(probeRatio, ratio);
        }
        probeDecay = exponentialRate(tt, mean, 1e-12 * level);
      }
      const state = repStates.data.slice(c * N, (c + 1) * N);
      if (O > 0) stepper.readout({ rows: 1, cols: N, data: state }, 1, Z);
      return {
        members: m,
        size: m.length,
        fraction: m.length / ok.length,
        state: Array.from(state),
        ...(O > 0 ? { output: Array.from(Z.data) } : {}),
        spread: spread[c] / scale,
        memberDecay,
        probeDecay,
        probeRatio,
        attracting: probeRatio <= 0.1 && (probeDecay === null || probeDecay.rate < 0),
      };
    });
    clusters.sort((a, b) => b.size - a.size || a.members[0] - b.members[0]);
    const attracting = clusters.filter((c) => c.attracting);

    // 5. The sufficient condition.
    const tR = performance.now();
    report('region', 0, o.regionSamples);
    const analytic = o.analytic ? analyticBound(stepper) : null;
    const sampled = sampledNorm(
      stepper,
      snaps,
      ok,
      offsets,
      transient,
      o.regionSamples,
      o.regionJitter,
      scale,
      rng.fork('region'),
      o.powerIterations,
    );
    const contraction = analytic || sampled ? { analytic, sampled } : null;
    const tRegion = (performance.now() - tR) / 1000;
    const unresolved =
      clusters.filter((c) => !c.attracting).reduce((s, c) => s + c.size, 0) + diverged.length;
    if (diverged.length > 0)
      warnings.push(`${diverged.length} initial states diverged (non-finite states): not counted`);
    return {
      echoIndex: attracting.length,
      esp: attracting.length === 1 && unresolved === 0,
      clusters,
      unresolved,
      diverged: diverged.length,
      contraction,
      input: { description: describeInput(o.input, o.channels), kind: o.input.kind, amplitude },
      settings: {
        kind: params.kind,
        dim: N,
        starts: M,
        steps: T,
        stepsRun: total,
        transient,
        window,
        seed: o.seed,
        stateScale: scale,
        clusterTol: o.clusterTol,
        probes: P,
        probeSize: o.probeSize,
        time:
          params.kind === 'rate' || params.kind === 'ctrnn'
            ? `Euler map, dt = ${params.dt}`
            : 'map',
      },
      warnings,
      timings: {
        simulate: tSim,
        probes: tProbes,
        region: tRegion,
        total: (performance.now() - t0) / 1000,
      },
      interrupted: interrupted || stop(),
    };
  } finally {
    stepper.release();
  }
}
