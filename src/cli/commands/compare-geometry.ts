/**
 * `rnnscope compare-geometry <modelA> [modelB]`: the stable points of trained flip-flop networks
 * labelled by the memory (corner) they hold, and their geometry as numbers — per-bit edge
 * lengths, distances by Hamming distance, the fitted parallelotope (additivity, orthogonality of
 * the bit directions), PCA variances and the shape of the 3-D PCA picture (for 4 bits: cube,
 * cuboid, hexagonal prism or rhombic dodecahedron) — and, for two models, how their geometries
 * compare (seed 000 §7.1: from scratch vs transferred from a 3-bit network).
 */
import { Command } from 'commander';
import {
  compareGeometry,
  flipFlopGeometry,
  type FlipFlopGeometry,
  type GeometryComparison,
} from '../../analysis/experiments/index.js';
import { RnnscopeError } from '../../errors.js';
import { loadModel } from '../../io/model-file.js';
import { releaseScratch, wasmBackend } from '../backend.js';
import { fmt, usageError, type CliContext } from '../context.js';
import { nonNegativeInt, positiveInt } from '../options.js';
import {
  addSearchOptions,
  interruptedError,
  interruptible,
  modelTask,
  progressLine,
  searchOptions,
  type SearchCliOptions,
} from './experiment-shared.js';

interface GeometryCliOptions extends SearchCliOptions {
  seed: number;
  starts: number;
  perCorner: number;
  task?: string;
  keepStates?: boolean;
  progress: boolean;
  json?: boolean | string;
}

const list = (v: number[], digits = 3) =>
  v.map((x) => fmt(Number(x.toPrecision(digits)))).join(', ');

function modelLines(path: string, g: FlipFlopGeometry): string[] {
  const lines = [
    `${path}: ${g.bits}-bit flip-flop, ${2 ** g.bits - g.missing.length}/${2 ** g.bits} corners with a stable point (${g.search.summary.stable} stable of ${g.search.summary.unique} fixed/slow points, ${g.search.starts} starts, ${fmt(g.search.seconds)} s)`,
  ];
  if (g.missing.length) lines.push(`  missing corners: ${g.missing.join(', ')}`);
  if (g.extraStable.length)
    lines.push(
      `  extra stable points at outputs: ${g.extraStable.map((z) => `(${list(z, 2)})`).join(' ')}`,
    );
  const errs = g.corners.flatMap((c) => (c.outputError === null ? [] : [c.outputError]));
  if (errs.length) lines.push(`  readout error at the corners: max ${fmt(Math.max(...errs))}`);
  const geo = g.geometry;
  if (!geo) return lines;
  const p = geo.parallelotope;
  lines.push(
    `  edge length per bit (mean ± std over ${2 ** (g.bits - 1)} pairs): ${geo.edges.map((e) => `${fmt(Number(e.mean.toPrecision(4)))} ± ${fmt(Number(e.std.toPrecision(2)))}`).join(', ')}`,
    `  distance by Hamming distance h, relative to h = 1: ${list(geo.hamming.map((h) => h.relative))} (hypercube: ${list(geo.hamming.map((h) => Math.sqrt(h.h)))})`,
    `  parallelotope fit: residual ${fmt(p.residual)}, edge lengths ${list(p.edgeLengths)}, RMS cosine between bit directions ${fmt(p.rmsCosine)}, length ratio ${fmt(p.lengthRatio)}`,
    `  PCA variance ratios: ${list(geo.pca.varianceRatio.slice(0, g.bits + 1))}`,
  );
  const pr = geo.projection;
  if (pr) {
    lines.push(
      `  3-D PCA picture: projected edge lengths (relative) ${list(pr.relativeLengths)}, edges kept ${fmt(pr.kept)}, variance axis 3 / axis 4 ${fmt(pr.axisGap)}`,
    );
    if (pr.participation !== undefined)
      lines.push(
        `  projection along bit-space direction n = (${list(pr.nullVector!)}), participation ${fmt(pr.participation)} → ${pr.shape}`,
      );
  }
  return lines;
}

