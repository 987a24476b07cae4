/**
 * `rnnscope report <model|builtin:NAME>`: analyses a model (nothing is trained) and writes one
 * self-contained HTML page with every figure that applies, the JSON of every number shown, and
 * optionally SVG/PNG files per figure. See docs/report.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { RnnscopeError } from '../../errors.js';
import { loadModel } from '../../io/model-file.js';
import type { LoadedModel } from '../../io/types.js';
import type { ModelParams } from '../../models/types.js';
import { analyseModel, type ReportProgress } from '../../report/analyse-model.js';
import { analyseSystem } from '../../report/analyse-system.js';
import type { ReportDocument } from '../../report/document.js';
import { pngUnavailable } from '../../report/png.js';
import { writeReport, type WrittenReport } from '../../report/write.js';
import type { FhnParams } from '../../systems/fitzhugh-nagumo.js';
import { createTask, taskFromJson, taskNames } from '../../tasks/registry.js';
import type { Task, TaskName } from '../../tasks/types.js';
import { releaseScratch, wasmBackend } from '../backend.js';
import { fmt, usageError, type CliContext } from '../context.js';
import { withSigintAbort } from '../interrupt.js';
import { parseModelInput } from '../model-input.js';
import { keyValue, nonNegativeInt, positiveInt, positiveNumber } from '../options.js';
import { openSource } from '../source.js';
import { packageVersion } from '../version.js';

interface ReportOptions {
  task?: string;
  initial?: string;
  param?: Record<string, number>;
  input?: string;
  out: string;
  numbers?: string;
  svg?: string;
  png?: string;
  static?: boolean;
  seed: number;
  trials: number;
  inits?: number;
  dt: number;
  progress: boolean;
  json?: boolean | string;
}

/** A task from `--task`: a name (defaults), a JSON object, or a JSON file. */
export function parseTaskOption(spec: string, params: ModelParams): Task {
  const t = spec.trim();
  if (taskNames.includes(t as TaskName)) {
    // The flip-flop generator matching the model's time: FixedPointFinder's discrete task for maps.
    const variant =
      t === 'flipflop' ? { variant: params.kind === 'rnn' ? 'discrete' : 'continuous' } : {};
    return createTask({ task: t as TaskName, ...variant } as never);
  }
  let text = t;
  if (!t.startsWith('{')) {
    if (!existsSync(t))
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `--task '${spec}' is not a task name (${taskNames.join(', ')}), a JSON object or a file`,
      );
    text = readFileSync(t, 'utf8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RnnscopeError('INVALID_ARGUMENT', `--task: invalid JSON (${(e as Error).message})`);
  }
  return taskFromJson(value);
}

