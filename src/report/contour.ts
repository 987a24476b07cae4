/**
 * Level sets of a function of two variables as polylines (marching squares). Each crossing
 * point is located on its grid edge by bisection of the function itself, not by linear
 * interpolation of the grid values, so every vertex lies on the level set to machine precision
 * (what the nullcline test checks). Segments are joined into polylines through shared edges.
 */

/** A polyline as [x, y] points. */
export type Polyline = number[][];

interface Crossing {
  key: string;
  point: number[];
}

/** Bisection of g on the segment a→b where g(a) and g(b) lie on different sides of 0. */
function bisect(g: (x: number, y: number) => number, a: number[], b: number[]): number[] {
  let lo = 0;
  let hi = 1;
  const ga = g(a[0], a[1]) > 0;
  for (let it = 0; it < 60; it++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    const v = g(a[0] + mid * (b[0] - a[0]), a[1] + mid * (b[1] - a[1]));
    if (v > 0 === ga) lo = mid;
    else hi = mid;
  }
  // Of the two bracketing points take the one where |g| is smaller.
  const pl = [a[0] + lo * (b[0] - a[0]), a[1] + lo * (b[1] - a[1])];
  const ph = [a[0] + hi * (b[0] - a[0]), a[1] + hi * (b[1] - a[1])];
  return Math.abs(g(pl[0], pl[1])) <= Math.abs(g(ph[0], ph[1])) ? pl : ph;
}

/**
 * Polylines of {(x, y): f(x, y) = level} over the grid xs × ys (increasing). `values[j][i]` is
 * f(xs[i], ys[j]) when given (else evaluated). Points where f > level are "above"; a saddle cell
 * is resolved by the value at its centre. Non-finite values count as below (−∞) unless NaN, which
 * drops the cell.
 */
export function contourLines(
  f: (x: number, y: number) => number,
  xs: readonly number[],
  ys: readonly number[],
  level: number,
  values?: readonly (readonly number[])[],
): Polyline[] {
  const nx = xs.length;
  const ny = ys.length;
  const val = values ?? ys.map((y) => xs.map((x) => f(x, y)));
  const g = (x: number, y: number) => f(x, y) - level;
  const above = (i: number, j: number) => val[j][i] > level;
  const cache = new Map<string, number[]>();
  // Crossing on the edge between grid nodes (i0, j0) and (i1, j1).
  const cross = (i0: number, j0: number, i1: number, j1: number): Crossing => {
    const key = `${i0},${j0},${i1},${j1}`;
    let p = cache.get(key);
    if (!p) {
      p = bisect(g, [xs[i0], ys[j0]], [xs[i1], ys[j1]]);
      cache.set(key, p);
    }
    return { key, point: p };
  };
  const segments: [Crossing, Crossing][] = [];
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      const corners = [val[j][i], val[j][i + 1], val[j + 1][i + 1], val[j + 1][i]];
      if (corners.some((v) => Number.isNaN(v))) continue;
      // Corners counter-clockwise: 0 (i,j), 1 (i+1,j), 2 (i+1,j+1), 3 (i,j+1).
      const a = [above(i, j), above(i + 1, j), above(i + 1, j + 1), above(i, j + 1)];
      const count = a.filter(Boolean).length;
      if (count === 0 || count === 4) continue;
      // Edges: 0 bottom (0-1), 1 right (1-2), 2 top (3-2), 3 left (0-3).
      const edge = (e: number): Crossing =>
        e === 0
          ? cross(i, j, i + 1, j)
          : e === 1
            ? cross(i + 1, j, i + 1, j + 1)
            : e === 2
              ? cross(i, j + 1, i + 1, j + 1)
              : cross(i, j, i, j + 1);
      const crossed = [a[0] !== a[1], a[1] !== a[2], a[3] !== a[2], a[0] !== a[3]];
      const edges = [0, 1, 2, 3].filter((e) => crossed[e]);
      if (edges.length === 2) {
        segments.push([edge(edges[0]), edge(edges[1])]);
        continue;
      }
      // Saddle cell (diagonal corners alike): connect so that the centre's side is kept joined.
      const centre = f(0.5 * (xs[i] + xs[i + 1]), 0.5 * (ys[j] + ys[j + 1])) > level;
      if (centre === a[0]) {
        segments.push([edge(0), edge(1)], [edge(2), edge(3)]);
      } else {
        segments.push([edge(0), edge(3)], [edge(1), edge(2)]);
      }
    }
  }
  return joinSegments(segments);
}

/** Chains segments that share crossing points into polylines. */
function joinSegments(segments: [Crossing, Crossing][]): Polyline[] {
  const byKey = new Map<string, number[]>();
  segments.forEach(([p, q], s) => {
    for (const c of [p, q]) {
      const list = byKey.get(c.key);
      if (list) list.push(s);
      else byKey.set(c.key, [s]);
    }
  });
  const used = new Array<boolean>(segments.length).fill(false);
  const lines: Polyline[] = [];
  const extend = (line: Crossing[], s0: number) => {
    // Walk from the last point of `line` through unused segments.
    for (;;) {
      const last = line[line.length - 1];
      const next = (byKey.get(last.key) ?? []).find((s) => !used[s]);
      if (next === undefined || next === s0) return;
      used[next] = true;
      const [p, q] = segments[next];
      line.push(p.key === last.key ? q : p);
    }
  };
  for (let s = 0; s < segments.length; s++) {
    if (used[s]) continue;
    used[s] = true;
    const line: Crossing[] = [segments[s][0], segments[s][1]];
    extend(line, s);
    line.reverse();
    extend(line, s);
    lines.push(line.map((c) => c.point.slice()));
  }
  return lines;
}

/** `n` evenly spaced values from lo to hi inclusive. */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (n === 1) return [lo];
  return Array.from({ length: n }, (_, k) => (k === n - 1 ? hi : lo + ((hi - lo) * k) / (n - 1)));
}
