/**
 * `rnnscope spectrum <model> [--initial <model>]`: seed 004's spectral diagnostics of a model's
 * recurrent matrix (and of W + Wfb·Wout with feedback), optionally against the untrained network.
 */
import { Command } from 'commander';
import {
  compareSpectra,
  modelSpectrum,
  type Complex,
  type ModelSpectrum,
  type SpectrumComparison,
  type SpectrumSection,
} from '../../analysis/spectrum/index.js';
import { loadModel } from '../../io/model-file.js';
import { createModel } from '../../models/index.js';
import { fmt, usageError, type CliContext } from '../context.js';
import { nonNegativeInt, finiteNumber, positiveInt, positiveNumber } from '../options.js';
import { BUILTIN_PREFIX } from '../source.js';

interface SpectrumCliOptions {
  initial?: string;
  responses: boolean;
  steps: number;
  pulseStart: number;
  pulseWidth: number;
  amplitude: number;
  tolerance: number;
  json?: boolean | string;
}

const complexText = ([re, im]: Complex) =>
  im === 0 ? fmt(re) : `${fmt(re)} ${im < 0 ? '−' : '+'} ${fmt(Math.abs(im))}i`;

function listText(eigs: Complex[], max = 6): string {
  if (eigs.length === 0) return 'none';
  const shown = eigs.slice(0, max).map(complexText).join(', ');
  return `${eigs.length}: ${shown}${eigs.length > max ? ', …' : ''}`;
}

function sectionLines(title: string, s: SpectrumSection, unit: string): string[] {
  const row = (k: string, v: string) => `  ${k.padEnd(24)}${v}`;
  const lines = [
    title,
    row('spectral radius', fmt(s.spectralRadius)),
    row('outside unit circle', listText(s.outsideUnitCircle)),
    row('growing modes', listText(s.growingModes)),
  ];
  if (s.dominant) {
    const d = s.dominant;
    lines.push(
      row('dominant complex λ', `${complexText([d.re, d.im])} (|λ| ${fmt(d.modulus)})`),
      row('angle θ', `${fmt(d.angle)} rad (${fmt((d.angle * 180) / Math.PI)}°)`),
      row('predicted frequency', `${fmt(d.predictedFrequency)} ${unit}`),
    );
  } else lines.push(row('dominant complex λ', 'none (all eigenvalues real)'));
  lines.push(
    row('Henrici (normalised)', fmt(s.henrici)),
    row(
      'λmax symmetric part',
      `${fmt(s.symmetricPartMaxEig)} (amplification ${s.amplification.possible ? 'possible' : 'impossible'})`,
    ),
    row(
      'moments',
      `mean ${fmt(s.moments.mean)}, std ${fmt(s.moments.std)}, skewness ${fmt(s.moments.skewness)}, kurtosis ${fmt(s.moments.kurtosis)}`,
    ),
  );
  return lines;
}

function textLines(spec: string, r: ModelSpectrum | SpectrumComparison): string[] {
  const unit = r.convention.frequencyUnit;
  const lines = [
    `model ${spec}: ${r.convention.kind}, ${r.n} units`,
    ...sectionLines('W', r, unit),
  ];
  if (r.effective) lines.push(...sectionLines('W + Wfb·Wout (closed loop)', r.effective, unit));
  if (r.responses) {
    lines.push(
      `responses (${r.responses.settings.steps} steps, pulse ${r.responses.settings.pulseWidth} steps)`,
    );
    for (const x of r.responses.responses) {
      const f = x.frequency !== null ? `, frequency ${fmt(x.frequency)}` : '';
      lines.push(`  inputs ${x.inputs.join('') || '(impulse)'}`.padEnd(26) + `${x.class}${f}`);
    }
  }
  if ('changes' in r) {
    const c = r.changes;
    const pct = (v: number | null) => (v === null ? '' : ` (${v >= 0 ? '+' : ''}${fmt(v)}%)`);
    const ch = (k: string, x: { initial: number; trained: number; percent: number | null }) =>
      `  ${k.padEnd(24)}${fmt(x.initial)} → ${fmt(x.trained)}${pct(x.percent)}`;
    lines.push(
      'initial → trained',
      ch('spectral radius', c.spectralRadius),
      `  ${'outside unit circle'.padEnd(24)}${c.outsideUnitCircle.initial} → ${c.outsideUnitCircle.trained}`,
      ch('Henrici', c.henrici),
      ch('λmax symmetric part', c.symmetricPartMaxEig),
      ch('mean', c.moments.mean),
      ch('std', c.moments.std),
      ch('skewness', c.moments.skewness),
      ch('kurtosis', c.moments.kurtosis),
    );
  }
  return lines;
}

export function spectrumCommand(ctx: CliContext): Command {
  return new Command('spectrum')
    .description(
      "spectral diagnostics of a model's recurrent matrix (seed 004): eigenvalues, spectral radius, eigenvalues outside the unit circle, dominant complex mode and its frequency, Henrici departure from normality, symmetric part, weight moments, responses to input pulses",
    )
    .argument('<model>', 'model file (.json)')
    .option('--initial <model>', 'the same network before training: report the changes')
    .option('--no-responses', 'skip simulating the response to every input combination')
    .option('--steps <n>', 'steps simulated per response', positiveInt, 400)
    .option('--pulse-start <step>', 'first step of the input pulse', nonNegativeInt, 10)
    .option('--pulse-width <steps>', 'length of the input pulse', positiveInt, 5)
    .option('--amplitude <a>', 'height of the input pulse', finiteNumber, 1)
    .option('--tolerance <t>', 'outside the unit circle means |λ| > 1 + t', positiveNumber, 1e-9)
    .option(
      '--json [file]',
      'print the result as JSON on stdout, or write it to FILE (text still printed)',
    )
    .action(async (spec: string, opts: SpectrumCliOptions, cmd: Command) => {
      for (const s of [spec, opts.initial]) {
        if (s?.startsWith(BUILTIN_PREFIX)) {
          usageError(
            cmd,
            `spectrum needs a model file with a recurrent matrix, not the builtin system ${s}`,
          );
        }
      }
      const trained = createModel((await loadModel(spec)).params);
      const options = {
        tolerance: opts.tolerance,
        responses: opts.responses
          ? {
              steps: opts.steps,
              pulseStart: opts.pulseStart,
              pulseWidth: opts.pulseWidth,
              amplitude: opts.amplitude,
            }
          : false,
      };
      const report = opts.initial
        ? compareSpectra(createModel((await loadModel(opts.initial)).params), trained, options)
        : modelSpectrum(trained, options);
      ctx.print(
        opts.json,
        { source: spec, ...(opts.initial ? { initialSource: opts.initial } : {}), ...report },
        () => textLines(spec, report),
      );
    });
}
