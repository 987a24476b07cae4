/**
 * `rnnscope fixedpoints <model|builtin:NAME>`: fixed and slow points, their stability and (for
 * maps without a stable point) periodic orbits; see docs/fixed-points.md. Text summary on stdout,
 * progress on stderr, SIGINT keeps what was found.
 */
import { Command, Option } from 'commander';
import {
  batchModelSystem,
  findFixedPointsAsync,
  offManifoldStates,
  projectFixedPoints,
  sampleStates,
  simulateForSampling,
  stackStates,
  type FixedPointOptions,
  type FixedPointResult,
  type SamplingTarget,
} from '../../analysis/index.js';
import { RnnscopeError } from '../../errors.js';
import type { Matrix } from '../../linalg/index.js';
import { releaseScratch, wasmBackend } from '../backend.js';
import { createRng } from '../../random/index.js';
import type { DynamicalSystem } from '../../systems/types.js';
import { fmt, usageError, type CliContext } from '../context.js';
import { tolFixedOption, tolSlowOption } from '../fixed-point-options.js';
import { withSigintAbort } from '../interrupt.js';
import { readRows } from '../state-file.js';
import {
  keyValue,
  nonNegativeInt,
  parseCommaVector,
  positiveInt,
  positiveNumber,
} from '../options.js';
import { openSource } from '../source.js';

interface Options {
  param?: Record<string, number>;
  input?: string;
  inits: number;
  seed: number;
  method?: FixedPointOptions['method'];
  states?: string;
  trajectory?: string;
  runs: number;
  steps: number;
  dt: number;
  noise: number;
  replace?: boolean;
  offManifold: number;
  time?: 'flow' | 'map';
  tolFixed?: number;
  tolSlow?: number;
  maxIterations?: number;
  uniqueTol?: number;
  excludeOutliers?: number;
  modes: number;
  left?: boolean;
  periodic: 'auto' | 'always' | 'never';
  maxPeriod: number;
  linearize: boolean;
  pca?: number;
  progress: boolean;
  json?: boolean | string;
}

function frozenInput(opts: Options, I: number, cmd: Command): Float64Array | undefined {
  if (opts.input === undefined) return undefined;
  if (I === 0) usageError(cmd, '--input given, but the model has no inputs (no Win)');
  const u = parseCommaVector(opts.input);
  if (!u)
    usageError(cmd, `--input must be comma-separated numbers, e.g. 0,0,1; got '${opts.input}'`);
  if (u!.length !== I) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `--input has ${u!.length} values, but the model has ${I} input${I === 1 ? '' : 's'} (expected ${I}, got ${u!.length})`,
    );
  }
  return u;
}

const complexText = ([re, im]: [number, number]) =>
  im === 0 ? fmt(re) : `${fmt(re)}${im < 0 ? '−' : '+'}${fmt(Math.abs(im))}i`;

