/**
 * `rnnscope attractor-graph <model>`: the excitable network attractor (Ceni, Ashwin & Livi
 * 2019) — stable fixed points as nodes, pulse-driven transitions as edges with excitability
 * thresholds and the saddles they cross; with the flip-flop task, checked against the 2^N
 * memories and N·2^N single-bit flips. See docs/attractors.md. Text on stdout, progress on
 * stderr, SIGINT keeps what was found.
 */
import { Command, Option } from 'commander';
import {
  attractorGraphAsync,
  type AttractorGraph,
  type AttractorGraphOptions,
  type GraphEdge,
} from '../../analysis/attractors/index.js';
import { RnnscopeError } from '../../errors.js';
import { loadModel } from '../../io/model-file.js';
import { releaseScratch, wasmBackend } from '../backend.js';
import { taskFromJson } from '../../tasks/registry.js';
import type { TaskSpec } from '../../tasks/types.js';
import { fmt, usageError, type CliContext } from '../context.js';
import { withSigintAbort } from '../interrupt.js';
import { parseModelInput } from '../model-input.js';
import { readStateRows } from '../state-file.js';
import { nonNegativeInt, positiveInt, positiveNumber } from '../options.js';
import { BUILTIN_PREFIX } from '../source.js';

interface Options {
  input?: string;
  channels?: string;
  signs: 'both' | '+' | '-';
  maxAmplitude?: number;
  grid: number;
  pulseWidth?: number;
  task?: 'flipflop' | 'none';
  bits?: number;
  variant?: 'continuous' | 'discrete';
  seed: number;
  trials: number;
  steps: number;
  relax: number;
  inits?: number;
  states?: string;
  nodeTol?: number;
  settleSpeed?: number;
  maxSteps?: number;
  bracketTol?: number;
  zeroTol?: number;
  progress: boolean;
  json?: boolean | string;
}

function intList(s: string, what: string, cmd: Command): number[] {
  const v = s.split(',').map((x) => x.trim());
  if (v.some((x) => !/^\d+$/.test(x)))
    usageError(cmd, `${what} must be comma-separated input indices, e.g. 0,2; got '${s}'`);
  return v.map(Number);
}

/** The task: --task, or the model file's metadata.taskSpec when it is a flip-flop. */
function resolveTask(
  o: Options,
  meta: Record<string, unknown> | undefined,
  inputs: number,
  cmd: Command,
): AttractorGraphOptions['task'] {
  if (o.task === 'none') {
    if (o.bits !== undefined || o.variant !== undefined)
      usageError(
        cmd,
        '--bits and --variant describe the flip-flop task; drop them with --task none',
      );
    return undefined;
  }
  let stored: TaskSpec | undefined;
  if (meta?.taskSpec !== undefined) {
    try {
      stored = taskFromJson(meta.taskSpec).spec;
    } catch {
      stored = undefined; // a foreign or damaged spec: treat as absent
    }
  }
  if (o.task === undefined && stored?.task !== 'flipflop') {
    if (o.bits !== undefined || o.variant !== undefined)
      usageError(
        cmd,
        '--bits/--variant need --task flipflop (the model records no flip-flop task)',
      );
    return undefined;
  }
  const base = stored?.task === 'flipflop' ? stored : { task: 'flipflop' as const };
  return {
    ...base,
    bits: o.bits ?? (stored?.task === 'flipflop' ? stored.bits : inputs),
    ...(o.variant ? { variant: o.variant } : {}),
    ...(o.pulseWidth !== undefined ? { pulseWidth: o.pulseWidth } : {}),
  } as AttractorGraphOptions['task'];
}

const signText = (s: number) => (s > 0 ? '+' : '−');
/** 4 significant digits: table cells stay narrow. */
const f4 = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v));

function edgeLine(e: GraphEdge, g: AttractorGraph): string {
  const p = (k: number) => (g.nodes[k]?.pattern ? ` (${g.nodes[k].pattern})` : '');
  const sd = e.saddle;
  const saddle = sd
    ? `#${sd.saddle} ${sd.kind === 'slow' ? 'slow ' : ''}${sd.unstableDims}-D at ${f4(sd.relativeDistance)}, ${sd.stepsNear} steps near`
    : '-';
  const below =
    e.below === e.from
      ? ''
      : `  below: ${typeof e.below === 'number' ? `node ${e.below}` : e.below}`;
  return `  ${`${e.from}${p(e.from)} → ${e.to}${p(e.to)}`.padEnd(22)}${String(e.channel).padStart(5)}  ${signText(e.sign).padEnd(4)}${f4(e.threshold).padStart(10)}  ${`±${f4(e.bracketWidth / 2)}`.padEnd(12)}${saddle}${below}`;
}

