/**
 * Corner geometry on exact point sets: cuboids, the parallel projections of a tesseract
 * (cell-, face-, edge-first), additive vs interacting bits, all embedded in R^N by a random
 * rotation so nothing depends on the coordinate axes.
 */
import { describe, expect, it } from 'vitest';
import {
  compareGeometry,
  cornerGeometry,
  cornerIndex,
  cornerSigns,
  labelCorners,
  nullVector4,
} from '../../src/analysis/experiments/index.js';
import type { FixedPoint } from '../../src/analysis/index.js';
import { createRng, orthogonal } from '../../src/random/index.js';

const N = 9;
const Q = orthogonal(N, createRng('geometry rotation'));

/** Corner points m + ½Σ s_k b_k (+ extra(c)), b_k given in the first coordinates, then rotated by Q. */
function cornerSet(edges: number[][], extra?: (c: number) => number[]) {
  const bits = edges.length;
  const K = 2 ** bits;
  const data = new Float64Array(K * N);
  for (let c = 0; c < K; c++) {
    const s = cornerSigns(c, bits);
    const local = new Array<number>(N).fill(0);
    local[N - 1] = 3; // an offset m
    edges.forEach((b, k) => b.forEach((v, i) => (local[i] += 0.5 * s[k] * v)));
    extra?.(c).forEach((v, i) => (local[i] += v));
    for (let i = 0; i < N; i++) {
      let y = 0;
      for (let j = 0; j < N; j++) y += Q.data[i * N + j] * local[j];
      data[c * N + i] = y;
    }
  }
  return { rows: K, cols: N, data };
}

const hex = (l: number) =>
  [0, 1, 2].map((k) => [
    l * Math.cos((2 * Math.PI * k) / 3),
    l * Math.sin((2 * Math.PI * k) / 3),
    0,
  ]);

