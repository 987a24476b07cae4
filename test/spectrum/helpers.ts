import { readFileSync } from 'node:fs';
import { loadModelSync } from '../../src/io/index.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import type { Complex } from '../../src/analysis/spectrum/index.js';

export const FIXTURES = new URL('../fixtures/spectrum/', import.meta.url).pathname;

export const fixture = (name: string) => `${FIXTURES}${name}`;

export function loadFixture(name: string) {
  return loadModelSync(fixture(name));
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * Largest distance from each eigenvalue of `a` to its partner in `b`, pairing greedily by
 * nearest unused neighbour (scaled by max(1, |λ|)); Infinity when the counts differ.
 */
export function spectrumMismatch(a: ReadonlyArray<Complex>, b: ReadonlyArray<Complex>): number {
  if (a.length !== b.length) return Infinity;
  const used = new Uint8Array(b.length);
  let worst = 0;
  for (const [re, im] of a) {
    let best = -1;
    let bestD = Infinity;
    for (let k = 0; k < b.length; k++) {
      if (used[k]) continue;
      const d = Math.hypot(re - b[k][0], im - b[k][1]);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    used[best] = 1;
    worst = Math.max(worst, bestD / Math.max(1, Math.hypot(re, im)));
  }
  return worst;
}

/** Square matrix from rows (test data). */
export function square(rows: number[][]): Matrix {
  const n = rows.length;
  return { rows: n, cols: n, data: Float64Array.from(rows.flat()) };
}

export { blockDiag, rot2 } from '../linalg/eig-checks.js';
