/**
 * The excitable network attractor of a model with inputs (Ceni, Ashwin & Livi 2019): nodes are
 * the stable fixed points under a baseline input, edges the transitions an input pulse causes,
 * each with its excitability threshold and the saddle it crosses. See docs/attractors.md.
 */
import { RnnscopeError } from '../../errors.js';
import { zeros, type Matrix } from '../../linalg/index.js';
import { createModel } from '../../models/index.js';
import type { ModelParams } from '../../models/types.js';
import { createRng } from '../../random/index.js';
import { sampleStates, stackStates } from '../fixed-points/initial-states.js';
import type { FixedPoint } from '../fixed-points/types.js';
import { fixedPointCensus, relaxStates, taskTrajectories, visitedScale } from './census.js';
import { nearestRow, targetOf, type SettleSettings } from './ensemble.js';
import { describePoint, nodeTargets, pointsMatrix, saddleOf } from './points.js';
import {
  bisectBrackets,
  bisectionRounds,
  bracketsOf,
  scanGrid,
  trackCrossings,
  type Bracket,
  type EdgeContext,
} from './excitability.js';
import { checkFlipFlop, outputPattern } from './flipflop-check.js';
import { graphDiagnostics } from './graph-diagnostics.js';
import { resolveGraphOptions } from './graph-options.js';
import { polishNew } from './polish.js';
import { modelStepper } from './stepper.js';
import type {
  AmplitudeScan,
  AttractorGraph,
  AttractorGraphOptions,
  Diagnostic,
  GraphEdge,
  GraphNode,
  GraphSaddle,
} from './types.js';

/** Relaxation before the census stops at this per-step speed (relative): Newton does the rest. */
const RELAX_SPEED = 1e-4;
/** Saddles closer than this (relative to the state scale) are the same saddle. */
const SAME_POINT = 1e-5;
/** Newton iterations spent polishing a slowest point into a saddle (slow regions stagnate). */
const POLISH_ITERATIONS = 12;
/** Rounds of "scan, then add the attractors the runs found that the census missed". */
const MAX_SCAN_ROUNDS = 3;

/** Sign pattern of the readout of every state (undefined without a readout). */
function readoutPatterns(
  stepper: ReturnType<typeof modelStepper>,
  X: Matrix,
  zeroTol: number,
): string[] | undefined {
  const O = stepper.outputs;
  if (O === 0) return undefined;
  const Z = zeros(X.rows, O);
  stepper.readout(X, X.rows, Z);
  return Array.from({ length: X.rows }, (_, r) =>
    outputPattern(Z.data.subarray(r * O, (r + 1) * O), zeroTol),
  );
}

/**
 * Generator form of `attractorGraph` (yields between steps, for drivers and interruption).
 */
