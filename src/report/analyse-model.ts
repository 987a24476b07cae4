/**
 * Everything `rnnscope report` shows for a model file, computed without training: test trials,
 * fixed and slow points with their stability, the PCA state-space picture, weight spectra and
 * histograms, the training curves the file carries, and the sections that apply to its task
 * (FitzHugh–Nagumo, levels). Returns a {@link ReportDocument}; writing it is the caller's job.
 */
import { batchModelSystem } from '../analysis/batch.js';
import type { FixedPointProgress, FixedPointResult } from '../analysis/fixed-points/types.js';
import { projectFixedPoints } from '../analysis/pca-projection.js';
import { modelSpectrum } from '../analysis/spectrum/report.js';
import { RnnscopeError } from '../errors.js';
import type { LoadedModel } from '../io/types.js';
import type { LinalgBackend } from '../linalg/backend.js';
import { createModel } from '../models/model.js';
import type { ModelParams } from '../models/types.js';
import { createRng } from '../random/index.js';
import { taskFromJson } from '../tasks/registry.js';
import type { Task } from '../tasks/types.js';
import type { ReportDocument, ReportSection, ReportSummaryRow } from './document.js';
import { eigenvalueFigure, jacobianSpectraFigure } from './figures/eigenvalues.js';
import { qHistogramFigure } from './figures/q-histogram.js';
import { stateSpaceFigure } from './figures/state-space.js';
import { taskPanelFigure } from './figures/task-panel.js';
import { trainingFigure } from './figures/training.js';
import { weightHistogramFigure } from './figures/weights.js';
import {
  defaultInits,
  fixedPointSummary,
  fixedPointText,
  searchFixedPoints,
} from './fixed-point-section.js';
import { fhnNetworkSection, meanFieldSection } from './model-extras.js';
import { runTrials } from './model-trials.js';
import { short } from './style.js';

export interface ReportProgress {
  /** What is being done, e.g. 'fixed points'. */
  stage: string;
  /** 1-based stage number and the number of stages. */
  index: number;
  total: number;
  /** Fixed-point search progress, while that stage runs. */
  fixedPoints?: FixedPointProgress;
}

export interface ModelReportOptions {
  /** Path or name shown as the source (default 'model'). */
  source?: string;
  /** The task to test on (default: the model file's metadata.taskSpec, if any). */
  task?: Task;
  /** A sentence about the test trials, added to the task section (e.g. how they differ from training). */
  taskNote?: string;
  /** The same network before training, for the before/after spectra and histograms. */
  initial?: ModelParams;
  /** Seed of the test trials and fixed-point starts (default 0). */
  seed?: number;
  /** Test trials simulated (default 10). */
  trials?: number;
  /** Trajectories drawn in the state-space figures (default 6). */
  drawTrajectories?: number;
  /** Fixed-point starts (default 1024 for N ≤ 64, 512 up to 256, else 128). */
  inits?: number;
  /** Extra starts off the visited manifold (default 16). */
  offManifold?: number;
  /** Frozen input of the fixed-point analysis (default zeros). */
  input?: Float64Array;
  /** Finite-network size of the mean-field comparison (levels models; default min(N, 2000); null: none). */
  meanFieldN?: number | null;
  /** Version string recorded in the document. */
  generator?: string;
  title?: string;
  backend?: LinalgBackend;
  signal?: AbortSignal;
  onProgress?: (p: ReportProgress) => void;
}

function taskOf(
  loaded: LoadedModel,
  given: Task | undefined,
  warnings: string[],
): Task | undefined {
  if (given) return given;
  const spec = loaded.metadata?.taskSpec;
  if (spec === undefined) return undefined;
  try {
    return taskFromJson(spec);
  } catch (e) {
    warnings.push(`metadata.taskSpec is not a usable task (${(e as Error).message}); give --task`);
    return undefined;
  }
}

/**
 * Analyses a trained model for a report. Stages: test trials → fixed points → projection →
 * spectra → task-specific sections. Stopping through `signal` ends the fixed-point search early
 * and skips what follows it; the document then says `interrupted` and holds what was done.
 */