/** Human-readable size. */
export const bytesText = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`;

/**
 * Progress of a report on stderr: a redrawn bar on a terminal, a line per stage otherwise, with
 * the fixed-point search's own progress (throttled).
 */
export function reportProgressPrinter(
  stderr: CliContext['io']['stderr'],
  enabled: boolean,
  label = 'report',
) {
  const tty = Boolean((stderr as { isTTY?: boolean }).isTTY);
  const start = Date.now();
  let lastFp = 0;
  let open = false;
  const bar = (index: number, total: number) => {
    const w = 20;
    const filled = Math.round((w * (index - 1)) / Math.max(1, total));
    return `[${'#'.repeat(filled).padEnd(w, '.')}]`;
  };
  return {
    onProgress(p: ReportProgress) {
      if (!enabled) return;
      const secs = ((Date.now() - start) / 1000).toFixed(1);
      let line = `${label} ${bar(p.index, p.total)} ${p.index}/${p.total} ${p.stage}`;
      if (p.fixedPoints) {
        const t = Date.now();
        if (!tty && t - lastFp < 2000) return;
        lastFp = t;
        const f = p.fixedPoints;
        line += `: ${f.phase} ${f.iteration}, ${f.active}/${f.total} active, best q ${fmt(f.bestQ)}`;
      }
      line += `  ${secs} s`;
      if (tty) {
        stderr.write(`\r${line}\u001b[K`);
        open = true;
      } else stderr.write(`${line}\n`);
    },
    end() {
      if (enabled && tty && open) stderr.write('\n');
      open = false;
    },
  };
}

/** Text lines about a written report. */
export function writtenLines(doc: ReportDocument, w: WrittenReport): string[] {
  const row = (label: string) => doc.summary.find((r) => r.label === label)?.value;
  const lines = [
    `wrote ${w.html} (${bytesText(w.htmlBytes)}; opens offline in a browser) and ${w.json} (${bytesText(w.jsonBytes)}, every number shown)`,
  ];
  if (w.svgs.length)
    lines.push(`wrote ${w.svgs.length} SVG figures to ${w.svgs[0].replace(/[^/]*$/, '')}`);
  if (w.pngs.length)
    lines.push(`wrote ${w.pngs.length} PNG figures to ${w.pngs[0].replace(/[^/]*$/, '')}`);
  const fixed = row('unique fixed points');
  if (fixed !== undefined)
    lines.push(
      `fixed points: ${fixed} (${row('stable fixed points')} stable, ${row('unstable fixed points')} unstable), ${row('slow points')} slow`,
    );
  const acc = row('test accuracy');
  const mse = row('test MSE');
  if (mse !== undefined)
    lines.push(
      `test: mse ${fmt(Number(mse))}${acc !== undefined ? `, accuracy ${fmt(100 * Number(acc))} %` : ''}`,
    );
  for (const warning of doc.warnings) lines.push(`warning: ${warning}`);
  return lines;
}

export function reportCommand(ctx: CliContext): Command {
  return new Command('report')
    .description(
      'analyse a model (no training) and write a self-contained HTML report with its figures, plus a JSON of every number shown',
    )
    .argument('<model>', 'model file (.json), or builtin:toy2d / builtin:fitzhugh-nagumo')
    .option(
      '--task <spec>',
      `task for the test trials: ${taskNames.join(', ')}, a JSON spec or a JSON file (default: the model's metadata.taskSpec)`,
    )
    .option(
      '--initial <model>',
      'the same network before training (before/after spectra and weights)',
    )
    .option('--param <key=value>', 'parameter of a builtin system (repeatable)', keyValue)
    .option('--input <vector>', 'frozen input of the fixed-point analysis (default zeros)')
    .option('--out <file>', 'HTML report to write', 'report.html')
    .option('--numbers <file>', 'JSON of every number shown (default: --out with .json)')
    .option('--svg <dir>', 'also write one SVG file per figure into DIR')
    .option(
      '--png <dir>',
      'also write one PNG per figure into DIR (needs Chromium and playwright-core)',
    )
    .option('--static', 'do not embed plotly.js: static SVG figures only (a much smaller file)')
    .option('--seed <S>', 'seed of the test trials and fixed-point starts', nonNegativeInt, 0)
    .option('--trials <K>', 'test trials simulated', positiveInt, 10)
    .option(
      '--inits <K>',
      'fixed-point starts (default 1024 for N ≤ 64, 512 up to 256, else 128)',
      positiveInt,
    )
    .option('--dt <h>', 'integration step for builtin flows', positiveNumber, 0.05)
    .option('--no-progress', 'no progress on stderr')
    .option('--json [file]', 'print the summary as JSON on stdout, or write it to FILE')
    .action(async (spec: string, opts: ReportOptions, cmd: Command) => {
      const source = await openSource(spec, opts.param, cmd);
      if (opts.png !== undefined) {
        const why = await pngUnavailable();
        if (why) throw new RnnscopeError('IO_ERROR', `cannot write PNG figures: ${why}`);
      }
      const progress = reportProgressPrinter(ctx.io.stderr, opts.progress);
      const backend = wasmBackend();
      let doc: ReportDocument;
      try {
        doc = await withSigintAbort(async (signal) => {
          if (source.type === 'builtin') {
            for (const o of ['task', 'initial', 'input'] as const)
              if (opts[o] !== undefined)
                usageError(cmd, `--${o} applies to model files, not to ${spec}`);
            const fhn =
              source.name === 'fitzhugh-nagumo'
                ? (source.system as unknown as { params: FhnParams }).params
                : undefined;
            return analyseSystem(source.system, {
              source: spec,
              fhn,
              dt: opts.dt,
              seed: opts.seed,
              inits: opts.inits,
              generator: `rnnscope ${packageVersion()}`,
              signal,
              onProgress: progress.onProgress,
            });
          } else {
            const loaded: LoadedModel = source.loaded;
            const I = loaded.params.Win ? loaded.params.Win.cols : 0;
            const input =
              opts.input !== undefined ? parseModelInput(opts.input, I, cmd) : undefined;
            const task =
              opts.task !== undefined ? parseTaskOption(opts.task, loaded.params) : undefined;
            const initial = opts.initial ? (await loadModel(opts.initial)).params : undefined;
            if (initial && initial.W.rows !== loaded.params.W.rows)
              throw new RnnscopeError(
                'SHAPE_MISMATCH',
                `--initial has ${initial.W.rows} units, the model ${loaded.params.W.rows}: they must be the same network`,
              );
            return analyseModel(loaded, {
              source: spec,
              task,
              initial,
              input,
              seed: opts.seed,
              trials: opts.trials,
              inits: opts.inits,
              backend,
              generator: `rnnscope ${packageVersion()}`,
              signal,
              onProgress: progress.onProgress,
            });
          }
        });
      } finally {
        progress.end();
        releaseScratch(backend);
      }
      const written = await writeReport(doc, {
        html: opts.out,
        json: opts.numbers,
        svgDir: opts.svg,
        pngDir: opts.png,
        interactive: !opts.static,
      });
      const summary = {
        html: written.html,
        htmlBytes: written.htmlBytes,
        json: written.json,
        svgs: written.svgs,
        pngs: written.pngs,
        figures: doc.sections.flatMap((s) => s.figures.map((f) => f.id)),
        summary: doc.summary,
        warnings: doc.warnings,
        interrupted: doc.interrupted,
      };
      ctx.print(opts.json, summary, () => writtenLines(doc, written));
      if (doc.interrupted)
        throw new RnnscopeError(
          'NOT_CONVERGED',
          `interrupted: the partial report was written to ${written.html}`,
        );
    });
}