function textSummary(spec: string, sys: DynamicalSystem, r: FixedPointResult): string[] {
  const s = r.summary;
  const lines = [
    `${spec}: ${sys.label ?? ''} (${r.settings.dim}-D ${r.settings.time})`,
    `method ${r.settings.method}, ${s.starts} starts: ${s.fixed} fixed, ${s.slow} slow, ${s.notConverged} not converged, ${s.merged} merged early`,
    `tolFixed ${fmt(r.settings.tolFixed)}, tolSlow ${fmt(r.settings.tolSlow)} (q = ½‖F‖²); ${fmt(r.timings.total)} s`,
    '',
    `${'#'.padStart(3)}  ${'kind'.padEnd(6)}${'q'.padStart(12)}  ${'stability'.padEnd(16)}${'unstable'.padStart(8)}${'count'.padStart(7)}  leading eigenvalue  output`,
  ];
  r.fixedPoints.forEach((p, i) => {
    const lead = p.eigenvalues?.[0] ? complexText(p.eigenvalues[0]) : '-';
    const out = p.output ? p.output.map(fmt).join(', ') : '';
    const unstable =
      p.unstableDims === undefined ? '-' : `${p.unstableDims}${p.unstableDimsAtLeast ? '+' : ''}`;
    lines.push(
      `${String(i).padStart(3)}  ${p.kind.padEnd(6)}${fmt(p.q).padStart(12)}  ${(p.label ?? p.stability ?? '-').padEnd(16)}${unstable.padStart(8)}${String(p.count).padStart(7)}  ${lead.padEnd(18)}  ${out}`,
    );
  });
  for (const o of r.periodicOrbits ?? []) {
    lines.push(
      `period-${o.period} orbit: ${o.stability}, |μ|max ${fmt(Math.hypot(...o.multipliers[0]))}, count ${o.count}${o.outputs ? `, outputs ${o.outputs.map((z) => `(${z.map(fmt).join(', ')})`).join(' ')}` : ''}`,
    );
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines;
}

export function fixedpointsCommand(ctx: CliContext): Command {
  return new Command('fixedpoints')
    .description(
      'find fixed and slow points, their linear stability and (for maps) periodic orbits',
    )
    .argument('<model>', 'model file (.json), or builtin:toy2d / builtin:fitzhugh-nagumo')
    .option('--param <key=value>', 'parameter of a builtin system (repeatable)', keyValue)
    .option('--input <vector>', 'frozen input u (comma-separated, length I; default zeros)')
    .option('--inits <K>', 'initial states sampled from simulated trajectories', positiveInt, 256)
    .option('--seed <S>', 'random seed (trajectories, sampling, jitter)', nonNegativeInt, 0)
    .addOption(
      new Option(
        '--method <method>',
        'optimiser (default: gauss-newton for N ≤ 128, newton-krylov above; gauss-newton above 128 is matrix-free Levenberg–Marquardt, slower but it keeps descending in chaotic networks)',
      ).choices(['auto', 'gauss-newton', 'newton-krylov', 'cg', 'adam']),
    )
    .option(
      '--states <file>',
      'extra initial states: JSON rows, {"states": rows} (e.g. a trajectory file) or CSV',
    )
    .option(
      '--trajectory <file>',
      'sample from this trajectory file (rnnscope simulate --out) instead of simulating',
    )
    .option('--runs <R>', 'simulated trajectories to sample from', positiveInt, 64)
    .option('--steps <T>', 'steps per simulated trajectory', positiveInt, 100)
    .option('--dt <h>', 'integration step for builtin flows', positiveNumber, 0.05)
    .option(
      '--noise <sigma>',
      'Gaussian jitter added to sampled states',
      (v) => positiveNumberOrZero(v),
      0,
    )
    .option('--replace', 'sample with replacement (FixedPointFinder does)')
    .option(
      '--off-manifold <K>',
      'extra states off the visited manifold (centroid, outputs outside the visited range)',
      nonNegativeInt,
      0,
    )
    .addOption(
      new Option(
        '--time <convention>',
        'rate/ctrnn models: analyse the flow (default) or the Euler map',
      ).choices(['flow', 'map']),
    )
    .addOption(tolFixedOption())
    .addOption(tolSlowOption())
    .option('--max-iterations <n>', 'iterations per start', positiveInt)
    .option(
      '--unique-tol <r>',
      'duplicates: distance ≤ r × state scale (default 1e-6)',
      positiveNumber,
    )
    .option(
      '--exclude-outliers <scale>',
      'drop points farther than scale × the mean distance of the starts from their centroid',
      positiveNumber,
    )
    .option('--modes <k>', 'modes reported per point, with eigenvectors', nonNegativeInt, 3)
    .option('--left', 'left eigenvectors of the reported modes too')
    .addOption(
      new Option('--periodic <when>', 'search periodic orbits of maps')
        .choices(['auto', 'always', 'never'])
        .default('auto'),
    )
    .option('--max-period <k>', 'largest period searched', positiveInt, 2)
    .option('--no-linearize', 'skip eigenvalues and stability')
    .addOption(
      new Option(
        '--pca <k>',
        'add a k-D PCA projection of trajectories and points to the JSON',
      ).choices(['2', '3']),
    )
    .option('--no-progress', 'no progress lines on stderr')
    .option(
      '--json [file]',
      'print the result as JSON on stdout, or write it to FILE (text still printed)',
    )
    .action(async (spec: string, opts: Options, cmd: Command) => {
      const source = await openSource(spec, opts.param, cmd);
      if (opts.maxPeriod < 2) usageError(cmd, '--max-period must be ≥ 2');
      const backend = wasmBackend();
      let sys: DynamicalSystem;
      let target: SamplingTarget;
      let input: Float64Array | undefined;
      if (source.type === 'file') {
        const params = source.loaded.params;
        const I = params.Win ? params.Win.cols : 0;
        input = frozenInput(opts, I, cmd);
        if (opts.time === 'flow' && (params.kind === 'rnn' || params.kind === 'leaky-esn'))
          usageError(cmd, `--time flow: a ${params.kind} model is a map (discrete time)`);
        sys = batchModelSystem(params, input, opts.time, backend);
        target = { kind: 'model', params, input };
      } else {
        if (opts.input !== undefined)
          usageError(cmd, `--input applies to models; ${spec} has no input`);
        if (opts.time !== undefined) usageError(cmd, '--time applies to rate/ctrnn models');
        sys = source.system;
        target = { kind: 'system', system: sys, dt: opts.dt };
      }
      const rng = createRng(opts.seed);
      const visited = opts.trajectory
        ? { states: [readRows(opts.trajectory, 'trajectory file')], outputs: [] as Matrix[] }
        : simulateForSampling(target, {
            runs: opts.runs,
            steps: opts.steps,
            rng: rng.fork('trajectories'),
          });
      for (const t of visited.states) {
        if (t.cols !== sys.dim)
          throw new RnnscopeError(
            'SHAPE_MISMATCH',
            `trajectory states have ${t.cols} columns, but the system has ${sys.dim} dimensions`,
          );
      }
      const total = visited.states.reduce((s, t) => s + t.rows, 0);
      if (!opts.replace && opts.inits > total) {
        usageError(
          cmd,
          `--inits ${opts.inits} exceeds the ${total} trajectory states: add --replace, or more --runs/--steps`,
        );
      }
      const parts = [
        sampleStates(visited.states, opts.inits, rng.fork('sampling'), {
          replace: opts.replace,
          noise: opts.noise,
        }),
      ];
      if (opts.offManifold > 0)
        parts.push(offManifoldStates(target, visited, opts.offManifold, rng.fork('off-manifold')));
      if (opts.states) {
        const user = readRows(opts.states, '--states file');
        if (user.cols !== sys.dim)
          throw new RnnscopeError(
            'SHAPE_MISMATCH',
            `--states rows have ${user.cols} values, but the system has ${sys.dim} dimensions`,
          );
        parts.push(user);
      }
      const starts = stackStates(...parts);

      let result: FixedPointResult;
      try {
        result = await withSigintAbort((signal) =>
          findFixedPointsAsync(sys, starts, {
            method: opts.method,
            tolFixed: opts.tolFixed,
            tolSlow: opts.tolSlow,
            maxIterations: opts.maxIterations,
            uniqueTol: opts.uniqueTol,
            outlierDistanceScale: opts.excludeOutliers,
            modes: opts.modes,
            leftEigenvectors: opts.left,
            periodic: opts.periodic,
            maxPeriod: opts.maxPeriod,
            linearize: opts.linearize,
            backend,
            signal,
            onProgress: opts.progress
              ? (p) =>
                  ctx.io.stderr.write(
                    `rnnscope: ${p.phase} ${p.iteration}: ${p.active}/${p.total} active, best q ${fmt(p.bestQ)}, ${fmt(p.elapsedSeconds)} s\n`,
                  )
              : undefined,
          }),
        );
      } finally {
        (sys as { batch?: { release?: () => void } }).batch?.release?.();
        releaseScratch(backend);
      }
      const value: Record<string, unknown> = {
        source: spec,
        system: sys.label,
        dim: sys.dim,
        time: sys.time,
        input: input ? Array.from(input) : null,
        sampling: {
          seed: opts.seed,
          inits: opts.inits,
          from: opts.trajectory
            ? { trajectory: opts.trajectory }
            : {
                runs: opts.runs,
                steps: opts.steps,
                ...(target.kind === 'system' ? { dt: opts.dt } : {}),
              },
          replace: Boolean(opts.replace),
          noise: opts.noise,
          offManifold: opts.offManifold,
          userStates: opts.states ?? null,
        },
        ...result,
      };
      if (opts.pca && result.fixedPoints.length + total > 1) {
        value.pca = projectFixedPoints(visited.states, result.fixedPoints, sys.time, {
          components: Number(opts.pca) as 2 | 3,
        });
      }
      ctx.print(opts.json, value, () => textSummary(spec, sys, result));
      if (result.interrupted) {
        throw new RnnscopeError(
          'NOT_CONVERGED',
          `interrupted: partial results ${typeof opts.json === 'string' ? `written to ${opts.json}` : 'printed'} (unfinished starts are labelled 'interrupted')`,
        );
      }
    });
}

function positiveNumberOrZero(v: string): number {
  return v.trim() === '0' ? 0 : positiveNumber(v);
}
