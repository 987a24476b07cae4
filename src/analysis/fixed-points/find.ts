/**
 * Fixed and slow points of a DynamicalSystem with its input frozen (Sussillo & Barak 2013):
 * minimise q(x) = ½‖F(x)‖² from many initial states, classify, de-duplicate, linearise, and
 * check for periodic orbits when a map has no stable fixed point.
 */
import { RnnscopeError } from '../../errors.js';
import type { Matrix } from '../../linalg/index.js';
import type { DynamicalSystem } from '../../systems/types.js';
import { batchSystem, hasBatch } from '../batch.js';
import { stateScale, uniquePoints } from './dedupe.js';
import { linearize, type LinearizeOptions } from './linearize.js';
import { optimiseStarts, type OptimiseSettings } from './optimise.js';
import { collectOrbits, kStepSystem } from './periodic.js';
import type { Population } from './population.js';
import {
  DEFAULT_EIGEN_LIMIT,
  DEFAULT_MAX_ITERATIONS,
  DEFAULT_UNIQUE_TOL,
  defaultTolerances,
  Q_UNITS,
  denseGaussNewton,
  resolveMethod,
  RunControl,
  validateOptions,
} from './settings.js';
import type { FixedPoint, FixedPointOptions, FixedPointResult, StartOutcome } from './types.js';

type Status = StartOutcome['status'];

function statusOf(q: number, tolFixed: number, tolSlow: number): Status {
  return q <= tolFixed ? 'fixed' : q <= tolSlow ? 'slow' : 'not converged';
}

function checkInputs(sys: DynamicalSystem, X0: Matrix): void {
  if (!sys || !Number.isInteger(sys.dim) || sys.dim < 1 || typeof sys.velocity !== 'function') {
    throw new RnnscopeError('INVALID_ARGUMENT', 'findFixedPoints needs a DynamicalSystem');
  }
  if (!X0 || !(X0.data instanceof Float64Array) || !Number.isInteger(X0.rows)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      'initial states must be a K×N Matrix (one state per row)',
    );
  }
  if (X0.cols !== sys.dim) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `initial states must have ${sys.dim} columns (the system's dimension), got ${X0.rows}×${X0.cols}`,
    );
  }
  if (X0.rows < 1) throw new RnnscopeError('INVALID_ARGUMENT', 'no initial states given (K = 0)');
}

function describeReasons(outcomes: StartOutcome[]): string {
  const by = new Map<string, number>();
  for (const o of outcomes) by.set(o.reason, (by.get(o.reason) ?? 0) + 1);
  return [...by.entries()].map(([k, v]) => `${v} ${k}`).join(', ');
}

/**
 * Generator form of `findFixedPoints`: yields between iterations (drivers use this to stay
 * responsive and to stop), returns the result. See `findFixedPoints` for the maths.
 */
