import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { loadModelSync } from '../../src/io/index.js';
import { cli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rnnscope-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('rnnscope help and version', () => {
  it('prints help listing every command, exit 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const c of ['info', 'simulate', 'init-random']) expect(r.stdout).toContain(c);
    const sub = await cli('simulate', '--help');
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(
      /--out <file>[^]*--steps <n>[^]*--input[^]*--x0[^]*--dt[^]*--method[^]*--param[^]*--json/,
    );
  });

  it('prints the package.json version', async () => {
    const r = await cli('--version');
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('rejects unknown options, commands and bad values with exit 2', async () => {
    const opt = await cli('info', 'builtin:toy2d', '--bogus');
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain("rnnscope: error: unknown option '--bogus'");
    const cmd = await cli('frobnicate');
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("rnnscope: error: unknown command 'frobnicate'");
    const val = await cli('simulate', 'builtin:toy2d', '--out', at('x.json'), '--steps', 'ten');
    expect(val.code).toBe(2);
    expect(val.stderr).toContain("argument 'ten' is invalid. expected a positive integer");
    const missing = await cli('simulate', 'builtin:toy2d');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--out <file>' not specified");
    const extra = await cli('info', 'a.json', 'b.json');
    expect(extra.code).toBe(2);
    expect(
      (await cli('simulate', 'builtin:toy2d', '--out', at('x.json'), '--method', 'leapfrog')).code,
    ).toBe(2);
  });
});

describe('rnnscope init-random and info', () => {
  it('writes a reproducible random model that loads and validates', async () => {
    const r = await cli(
      'init-random',
      at('a.json'),
      '--units',
      '20',
      '--inputs',
      '2',
      '--outputs',
      '3',
      '--feedback',
      '--seed',
      '5',
      '--g',
      '1.2',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('20 units, 2 inputs, 3 outputs with feedback');
    const a = loadModelSync(at('a.json'));
    expect(a.params.W.rows).toBe(20);
    expect([a.params.Win!.cols, a.params.Wout!.rows, a.params.Wfb!.cols]).toEqual([2, 3, 3]);
    expect(a.metadata?.seed).toBe(5);
    await cli(
      'init-random',
      at('b.json'),
      '--units',
      '20',
      '--inputs',
      '2',
      '--outputs',
      '3',
      '--feedback',
      '--seed',
      '5',
      '--g',
      '1.2',
    );
    expect(Array.from(loadModelSync(at('b.json')).params.W.data)).toEqual(
      Array.from(a.params.W.data),
    );
    const w = a.params.Win!.data;
    expect(Math.max(...w)).toBeLessThan(1);
    expect(Math.min(...w)).toBeGreaterThan(-1);
  });

  it('supports every kind, zero readouts, forced sidecars and refuses to overwrite', async () => {
    for (const kind of ['leaky-esn', 'ctrnn', 'rnn']) {
      expect(
        (await cli('init-random', at(`${kind}.json`), '--units', '6', '--kind', kind)).code,
      ).toBe(0);
      expect(loadModelSync(at(`${kind}.json`)).params.kind).toBe(kind);
    }
    const z = await cli(
      'init-random',
      at('z.json'),
      '--units',
      '8',
      '--outputs',
      '2',
      '--wout',
      'zeros',
      '--sidecar',
      '--json',
    );
    expect(z.code).toBe(0);
    expect(JSON.parse(z.stdout).sidecar).toBe(at('z.safetensors'));
    expect(Array.from(loadModelSync(at('z.json')).params.Wout!.data).every((v) => v === 0)).toBe(
      true,
    );
    const again = await cli('init-random', at('z.json'), '--units', '8');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists; pass --force');
    expect((await cli('init-random', at('z.json'), '--units', '8', '--force')).code).toBe(0);
    const fb = await cli('init-random', at('fb.json'), '--units', '8', '--feedback');
    expect(fb.code).toBe(2);
    expect(fb.stderr).toContain('--feedback needs --outputs ≥ 1');
  });

  it('reports sizes, time constants, spectral radii and weight stats', async () => {
    await cli(
      'init-random',
      at('info.json'),
      '--units',
      '30',
      '--inputs',
      '1',
      '--outputs',
      '2',
      '--feedback',
      '--seed',
      '1',
    );
    const r = await cli('info', at('info.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kind\s+rate/);
    expect(r.stdout).toMatch(/units\s+30/);
    expect(r.stdout).toMatch(/tau\s+10/);
    expect(r.stdout).toContain('(W + Wfb·Wout, with feedback)');
    expect(r.stdout).toMatch(/Wout\s+2×30/);
    const j = await cli('info', at('info.json'), '--json');
    const info = JSON.parse(j.stdout);
    expect(info).toMatchObject({
      kind: 'rate',
      units: 30,
      inputs: 1,
      outputs: 2,
      tau: 10,
      dt: 1,
      activation: { name: 'tanh' },
    });
    expect(info.spectralRadius.W).toBeGreaterThan(0.8);
    expect(info.spectralRadius.W).toBeLessThan(2.5);
    expect(info.spectralRadius.effective).toBeGreaterThan(0);
    expect(info.weights.W.shape).toEqual([30, 30]);
    expect(info.weights.W.std).toBeCloseTo(1.5 / Math.sqrt(30), 1);
    expect(info.metadata.task).toBe('init-random');
    const noSpec = JSON.parse(
      (await cli('info', at('info.json'), '--json', '--no-spectrum')).stdout,
    );
    expect(noSpec.spectralRadius).toBeUndefined();
  });

  it('describes builtin systems and rejects unknown ones or parameters', async () => {
    const r = await cli('info', 'builtin:fitzhugh-nagumo', '--param', 'I=0.5', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      system: 'fitzhugh-nagumo',
      dim: 2,
      time: 'flow',
      params: { I: 0.5 },
    });
    const bad = await cli('info', 'builtin:lorenz');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("unknown system 'lorenz'");
    const badParam = await cli('info', 'builtin:fitzhugh-nagumo', '--param', 'Q=1');
    expect(badParam.code).toBe(1);
    expect(badParam.stderr).toContain('valid parameters');
    const onFile = await cli('info', at('info.json'), '--param', 'I=1');
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain('--param applies to builtin systems');
  });

  it('--json FILE writes the JSON to the file and the text summary to stdout', async () => {
    const out = at('fhn-info.json');
    const r = await cli('info', 'builtin:fitzhugh-nagumo', '--param', 'I=0.25', '--json', out);
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.stdout)).toThrow();
    expect(r.stdout).toContain('fitzhugh-nagumo');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ params: { I: 0.25 } });
    const bad = await cli('info', 'builtin:toy2d', '--json', at('no-such-dir/x.json'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('cannot write JSON');
  });
});

describe('rnnscope simulate', () => {
  it('simulates a model with constant input and writes states after each step', async () => {
    await cli(
      'init-random',
      at('sim.json'),
      '--units',
      '10',
      '--inputs',
      '2',
      '--outputs',
      '1',
      '--seed',
      '2',
    );
    const r = await cli(
      'simulate',
      at('sim.json'),
      '--steps',
      '7',
      '--input',
      '0.5,-1',
      '--out',
      at('sim-traj.json'),
      '--json',
    );
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ steps: 7, states: [7, 10], outputs: [7, 1] });
    const traj = JSON.parse(readFileSync(at('sim-traj.json'), 'utf8'));
    expect(traj.states).toHaveLength(7);
    expect(traj.states[0]).toHaveLength(10);
    expect(traj.settings.input).toEqual({ type: 'constant', value: [0.5, -1] });
    expect(traj.settings.x0).toEqual(new Array(10).fill(0));
  });

  it('takes one CSV row per step, and the CSV length sets the steps', async () => {
    writeFileSync(at('in.csv'), 'u1,u2\n1,0\n0,1\n# comment\n0.5,0.5\n');
    const r = await cli(
      'simulate',
      at('sim.json'),
      '--input',
      at('in.csv'),
      '--out',
      at('csv-traj.json'),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(at('csv-traj.json'), 'utf8')).states).toHaveLength(3);
    const clash = await cli(
      'simulate',
      at('sim.json'),
      '--input',
      at('in.csv'),
      '--steps',
      '5',
      '--out',
      at('t.json'),
    );
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('has 3 rows');
  });

  it('names expected vs got for mismatched widths', async () => {
    const v = await cli('simulate', at('sim.json'), '--input', '1,2,3', '--out', at('t.json'));
    expect(v.code).toBe(1);
    expect(v.stderr).toContain(
      'rnnscope: error: --input has 3 values, but the model has 2 inputs (expected 2, got 3)',
    );
    writeFileSync(at('wide.csv'), '1,2,3\n4,5,6\n');
    const c = await cli(
      'simulate',
      at('sim.json'),
      '--input',
      at('wide.csv'),
      '--out',
      at('t.json'),
    );
    expect(c.stderr).toContain('has 3 columns, but the model has 2 inputs (expected 2, got 3)');
    const x = await cli('simulate', at('sim.json'), '--x0', '1,2', '--out', at('t.json'));
    expect(x.stderr).toContain(
      '--x0 has 2 values, but the model has 10 units (expected 10, got 2)',
    );
    writeFileSync(at('bad.csv'), '1,2\n3,x\n');
    expect(
      (await cli('simulate', at('sim.json'), '--input', at('bad.csv'), '--out', at('t.json')))
        .stderr,
    ).toContain('line 2, column 2: "x" is not a finite number');
  });

  it('reads x0 from a file and overrides dt for continuous-time models', async () => {
    writeFileSync(at('x0.json'), JSON.stringify(Array.from({ length: 10 }, (_, i) => i / 10)));
    const r = await cli(
      'simulate',
      at('sim.json'),
      '--x0',
      at('x0.json'),
      '--dt',
      '0.5',
      '--steps',
      '3',
      '--out',
      at('x0-traj.json'),
    );
    expect(r.code).toBe(0);
    const traj = JSON.parse(readFileSync(at('x0-traj.json'), 'utf8'));
    expect(traj.settings.dt).toBe(0.5);
    expect(traj.settings.x0[9]).toBe(0.9);
    const rk = await cli('simulate', at('sim.json'), '--method', 'rk4', '--out', at('t.json'));
    expect(rk.code).toBe(2);
    expect(rk.stderr).toContain('--method rk4 applies to builtin systems');
  });

  it('integrates builtin flows with rk4 and dt 0.01 by default', async () => {
    const r = await cli(
      'simulate',
      'builtin:toy2d',
      '--x0',
      '0.5,0.2',
      '--steps',
      '4',
      '--out',
      at('toy.json'),
    );
    expect(r.code).toBe(0);
    const traj = JSON.parse(readFileSync(at('toy.json'), 'utf8'));
    expect(traj.settings).toMatchObject({ dt: 0.01, method: 'rk4', steps: 4, x0: [0.5, 0.2] });
    expect(traj.states).toHaveLength(4);
    // One RK4 step of ẋ=(1−x²)y, ẏ=x/2−y from (0.5, 0.2) moves x by ≈ dt·0.15.
    expect(traj.states[0][0]).toBeCloseTo(0.5 + 0.01 * 0.75 * 0.2, 5);
    const fhn = await cli(
      'simulate',
      'builtin:fitzhugh-nagumo',
      '--param',
      'I=0.5',
      '--method',
      'euler',
      '--dt',
      '0.1',
      '--steps',
      '5',
      '--out',
      at('fhn.json'),
    );
    expect(fhn.code).toBe(0);
    const f = JSON.parse(readFileSync(at('fhn.json'), 'utf8'));
    expect(f.outputs).toHaveLength(5);
    expect(f.outputs[4][0]).toBe(f.states[4][0]);
    expect(
      (await cli('simulate', 'builtin:toy2d', '--input', '1', '--out', at('t.json'))).code,
    ).toBe(2);
  });
});

describe('rnnscope errors', () => {
  it('prints "rnnscope: error:" and exit 1 without a stack for a bad model file', async () => {
    writeFileSync(at('broken.json'), '{"format": "rnnscope-model", "version": 1, "kind": "lstm"');
    const r = await cli('info', at('broken.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^rnnscope: error: invalid model file .*broken\.json: JSON ends unexpectedly/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = await cli('info', at('nope.json'));
    expect(missing.stderr).toBe(
      `rnnscope: error: cannot read model file ${at('nope.json')}: no such file or directory\n`,
    );
  });

  it('shows the stack only with --debug', async () => {
    const r = await cli('info', at('nope.json'), '--debug');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('reports unexpected exceptions as internal errors', async () => {
    const failing = {
      write: () => {
        throw new TypeError('stdout exploded');
      },
    };
    let err = '';
    const code = await runCli(['info', 'builtin:toy2d'], {
      stdout: failing,
      stderr: { write: (s: string) => (err += s) },
    });
    expect(code).toBe(1);
    expect(err).toContain('rnnscope: error: internal error (please report): stdout exploded');
    expect(err).not.toMatch(/\n\s+at /);
    expect(existsSync(at('nope.json'))).toBe(false);
  });
});
