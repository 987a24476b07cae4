import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadModel,
  loadModelSync,
  parseModelJson,
  saveModel,
  saveModelSync,
  serializeModel,
} from '../../src/io/index.js';
import type { ModelParams } from '../../src/models/types.js';
import { expectSameParams, sameBits, tricky, trickyValues } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rnnscope-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fullRate(N: number, I: number, O: number, seed: number): ModelParams {
  return {
    kind: 'rate',
    activation: { name: 'tanh' },
    tau: 10,
    dt: 0.1 + 0.2,
    W: tricky(N, N, seed),
    Win: tricky(N, I, seed + 1),
    Wfb: tricky(N, O, seed + 2),
    Wout: tricky(O, N, seed + 3),
    bias: trickyValues(N, seed + 4),
    bout: trickyValues(O, seed + 5),
  };
}

const metadata = {
  task: 'flip-flop',
  seed: 42,
  created: '2024-01-02T03:04:05.000Z',
  notes: 'ünïcode ✓',
  extra: { nested: [1, 2] },
};
const history = { loss: Array.from(trickyValues(20, 99)), accuracy: [0, 0.5, -0, 1e-300] };

describe('model file round trip', () => {
  it('is bit-exact through inline JSON with every optional field', () => {
    const params = fullRate(13, 3, 2, 1);
    const { json, sidecar } = serializeModel(params, { metadata, history, sidecar: false });
    expect(sidecar).toBeUndefined();
    const loaded = parseModelJson(json);
    expect(expectSameParams(params, loaded.params)).toEqual([]);
    expect(loaded.metadata).toEqual(metadata);
    expect(loaded.history!.loss.length).toBe(20);
    expect(sameBits(Float64Array.from(loaded.history!.loss), Float64Array.from(history.loss))).toBe(
      true,
    );
    expect(Object.is(loaded.history!.accuracy[2], -0)).toBe(true);
    expect(loaded.version).toBe(1);
  });

  it('keeps -0, subnormals, 1e-300 and 0.1+0.2 exactly', () => {
    const special = [
      -0,
      5e-324,
      -5e-324,
      1e-300,
      0.1 + 0.2,
      2.2250738585072014e-308,
      1.7976931348623157e308,
      4,
    ];
    const W = { rows: 2, cols: 2, data: Float64Array.from(special.slice(0, 4)) };
    const params: ModelParams = {
      kind: 'rnn',
      activation: { name: 'identity' },
      W,
      bias: Float64Array.from(special.slice(4, 6)),
    };
    const loaded = parseModelJson(serializeModel(params).json);
    expect(Object.is(loaded.params.W.data[0], -0)).toBe(true);
    expect(sameBits(loaded.params.W.data, W.data)).toBe(true);
    expect(sameBits(loaded.params.bias!, params.bias!)).toBe(true);
  });

  it.each([
    { kind: 'leaky-esn', alpha: 0.3, activation: { name: 'logistic' } },
    { kind: 'ctrnn', tau: 0.5, dt: 1e-3, activation: { name: 'relu', threshold: 0.1 } },
    { kind: 'rnn', activation: { name: 'relu' } },
    { kind: 'rate', tau: 1, dt: 1, activation: { name: 'relu', threshold: -0 } },
  ] as const)('round-trips kind $kind with activation $activation.name', (head) => {
    const params = { ...head, W: tricky(5, 5, 7), Win: tricky(5, 1, 8) } as unknown as ModelParams;
    const loaded = parseModelJson(serializeModel(params).json);
    expect(expectSameParams(params, loaded.params)).toEqual([]);
    expect(loaded.params.activation).toEqual(head.activation);
    if (params.activation.name === 'relu' && params.activation.threshold !== undefined) {
      expect(
        Object.is(
          (loaded.params.activation as { threshold: number }).threshold,
          params.activation.threshold,
        ),
      ).toBe(true);
    }
  });

  it('is bit-exact through a safetensors sidecar, files written next to the JSON', async () => {
    const params = fullRate(40, 2, 3, 11);
    const path = join(dir, 'side.json');
    const saved = await saveModel(path, params, { sidecar: true, metadata, history });
    expect(saved.sidecarPath).toBe(join(dir, 'side.safetensors'));
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    expect(doc.W).toEqual({ $sidecar: 'W' });
    expect(doc.sidecar.file).toBe('side.safetensors');
    expect(doc.sidecar.sha256).toMatch(/^[0-9a-f]{64}$/);
    const loaded = await loadModel(path);
    expect(expectSameParams(params, loaded.params)).toEqual([]);
    expect(loaded.sidecar).toEqual(doc.sidecar);
    expect(loaded.metadata).toEqual(metadata);
    expect(expectSameParams(params, loadModelSync(path).params)).toEqual([]);
  });

  it('writes a sidecar automatically from N = 1000 and not below', () => {
    const small = saveModelSync(join(dir, 'n999.json'), {
      kind: 'rnn',
      activation: { name: 'tanh' },
      W: tricky(999, 999, 3),
    });
    expect(small.sidecarPath).toBeUndefined();
    const big = {
      kind: 'rnn',
      activation: { name: 'tanh' },
      W: tricky(1000, 1000, 4),
    } as ModelParams;
    const t0 = performance.now();
    const saved = saveModelSync(join(dir, 'n1000.json'), big);
    expect(saved.sidecarPath).toBeDefined();
    expect(existsSync(saved.sidecarPath!)).toBe(true);
    expect(readFileSync(join(dir, 'n1000.json'), 'utf8').length).toBeLessThan(1000);
    const loaded = loadModelSync(join(dir, 'n1000.json'));
    expect(sameBits(loaded.params.W.data, big.W.data)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(
      sameBits(loadModelSync(join(dir, 'n999.json')).params.W.data, tricky(999, 999, 3).data),
    ).toBe(true);
  });

  it('reads a file as Python json.dump writes it (numpy .tolist(), default separators)', () => {
    const text = readFileSync(new URL('../fixtures/python-rate.json', import.meta.url), 'utf8');
    const { params, metadata: meta } = parseModelJson(text);
    expect(params.kind).toBe('rate');
    expect(params.W.rows).toBe(3);
    expect(params.Wout!.rows).toBe(1);
    expect(meta?.task).toBe('fixture');
  });

  it('writes matrices one row per line, numbers in shortest round-trip form', () => {
    const params: ModelParams = {
      kind: 'rnn',
      activation: { name: 'tanh' },
      W: { rows: 2, cols: 2, data: Float64Array.of(0.1, -0, 1e-300, 3) },
    };
    expect(serializeModel(params).json).toContain('"W": [\n    [0.1, -0],\n    [1e-300, 3]\n  ]');
  });
});
