/**
 * `rnnscope demo [--out DIR]`: the first thing to run. Trains a 16-unit tanh RNN on the 3-bit
 * flip-flop (BPTT + Adam, a few seconds), analyses it — test trials, fixed points and their
 * stability, PCA state space with the 8 memories at the cube corners, spectra before and after
 * training — and writes a self-contained HTML report. Progress bars throughout; Ctrl-C keeps
 * what was written.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { RnnscopeError } from '../../errors.js';
import { saveModel } from '../../io/model-file.js';
import { analyseModel } from '../../report/analyse-model.js';
import type { ReportDocument } from '../../report/document.js';
import { writeReport } from '../../report/write.js';
import { createTask } from '../../tasks/registry.js';
import { initialNetwork, resolveRecipe, trainTask, type TrainRecipe } from '../../train/recipe.js';
import { releaseScratch, wasmBackend } from '../backend.js';
import { fmt, type CliContext } from '../context.js';
import { nonNegativeInt, positiveInt } from '../options.js';
import { trainProgressPrinter } from '../progress.js';
import { testMetadata } from '../test-metadata.js';
import { packageVersion } from '../version.js';
import { reportProgressPrinter, writtenLines } from './report.js';

interface DemoOptions {
  out: string;
  seed: number;
  iterations?: number;
  static?: boolean;
  quiet: boolean;
  json?: boolean | string;
}

/** The demo's training recipe: README's main job (BPTT, 16-unit tanh rnn, 3-bit flip-flop). */
export function demoRecipe(seed: number, iterations?: number): TrainRecipe {
  return {
    task: { task: 'flipflop', bits: 3 },
    trainer: 'bptt',
    seed,
    ...(iterations !== undefined ? { iterations } : {}),
    testTrials: 100,
  };
}

/**
 * Where the stable fixed points sit in output space: the number of distinct sign patterns of
 * their readouts z(x*) (corners of the cube [−1, 1]³) and the smallest |z| among them.
 */
export function cornersOf(doc: ReportDocument): { distinct: number; minAbsOutput: number } {
  const fig = doc.sections.flatMap((s) => s.figures).find((f) => f.id === 'state-space-3d');
  const pts = (fig?.numbers.fixedPoints ?? []) as {
    kind: string;
    stability: string;
    output: number[] | null;
  }[];
  const stable = pts.filter((p) => p.kind === 'fixed' && p.stability === 'stable' && p.output);
  const signs = new Set(stable.map((p) => p.output!.map((z) => (z > 0 ? '+' : '-')).join('')));
  const minAbs = Math.min(...stable.flatMap((p) => p.output!.map(Math.abs)));
  return { distinct: signs.size, minAbsOutput: stable.length ? minAbs : 0 };
}

