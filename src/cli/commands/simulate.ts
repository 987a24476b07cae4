/**
 * `rnnscope simulate <model> --out traj.json`: runs a model file (its own Euler step, driven by
 * an input) or integrates a builtin flow, and writes the trajectory as JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { RnnscopeError } from '../../errors.js';
import { parseNumericCsv } from '../../io/csv.js';
import { serializeTrajectory } from '../../io/trajectory.js';
import { zeros, type Matrix } from '../../linalg/matrix.js';
import { createModel } from '../../models/index.js';
import type { ModelParams } from '../../models/types.js';
import { integrate } from '../../systems/index.js';
import { usageError, type CliContext } from '../context.js';
import { keyValue, parseCommaVector, positiveInt, positiveNumber, readVector } from '../options.js';
import { openSource, type ModelSource } from '../source.js';

/** Steps when neither --steps nor an input file says otherwise. */
export const DEFAULT_STEPS = 100;
/** Builtin flows have no dt of their own. */
export const DEFAULT_BUILTIN_DT = 0.01;

interface SimulateOptions {
  out: string;
  steps?: number;
  input?: string;
  x0?: string;
  dt?: number;
  method?: 'euler' | 'rk4';
  param?: Record<string, number>;
  json?: boolean | string;
}

interface Run {
  states: Matrix;
  outputs: Matrix;
  settings: Record<string, unknown>;
}

/** The T×I input matrix and how it was specified (recorded in the trajectory settings). */
function buildInputs(
  opts: SimulateOptions,
  I: number,
  cmd: Command,
): { inputs: Matrix; input: Record<string, unknown> } {
  if (opts.input === undefined) {
    return { inputs: zeros(opts.steps ?? DEFAULT_STEPS, I), input: { type: 'zeros' } };
  }
  if (I === 0) usageError(cmd, '--input given, but the model has no inputs (no Win)');
  const vector = parseCommaVector(opts.input);
  if (vector) {
    if (vector.length !== I) {
      throw new RnnscopeError(
        'SHAPE_MISMATCH',
        `--input has ${vector.length} values, but the model has ${I} input${I === 1 ? '' : 's'} (expected ${I}, got ${vector.length})`,
      );
    }
    const T = opts.steps ?? DEFAULT_STEPS;
    const inputs = zeros(T, I);
    for (let t = 0; t < T; t++) inputs.data.set(vector, t * I);
    return { inputs, input: { type: 'constant', value: Array.from(vector) } };
  }
  let text: string;
  try {
    text = readFileSync(opts.input, 'utf8');
  } catch (e) {
    throw new RnnscopeError(
      'IO_ERROR',
      `cannot read input file ${opts.input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (and not a comma-separated vector)' : (e as Error).message}`,
    );
  }
  const inputs = parseNumericCsv(text, opts.input);
  if (inputs.cols !== I) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `input file ${opts.input} has ${inputs.cols} columns, but the model has ${I} input${I === 1 ? '' : 's'} (expected ${I}, got ${inputs.cols})`,
    );
  }
  if (opts.steps !== undefined && opts.steps !== inputs.rows) {
    usageError(
      cmd,
      `--steps ${opts.steps} disagrees with input file ${opts.input}, which has ${inputs.rows} rows (one per step); drop --steps`,
    );
  }
  return { inputs, input: { type: 'file', path: opts.input } };
}

function runModel(
  source: Extract<ModelSource, { type: 'file' }>,
  opts: SimulateOptions,
  cmd: Command,
): Run {
  let params: ModelParams = source.loaded.params;
  if (opts.method === 'rk4') {
    usageError(
      cmd,
      '--method rk4 applies to builtin systems; models are simulated with their own Euler step (the one they were trained with)',
    );
  }
  if (opts.dt !== undefined) {
    if (params.kind !== 'rate' && params.kind !== 'ctrnn')
      usageError(cmd, `--dt applies to continuous-time models (rate, ctrnn), not ${params.kind}`);
    params = { ...params, dt: opts.dt };
  }
  const model = createModel(params);
  const { units, inputs: I } = model.sizes;
  const { inputs, input } = buildInputs(opts, I, cmd);
  const x0 = opts.x0 !== undefined ? readVector(opts.x0, '--x0') : new Float64Array(units);
  if (x0.length !== units)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `--x0 has ${x0.length} values, but the model has ${units} units (expected ${units}, got ${x0.length})`,
    );
  const { states, outputs } = model.simulate(inputs, x0);
  const settings: Record<string, unknown> = {
    source: source.spec,
    kind: params.kind,
    steps: inputs.rows,
    method: 'euler',
  };
  if (params.kind === 'rate' || params.kind === 'ctrnn')
    Object.assign(settings, { dt: params.dt, tau: params.tau });
  if (params.kind === 'leaky-esn') settings.alpha = params.alpha;
  Object.assign(settings, { input, x0: Array.from(x0) });
  return { states, outputs, settings };
}