function textSummary(spec: string, g: AttractorGraph): string[] {
  const s = g.settings;
  const c = g.census;
  const lines = [
    `${spec}: ${s.kind} N=${s.dim} (${s.time}), baseline input (${s.input.map(fmt).join(', ')}), pulses ${s.pulseWidth} step${s.pulseWidth === 1 ? '' : 's'} wide up to ${fmt(s.maxAmplitude)} on input${s.channels.length === 1 ? '' : 's'} ${s.channels.join(',')}`,
    `census: ${c.trajectoryStates} trajectory states${s.task ? ` (task ${s.task.task})` : ' (random pulses)'}, ${c.relaxed} relaxed → ${c.relaxedAtRest} rest states, ${c.starts} starts: ${c.stable} stable, ${c.unstable} unstable fixed points; state scale ${fmt(s.stateScale)}`,
    '',
    `nodes (${g.nodes.length}):`,
    `  ${'#'.padStart(3)}  ${'pattern'.padEnd(9)}${'output'.padEnd(30)}${'label'.padEnd(16)}${'slowest (steps)'.padStart(16)}  source`,
  ];
  for (const n of g.nodes)
    lines.push(
      `  ${String(n.index).padStart(3)}  ${(n.pattern ?? '-').padEnd(9)}${(n.output ? n.output.map(f4).join(', ') : '-').padEnd(30)}${n.eigen.label.padEnd(16)}${f4(n.eigen.slowestSteps).padStart(16)}  ${n.source}`,
    );
  lines.push(
    '',
    `edges (${g.edges.length}):`,
    `  ${'from → to'.padEnd(22)}${'input'.padStart(5)}  sign${'threshold'.padStart(10)}  ${'bracket'.padEnd(12)}saddle crossed (#, kind, distance / state scale, steps near)`,
  );
  for (const e of g.edges) lines.push(edgeLine(e, g));
  if (g.saddles.length > 0) {
    lines.push('', `saddles (${g.saddles.length}):`);
    for (const sd of g.saddles)
      lines.push(
        `  ${String(sd.index).padStart(3)}  ${sd.kind === 'slow' ? `slow point (speed ${fmt(sd.speed)})` : 'fixed point'}, ${sd.eigen.unstableDims}${sd.eigen.unstableDimsAtLeast ? '+' : ''} unstable, output ${sd.output ? sd.output.map(f4).join(', ') : '-'}, ${sd.source}`,
      );
  }
  if (g.flipflop) {
    const f = g.flipflop;
    const nodesOk = f.expectedNodes - f.missingPatterns.length;
    const edgesOk =
      f.expectedEdges - new Set(f.missingEdges.map((m) => `${m.from}@${m.channel}`)).size;
    lines.push(
      '',
      `flip-flop (${f.bits} bits): ${nodesOk}/${f.expectedNodes} memories, ${edgesOk}/${f.expectedEdges} single-bit flips${f.ok ? `, every flip made by the task's pulse (amplitude ${fmt(f.amplitude)}): as the task wants` : ' — see the diagnostics'}`,
    );
  }
  if (g.diagnostics.length > 0) {
    lines.push('', 'diagnostics:');
    for (const d of g.diagnostics) lines.push(`  ${d.level} ${d.code}: ${d.message}`);
  }
  const t = g.work.seconds;
  const total = Object.values(t).reduce((a, b) => a + b, 0);
  lines.push(
    '',
    `${fmt(total)} s (${Object.entries(t)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ')})${g.interrupted ? ' — interrupted' : ''}`,
  );
  return lines;
}

