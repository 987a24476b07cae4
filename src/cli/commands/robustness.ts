/**
 * `rnnscope robustness <model>`: noise of standard deviation η added to the recurrent weights W,
 * several seeded draws per level; test MSE (and accuracy) on the same fresh trials and the
 * number of stable fixed points (and of surviving memories), mean ± std over draws (seed 000 §8,
 * fig. 9). Ctrl-C keeps the finished draws and prints them labelled partial.
 */
import { Command } from 'commander';
import { weightNoiseRobustness, type RobustnessResult } from '../../analysis/experiments/index.js';
import { experimentStarts } from '../../analysis/experiments/index.js';
import type { Summary } from '../../analysis/experiments/stats.js';
import { loadModel } from '../../io/model-file.js';
import { createRng } from '../../random/index.js';
import { releaseScratch, wasmBackend } from '../backend.js';
import { fmt, usageError, type CliContext } from '../context.js';
import { nonNegativeInt, positiveInt } from '../options.js';
import {
  addSearchOptions,
  interruptedError,
  interruptible,
  modelTask,
  nonNegativeList,
  progressLine,
  searchOptions,
  testStart,
  type SearchCliOptions,
} from './experiment-shared.js';

interface RobustnessCliOptions extends SearchCliOptions {
  eta: number[];
  draws: number;
  seed: number;
  trials: number;
  steps?: number;
  task?: string;
  fixedPoints: boolean;
  starts: number;
  perCorner?: number;
  progress: boolean;
  json?: boolean | string;
}

const pm = (s: Summary | undefined, digits = 4) =>
  !s || s.n === 0 ? '-' : `${Number(s.mean.toPrecision(digits))} ± ${Number(s.std.toPrecision(2))}`;

function textSummary(path: string, r: RobustnessResult): string[] {
  const b = r.baseline;
  const lines = [
    `${path}: W + η·N(0, 1), ${r.draws} draws per level (seed ${r.seed}), ${r.settings.testTrials} test trial(s) per network`,
    `unperturbed: mse ${fmt(b.mse)}${b.accuracy !== undefined ? `, accuracy ${fmt(100 * b.accuracy)} %` : ''}${b.stable !== undefined ? `, ${b.stable} stable fixed points (searched from ${r.settings.starts} starts)` : ''}`,
    '',
    `${'η'.padStart(9)}${'η√N'.padStart(9)}  ${'mse (mean ± std)'.padEnd(24)}${'accuracy %'.padEnd(20)}${'stable'.padEnd(16)}${'surviving'.padEnd(16)}draws`,
  ];
  r.levels.forEach((l, i) => {
    const acc = l.accuracy
      ? { ...l.accuracy, mean: 100 * l.accuracy.mean, std: 100 * l.accuracy.std }
      : undefined;
    lines.push(
      `${fmt(l.eta).padStart(9)}${fmt(r.noiseRadius[i]).padStart(9)}  ${pm(l.mse).padEnd(24)}${pm(acc).padEnd(20)}${pm(l.stable, 3).padEnd(16)}${pm(l.surviving, 3).padEnd(16)}${l.draws.length}`,
    );
  });
  if (r.partial)
    lines.push(`PARTIAL: stopped at η = ${r.interruptedAt?.eta}, draw ${r.interruptedAt?.draw}`);
  return lines;
}

export function robustnessCommand(ctx: CliContext): Command {
  const cmd = new Command('robustness')
    .description(
      'test MSE and stable fixed points under Gaussian noise of std η added to W (mean ± std over draws)',
    )
    .argument('<model>', 'trained model file (its task from metadata.taskSpec, or --task)')
    .option(
      '--eta <list>',
      'noise levels η (std per entry of W)',
      nonNegativeList,
      [0, 0.001, 0.003, 0.01, 0.03, 0.1],
    )
    .option('--draws <K>', 'noise draws per level', positiveInt, 5)
    .option('--seed <S>', 'seed of the noise, test trials and starts', nonNegativeInt, 0)
    .option('--trials <K>', 'fresh test trials per network', positiveInt, 1)
    .option('--steps <T>', 'steps per test trial (default: the task’s)', positiveInt)
    .option('--task <name>', 'task when the file records none (its defaults)')
    .option('--no-fixed-points', 'skip the fixed-point counts (MSE only)')
    .option('--starts <K>', 'visited states sampled as fixed-point starts', nonNegativeInt, 32)
    .option(
      '--per-corner <n>',
      'flip-flop: starts written by the task’s pulses per corner (default 1)',
      nonNegativeInt,
    )
    .option('--no-progress', 'no progress lines on stderr')
    .option(
      '--json [file]',
      'print the result as JSON on stdout, or write it to FILE (text still printed)',
    );
  addSearchOptions(cmd);
  return cmd.action(async (path: string, o: RobustnessCliOptions) => {
    const loaded = await loadModel(path);
    const params = loaded.params;
    const task = modelTask(loaded, path, o.task, cmd, true)!;
    if (o.perCorner && task.spec.task !== 'flipflop')
      usageError(cmd, '--per-corner needs a flip-flop task');
    const say = progressLine(ctx, o.progress);
    const backend = wasmBackend();
    const starts = o.fixedPoints
      ? experimentStarts(params, {
          rng: createRng(o.seed).fork('starts'),
          task,
          samples: o.starts,
          ...(o.perCorner !== undefined ? { perCorner: o.perCorner } : {}),
        }).starts
      : undefined;
    say(`robustness: ${o.eta.length} levels × ${o.draws} draws on ${params.W.rows} units`);
    const result = await interruptible((signal) =>
      weightNoiseRobustness(params, {
        task,
        etas: o.eta,
        draws: o.draws,
        seed: o.seed,
        evaluate: {
          trials: o.trials,
          ...(o.steps ? { steps: o.steps } : {}),
          ...(o.task === undefined ? { x0: testStart(loaded) } : {}),
        },
        fixedPoints: o.fixedPoints,
        ...(starts ? { starts } : {}),
        fixedPointOptions: searchOptions(o, backend),
        signal,
        onDraw: (d, done, total) =>
          say(
            `robustness: ${done}/${total}: η ${fmt(d.eta)} draw ${d.draw}: mse ${fmt(d.mse)}${d.stable !== undefined ? `, ${d.stable} stable, ${d.surviving} surviving` : ''} (${fmt(d.seconds)} s)`,
          ),
      }),
    ).finally(() => releaseScratch(backend));
    const value = { model: path, task: task.spec, ...result };
    ctx.print(o.json, value, () => textSummary(path, result));
    if (result.partial) throw interruptedError('finished draws only', o.json);
  });
}