export function* attractorGraphSearch(
  params: ModelParams,
  options: AttractorGraphOptions = {},
): Generator<void, AttractorGraph> {
  const model = createModel(params);
  const o = resolveGraphOptions(options, model.sizes);
  const N = model.sizes.units;
  const userStates = options.states;
  if (userStates && userStates.cols !== N)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `extra states have ${userStates.cols} values per row, but the model has ${N} units`,
    );
  const stop = () => Boolean(options.shouldStop?.());
  const t0 = performance.now();
  let lastReport = -Infinity;
  const progress = (
    phase: Parameters<NonNullable<AttractorGraphOptions['onProgress']>>[0]['phase'],
    done: number,
    total: number,
    force = false,
  ) => {
    const now = performance.now();
    if (!options.onProgress || (!force && now - lastReport < 500)) return;
    lastReport = now;
    options.onProgress({ phase, done, total, elapsedSeconds: (now - t0) / 1000 });
  };
  const rowSteps: Record<string, number> = {};
  const seconds: Record<string, number> = {};
  let phaseStart = performance.now();
  const endPhase = (name: string, steps = 0) => {
    const now = performance.now();
    seconds[name] = (now - phaseStart) / 1000;
    rowSteps[name] = steps;
    phaseStart = now;
  };
  const diagnostics: Diagnostic[] = [];
  const rng = createRng(o.seed);
  const stepper = modelStepper(params, o.input, options.backend);
  try {
    // 1. Trajectories of the task and the state scale.
    progress('trajectories', 0, o.steps, true);
    const traj = yield* taskTrajectories(
      stepper,
      {
        task: o.task,
        trials: o.trials,
        steps: o.steps,
        x0Scale: o.x0Scale,
        channels: o.channels,
        pulseWidth: o.pulseWidth,
        maxAmplitude: o.taskAmplitude ?? o.maxAmplitude,
      },
      rng.fork('trajectories'),
      stop,
    );
    endPhase('trajectories', traj.rowSteps);
    if (traj.states.rows === 0)
      throw new RnnscopeError(
        'DIVERGED',
        'every trajectory of the task diverged: the model is unstable under these inputs',
      );
    const scale = visitedScale(traj.states);

    // 2. Relax samples to rest, then the fixed-point census.
    progress('relax', 0, o.relaxStarts, true);
    const relaxed = yield* relaxStates(
      stepper,
      traj.states,
      o.relaxStarts,
      {
        scale,
        settleSpeed: o.settleSpeed,
        restSpeed: RELAX_SPEED,
        radius: o.nodeTol * scale,
      },
      o.maxSteps,
      o.maxBatch,
      rng.fork('relax'),
      stop,
      readoutPatterns(stepper, traj.states, o.zeroTol),
    );
    endPhase('relax', relaxed.rowSteps);
    const parts = [relaxed.atRest];
    if (o.inits > 0)
      parts.push(
        sampleStates(traj.states, o.inits, rng.fork('inits'), {
          replace: o.inits > traj.states.rows,
        }),
      );
    if (userStates) parts.push(userStates);
    const starts = stackStates(...parts);
    if (starts.rows === 0)
      throw new RnnscopeError(
        'NOT_CONVERGED',
        'no relaxation run came to rest and no other starts were given: raise maxSteps or pass states',
      );
    progress('census', 0, starts.rows, true);
    const fp = yield* fixedPointCensus(
      params,
      o.input,
      starts,
      options.fixedPoints ?? {},
      options.backend,
      stop,
    );
    endPhase('census');

    const describe = (p: FixedPoint) => describePoint(p, o.zeroTol);
    const nodes: GraphNode[] = fp.fixedPoints
      .filter((p) => p.kind === 'fixed' && p.stability === 'stable')
      .map((p) => ({ index: 0, ...describe(p), source: 'census' as const }))
      .sort(
        (a, b) =>
          (a.pattern && b.pattern ? b.pattern.localeCompare(a.pattern) : 0) ||
          (b.output?.[0] ?? b.x[0]) - (a.output?.[0] ?? a.x[0]),
      );
    nodes.forEach((n, k) => (n.index = k));
    const saddles: GraphSaddle[] = [];
    const addSaddle = (p: FixedPoint, source: GraphSaddle['source']): void => {
      const [, dist] = nearestRow(pointsMatrix(saddles, N), Float64Array.from(p.x));
      if (dist > SAME_POINT * scale) saddles.push(saddleOf(p, saddles.length, source, o.zeroTol));
    };
    for (const p of fp.fixedPoints)
      if (p.kind === 'fixed' && p.stability === 'unstable') addSaddle(p, 'census');
    const census = {
      trajectoryStates: traj.states.rows,
      relaxed: o.relaxStarts,
      relaxedAtRest: relaxed.atRest.rows,
      starts: starts.rows,
      fixedPoints: fp.fixedPoints.filter((p) => p.kind === 'fixed').length,
      stable: nodes.length,
      unstable: saddles.length,
      slow: fp.summary.slow,
      notConverged: fp.summary.notConverged,
    };
    if (relaxed.moving > 0)
      diagnostics.push({
        level: 'warning',
        code: 'relaxation-moving',
        message: `${relaxed.moving} of ${o.relaxStarts} relaxation runs were still moving after ${o.maxSteps} steps: the baseline dynamics may hold cycles or chaos, which the graph does not show`,
      });

    // 3. Scan the amplitude grid from every node; adopt attractors the runs found.
    const settings: SettleSettings = {
      scale,
      settleSpeed: o.settleSpeed,
      restSpeed: o.restSpeed,
      maxSteps: o.maxSteps,
      maxBatch: o.maxBatch,
      nearRadius: o.nodeTol * scale,
    };
    const ctx = (): EdgeContext => ({
      stepper,
      nodes: pointsMatrix(nodes, N),
      targets: nodeTargets(nodes, saddles, o.nodeTol * scale),
      settings,
      pulseWidth: o.pulseWidth,
      shouldStop: stop,
    });
    const scans: AmplitudeScan[] = [];
    let toScan = nodes.map((n) => n.index);
    let scanSteps = 0;
    for (let round = 0; round < MAX_SCAN_ROUNDS && toScan.length > 0 && !stop(); round++) {
      const total = toScan.length * o.channels.length * o.signs.length * o.amplitudes.length;
      progress('scan', 0, total, true);
      const grid = yield* scanGrid(ctx(), toScan, o.channels, o.signs, o.amplitudes);
      scanSteps += grid.rowSteps;
      scans.push(...grid.scans);
      toScan = [];
      if (grid.rests.length === 0 || stop()) break;
      const restStates = stackStates(
        ...grid.rests.map((r) => ({ rows: 1, cols: N, data: r.state })),
      );
      const found = yield* polishNew(
        params,
        o.input,
        restStates,
        pointsMatrix([...nodes, ...saddles], N),
        SAME_POINT * scale,
        options.fixedPoints ?? {},
        options.backend,
        stop,
      );
      for (const p of found) {
        if (p.kind !== 'fixed') continue;
        if (p.stability === 'unstable') addSaddle(p, 'transition');
        if (p.stability !== 'stable') continue;
        const node: GraphNode = { index: nodes.length, ...describe(p), source: 'transition' };
        nodes.push(node);
        toScan.push(node.index);
        diagnostics.push({
          level: 'warning',
          code: 'census-missed-attractor',
          message: `pulse runs came to rest at a stable fixed point the census missed${node.pattern ? ` (readout pattern ${node.pattern})` : ''}: added as node ${node.index}; more relaxation starts (relaxStarts) would have found it`,
          data: { node: node.index },
        });
      }
      const targets = nodeTargets(nodes, saddles, o.nodeTol * scale);
      for (const r of grid.rests) {
        const k = targetOf(targets, r.state);
        if (k >= 0) grid.scans[r.scan].destinations[r.k] = k;
      }
    }
    endPhase('scan', scanSteps);

    // 4. Bisect each first transition to its threshold.
    const brackets: Bracket[] = bracketsOf(scans);
    const rounds = brackets.reduce((s, b) => s + bisectionRounds(b, o.bracketTol), 0);
    let done = 0;
    progress('bisect', 0, rounds, true);
    const bisectCtx = ctx();
    const bisectSteps = yield* bisectBrackets(bisectCtx, brackets, o.bracketTol, () =>
      progress('bisect', ++done, rounds),
    );
    endPhase('bisect', bisectSteps);

    // 5. Polish the slowest point of each near-threshold run into the saddle (or slow point) it
    //    passes: Newton from there lands on it.
    const slow = brackets.flatMap((b) => [b.slowAbove, b.slowBelow]).filter((x) => x !== undefined);
    if (slow.length > 0 && !stop()) {
      progress('saddles', 0, slow.length, true);
      const polished = yield* polishNew(
        params,
        o.input,
        stackStates(...slow.map((x) => ({ rows: 1, cols: N, data: x }))),
        pointsMatrix([...nodes, ...saddles], N),
        SAME_POINT * scale,
        { maxIterations: POLISH_ITERATIONS, ...options.fixedPoints },
        options.backend,
        stop,
      );
      for (const p of polished) if (p.stability === 'unstable') addSaddle(p, 'transition');
    }
    endPhase('saddles');

    // 6. Which saddle each transition crosses.
    progress('track', 0, brackets.length, true);
    const tracked = yield* trackCrossings(
      bisectCtx,
      brackets,
      pointsMatrix(saddles, N),
      scale,
      saddles.map((s) => ({ unstableDims: s.eigen.unstableDims, kind: s.kind })),
    );
    endPhase('track', tracked.rowSteps);

    const edges: GraphEdge[] = brackets
      .map((b, k) => ({
        from: b.scan.from,
        to: b.to,
        channel: b.scan.channel,
        sign: b.scan.sign,
        threshold: b.hi,
        bracket: [b.lo, b.hi] as [number, number],
        bracketWidth: b.hi - b.lo,
        below: b.below,
        settleSteps: b.settleSteps,
        saddle: tracked.crossings[k],
      }))
      .sort((a, b) => a.from - b.from || a.channel - b.channel || b.sign - a.sign || a.to - b.to);

    diagnostics.push(...graphDiagnostics(nodes, saddles, edges, scans, scale, o, fp.summary));
    let flipflop;
    if (o.task?.task === 'flipflop' && o.taskAmplitude !== null) {
      const check = checkFlipFlop(o.task.bits, o.taskAmplitude, nodes, edges, scans, o.channels);
      flipflop = check.expectation;
      diagnostics.push(...check.diagnostics);
    }
    return {
      nodes,
      saddles,
      edges,
      scans,
      ...(flipflop ? { flipflop } : {}),
      diagnostics,
      settings: {
        kind: params.kind,
        dim: N,
        input: Array.from(o.input),
        channels: o.channels,
        signs: o.signs,
        maxAmplitude: o.maxAmplitude,
        amplitudes: o.amplitudes,
        pulseWidth: o.pulseWidth,
        task: o.task,
        seed: o.seed,
        stateScale: scale,
        nodeTol: o.nodeTol,
        settleSpeed: o.settleSpeed,
        restSpeed: o.restSpeed,
        maxSteps: o.maxSteps,
        bracketTol: o.bracketTol,
        zeroTol: o.zeroTol,
        nearRadius: settings.nearRadius,
        time:
          params.kind === 'rate' || params.kind === 'ctrnn'
            ? `Euler map, dt = ${params.dt}`
            : 'map',
      },
      census,
      work: { rowSteps, seconds },
      interrupted: stop(),
    };
  } finally {
    stepper.release();
  }
}
