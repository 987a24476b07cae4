import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rnnscope-attractors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);
const FLIPFLOP = new URL('../fixtures/flipflop/flipflop-rnn16.json', import.meta.url).pathname;

describe('rnnscope attractor-graph', () => {
  it('flip-flop fixture: text summary, JSON file with nodes, edges and the task check', async () => {
    const r = await cli(
      'attractor-graph',
      FLIPFLOP,
      '--task',
      'flipflop',
      '--variant',
      'discrete',
      '--pulse-width',
      '1',
      '--steps',
      '300',
      '--json',
      at('graph.json'),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nodes (8)');
    expect(r.stdout).toContain('edges (24)');
    expect(r.stdout).toContain('8/8 memories, 24/24 single-bit flips');
    expect(r.stderr).toMatch(/rnnscope: (trajectories|scan|bisect)/); // progress on stderr
    const j = JSON.parse(readFileSync(at('graph.json'), 'utf8'));
    expect(j.nodes).toHaveLength(8);
    expect(j.edges).toHaveLength(24);
    expect(Object.keys(j.edges[0])).toEqual(
      expect.arrayContaining(['from', 'to', 'channel', 'sign', 'threshold', 'bracket', 'saddle']),
    );
    expect(j.flipflop.ok).toBe(true);
    expect(j.settings.pulseWidth).toBe(1);
  });

  it('bare --json prints only JSON; usage and data errors exit 2 and 1', async () => {
    const ok = await cli(
      'attractor-graph',
      FLIPFLOP,
      '--channels',
      '0',
      '--signs',
      '+',
      '--steps',
      '200',
      '--no-progress',
      '--json',
    );
    expect(ok.code).toBe(0);
    const j = JSON.parse(ok.stdout);
    expect(
      j.scans.every((s: { channel: number; sign: number }) => s.channel === 0 && s.sign === 1),
    ).toBe(true);
    expect(ok.stderr).toBe('');
    expect((await cli('attractor-graph', 'builtin:toy2d')).code).toBe(2);
    expect((await cli('attractor-graph', FLIPFLOP, '--channels', 'x')).code).toBe(2);
    expect((await cli('attractor-graph', FLIPFLOP, '--task', 'none', '--bits', '3')).code).toBe(2);
    const bad = await cli('attractor-graph', FLIPFLOP, '--channels', '5', '--no-progress');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('channel 5 does not exist');
    const model = JSON.parse(readFileSync(FLIPFLOP, 'utf8'));
    delete model.Win;
    writeFileSync(at('noinput.json'), JSON.stringify(model));
    const noInput = await cli('attractor-graph', at('noinput.json'));
    expect(noInput.code).toBe(1);
    expect(noInput.stderr).toContain('no inputs');
  });
});

describe('rnnscope echo-index', () => {
  it('zero input: index 8 on the flip-flop fixture', async () => {
    const r = await cli(
      'echo-index',
      FLIPFLOP,
      '--starts',
      '48',
      '--steps',
      '300',
      '--no-progress',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('echo index 8');
    expect(r.stdout).toContain('analytic, global');
  });

  it('--sweep prints the table; JSON carries every amplitude', async () => {
    const r = await cli(
      'echo-index',
      FLIPFLOP,
      '--sweep',
      '0,3',
      '--starts',
      '64',
      '--steps',
      '300',
      '--region-samples',
      '8',
      '--no-progress',
      '--json',
      at('sweep.json'),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n\s+0\s+8\s/);
    expect(r.stdout).toMatch(/\n\s+3\s+1\s/);
    const j = JSON.parse(readFileSync(at('sweep.json'), 'utf8'));
    expect(j.table.map((t: { echoIndex: number }) => t.echoIndex)).toEqual([8, 1]);
    expect(j.results).toHaveLength(2);
  });

  it('usage errors exit 2', async () => {
    expect((await cli('echo-index', FLIPFLOP, '--amplitude', '1', '--sweep', '1,2')).code).toBe(2);
    expect((await cli('echo-index', FLIPFLOP, '--sweep', '1,x')).code).toBe(2);
    expect(
      (await cli('echo-index', FLIPFLOP, '--input-kind', 'zeros', '--amplitude', '2')).code,
    ).toBe(2);
    expect((await cli('echo-index', FLIPFLOP, '--input-kind', 'bogus')).code).toBe(2);
  });
});
