/**
 * The state-space figure plots what the analysis computed: fixed-point markers at the PCA
 * projection of the FixedPointResult's points (recomputed here by hand from the axes), stable
 * black and unstable red, segments along the projected unstable eigenvectors, trajectories equal
 * to the projected states, colour values equal to the readout.
 */
import { describe, expect, it } from 'vitest';
import { projectFixedPoints } from '../../src/analysis/index.js';
import { stateSpaceFigure } from '../../src/report/index.js';
import type { PlotlyTrace } from '../../src/report/index.js';
import { flipflop, projectByHand } from './helpers.js';

const markerTraces = (data: PlotlyTrace[]) =>
  data.filter((t) => t.mode === 'markers' && /fixed points|slow points/.test(String(t.name)));

describe('stateSpaceFigure on the 16-unit flip-flop', () => {
  const d = flipflop();
  const proj3 = projectFixedPoints(d.states, d.fp.fixedPoints, 'map', { components: 3 });
  const fig = stateSpaceFigure({ projection: proj3, fixedPoints: d.fp.fixedPoints });

  it('has the 8 stable corners, drawn black, and the unstable points red', () => {
    const stable = d.fp.fixedPoints.filter((p) => p.stability === 'stable');
    expect(stable).toHaveLength(8);
    const black = markerTraces(fig.data).find((t) => String(t.name).startsWith('stable fixed'))!;
    expect((black.marker as { color: string }).color).toBe('#000000');
    expect((black.x as number[]).length).toBe(8);
    const red = markerTraces(fig.data).find((t) => String(t.name).startsWith('unstable fixed'))!;
    expect((red.marker as { color: string }).color).toBe('#d62728');
    expect((red.x as number[]).length).toBe(
      d.fp.fixedPoints.filter((p) => p.kind === 'fixed' && p.stability === 'unstable').length,
    );
    const nums = fig.numbers.fixedPoints as { stability: string; color: string }[];
    for (const p of nums)
      expect(p.color).toBe(
        p.stability === 'stable' ? '#000000' : p.stability === 'unstable' ? '#d62728' : p.color,
      );
  });

  it('places each marker at the PCA projection of its fixed point', () => {
    let checked = 0;
    for (const t of markerTraces(fig.data)) {
      const xs = t.x as number[];
      const ys = t.y as number[];
      const zs = t.z as number[];
      // Every drawn marker is the projection of exactly one of the points.
      xs.forEach((x, k) => {
        const match = d.fp.fixedPoints.find((p) => {
          const q = projectByHand(p.x, proj3.mean, proj3.components);
          return (
            Math.abs(q[0] - x) < 1e-9 &&
            Math.abs(q[1] - ys[k]) < 1e-9 &&
            Math.abs(q[2] - zs[k]) < 1e-9
          );
        });
        expect(match).toBeDefined();
        checked++;
      });
    }
    expect(checked).toBe(d.fp.fixedPoints.length);
    // And the numbers carry the same coordinates in order.
    const pts = fig.numbers.fixedPoints as { index: number; point: number[] }[];
    for (const p of pts) {
      const q = projectByHand(d.fp.fixedPoints[p.index].x, proj3.mean, proj3.components);
      for (let c = 0; c < 3; c++) expect(p.point[c]).toBeCloseTo(q[c], 10);
    }
  });

  it('draws segments along the projected unstable eigenvectors, centred on the point', () => {
    const segs = fig.numbers.unstableSegments as {
      index: number;
      eigenvalue: [number, number];
      from: number[];
      to: number[];
    }[];
    const expected = d.fp.fixedPoints.reduce(
      (s, p) => s + (p.modes ?? []).filter((m) => Math.hypot(...m.eigenvalue) > 1).length,
      0,
    );
    expect(segs.length).toBe(expected);
    expect(segs.length).toBeGreaterThan(0);
    for (const s of segs) {
      const fp = d.fp.fixedPoints[s.index];
      const mode = fp.modes!.find(
        (m) => m.eigenvalue[0] === s.eigenvalue[0] && m.eigenvalue[1] === s.eigenvalue[1],
      )!;
      const centre = projectByHand(fp.x, proj3.mean, proj3.components);
      // Projected direction of the eigenvector (a linear map: no mean).
      const dir = proj3.components.map((c) =>
        c.reduce((a, ci, i) => a + ci * mode.vector!.re[i], 0),
      );
      const seg = s.to.map((v, c) => v - s.from[c]);
      const cos =
        seg.reduce((a, v, c) => a + v * dir[c], 0) / (Math.hypot(...seg) * Math.hypot(...dir));
      expect(Math.abs(cos)).toBeGreaterThan(1 - 1e-9);
      for (let c = 0; c < 3; c++) expect((s.from[c] + s.to[c]) / 2).toBeCloseTo(centre[c], 10);
    }
    const lines = fig.data.find((t) => t.name === 'unstable directions')!;
    // Two ends and a gap per segment.
    expect((lines.x as unknown[]).length).toBe(3 * segs.length);
  });

  it('plots the projected trajectories; 2-D colours equal the readout z₁', () => {
    const proj2 = projectFixedPoints(d.states, d.fp.fixedPoints, 'map', { components: 2 });
    const values = d.outputs.map((z) => Array.from({ length: z.rows }, (_, t) => z.data[t * 3]));
    const f2 = stateSpaceFigure({
      projection: proj2,
      fixedPoints: d.fp.fixedPoints,
      colorBy: { label: 'z1', values },
      maxTrajectories: 4,
    });
    expect(f2.id).toBe('state-space-2d');
    const trajs = f2.data.filter((t) => t.name === 'trajectories');
    expect(trajs).toHaveLength(4);
    trajs.forEach((t, k) => {
      const states = d.states[k];
      for (const r of [0, 37, states.rows - 1]) {
        const q = projectByHand(
          states.data.subarray(r * 16, (r + 1) * 16),
          proj2.mean,
          proj2.components,
        );
        expect((t.x as number[])[r]).toBeCloseTo(q[0], 10);
        expect((t.y as number[])[r]).toBeCloseTo(q[1], 10);
      }
      expect((t.marker as { color: number[] }).color).toEqual(values[k]);
    });
    expect(f2.layout.yaxis).toMatchObject({ scaleanchor: 'x' });
  });

  it('rejects mismatched inputs', () => {
    expect(() =>
      stateSpaceFigure({ projection: proj3, fixedPoints: d.fp.fixedPoints.slice(1) }),
    ).toThrow(/fixed points/);
  });
});
