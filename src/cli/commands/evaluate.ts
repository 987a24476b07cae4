/**
 * `rnnscope evaluate <model>`: tests a trained model on fresh trials of the task recorded in its
 * metadata (or --task), with the loop closed and the weights frozen, and reports MSE and
 * accuracy (fraction of scored outputs on the right side of the target levels; for ±1 targets,
 * the sign).
 */
import { Command } from 'commander';
import { RnnscopeError } from '../../errors.js';
import { loadModel } from '../../io/model-file.js';
import { createRng } from '../../random/index.js';
import { createTask, taskFromJson, taskNames } from '../../tasks/registry.js';
import type { Task, TaskName } from '../../tasks/types.js';
import { evaluateModel, type EvaluateOptions } from '../../train/evaluate.js';
import { fmt, usageError, type CliContext } from '../context.js';
import { nonNegativeInt, positiveInt } from '../options.js';

interface EvaluateCliOptions {
  trials: number;
  seed: number;
  steps?: number;
  task?: string;
  json?: boolean | string;
}

function startOf(meta: Record<string, unknown> | undefined, units: number): EvaluateOptions['x0'] {
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

export function evaluateCommand(ctx: CliContext): Command {
  const cmd = new Command('evaluate')
    .description('test a trained model on fresh trials of its task: mse and accuracy')
    .argument('<model>', 'model file written by rnnscope train (or any model with --task)')
    .option('--trials <K>', 'number of fresh trials', positiveInt, 10)
    .option('--seed <S>', 'seed of the test trials', nonNegativeInt, 0)
    .option('--steps <n>', 'steps per trial (default: the task’s)', positiveInt)
    .option(
      '--task <name>',
      `task when the file records none: ${taskNames.join(', ')} (defaults of that task)`,
    )
    .option('--json [file]', 'print the result as JSON on stdout, or write it to FILE');
  return cmd.action(async (path: string, o: EvaluateCliOptions) => {
    const loaded = await loadModel(path);
    const meta = loaded.metadata as Record<string, unknown> | undefined;
    let task: Task;
    if (o.task !== undefined) {
      if (!taskNames.includes(o.task as TaskName))
        usageError(cmd, `unknown task '${o.task}'; valid tasks: ${taskNames.join(', ')}`);
      task = createTask({ task: o.task as TaskName });
    } else if (meta?.taskSpec !== undefined) {
      task = taskFromJson(meta.taskSpec);
    } else {
      throw new RnnscopeError(
        'INVALID_FILE',
        `${path} records no task (metadata.taskSpec); pass --task ${taskNames.join('|')}`,
      );
    }
    const units = loaded.params.W.rows;
    const result = evaluateModel(loaded.params, task, createRng(o.seed), {
      trials: o.trials,
      steps: o.steps,
      x0: o.task !== undefined ? undefined : startOf(meta, units),
    });
    const value = { model: path, task: task.spec.task, seed: o.seed, ...result };
    ctx.print(o.json, value, () => [
      `${path}: ${task.spec.task} on ${result.trials} fresh trials of ${result.steps} steps (seed ${o.seed})`,
      `mse ${fmt(result.mse)}` +
        (result.accuracy === undefined ? '' : `, accuracy ${fmt(100 * result.accuracy)} %`) +
        (result.allChannelsAccuracy === undefined
          ? ''
          : ` (all channels right: ${fmt(100 * result.allChannelsAccuracy)} %)`),
    ]);
  });
}
