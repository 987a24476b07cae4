/**
 * The Python recipes of docs/model-format.md, run for real: numpy writes a model with a
 * safetensors sidecar that rnnscope loads bit-exactly, and reads back one rnnscope wrote.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelSync, saveModelSync } from '../../src/io/index.js';
import { sameBits, tricky } from './helpers.js';

const haveNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
if (!haveNumpy) console.warn('SKIPPED Python interop tests: python3 with numpy is not available');

// Same code as the "Large models: the sidecar" recipe in docs/model-format.md.
const WRITER = String.raw`
import hashlib, json, struct, sys
import numpy as np

def write_safetensors(path, tensors):
    header, offset = {}, 0
    arrays = {k: np.ascontiguousarray(v, dtype="<f8") for k, v in tensors.items()}
    for name, a in arrays.items():
        header[name] = {"dtype": "F64", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    h = json.dumps(header).encode()
    h += b" " * (-(8 + len(h)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for a in arrays.values():
            f.write(a.tobytes())
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()

out = sys.argv[1]
rng = np.random.default_rng(7)
N = 30
W = rng.normal(0, 1.5 / np.sqrt(N), (N, N))
W[0, 0] = -0.0
W[0, 1] = 5e-324
Wout = rng.normal(0, 0.1, (2, N))
sha = write_safetensors(out + "/py.safetensors", {"W": W, "Wout": Wout})
model = {"format": "rnnscope-model", "version": 1, "kind": "rnn", "activation": "tanh",
         "W": {"$sidecar": "W"}, "Wout": {"$sidecar": "Wout"}, "bout": [0.0, 1.0],
         "sidecar": {"file": "py.safetensors", "sha256": sha}}
with open(out + "/py.json", "w") as f:
    json.dump(model, f, indent=1)
with open(out + "/py-reference.json", "w") as f:
    json.dump({"W": W.tolist(), "Wout": Wout.tolist()}, f)
`;

const READER = String.raw`
import json, struct, sys
import numpy as np

def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    return {name: np.frombuffer(data[e["data_offsets"][0]:e["data_offsets"][1]], dtype="<f8").reshape(e["shape"])
            for name, e in header.items() if name != "__metadata__"}

t = read_safetensors(sys.argv[1])
print(json.dumps({k: [list(v.shape), v.ravel().tolist()] for k, v in t.items()}))
`;

describe.skipIf(!haveNumpy)('Python interop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnscope-py-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a sidecar model written with the documented numpy recipe', () => {
    const py = spawnSync('python3', ['-c', WRITER, dir], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    const loaded = loadModelSync(join(dir, 'py.json'));
    const ref = JSON.parse(readFileSync(join(dir, 'py-reference.json'), 'utf8'));
    expect(sameBits(loaded.params.W.data, Float64Array.from(ref.W.flat()))).toBe(true);
    expect(Object.is(loaded.params.W.data[0], -0)).toBe(true);
    expect(sameBits(loaded.params.Wout!.data, Float64Array.from(ref.Wout.flat()))).toBe(true);
    expect(loaded.sidecar?.file).toBe('py.safetensors');
  });

  it('writes sidecars that the documented numpy reader gets back exactly', () => {
    const W = tricky(12, 12, 5);
    saveModelSync(
      join(dir, 'ts.json'),
      { kind: 'rnn', activation: { name: 'tanh' }, W },
      { sidecar: true },
    );
    const py = spawnSync('python3', ['-c', READER, join(dir, 'ts.safetensors')], {
      encoding: 'utf8',
    });
    expect(py.stderr).toBe('');
    const back = JSON.parse(py.stdout) as Record<string, [number[], number[]]>;
    expect(back.W[0]).toEqual([12, 12]);
    expect(sameBits(Float64Array.from(back.W[1]), W.data)).toBe(true);
  });
});
