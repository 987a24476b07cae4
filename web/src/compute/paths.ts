/**
 * Paths the explorer animates (compute worker): from a fixed point displaced along one of its
 * eigenvectors, from a clicked state (2-D), or under an input pulse. Each is simulated by the
 * subject's own update, projected into the picture, and ends with where it settled.
 */
import { RnnscopeError } from '../../../src/errors.js';
import type { Matrix } from '../../../src/linalg/matrix.js';
import type { PathView } from '../protocol.js';
import type { AnalysisState } from './analyse.js';
import type { Subject } from './subject.js';

/** Longest path the page may ask for. */
export const MAX_STEPS = 20000;

function checkSteps(steps: number): void {
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= MAX_STEPS))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `steps must be an integer from 1 to ${MAX_STEPS}, got ${steps}`,
    );
}

function heldInput(u: Float64Array, steps: number): Matrix {
  const I = u.length;
  const m: Matrix = { rows: steps, cols: I, data: new Float64Array(steps * I) };
  for (let t = 0; t < steps; t++) m.data.set(u, t * I);
  return m;
}

function rows(M: Matrix): number[][] {
  return Array.from({ length: M.rows }, (_, r) =>
    Array.from(M.data.subarray(r * M.cols, (r + 1) * M.cols)),
  );
}

/** Simulates from x0 under `inputs` and describes the path for the page. */
function describe(
  subject: Subject,
  state: AnalysisState,
  x0: Float64Array,
  inputs: Matrix,
  withInputs: boolean,
): { view: PathView; end: Float64Array } {
  if (x0.some((v) => !Number.isFinite(v)))
    throw new RnnscopeError('NON_FINITE', 'the initial state has non-finite entries');
  const n = subject.info.dim;
  const { states, outputs } = subject.run(x0, inputs);
  const end = states.data.slice((states.rows - 1) * n);
  const points = Array.from({ length: states.rows }, (_, r) =>
    state.toPicture(states.data.subarray(r * n, (r + 1) * n)),
  );
  let nearest: number | null = null;
  let distance = Infinity;
  state.fixedPoints.forEach((p, i) => {
    let d = 0;
    for (let k = 0; k < n; k++) d += (p.x[k] - end[k]) ** 2;
    d = Math.sqrt(d);
    if (d < distance) {
      distance = d;
      nearest = i;
    }
  });
  const sys = subject.system(state.input);
  const F = new Float64Array(n);
  try {
    sys.velocity(end, F);
  } finally {
    subject.release(sys);
  }
  return {
    end,
    view: {
      points,
      outputs: outputs ? rows(outputs) : undefined,
      inputs: withInputs ? rows(inputs) : undefined,
      settled: {
        nearest,
        distance,
        relativeDistance: distance / state.radius,
        speed: Math.hypot(...F),
      },
      stepLabel: subject.info.stepLabel,
      dt: subject.info.dt,
    },
  };
}

/**
 * From fixed point `index` displaced by epsilon·ρ along the real part of mode `mode`'s
 * eigenvector (its imaginary part if the real part vanishes), ρ the visited states' RMS radius.
 */
export function launchFromMode(
  subject: Subject,
  state: AnalysisState,
  index: number,
  mode: number,
  epsilon: number,
  steps: number,
): { view: PathView; end: Float64Array } {
  checkSteps(steps);
  const fp = state.fixedPoints[index];
  if (!fp)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `no fixed point #${index} (there are ${state.fixedPoints.length})`,
    );
  const m = fp.modes?.[mode];
  if (!m?.vector)
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `fixed point #${index} has no eigenvector for mode ${mode} (linearisation was skipped or fewer modes were kept)`,
    );
  if (!Number.isFinite(epsilon))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `the displacement must be a finite number, got ${epsilon}`,
    );
  let v = m.vector.re;
  let norm = Math.hypot(...v);
  if (!(norm > 1e-12)) {
    v = m.vector.im;
    norm = Math.hypot(...v);
  }
  const x0 = Float64Array.from(fp.x, (x, i) => x + (epsilon * state.radius * v[i]) / norm);
  return describe(subject, state, x0, heldInput(state.input, steps), false);
}

/** From a state given in state coordinates (a click on the 2-D phase portrait). */
export function launchFromState(
  subject: Subject,
  state: AnalysisState,
  x: number[],
  steps: number,
): { view: PathView; end: Float64Array } {
  checkSteps(steps);
  if (x.length !== subject.info.dim)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `a state of this system has ${subject.info.dim} values, got ${x.length}`,
    );
  return describe(subject, state, Float64Array.from(x), heldInput(state.input, steps), false);
}

/**
 * Input channel `channel` raised by `amplitude` over the first `pulseSteps` steps, then the
 * frozen input again for the rest, starting from `from`.
 */
export function pulse(
  subject: Subject,
  state: AnalysisState,
  from: Float64Array,
  channel: number,
  amplitude: number,
  pulseSteps: number,
  steps: number,
): { view: PathView; end: Float64Array } {
  checkSteps(steps);
  const I = subject.info.inputs;
  if (I === 0)
    throw new RnnscopeError('INVALID_ARGUMENT', `${subject.info.name} has no input to pulse`);
  if (!(Number.isInteger(channel) && channel >= 0 && channel < I))
    throw new RnnscopeError('INVALID_ARGUMENT', `input channel must be 1…${I}, got ${channel + 1}`);
  if (!(Number.isInteger(pulseSteps) && pulseSteps >= 1 && pulseSteps <= steps))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `the pulse must last 1…${steps} steps, got ${pulseSteps}`,
    );
  if (!Number.isFinite(amplitude))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `the pulse amplitude must be finite, got ${amplitude}`,
    );
  const inputs = heldInput(state.input, steps);
  for (let t = 0; t < pulseSteps; t++) inputs.data[t * I + channel] += amplitude;
  return describe(subject, state, from, inputs, true);
}
