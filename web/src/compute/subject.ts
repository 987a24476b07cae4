/**
 * What the explorer analyses: a model file or a builtin analytic system, behind one small
 * interface — the system with a frozen input (for the fixed-point search), a simulation with an
 * input schedule (for launched trajectories and pulses), and how to sample visited states.
 * Runs in the compute worker.
 */
import { batchModelSystem } from '../../../src/analysis/batch.js';
import type { SamplingTarget } from '../../../src/analysis/fixed-points/prepare.js';
import { RnnscopeError } from '../../../src/errors.js';
import { parseModelJson } from '../../../src/io/model-json.js';
import type { Matrix } from '../../../src/linalg/matrix.js';
import { createModel } from '../../../src/models/model.js';
import type { Model } from '../../../src/models/types.js';
import { builtinSystem } from '../../../src/systems/builtin.js';
import { integrate } from '../../../src/systems/integrate.js';
import type { DynamicalSystem } from '../../../src/systems/types.js';
import type { SourceSpec, SubjectInfo } from '../protocol.js';
import { clearFiles, registerFile } from '../shims/fs.js';

/** Integration step of the builtin flows (RK4), in their time units. */
export const BUILTIN_DT = 0.05;

export interface Subject {
  info: SubjectInfo;
  /** The system with input `u` frozen (models: with the GEMM-batched form). */
  system(u: Float64Array): DynamicalSystem;
  /** Releases what `system` allocated in wasm memory. */
  release(sys: DynamicalSystem): void;
  /** What `simulateForSampling` runs to find visited states. */
  samplingTarget(u: Float64Array): SamplingTarget;
  /**
   * Runs from x0 with inputs[t] applied at step t (T×I; T×0 for systems without input).
   * Returns T+1 states (x0 first) and their readouts when the system has one.
   */
  run(x0: Float64Array, inputs: Matrix): { states: Matrix; outputs?: Matrix };
}

function checkDimension(dim: number, name: string): void {
  if (dim < 2) {
    throw new RnnscopeError(
      'INVALID_MODEL',
      `${name} has ${dim} state dimension; the explorer draws 2-D phase portraits and 3-D PCA views, so it needs at least 2`,
    );
  }
}

function modelSubject(source: Extract<SourceSpec, { kind: 'text' }>): Subject {
  const name = source.name;
  // node:fs is aliased to an in-memory store in the browser build (web/src/shims/fs.ts).
  clearFiles();
  for (const f of source.sidecars ?? []) registerFile(f.name, f.bytes);
  const loaded = parseModelJson(source.text, { source: name, baseDir: '/' });
  const model: Model = createModel(loaded.params);
  const { units: N, inputs: I, outputs: O } = model.sizes;
  checkDimension(N, name);
  const p = loaded.params;
  const act = p.activation.name;
  const time: 'flow' | 'map' = p.kind === 'rate' || p.kind === 'ctrnn' ? 'flow' : 'map';
  const dt = p.kind === 'rate' || p.kind === 'ctrnn' ? p.dt : 1;
  const info: SubjectInfo = {
    name,
    description: `${p.kind} N=${N} ${act}${I ? `, ${I} input${I > 1 ? 's' : ''}` : ''}${O ? `, ${O} output${O > 1 ? 's' : ''}` : ''}`,
    kind: 'model',
    dim: N,
    time,
    inputs: I,
    outputs: O,
    inputNames: Array.from({ length: I }, (_, i) => `u${i + 1}`),
    stepLabel: time === 'map' ? 'step' : `Euler step (dt = ${dt})`,
    dt,
    view: N === 2 ? 'phase' : 'pca',
    metadata: loaded.metadata as Record<string, unknown> | undefined,
  };
  return {
    info,
    system: (u) => batchModelSystem(p, I ? u : undefined),
    release: (sys) => (sys as { batch?: { release?: () => void } }).batch?.release?.(),
    samplingTarget: (u) => ({ kind: 'model', params: p, input: I ? u : undefined }),
    run(x0, inputs) {
      // The model's own update (its map, or its Euler step for rate/ctrnn): what it was trained as.
      const r = model.simulate(inputs, x0);
      const states: Matrix = {
        rows: r.states.rows + 1,
        cols: N,
        data: new Float64Array((r.states.rows + 1) * N),
      };
      states.data.set(x0, 0);
      states.data.set(r.states.data, N);
      let outputs: Matrix | undefined;
      if (O > 0) {
        outputs = { rows: states.rows, cols: O, data: new Float64Array(states.rows * O) };
        outputs.data.set(model.output(x0), 0);
        outputs.data.set(r.outputs.data, O);
      }
      return { states, outputs };
    },
  };
}

function builtinSubject(name: 'toy2d' | 'fitzhugh-nagumo', title: string): Subject {
  const fhn = name === 'fitzhugh-nagumo';
  // FitzHugh–Nagumo's input is its external current I; toy2d has none.
  const make = (u: Float64Array): DynamicalSystem =>
    fhn ? builtinSystem(name, { I: u[0] }) : builtinSystem(name);
  const probe = make(Float64Array.of(0));
  const info: SubjectInfo = {
    name: title,
    // The label carries I; the input field shows the current I instead.
    description: (probe.label ?? name).replace(/\s*I=\S+$/, ''),
    kind: 'builtin',
    dim: probe.dim,
    time: probe.time,
    inputs: fhn ? 1 : 0,
    outputs: probe.outputDim ?? 0,
    inputNames: fhn ? ['I'] : [],
    stepLabel: `RK4 step (dt = ${BUILTIN_DT})`,
    dt: BUILTIN_DT,
    view: 'phase',
  };
  return {
    info,
    system: make,
    release: () => undefined,
    samplingTarget: (u) => ({ kind: 'system', system: make(u), dt: BUILTIN_DT }),
    run(x0, inputs) {
      const n = probe.dim;
      const T = inputs.rows;
      const I = inputs.cols;
      const states: Matrix = { rows: T + 1, cols: n, data: new Float64Array((T + 1) * n) };
      states.data.set(x0, 0);
      let x = Float64Array.from(x0);
      let sys = make(I ? inputs.data.subarray(0, I) : Float64Array.of(0));
      let last = I ? inputs.data[0] : 0;
      for (let t = 0; t < T; t++) {
        const u = I ? inputs.data[t * I] : 0;
        if (u !== last) {
          sys = make(Float64Array.of(u));
          last = u;
        }
        x = integrate(sys, x, 1, { dt: BUILTIN_DT, method: 'rk4' }).data.slice(n);
        states.data.set(x, (t + 1) * n);
      }
      let outputs: Matrix | undefined;
      if (probe.output && probe.outputDim) {
        const O = probe.outputDim;
        outputs = { rows: T + 1, cols: O, data: new Float64Array((T + 1) * O) };
        for (let t = 0; t <= T; t++)
          probe.output(
            states.data.subarray(t * n, (t + 1) * n),
            outputs.data.subarray(t * O, (t + 1) * O),
          );
      }
      return { states, outputs };
    },
  };
}

/** Loads and validates what the page asked for (model-file errors name the field and shape). */
export function openSubject(source: SourceSpec): Subject {
  return source.kind === 'text' ? modelSubject(source) : builtinSubject(source.name, source.title);
}
