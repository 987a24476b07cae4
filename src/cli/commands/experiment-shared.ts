/**
 * What the experiment commands (evolution, robustness, compare-geometry) and `evaluate` share:
 * the task and test start recorded in a model file's metadata, the fixed-point search options,
 * SIGINT handling and progress lines.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { RnnscopeError } from '../../errors.js';
import type { FixedPointOptions } from '../../analysis/fixed-points/types.js';
import type { LoadedModel } from '../../io/types.js';
import type { LinalgBackend } from '../../linalg/index.js';
import { createTask, taskFromJson, taskNames } from '../../tasks/registry.js';
import type { Task, TaskName } from '../../tasks/types.js';
import type { EvaluateOptions } from '../../train/evaluate.js';
import { usageError, type CliContext } from '../context.js';
import { tolFixedOption, tolSlowOption } from '../fixed-point-options.js';
import { positiveInt } from '../options.js';

export interface SearchCliOptions {
  method?: FixedPointOptions['method'];
  maxIterations?: number;
  tolFixed?: number;
  tolSlow?: number;
}

/** Adds the fixed-point search options every experiment command accepts. */
export function addSearchOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--method <method>',
        'fixed-point optimiser (default: gauss-newton for N ≤ 128, newton-krylov above; gauss-newton above 128 is matrix-free)',
      ).choices(['auto', 'gauss-newton', 'newton-krylov', 'cg', 'adam']),
    )
    .option('--max-iterations <n>', 'iterations per start of each search', positiveInt)
    .addOption(tolFixedOption())
    .addOption(tolSlowOption());
}

export function searchOptions(o: SearchCliOptions, backend?: LinalgBackend): FixedPointOptions {
  return {
    ...(o.method ? { method: o.method } : {}),
    ...(o.maxIterations ? { maxIterations: o.maxIterations } : {}),
    ...(o.tolFixed ? { tolFixed: o.tolFixed } : {}),
    ...(o.tolSlow ? { tolSlow: o.tolSlow } : {}),
    ...(backend ? { backend } : {}),
  };
}

/**
 * The task a model was trained on: --task NAME (that task's defaults), else metadata.taskSpec;
 * undefined when neither exists and `required` is false.
 */
export function modelTask(
  loaded: LoadedModel,
  path: string,
  taskName: string | undefined,
  cmd: Command,
  required: boolean,
): Task | undefined {
  const meta = loaded.metadata as Record<string, unknown> | undefined;
  if (taskName !== undefined) {
    if (!taskNames.includes(taskName as TaskName))
      usageError(cmd, `unknown task '${taskName}'; valid tasks: ${taskNames.join(', ')}`);
    return createTask({ task: taskName as TaskName });
  }
  if (meta?.taskSpec !== undefined) return taskFromJson(meta.taskSpec);
  if (!required) return undefined;
  throw new RnnscopeError(
    'INVALID_FILE',
    `${path} records no task (metadata.taskSpec); pass --task ${taskNames.join('|')}`,
  );
}

/** How the model's own test trials start (metadata.initialState / testStart), as `rnnscope evaluate`. */
export function testStart(loaded: LoadedModel): EvaluateOptions['x0'] {
  const meta = loaded.metadata as Record<string, unknown> | undefined;
  const units = loaded.params.W.rows;
  const init = meta?.initialState;
  if (Array.isArray(init)) {
    if (init.length !== units || !init.every((v) => typeof v === 'number' && Number.isFinite(v)))
      throw new RnnscopeError(
        'INVALID_FILE',
        `metadata.initialState must hold ${units} finite numbers`,
      );
    return Float64Array.from(init as number[]);
  }
  if (meta?.testStart === 'random') return { randomScale: 0.5 };
  if (meta?.testStart === 'fixed-points') return 'fixed-points';
  return undefined;
}

/** A stop flag set by Ctrl-C while `run` is in progress. */
export async function interruptible<T>(
  run: (signal: { aborted: boolean }) => Promise<T>,
): Promise<T> {
  const signal = { aborted: false };
  const onSigint = () => {
    signal.aborted = true;
  };
  process.on('SIGINT', onSigint);
  try {
    return await run(signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Progress lines on stderr (none with --no-progress). */
export function progressLine(ctx: CliContext, enabled: boolean) {
  return (line: string) => {
    if (enabled) ctx.io.stderr.write(`rnnscope: ${line}\n`);
  };
}

/** The error a command throws after printing partial results (exit 1, as `fixedpoints`). */
export function interruptedError(what: string, json: boolean | string | undefined): RnnscopeError {
  return new RnnscopeError(
    'NOT_CONVERGED',
    `interrupted: partial results (${what}) ${typeof json === 'string' ? `written to ${json}` : 'printed'}, labelled "partial": true`,
  );
}

/** Comma-separated finite numbers ≥ 0 (noise levels), as a commander argument parser. */
export function nonNegativeList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const v = parts.map(Number);
  if (parts.some((p) => p === '') || v.some((x) => !(Number.isFinite(x) && x >= 0)))
    throw new InvalidArgumentError('expected comma-separated numbers ≥ 0, e.g. 0,0.001,0.01');
  return v;
}
