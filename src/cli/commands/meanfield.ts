/**
 * `rnnscope meanfield --g G --amplitude A ...`: seed 001's mean-field theory of a reservoir
 * trained to hold output levels, optionally next to a finite network.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  meanFieldReport,
  defaultOmegas,
  type MeanFieldReport,
} from '../../analysis/meanfield/index.js';
import type { Complex } from '../../analysis/spectrum/index.js';
import { parseDecimal } from '../../io/csv.js';
import type { ActivationSpec } from '../../models/types.js';
import { fmt, usageError, type CliContext } from '../context.js';
import { nonNegativeInt, positiveInt, positiveNumber } from '../options.js';

interface MeanFieldCliOptions {
  g: number;
  amplitude: number;
  levels?: number[];
  activation: ActivationSpec;
  feedback: 'uniform' | 'normal' | 'bernoulli';
  finite?: number;
  seed: number;
  fullSpectrum: boolean;
  omegaMax: number;
  omegaPoints: number;
  json?: boolean | string;
}

/** `tanh`, `logistic`, `identity`, `relu` or `relu:θ`. */
export function parseActivation(value: string): ActivationSpec {
  const m = /^relu(?::(.+))?$/.exec(value.trim());
  if (m) {
    if (m[1] === undefined) return { name: 'relu', threshold: 0 };
    const t = parseDecimal(m[1]);
    if (t === undefined)
      throw new InvalidArgumentError('expected relu:θ with a finite threshold θ, e.g. relu:0.1');
    return { name: 'relu', threshold: t };
  }
  if (value === 'tanh' || value === 'logistic' || value === 'identity') return { name: value };
  throw new InvalidArgumentError('expected tanh, logistic, identity, relu or relu:θ');
}

function parseNonZero(value: string): number {
  const v = parseDecimal(value);
  if (v === undefined || v === 0) throw new InvalidArgumentError('expected a finite number ≠ 0');
  return v;
}

function parseLevels(value: string): number[] {
  const parts = value.split(',').map((s) => parseDecimal(s.trim()));
  if (parts.length === 0 || parts.some((v) => v === undefined || v === 0))
    throw new InvalidArgumentError('expected comma-separated non-zero numbers, e.g. 0.5,1,1.5');
  return parts as number[];
}

const c = ([re, im]: Complex) =>
  im === 0 ? fmt(re) : `${fmt(re)} ${im < 0 ? '−' : '+'} ${fmt(Math.abs(im))}i`;

function textLines(r: MeanFieldReport): string[] {
  const act =
    r.activation.name === 'relu'
      ? `relu (threshold ${r.activation.threshold ?? 0})`
      : r.activation.name;
  const row = (k: string, v: string) => `${k.padEnd(22)}${v}`;
  const lines = [
    `mean field: g ${fmt(r.g)}, ${act}, feedback ${r.feedback}, level A = ${fmt(r.amplitude)}` +
      (r.levels.length > 1 ? ` of ${r.levels.map(fmt).join(', ')}` : ''),
    row('σ²', fmt(r.sigma2)),
    row('β₀, β₁', `${fmt(r.beta0)}, ${fmt(r.beta1)}`),
    row('λ_out', `${fmt(r.lambdaOut)} (${r.lambdaOut < 0 ? 'stable' : 'unstable'})`),
  ];
  if (r.outliers.length > 1) lines.push(row('closed-loop modes', r.outliers.map(c).join(', ')));
  lines.push(
    row('ρ', `${fmt(r.rho)}${r.fadingMemory ? '' : ' (≥ 1: no fading memory)'}`),
    row('τ_out, τ_net', `${fmt(r.tauOut)}, ${fmt(r.tauNet)}`),
    row('G_OL(0)', fmt(r.dcGain)),
    row(
      'Nyquist (point 1+0i)',
      `${r.nyquist.encirclements} encirclement(s), ${r.nyquist.openLoopUnstablePoles} open-loop unstable pole(s): ${r.nyquist.stable ? 'stable' : 'unstable'}`,
    ),
  );
  if (r.finite) {
    const f = r.finite;
    lines.push(
      `finite network N = ${f.N}, seed ${f.seed}`,
      row('  outliers', f.outliers.length ? f.outliers.map(c).join(', ') : 'none outside the bulk'),
      row(
        '  bulk radius',
        `${fmt(f.bulkRadius)} (${f.bulkRadiusMethod}; mean field ρ ${fmt(r.rho)})`,
      ),
      row('  max |G_N − G_OL|', fmt(f.gainError)),
    );
  }
  return lines;
}

export function meanfieldCommand(ctx: CliContext): Command {
  return new Command('meanfield')
    .description(
      "mean-field theory of a reservoir trained to hold output levels (seed 001): σ², β₀, β₁, λ_out, ρ, τ_out, τ_net, the open-loop gain G_OL(ω), the Nyquist verdict, and optionally a finite network's outliers and gain",
    )
    .requiredOption('--g <g>', 'gain of W (W_ij ~ N(0, g²/N))', positiveNumber)
    .requiredOption('--amplitude <A>', 'the output level analysed', parseNonZero)
    .option(
      '--levels <A1,A2,...>',
      'all trained levels (M > 1); must include --amplitude',
      parseLevels,
    )
    .addOption(
      new Option('--activation <phi>', 'tanh, logistic, identity, relu or relu:θ (max(0, x − θ))')
        .argParser(parseActivation)
        .default({ name: 'tanh' }, 'tanh'),
    )
    .addOption(
      new Option('--feedback <dist>', 'feedback weight distribution')
        .choices(['uniform', 'normal', 'bernoulli'])
        .default('uniform'),
    )
    .option('--finite <N>', 'also build a network of N units and compare', positiveInt)
    .option('--seed <seed>', 'seed of the finite network', nonNegativeInt, 0)
    .option(
      '--full-spectrum',
      'finite network: compute all N eigenvalues of the closed loop (O(N³))',
      false,
    )
    .option('--omega-max <w>', 'largest |ω| of the gain curve', positiveNumber, 100)
    .option(
      '--omega-points <n>',
      'log-spaced frequencies per sign (from 0.01 to --omega-max)',
      positiveInt,
      40,
    )
    .option(
      '--json [file]',
      'print the result as JSON on stdout, or write it to FILE (text still printed)',
    )
    .action((opts: MeanFieldCliOptions, cmd: Command) => {
      const levels = opts.levels ?? [opts.amplitude];
      if (!levels.includes(opts.amplitude)) {
        usageError(
          cmd,
          `--amplitude ${opts.amplitude} must be one of --levels ${levels.join(',')}`,
        );
      }
      if (new Set(levels).size !== levels.length)
        usageError(cmd, `--levels must be distinct, got ${levels.join(',')}`);
      if (opts.finite !== undefined && opts.finite < 2) usageError(cmd, '--finite needs N ≥ 2');
      if (opts.fullSpectrum && opts.finite === undefined)
        usageError(cmd, '--full-spectrum needs --finite N');
      if (!(opts.omegaMax > 0.01)) usageError(cmd, '--omega-max must be > 0.01');
      const report = meanFieldReport({
        g: opts.g,
        amplitude: opts.amplitude,
        levels,
        activation: opts.activation,
        feedback: opts.feedback,
        omegas: defaultOmegas(opts.omegaMax, opts.omegaPoints),
        ...(opts.finite !== undefined
          ? { finite: { N: opts.finite, seed: opts.seed, fullSpectrum: opts.fullSpectrum } }
          : {}),
      });
      ctx.print(opts.json, report, () => textLines(report));
    });
}
