/**
 * Acceptance: `rnnscope simulate` on a rate network written by Python (json.dump, numpy
 * .tolist()) reproduces an independent numpy Euler simulation of the same weights.
 *   τ ẋ = −x + W φ(x) + Wfb z + Win u + bias,  z = Wout φ(x) + bout,  φ = tanh,
 *   x ← x + (dt/τ)(…), z read from the state before the step; row t = state after step t.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
const haveNumpy = probe.status === 0;
if (!haveNumpy) console.warn('SKIPPED numpy acceptance test: python3 with numpy is not available');

const PYTHON = String.raw`
import json, sys
import numpy as np
out = sys.argv[1]
rng = np.random.default_rng(2024)
N, I, O, T = 50, 1, 1, 400
tau, dt = 10.0, 1.0
W = rng.normal(0.0, 1.5 / np.sqrt(N), (N, N))
Win = rng.uniform(-1, 1, (N, I))
Wfb = rng.uniform(-1, 1, (N, O))
Wout = rng.normal(0.0, 0.1 / np.sqrt(N), (O, N))
bias = rng.normal(0.0, 0.1, N)
bout = np.array([0.05])
x0 = rng.normal(0.0, 0.5, N)
u = np.sin(np.arange(T) * 0.05)[:, None] * 0.8
model = {"format": "rnnscope-model", "version": 1, "kind": "rate", "activation": "tanh", "tau": tau, "dt": dt,
         "W": W.tolist(), "Win": Win.tolist(), "Wfb": Wfb.tolist(), "Wout": Wout.tolist(),
         "bias": bias.tolist(), "bout": bout.tolist(), "metadata": {"task": "numpy acceptance", "seed": 2024}}
with open(out + "/model.json", "w") as f:
    json.dump(model, f)
np.savetxt(out + "/input.csv", u, delimiter=",", fmt="%.17g")
with open(out + "/x0.json", "w") as f:
    json.dump(x0.tolist(), f)
x = x0.copy()
states, outputs = np.zeros((T, N)), np.zeros((T, O))
for t in range(T):
    r = np.tanh(x)
    z = Wout @ r + bout
    x = x + (dt / tau) * (-x + W @ r + Wfb @ z + Win @ u[t] + bias)
    states[t] = x
    outputs[t] = Wout @ np.tanh(x) + bout
with open(out + "/reference.json", "w") as f:
    json.dump({"states": states.tolist(), "outputs": outputs.tolist()}, f)
`;

describe.skipIf(!haveNumpy)('simulate matches numpy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnscope-numpy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reproduces a numpy Euler run of a rate network with Win, Wfb, Wout, bias to 1e-10', async () => {
    const py = spawnSync('python3', ['-c', PYTHON, dir], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    expect(py.status).toBe(0);
    const r = await cli(
      'simulate',
      join(dir, 'model.json'),
      '--input',
      join(dir, 'input.csv'),
      '--x0',
      join(dir, 'x0.json'),
      '--out',
      join(dir, 'traj.json'),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const traj = JSON.parse(readFileSync(join(dir, 'traj.json'), 'utf8'));
    const ref = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8'));
    expect(traj.steps).toBe(400);
    expect(traj.states).toHaveLength(400);
    let maxState = 0;
    let maxOut = 0;
    let scale = 0;
    for (let t = 0; t < 400; t++) {
      for (let i = 0; i < 50; i++) {
        maxState = Math.max(maxState, Math.abs(traj.states[t][i] - ref.states[t][i]));
        scale = Math.max(scale, Math.abs(ref.states[t][i]));
      }
      maxOut = Math.max(maxOut, Math.abs(traj.outputs[t][0] - ref.outputs[t][0]));
    }
    console.info(
      `numpy acceptance: max |Δstate| = ${maxState.toExponential(2)}, max |Δoutput| = ${maxOut.toExponential(2)}`,
    );
    expect(scale).toBeGreaterThan(0.1); // the run is not trivially at rest
    expect(maxState).toBeLessThan(1e-10);
    expect(maxOut).toBeLessThan(1e-10);
  });
});
