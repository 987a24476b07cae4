/** Synchronous and asynchronous drivers of the attractor-graph search. */
import { runGenerator, runGeneratorAsync } from '../../event-loop.js';
import type { ModelParams } from '../../models/types.js';
import { attractorGraphSearch } from './graph.js';
import type { AttractorGraph, AttractorGraphOptions } from './types.js';

/**
 * The excitable network attractor of a model with inputs, under a frozen baseline input.
 *
 * Nodes: the stable fixed points of the map x ↦ G(x, u₀) (the Euler map for rate/ctrnn
 * models), found by `findFixedPoints` from relaxed task trajectories (plus raw samples and
 * `states`). Edges: a pulse u₀ + s·a·e_c for `pulseWidth` steps, then u₀ until the run settles;
 * the destination is the nearest node within nodeTol·stateScale. For every (node, channel c,
 * sign s) an amplitude grid finds the destinations, and bisection gives each one's threshold —
 * the smallest amplitude reaching it, within the reported bracket. The saddle crossed is the
 * unstable fixed point the run just above threshold passes closest to (distance and steps spent
 * near it reported). With the flip-flop task, nodes and edges are compared with the 2^N memories
 * and N·2^N single-bit flips. Nothing a run does throws: unsettled and unidentified outcomes
 * are reported in `scans`, `edges` and `diagnostics`.
 *
 * @example
 * const g = attractorGraph(model.params, { task: { task: 'flipflop', bits: 3 } });
 * g.nodes.length;        // 8 for a well-trained 3-bit flip-flop
 * g.edges[0].threshold;  // smallest pulse amplitude that flips the bit
 */
export function attractorGraph(
  params: ModelParams,
  options: AttractorGraphOptions = {},
): AttractorGraph {
  return runGenerator(attractorGraphSearch(params, options));
}

/**
 * As `attractorGraph`, yielding to the event loop every `sliceMs` (default 30 ms); `signal`
 * stops the run, which resolves with what was found (`interrupted: true`).
 */
export async function attractorGraphAsync(
  params: ModelParams,
  options: AttractorGraphOptions & { signal?: AbortSignal; sliceMs?: number } = {},
): Promise<AttractorGraph> {
  const { signal, sliceMs = 30, ...rest } = options;
  const user = rest.shouldStop;
  const gen = attractorGraphSearch(params, {
    ...rest,
    shouldStop: () => Boolean(signal?.aborted) || Boolean(user?.()),
  });
  return runGeneratorAsync(gen, sliceMs);
}
