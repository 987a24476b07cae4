/**
 * `rnnscope demo` with a tiny budget (the full run is the lead's acceptance check): it writes
 * the trained and untrained models, the report and its figures, and its trained network is the
 * one `rnnscope train flipflop --trainer bptt` makes with the same seed and budget, so the
 * "before training" spectrum is really the network training started from.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelSync } from '../../src/io/index.js';
import { trainTask } from '../../src/train/index.js';
import { cornersOf, demoRecipe } from '../../src/cli/commands/demo.js';
import { analyseModel } from '../../src/report/index.js';
import { createTask } from '../../src/tasks/index.js';
import { FLIPFLOP, FLIPFLOP_TASK } from './helpers.js';
import { cli } from '../cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rnnscope-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rnnscope demo', () => {
  it('trains (20 iterations here), analyses and writes the report; same network as `train`', async () => {
    const out = join(dir, 'demo');
    const r = await cli(
      'demo',
      '--out',
      out,
      '--iterations',
      '20',
      '--seed',
      '3',
      '--static',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const s = JSON.parse(r.stdout);
    expect(s.report).toBe(join(out, 'report.html'));
    expect(s.training.iterations).toBe(20);
    for (const f of ['flipflop.json', 'flipflop-initial.json', 'report.html', 'report.json'])
      expect(existsSync(join(out, f))).toBe(true);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const ids = Object.keys(json.figures);
    expect(ids).toEqual(
      expect.arrayContaining([
        'state-space-3d',
        'eigenvalues',
        'weights',
        'training',
        'task-panel',
      ]),
    );
    expect(readdirSync(join(out, 'figures')).sort()).toEqual(ids.map((id) => `${id}.svg`).sort());
    // Before/after: the eigenvalue figure and the histogram carry both networks.
    expect(json.figures.eigenvalues.numbers.initialEigenvalues).toHaveLength(16);
    expect(json.figures.weights.numbers.sets).toHaveLength(2);

    const ref = await trainTask(demoRecipe(3, 20));
    const demo = loadModelSync(join(out, 'flipflop.json')).params;
    expect(Array.from(demo.W.data)).toEqual(Array.from(ref.params.W.data));
    expect(Array.from(demo.Win!.data)).toEqual(Array.from(ref.params.Win!.data));
    // The saved initial network is 20 Adam steps from the trained one; one step moves an entry
    // by at most lr·(1 − β₁)/√(1 − β₂) = 0.01·0.1/√0.001 ≈ 0.0316 (lr = 0.01, β = 0.9, 0.999).
    const init = loadModelSync(join(out, 'flipflop-initial.json')).params;
    let maxStep = 0;
    init.W.data.forEach((v, k) => (maxStep = Math.max(maxStep, Math.abs(v - demo.W.data[k]))));
    expect(maxStep).toBeGreaterThan(0);
    expect(maxStep).toBeLessThanOrEqual(20 * ((0.01 * 0.1) / Math.sqrt(0.001)) * (1 + 1e-6));
  });

  it('prints progress and where the report is in text mode', async () => {
    const out = join(dir, 'demo2');
    const r = await cli('demo', '--out', out, '--iterations', '5', '--static');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/training a 16-unit tanh rnn on the 3-bit flip-flop/);
    expect(r.stderr).toMatch(/train {2}bptt/);
    expect(r.stderr).toMatch(/analyse \[[#.]+\] 2\/4 fixed points/);
    expect(r.stdout).toMatch(
      new RegExp(`open ${join(out, 'report.html').replace(/[.]/g, '\\.')} in a browser`),
    );
  });

  it('checks the corners it reports: the fixture’s 8 stable points read out at 8 distinct corners', async () => {
    const doc = await analyseModel(loadModelSync(FLIPFLOP), {
      task: createTask(FLIPFLOP_TASK),
      inits: 256,
    });
    const c = cornersOf(doc);
    expect(c.distinct).toBe(8);
    expect(c.minAbsOutput).toBeGreaterThan(0.9);
  });
});
