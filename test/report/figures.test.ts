/**
 * Each figure's data is what was computed: task series equal the simulated matrices, training
 * curves the history (‖ΔWout‖ recomputed), histogram counts numpy's, moments scipy's, the q
 * histogram the starts' q by status, eigenvalues numpy's with the unit circle of radius 1 and
 * the model's stability boundary.
 */
import { describe, expect, it } from 'vitest';
import { modelSpectrum } from '../../src/analysis/spectrum/index.js';
import { createModel } from '../../src/models/index.js';
import { createRng, recurrentGaussian } from '../../src/random/index.js';
import {
  eigenvalueFigure,
  histogram,
  jacobianSpectraFigure,
  qHistogramFigure,
  stabilityBoundary,
  taskPanelFigure,
  trainingFigure,
  weightHistogramFigure,
} from '../../src/report/index.js';
import { hasPython, runPython } from '../helpers/python.js';
import { flipflop } from './helpers.js';

const d = flipflop();

describe('taskPanelFigure', () => {
  it('plots every input, target and output channel over time, masked targets as gaps', () => {
    const t = d.trials[0];
    const mask = { ...t.mask, data: t.mask.data.slice() };
    mask.data[3 * 10 + 1] = 0; // unscore channel 2 at step 11
    const fig = taskPanelFigure({
      inputs: t.inputs,
      targets: t.targets,
      outputs: d.outputs[0],
      mask,
    });
    const n = fig.numbers as {
      time: number[];
      inputs: number[][];
      targets: (number | null)[][];
      outputs: number[][];
    };
    expect(n.time).toEqual(Array.from({ length: 100 }, (_, k) => k + 1));
    for (let c = 0; c < 3; c++)
      for (let s = 0; s < 100; s++) {
        expect(n.inputs[c][s]).toBe(t.inputs.data[s * 3 + c]);
        expect(n.outputs[c][s]).toBe(d.outputs[0].data[s * 3 + c]);
        expect(n.targets[c][s]).toBe(c === 1 && s === 10 ? null : t.targets.data[s * 3 + c]);
      }
    // 3 input traces + 2 per output channel, each on its own axis pair.
    expect(fig.data).toHaveLength(9);
    expect(new Set(fig.data.map((tr) => tr.yaxis)).size).toBe(6);
    const out2 = fig.data.filter((tr) => tr.name === 'output')[1];
    expect(out2.y).toEqual(n.outputs[1]);
  });

  it('rejects mismatched shapes', () => {
    const t = d.trials[0];
    expect(() =>
      taskPanelFigure({
        inputs: t.inputs,
        targets: t.targets,
        outputs: { rows: 5, cols: 3, data: new Float64Array(15) },
      }),
    ).toThrow(/same number of steps/);
  });
});

describe('trainingFigure', () => {
  it('plots the history as stored, and ‖ΔWout‖_F between consecutive snapshots', () => {
    const history = { step: [100, 200, 300], loss: [0.5, 0.1, 0.02] };
    const snaps = [
      {
        step: 100,
        Wout: [
          [1, 2],
          [3, 4],
        ],
      },
      {
        step: 200,
        Wout: [
          [1, 2],
          [3, 5],
        ],
      },
      {
        step: 300,
        Wout: [
          [0, 2],
          [3, 5],
        ],
      },
    ];
    const fig = trainingFigure({ history, trainer: 'force', woutSnapshots: snaps });
    expect(fig.data[0].x).toEqual([100, 200, 300]);
    expect(fig.data[0].y).toEqual([0.5, 0.1, 0.02]);
    expect(fig.numbers.woutDelta).toEqual([
      { step: 200, norm: 1 },
      { step: 300, norm: 1 },
    ]);
    expect(fig.layout.yaxis).toMatchObject({ type: 'log' });
    const bptt = trainingFigure({ history: d.loaded.history! });
    expect(bptt.data[0].y).toEqual(d.loaded.history!.loss);
    expect(() => trainingFigure({ history: { iteration: [1, 2] } })).toThrow(/no series/);
  });
});

