/**
 * The report of an analytic system (`builtin:toy2d`, `builtin:fitzhugh-nagumo`): fixed points
 * from integrated trajectories, and for 2-D systems the phase portrait; for FitzHugh–Nagumo also
 * v* against I_ext, the analytic cubic root next to the fixed points found numerically.
 */
import { findFixedPoints } from '../analysis/fixed-points/drivers.js';
import { sampleStates } from '../analysis/fixed-points/initial-states.js';
import { simulateForSampling } from '../analysis/fixed-points/prepare.js';
import type { FixedPointResult } from '../analysis/fixed-points/types.js';
import { projectFixedPoints } from '../analysis/pca-projection.js';
import { stackStates } from '../analysis/fixed-points/initial-states.js';
import { createRng } from '../random/index.js';
import { fitzhughNagumo, type FhnParams } from '../systems/fitzhugh-nagumo.js';
import type { DynamicalSystem } from '../systems/types.js';
import type { ReportDocument, ReportSection, ReportSummaryRow } from './document.js';
import { linspace } from './contour.js';
import { fhnFixedPointCurve } from './fhn-curve.js';
import { jacobianSpectraFigure } from './figures/eigenvalues.js';
import { fhnBifurcationFigure, type FhnPoint } from './figures/fhn-bifurcation.js';
import { phasePortraitFigure } from './figures/phase-portrait.js';
import { qHistogramFigure } from './figures/q-histogram.js';
import { stateSpaceFigure } from './figures/state-space.js';
import { fixedPointSummary, fixedPointText, searchFixedPoints } from './fixed-point-section.js';
import type { ReportProgress } from './analyse-model.js';
import { phasePlane } from './phase-plane.js';
import { short } from './style.js';

export interface SystemReportOptions {
  /** `builtin:NAME` or another label. */
  source?: string;
  /** For FitzHugh–Nagumo: its parameters (adds the v*-against-I_ext figure). */
  fhn?: FhnParams;
  /** Names of the state variables (default x, y, … ; FitzHugh–Nagumo v, w). */
  names?: string[];
  /** Integration step of the sampled trajectories and the phase portrait (default 0.05). */
  dt?: number;
  /** Seed (default 0). */
  seed?: number;
  /** Fixed-point starts (default 256). */
  inits?: number;
  generator?: string;
  title?: string;
  signal?: AbortSignal;
  onProgress?: (p: ReportProgress) => void;
}

/** Low and high quantiles of a list, as a robust range of visited values. */
function quantileRange(v: number[], q = 0.02): [number, number] {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return [-1, 1];
  return [s[Math.floor(q * (s.length - 1))], s[Math.ceil((1 - q) * (s.length - 1))]];
}

/**
 * The box of a phase portrait: the fixed points and the bulk of the visited states, padded by
 * 20 % (at least ±0.5 around a single point).
 */
function portraitBox(
  fp: FixedPointResult,
  states: number[][],
): { x: [number, number]; y: [number, number] } {
  const box = ([0, 1] as const).map((c) => {
    const [a, b] = quantileRange(states.map((s) => s[c]));
    let lo = Math.min(a, ...fp.fixedPoints.map((p) => p.x[c]));
    let hi = Math.max(b, ...fp.fixedPoints.map((p) => p.x[c]));
    const pad = Math.max(0.2 * (hi - lo), 0.5);
    lo -= pad;
    hi += pad;
    return [Number(lo.toPrecision(3)), Number(hi.toPrecision(3))] as [number, number];
  });
  return { x: box[0], y: box[1] };
}

/** Fixed points of FitzHugh–Nagumo at each current, found from trajectory samples. */
function fhnNumericalPoints(
  p: FhnParams,
  currents: number[],
  seed: number,
  dt: number,
): FhnPoint[] {
  const out: FhnPoint[] = [];
  currents.forEach((I, k) => {
    const sys = fitzhughNagumo({ ...p, I });
    const rng = createRng(seed).fork(`fhn-current-${k}`);
    const visited = simulateForSampling(
      { kind: 'system', system: sys, dt },
      { runs: 4, steps: 200, rng: rng.fork('runs') },
    );
    const starts = sampleStates(visited.states, 32, rng.fork('sampling'), {
      replace: true,
      noise: 0.3,
    });
    const res = findFixedPoints(sys, starts, { periodic: 'never' });
    for (const fp of res.fixedPoints)
      if (fp.kind === 'fixed') out.push({ current: I, v: fp.x[0], stability: fp.stability });
  });
  return out;
}