export function demoCommand(ctx: CliContext): Command {
  return new Command('demo')
    .description(
      'train a 3-bit flip-flop RNN (seconds), find its fixed points and write an HTML report: start here',
    )
    .option('--out <dir>', 'folder for the model files and the report', 'rnnscope-demo')
    .option('--seed <S>', 'random seed', nonNegativeInt, 1)
    .option(
      '--iterations <n>',
      'cap on BPTT iterations (default 3000; training stops earlier at loss 1e-3)',
      positiveInt,
    )
    .option('--static', 'do not embed plotly.js (static figures, small file)')
    .option('--quiet', 'no progress output', false)
    .option('--json [file]', 'print the summary as JSON on stdout, or write it to FILE')
    .action(async (o: DemoOptions) => {
      const say = (s: string) => {
        if (!o.quiet && o.json !== true) ctx.io.stderr.write(`${s}\n`);
      };
      try {
        mkdirSync(o.out, { recursive: true });
      } catch (e) {
        throw new RnnscopeError('IO_ERROR', `cannot create ${o.out}: ${(e as Error).message}`);
      }
      const modelPath = join(o.out, 'flipflop.json');
      const initialPath = join(o.out, 'flipflop-initial.json');
      const htmlPath = join(o.out, 'report.html');
      const recipe = demoRecipe(o.seed, o.iterations);
      const r = resolveRecipe(recipe);
      // The network before training, for the before/after spectra of the report.
      const initial = initialNetwork(recipe);
      await saveModel(initialPath, initial, {
        metadata: {
          task: 'flipflop',
          seed: r.seed,
          notes: 'rnnscope demo: the network before training',
          taskSpec: r.task,
        },
      });
      say(
        `rnnscope demo: training a ${r.units}-unit tanh ${r.model} on the ${r.task.task === 'flipflop' ? `${r.task.bits}-bit flip-flop` : r.task.task} by BPTT + Adam (seed ${r.seed})`,
      );
      const abort = { aborted: false };
      const signal = new AbortController();
      const onSigint = () => {
        abort.aborted = true;
        signal.abort();
      };
      process.on('SIGINT', onSigint);
      try {
        const printer = trainProgressPrinter(
          ctx.io.stderr,
          o.quiet || o.json === true,
          'train  ',
          2000,
        );
        let outcome;
        try {
          outcome = await trainTask(recipe, { signal: abort, onProgress: printer.onProgress });
        } finally {
          printer.end();
        }
        const metadata = {
          task: 'flipflop',
          seed: r.seed,
          created: new Date().toISOString(),
          notes: `rnnscope ${packageVersion()} demo: bptt, ${outcome.stopped}`,
          taskSpec: r.task,
          trainer: r.trainer,
          recipe: { ...outcome.recipe, task: undefined },
          training: { stopped: outcome.stopped, seconds: outcome.seconds, ...outcome.details },
          testStart: outcome.testStart,
          ...testMetadata(outcome),
        };
        await saveModel(modelPath, outcome.params, { metadata, history: outcome.history });
        if (outcome.stopped === 'aborted')
          throw new RnnscopeError(
            'NOT_CONVERGED',
            `interrupted: wrote the network so far to ${modelPath} (and the untrained one to ${initialPath}); no report`,
          );
        say(
          `trained in ${fmt(outcome.seconds)} s (${outcome.stopped})` +
            (outcome.test?.accuracy !== undefined
              ? `; accuracy on ${outcome.test.trials} fresh trials ${fmt(100 * outcome.test.accuracy)} %`
              : '') +
            `; wrote ${modelPath}`,
        );

        const progress = reportProgressPrinter(
          ctx.io.stderr,
          !o.quiet && o.json !== true,
          'analyse',
        );
        const backend = wasmBackend();
        let doc;
        try {
          doc = await analyseModel(
            { params: outcome.params, metadata, history: outcome.history, version: 1 },
            {
              source: modelPath,
              // Test trials with sparser pulses than in training (0.05 instead of 0.5 per channel
              // and step), so trajectories rest at the memories between flips, as in the seeds.
              task: createTask({ ...r.task, pulseRate: 0.05, steps: 100 } as typeof r.task),
              taskNote:
                'The network was trained with pulses at rate 0.5 per channel and step; these test trials pulse at 0.05, so the state rests at a memory between flips.',
              initial,
              backend,
              title: 'rnnscope demo: a 3-bit flip-flop RNN, reverse-engineered',
              generator: `rnnscope ${packageVersion()}`,
              signal: signal.signal,
              onProgress: progress.onProgress,
            },
          );
        } finally {
          progress.end();
          releaseScratch(backend);
        }
        const written = await writeReport(doc, {
          html: htmlPath,
          svgDir: join(o.out, 'figures'),
          interactive: !o.static,
        });
        const stable = doc.summary.find((s) => s.label === 'stable fixed points')?.value;
        const corners = cornersOf(doc);
        const summary = {
          out: o.out,
          model: modelPath,
          initialModel: initialPath,
          report: written.html,
          reportBytes: written.htmlBytes,
          numbers: written.json,
          figures: written.svgs,
          training: { stopped: outcome.stopped, seconds: outcome.seconds, ...outcome.details },
          test: outcome.test ? { mse: outcome.test.mse, accuracy: outcome.test.accuracy } : null,
          stableFixedPoints: stable,
          corners,
          summary: doc.summary,
          interrupted: doc.interrupted,
        };
        ctx.print(o.json, summary, () => [
          ...writtenLines(doc, written),
          stable === 8 && corners.distinct === 8
            ? `the 8 stable fixed points are the 8 memories: their readouts sit at the 8 corners of the output cube (|z| ≥ ${fmt(corners.minAbsOutput)}); see the state-space figure`
            : `expected 8 stable fixed points at the 8 corners of the output cube (one per memory); found ${stable} stable, at ${corners.distinct} distinct corners`,
          `open ${written.html} in a browser`,
        ]);
        if (doc.interrupted)
          throw new RnnscopeError(
            'NOT_CONVERGED',
            `interrupted: the partial report was written to ${written.html}`,
          );
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}
