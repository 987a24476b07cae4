/**
 * What the N-bit flip-flop asks of the graph: 2^N nodes, one per sign pattern of the readout
 * (the stored memories), and N·2^N edges, the single-bit flips — a pulse of sign s on input c
 * moves pattern p (with p_c = −s) to p with bit c set to s — each caused by the task's own pulse
 * amplitude. Everything else is reported: missing, duplicated or ambiguous patterns (a readout
 * near 0), missing flips, transitions that should not exist, and flips the task pulse fails.
 */
import type { Destination } from './ensemble.js';
import type {
  AmplitudeScan,
  Diagnostic,
  FlipFlopExpectation,
  GraphEdge,
  GraphNode,
} from './types.js';

/** '+' for z ≥ tol, '-' for z ≤ −tol, '0' otherwise. */
export function outputPattern(z: ArrayLike<number>, tol: number): string {
  let s = '';
  for (let i = 0; i < z.length; i++) s += z[i] >= tol ? '+' : z[i] <= -tol ? '-' : '0';
  return s;
}

function allPatterns(bits: number): string[] {
  const out: string[] = [];
  for (let m = 0; m < 1 << bits; m++) {
    let s = '';
    for (let b = 0; b < bits; b++) s += m & (1 << (bits - 1 - b)) ? '-' : '+';
    out.push(s);
  }
  return out;
}

const signChar = (s: 1 | -1) => (s > 0 ? '+' : '-');

function describeDestination(d: Destination, nodes: GraphNode[]): string {
  if (typeof d !== 'number')
    return d === 'unsettled' ? 'did not settle' : 'came to rest off every node';
  return `node ${d}${nodes[d]?.pattern ? ` (${nodes[d].pattern})` : ''}`;
}

/** Summary of a scan: where the pulse leads over the grid, compressed ("stays up to 2"). */
function describeScan(scan: AmplitudeScan | undefined, nodes: GraphNode[]): string {
  if (!scan) return 'not scanned';
  const parts: string[] = [];
  let k = 0;
  while (k < scan.destinations.length) {
    let j = k;
    while (j + 1 < scan.destinations.length && scan.destinations[j + 1] === scan.destinations[k])
      j++;
    const d = scan.destinations[k];
    const where = d === scan.from ? 'stays' : `→ ${describeDestination(d, nodes)}`;
    parts.push(`${where} for ${scan.amplitudes[k]}–${scan.amplitudes[j]}`);
    k = j + 1;
  }
  return parts.join(', ');
}

/**
 * Compares the graph with the flip-flop's expectations. `channels` are the input channels that
 * were scanned; `amplitude` the task's pulse amplitude (which must lie in the scan grid).
 */
