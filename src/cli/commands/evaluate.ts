/**
 * `rnnscope evaluate <model>`: tests a trained model on fresh trials of the task recorded in its
 * metadata (or --task), with the loop closed and the weights frozen, and reports MSE and
 * accuracy (fraction of scored outputs on the right side of the target levels; for ±1 targets,
 * the sign).
 */
import { Command } from 'commander';
import { loadModel } from '../../io/model-file.js';
import { createRng } from '../../random/index.js';
import { taskNames } from '../../tasks/registry.js';
import { evaluateModel } from '../../train/evaluate.js';
import { fmt, type CliContext } from '../context.js';
import { nonNegativeInt, positiveInt } from '../options.js';
import { modelTask, testStart } from './experiment-shared.js';

interface EvaluateCliOptions {
  trials: number;
  seed: number;
  steps?: number;
  task?: string;
  json?: boolean | string;
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
    // required: the command throws when neither --task nor metadata.taskSpec names one
    const task = modelTask(loaded, path, o.task, cmd, true)!;
    const result = evaluateModel(loaded.params, task, createRng(o.seed), {
      trials: o.trials,
      steps: o.steps,
      x0: o.task !== undefined ? undefined : testStart(loaded),
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