describe('corner geometry', () => {
  it('a cuboid: per-bit edges, Hamming profile, PCA variances, orthogonal additive edges', () => {
    const L = [1, 2, 3, 4];
    const edges = L.map((l, k) => Array.from({ length: 4 }, (_, i) => (i === k ? l : 0)));
    const g = cornerGeometry(cornerSet(edges), 4);
    g.edges.forEach((e, k) => {
      expect(e.mean).toBeCloseTo(L[k], 12);
      expect(e.std).toBeLessThan(1e-12);
      expect(e.n).toBe(8);
    });
    expect(g.parallelotope.residual).toBeLessThan(1e-14);
    g.parallelotope.edgeLengths.forEach((l, k) => expect(l).toBeCloseTo(L[k], 12));
    expect(g.parallelotope.rmsCosine).toBeLessThan(1e-14);
    expect(g.parallelotope.lengthRatio).toBeCloseTo(4, 12);
    // Each bit adds variance (l_k/2)² per point: ratios l_k²/Σl², largest first.
    const total = L.reduce((s, l) => s + l * l, 0);
    [16, 9, 4, 1].forEach((l2, i) => expect(g.pca.varianceRatio[i]).toBeCloseTo(l2 / total, 12));
    // Distances at Hamming distance 2: mean over the 6 pairs of bits of √(l_i² + l_j²).
    let m2 = 0;
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) m2 += Math.hypot(L[i], L[j]) / 6;
    expect(g.hamming[1].mean).toBeCloseTo(m2, 12);
    // The top 3 axes keep bits 4, 3, 2 and drop bit 1: the picture is a cube, seen cell-first.
    expect(g.projection!.participation).toBeCloseTo(1, 10);
    expect(g.projection!.shape).toBe('cube (cell-first)');
    expect(g.projection!.kept).toBeCloseTo(29 / 30, 12);
    expect(g.projection!.axisGap).toBeCloseTo(4, 10); // (2/2)² / (1/2)²
  });

  it('a hypercube has √h distances and equal edges', () => {
    const edges = [0, 1, 2, 3, 4].map((k) =>
      Array.from({ length: 5 }, (_, i) => (i === k ? 2 : 0)),
    );
    const g = cornerGeometry(cornerSet(edges), 5);
    g.hamming.forEach(({ h, relative }) => expect(relative).toBeCloseTo(Math.sqrt(h), 12));
    expect(g.parallelotope.lengthCv).toBeLessThan(1e-14);
    expect(g.projection!.nullVector).toBeUndefined(); // defined for 4 bits only
  });

  it('tells the hexagonal prism (edge-first) from the cuboid (face-first) and cube (cell-first)', () => {
    // Edge-first: three edges 120° apart in a plane, the fourth along its normal.
    const prism = cornerGeometry(cornerSet([...hex(1.5), [0, 0, 2]]), 4);
    expect(prism.projection!.participation).toBeCloseTo(3, 10);
    expect(prism.projection!.shape).toBe('hexagonal prism (edge-first)');
    const n = prism.projection!.nullVector!;
    [n[0], n[1], n[2]].forEach((v) => expect(Math.abs(v)).toBeCloseTo(1 / Math.sqrt(3), 10));
    expect(n[3]).toBeCloseTo(0, 10);
    expect(prism.parallelotope.cosines[0][1]).toBeCloseTo(-0.5, 12);
    // Face-first: two edges project onto opposite directions (b₂ = −b₁): a 3×2×2 cuboid.
    const face = cornerGeometry(
      cornerSet([
        [1, 0, 0],
        [-1, 0, 0],
        [0, 1.3, 0],
        [0, 0, 0.7],
      ]),
      4,
    );
    expect(face.projection!.participation).toBeCloseTo(2, 10);
    expect(face.projection!.shape).toBe('cuboid (face-first)');
    // A prism with a small out-of-picture fourth dimension stays close to PR = 3.
    const thick = cornerSet([...hex(1.5).map((b) => [...b, 0]), [0, 0, 2, 0]], (c) => [
      0,
      0,
      0,
      0.1 * cornerSigns(c, 4)[0],
    ]);
    const g = cornerGeometry(thick, 4);
    expect(Math.abs(g.projection!.participation! - 3)).toBeLessThan(0.05);
    // Vertex-first: four edges with no three coplanar, n ∝ (1, 1, 1, 1).
    const tetra = [
      [1, 1, 1],
      [1, -1, -1],
      [-1, 1, -1],
      [-1, -1, 1],
    ];
    expect(nullVector4(tetra).map((v) => v * v)).toEqual(tetra.map(() => expect.closeTo(0.25, 12)));
  });

  it('measures the non-additive part of the layout exactly', () => {
    // x_c = ½Σ s_k a_k + s₁s₂·u with u ⟂ all a_k: the interaction is orthogonal to the
    // main effects, so residual = ‖u‖ / √(¼Σ‖a_k‖² + ‖u‖²).
    const edges = [0, 1, 2, 3].map((k) =>
      Array.from({ length: 4 }, (_, i) => (i === k ? 1 + k : 0)),
    );
    const u = 0.4;
    const g = cornerGeometry(
      cornerSet(edges, (c) => {
        const s = cornerSigns(c, 4);
        return [0, 0, 0, 0, u * s[0] * s[1]];
      }),
      4,
    );
    expect(g.parallelotope.residual).toBeCloseTo(u / Math.sqrt(0.25 * 30 + u * u), 12);
    g.parallelotope.edgeLengths.forEach((l, k) => expect(l).toBeCloseTo(1 + k, 12));
  });

  it('compares two geometries: same shape at another scale correlates perfectly', () => {
    const prism = cornerSet([...hex(1.5), [0, 0, 2]]);
    const big = { ...prism, data: prism.data.map((v) => 3 * v) };
    const cube = cornerSet([0, 1, 2, 3].map((k) => [0, 1, 2, 3].map((i) => (i === k ? 1 : 0))));
    const a = cornerGeometry(prism, 4);
    const same = compareGeometry(a, cornerGeometry(big, 4));
    expect(same.distanceCorrelation).toBeCloseTo(1, 12);
    expect(same.scaleRatio).toBeCloseTo(3, 12);
    expect(same.rmsDistanceDifference).toBeLessThan(1e-12);
    const other = compareGeometry(a, cornerGeometry(cube, 4));
    expect(other.distanceCorrelation).toBeLessThan(0.99);
    expect(() => compareGeometry(a, cornerGeometry(cornerSet(hex(1)), 3))).toThrow(/3-bit/);
    expect(() => cornerGeometry(prism, 3)).toThrow(/needs 8 points/);
  });

  it('labels stable points by the signs of their outputs, keeping the nearest per corner', () => {
    const fp = (output: number[], stability: FixedPoint['stability'] = 'stable'): FixedPoint => ({
      x: [0],
      q: 0,
      speed: 0,
      kind: 'fixed',
      count: 1,
      distanceScale: 0,
      output,
      stability,
    });
    const near = fp([0.98, -1.01]);
    const far = fp([0.5, -0.6]);
    const r = labelCorners([far, fp([-1, -1]), near, fp([0, 0], 'unstable')], 2);
    expect(cornerIndex([0.98, -1.01])).toBe(1);
    expect(r.points[1]).toBe(near);
    expect(r.extra).toEqual([far]);
    expect(r.missing).toEqual([2, 3]);
    expect(r.outputError[1]).toBeCloseTo(0.02, 12);
  });
});
