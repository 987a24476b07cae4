/** Findings about the graph that hold for any task: what the runs could not resolve, and why. */
import type { Destination } from './ensemble.js';
import type { ResolvedGraphOptions } from './graph-options.js';
import type { AmplitudeScan, Diagnostic, GraphEdge, GraphNode, GraphSaddle } from './types.js';

const signText = (s: number) => (s > 0 ? '+' : '−');

function examples(list: string[], max = 3): string {
  return list.slice(0, max).join('; ') + (list.length > max ? `; … (${list.length} in all)` : '');
}

function runsEnding(scans: AmplitudeScan[], what: Destination): string[] {
  const out: string[] = [];
  for (const s of scans)
    s.destinations.forEach((d, k) => {
      if (d === what)
        out.push(`node ${s.from}, input ${s.channel}, ${signText(s.sign)}${s.amplitudes[k]}`);
    });
  return out;
}

/**
 * Diagnostics for unresolved runs, missing saddles and crowded nodes. `census` is the summary of
 * the fixed-point search behind the nodes.
 */
export function graphDiagnostics(
  nodes: GraphNode[],
  saddles: GraphSaddle[],
  edges: GraphEdge[],
  scans: AmplitudeScan[],
  scale: number,
  o: ResolvedGraphOptions,
  census: { slow: number; notConverged: number },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (nodes.length === 0) {
    out.push({
      level: 'error',
      code: 'no-nodes',
      message:
        'no stable fixed point under the baseline input: the network holds no point attractor (it may oscillate or be chaotic), so there is no graph',
    });
    return out;
  }
  const unidentified = runsEnding(scans, 'unidentified');
  if (unidentified.length > 0)
    out.push({
      level: 'warning',
      code: 'unidentified-destination',
      message: `${unidentified.length} pulse run${unidentified.length === 1 ? '' : 's'} came to rest away from every node — at an attractor the census missed or stalled on a saddle: ${examples(unidentified)}`,
      data: { count: unidentified.length },
    });
  const unsettled = runsEnding(scans, 'unsettled');
  if (unsettled.length > 0)
    out.push({
      level: 'warning',
      code: 'did-not-settle',
      message: `${unsettled.length} pulse run${unsettled.length === 1 ? '' : 's'} did not settle within ${o.maxSteps} steps (a cycle, chaos, or slower settling than the cap: raise maxSteps): ${examples(unsettled)}`,
      data: { count: unsettled.length },
    });
  for (const e of edges) {
    const what = `edge ${e.from} → ${e.to} (input ${e.channel}, ${signText(e.sign)})`;
    if (!e.saddle) {
      out.push({
        level: 'warning',
        code: 'no-saddle',
        message: `${what}: no unstable fixed point is known to compare the transition with`,
        data: { from: e.from, to: e.to, channel: e.channel, sign: e.sign },
      });
      continue;
    }
    if (e.saddle.relativeDistance > o.nodeTol)
      out.push({
        level: 'info',
        code: 'saddle-far',
        message: `${what}: the run just above threshold passes no known saddle closely (closest: saddle ${e.saddle.saddle} at ${e.saddle.relativeDistance.toPrecision(2)} × state scale); the crossing may be through a saddle the census missed, or the bracket is too wide (bracketTol)`,
        data: { from: e.from, to: e.to, saddle: e.saddle.saddle },
      });
    if (e.saddle.longestElsewhere !== undefined)
      out.push({
        level: 'info',
        code: 'saddle-dwell',
        message: `${what}: the run passes closest to saddle ${e.saddle.saddle} but lingers longest near saddle ${e.saddle.longestElsewhere}`,
        data: { from: e.from, to: e.to },
      });
  }
  const close: string[] = [];
  const radius = 2 * o.nodeTol * scale;
  for (let a = 0; a < nodes.length; a++)
    for (let b = a + 1; b < nodes.length; b++) {
      let d2 = 0;
      const xa = nodes[a].x;
      const xb = nodes[b].x;
      for (let i = 0; i < xa.length; i++) d2 += (xa[i] - xb[i]) ** 2;
      if (Math.sqrt(d2) <= radius) close.push(`${a} and ${b}`);
    }
  if (close.length > 0)
    out.push({
      level: 'warning',
      code: 'nodes-close',
      message: `nodes ${examples(close)} lie within 2·nodeTol of each other: destinations between them are ambiguous (lower nodeTol)`,
    });
  if (census.slow > 0)
    out.push({
      level: 'info',
      code: 'slow-points',
      message: `the census also found ${census.slow} slow point${census.slow === 1 ? '' : 's'} (not fixed points): not used as nodes or saddles`,
    });
  if (saddles.length === 0 && edges.length > 0)
    out.push({
      level: 'warning',
      code: 'no-saddles',
      message: 'no unstable fixed point was found: saddles of the transitions are not identified',
    });
  return out;
}
