/**
 * `rnnscope echo-index <model>`: the echo index (seed 002) — how many distinct attracting
 * responses an input sequence leaves — for one amplitude or a sweep, with basin fractions,
 * convergence rates and the sufficient condition sup‖D_xG‖₂ < 1. See docs/attractors.md.
 */
import { Command, Option } from 'commander';
import {
  echoIndexAsync,
  echoIndexSweepAsync,
  type EchoIndexOptions,
  type EchoIndexResult,
  type EchoInput,
  type EchoSweepResult,
} from '../../analysis/attractors/index.js';
import { RnnscopeError } from '../../errors.js';
import { loadModel } from '../../io/model-file.js';
import { releaseScratch, wasmBackend } from '../backend.js';
import { fmt, usageError, type CliContext } from '../context.js';
import { withSigintAbort } from '../interrupt.js';
import { readStateRows } from '../state-file.js';
import {
  finiteNumber,
  nonNegativeInt,
  parseCommaVector,
  positiveInt,
  positiveNumber,
} from '../options.js';
import { BUILTIN_PREFIX } from '../source.js';

interface Options {
  inputKind?: 'zeros' | 'random' | 'pulses';
  amplitude?: number;
  sweep?: string;
  distribution: 'uniform' | 'normal';
  pulseWidth: number;
  pulseRate: number;
  baseline?: string;
  channels?: string;
  starts: number;
  steps: number;
  transient?: number;
  window?: number;
  seed: number;
  x0Scale: number;
  states?: string;
  clusterTol?: number;
  probes: number;
  regionSamples: number;
  analytic: boolean;
  progress: boolean;
  json?: boolean | string;
}

const rate = (r: number | undefined | null) => (r === undefined || r === null ? '-' : fmt(r));

