/** `rnnscope meanfield`: JSON shape, the finite comparison, M > 1, usage errors. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rnnscope-meanfield-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rnnscope meanfield', () => {
  it('prints the M = 1 theory and a finite network as JSON', async () => {
    const out = join(dir, 'mf.json');
    const r = await cli(
      'meanfield',
      '--g',
      '1.1',
      '--amplitude',
      '1',
      '--activation',
      'relu:0.1',
      '--feedback',
      'uniform',
      '--finite',
      '400',
      '--seed',
      '2',
      '--omega-points',
      '5',
      '--json',
      out,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/λ_out\s+0\.105\d* \(unstable\)/);
    expect(r.stdout).toContain('finite network N = 400, seed 2');
    const j = JSON.parse(readFileSync(out, 'utf8'));
    for (const k of [
      'sigma2',
      'beta0',
      'beta1',
      'lambdaOut',
      'rho',
      'tauOut',
      'tauNet',
      'gainOpenLoop',
      'nyquist',
      'finite',
    ])
      expect(j).toHaveProperty(k);
    expect(j.activation).toEqual({ name: 'relu', threshold: 0.1 });
    expect(j.gainOpenLoop).toHaveLength(11);
    expect(j.gainOpenLoop[5][0]).toBe(0);
    expect(j.nyquist).toMatchObject({ encirclements: 1, stable: false, criticalPoint: [1, 0] });
    expect(j.finite.outliers[0]).toHaveLength(2);
    expect(j.finite.outliers[0][0]).toBeGreaterThan(0);
    expect(j.finite.gainOpenLoop).toHaveLength(11);
    expect(typeof j.finite.bulkRadius).toBe('number');
  });

  it('analyses one level of several (M > 1) and prints bare JSON on stdout', async () => {
    const r = await cli(
      'meanfield',
      '--g',
      '0.9',
      '--amplitude',
      '0.5',
      '--levels',
      '0.5,1,1.5',
      '--omega-points',
      '3',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.levels).toEqual([0.5, 1, 1.5]);
    expect(j.outliers).toHaveLength(3);
    expect(j.perLevel).toHaveLength(3);
    expect(j.covariance).toHaveLength(3);
    expect(j.nyquist.stable).toBe(true);
    expect(j.finite).toBeUndefined();
  });

  it('rejects bad usage with exit 2 and impossible settings with exit 1', async () => {
    const notIn = await cli('meanfield', '--g', '1', '--amplitude', '2', '--levels', '0.5,1');
    expect(notIn.code).toBe(2);
    expect(notIn.stderr).toContain('must be one of --levels');
    const act = await cli('meanfield', '--g', '1', '--amplitude', '1', '--activation', 'softplus');
    expect(act.code).toBe(2);
    expect(act.stderr).toContain('expected tanh, logistic, identity, relu or relu:θ');
    expect((await cli('meanfield', '--g', '1', '--amplitude', '0')).code).toBe(2);
    expect((await cli('meanfield', '--amplitude', '1')).code).toBe(2);
    expect((await cli('meanfield', '--g', '1', '--amplitude', '1', '--full-spectrum')).code).toBe(
      2,
    );
    const noRoot = await cli('meanfield', '--g', '1.6', '--amplitude', '1', '--activation', 'relu');
    expect(noRoot.code).toBe(1);
    expect(noRoot.stderr).toContain('no finite σ²');
  });
});
