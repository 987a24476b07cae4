import { describe, expect, it } from 'vitest';
import { attractorGraph, type AttractorGraph } from '../../src/analysis/attractors/index.js';
import { loadModelSync } from '../../src/io/index.js';
import { eig, type Matrix } from '../../src/linalg/index.js';
import { createModel } from '../../src/models/index.js';
import type { ModelParams } from '../../src/models/types.js';

const FIXTURE = new URL('../fixtures/flipflop/flipflop-rnn16.json', import.meta.url).pathname;
/** The fixture's own task: sparse ±1 pulses one step wide (train_flipflop.py). */
const TASK = {
  task: 'flipflop' as const,
  bits: 3,
  variant: 'discrete' as const,
  pulseRate: 0.05,
  pulseWidth: 1,
  steps: 200,
};

/** Runs the real model (Model.simulate) from x0 with a one-step pulse, then zero input. */
function endState(params: ModelParams, x0: number[], channel: number, value: number): Float64Array {
  const T = 300;
  const u: Matrix = { rows: T, cols: 3, data: new Float64Array(T * 3) };
  u.data[channel] = value;
  const run = createModel(params).simulate(u, Float64Array.from(x0));
  return run.states.data.slice((T - 1) * 16, T * 16);
}

const nearest = (g: AttractorGraph, x: Float64Array) => {
  let best = -1;
  let bd = Infinity;
  g.nodes.forEach((n, k) => {
    const d = Math.hypot(...n.x.map((v, i) => v - x[i]));
    if (d < bd) [best, bd] = [k, d];
  });
  return best;
};

describe('attractor graph of the 16-unit flip-flop fixture', () => {
  const params = loadModelSync(FIXTURE).params;
  const g = attractorGraph(params, { task: TASK, seed: 5 });

  it('8 corners as nodes and the 24 single-bit flips as edges; the task checks out', () => {
    expect(g.nodes).toHaveLength(8);
    expect(new Set(g.nodes.map((n) => n.pattern)).size).toBe(8);
    for (const n of g.nodes) {
      expect(n.eigen.unstableDims).toBe(0);
      for (const z of n.output!) expect(Math.abs(Math.abs(z) - 1)).toBeLessThan(0.05);
    }
    expect(g.edges).toHaveLength(24);
    expect(g.flipflop!.ok).toBe(true);
    expect(g.flipflop!.missingEdges).toEqual([]);
    expect(g.flipflop!.unexpectedEdges).toEqual([]);
    expect(g.diagnostics.filter((d) => d.level === 'error')).toEqual([]);
  });

  it('thresholds bracket the transition when checked with Model.simulate', () => {
    for (const e of g.edges.slice(0, 6)) {
      const from = g.nodes[e.from].x;
      const above = endState(params, from, e.channel, e.sign * e.bracket[1]);
      const below = endState(params, from, e.channel, e.sign * e.bracket[0]);
      expect(nearest(g, above)).toBe(e.to);
      expect(nearest(g, below)).toBe(e.from);
      expect(e.bracketWidth).toBeLessThanOrEqual(1e-3 * e.threshold);
      expect(e.threshold).toBeLessThan(1); // the task's pulse (±1) is enough
    }
  });

  it('each flip crosses a saddle: a true fixed point with one multiplier outside the unit circle', () => {
    const sys = createModel(params).system(new Float64Array(3));
    const seen = new Set<number>();
    for (const e of g.edges) {
      const c = e.saddle!;
      expect(c.kind).toBe('fixed');
      expect(c.unstableDims).toBe(1);
      expect(c.relativeDistance).toBeLessThan(0.01);
      expect(c.stepsNear).toBeGreaterThan(5);
      seen.add(c.saddle);
    }
    // 12 cube edges, each crossed both ways.
    expect(seen.size).toBe(12);
    for (const k of seen) {
      const x = Float64Array.from(g.saddles[k].x);
      const F = new Float64Array(16);
      sys.velocity(x, F);
      expect(Math.hypot(...F)).toBeLessThan(1e-10);
      const J = { rows: 16, cols: 16, data: new Float64Array(256) };
      sys.jacobian(x, J.data);
      for (let i = 0; i < 16; i++) J.data[i * 17] += 1; // DG = (G − x)′ + I
      const { re, im } = eig(J, { vectors: false });
      const outside = Array.from(re).filter((r, i) => Math.hypot(r, im[i]) > 1 + 1e-9).length;
      expect(outside).toBe(1);
    }
  });

  it('a readout that no longer separates bit 2: duplicated patterns and missing memories are named', () => {
    const bad: ModelParams = { ...params, bout: Float64Array.from(params.bout!) };
    bad.bout![2] += 1.6; // channel 2 now reads ≈ 0.6 or 2.6: always '+'
    const gb = attractorGraph(bad, { task: TASK, seed: 5 });
    expect(gb.nodes).toHaveLength(8); // the dynamics are untouched
    const f = gb.flipflop!;
    expect(f.ok).toBe(false);
    expect(f.missingPatterns.sort()).toEqual(['++-', '+--', '-+-', '---']);
    expect(f.duplicatePatterns).toHaveLength(4);
    const codes = new Set(gb.diagnostics.map((d) => d.code));
    expect(codes.has('missing-node')).toBe(true);
    expect(codes.has('duplicate-pattern')).toBe(true);
    const dup = gb.diagnostics.find((d) => d.code === 'duplicate-pattern')!;
    expect(dup.message).toMatch(/extra node: nodes \d+, \d+ share readout pattern [+-]{2}\+/);
  });
});
