/**
 * Seed 004 §3.4 / Fig. 8 on a trained 50-unit CTRNN flip-flop (our own numpy BPTT fixture,
 * test/fixtures/spectrum/train_ctrnn_flipflop.py, orthogonal initial condition, seed 4): before
 * training every eigenvalue of W lies on the unit circle; training pushes a small group out,
 * led by a real eigenvalue whose mode holds the flip-flop's fixed points, while the rest stay
 * near the circle. Also `rnnscope spectrum` on the pair.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compareSpectra,
  regressMomentChanges,
  type SpectrumComparison,
} from '../../src/analysis/spectrum/index.js';
import { createModel } from '../../src/models/index.js';
import { cli } from '../cli/helpers.js';
import { fixture, loadFixture, readJson } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rnnscope-spectrum-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = (name: string) => createModel(loadFixture(name).params);

describe('trained 50-unit flip-flop (orthogonal initial condition)', () => {
  const r = compareSpectra(
    model('ctrnn50-flipflop-orthogonal-initial.json'),
    model('ctrnn50-flipflop-orthogonal-trained.json'),
    { responses: { steps: 300 } },
  );

  it('starts with every eigenvalue on the unit circle', () => {
    for (const l of r.initial.eigenvalues)
      expect(Math.abs(Math.hypot(...l) - 1)).toBeLessThan(1e-12);
    expect(r.initial.outsideUnitCircle).toEqual([]);
    expect(r.initial.henrici).toBeLessThan(1e-6);
    expect(r.initial.symmetricPartMaxEig).toBeLessThanOrEqual(1 + 1e-12);
  });

  it('ends with a small group outside, led by a real eigenvalue, the rest near the circle', () => {
    const moduli = r.eigenvalues.map((l) => Math.hypot(...l));
    const far = r.eigenvalues.filter((l) => Math.hypot(...l) > 1.1);
    expect(far).toHaveLength(1);
    expect(far[0][1]).toBe(0);
    expect(far[0][0]).toBeGreaterThan(1.1);
    expect(r.outsideUnitCircle.length).toBeGreaterThan(0);
    expect(r.changes.outsideUnitCircle).toEqual({
      initial: 0,
      trained: r.outsideUnitCircle.length,
    });
    // The others move little: 80 % stay within 0.06 of the circle, median within 0.03 of 1.
    const rest = moduli.slice(1).sort((a, b) => a - b);
    expect(rest.filter((m) => Math.abs(m - 1) < 0.06).length).toBeGreaterThanOrEqual(
      0.8 * rest.length,
    );
    expect(Math.abs(rest[Math.floor(rest.length / 2)] - 1)).toBeLessThan(0.03);
    // The real outlier is the only mode that destabilises −I + W (Re λ > 1).
    expect(r.growingModes).toEqual([far[0]]);
    // Training made W non-normal and able to amplify (λmax of the symmetric part > 1).
    expect(r.changes.henrici.trained).toBeGreaterThan(0.1);
    expect(r.amplification.possible).toBe(true);
    expect(r.initial.amplification.possible).toBe(false);
  });

  it('responds to S and R with fixed points at ±1 (real eigenvalue ⇒ fixed level, §3.4)', () => {
    const byInput = Object.fromEntries(r.responses!.responses.map((x) => [x.inputs.join(''), x]));
    expect(byInput['10'].class).toBe('fixed-point');
    expect(byInput['10'].finalOutput[0]).toBeCloseTo(1, 1);
    expect(byInput['01'].class).toBe('fixed-point');
    expect(byInput['01'].finalOutput[0]).toBeCloseTo(-1, 1);
    expect(r.frequencyComparison).toEqual([]);
  });

  it('moments change little, as in appendix A', () => {
    const m = r.changes.moments;
    expect(Math.abs(m.std.percent!)).toBeLessThan(5);
    expect(Math.abs(m.mean.delta)).toBeLessThan(0.05 * m.std.initial);
    const normal = compareSpectra(
      model('ctrnn50-flipflop-normal-initial.json'),
      model('ctrnn50-flipflop-normal-trained.json'),
    );
    const pairs = [
      { initial: r.initial.moments, trained: r.moments },
      { initial: normal.initial.moments, trained: normal.moments },
    ];
    const table = regressMomentChanges(pairs);
    const sxy = pairs.reduce((s, p) => s + p.initial.std * p.trained.std, 0);
    const sxx = pairs.reduce((s, p) => s + p.initial.std ** 2, 0);
    expect(table.std.slope).toBeCloseTo(sxy / sxx, 14);
    expect(table.std.percent).toBeCloseTo(100 * (sxy / sxx - 1), 12);
    expect(Math.abs(table.std.percent)).toBeLessThan(5);
    expect(table.std.uncertainty).toBeGreaterThan(0);
  });
});

describe('rnnscope spectrum', () => {
  it('prints the diagnostics and the before/after changes as JSON', async () => {
    const out = join(dir, 'spec.json');
    const res = await cli(
      'spectrum',
      fixture('ctrnn50-flipflop-orthogonal-trained.json'),
      '--initial',
      fixture('ctrnn50-flipflop-orthogonal-initial.json'),
      '--steps',
      '200',
      '--json',
      out,
    );
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/spectral radius\s+1\.21248/);
    expect(res.stdout).toMatch(/outside unit circle\s+0 → \d+/);
    const j = readJson<SpectrumComparison & { source: string }>(out);
    expect(j.eigenvalues).toHaveLength(50);
    expect(j.eigenvalues[0]).toHaveLength(2);
    for (const k of [
      'spectralRadius',
      'outsideUnitCircle',
      'dominant',
      'henrici',
      'symmetricPartMaxEig',
      'moments',
      'changes',
      'initial',
    ])
      expect(j).toHaveProperty(k);
    expect(Object.keys(j.dominant!)).toEqual(
      expect.arrayContaining(['re', 'im', 'angle', 'predictedFrequency']),
    );
    expect(Object.keys(j.moments)).toEqual(
      expect.arrayContaining(['mean', 'std', 'skewness', 'kurtosis']),
    );
    expect(j.changes.outsideUnitCircle.initial).toBe(0);
    expect(j.responses!.responses).toHaveLength(3);
  });

  it('reports W + Wfb·Wout for models with feedback; usage and data errors', async () => {
    const net = join(dir, 'fb.json');
    expect(
      (
        await cli(
          'init-random',
          net,
          '--units',
          '12',
          '--outputs',
          '1',
          '--feedback',
          '--seed',
          '3',
        )
      ).code,
    ).toBe(0);
    const res = await cli('spectrum', net, '--no-responses', '--json');
    expect(res.code).toBe(0);
    const j = JSON.parse(res.stdout);
    expect(j.effective.eigenvalues).toHaveLength(12);
    expect(j.effective.spectralRadius).not.toBe(j.spectralRadius);
    expect(j.responses).toBeUndefined();
    const builtin = await cli('spectrum', 'builtin:toy2d');
    expect(builtin.code).toBe(2);
    expect(builtin.stderr).toContain('needs a model file');
    const missing = await cli('spectrum', join(dir, 'nope.json'));
    expect(missing.code).toBe(1);
    const mismatch = await cli(
      'spectrum',
      net,
      '--initial',
      fixture('ctrnn50-flipflop-normal-initial.json'),
    );
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('must be the same network');
  });
});