function runBuiltin(
  source: Extract<ModelSource, { type: 'builtin' }>,
  opts: SimulateOptions,
  cmd: Command,
): Run {
  if (opts.input !== undefined)
    usageError(cmd, `--input applies to models; builtin system ${source.name} has no input`);
  const sys = source.system;
  const steps = opts.steps ?? DEFAULT_STEPS;
  const dt = opts.dt ?? DEFAULT_BUILTIN_DT;
  const method = opts.method ?? 'rk4';
  const x0 = opts.x0 !== undefined ? readVector(opts.x0, '--x0') : new Float64Array(sys.dim);
  if (x0.length !== sys.dim)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `--x0 has ${x0.length} values, but ${source.name} has dimension ${sys.dim} (expected ${sys.dim}, got ${x0.length})`,
    );
  const path = integrate(sys, x0, steps, { dt, method });
  // integrate() includes x0 as row 0; trajectory files start after the first step, like models.
  const states: Matrix = {
    rows: steps,
    cols: sys.dim,
    data: path.data.slice(sys.dim, (steps + 1) * sys.dim),
  };
  const O = sys.output && sys.outputDim ? sys.outputDim : 0;
  const outputs = zeros(steps, O);
  if (O > 0)
    for (let t = 0; t < steps; t++)
      sys.output!(
        states.data.subarray(t * sys.dim, (t + 1) * sys.dim),
        outputs.data.subarray(t * O, (t + 1) * O),
      );
  const settings = {
    source: source.spec,
    system: source.name,
    params: source.params,
    steps,
    dt,
    method,
    x0: Array.from(x0),
  };
  return { states, outputs, settings };
}

export function simulateCommand(ctx: CliContext): Command {
  return new Command('simulate')
    .description(
      'simulate a model (or integrate a builtin system) and write the trajectory as JSON',
    )
    .argument('<model>', 'model file (.json), or builtin:toy2d / builtin:fitzhugh-nagumo')
    .requiredOption('--out <file>', 'trajectory file to write: {states, outputs, steps, settings}')
    .option(
      '--steps <n>',
      `number of steps (default ${DEFAULT_STEPS}, or the row count of an --input file)`,
      positiveInt,
    )
    .option(
      '--input <csv-file|vector>',
      'model input: a CSV file with one row per step, or a comma vector held constant (e.g. 0.5,-1)',
    )
    .option(
      '--x0 <vector|file>',
      'initial state: comma vector, or a file of numbers / JSON array (default zeros)',
    )
    .option(
      '--dt <h>',
      `time step (builtins: default ${DEFAULT_BUILTIN_DT}; rate/ctrnn models: overrides the file's dt)`,
      positiveNumber,
    )
    .addOption(
      new Option('--method <method>', 'integrator for builtin systems (default rk4)').choices([
        'euler',
        'rk4',
      ]),
    )
    .option(
      '--param <key=value>',
      'parameter of a builtin system (repeatable), e.g. --param I=0.5',
      keyValue,
    )
    .option(
      '--json [file]',
      'print the run summary as JSON on stdout, or write it to FILE (text still printed)',
    )
    .action(async (spec: string, opts: SimulateOptions, cmd: Command) => {
      const source = await openSource(spec, opts.param, cmd);
      const run =
        source.type === 'file' ? runModel(source, opts, cmd) : runBuiltin(source, opts, cmd);
      const text = serializeTrajectory(run);
      try {
        writeFileSync(opts.out, text, 'utf8');
      } catch (e) {
        throw new RnnscopeError('IO_ERROR', `cannot write ${opts.out}: ${(e as Error).message}`);
      }
      const summary = {
        out: opts.out,
        steps: run.states.rows,
        states: [run.states.rows, run.states.cols],
        outputs: [run.outputs.rows, run.outputs.cols],
        settings: run.settings,
      };
      const s = run.settings;
      ctx.print(opts.json, summary, () => [
        `wrote ${opts.out}: ${run.states.rows} steps, ${run.states.cols} state dimensions, ` +
          `${run.outputs.cols} output${run.outputs.cols === 1 ? '' : 's'} ` +
          `(${s.method}${s.dt !== undefined ? `, dt=${s.dt}` : ''})`,
      ]);
    });
}
