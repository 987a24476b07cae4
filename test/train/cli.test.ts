import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/io/model-file.js';
import { cli } from '../cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rnnscope-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const f = (name: string) => join(dir, name);

describe('rnnscope train / evaluate', () => {
  it('trains, tests and writes a model file with task, recipe, test score and loss history', async () => {
    const r = await cli(
      'train',
      'flipflop',
      '--trainer',
      'bptt',
      '--units',
      '8',
      '--iterations',
      '30',
      '--test-trials',
      '2',
      '--seed',
      '4',
      '--out',
      f('ff.json'),
      '--json',
      '--quiet',
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({
      task: 'flipflop',
      trainer: 'bptt',
      model: 'rnn',
      units: 8,
      iterations: 30,
    });
    expect(summary.test.trials).toBe(2);
    const loaded = await loadModel(f('ff.json'));
    const meta = loaded.metadata as Record<string, Record<string, unknown>>;
    expect(meta.taskSpec).toMatchObject({ task: 'flipflop', variant: 'discrete', bits: 3 });
    expect(meta.recipe).toMatchObject({ trainer: 'bptt', learningRate: 0.01, seed: 4 });
    expect(loaded.history!.loss.length).toBe(3);
    const e = await cli('evaluate', f('ff.json'), '--trials', '3', '--seed', '1', '--json');
    expect(e.code, e.stderr).toBe(0);
    const ev = JSON.parse(e.stdout);
    expect(ev).toMatchObject({ task: 'flipflop', trials: 3, steps: 64 });
    expect(ev.accuracy).toBeGreaterThan(0);
    expect(ev.perTrial).toHaveLength(3);
  });

  it('same seed ⇒ identical weights; --resume continues a checkpoint to the same weights', async () => {
    const args = [
      'train',
      'boolean',
      '--op',
      'xor',
      '--units',
      '6',
      '--iterations',
      '20',
      '--batch',
      '4',
      '--test-trials',
      '0',
      '--quiet',
    ];
    expect((await cli(...args, '--out', f('a.json'))).code).toBe(0);
    expect(
      (
        await cli(
          ...args,
          '--out',
          f('b.json'),
          '--checkpoint-every',
          '8',
          '--checkpoint',
          f('b.ckpt.json'),
        )
      ).code,
    ).toBe(0);
    expect(existsSync(f('b.ckpt.json')) && existsSync(f('b.ckpt.safetensors'))).toBe(true);
    const ck = JSON.parse(readFileSync(f('b.ckpt.json'), 'utf8'));
    expect(ck.checkpoint.iteration).toBe(16);
    const r = await cli(
      'train',
      'boolean',
      '--resume',
      f('b.ckpt.json'),
      '--out',
      f('c.json'),
      '--quiet',
      '--test-trials',
      '0',
    );
    expect(r.code, r.stderr).toBe(0);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => loadModel(f(`${n}.json`))));
    expect(b.params.W.data).toEqual(a.params.W.data);
    expect(c.params.W.data).toEqual(a.params.W.data);
    expect(c.params.Wout!.data).toEqual(a.params.Wout!.data);
  });

  it('SIGINT writes the model so far and a checkpoint, and exits non-zero', async () => {
    const t = setTimeout(() => process.emit('SIGINT'), 400);
    const r = await cli(
      'train',
      'flipflop',
      '--units',
      '200',
      '--steps',
      '200000',
      '--out',
      f('int.json'),
      '--test-trials',
      '0',
    );
    clearTimeout(t);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /interrupted: wrote the model so far to .*int\.json and a checkpoint to .*int\.ckpt\.json/,
    );
    expect(existsSync(f('int.json')) && existsSync(f('int.ckpt.json'))).toBe(true);
    const ck = JSON.parse(readFileSync(f('int.ckpt.json'), 'utf8'));
    expect(ck.checkpoint.step).toBeGreaterThan(0);
    expect(ck.checkpoint.step).toBeLessThan(200000);
  });

  it('reports usage errors with exit 2 and data errors with exit 1', async () => {
    expect((await cli('train', 'juggling')).code).toBe(2);
    const bad = await cli(
      'train',
      'flipflop',
      '--trainer',
      'force',
      '--model',
      'rnn',
      '--out',
      f('x.json'),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot train a rnn model/);
    const e = await cli('evaluate', f('missing.json'));
    expect(e.code).toBe(1);
  });
});