function comparisonLines(c: GeometryComparison): string[] {
  return [
    `comparison (B relative to A): distance-matrix correlation ${fmt(c.distanceCorrelation)}, RMS difference of scale-free distances ${fmt(c.rmsDistanceDifference)}, scale ratio ${fmt(c.scaleRatio)}`,
    `  relative edge lengths per bit: A ${list(c.relativeEdges.map((e) => e.a))}; B ${list(c.relativeEdges.map((e) => e.b))}`,
  ];
}

export function compareGeometryCommand(ctx: CliContext): Command {
  const cmd = new Command('compare-geometry')
    .description(
      'geometry of trained flip-flops’ stable points (edges per bit, hypercube fit, PCA shape), compared',
    )
    .argument('<modelA>', 'trained flip-flop model file')
    .argument('[modelB]', 'a second one to compare with (same number of bits)')
    .option('--seed <S>', 'seed of the trajectories and starts', nonNegativeInt, 0)
    .option('--starts <K>', 'visited states sampled as starts', nonNegativeInt, 64)
    .option('--per-corner <n>', 'starts written by the task’s pulses per corner', positiveInt, 2)
    .option('--task <name>', 'task when a file records none (must be flipflop)')
    .option('--keep-states', 'include each corner point’s state in the JSON')
    .option('--no-progress', 'no progress lines on stderr')
    .option(
      '--json [file]',
      'print the result as JSON on stdout, or write it to FILE (text still printed)',
    );
  addSearchOptions(cmd);
  return cmd.action(async (pathA: string, pathB: string | undefined, o: GeometryCliOptions) => {
    const paths = pathB ? [pathA, pathB] : [pathA];
    const loaded = await Promise.all(paths.map((p) => loadModel(p)));
    const tasks = loaded.map((l, i) => modelTask(l, paths[i], o.task, cmd, true)!);
    tasks.forEach((t, i) => {
      if (t.spec.task !== 'flipflop')
        usageError(cmd, `${paths[i]} was trained on '${t.spec.task}', not a flip-flop`);
    });
    const bits = tasks.map((t) => (t.spec.task === 'flipflop' ? t.spec.bits : 0));
    if (bits.length === 2 && bits[0] !== bits[1])
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `cannot compare a ${bits[0]}-bit with a ${bits[1]}-bit flip-flop`,
      );
    const say = progressLine(ctx, o.progress);
    const backend = wasmBackend();
    const results: FlipFlopGeometry[] = [];
    await interruptible(async (signal) => {
      for (let i = 0; i < paths.length && !signal.aborted; i++) {
        say(`compare-geometry: stable points of ${paths[i]} (${loaded[i].params.W.rows} units)`);
        const g = await flipFlopGeometry(loaded[i].params, tasks[i], {
          seed: o.seed,
          samples: o.starts,
          perCorner: o.perCorner,
          keepStates: o.keepStates,
          fixedPoints: searchOptions(o, backend),
          signal,
        });
        results.push(g);
        say(
          `compare-geometry: ${paths[i]}: ${2 ** g.bits - g.missing.length}/${2 ** g.bits} corners, ${fmt(g.search.seconds)} s`,
        );
      }
    }).finally(() => releaseScratch(backend));
    const partial = results.length < paths.length || results.some((r) => r.partial);
    const comparison =
      results.length === 2 && results[0].geometry && results[1].geometry
        ? compareGeometry(results[0].geometry, results[1].geometry)
        : undefined;
    const value = {
      models: results.map((r, i) => ({ model: paths[i], ...r })),
      ...(comparison ? { comparison } : {}),
      partial,
    };
    ctx.print(o.json, value, () => [
      ...results.flatMap((r, i) => modelLines(paths[i], r)),
      ...(comparison ? comparisonLines(comparison) : []),
      ...(partial ? ['PARTIAL: interrupted'] : []),
    ]);
    if (partial) throw interruptedError(`${results.length} of ${paths.length} models`, o.json);
    const incomplete = results.flatMap((r, i) =>
      r.missing.length ? [`${paths[i]}: corners ${r.missing.join(', ')}`] : [],
    );
    if (incomplete.length)
      throw new RnnscopeError(
        'NOT_CONVERGED',
        `no stable point found for ${incomplete.join('; ')} — the network may not hold those memories; try more --per-corner or --starts`,
      );
  });
}