export function attractorGraphCommand(ctx: CliContext): Command {
  return new Command('attractor-graph')
    .description(
      'excitable network attractor: stable fixed points as nodes, input-pulse transitions as edges with thresholds and saddles',
    )
    .argument('<model>', 'model file (.json) with inputs')
    .option('--input <vector>', 'baseline input u between pulses (comma-separated; default zeros)')
    .option('--channels <list>', 'input channels to pulse (comma-separated indices; default all)')
    .addOption(
      new Option('--signs <which>', 'pulse signs tried')
        .choices(['both', '+', '-'])
        .default('both'),
    )
    .option(
      '--max-amplitude <A>',
      "largest pulse amplitude (default 2× the task's pulse, or 2)",
      positiveNumber,
    )
    .option('--grid <K>', 'amplitudes scanned in (0, A] before bisection', positiveInt, 8)
    .option('--pulse-width <w>', "steps a pulse lasts (default: the task's, or 1)", positiveInt)
    .addOption(
      new Option(
        '--task <name>',
        "task whose trajectories seed the census and whose expectations are checked (default: the model's metadata)",
      ).choices(['flipflop', 'none']),
    )
    .option('--bits <N>', 'flip-flop bits (default: the model inputs)', positiveInt)
    .addOption(
      new Option('--variant <v>', 'flip-flop variant (pulse statistics)').choices([
        'continuous',
        'discrete',
      ]),
    )
    .option('--seed <S>', 'random seed', nonNegativeInt, 0)
    .option('--trials <B>', 'task trials simulated for the census', positiveInt, 16)
    .option('--steps <T>', 'steps per task trial', positiveInt, 500)
    .option(
      '--relax <K>',
      'trajectory states relaxed to rest (finds the attractors)',
      nonNegativeInt,
      48,
    )
    .option(
      '--inits <K>',
      'raw trajectory states as extra fixed-point starts (default 64 for N ≤ 128, else 0)',
      nonNegativeInt,
    )
    .option('--states <file>', 'extra fixed-point starts: JSON rows, {"states": rows} or CSV')
    .option(
      '--node-tol <r>',
      'arrived: within r × state scale of a node (default 0.1)',
      positiveNumber,
    )
    .option(
      '--settle-speed <v>',
      'settled: per-step speed ≤ v × state scale (default 3e-3)',
      positiveNumber,
    )
    .option(
      '--max-steps <n>',
      'steps after a pulse before a run is "did not settle" (default 5000)',
      positiveInt,
    )
    .option(
      '--bracket-tol <r>',
      'bisect until the bracket is ≤ r × threshold (default 1e-3)',
      positiveNumber,
    )
    .option(
      '--zero-tol <z>',
      "readout below |z| counts as '0' in a pattern (default 0.5)",
      positiveNumber,
    )
    .option('--no-progress', 'no progress lines on stderr')
    .option(
      '--json [file]',
      'print the graph as JSON on stdout, or write it to FILE (text still printed)',
    )
    .action(async (spec: string, o: Options, cmd: Command) => {
      if (spec.startsWith(BUILTIN_PREFIX))
        usageError(cmd, `${spec} has no inputs: the attractor graph needs a model file with Win`);
      const loaded = await loadModel(spec);
      const params = loaded.params;
      const I = params.Win ? params.Win.cols : 0;
      const N = params.W.rows;
      if (I === 0)
        throw new RnnscopeError(
          'INVALID_MODEL',
          `${spec} has no inputs (no Win): the attractor graph moves the network between attractors with input pulses`,
        );
      const input = o.input !== undefined ? parseModelInput(o.input, I, cmd) : undefined;
      const task = resolveTask(o, loaded.metadata as Record<string, unknown> | undefined, I, cmd);
      const backend = wasmBackend();
      const graph: AttractorGraph = await withSigintAbort((signal) =>
        attractorGraphAsync(params, {
          input,
          channels: o.channels ? intList(o.channels, '--channels', cmd) : undefined,
          signs: o.signs === 'both' ? [1, -1] : o.signs === '+' ? [1] : [-1],
          maxAmplitude: o.maxAmplitude,
          gridPoints: o.grid,
          pulseWidth: o.pulseWidth,
          task,
          seed: o.seed,
          trials: o.trials,
          steps: o.steps,
          relaxStarts: o.relax,
          inits: o.inits,
          states: o.states ? readStateRows(o.states, '--states file', N) : undefined,
          nodeTol: o.nodeTol,
          settleSpeed: o.settleSpeed,
          maxSteps: o.maxSteps,
          bracketTol: o.bracketTol,
          zeroTol: o.zeroTol,
          backend,
          signal,
          onProgress: o.progress
            ? (p) =>
                ctx.io.stderr.write(
                  `rnnscope: ${p.phase} ${p.done}/${p.total}, ${fmt(p.elapsedSeconds)} s\n`,
                )
            : undefined,
        }),
      ).finally(() => releaseScratch(backend));
      ctx.print(o.json, { source: spec, ...graph }, () => textSummary(spec, graph));
      if (graph.interrupted)
        throw new RnnscopeError(
          'NOT_CONVERGED',
          `interrupted: partial graph ${typeof o.json === 'string' ? `written to ${o.json}` : 'printed'}`,
        );
    });
}
