/**
 * The experiment commands end to end, in-process, on a small FORCE-trained 3-bit flip-flop
 * (200 units, 6000 steps, two Wout snapshots): JSON and text output, usage and data errors,
 * SIGINT keeping finished work.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rnnscope-experiments-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

beforeAll(async () => {
  const r = await cli(
    'train',
    'flipflop',
    '--units',
    '200',
    '--steps',
    '6000',
    '--snapshots',
    '200,6000',
    '--seed',
    '1',
    '--test-trials',
    '1',
    '--quiet',
    '--out',
    at('ff.json'),
  );
  expect(r.code, r.stderr).toBe(0);
  const bptt = await cli(
    'train',
    'boolean',
    '--op',
    'and',
    '--units',
    '8',
    '--iterations',
    '2',
    '--test-trials',
    '1',
    '--quiet',
    '--out',
    at('and.json'),
  );
  expect(bptt.code, bptt.stderr).toBe(0);
}, 60_000);

describe('rnnscope evolution', () => {
  it('follows the fixed points of each snapshot; the origin keeps one track', async () => {
    const r = await cli(
      'evolution',
      at('ff.json'),
      '--zero-start',
      '--starts',
      '16',
      '--no-progress',
      '--json',
      at('evo.json'),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/3 snapshots of Wout, 25 fixed starts/);
    expect(r.stdout).toMatch(/step\s+fixed\s+stable/);
    const j = JSON.parse(readFileSync(at('evo.json'), 'utf8'));
    expect(j.partial).toBe(false);
    expect(j.snapshots.map((s: { step: number }) => s.step)).toEqual([0, 200, 6000]);
    expect(j.startCounts).toEqual({ origin: 1, samples: 16, corners: 8 });
    // With zero input and no bias, x = 0 is a fixed point of every snapshot (tanh(0) = 0):
    // one track, present throughout, unstable (g = 1.5: W alone has eigenvalues with Re > 1).
    const origin = j.tracks.filter((t: { points: { norm: number }[] }) =>
      t.points.every((p) => p.norm === 0),
    );
    expect(origin).toHaveLength(1);
    expect(origin[0].points).toHaveLength(3);
    expect(
      origin[0].points.every(
        (p: { stability: string; q: number }) => p.stability === 'unstable' && p.q === 0,
      ),
    ).toBe(true);
    for (const s of j.snapshots) expect(s.tracks.length).toBe(s.stable + s.unstable + s.marginal);
  }, 60_000);

  it('rejects a model without snapshots and corner starts without a flip-flop task', async () => {
    const r = await cli('evolution', at('and.json'), '--no-progress');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no Wfb|no Wout snapshots/);
    const u = await cli('evolution', at('ff.json'), '--task', 'sine', '--per-corner', '2');
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--per-corner needs a flip-flop/);
  });
});

describe('rnnscope robustness', () => {
  it('η = 0 reproduces rnnscope evaluate; mean ± std per level', async () => {
    const ev = await cli(
      'evaluate',
      at('ff.json'),
      '--seed',
      '3',
      '--trials',
      '1',
      '--steps',
      '1000',
      '--json',
    );
    expect(ev.code, ev.stderr).toBe(0);
    const r = await cli(
      'robustness',
      at('ff.json'),
      '--eta',
      '0,0.05',
      '--draws',
      '2',
      '--seed',
      '3',
      '--starts',
      '8',
      '--steps',
      '1000',
      '--no-progress',
      '--json',
      at('rob.json'),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/η\s+η√N\s+mse \(mean ± std\)/);
    const j = JSON.parse(readFileSync(at('rob.json'), 'utf8'));
    expect(j.baseline.mse).toBe(JSON.parse(ev.stdout).mse);
    expect(j.levels[0].draws.map((d: { mse: number }) => d.mse)).toEqual([
      j.baseline.mse,
      j.baseline.mse,
    ]);
    expect(j.levels[0].stable.mean).toBe(j.baseline.stable);
    expect(j.levels[1].draws).toHaveLength(2);
    expect(j.noiseRadius[1]).toBeCloseTo(0.05 * Math.sqrt(200), 12);
    const bad = await cli('robustness', at('ff.json'), '--eta', '0,-1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/comma-separated numbers ≥ 0/);
  }, 60_000);

  it('SIGINT keeps the finished draws and labels the JSON partial', async () => {
    const timer = setTimeout(() => process.emit('SIGINT'), 600);
    const r = await cli(
      'robustness',
      at('ff.json'),
      '--eta',
      '0.01,0.02',
      '--draws',
      '400',
      '--no-fixed-points',
      '--steps',
      '500',
      '--no-progress',
      '--json',
      at('partial.json'),
    );
    clearTimeout(timer);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/interrupted: partial results/);
    const j = JSON.parse(readFileSync(at('partial.json'), 'utf8'));
    expect(j.partial).toBe(true);
    const done = j.levels[0].draws.length + j.levels[1].draws.length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(800);
    expect(process.listenerCount('SIGINT')).toBe(0);
  }, 60_000);
});

describe('rnnscope compare-geometry', () => {
  it('labels the 8 corners and measures their cube; a model compared with itself correlates 1', async () => {
    const r = await cli(
      'compare-geometry',
      at('ff.json'),
      at('ff.json'),
      '--starts',
      '8',
      '--per-corner',
      '1',
      '--no-progress',
      '--json',
      at('geo.json'),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/8\/8 corners with a stable point/);
    expect(r.stdout).toMatch(/edge length per bit/);
    const j = JSON.parse(readFileSync(at('geo.json'), 'utf8'));
    expect(j.models).toHaveLength(2);
    const g = j.models[0];
    expect(g.missing).toEqual([]);
    expect(g.corners).toHaveLength(8);
    for (const c of g.corners)
      c.output.forEach((z: number, k: number) => expect(Math.sign(z)).toBe(c.signs[k]));
    expect(g.geometry.edges).toHaveLength(3);
    expect(j.comparison.distanceCorrelation).toBeCloseTo(1, 12);
    const wrong = await cli('compare-geometry', at('and.json'), '--no-progress');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/not a flip-flop/);
  }, 60_000);
});
