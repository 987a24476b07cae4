import { describe, expect, it } from 'vitest';
import { attractorGraph } from '../../src/analysis/attractors/index.js';
import { bistablePoint, decoupledRnn, pulseThreshold } from './helpers.js';

describe('attractor graph of decoupled bistable units (closed-form thresholds and saddles)', () => {
  it('one unit x ← tanh(2x + u), width-1 pulses: nodes ±a, thresholds w·a, saddle the origin', () => {
    const w = 2;
    const a = bistablePoint(w);
    const g = attractorGraph(decoupledRnn([w]), {
      maxAmplitude: 4,
      pulseWidth: 1,
      bracketTol: 1e-7,
      seed: 1,
    });
    expect(g.nodes.map((n) => n.x[0]).sort((p, q) => p - q)).toEqual([
      expect.closeTo(-a, 12),
      expect.closeTo(a, 12),
    ]);
    expect(g.edges).toHaveLength(2);
    for (const e of g.edges) {
      // One step of tanh(w·x + A) from ∓a lands on 0 exactly when A = w·a.
      expect(Math.abs(e.threshold - w * a)).toBeLessThanOrEqual(e.bracketWidth + 1e-12);
      expect(e.bracketWidth).toBeLessThanOrEqual(1e-7 * e.threshold);
      expect(e.below).toBe(e.from);
      const from = g.nodes[e.from].x[0];
      expect(Math.sign(from)).toBe(-e.sign);
      const s = e.saddle!;
      expect(s.unstableDims).toBe(1);
      expect(Math.abs(g.saddles[s.saddle].x[0])).toBeLessThan(1e-12); // the origin
      expect(s.distance).toBeLessThan(1e-5); // the run just above threshold passes right by it
    }
    expect(g.diagnostics.filter((d) => d.level !== 'info')).toEqual([]);
  });

  it('two units, width-3 pulses: 4 nodes, 8 single-bit edges at the scalar-root thresholds', () => {
    const w = [1.5, 3];
    const g = attractorGraph(decoupledRnn(w), {
      maxAmplitude: 3,
      pulseWidth: 3,
      bracketTol: 1e-6,
      seed: 2,
    });
    expect(g.nodes).toHaveLength(4);
    expect(g.edges).toHaveLength(8);
    for (const e of g.edges) {
      const from = g.nodes[e.from].x;
      const to = g.nodes[e.to].x;
      // The pulsed unit flips, the other stays.
      const other = 1 - e.channel;
      expect(Math.sign(to[e.channel])).toBe(e.sign);
      expect(Math.sign(from[e.channel])).toBe(-e.sign);
      expect(to[other]).toBeCloseTo(from[other], 9);
      const ref = pulseThreshold(w[e.channel], 3);
      expect(Math.abs(e.threshold - ref)).toBeLessThanOrEqual(e.bracketWidth + 1e-12);
      // The saddle: the pulsed unit at 0, the other at its corner value; one unstable direction.
      const s = g.saddles[e.saddle!.saddle];
      expect(Math.abs(s.x[e.channel])).toBeLessThan(1e-10);
      expect(s.x[other]).toBeCloseTo(from[other], 9);
      expect(s.eigen.unstableDims).toBe(1);
    }
  });

  it('badly specified: one monostable unit of three → 4 nodes, every pattern missing, all nodes ambiguous', () => {
    const g = attractorGraph(decoupledRnn([2, 2.5, 0.5]), {
      task: { task: 'flipflop', bits: 3, pulseWidth: 2 },
      seed: 3,
    });
    expect(g.nodes).toHaveLength(4);
    for (const n of g.nodes) expect(n.pattern![2]).toBe('0');
    const f = g.flipflop!;
    expect(f.ok).toBe(false);
    expect(f.missingPatterns).toHaveLength(8);
    expect(f.ambiguousNodes).toHaveLength(4);
    const codes = g.diagnostics.map((d) => d.code);
    expect(codes.filter((c) => c === 'missing-node')).toHaveLength(8);
    expect(codes.filter((c) => c === 'ambiguous-node')).toHaveLength(4);
    expect(g.diagnostics.find((d) => d.code === 'missing-node')!.message).toContain('+++');
    // Pulses on the monostable unit lead nowhere: its edges are absent, the others present.
    expect(g.edges.every((e) => e.channel !== 2)).toBe(true);
    expect(g.edges).toHaveLength(8);
  });

  it('rejects what it cannot analyse', () => {
    const noInput = { ...decoupledRnn([2]), Win: undefined };
    expect(() => attractorGraph(noInput)).toThrow(/needs a model with inputs/);
    expect(() => attractorGraph(decoupledRnn([2]), { channels: [1] })).toThrow(
      /channel 1 does not exist/,
    );
    expect(() => attractorGraph(decoupledRnn([2]), { input: Float64Array.of(0, 0) })).toThrow(
      /baseline input must have 1 values/,
    );
    expect(() =>
      attractorGraph(decoupledRnn([2, 2]), { task: { task: 'flipflop', bits: 3 } }),
    ).toThrow(/3-bit flip-flop has 3 inputs, but the model has 2/);
  });
});