export function checkFlipFlop(
  bits: number,
  amplitude: number,
  nodes: GraphNode[],
  edges: GraphEdge[],
  scans: AmplitudeScan[],
  channels: number[],
): { expectation: FlipFlopExpectation; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const patterns = allPatterns(bits);
  const byPattern = new Map<string, number[]>();
  for (const n of nodes) {
    if (n.pattern === undefined) continue;
    byPattern.set(n.pattern, [...(byPattern.get(n.pattern) ?? []), n.index]);
  }
  const outputs = nodes[0]?.output?.length ?? 0;
  const expectation: FlipFlopExpectation = {
    bits,
    amplitude,
    expectedNodes: patterns.length,
    expectedEdges: bits * patterns.length,
    missingPatterns: [],
    duplicatePatterns: [],
    ambiguousNodes: [],
    missingEdges: [],
    unexpectedEdges: [],
    failingAtTaskAmplitude: [],
    ok: false,
  };
  if (nodes.length > 0 && outputs !== bits) {
    diagnostics.push({
      level: 'error',
      code: 'readout-size',
      message: `the flip-flop with ${bits} bits needs ${bits} readout channels; the model has ${outputs}`,
    });
    return { expectation, diagnostics };
  }
  for (const p of patterns) {
    const at = byPattern.get(p) ?? [];
    if (at.length === 0) {
      expectation.missingPatterns.push(p);
      diagnostics.push({
        level: 'error',
        code: 'missing-node',
        message: `missing node: no stable fixed point has readout pattern ${p} (that memory is not stored; the ${2 * bits} flips into and out of it cannot happen)`,
        data: { pattern: p },
      });
    } else if (at.length > 1) {
      expectation.duplicatePatterns.push({ pattern: p, nodes: at });
      diagnostics.push({
        level: 'error',
        code: 'duplicate-pattern',
        message: `extra node: nodes ${at.join(', ')} share readout pattern ${p}`,
        data: { pattern: p, nodes: at },
      });
    }
  }
  for (const n of nodes) {
    if (!n.pattern || !n.pattern.includes('0')) continue;
    expectation.ambiguousNodes.push(n.index);
    const near = [...n.pattern].flatMap((c, i) => (c === '0' ? [i] : []));
    diagnostics.push({
      level: 'error',
      code: 'ambiguous-node',
      message: `extra node: node ${n.index} has readout (${n.output!.map((z) => z.toPrecision(3)).join(', ')}), near 0 in channel${near.length > 1 ? 's' : ''} ${near.join(', ')} — not a flip-flop memory`,
      data: { node: n.index, pattern: n.pattern, channels: near },
    });
  }
  const expected = new Set<string>();
  const key = (from: number, to: number, c: number, s: number) => `${from}>${to}@${c}${s}`;
  const scanOf = (from: number, c: number, s: number) =>
    scans.find((x) => x.from === from && x.channel === c && x.sign === s);
  for (const p of patterns) {
    const fromNodes = byPattern.get(p) ?? [];
    for (let c = 0; c < bits; c++) {
      if (!channels.includes(c)) continue;
      const sign: 1 | -1 = p[c] === '+' ? -1 : 1;
      const q = p.slice(0, c) + signChar(sign) + p.slice(c + 1);
      const toNodes = byPattern.get(q) ?? [];
      if (fromNodes.length === 0 || toNodes.length === 0) {
        // Reported once per missing pattern (missing-node); the flip cannot exist.
        expectation.missingEdges.push({ from: p, channel: c, sign, to: q, reason: 'no node' });
        continue;
      }
      for (const from of fromNodes) {
        for (const to of toNodes) expected.add(key(from, to, c, sign));
        const edge = edges.find(
          (e) => e.from === from && toNodes.includes(e.to) && e.channel === c && e.sign === sign,
        );
        const scan = scanOf(from, c, sign);
        if (!edge) {
          expectation.missingEdges.push({
            from: p,
            channel: c,
            sign,
            to: q,
            reason: 'not reached',
            node: from,
          });
          diagnostics.push({
            level: 'error',
            code: 'missing-edge',
            message: `missing edge ${p} → ${q}: a ${signChar(sign)} pulse on input ${c} from node ${from} never reaches node ${toNodes.join(' or ')} (${describeScan(scan, nodes)})`,
            data: { from, to: toNodes, channel: c, sign },
          });
        }
        const k = scan ? scan.amplitudes.indexOf(amplitude) : -1;
        const got = k >= 0 ? scan!.destinations[k] : undefined;
        if (got !== undefined && !(typeof got === 'number' && toNodes.includes(got))) {
          expectation.failingAtTaskAmplitude.push({ from: p, channel: c, sign, expected: q, got });
          diagnostics.push({
            level: 'error',
            code: 'task-pulse-fails',
            message: `the task's pulse (${signChar(sign)}${amplitude} on input ${c}) from ${p} (node ${from}) ${got === from ? 'leaves the memory unchanged' : `goes to ${describeDestination(got, nodes)}`} instead of ${q}`,
            data: { from, channel: c, sign, expected: toNodes, got },
          });
        }
        if (edge && edge.threshold < 0.1 * amplitude) {
          diagnostics.push({
            level: 'warning',
            code: 'low-threshold',
            message: `low excitability threshold: ${p} → ${q} needs only ${edge.threshold.toPrecision(3)} (< 10 % of the task's pulse): noise of that size flips the bit`,
            data: { from, to: edge.to, channel: c, sign, threshold: edge.threshold },
          });
        }
      }
    }
  }
  for (const e of edges) {
    if (expected.has(key(e.from, e.to, e.channel, e.sign))) continue;
    expectation.unexpectedEdges.push({ from: e.from, to: e.to, channel: e.channel, sign: e.sign });
    const fromP = nodes[e.from]?.pattern ?? '?';
    const toP = nodes[e.to]?.pattern ?? '?';
    const byTask = e.threshold <= amplitude;
    diagnostics.push({
      level: byTask ? 'error' : 'warning',
      code: 'unexpected-edge',
      message: `unexpected edge ${fromP} → ${toP} (node ${e.from} → ${e.to}): ${signChar(e.sign)} pulse on input ${e.channel}, threshold ${e.threshold.toPrecision(4)}${byTask ? " — within the task's pulse amplitude" : ` (above the task's ${amplitude})`}`,
      data: { from: e.from, to: e.to, channel: e.channel, sign: e.sign, threshold: e.threshold },
    });
  }
  expectation.ok = !diagnostics.some((d) => d.level === 'error');
  return { expectation, diagnostics };
}
