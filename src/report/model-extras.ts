/**
 * Report sections that apply to some models only: FitzHugh–Nagumo imitators (the network's
 * fixed points translated to ṽ* = z(x*)/vScale against the analytic v*, seed 003 §5.2) and
 * reservoirs trained to hold levels (mean-field theory and the Nyquist plot, seed 001).
 */
import { batchModelSystem } from '../analysis/batch.js';
import { simulateForSampling } from '../analysis/fixed-points/prepare.js';
import { meanFieldReport } from '../analysis/meanfield/report.js';
import { weightMoments } from '../analysis/spectrum/moments.js';
import type { LinalgBackend } from '../linalg/backend.js';
import type { ModelMetadata } from '../io/types.js';
import type { ModelParams } from '../models/types.js';
import type { Rng } from '../random/index.js';
import type { FhnSpec, LevelsSpec } from '../tasks/types.js';
import { linspace } from './contour.js';
import type { ReportSection } from './document.js';
import { fhnFixedPointCurve } from './fhn-curve.js';
import { fhnBifurcationFigure, type FhnPoint } from './figures/fhn-bifurcation.js';
import { nyquistFigure } from './figures/nyquist.js';
import { searchFixedPoints } from './fixed-point-section.js';
import { short } from './style.js';

/**
 * For each of `currents` values of I_ext in the task's range: the model's fixed points with the
 * input frozen at inputScale·I, each translated to ṽ* = z(x*)/vScale, against the analytic v*.
 */
export async function fhnNetworkSection(
  params: ModelParams,
  spec: FhnSpec,
  rng: Rng,
  opts: { currents?: number; signal?: AbortSignal; backend?: LinalgBackend } = {},
): Promise<ReportSection> {
  const currents = linspace(spec.currentMin, spec.currentMax, opts.currents ?? 8);
  const points: FhnPoint[] = [];
  for (const [k, I] of currents.entries()) {
    if (opts.signal?.aborted) break;
    const u = Float64Array.of(spec.inputScale * I);
    const sys = batchModelSystem(params, u, undefined, opts.backend);
    try {
      const target = { kind: 'model' as const, params, input: u };
      const r = rng.fork(`current-${k}`);
      const visited = simulateForSampling(target, {
        runs: 8,
        steps: spec.steps,
        rng: r.fork('runs'),
      });
      const res = await searchFixedPoints(sys, target, visited, {
        inits: 128,
        offManifold: 4,
        rng: r,
        signal: opts.signal,
        options: { periodic: 'never' },
      });
      for (const fp of res.fixedPoints)
        if (fp.kind === 'fixed' && fp.output)
          points.push({ current: I, v: fp.output[0] / spec.vScale, stability: fp.stability });
    } finally {
      (sys as { batch?: { release?: () => void } }).batch?.release?.();
    }
  }
  const span = spec.currentMax - spec.currentMin;
  const analytic = fhnFixedPointCurve(
    spec.a,
    spec.b,
    linspace(spec.currentMin - 0.1 * span, spec.currentMax + 0.1 * span, 61),
  );
  const fig = fhnBifurcationFigure({
    analytic,
    points,
    pointsLabel: `network ṽ* = z(x*)/${short(spec.vScale)}`,
  });
  return {
    id: 'fhn',
    title: 'FitzHugh–Nagumo: the network’s fixed points against the analytic v*',
    text: [
      `For ${currents.length} currents I_ext in [${short(spec.currentMin)}, ${short(spec.currentMax)}] the input was frozen at ${short(spec.inputScale)}·I_ext and the network's fixed points found; each is translated to the FitzHugh–Nagumo voltage through the readout, ṽ* = z(x*)/${short(spec.vScale)} (seed 003 §5.2). The line is the real root of the fixed-point cubic (a = ${short(spec.a)}, b = ${short(spec.b)}).`,
    ],
    figures: [fig],
  };
}

/**
 * Mean-field theory at the first trained level of a rate reservoir with feedback (tanh, one
 * output), with a finite network of the same size built by the theory's own construction.
 * Returns undefined (and a reason) when the model is outside the theory's setting.
 */
export function meanFieldSection(
  params: ModelParams,
  spec: LevelsSpec,
  metadata: ModelMetadata | undefined,
  finiteN: number | null,
): { section?: ReportSection; reason?: string } {
  if (params.kind !== 'rate' || !params.Wfb || !params.Wout || params.Wout.rows !== 1)
    return { reason: 'mean-field theory needs a rate model with one fed-back output' };
  const N = params.W.rows;
  const recipe = (metadata?.recipe ?? {}) as { g?: unknown; feedbackScale?: unknown };
  let maxFb = 0;
  for (const v of params.Wfb.data) maxFb = Math.max(maxFb, Math.abs(v));
  const scale = typeof recipe.feedbackScale === 'number' ? recipe.feedbackScale : undefined;
  if ((scale !== undefined && scale !== 1) || maxFb > 1)
    return { reason: 'mean-field theory here assumes feedback weights uniform in (−1, 1)' };
  const g =
    typeof recipe.g === 'number' ? recipe.g : weightMoments(params.W.data).std * Math.sqrt(N);
  const levels = spec.levels.slice();
  const report = meanFieldReport({
    g,
    amplitude: levels[0],
    levels,
    activation: params.activation,
    feedback: 'uniform',
    ...(finiteN ? { finite: { N: finiteN, seed: Number(metadata?.seed ?? 0) || 0 } } : {}),
  });
  return {
    section: {
      id: 'mean-field',
      title: 'Mean-field theory (Rivkind & Barak)',
      text: [
        `g = ${short(g)} (${typeof recipe.g === 'number' ? 'from the training recipe' : 'estimated as √N·std(W)'}), levels ${levels.map((v) => short(v)).join(', ')}, analysed at A = ${short(levels[0])}. ` +
          `λ_out = ${short(report.lambdaOut, 4)}, ρ = ${short(report.rho, 4)}; the Nyquist curve ${report.nyquist.stable ? 'does not encircle' : 'encircles'} the critical point 1 + 0i.` +
          (report.finite
            ? ` The finite network (N = ${report.finite.N}) is a fresh realisation built by the theory's construction, not this model.`
            : ''),
      ],
      figures: [nyquistFigure({ report })],
    },
  };
}
