/**
 * `rnnscope init-random <out.json>`: a random, untrained model file, so users (and tests) can
 * start from a reproducible network. Draw order, fixed for reproducibility: W, Win, Wout, Wfb.
 */
import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { saveModel } from '../../io/model-file.js';
import { zeros } from '../../linalg/matrix.js';
import { validateModel } from '../../models/index.js';
import type { ActivationSpec, ModelKind, ModelParams, ModelWeights } from '../../models/types.js';
import { createRng, gaussianMatrix, recurrentGaussian, uniformMatrix } from '../../random/index.js';
import { usageError, type CliContext } from '../context.js';
import { finiteNumber, nonNegativeInt, positiveInt, positiveNumber } from '../options.js';
import { packageVersion } from '../version.js';

interface InitOptions {
  kind: ModelKind;
  units: number;
  inputs: number;
  outputs: number;
  g: number;
  seed: number;
  feedback: boolean;
  wout: 'gaussian' | 'zeros';
  activation: ActivationSpec['name'];
  tau: number;
  dt: number;
  alpha: number;
  sidecar: boolean;
  force: boolean;
  json?: boolean | string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function initRandomCommand(ctx: CliContext): Command {
  return new Command('init-random')
    .description(
      'write a random model file: W ~ N(0, g²/N), Win and Wfb ~ U(−1, 1), Wout ~ N(0, 1/N) or zeros',
    )
    .argument('<out>', 'model file to write (.json)')
    .requiredOption('--units <N>', 'number of units', positiveInt)
    .addOption(
      new Option('--kind <kind>', 'model kind')
        .choices(['rate', 'leaky-esn', 'ctrnn', 'rnn'])
        .default('rate'),
    )
    .option('--inputs <I>', 'number of inputs (columns of Win)', nonNegativeInt, 0)
    .option('--outputs <O>', 'number of outputs (rows of Wout)', nonNegativeInt, 0)
    .option('--g <g>', 'gain of W: entries have variance g²/N', finiteNumber, 1.5)
    .option('--seed <seed>', 'random seed', nonNegativeInt, 0)
    .option('--feedback', 'add output feedback Wfb (needs --outputs ≥ 1)', false)
    .addOption(
      new Option(
        '--wout <init>',
        'initial readout: small Gaussian N(0, 1/N) or zeros (as FORCE starts)',
      )
        .choices(['gaussian', 'zeros'])
        .default('gaussian'),
    )
    .addOption(
      new Option('--activation <name>', 'nonlinearity')
        .choices(['tanh', 'logistic', 'identity', 'relu'])
        .default('tanh'),
    )
    .option('--tau <tau>', 'time constant (rate, ctrnn)', positiveNumber, 10)
    .option('--dt <dt>', 'Euler time step (rate, ctrnn)', positiveNumber, 1)
    .option('--alpha <alpha>', 'leak rate in (0, 1] (leaky-esn)', positiveNumber, 0.5)
    .option(
      '--sidecar',
      'always write the weights to a .safetensors sidecar (default: only from 1000 units)',
      false,
    )
    .option('--force', 'overwrite an existing file', false)
    .option(
      '--json [file]',
      'print a summary as JSON on stdout, or write it to FILE (text still printed)',
    )
    .action(async (out: string, opts: InitOptions, cmd: Command) => {
      if (opts.feedback && opts.outputs < 1)
        usageError(cmd, '--feedback needs --outputs ≥ 1 (feedback comes from the readout)');
      if (existsSync(out) && !opts.force)
        usageError(cmd, `${out} exists; pass --force to overwrite it`);
      const N = opts.units;
      const rng = createRng(opts.seed);
      const weights: ModelWeights = { W: recurrentGaussian(N, opts.g, rng) };
      if (opts.inputs > 0) weights.Win = uniformMatrix(N, opts.inputs, -1, 1, rng);
      if (opts.outputs > 0) {
        weights.Wout =
          opts.wout === 'zeros'
            ? zeros(opts.outputs, N)
            : gaussianMatrix(opts.outputs, N, 1 / Math.sqrt(N), rng);
      }
      if (opts.feedback) weights.Wfb = uniformMatrix(N, opts.outputs, -1, 1, rng);
      const activation = { name: opts.activation } as ActivationSpec;
      const params: ModelParams =
        opts.kind === 'rate' || opts.kind === 'ctrnn'
          ? { kind: opts.kind, activation, tau: opts.tau, dt: opts.dt, ...weights }
          : opts.kind === 'leaky-esn'
            ? { kind: opts.kind, activation, alpha: opts.alpha, ...weights }
            : { kind: opts.kind, activation, ...weights };
      validateModel(params);
      const metadata = {
        task: 'init-random',
        seed: opts.seed,
        created: new Date().toISOString(),
        notes: `rnnscope ${packageVersion()} init-random: g=${opts.g}, Wout ${opts.wout}${opts.feedback ? ', feedback' : ''}`,
      };
      const saved = await saveModel(out, params, {
        metadata,
        sidecar: opts.sidecar ? true : 'auto',
      });
      const summary = {
        path: saved.path,
        ...(saved.sidecarPath ? { sidecar: saved.sidecarPath } : {}),
        kind: opts.kind,
        units: N,
        inputs: opts.inputs,
        outputs: opts.outputs,
        feedback: opts.feedback,
        g: opts.g,
        seed: opts.seed,
      };
      ctx.print(opts.json, summary, () => [
        `wrote ${saved.path}${saved.sidecarPath ? ` (weights in ${saved.sidecarPath})` : ''}: ${opts.kind} model, ${N} units, ` +
          `${plural(opts.inputs, 'input')}, ${plural(opts.outputs, 'output')}${opts.feedback ? ' with feedback' : ''}, g=${opts.g}, seed ${opts.seed}`,
      ]);
    });
}
