import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rnnscope-fp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);
const FLIPFLOP = new URL('../fixtures/flipflop/flipflop-rnn16.json', import.meta.url).pathname;

describe('rnnscope fixedpoints', () => {
  it('builtin toy2d: text summary on stdout, JSON file with the contract fields', async () => {
    const r = await cli(
      'fixedpoints',
      'builtin:toy2d',
      '--inits',
      '40',
      '--seed',
      '3',
      '--no-progress',
      '--json',
      at('toy.json'),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 fixed');
    expect(r.stdout).toMatch(/saddle/);
    const j = JSON.parse(readFileSync(at('toy.json'), 'utf8'));
    expect(j.fixedPoints).toHaveLength(3);
    for (const p of j.fixedPoints) {
      expect(Object.keys(p)).toEqual(
        expect.arrayContaining([
          'x',
          'q',
          'speed',
          'kind',
          'eigenvalues',
          'stability',
          'unstableDims',
          'count',
        ]),
      );
      expect(p.kind).toBe('fixed');
    }
    expect(j.settings.method).toBe('gauss-newton');
    expect(j.timings.total).toBeGreaterThan(0);
    expect(j.sampling.seed).toBe(3);
  });

  it('flip-flop model: 8 stable points with outputs at the corners, PCA on request', async () => {
    const r = await cli(
      'fixedpoints',
      FLIPFLOP,
      '--input',
      '0,0,0',
      '--inits',
      '256',
      '--noise',
      '0.5',
      '--off-manifold',
      '8',
      '--pca',
      '3',
      '--json',
      '--no-progress',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const stable = j.fixedPoints.filter((p: { stability: string }) => p.stability === 'stable');
    expect(stable).toHaveLength(8);
    for (const p of stable)
      for (const z of p.output) expect(Math.abs(Math.abs(z) - 1)).toBeLessThan(0.1);
    expect(j.pca.fixedPoints).toHaveLength(j.fixedPoints.length);
    expect(j.pca.trajectories[0][0]).toHaveLength(3);
  });

  it('flip-flop model with default sampling settings: all 8 corners, for several seeds', async () => {
    for (const seed of ['0', '1', '2']) {
      const r = await cli('fixedpoints', FLIPFLOP, '--seed', seed, '--json', '--no-progress');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      const stable = j.fixedPoints.filter((p: { stability: string }) => p.stability === 'stable');
      expect(stable, `seed ${seed}`).toHaveLength(8);
    }
  });

  it('reports bad input clearly: wrong --input length (exit 1), --input on a builtin (exit 2)', async () => {
    const wrong = await cli('fixedpoints', FLIPFLOP, '--input', '1,2', '--no-progress');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--input has 2 values, but the model has 3 inputs');
    const builtin = await cli('fixedpoints', 'builtin:toy2d', '--input', '1', '--no-progress');
    expect(builtin.code).toBe(2);
    const method = await cli('fixedpoints', 'builtin:toy2d', '--method', 'newton');
    expect(method.code).toBe(2);
  });

  it('keeps NaN initial states as labelled, non-converged starts and says so', async () => {
    writeFileSync(
      at('states.json'),
      JSON.stringify([
        [0.1, 0.1],
        [null, 1],
        [0.9, 0.4],
      ]),
    );
    const r = await cli(
      'fixedpoints',
      'builtin:toy2d',
      '--inits',
      '10',
      '--states',
      at('states.json'),
      '--json',
      '--no-progress',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const bad = j.starts.filter((s: { reason: string }) => s.reason === 'non-finite');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ index: 11, status: 'not converged', fixedPoint: null });
    expect(j.warnings.join(' ')).toMatch(/1 initial state \(rows 11\) had NaN/);
    expect(j.fixedPoints.length).toBeGreaterThanOrEqual(2);
  });

  it('SIGINT writes what was found so far and exits non-zero', async () => {
    expect(
      (await cli('init-random', at('big.json'), '--units', '300', '--g', '1.5', '--seed', '1'))
        .code,
    ).toBe(0);
    const timer = setTimeout(() => process.emit('SIGINT'), 400);
    const r = await cli(
      'fixedpoints',
      at('big.json'),
      '--method',
      'adam',
      '--max-iterations',
      '1000000',
      '--no-progress',
      '--json',
      at('partial.json'),
    );
    clearTimeout(timer);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`interrupted: partial results written to ${at('partial.json')}`);
    const j = JSON.parse(readFileSync(at('partial.json'), 'utf8'));
    expect(j.interrupted).toBe(true);
    expect(j.starts.every((s: { reason: string }) => s.reason === 'interrupted')).toBe(true);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });
});