describe('histograms', () => {
  it.skipIf(!hasPython())(
    'weight counts equal numpy.histogram on the same edges, moments equal scipy',
    () => {
      const W = d.loaded.params.W.data;
      const W0 = recurrentGaussian(16, 1, createRng(3)).data;
      const fig = weightHistogramFigure({
        sets: [
          { name: 'before', values: W0 },
          { name: 'after', values: W },
        ],
      });
      const n = fig.numbers as {
        edges: number[];
        sets: {
          counts: number[];
          moments: { mean: number; std: number; skewness: number; kurtosis: number };
        }[];
      };
      const ref = runPython<{ counts: number[][]; edges: number[]; m: number[][] }>(
        `
import scipy.stats as st
e = np.linspace(min(min(inp['a']), min(inp['b'])), max(max(inp['a']), max(inp['b'])), inp['bins'] + 1)
cs = [np.histogram(np.array(v), bins=e)[0].tolist() for v in (inp['a'], inp['b'])]
ms = [[float(np.mean(v)), float(np.std(v)), float(st.skew(v)), float(st.kurtosis(v))] for v in (inp['a'], inp['b'])]
out({'counts': cs, 'edges': e.tolist(), 'm': ms})
`,
        { a: Array.from(W0), b: Array.from(W), bins: n.edges.length - 1 },
      );
      n.edges.forEach((e, k) => expect(e).toBeCloseTo(ref.edges[k], 13));
      expect(n.sets[0].counts).toEqual(ref.counts[0]);
      expect(n.sets[1].counts).toEqual(ref.counts[1]);
      n.sets.forEach((s, k) => {
        expect(s.moments.mean).toBeCloseTo(ref.m[k][0], 12);
        expect(s.moments.std).toBeCloseTo(ref.m[k][1], 12);
        expect(s.moments.skewness).toBeCloseTo(ref.m[k][2], 10);
        expect(s.moments.kurtosis).toBeCloseTo(ref.m[k][3], 10);
      });
      expect(fig.data.map((t) => t.y)).toEqual([n.sets[0].counts, n.sets[1].counts]);
      expect(n.sets[1].counts.reduce((a, b) => a + b, 0)).toBe(256);
    },
  );

  it('puts values on the edges where numpy does (last bin closed)', () => {
    const h = histogram([0, 0.25, 0.5, 0.75, 1], 4);
    expect(h.edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(h.counts).toEqual([1, 1, 1, 2]);
  });

  it('q histogram: counts per status equal the starts, thresholds at log10 tolFixed/tolSlow', () => {
    const fig = qHistogramFigure({ result: d.fp });
    const n = fig.numbers as {
      edges: number[];
      counts: Record<string, number[]>;
      zeroQ: number;
      log10TolFixed: number;
      log10TolSlow: number;
    };
    expect(n.log10TolFixed).toBeCloseTo(Math.log10(d.fp.settings.tolFixed), 14);
    expect(n.log10TolSlow).toBeCloseTo(Math.log10(d.fp.settings.tolSlow), 14);
    for (const status of ['fixed', 'slow', 'not converged'] as const) {
      const qs = d.fp.starts
        .filter((s) => s.status === status && s.q > 0)
        .map((s) => Math.log10(s.q));
      const total = n.counts[status].reduce((a, b) => a + b, 0);
      expect(total).toBe(qs.length);
      // Bin by bin, recounted directly.
      n.counts[status].forEach((c, k) => {
        const last = k === n.counts[status].length - 1;
        expect(c).toBe(
          qs.filter((v) => v >= n.edges[k] && (last ? v <= n.edges[k + 1] : v < n.edges[k + 1]))
            .length,
        );
      });
    }
    expect(n.zeroQ).toBe(d.fp.starts.filter((s) => s.q === 0).length);
    const line = fig.data.find((t) => String(t.name).startsWith('tolFixed'))!;
    expect(line.x).toEqual([n.log10TolFixed, n.log10TolFixed]);
  });
});

describe('eigenvalueFigure', () => {
  const spec = modelSpectrum(d.model);

  it.skipIf(!hasPython())('plots numpy’s eigenvalues of W with the unit circle of radius 1', () => {
    const fig = eigenvalueFigure({ spectrum: spec });
    const ref = runPython<number[][]>(
      `l = np.linalg.eigvals(M(inp)); out(sorted([[float(z.real), float(z.imag)] for z in l]))`,
      { rows: 16, cols: 16, data: Array.from(d.loaded.params.W.data) },
    );
    const got = (fig.numbers.eigenvalues as number[][])
      .slice()
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    got.forEach((l, k) => {
      expect(l[0]).toBeCloseTo(ref[k][0], 10);
      expect(l[1]).toBeCloseTo(ref[k][1], 10);
    });
    const circle = fig.data.find((t) => String(t.name).startsWith('unit circle'))!;
    const xs = circle.x as number[];
    const ys = circle.y as number[];
    for (let k = 0; k < xs.length; k++) expect(Math.hypot(xs[k], ys[k])).toBeCloseTo(1, 14);
    expect(fig.numbers.unitCircle).toEqual({ center: [0, 0], radius: 1 });
    // rnn with tanh: the stability boundary is the unit circle itself; growing = outside it.
    expect(fig.numbers.boundary).toMatchObject({ type: 'circle', radius: 1 });
    const growing = fig.numbers.growing as number[][];
    expect(growing.length).toBe(ref.filter(([re, im]) => Math.hypot(re, im) > 1 + 1e-9).length);
    expect((fig.layout.annotations as unknown[]).length).toBe(
      (fig.numbers.labelled as unknown[]).length,
    );
  });

  it('before vs after, and the stability line Re λ = 1/(γτ) for a ctrnn flow', () => {
    const W = recurrentGaussian(30, 1.3, createRng(2));
    const ct = createModel({ kind: 'ctrnn', activation: { name: 'tanh' }, tau: 2, dt: 0.1, W });
    const W0 = recurrentGaussian(30, 0.5, createRng(3));
    const ct0 = createModel({
      kind: 'ctrnn',
      activation: { name: 'tanh' },
      tau: 2,
      dt: 0.1,
      W: W0,
    });
    const fig = eigenvalueFigure({ spectrum: modelSpectrum(ct), initial: modelSpectrum(ct0) });
    expect(fig.numbers.boundary).toMatchObject({ type: 'line', re: 0.5 });
    expect((fig.numbers.initialEigenvalues as unknown[]).length).toBe(30);
    const growing = fig.numbers.growing as number[][];
    expect(growing.every(([re]) => re > 0.5)).toBe(true);
    expect(growing.length).toBe(
      (fig.numbers.eigenvalues as number[][]).filter(([re]) => re > 0.5 + 1e-9).length,
    );
    expect(
      stabilityBoundary({
        ...modelSpectrum(ct).convention,
        kind: 'leaky-esn',
        alpha: 0.5,
        time: 'map',
      }),
    ).toEqual({
      type: 'circle',
      center: [-1, 0],
      radius: 2,
    });
  });

  it('Jacobian spectra: each point’s multipliers, coloured by its stability, unit circle for maps', () => {
    const fig = jacobianSpectraFigure({ fixedPoints: d.fp.fixedPoints, time: 'map' });
    const pts = fig.numbers.points as {
      index: number;
      stability: string;
      eigenvalues: number[][];
    }[];
    expect(pts).toHaveLength(d.fp.fixedPoints.length);
    for (const p of pts) {
      expect(p.eigenvalues).toEqual(d.fp.fixedPoints[p.index].eigenvalues);
      const maxMod = Math.max(...p.eigenvalues.map(([re, im]) => Math.hypot(re, im)));
      expect(p.stability === 'stable').toBe(maxMod < 1);
    }
    const stableTrace = fig.data.find((t) => String(t.name).startsWith('stable'))!;
    expect((stableTrace.x as number[]).length).toBe(8 * 16);
    expect((stableTrace.marker as { color: string }).color).toBe('#000000');
  });
});