/** Analyses an analytic system for a report (see the module comment). */
export async function analyseSystem(
  sys: DynamicalSystem,
  opts: SystemReportOptions = {},
): Promise<ReportDocument> {
  const dt = opts.dt ?? 0.05;
  const seed = opts.seed ?? 0;
  const rng = createRng(seed);
  const n = sys.dim;
  const names =
    opts.names ??
    (opts.fhn
      ? ['v', 'w']
      : n === 2
        ? ['x', 'y']
        : Array.from({ length: n }, (_, i) => `x${i + 1}`));
  const stages = [
    'trajectories',
    'fixed points',
    n === 2 ? 'phase portrait' : 'projection',
    ...(opts.fhn ? ['v* against I_ext'] : []),
  ];
  let index = 0;
  const stage = (s: string) =>
    opts.onProgress?.({ stage: s, index: ++index, total: stages.length });
  const warnings: string[] = [];
  const summary: ReportSummaryRow[] = [
    { label: 'system', value: sys.label ?? opts.source ?? 'system' },
    { label: 'dimension', value: n },
    { label: 'time', value: sys.time },
  ];

  stage('trajectories');
  const target = { kind: 'system' as const, system: sys, dt };
  const visited = simulateForSampling(target, {
    runs: 16,
    steps: 400,
    rng: rng.fork('trajectories'),
    x0Scale: 1.5,
  });

  stage('fixed points');
  const fp = await searchFixedPoints(sys, target, visited, {
    inits: opts.inits ?? 256,
    offManifold: 8,
    noise: 0.3,
    rng: rng.fork('fixed-points'),
    signal: opts.signal,
    onProgress: (p) =>
      opts.onProgress?.({ stage: 'fixed points', index, total: stages.length, fixedPoints: p }),
  });
  warnings.push(...fp.warnings);
  summary.push(...fixedPointSummary(fp));

  stage(n === 2 ? 'phase portrait' : 'projection');
  const figures = [];
  if (n === 2) {
    const all = stackStates(...visited.states);
    const rows = Array.from({ length: all.rows }, (_, r) => [all.data[2 * r], all.data[2 * r + 1]]);
    const box = portraitBox(fp, rows);
    const starts: number[][] = [];
    for (const fx of [0.1, 0.5, 0.9])
      for (const fy of [0.1, 0.9])
        starts.push([box.x[0] + fx * (box.x[1] - box.x[0]), box.y[0] + fy * (box.y[1] - box.y[0])]);
    for (const f of [0.3, 0.7])
      starts.push([box.x[0] + f * (box.x[1] - box.x[0]), (box.y[0] + box.y[1]) / 2]);
    const plane = phasePlane(sys, {
      xRange: box.x,
      yRange: box.y,
      resolution: 101,
      // 40 time units, drawn every 0.1 time units (enough for smooth curves, small files).
      trajectories: {
        starts,
        steps: Math.round(40 / dt),
        dt,
        every: Math.max(1, Math.round(0.1 / dt)),
      },
    });
    figures.push(
      phasePortraitFigure({
        plane,
        fixedPoints: fp.fixedPoints,
        names: [names[0], names[1]],
        subtitle: `${fp.fixedPoints.length} fixed/slow points; ${plane.trajectories.length} trajectories (RK4, dt ${dt})`,
      }),
    );
  } else if (n >= 3) {
    const projection = projectFixedPoints(visited.states, fp.fixedPoints, sys.time, {
      components: 3,
    });
    figures.push(stateSpaceFigure({ projection, fixedPoints: fp.fixedPoints, maxTrajectories: 8 }));
  }
  figures.push(qHistogramFigure({ result: fp }));
  if (fp.fixedPoints.some((p) => p.eigenvalues?.length))
    figures.push(jacobianSpectraFigure({ fixedPoints: fp.fixedPoints, time: sys.time }));
  const sections: ReportSection[] = [
    {
      id: 'fixed-points',
      title: n === 2 ? 'Phase portrait and fixed points' : 'Fixed points',
      text: [
        fixedPointText(fp, `From ${visited.states.length} integrated trajectories`),
        ...(n === 2
          ? [
              'Grey: contours of log₁₀ q; arrows: the direction of F; blue and orange: the nullclines; light blue: trajectories from fixed starting points. Saddles are crosses, unstable nodes open circles.',
            ]
          : []),
      ],
      figures,
    },
  ];

  if (opts.fhn && !fp.interrupted) {
    stage('v* against I_ext');
    const p = opts.fhn;
    const curve = fhnFixedPointCurve(p.a, p.b, linspace(0, 2, 81));
    const currents = linspace(0, 2, 11);
    const points = fhnNumericalPoints(p, currents, seed, dt);
    sections.push({
      id: 'fhn',
      title: 'FitzHugh–Nagumo: v* against I_ext',
      text: [
        `The line is the real root of v³/3 + (1/b − 1)v + a/b − I = 0 (a = ${short(p.a)}, b = ${short(p.b)}); the crosses are fixed points found numerically at ${currents.length} currents (black stable, red unstable: inside the limit-cycle range).`,
      ],
      figures: [fhnBifurcationFigure({ analytic: curve, points, pointsLabel: 'numerical v*' })],
    });
  }
  if (fp.interrupted)
    warnings.push('interrupted: the report shows what was computed before the stop');
  return {
    title: opts.title ?? `rnnscope report: ${opts.source ?? sys.label ?? 'system'}`,
    source: opts.source ?? 'system',
    created: new Date().toISOString(),
    generator: opts.generator ?? 'rnnscope',
    summary,
    sections,
    warnings,
    interrupted: fp.interrupted,
  };
}
