/** Synchronous and asynchronous drivers of the fixed-point search generator. */
import type { Matrix } from '../../linalg/index.js';
import type { DynamicalSystem } from '../../systems/types.js';
import { runGenerator, runGeneratorAsync } from '../../event-loop.js';
import { fixedPointSearch } from './find.js';
import type { FixedPointOptions, FixedPointResult } from './types.js';

/**
 * Fixed points, slow points and their linear stability for a system with frozen input.
 *
 * Each row of `initialStates` (K×N) starts a minimisation of
 *
 *   q(x) = ½‖F(x)‖²,   ∇q = JᵀF,   F = velocity (dx/dt for flows, G(x) − x for maps),
 *
 * by Levenberg–Marquardt Gauss–Newton (dense, default for N ≤ 128), Newton–Krylov (GMRES on
 * J·v products, default above), nonlinear CG, or Adam with FixedPointFinder's schedule. Each
 * start ends 'fixed' (q ≤ tolFixed), 'slow' (q ≤ tolSlow) or 'not converged' with its reason.
 * Fixed and slow points are de-duplicated (‖x₁ − x₂‖ ≤ uniqueTol · stateScale, keeping the
 * lowest q and counting the starts), linearised (eigenvalues of dF/dx for flows, of DG for
 * maps; stable iff Re λ < 0, resp. |μ| < 1; label, unstable dimensions, time constants), and
 * mapped through the readout. For a map without a stable fixed point, fixed points of G^k
 * (k = 2 … maxPeriod) are searched too and reported as periodic orbits, with a warning.
 * Nothing is thrown for bad starts or non-converging runs: they are labelled in `starts`, and
 * `warnings` says what happened. Shapes and options are checked (RnnscopeError).
 *
 * @example
 * const starts = randomStates(toy2d(), 50, createRng(1), { scale: 2 });
 * const { fixedPoints } = findFixedPoints(toy2d(), starts);
 * // three points: (0,0) saddle, (1, ½) and (−1, −½) stable nodes
 */
export function findFixedPoints(
  sys: DynamicalSystem,
  initialStates: Matrix,
  options: FixedPointOptions = {},
): FixedPointResult {
  return runGenerator(fixedPointSearch(sys, initialStates, options));
}

/**
 * As `findFixedPoints`, but yields to the event loop every `sliceMs` (default 30 ms) of work,
 * so signal handlers (SIGINT) and timers run; `signal` (or `shouldStop`) stops the run, which
 * then resolves with the partial, labelled result instead of rejecting.
 */
export async function findFixedPointsAsync(
  sys: DynamicalSystem,
  initialStates: Matrix,
  options: FixedPointOptions & { signal?: AbortSignal; sliceMs?: number } = {},
): Promise<FixedPointResult> {
  const { signal, sliceMs = 30, ...rest } = options;
  const userStop = rest.shouldStop;
  const gen = fixedPointSearch(sys, initialStates, {
    ...rest,
    shouldStop: () => Boolean(signal?.aborted) || Boolean(userStop?.()),
  });
  return runGeneratorAsync(gen, sliceMs);
}
