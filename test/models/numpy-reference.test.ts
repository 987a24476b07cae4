import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/models/index.js';
import type { RateModel } from '../../src/models/types.js';
import { gaussianMatrix, recurrentGaussian } from '../../src/random/init.js';
import { createRng } from '../../src/random/rng.js';
import { maxRelErr } from './helpers.js';

/** Euler simulation of τẋ = −x + W r + Wfb z + Win u + b, r = tanh x, z = Wout r + bout, in numpy. */
const NUMPY_SCRIPT = `
import json, sys
import numpy as np
d = json.load(sys.stdin)
W = np.array(d["W"]); Win = np.array(d["Win"]); Wfb = np.array(d["Wfb"]); Wout = np.array(d["Wout"])
b = np.array(d["bias"]); bout = np.array(d["bout"]); U = np.array(d["inputs"]); x = np.array(d["x0"])
dt, tau = d["dt"], d["tau"]
states, outputs = [], []
for t in range(U.shape[0]):
    r = np.tanh(x)
    z = Wout @ r + bout
    x = x + (dt / tau) * (-x + W @ r + Wfb @ z + Win @ U[t] + b)
    states.append(x.tolist())
    outputs.append((Wout @ np.tanh(x) + bout).tolist())
json.dump({"states": states, "outputs": outputs}, sys.stdout)
`;

function numpyAvailable(): boolean {
  const r = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

describe('rate model vs an independent numpy simulation', () => {
  it('agrees to 1e-10 over 400 steps (N=150, inputs, feedback, biases)', (ctx) => {
    if (!numpyAvailable()) {
      console.warn(
        'SKIPPED: python3 with numpy not found; the numpy cross-check of the rate model did not run',
      );
      ctx.skip();
      return;
    }
    const rng = createRng('numpy-rate');
    const N = 150;
    const rows = (m: { rows: number; cols: number; data: Float64Array }) =>
      Array.from({ length: m.rows }, (_, i) =>
        Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)),
      );
    const params: RateModel = {
      kind: 'rate',
      activation: { name: 'tanh' },
      tau: 10,
      dt: 1,
      W: recurrentGaussian(N, 1.5, rng.fork('W')),
      Win: gaussianMatrix(N, 2, 1, rng.fork('Win')),
      Wfb: gaussianMatrix(N, 3, 1, rng.fork('Wfb')),
      Wout: gaussianMatrix(3, N, 1 / Math.sqrt(N), rng.fork('Wout')),
      bias: gaussianMatrix(1, N, 0.1, rng.fork('b')).data,
      bout: gaussianMatrix(1, 3, 0.1, rng.fork('bout')).data,
    };
    const inputs = gaussianMatrix(400, 2, 0.5, rng.fork('u'));
    const x0 = gaussianMatrix(1, N, 0.5, rng.fork('x0')).data;
    const run = createModel(params).simulate(inputs, x0);

    const payload = JSON.stringify({
      W: rows(params.W),
      Win: rows(params.Win!),
      Wfb: rows(params.Wfb!),
      Wout: rows(params.Wout!),
      bias: Array.from(params.bias!),
      bout: Array.from(params.bout!),
      inputs: rows(inputs),
      x0: Array.from(x0),
      dt: params.dt,
      tau: params.tau,
    });
    const py = spawnSync('python3', ['-c', NUMPY_SCRIPT], {
      input: payload,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    expect(py.status, py.stderr).toBe(0);
    const ref = JSON.parse(py.stdout) as { states: number[][]; outputs: number[][] };
    expect(maxRelErr(run.states.data, ref.states.flat())).toBeLessThan(1e-10);
    expect(maxRelErr(run.outputs.data, ref.outputs.flat())).toBeLessThan(1e-10);
  });
});