function resultLines(r: EchoIndexResult): string[] {
  const lines = [
    `input: ${r.input.description}`,
    `echo index ${r.echoIndex}${r.esp ? ' — the echo state property holds for this input' : r.echoIndex > 1 ? ` — ${r.echoIndex} coexisting attracting responses (no echo state property)` : ''}${r.unresolved > 0 ? `; ${r.unresolved} start${r.unresolved === 1 ? '' : 's'} unresolved` : ''}`,
    `  ${'#'.padStart(3)}  ${'fraction'.padStart(8)}  ${'output'.padEnd(28)}${'member decay'.padStart(13)}${'probe decay'.padStart(13)}  attracting`,
  ];
  r.clusters.forEach((c, k) =>
    lines.push(
      `  ${String(k).padStart(3)}  ${fmt(c.fraction).padStart(8)}  ${(c.output ? c.output.map((z) => fmt(Number(z.toPrecision(3)))).join(', ') : '-').padEnd(28)}${rate(c.memberDecay?.rate).padStart(13)}${rate(c.probeDecay?.rate).padStart(13)}  ${c.attracting ? 'yes' : `no (probes ×${fmt(c.probeRatio)})`}`,
    ),
  );
  const cb = r.contraction;
  if (cb) {
    lines.push('sufficient condition sup‖D_xG‖₂ < 1:');
    if (cb.analytic)
      lines.push(
        `  analytic, global (every state and input): ${cb.analytic.formula} = ${fmt(cb.analytic.bound)} — ${cb.analytic.holds ? 'holds: the ESP is proven for every input' : 'not below 1: proves nothing'}`,
      );
    if (cb.sampled)
      lines.push(
        `  sampled (${cb.sampled.points} points on and between the trajectories, ${cb.sampled.method}): max ${fmt(cb.sampled.max)}, median ${fmt(cb.sampled.median)}, ${fmt(100 * cb.sampled.fractionBelowOne)} % below 1 — ${cb.sampled.holds ? 'below 1 everywhere sampled (evidence, not proof)' : 'not below 1 everywhere'}`,
      );
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines;
}

function header(spec: string, r: EchoIndexResult): string {
  const s = r.settings;
  return `${spec}: ${s.kind} N=${s.dim} (${s.time}); ${s.starts} starts × ${s.steps} steps${s.stepsRun > s.steps ? ` (followed to ${s.stepsRun})` : ''}, transient ${s.transient}, window ${s.window}, state scale ${fmt(s.stateScale)}`;
}

function sweepLines(spec: string, sw: EchoSweepResult): string[] {
  const lines = [header(spec, sw.results[0]), ''];
  lines.push(
    `  ${'amplitude'.padStart(10)}${'index'.padStart(7)}  ${'basin fractions'.padEnd(34)}${'sampled max‖DG‖'.padStart(16)}${'slowest probe'.padStart(15)}`,
  );
  for (const row of sw.table)
    lines.push(
      `  ${fmt(row.amplitude).padStart(10)}${String(row.echoIndex).padStart(7)}  ${row.fractions
        .map((f) => fmt(Number(f.toPrecision(2))))
        .join(' ')
        .slice(0, 33)
        .padEnd(
          34,
        )}${(row.sampledMax === null ? '-' : fmt(row.sampledMax)).padStart(16)}${rate(row.slowestProbeRate).padStart(15)}`,
    );
  if (sw.analytic)
    lines.push(
      '',
      `analytic bound (all amplitudes): ${sw.analytic.formula} = ${fmt(sw.analytic.bound)} — ${sw.analytic.holds ? 'below 1: the ESP holds for every input' : 'not below 1: proves nothing'}`,
    );
  for (const r of sw.results)
    for (const w of r.warnings) lines.push(`warning (amplitude ${fmt(r.input.amplitude)}): ${w}`);
  return lines;
}

export function echoIndexCommand(ctx: CliContext): Command {
  return new Command('echo-index')
    .description(
      'echo index: distinct attracting responses to one input sequence (1 = echo state property), with an amplitude sweep',
    )
    .argument('<model>', 'model file (.json)')
    .addOption(
      new Option(
        '--input-kind <kind>',
        'input sequence (default: random with --amplitude/--sweep, else zeros)',
      ).choices(['zeros', 'random', 'pulses']),
    )
    .option('--amplitude <A>', 'input amplitude', finiteNumber)
    .option('--sweep <list>', 'amplitudes to sweep, comma-separated (e.g. 0,0.5,2,8)')
    .addOption(
      new Option('--distribution <d>', 'random input values')
        .choices(['uniform', 'normal'])
        .default('uniform'),
    )
    .option('--pulse-width <w>', 'pulse input: steps per pulse', positiveInt, 1)
    .option('--pulse-rate <p>', 'pulse input: onset probability per step', finiteNumber, 0.05)
    .option('--baseline <vector>', 'constant input added to every step (comma-separated)')
    .option('--channels <list>', 'inputs that receive the random/pulse drive (default all)')
    .option('--starts <M>', 'initial states, N(0, x0-scale²)', nonNegativeInt, 64)
    .option('--steps <T>', 'steps simulated', positiveInt, 1000)
    .option('--transient <n>', 'steps discarded (default steps/2)', nonNegativeInt)
    .option(
      '--window <n>',
      'steps compared after the transient (default min(100, rest))',
      positiveInt,
    )
    .option('--seed <S>', 'random seed (x0, input, probes, samples)', nonNegativeInt, 0)
    .option('--x0-scale <s>', 'standard deviation of the initial states', positiveNumber, 1)
    .option('--states <file>', 'extra initial states: JSON rows, {"states": rows} or CSV')
    .option(
      '--cluster-tol <r>',
      'same response: within r × state scale over the window (default 1e-3)',
      positiveNumber,
    )
    .option('--probes <k>', 'perturbed copies per response (attractivity test)', positiveInt, 2)
    .option(
      '--region-samples <k>',
      'points for the sampled sup‖D_xG‖₂ (0: skip)',
      nonNegativeInt,
      64,
    )
    .option('--no-analytic', 'skip the analytic bound (one N×N eigenproblem)')
    .option('--no-progress', 'no progress lines on stderr')
    .option(
      '--json [file]',
      'print the result as JSON on stdout, or write it to FILE (text still printed)',
    )
    .action(async (spec: string, o: Options, cmd: Command) => {
      if (spec.startsWith(BUILTIN_PREFIX))
        usageError(cmd, `echo-index analyses model files, not ${spec}`);
      if (o.amplitude !== undefined && o.sweep !== undefined)
        usageError(cmd, 'give either --amplitude or --sweep, not both');
      const kind = o.inputKind ?? (o.amplitude !== undefined || o.sweep ? 'random' : 'zeros');
      if (kind === 'zeros' && (o.amplitude !== undefined || o.sweep))
        usageError(cmd, '--input-kind zeros takes no --amplitude or --sweep');
      if (o.amplitude !== undefined && o.amplitude < 0) usageError(cmd, '--amplitude must be ≥ 0');
      let amplitudes: number[] | undefined;
      if (o.sweep !== undefined) {
        const v = parseCommaVector(o.sweep);
        if (!v || v.some((a) => a < 0))
          usageError(cmd, `--sweep must be comma-separated amplitudes ≥ 0, got '${o.sweep}'`);
        amplitudes = Array.from(v!);
      }
      const loaded = await loadModel(spec);
      const params = loaded.params;
      const I = params.Win ? params.Win.cols : 0;
      if (kind !== 'zeros' && I === 0)
        throw new RnnscopeError(
          'INVALID_MODEL',
          `${spec} has no inputs (no Win): only --input-kind zeros applies`,
        );
      let baseline: Float64Array | undefined;
      if (o.baseline !== undefined) {
        baseline = parseCommaVector(o.baseline);
        if (!baseline) usageError(cmd, `--baseline must be comma-separated numbers`);
      }
      let channels: number[] | undefined;
      if (o.channels !== undefined) {
        if (!/^\s*\d+(\s*,\s*\d+)*\s*$/.test(o.channels))
          usageError(cmd, `--channels must be comma-separated input indices, got '${o.channels}'`);
        channels = o.channels.split(',').map(Number);
      }
      const amplitude = o.amplitude ?? 1;
      const input: EchoInput =
        kind === 'zeros'
          ? { kind: 'zeros' }
          : kind === 'random'
            ? { kind: 'random', amplitude, distribution: o.distribution }
            : { kind: 'pulses', amplitude, width: o.pulseWidth, rate: o.pulseRate };
      const backend = wasmBackend();
      await withSigintAbort(async (signal) => {
        const common: EchoIndexOptions & { signal: AbortSignal } = {
          input,
          baseline,
          channels,
          starts: o.starts,
          steps: o.steps,
          transient: o.transient,
          window: o.window,
          seed: o.seed,
          x0Scale: o.x0Scale,
          states: o.states ? readStateRows(o.states, '--states file', params.W.rows) : undefined,
          clusterTol: o.clusterTol,
          probes: o.probes,
          regionSamples: o.regionSamples,
          analytic: o.analytic,
          backend,
          signal,
        };
        const progress = (label: string) =>
          o.progress
            ? (p: { phase: string; done: number; total: number; elapsedSeconds: number }) =>
                ctx.io.stderr.write(
                  `rnnscope: ${label}${p.phase} ${p.done}/${p.total}, ${fmt(p.elapsedSeconds)} s\n`,
                )
            : undefined;
        if (amplitudes) {
          let current = 0;
          const sweep = await echoIndexSweepAsync(params, amplitudes, {
            ...common,
            onAmplitude: (k) => (current = k),
            onProgress: o.progress
              ? (p) => progress(`amplitude ${fmt(amplitudes![current])}: `)?.(p)
              : undefined,
          });
          ctx.print(o.json, { source: spec, ...sweep }, () => sweepLines(spec, sweep));
          if (sweep.results.some((r) => r.interrupted))
            throw new RnnscopeError('NOT_CONVERGED', 'interrupted: partial sweep printed');
        } else {
          const r = await echoIndexAsync(params, { ...common, onProgress: progress('') });
          ctx.print(o.json, { source: spec, ...r }, () => [header(spec, r), ...resultLines(r)]);
          if (r.interrupted)
            throw new RnnscopeError('NOT_CONVERGED', 'interrupted: partial result printed');
        }
      }).finally(() => releaseScratch(backend));
    });
}
