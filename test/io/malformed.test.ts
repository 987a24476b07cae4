import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RnnscopeError } from '../../src/errors.js';
import {
  encodeSafetensors,
  loadModelSync,
  parseModelJson,
  saveModelSync,
  serializeModel,
  sha256Hex,
} from '../../src/io/index.js';
import type { ModelParams } from '../../src/models/types.js';
import { tricky } from './helpers.js';

const base = {
  format: 'rnnscope-model',
  version: 1,
  kind: 'rate',
  activation: 'tanh',
  tau: 10,
  dt: 1,
  W: [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ],
};

/** The RnnscopeError thrown by parsing `doc` (object or raw text). */
function failure(doc: unknown): RnnscopeError {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
  try {
    parseModelJson(text, { source: 'm.json' });
  } catch (e) {
    expect(e).toBeInstanceOf(RnnscopeError);
    return e as RnnscopeError;
  }
  throw new Error('expected the file to be rejected');
}

describe('rejecting malformed model files', () => {
  it('names the field and the expected shape for every wrong shape at once', () => {
    const e = failure({
      ...base,
      Win: [[1], [2]],
      Wout: [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      Wfb: [[1], [2], [3]],
      bias: [1],
      bout: [1, 2],
    });
    expect(e.code).toBe('INVALID_FILE');
    expect(e.message).toContain('Win: expected 3×1 (units × inputs), got 2×1');
    expect(e.message).toContain('Wout: expected 3×3 (outputs × units), got 3×2');
    expect(e.message).toContain('Wfb: expected 3×3 (units × outputs), got 3×1');
    expect(e.message).toContain('bias: expected 3 entries (one per unit), got 1');
    expect(e.message).toContain('bout: expected 3 entries (one per output), got 2');
  });

  it('reports a type error deep in W together with a shape error elsewhere', () => {
    const e = failure({
      ...base,
      W: [
        [1, 2, 3],
        [4, 5, 'x'],
        [7, 8, 9],
      ],
      Wout: [[1, 2]],
    });
    expect(e.message).toContain('W[1][2]: expected a finite number, got "x"');
    expect(e.message).toContain('Wout: expected 1×3 (outputs × units), got 1×2');
  });

  it('explains NaN/Infinity tokens written by Python json.dump, with the path', () => {
    const e = failure(
      readFileSync(new URL('../fixtures/python-nan.json', import.meta.url), 'utf8'),
    );
    expect(e.code).toBe('INVALID_FILE');
    expect(e.message).toContain('W contains NaN (json.dump wrote a non-standard token');
    expect(e.message).toContain('at W[1][2]');
    expect(e.message).toContain('Wout contains Infinity');
    expect(e.message).not.toMatch(/Unexpected token/);
  });

  it('rejects numbers that overflow to Infinity', () => {
    const e = failure(JSON.stringify(base).replace('[[1,', '[[1e400,'));
    expect(e.message).toContain('W[0][0]: Infinity is not allowed (weights must be finite)');
  });

  it('lists the valid kinds for an unknown kind', () => {
    const e = failure({ ...base, kind: 'lstm' });
    expect(e.message).toContain(
      'kind: unknown kind "lstm" (valid kinds: "rate", "leaky-esn", "ctrnn", "rnn")',
    );
    expect(failure({ ...base, kind: undefined }).message).toContain('kind: missing');
  });

  it('names unknown top-level keys, including scalars of another kind', () => {
    const e = failure({ ...base, foo: 1, alpha: 0.5 });
    expect(e.message).toMatch(
      /unknown top-level keys "foo", "alpha" \(allowed: format, version, kind, activation, tau, dt, W/,
    );
  });

  it('names missing required fields', () => {
    const e = failure({ ...base, W: undefined, tau: undefined });
    expect(e.message).toContain('W: missing (expected a matrix');
    expect(e.message).toContain('tau: missing');
  });

  it('reports the position of truncated and malformed JSON', () => {
    const t = failure(JSON.stringify(base).slice(0, 60));
    expect(t.message).toMatch(/ends unexpectedly at line 1, column 61 .*truncated/);
    const m = failure('{"format": "rnnscope-model",\n "version": 1,}');
    expect(m.message).toContain(
      'malformed JSON at line 2, column 15: expected a property name in double quotes, found "}"',
    );
    expect(failure(JSON.stringify(base) + ' x').message).toContain(
      'extra text after the JSON value',
    );
  });

  it('rejects other JSON documents and bad scalars with readable messages', () => {
    expect(failure('[1, 2]').message).toContain('expected a JSON object at the top level');
    expect(failure({ ...base, format: 'other' }).message).toContain(
      'this is not an rnnscope model file',
    );
    expect(failure({ ...base, tau: -1, dt: '1' }).message).toMatch(
      /tau: value must be > 0, got -1[^]*dt: expected a finite number, got "1"/,
    );
    expect(
      failure({ ...base, kind: 'leaky-esn', tau: undefined, dt: undefined, alpha: 2 }).message,
    ).toContain('alpha: value must be ≤ 1, got 2');
    expect(failure({ ...base, activation: 'softplus' }).message).toContain(
      'activation: expected "tanh", "logistic", "identity", "relu"',
    );
    expect(failure({ ...base, activation: { name: 'relu', thresh: 1 } }).message).toContain(
      'activation: unknown key "thresh"',
    );
    expect(
      failure({
        ...base,
        W: [
          [1, 2, 3],
          [1, 2],
          [1, 2, 3],
        ],
      }).message,
    ).toContain('W[1]: row has 2 entries, expected 3');
    expect(
      failure({
        ...base,
        W: [
          [1, 2, 3],
          [1, 2, 3],
        ],
      }).message,
    ).toContain('W: expected a square N×N matrix (units × units), got 2×3');
    expect(failure({ ...base, Wout: [1, 2, 3] }).message).toContain(
      'Wout[0]: expected a row (an array of numbers)',
    );
    expect(failure({ ...base, Wfb: [[1], [2], [3]] }).message).toContain(
      'Wfb: feedback needs a readout, but Wout is missing',
    );
    expect(
      failure({ ...base, metadata: { task: 3 }, history: { loss: [1, 'x'] } }).message,
    ).toMatch(
      /metadata\.task: expected a string, got 3[^]*history\.loss\[1\]: expected a finite number/,
    );
  });

  it('caps the list for a wholly broken matrix but counts the rest', () => {
    const W = Array.from({ length: 30 }, () => Array.from({ length: 30 }, () => 'x'));
    const e = failure({ ...base, W });
    expect(e.message).toContain('... and 896 more problems in W');
    expect(e.message.split('\n').length).toBeLessThan(10);
  });

  it('refuses newer versions with UNSUPPORTED_VERSION', () => {
    const e = failure({ ...base, version: 2, newField: true });
    expect(e.code).toBe('UNSUPPORTED_VERSION');
    expect(e.message).toContain('format version 2, but this rnnscope reads versions up to 1');
    expect(failure({ ...base, version: 1.5 }).message).toContain('version: expected an integer');
  });
});

describe('rejecting bad sidecars', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnscope-sidecar-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const params: ModelParams = {
    kind: 'rnn',
    activation: { name: 'tanh' },
    W: tricky(4, 4, 1),
    Wout: tricky(2, 4, 2),
  };
  let n = 0;
  /** Saves a sidecar model under a fresh name and returns the JSON path and its parsed document. */
  function fresh() {
    const path = join(dir, `m${n++}.json`);
    saveModelSync(path, params, { sidecar: true });
    return {
      path,
      side: path.replace(/json$/, 'safetensors'),
      doc: JSON.parse(readFileSync(path, 'utf8')),
    };
  }
  const loadError = (path: string) => {
    try {
      loadModelSync(path);
    } catch (e) {
      return e as RnnscopeError;
    }
    throw new Error('expected load to fail');
  };

  it('reports a missing sidecar file with the path it looked for', () => {
    const { path, side } = fresh();
    unlinkSync(side);
    const e = loadError(path);
    expect(e.code).toBe('INVALID_FILE');
    expect(e.message).toContain(
      `sidecar.file: ${side.split('/').pop()} not found (looked for ${side})`,
    );
  });

  it('detects a corrupted sidecar through its SHA-256', () => {
    const { path, side } = fresh();
    const bytes = readFileSync(side);
    bytes[bytes.length - 3] ^= 1;
    writeFileSync(side, bytes);
    const e = loadError(path);
    expect(e.message).toMatch(
      /sidecar\.sha256: .* has SHA-256 [0-9a-f]{64}, but the model file records [0-9a-f]{64}; the sidecar is corrupt/,
    );
  });

  /** Replaces the sidecar with `bytes` and updates the hash so only the content check can fail. */
  function withSidecar(bytes: Uint8Array) {
    const { path, side, doc } = fresh();
    writeFileSync(side, bytes);
    doc.sidecar.sha256 = sha256Hex(bytes);
    writeFileSync(path, JSON.stringify(doc));
    return loadError(path);
  }

  it('checks dtype, shape, tensor names and byte bounds', () => {
    const good = encodeSafetensors([
      { name: 'W', shape: [4, 4], data: tricky(4, 4, 1).data },
      { name: 'Wout', shape: [2, 3], data: tricky(2, 3, 1).data },
    ]);
    expect(withSidecar(good).message).toContain('Wout: expected 2×4 (outputs × units), got 2×3');
    const onlyW = encodeSafetensors([{ name: 'W', shape: [4, 4], data: tricky(4, 4, 1).data }]);
    expect(withSidecar(onlyW).message).toContain('Wout: sidecar tensor "Wout" not found in');
    const f32 = new TextEncoder().encode(
      JSON.stringify({
        W: { dtype: 'F32', shape: [4, 4], data_offsets: [0, 64] },
        Wout: { dtype: 'F64', shape: [2, 4], data_offsets: [64, 128] },
      }),
    );
    const withF32 = new Uint8Array(8 + f32.length + 128);
    new DataView(withF32.buffer).setBigUint64(0, BigInt(f32.length), true);
    withF32.set(f32, 8);
    expect(withSidecar(withF32).message).toContain(
      'W: sidecar tensor "W" has dtype F32; only F64 is supported',
    );
    expect(withSidecar(good.subarray(0, good.length - 16)).message).toMatch(
      /not a valid safetensors file: tensor "Wout" spans bytes \[\d+, \d+\) but the data block has only/,
    );
    expect(withSidecar(good.subarray(0, 4)).message).toContain(
      'fewer than the 8-byte header length',
    );
  });

  it('rejects NaN inside a sidecar (no JSON parser sees those values)', () => {
    const W = tricky(4, 4, 1);
    W.data[6] = NaN;
    const e = withSidecar(
      encodeSafetensors([
        { name: 'W', shape: [4, 4], data: W.data },
        { name: 'Wout', shape: [2, 4], data: tricky(2, 4, 2).data },
      ]),
    );
    expect(e.message).toContain('W[1][2]: NaN is not allowed');
  });

  it('refuses to save non-finite weights, naming the entry', () => {
    const W = tricky(3, 3, 1);
    W.data[5] = Infinity;
    expect(() => serializeModel({ kind: 'rnn', activation: { name: 'tanh' }, W })).toThrow(
      /cannot save model: W\[1\]\[2\] is Infinity/,
    );
    expect(() => serializeModel(params, { history: { loss: [1, NaN] } })).toThrow(
      /history\.loss\[1\]: NaN is not allowed/,
    );
  });
});
