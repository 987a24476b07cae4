import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { batchModelSystem, findFixedPoints, sampleStates } from '../../src/analysis/index.js';
import { loadModelSync } from '../../src/io/index.js';
import type { Matrix } from '../../src/linalg/index.js';
import { createModel } from '../../src/models/index.js';
import { createRng, type Rng } from '../../src/random/index.js';

const FIXTURE = new URL('../fixtures/flipflop/flipflop-rnn16.json', import.meta.url);

/** Flip-flop trial as in train_flipflop.py: pulses ±1 with probability p, always at step 0. */
function trial(rng: Rng, steps: number, p = 0.05): { inputs: Matrix; targets: Float64Array } {
  const inputs = { rows: steps, cols: 3, data: new Float64Array(steps * 3) };
  const targets = new Float64Array(steps * 3);
  const last = [0, 0, 0];
  for (let t = 0; t < steps; t++)
    for (let c = 0; c < 3; c++) {
      if (t === 0 || rng.uniform() < p) {
        const s = rng.uniform() < 0.5 ? -1 : 1;
        inputs.data[t * 3 + c] = s;
        last[c] = s;
      }
      targets[t * 3 + c] = last[c];
    }
  return { inputs, targets };
}

describe('3-bit flip-flop, 16-unit tanh RNN (fixture trained by train_flipflop.py)', () => {
  const loaded = loadModelSync(FIXTURE.pathname);
  const model = createModel(loaded.params);
  const rng = createRng('flipflop test');
  const trials = Array.from({ length: 64 }, () => trial(rng, 200));
  const runs = trials.map((t) => model.simulate(t.inputs));

  it('performs the task: sign accuracy ≥ 99 % on fresh trials', () => {
    let right = 0;
    let total = 0;
    runs.forEach((run, k) => {
      const z = run.outputs.data;
      const y = trials[k].targets;
      for (let i = 0; i < y.length; i++, total++) if (Math.sign(z[i]) === y[i]) right++;
    });
    expect(right / total).toBeGreaterThanOrEqual(0.99);
    expect(JSON.parse(readFileSync(FIXTURE, 'utf8')).metadata.seed).toBeTypeOf('number');
  });

  it('has 8 stable fixed points at the cube corners plus saddles, all q < 1e-24', () => {
    const starts = sampleStates(
      runs.map((r) => r.states),
      1024,
      createRng(11),
      { replace: true, noise: 0.5 },
    );
    const sys = batchModelSystem(loaded.params, new Float64Array(3));
    const r = findFixedPoints(sys, starts);
    const fixed = r.fixedPoints.filter((p) => p.kind === 'fixed');
    for (const p of fixed) expect(p.q).toBeLessThan(1e-24);
    const stable = fixed.filter((p) => p.stability === 'stable');
    expect(stable).toHaveLength(8);
    const corners = new Set<string>();
    for (const p of stable) {
      for (const z of p.output!) expect(Math.abs(Math.abs(z) - 1)).toBeLessThan(0.1);
      corners.add(p.output!.map((z) => (z > 0 ? '+' : '-')).join(''));
      // The discrete map's multipliers lie inside the unit circle.
      for (const [re, im] of p.eigenvalues!) expect(Math.hypot(re, im)).toBeLessThan(1);
    }
    expect(corners.size).toBe(8);
    const saddles = fixed.filter((p) => p.label === 'saddle');
    expect(saddles.length).toBeGreaterThanOrEqual(7);
    for (const s of saddles) expect(s.unstableDims).toBeGreaterThanOrEqual(1);
    expect(r.summary.notConverged).toBe(0);
    expect(r.periodicOrbits).toBeUndefined();
  });
});
