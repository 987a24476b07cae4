/** `rnnscope info <model>`: what a model file (or builtin system) is, in text or JSON. */
import { Command } from 'commander';
import type { LoadedModel } from '../../io/types.js';
import { createModel } from '../../models/index.js';
import type { ActivationSpec } from '../../models/types.js';
import { fmt, type CliContext } from '../context.js';
import { summarizeModel, type ModelSummary } from '../model-summary.js';
import { keyValue } from '../options.js';
import { openSource } from '../source.js';

interface InfoOptions {
  param?: Record<string, number>;
  json?: boolean | string;
  spectrum: boolean;
}

function activationText(a: ActivationSpec): string {
  return a.name === 'relu' && a.threshold !== undefined
    ? `relu (threshold ${a.threshold})`
    : a.name;
}

function modelLines(path: string, s: ModelSummary, loaded: LoadedModel): string[] {
  const row = (k: string, v: string) => `${k.padEnd(16)}${v}`;
  const lines = [
    row(
      'model',
      `${path} (format version ${loaded.version}${loaded.sidecar ? `, weights in ${loaded.sidecar.file}` : ''})`,
    ),
    row('kind', s.kind),
    row('units', String(s.units)),
    row('inputs', String(s.inputs)),
    row('outputs', String(s.outputs)),
    row('activation', activationText(s.activation)),
  ];
  if (s.tau !== undefined) lines.push(row('tau', fmt(s.tau)), row('dt', fmt(s.dt!)));
  if (s.alpha !== undefined) lines.push(row('alpha', fmt(s.alpha)));
  if (s.spectralRadius) {
    lines.push(row('spectral radius', `${fmt(s.spectralRadius.W)} (W)`));
    if (s.spectralRadius.effective !== undefined) {
      lines.push(row('', `${fmt(s.spectralRadius.effective)} (W + Wfb·Wout, with feedback)`));
    }
  }
  lines.push(
    '',
    `${'weights'.padEnd(8)}${'shape'.padEnd(12)}${['mean', 'std', 'min', 'max', 'norm', 'zeros'].map((h) => h.padStart(12)).join('')}`,
  );
  for (const [name, w] of Object.entries(s.weights)) {
    const cells = [w.mean, w.std, w.min, w.max, w.norm].map((v) => fmt(v).padStart(12));
    cells.push(`${fmt(100 * w.zeros)}%`.padStart(12));
    lines.push(`${name.padEnd(8)}${w.shape.join('×').padEnd(12)}${cells.join('')}`);
  }
  if (loaded.metadata) {
    lines.push('', 'metadata');
    for (const [k, v] of Object.entries(loaded.metadata))
      lines.push(`  ${k.padEnd(14)}${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  if (loaded.history) {
    lines.push('', 'history');
    for (const [k, v] of Object.entries(loaded.history)) {
      lines.push(
        `  ${k.padEnd(14)}${v.length} values${v.length > 0 ? `, last ${fmt(v[v.length - 1])}` : ''}`,
      );
    }
  }
  return lines;
}

export function infoCommand(ctx: CliContext): Command {
  return new Command('info')
    .description(
      'describe a model file or builtin system: sizes, activation, time constants, spectral radius, weight statistics',
    )
    .argument('<model>', 'model file (.json), or builtin:toy2d / builtin:fitzhugh-nagumo')
    .option(
      '--param <key=value>',
      'parameter of a builtin system (repeatable), e.g. --param I=0.5',
      keyValue,
    )
    .option('--no-spectrum', 'skip the eigenvalue computation (spectral radius), which is O(N³)')
    .option(
      '--json [file]',
      'print the result as JSON on stdout, or write it to FILE (text still printed)',
    )
    .action(async (spec: string, opts: InfoOptions, cmd: Command) => {
      const source = await openSource(spec, opts.param, cmd);
      if (source.type === 'builtin') {
        const { system: sys } = source;
        const value = {
          source: spec,
          system: source.name,
          params: source.params,
          dim: sys.dim,
          time: sys.time,
          label: sys.label ?? null,
          outputs: sys.outputDim ?? 0,
        };
        ctx.print(opts.json, value, () => [
          `system          ${source.name} (builtin)`,
          `label           ${sys.label ?? '-'}`,
          `dimension       ${sys.dim}`,
          `time            ${sys.time === 'flow' ? 'continuous (flow, dx/dt = F(x))' : 'discrete (map)'}`,
          `outputs         ${sys.outputDim ?? 0}`,
          `parameters      ${
            Object.entries(source.params)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ') || '(defaults)'
          }`,
        ]);
        return;
      }
      const summary = summarizeModel(createModel(source.loaded.params), opts.spectrum);
      const { metadata, history, version, sidecar } = source.loaded;
      const value = {
        source: spec,
        version,
        ...summary,
        ...(sidecar ? { sidecar } : {}),
        ...(metadata ? { metadata } : {}),
        ...(history
          ? {
              history: Object.fromEntries(
                Object.entries(history).map(([k, v]) => [
                  k,
                  { length: v.length, last: v.at(-1) ?? null },
                ]),
              ),
            }
          : {}),
      };
      ctx.print(opts.json, value, () => modelLines(spec, summary, source.loaded));
    });
}