export async function analyseModel(
  loaded: LoadedModel,
  opts: ModelReportOptions = {},
): Promise<ReportDocument> {
  const params = loaded.params;
  const model = createModel(params);
  const { units: N, inputs: I, outputs: O } = model.sizes;
  const warnings: string[] = [];
  const task = taskOf(loaded, opts.task, warnings);
  const extra =
    task?.spec.task === 'fhn'
      ? 'FitzHugh–Nagumo'
      : task?.spec.task === 'levels'
        ? 'mean field'
        : null;
  const stages = [
    'test trials',
    'fixed points',
    'projection',
    'spectra',
    ...(extra ? [extra] : []),
  ];
  let stageIndex = 0;
  const stage = (name: string) =>
    opts.onProgress?.({ stage: name, index: ++stageIndex, total: stages.length });
  const rng = createRng(opts.seed ?? 0);
  const input = opts.input ?? new Float64Array(I);
  if (input.length !== I)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `the frozen input has ${input.length} values, but the model has ${I} inputs`,
    );
  const summary: ReportSummaryRow[] = [
    { label: 'model', value: `${params.kind}, ${N} units, ${I} inputs, ${O} outputs` },
    { label: 'activation', value: params.activation.name },
  ];
  if (loaded.metadata?.task !== undefined)
    summary.push({ label: 'task (metadata)', value: String(loaded.metadata.task) });
  const sections: ReportSection[] = [];

  stage('test trials');
  const runs = runTrials(model, task, loaded.metadata, opts.trials ?? 10, rng.fork('trials'));
  if (task) {
    summary.push(
      { label: 'task', value: task.spec.task },
      { label: 'test trials', value: runs.states.length },
    );
    if (runs.score) {
      summary.push({ label: 'test MSE', value: runs.score.mse });
      if (runs.score.accuracy !== undefined)
        summary.push({ label: 'test accuracy', value: runs.score.accuracy });
    }
    const t0 = runs.trials[0]!;
    sections.push({
      id: 'task',
      title: 'The task',
      text: [
        `A fresh test trial of '${task.spec.task}' (${runs.states.length} simulated, started from ${runs.start})` +
          (runs.score
            ? `: MSE ${short(runs.score.mse, 3)}${runs.score.accuracy !== undefined ? `, accuracy ${short(100 * runs.score.accuracy, 4)} %` : ''} over all of them.`
            : '.') +
          (opts.taskNote ? ` ${opts.taskNote}` : ''),
      ],
      figures: [
        taskPanelFigure({
          inputs: t0.inputs,
          targets: t0.targets,
          outputs: runs.outputs[0],
          mask: t0.mask,
          subtitle: `trial 1 of ${runs.states.length}`,
        }),
      ],
    });
  }
  const history = loaded.history ?? {};
  if (
    Object.keys(history).some(
      (k) => !['iteration', 'step', 'epoch'].includes(k) && history[k].length > 0,
    )
  ) {
    const snaps = loaded.metadata?.woutSnapshots;
    sections.push({
      id: 'training',
      title: 'Training',
      text: ['The training curves stored in the model file.'],
      figures: [
        trainingFigure({
          history,
          trainer:
            typeof loaded.metadata?.trainer === 'string' ? loaded.metadata.trainer : undefined,
          woutSnapshots: Array.isArray(snaps)
            ? (snaps as { step: number; Wout: number[][] }[])
            : undefined,
        }),
      ],
    });
  }

  stage('fixed points');
  const sys = batchModelSystem(params, input, undefined, opts.backend);
  let fp: FixedPointResult;
  try {
    fp = await searchFixedPoints(
      sys,
      { kind: 'model', params, input },
      { states: runs.states, outputs: runs.outputs },
      {
        inits: opts.inits ?? defaultInits(N),
        offManifold: opts.offManifold ?? 16,
        rng: rng.fork('fixed-points'),
        signal: opts.signal,
        onProgress: (p) =>
          opts.onProgress?.({
            stage: 'fixed points',
            index: stageIndex,
            total: stages.length,
            fixedPoints: p,
          }),
      },
    );
  } finally {
    (sys as { batch?: { release?: () => void } }).batch?.release?.();
  }
  warnings.push(...fp.warnings);
  summary.push(...fixedPointSummary(fp));
  const inputText = input.some((v) => v !== 0) ? `u = (${Array.from(input).join(', ')})` : 'u = 0';

  stage('projection');
  const fpFigures = [];
  const draw = Math.min(runs.states.length, opts.drawTrajectories ?? 6);
  for (const k of N >= 3 ? ([3, 2] as const) : N === 2 ? ([2] as const) : []) {
    const projection = projectFixedPoints(runs.states, fp.fixedPoints, sys.time, { components: k });
    fpFigures.push(
      stateSpaceFigure({
        projection,
        fixedPoints: fp.fixedPoints,
        maxTrajectories: draw,
        ...(k === 2 && O > 0
          ? {
              colorBy: {
                label: 'z₁',
                values: runs.outputs.map((z) =>
                  Array.from({ length: z.rows }, (_, t) => z.data[t * O]),
                ),
              },
              title: 'State space (PCA, 2-D), coloured by the readout z₁',
            }
          : {}),
      }),
    );
  }
  sections.push({
    id: 'fixed-points',
    title: `Fixed points (input frozen at ${inputText})`,
    text: [
      fixedPointText(fp, `With the input frozen at ${inputText}`),
      `Trajectories: ${draw} of the ${runs.states.length} test runs (PCA fitted to all of them and the points).`,
    ],
    figures: [
      ...fpFigures,
      qHistogramFigure({ result: fp }),
      ...(fp.fixedPoints.some((p) => p.eigenvalues?.length)
        ? [jacobianSpectraFigure({ fixedPoints: fp.fixedPoints, time: sys.time })]
        : []),
    ],
  });

  let interrupted = fp.interrupted;
  if (!interrupted) {
    stage('spectra');
    const spec = modelSpectrum(model);
    const initial = opts.initial ? modelSpectrum(createModel(opts.initial)) : undefined;
    summary.push(
      { label: 'spectral radius of W', value: spec.spectralRadius },
      { label: 'growing modes of W', value: spec.growingModes.length },
      { label: 'Henrici departure from normality', value: spec.henrici },
    );
    const figs = [eigenvalueFigure({ spectrum: spec, initial })];
    if (spec.effective)
      figs.push(eigenvalueFigure({ spectrum: spec, initial, matrix: 'effective' }));
    figs.push(
      weightHistogramFigure({
        sets: [
          ...(opts.initial
            ? [{ name: 'W before training', values: opts.initial.W.data, color: '#9ecae1' }]
            : []),
          {
            name: opts.initial ? 'W after training' : 'W',
            values: params.W.data,
            color: '#d62728',
          },
        ],
      }),
    );
    sections.push({
      id: 'spectra',
      title: 'Weights and their spectrum',
      text: [
        `Spectral radius ${short(spec.spectralRadius, 4)}; ${spec.outsideUnitCircle.length} eigenvalues outside the unit circle, ${spec.growingModes.length} growing in the ${spec.convention.time === 'map' ? 'map' : 'flow'} linearised about the origin (labelled); Henrici's departure from normality ${short(spec.henrici, 3)}.` +
          (initial ? ` Before training: spectral radius ${short(initial.spectralRadius, 4)}.` : ''),
      ],
      figures: figs,
    });

    if (extra && task?.spec.task === 'fhn') {
      stage(extra);
      sections.push(
        await fhnNetworkSection(params, task.spec, rng.fork('fhn'), {
          signal: opts.signal,
          backend: opts.backend,
        }),
      );
    } else if (extra && task?.spec.task === 'levels') {
      stage(extra);
      const n = opts.meanFieldN === undefined ? Math.min(N, 2000) : opts.meanFieldN;
      const mf = meanFieldSection(params, task.spec, loaded.metadata, n);
      if (mf.section) sections.push(mf.section);
      else warnings.push(`no mean-field section: ${mf.reason}`);
    }
    interrupted = Boolean(opts.signal?.aborted);
  }
  if (interrupted) warnings.push('interrupted: the report shows what was computed before the stop');
  return {
    title: opts.title ?? `rnnscope report: ${opts.source ?? 'model'}`,
    source: opts.source ?? 'model',
    created: new Date().toISOString(),
    generator: opts.generator ?? 'rnnscope',
    summary,
    sections,
    warnings,
    interrupted,
  };
}
