/**
 * `rnnscope train <task>`: builds the network a task's trainer needs (train/recipe.ts), trains
 * it with a progress bar on stderr, tests it on fresh trials, and writes a model file whose
 * metadata records the task, the resolved recipe and the test score, and whose history holds
 * the loss curve. Checkpoints (--checkpoint-every, and on Ctrl-C) are a JSON file plus a
 * safetensors file of the arrays; --resume continues one bit for bit.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { RnnscopeError } from '../../errors.js';
import { loadModel, saveModel } from '../../io/model-file.js';
import { decodeSafetensors, encodeSafetensors } from '../../io/safetensors.js';
import { taskNames } from '../../tasks/registry.js';
import type { TaskName, TaskSpec } from '../../tasks/types.js';
import { packCheckpoint, unpackCheckpoint } from '../../train/checkpoint.js';
import { trainTask, type TrainerCheckpoint, type TrainRecipe } from '../../train/recipe.js';
import { fmt, usageError, type CliContext } from '../context.js';
import { finiteNumber, nonNegativeInt, positiveInt, positiveNumber } from '../options.js';
import { trainProgressPrinter } from '../progress.js';
import { testMetadata } from '../test-metadata.js';
import { packageVersion } from '../version.js';

interface TrainOptions {
  bits?: number;
  op?: 'and' | 'or' | 'xor' | 'ff';
  levels?: string;
  units?: number;
  model?: TrainRecipe['model'];
  trainer?: TrainRecipe['trainer'];
  seed: number;
  out: string;
  steps?: number;
  iterations?: number;
  batch?: number;
  lr?: number;
  clip?: number;
  lossThreshold?: number;
  train?: string;
  init?: 'normal' | 'orthogonal';
  activation?: 'tanh' | 'logistic';
  g?: number;
  tau?: number;
  dt?: number;
  alpha?: number;
  updateEvery?: number;
  precision?: 'float64' | 'float32';
  inputScale?: number;
  feedbackScale?: number;
  ridge?: number;
  feedbackNoise?: number;
  exact?: boolean;
  snapshots?: string;
  transferFrom?: string;
  checkpoint?: string;
  checkpointEvery?: number;
  resume?: string;
  testTrials: number;
  force: boolean;
  quiet: boolean;
  json?: boolean | string;
}

const CHECKPOINT_FORMAT = 'rnnscope-checkpoint';

function numberList(s: string, what: string): number[] {
  const v = s.split(',').map((x) => Number(x.trim()));
  if (v.length === 0 || v.some((x) => !Number.isFinite(x)))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `${what}: expected comma-separated numbers, got '${s}'`,
    );
  return v;
}

function writeCheckpoint(
  path: string,
  recipe: TrainRecipe,
  transferFrom: string | undefined,
  cp: TrainerCheckpoint,
): void {
  const packed = packCheckpoint(cp);
  const tensorsFile = path.replace(/\.json$/i, '') + '.safetensors';
  const doc = {
    format: CHECKPOINT_FORMAT,
    version: 1,
    rnnscope: packageVersion(),
    recipe: { ...recipe, transferFrom: undefined },
    transferFrom,
    tensors: tensorsFile.split('/').pop(),
    checkpoint: packed.json,
  };
  try {
    writeFileSync(tensorsFile, encodeSafetensors(packed.tensors));
    writeFileSync(path, JSON.stringify(doc) + '\n');
  } catch (e) {
    throw new RnnscopeError('IO_ERROR', `cannot write checkpoint ${path}: ${(e as Error).message}`);
  }
}

function readCheckpoint(path: string): {
  recipe: TrainRecipe;
  transferFrom?: string;
  checkpoint: TrainerCheckpoint;
} {
  let doc: {
    format?: string;
    recipe?: TrainRecipe;
    transferFrom?: string;
    tensors?: string;
    checkpoint?: unknown;
  };
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new RnnscopeError('IO_ERROR', `cannot read checkpoint ${path}: ${(e as Error).message}`);
  }
  if (doc.format !== CHECKPOINT_FORMAT || !doc.recipe || typeof doc.tensors !== 'string')
    throw new RnnscopeError('INVALID_FILE', `${path} is not an rnnscope checkpoint`);
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  let file;
  try {
    file = decodeSafetensors(new Uint8Array(readFileSync(dir + doc.tensors)), doc.tensors);
  } catch (e) {
    if (e instanceof RnnscopeError) throw e;
    throw new RnnscopeError(
      'IO_ERROR',
      `cannot read checkpoint arrays ${dir + doc.tensors}: ${(e as Error).message}`,
    );
  }
  const checkpoint = unpackCheckpoint(doc.checkpoint, (name) => {
    if (!file.tensors.has(name))
      throw new RnnscopeError('INVALID_FILE', `checkpoint ${path} lacks array ${name}`);
    return file.readF64(name);
  }) as TrainerCheckpoint;
  return { recipe: doc.recipe, transferFrom: doc.transferFrom, checkpoint };
}

function recipeFrom(task: TaskName, o: TrainOptions): TrainRecipe {
  const spec: Partial<TaskSpec> & { task: TaskName } = { task };
  if (o.bits !== undefined) Object.assign(spec, { bits: o.bits });
  if (o.op !== undefined) Object.assign(spec, { op: o.op });
  if (o.levels !== undefined) Object.assign(spec, { levels: numberList(o.levels, '--levels') });
  const r: TrainRecipe = { task: spec, seed: o.seed, testTrials: o.testTrials };
  const copy: [keyof TrainOptions, keyof TrainRecipe][] = [
    ['trainer', 'trainer'],
    ['model', 'model'],
    ['units', 'units'],
    ['steps', 'steps'],
    ['iterations', 'iterations'],
    ['batch', 'batchSize'],
    ['lr', 'learningRate'],
    ['clip', 'clipNorm'],
    ['lossThreshold', 'lossThreshold'],
    ['init', 'init'],
    ['activation', 'activation'],
    ['g', 'g'],
    ['tau', 'tau'],
    ['dt', 'dt'],
    ['alpha', 'alpha'],
    ['updateEvery', 'updateEvery'],
    ['precision', 'precision'],
    ['inputScale', 'inputScale'],
    ['feedbackScale', 'feedbackScale'],
    ['ridge', 'ridge'],
    ['feedbackNoise', 'feedbackNoise'],
    ['exact', 'exact'],
  ];
  for (const [from, to] of copy)
    if (o[from] !== undefined) (r as unknown as Record<string, unknown>)[to] = o[from];
  if (o.train !== undefined)
    r.train = o.train.split(',').map((s) => s.trim()) as TrainRecipe['train'];
  if (o.snapshots !== undefined) r.snapshots = numberList(o.snapshots, '--snapshots');
  return r;
}

export function trainCommand(ctx: CliContext): Command {
  const cmd = new Command('train')
    .description(
      'train a network on a task (flipflop, boolean, sine, fhn, levels) and test it on fresh trials',
    )
    .argument('<task>', `task: ${taskNames.join(', ')}`)
    .option('--bits <n>', 'flipflop: number of bits (default 3)', positiveInt)
    .addOption(
      new Option('--op <op>', 'boolean: and, or, xor or ff (set–reset flip-flop)').choices([
        'and',
        'or',
        'xor',
        'ff',
      ]),
    )
    .option('--levels <list>', 'levels: comma-separated output levels A_1…A_M (default 1)')
    .option(
      '--units <N>',
      'units (default: 1000 for force/ridge; bptt: 16 flipflop, 50 boolean/fhn, 100 sine)',
      positiveInt,
    )
    .addOption(
      new Option(
        '--model <kind>',
        'model kind (default: rate for force/ridge; ctrnn for boolean, rnn otherwise)',
      ).choices(['rate', 'leaky-esn', 'ctrnn', 'rnn']),
    )
    .addOption(
      new Option(
        '--trainer <name>',
        'trainer (default: force for flipflop, ridge for levels, bptt otherwise)',
      ).choices(['force', 'ridge', 'bptt']),
    )
    .option('--seed <S>', 'random seed (weights, data, test trials)', nonNegativeInt, 0)
    .option('--out <file>', 'model file to write', 'model.json')
    .option(
      '--steps <n>',
      'force/ridge: training steps (default 30000; FORCE 4-bit flip-flop 90000)',
      positiveInt,
    )
    .option('--iterations <n>', 'bptt: maximum iterations', positiveInt)
    .option('--batch <n>', 'bptt: trials per minibatch (default 64)', positiveInt)
    .option('--lr <rate>', 'bptt: Adam learning rate', positiveNumber)
    .option('--clip <norm>', 'bptt: gradient-norm clipping (0 disables; default 1)', finiteNumber)
    .option(
      '--loss-threshold <L>',
      'bptt: stop when the mean loss of 10 iterations is below L',
      finiteNumber,
    )
    .option(
      '--train <list>',
      'bptt: trained parameters from W,Win,Wout,bias,bout,x0 (default all but x0)',
    )
    .addOption(
      new Option(
        '--init <init>',
        'bptt: W initialisation (variance g²/N normal, or orthogonal)',
      ).choices(['normal', 'orthogonal']),
    )
    .addOption(
      new Option('--activation <name>', 'unit nonlinearity (default tanh)').choices([
        'tanh',
        'logistic',
      ]),
    )
    .option('--g <g>', 'gain of W (default 1.5 force, 1.2 levels, 1 bptt)', finiteNumber)
    .option('--tau <tau>', 'time constant (rate default 10, ctrnn 1)', positiveNumber)
    .option('--dt <dt>', 'Euler step (rate default 1, ctrnn 0.1)', positiveNumber)
    .option('--alpha <a>', 'force: P(0) = I/alpha (default 1)', positiveNumber)
    .option('--update-every <d>', 'force: steps between RLS updates (default 2)', positiveInt)
    .addOption(
      new Option('--precision <p>', 'force: storage of W and P').choices(['float64', 'float32']),
    )
    .option(
      '--input-scale <s>',
      'force/ridge: Win ~ U(−s, s) (default 6 flipflop, else 1)',
      positiveNumber,
    )
    .option(
      '--feedback-scale <s>',
      'force/ridge: Wfb ~ U(−s, s) (default 1.5 flipflop, else 1)',
      positiveNumber,
    )
    .option('--ridge <lambda>', 'ridge: regularisation λ (default 1e-6)', finiteNumber)
    .option(
      '--feedback-noise <sigma>',
      'ridge: noise added to the teacher signal (default 0.05)',
      finiteNumber,
    )
    .option('--exact', 'levels: exact minimum-norm readout through the open-loop fixed points')
    .option('--snapshots <steps>', 'force: keep copies of Wout after these steps (comma-separated)')
    .option(
      '--transfer-from <model>',
      'start from this trained model, new dimensions zeroed (seed 000 §7.1)',
    )
    .option('--checkpoint <file>', 'checkpoint file (default <out>.ckpt.json)')
    .option(
      '--checkpoint-every <n>',
      'write a checkpoint every n steps (force) or iterations (bptt)',
      positiveInt,
    )
    .option(
      '--resume <file>',
      'continue from a checkpoint (its recipe replaces the training options)',
    )
    .option('--test-trials <K>', 'fresh test trials after training (0 skips)', nonNegativeInt, 10)
    .option('--force', 'overwrite an existing --out file', false)
    .option('--quiet', 'no progress output', false)
    .option('--json [file]', 'print the summary as JSON on stdout, or write it to FILE');
  return cmd.action(async (taskName: string, o: TrainOptions) => {
    if (!taskNames.includes(taskName as TaskName))
      usageError(cmd, `unknown task '${taskName}'; valid tasks: ${taskNames.join(', ')}`);
    if (existsSync(o.out) && !o.force)
      usageError(cmd, `${o.out} exists; pass --force to overwrite it`);
    let recipe = recipeFrom(taskName as TaskName, o);
    const trainer =
      recipe.trainer ??
      (taskName === 'flipflop' ? 'force' : taskName === 'levels' ? 'ridge' : 'bptt');
    if (recipe.model !== undefined) {
      const ok =
        trainer === 'bptt'
          ? recipe.model === 'rnn' || recipe.model === 'ctrnn'
          : recipe.model === 'rate' || (trainer === 'ridge' && recipe.model === 'leaky-esn');
      if (!ok)
        usageError(
          cmd,
          `--trainer ${trainer} cannot train a ${recipe.model} model (force: rate; ridge: rate, leaky-esn; bptt: rnn, ctrnn)`,
        );
    }
    let transferFrom = o.transferFrom;
    let resume: TrainerCheckpoint | undefined;
    if (o.resume) {
      const read = readCheckpoint(o.resume);
      if (read.recipe.task.task !== taskName)
        usageError(
          cmd,
          `checkpoint ${o.resume} is for task '${read.recipe.task.task}', not '${taskName}'`,
        );
      recipe = read.recipe;
      transferFrom = read.transferFrom;
      resume = read.checkpoint;
    }
    if (transferFrom) recipe.transferFrom = (await loadModel(transferFrom)).params;
    const ckptPath = o.checkpoint ?? o.out.replace(/\.json$/i, '') + '.ckpt.json';
    const abort = { aborted: false };
    const onSigint = () => {
      abort.aborted = true;
    };
    process.on('SIGINT', onSigint);
    const progress = trainProgressPrinter(ctx.io.stderr, o.quiet, '', 5000);
    let outcome;
    try {
      outcome = await trainTask(recipe, {
        signal: abort,
        onProgress: progress.onProgress,
        resume,
        ...(o.checkpointEvery
          ? {
              checkpointEvery: o.checkpointEvery,
              onCheckpoint: (cp) => writeCheckpoint(ckptPath, recipe, transferFrom, cp),
            }
          : {}),
      });
    } finally {
      process.off('SIGINT', onSigint);
      progress.end();
    }
    const r = outcome.recipe;
    const metadata = {
      task: r.task.task,
      seed: r.seed,
      created: new Date().toISOString(),
      notes: `rnnscope ${packageVersion()} train ${r.task.task}: ${r.trainer}, ${outcome.stopped}`,
      taskSpec: r.task,
      trainer: r.trainer,
      recipe: { ...r, task: undefined },
      training: { stopped: outcome.stopped, seconds: outcome.seconds, ...outcome.details },
      testStart: outcome.testStart,
      ...(transferFrom ? { transferFrom } : {}),
      ...(outcome.initialState ? { initialState: Array.from(outcome.initialState) } : {}),
      ...testMetadata(outcome),
      ...(outcome.snapshots?.length ? { woutSnapshots: outcome.snapshots } : {}),
    };
    const saved = await saveModel(o.out, outcome.params, {
      metadata,
      history: outcome.history,
      sidecar: 'auto',
    });
    if (outcome.stopped === 'aborted') {
      if (outcome.checkpoint) writeCheckpoint(ckptPath, recipe, transferFrom, outcome.checkpoint);
      throw new RnnscopeError(
        'NOT_CONVERGED',
        `interrupted: wrote the model so far to ${saved.path} and a checkpoint to ${ckptPath} ` +
          `(continue with: rnnscope train ${r.task.task} --resume ${ckptPath} --out ${o.out} --force)`,
      );
    }
    const summary = {
      path: saved.path,
      ...(saved.sidecarPath ? { sidecar: saved.sidecarPath } : {}),
      task: r.task.task,
      trainer: r.trainer,
      model: r.model,
      units: r.units,
      seed: r.seed,
      stopped: outcome.stopped,
      seconds: outcome.seconds,
      ...outcome.details,
      ...(outcome.test
        ? {
            test: {
              mse: outcome.test.mse,
              accuracy: outcome.test.accuracy,
              allChannelsAccuracy: outcome.test.allChannelsAccuracy,
              trials: outcome.test.trials,
            },
          }
        : {}),
    };
    ctx.print(o.json, summary, () => {
      const lines = [
        `trained ${r.task.task} (${r.trainer}, ${r.model}, ${r.units} units, seed ${r.seed}) in ${fmt(outcome.seconds)} s: ${outcome.stopped}`,
      ];
      if (outcome.test) {
        const acc =
          outcome.test.accuracy === undefined
            ? ''
            : `, accuracy ${fmt(100 * outcome.test.accuracy)} %`;
        lines.push(
          `test on ${outcome.test.trials} fresh trials: mse ${fmt(outcome.test.mse)}${acc}`,
        );
      }
      lines.push(
        `wrote ${saved.path}${saved.sidecarPath ? ` (weights in ${saved.sidecarPath})` : ''}`,
      );
      return lines;
    });
  });
}
