/**
 * `rnnscope evolution <model>`: fixed points of every Wout snapshot saved during FORCE training
 * (`rnnscope train ... --snapshots`), followed as tracks across snapshots — appearances,
 * disappearances, stability changes and the stable count per snapshot (seed 000 §6.1).
 * Progress on stderr; Ctrl-C keeps the finished snapshots and prints them labelled partial.
 */
import { Command } from 'commander';
import {
  experimentStarts,
  fixedPointEvolution,
  woutSnapshotsFromMetadata,
  woutStages,
  type EvolutionEvent,
  type EvolutionResult,
  type WoutSnapshot,
} from '../../analysis/experiments/index.js';
import { loadModel } from '../../io/model-file.js';
import { zeros } from '../../linalg/index.js';
import { createRng } from '../../random/index.js';
import { releaseScratch, wasmBackend } from '../backend.js';
import { fmt, usageError, type CliContext } from '../context.js';
import { nonNegativeInt, positiveInt, positiveNumber } from '../options.js';
import {
  addSearchOptions,
  interruptedError,
  interruptible,
  modelTask,
  progressLine,
  searchOptions,
  type SearchCliOptions,
} from './experiment-shared.js';

interface EvolutionCliOptions extends SearchCliOptions {
  starts: number;
  perCorner?: number;
  trajectories: number;
  seed: number;
  task?: string;
  matchTol: number;
  includeSlow?: boolean;
  continuation: boolean;
  zeroStart?: boolean;
  final: boolean;
  keepStates?: boolean;
  progress: boolean;
  json?: boolean | string;
}

const stab = (s: EvolutionEvent['to']) =>
  !s ? '?' : s.stability === 'unstable' ? `unstable(${s.unstableDims ?? '?'})` : s.stability;

function textSummary(path: string, r: EvolutionResult, counts: Record<string, number>): string[] {
  const lines = [
    `${path}: ${r.settings.snapshots} snapshots of Wout, ${r.settings.starts} fixed starts (${counts.origin} origin, ${counts.samples} visited, ${counts.corners} written corners)${r.settings.continuation ? ' + continuation' : ''}`,
    `match radius ${fmt(r.matchRadius)} (${fmt(r.settings.matchTol)} × state scale ${fmt(r.scale)}); ${r.tracks.length} tracks, ${r.events.length} events${r.partial ? `; PARTIAL: stopped at step ${r.interruptedAt}` : ''}`,
    '',
    `${'step'.padStart(8)}${'fixed'.padStart(7)}${'stable'.padStart(8)}${'unstable'.padStart(10)}${'slow'.padStart(6)}${'not conv.'.padStart(11)}${'appear'.padStart(8)}${'vanish'.padStart(8)}${'stability'.padStart(11)}${'seconds'.padStart(9)}`,
  ];
  for (const s of r.snapshots) {
    const ev = r.events.filter((e) => e.snapshot === s.snapshot);
    const n = (t: string) => String(ev.filter((e) => e.type === t).length);
    lines.push(
      `${String(s.step).padStart(8)}${String(s.fixed).padStart(7)}${String(s.stable).padStart(8)}${String(s.unstable).padStart(10)}${String(s.slow).padStart(6)}${String(s.notConverged).padStart(11)}${n('appear').padStart(8)}${n('vanish').padStart(8)}${n('stability').padStart(11)}${String(Number(s.seconds.toPrecision(3))).padStart(9)}`,
    );
  }
  const steps = [...new Set(r.events.map((e) => e.step))];
  if (steps.length) lines.push('', 'events (#track):');
  for (const step of steps) {
    const parts = r.events
      .filter((e) => e.step === step)
      .map((e) =>
        e.type === 'appear'
          ? `+#${e.track} ${stab(e.to)}`
          : e.type === 'vanish'
            ? `−#${e.track} (was ${stab(e.from)})`
            : `#${e.track} ${stab(e.from)}→${stab(e.to)}`,
      );
    lines.push(`  step ${step}: ${parts.join(', ')}`);
  }
  return lines;
}