export function* fixedPointSearch(
  sys: DynamicalSystem,
  initialStates: Matrix,
  options: FixedPointOptions = {},
): Generator<void, FixedPointResult, void> {
  checkInputs(sys, initialStates);
  validateOptions(options);
  const n = sys.dim;
  const control = new RunControl(
    options.onProgress,
    options.progressInterval ?? 0.5,
    options.shouldStop,
  );
  const method = resolveMethod(options, n);
  const tol = defaultTolerances(n);
  const tolFixed = options.tolFixed ?? tol.tolFixed;
  const tolSlow = Math.max(options.tolSlow ?? tol.tolSlow, tolFixed);
  const uniqueTol = options.uniqueTol ?? DEFAULT_UNIQUE_TOL;
  const eigenLimit = options.eigenLimit ?? DEFAULT_EIGEN_LIMIT;
  const periodic = options.periodic ?? 'auto';
  const maxPeriod = options.maxPeriod ?? 2;
  const { scale, centroid, meanDistance } = stateScale(initialStates);
  const dense = method === 'gauss-newton' && denseGaussNewton(options, n);
  const settings: OptimiseSettings = {
    method,
    dense,
    tolFixed,
    tolSlow,
    maxIterations: options.maxIterations ?? DEFAULT_MAX_ITERATIONS[method],
    uniqueTol,
    stateScale: scale,
    earlyMerge: options.earlyMerge ?? true,
    adam: options.adam,
    backend: options.backend,
  };
  const warnings: string[] = [];
  const batch = batchSystem(sys);
  if (!hasBatch(sys) && n > 128 && !dense) {
    warnings.push(
      `${sys.label ?? 'the system'} has no batched form: each start is evaluated separately (use batchModelSystem for model systems)`,
    );
  }

  // 1. Optimise.
  const t1 = control.elapsed();
  const pop: Population = yield* optimiseStarts(batch, initialStates, settings, control);
  const tOptimise = control.elapsed() - t1;
  const nonFinite = [...pop.reason.keys()].filter(
    (r) => pop.reason[r] === 'non-finite' && pop.iterations[r] === 0,
  );
  if (nonFinite.length > 0) {
    const rows = nonFinite.slice(0, 5).join(', ') + (nonFinite.length > 5 ? ', …' : '');
    warnings.push(
      `${nonFinite.length} initial state${nonFinite.length === 1 ? '' : 's'} (rows ${rows}) had NaN/∞ entries or velocity: skipped and labelled 'non-finite'`,
    );
  }

  // 2. Classify and de-duplicate.
  const t2 = control.elapsed();
  const outcomes: StartOutcome[] = [];
  const members: number[] = [];
  for (let r = 0; r < pop.count; r++) {
    const status: Status =
      pop.reason[r] === 'non-finite' ? 'not converged' : statusOf(pop.q[r], tolFixed, tolSlow);
    outcomes.push({
      index: r,
      status,
      reason: pop.reason[r] ?? 'interrupted',
      q: pop.q[r],
      iterations: pop.iterations[r],
      fixedPoint: null,
      ...(pop.mergedInto[r] >= 0 ? { mergedInto: pop.mergedInto[r] } : {}),
    });
    if (status !== 'not converged' && pop.reason[r] !== 'merged') members.push(r);
  }
  const { representatives, clusterOf, counts } = uniquePoints(
    pop.X,
    members,
    pop.q,
    uniqueTol * scale,
  );
  // A merged start ends where the start it merged into ends.
  const finalStart = (r: number): number => {
    let s = r;
    for (let guard = 0; pop.mergedInto[s] >= 0 && guard < pop.count; guard++) s = pop.mergedInto[s];
    return s;
  };
  const extra = new Array<number>(representatives.length).fill(0);
  for (const o of outcomes) {
    if (o.reason !== 'merged') continue;
    const s = finalStart(o.index);
    o.status = outcomes[s].status;
    const c = clusterOf.get(s);
    if (c !== undefined) extra[c]++;
  }
  let points: { rep: number; cluster: number; fp: FixedPoint }[] = representatives.map((rep, c) => {
    const x = pop.X.data.subarray(rep * n, (rep + 1) * n);
    let d = 0;
    for (let i = 0; i < n; i++) d += (x[i] - centroid[i]) ** 2;
    const q = pop.q[rep];
    const fp: FixedPoint = {
      x: Array.from(x),
      q,
      speed: Math.sqrt(2 * q),
      kind: q <= tolFixed ? 'fixed' : 'slow',
      count: counts[c] + extra[c],
      distanceScale: Math.sqrt(d) / meanDistance,
    };
    if (sys.output && sys.outputDim) {
      const z = new Float64Array(sys.outputDim);
      sys.output(x, z);
      fp.output = Array.from(z);
    }
    return { rep, cluster: c, fp };
  });
  let excluded = 0;
  if (options.outlierDistanceScale !== undefined) {
    const lim = options.outlierDistanceScale;
    excluded = points.filter((p) => p.fp.distanceScale >= lim).length;
    points = points.filter((p) => p.fp.distanceScale < lim);
  }
  points.sort(
    (a, b) => Number(a.fp.kind === 'slow') - Number(b.fp.kind === 'slow') || a.fp.q - b.fp.q,
  );
  const indexOfCluster = new Map<number, number>();
  points.forEach((p, i) => indexOfCluster.set(p.cluster, i));
  for (const o of outcomes) {
    const c = clusterOf.get(o.reason === 'merged' ? finalStart(o.index) : o.index);
    if (c !== undefined && indexOfCluster.has(c)) o.fixedPoint = indexOfCluster.get(c)!;
  }
  const fixedPoints = points.map((p) => p.fp);
  const tDedupe = control.elapsed() - t2;

  // 3. Linearise.
  const t3 = control.elapsed();
  const lin: LinearizeOptions = {
    eigenLimit,
    modes: options.modes ?? 3,
    leading: options.leadingEigenvalues ?? 10,
    left: options.leftEigenvectors ?? false,
    marginalTol: options.marginalTol,
    seed: 'fixed-point linearisation',
  };
  if (options.linearize ?? true) {
    for (let i = 0; i < fixedPoints.length; i++) {
      const fp = fixedPoints[i];
      if (
        control.checkpoint({
          phase: 'linearise',
          iteration: i,
          active: fixedPoints.length - i,
          total: fixedPoints.length,
          bestQ: fp.q,
        })
      ) {
        fp.stability = 'not computed';
        continue;
      }
      const l = linearize(sys, Float64Array.from(fp.x), lin);
      Object.assign(fp, {
        eigenvalues: l.eigenvalues,
        stability: l.stability,
        label: l.label,
        unstableDims: l.unstableDims,
        ...(l.unstableDimsAtLeast ? { unstableDimsAtLeast: true } : {}),
        marginalDims: l.marginalDims,
        spectrum: l.spectrum,
        ...(l.eigenConverged === false ? { eigenConverged: false } : {}),
        modes: l.modes,
      });
      yield;
    }
  }
  const tLinearise = control.elapsed() - t3;

  // 4. Periodic orbits (maps only).
  const t4 = control.elapsed();
  const stableFixed = fixedPoints.filter((p) => p.kind === 'fixed' && p.stability === 'stable');
  const stableSlow = fixedPoints.filter((p) => p.kind === 'slow' && p.stability === 'stable');
  if (stableFixed.length === 0 && stableSlow.length > 0) {
    warnings.push(
      `no stable fixed point, but ${stableSlow.length} stable slow point${stableSlow.length === 1 ? '' : 's'} (q above tolFixed): a second-order method (gauss-newton, newton-krylov) may converge them`,
    );
  }
  let periodicOrbits: FixedPointResult['periodicOrbits'];
  const wantPeriodic =
    !control.interrupted &&
    (periodic === 'always' ||
      (periodic === 'auto' &&
        (options.linearize ?? true) &&
        stableFixed.length + stableSlow.length === 0));
  if (wantPeriodic && sys.time === 'map') {
    periodicOrbits = [];
    for (let k = 2; k <= maxPeriod && !control.interrupted; k++) {
      const kSys = kStepSystem(sys, k);
      const kPop: Population = yield* optimiseStarts(
        batchSystem(kSys),
        initialStates,
        {
          ...settings,
          method: resolveMethod({ ...options, method: 'auto' }, n),
          dense: denseGaussNewton(options, n),
        },
        control,
      );
      const found: number[] = [];
      for (let r = 0; r < kPop.count; r++)
        if (kPop.q[r] <= tolFixed && kPop.reason[r] !== 'merged') found.push(r);
      periodicOrbits.push(
        ...collectOrbits(
          sys,
          kSys,
          k,
          kPop.X,
          found,
          kPop.q,
          Math.max(uniqueTol * scale, 1e-8 * scale),
          lin,
        ),
      );
    }
    const stableOrbits = periodicOrbits.filter((o) => o.stability === 'stable');
    if (stableFixed.length + stableSlow.length === 0) {
      warnings.push(
        stableOrbits.length > 0
          ? `no stable fixed point, but ${stableOrbits.length} stable periodic orbit${stableOrbits.length === 1 ? '' : 's'} (period ${[...new Set(stableOrbits.map((o) => o.period))].join(', ')}): the attractors are cycles of the map, not fixed points`
          : `no stable fixed point, and no stable orbit of period ≤ ${maxPeriod}: the attractors may be longer cycles or chaotic`,
      );
    }
  } else if (
    stableFixed.length + stableSlow.length === 0 &&
    fixedPoints.length > 0 &&
    (options.linearize ?? true)
  ) {
    warnings.push(
      sys.time === 'flow'
        ? 'no stable fixed point: trajectories may end on limit cycles or chaotic attractors (the periodic-orbit search covers maps only)'
        : 'no stable fixed point (periodic-orbit search disabled)',
    );
  }
  const tPeriodic = control.elapsed() - t4;

  // 5. Summary and warnings.
  const notConverged = outcomes.filter((o) => o.status === 'not converged');
  if (notConverged.length > 0) {
    warnings.push(
      `${notConverged.length} of ${outcomes.length} starts did not converge (${describeReasons(notConverged)}); they are listed in 'starts' with their last q`,
    );
    if (method === 'newton-krylov' && notConverged.some((o) => o.reason === 'stagnated')) {
      warnings.push(
        "Newton–Krylov stagnates near slow points (typical of chaotic networks): method 'gauss-newton' (matrix-free Levenberg–Marquardt above denseLimit) keeps descending there, at several times the cost",
      );
    }
  }
  const slow = fixedPoints.filter((p) => p.kind === 'slow').length;
  if (slow > 0) {
    warnings.push(
      `${slow} slow point${slow === 1 ? '' : 's'} (tolFixed < q ≤ tolSlow): not fixed points; 'speed' is ‖F‖ there`,
    );
  }
  if (fixedPoints.length === 0) warnings.push('no fixed or slow point found');
  if (control.interrupted) {
    warnings.push('interrupted: results are partial (unfinished starts are labelled interrupted)');
  }
  const count = (s: Status) =>
    outcomes.filter((o) => o.status === s && o.reason !== 'merged').length;
  return {
    fixedPoints,
    starts: outcomes,
    summary: {
      starts: outcomes.length,
      fixed: count('fixed'),
      slow: count('slow'),
      notConverged: count('not converged'),
      merged: outcomes.filter((o) => o.reason === 'merged').length,
      unique: fixedPoints.length,
      stable: stableFixed.length,
      excludedOutliers: excluded,
    },
    ...(periodicOrbits ? { periodicOrbits } : {}),
    settings: {
      method,
      matrixFree: !dense,
      dim: n,
      time: sys.time,
      tolFixed,
      tolSlow,
      maxIterations: settings.maxIterations,
      uniqueTol,
      stateScale: scale,
      qUnits: Q_UNITS,
      outlierDistanceScale: options.outlierDistanceScale ?? null,
      eigen: n <= eigenLimit ? 'dense' : 'arnoldi',
      periodic,
      maxPeriod,
    },
    timings: {
      optimise: tOptimise,
      dedupe: tDedupe,
      linearise: tLinearise,
      periodic: tPeriodic,
      total: control.elapsed(),
    },
    warnings,
    interrupted: control.interrupted,
  };
}
