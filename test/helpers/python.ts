/**
 * Runs numpy/scipy reference computations from tests: `python3 -c <script>` with JSON on stdin
 * and stdout. Tests that need it are wrapped in `describe.skipIf(!hasPython())`, and a missing
 * Python or numpy/scipy is reported once with console.warn rather than failing the suite.
 */
import { spawnSync } from 'node:child_process';
import type { Matrix } from '../../src/linalg/matrix.js';

/** Interpreter to use; RNNSCOPE_PYTHON overrides (e.g. a venv's python, or a bogus path to test skipping). */
const PYTHON = process.env.RNNSCOPE_PYTHON || 'python3';

let available: boolean | undefined;

/** True when `python3` with numpy and scipy can be run (checked once per process). */
export function hasPython(): boolean {
  if (available === undefined) {
    const r = spawnSync(PYTHON, ['-c', 'import numpy, scipy.linalg; print("ok")'], {
      encoding: 'utf8',
    });
    available = r.status === 0 && r.stdout.trim() === 'ok';
    if (!available) {
      console.warn(
        `[rnnscope tests] ${PYTHON} with numpy/scipy not found: numpy comparison tests are SKIPPED`,
      );
    }
  }
  return available;
}

/** Prelude for every script: `inp` is the parsed stdin JSON, `M(m)` turns a wire matrix into an array, `out(x)` replies. */
const PRELUDE = `
import sys, json
import numpy as np
import scipy.linalg as sla
inp = json.load(sys.stdin)
def M(m):
    return np.array(m['data'], dtype=np.float64).reshape(m['rows'], m['cols'])
def W(a):
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 1:
        return a.tolist()
    return {'rows': int(a.shape[0]), 'cols': int(a.shape[1]), 'data': a.ravel().tolist()}
def out(x):
    json.dump(x, sys.stdout)
`;

/**
 * Runs `script` (after the prelude above) with `input` as JSON on stdin and returns the parsed JSON
 * it writes with `out(...)`. BLAS threads are pinned to 1 so results are deterministic.
 */
export function runPython<T>(script: string, input: unknown): T {
  const r = spawnSync(PYTHON, ['-c', PRELUDE + script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 1 << 29,
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`python3 failed (status ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Plain-object matrix as it travels to Python (`M(...)` on the other side). */
export interface WireMatrix {
  rows: number;
  cols: number;
  data: number[];
}

export function toWire(m: Matrix): WireMatrix {
  return { rows: m.rows, cols: m.cols, data: Array.from(m.data.subarray(0, m.rows * m.cols)) };
}

export function fromWire(w: WireMatrix): Matrix {
  return { rows: w.rows, cols: w.cols, data: Float64Array.from(w.data) };
}

/** mulberry32: a tiny seeded PRNG, local to the tests so they do not depend on src/random. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates from a uniform generator (Box–Muller). */
export function gaussian(rng: () => number): () => number {
  return () => {
    const u = 1 - rng();
    const v = rng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** m×n matrix with i.i.d. N(0, scale²) entries. */
export function randn(rng: () => number, m: number, n: number, scale = 1): Matrix {
  const g = gaussian(rng);
  const data = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) data[i] = scale * g();
  return { rows: m, cols: n, data };
}