export function evolutionCommand(ctx: CliContext): Command {
  const cmd = new Command('evolution')
    .description(
      'fixed points of each Wout snapshot of FORCE training, tracked across snapshots (bifurcations)',
    )
    .argument('<model>', 'model file with metadata.woutSnapshots (rnnscope train --snapshots …)')
    .option(
      '--starts <K>',
      'states sampled from the trained network’s trajectories',
      nonNegativeInt,
      64,
    )
    .option(
      '--per-corner <n>',
      'flip-flop: states written by the task’s pulses per corner (default 1)',
      nonNegativeInt,
    )
    .option('--trajectories <R>', 'trajectories simulated for sampling', positiveInt, 4)
    .option('--seed <S>', 'seed of the trajectories and sampling', nonNegativeInt, 0)
    .option('--task <name>', 'task when the file records none (drives the sampled trajectories)')
    .option(
      '--match-tol <r>',
      'same point across snapshots: nearest within r × state scale',
      positiveNumber,
      0.25,
    )
    .option('--include-slow', 'track slow points too')
    .option('--no-continuation', 'do not warm-start each snapshot with the previous one’s points')
    .option('--zero-start', 'prepend step 0 with Wout = 0 (where FORCE starts)')
    .option('--no-final', 'do not append the trained readout after the last snapshot')
    .option('--keep-states', 'include every tracked point’s state in the JSON')
    .option('--no-progress', 'no progress lines on stderr')
    .option(
      '--json [file]',
      'print the result as JSON on stdout, or write it to FILE (text still printed)',
    );
  addSearchOptions(cmd);
  return cmd.action(async (path: string, o: EvolutionCliOptions) => {
    const loaded = await loadModel(path);
    const params = loaded.params;
    const meta = loaded.metadata as Record<string, unknown> | undefined;
    const snapshots: WoutSnapshot[] = woutSnapshotsFromMetadata(meta, params);
    const O = params.Wout!.rows;
    const N = params.W.rows;
    if (o.zeroStart && snapshots[0].step > 0) snapshots.unshift({ step: 0, Wout: zeros(O, N) });
    const last = snapshots[snapshots.length - 1];
    const training = meta?.training as { steps?: unknown } | undefined;
    const finalStep = typeof training?.steps === 'number' ? training.steps : undefined;
    const same = last.Wout.data.every((v, i) => v === params.Wout!.data[i]);
    if (o.final && !same && finalStep !== undefined && finalStep > last.step)
      snapshots.push({ step: finalStep, Wout: params.Wout! });
    const task = modelTask(loaded, path, o.task, cmd, false);
    if (o.perCorner && task?.spec.task !== 'flipflop')
      usageError(
        cmd,
        '--per-corner needs a flip-flop model (metadata.taskSpec or --task flipflop)',
      );
    const say = progressLine(ctx, o.progress);
    say(`evolution: preparing starts from the trained network (${N} units)`);
    const made = experimentStarts(params, {
      rng: createRng(o.seed),
      task,
      samples: o.starts,
      trajectories: o.trajectories,
      ...(o.perCorner !== undefined ? { perCorner: o.perCorner } : {}),
    });
    const backend = wasmBackend();
    let lastLine = 0;
    const result = await interruptible((signal) =>
      fixedPointEvolution(woutStages(params, snapshots, { backend }), made.starts, {
        fixedPoints: { ...searchOptions(o, backend), progressInterval: 2 },
        matchTol: o.matchTol,
        includeSlow: o.includeSlow,
        continuation: o.continuation,
        keepStates: o.keepStates,
        signal,
        onSnapshot: (s, done, total) =>
          say(
            `evolution: snapshot ${done}/${total} (step ${s.step}): ${s.fixed} fixed, ${s.stable} stable, ${fmt(s.seconds)} s`,
          ),
        onProgress: (p) => {
          const t = Date.now();
          if (t - lastLine < 5000) return;
          lastLine = t;
          say(
            `evolution: step ${p.step}: ${p.phase} ${p.iteration}, ${p.active}/${p.total} active`,
          );
        },
      }),
    ).finally(() => releaseScratch(backend));
    const value = { model: path, seed: o.seed, startCounts: made.counts, ...result };
    ctx.print(o.json, value, () => textSummary(path, result, made.counts));
    if (result.partial)
      throw interruptedError(`${result.snapshots.length} finished snapshots`, o.json);
  });
}
