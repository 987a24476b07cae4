/** Synchronous and asynchronous drivers of the echo index, and the amplitude sweep. */
import { runGenerator as drive, runGeneratorAsync as driveAsync } from '../../event-loop.js';
import { RnnscopeError } from '../../errors.js';
import type { ModelParams } from '../../models/types.js';
import { analyticBound } from './contraction.js';
import { echoIndexSearch } from './echo.js';
import type { EchoIndexOptions, EchoIndexResult, EchoSweepResult } from './echo-types.js';
import { modelStepper } from './stepper.js';

/**
 * The echo index of a model driven by one input sequence (seed 002).
 *
 * M initial states x₀ ~ N(0, x0Scale²) are driven by the same input u[k] = baseline + A·ξ[k]
 * through the map the model iterates (the Euler map for rate/ctrnn models). After the
 * transient, responses within clusterTol·stateScale of each other over the whole window are
 * one response (stateScale: RMS distance of the x₀ from their centroid). Each response is
 * probed: perturbations of size probeSize·stateScale of its representative, started at the end
 * of the transient, must shrink ≥ 10× with a negative exponential rate — then it is a local
 * point attractor of the driven system. The echo index is the number of attracting responses;
 * `fraction` is each one's share of the x₀ (the sampled basin), `memberDecay` the rate at which
 * its members converge, `probeDecay` the local contraction rate. `contraction` holds the
 * sufficient condition sup‖D_xG‖₂ < 1: a global analytic bound and a sampled estimate.
 *
 * @example
 * const r = echoIndex(params, { input: { kind: 'random', amplitude: 5 }, starts: 32 });
 * r.echoIndex; // 1 when the input is strong enough to enforce the echo state property
 */
export function echoIndex(params: ModelParams, options: EchoIndexOptions = {}): EchoIndexResult {
  return drive(echoIndexSearch(params, options));
}

/** As `echoIndex`, yielding to the event loop; `signal` stops it with a partial result. */
export async function echoIndexAsync(
  params: ModelParams,
  options: EchoIndexOptions & { signal?: AbortSignal; sliceMs?: number } = {},
): Promise<EchoIndexResult> {
  const { signal, sliceMs = 30, ...rest } = options;
  const user = rest.shouldStop;
  return driveAsync(
    echoIndexSearch(params, {
      ...rest,
      shouldStop: () => Boolean(signal?.aborted) || Boolean(user?.()),
    }),
    sliceMs,
  );
}

function* sweepSearch(
  params: ModelParams,
  amplitudes: readonly number[],
  options: EchoIndexOptions,
  onAmplitude?: (k: number) => void,
): Generator<void, EchoSweepResult> {
  if (amplitudes.length === 0)
    throw new RnnscopeError('INVALID_ARGUMENT', 'the sweep needs at least one amplitude');
  const base = options.input ?? { kind: 'random' as const, amplitude: 1 };
  if (base.kind === 'zeros' || base.kind === 'sequence')
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `an amplitude sweep scales a random or pulse input, not '${base.kind}'`,
    );
  const results: EchoIndexResult[] = [];
  for (let k = 0; k < amplitudes.length; k++) {
    onAmplitude?.(k);
    const a = amplitudes[k];
    const r: EchoIndexResult = yield* echoIndexSearch(params, {
      ...options,
      input: a === 0 ? { kind: 'zeros' } : { ...base, amplitude: a },
      analytic: false,
    });
    results.push(r);
    if (r.interrupted) break;
  }
  const wantAnalytic = options.analytic !== false;
  let analytic = null;
  if (wantAnalytic) {
    const st = modelStepper(params, options.baseline, options.backend);
    try {
      analytic = analyticBound(st);
    } finally {
      st.release();
    }
  }
  for (const r of results)
    r.contraction = r.contraction
      ? { ...r.contraction, analytic }
      : analytic
        ? { analytic, sampled: null }
        : null;
  return {
    amplitudes: results.map((r) => r.input.amplitude),
    results,
    table: results.map((r) => ({
      amplitude: r.input.amplitude,
      echoIndex: r.echoIndex,
      fractions: r.clusters.filter((c) => c.attracting).map((c) => c.fraction),
      sampledMax: r.contraction?.sampled?.max ?? null,
      slowestProbeRate: r.clusters.reduce<number | null>(
        (m, c) => (c.probeDecay ? Math.max(m ?? -Infinity, c.probeDecay.rate) : m),
        null,
      ),
    })),
    analytic,
  };
}

/**
 * The echo index over input amplitudes: the same input pattern ξ (and the same x₀) scaled by
 * each amplitude (0 means zero input). Seed 002: the index equals the number of stable fixed
 * points for small amplitudes and falls to 1 for large ones.
 *
 * @example
 * const s = echoIndexSweep(params, [0, 0.5, 2, 8], { input: { kind: 'random', amplitude: 1 } });
 * s.table.map((r) => r.echoIndex); // e.g. [8, 8, 3, 1]
 */
export function echoIndexSweep(
  params: ModelParams,
  amplitudes: readonly number[],
  options: EchoIndexOptions = {},
): EchoSweepResult {
  return drive(sweepSearch(params, amplitudes, options));
}

/** As `echoIndexSweep`, yielding to the event loop; `onAmplitude(k)` before each amplitude. */
export async function echoIndexSweepAsync(
  params: ModelParams,
  amplitudes: readonly number[],
  options: EchoIndexOptions & {
    signal?: AbortSignal;
    sliceMs?: number;
    onAmplitude?: (k: number) => void;
  } = {},
): Promise<EchoSweepResult> {
  const { signal, sliceMs = 30, onAmplitude, ...rest } = options;
  const user = rest.shouldStop;
  return driveAsync(
    sweepSearch(
      params,
      amplitudes,
      { ...rest, shouldStop: () => Boolean(signal?.aborted) || Boolean(user?.()) },
      onAmplitude,
    ),
    sliceMs,
  );
}
