import { describe, expect, it } from 'vitest';
import { isRnnscopeError } from '../../src/errors.js';
import { EigsNotConvergedError, eigs, type EigsResult } from '../../src/linalg/arnoldi.js';
import { tsBackend } from '../../src/linalg/index.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { hasPython, mulberry32, randn, runPython, toWire } from '../helpers/python.js';
import { expectRnnscopeError, naiveMul } from './util.js';

const matvecOf =
  (A: Matrix) =>
  (x: Float64Array, out: Float64Array): void =>
    tsBackend.gemv(false, 1, A, x, 0, out);

/** max over the returned pairs of ‖A·x − λ·x‖ / ‖A‖_F, and the unit-norm/phase checks. */
function vectorResidual(A: Matrix, r: EigsResult): number {
  const n = A.rows;
  const count = r.re.length;
  const V = r.vectors!;
  let anorm = 0;
  for (let i = 0; i < n * n; i++) anorm += A.data[i] ** 2;
  anorm = Math.sqrt(anorm);
  let worst = 0;
  for (let c = 0; c < count; c++) {
    let ss = 0;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.hypot(V.re.data[i * count + c], V.im.data[i * count + c]);
      ss += a * a;
      max = Math.max(max, a);
    }
    expect(Math.abs(Math.sqrt(ss) - 1)).toBeLessThan(1e-13);
    let dom = 0;
    while (Math.hypot(V.re.data[dom * count + c], V.im.data[dom * count + c]) < (1 - 1e-10) * max)
      dom++;
    expect(V.im.data[dom * count + c]).toBe(0);
    expect(V.re.data[dom * count + c]).toBeGreaterThan(0);
    let res = 0;
    for (let i = 0; i < n; i++) {
      let ar = 0;
      let ai = 0;
      for (let j = 0; j < n; j++) {
        ar += A.data[i * n + j] * V.re.data[j * count + c];
        ai += A.data[i * n + j] * V.im.data[j * count + c];
      }
      const vr = V.re.data[i * count + c];
      const vi = V.im.data[i * count + c];
      res += (ar - r.re[c] * vr + r.im[c] * vi) ** 2 + (ai - r.re[c] * vi - r.im[c] * vr) ** 2;
    }
    worst = Math.max(worst, Math.sqrt(res) / anorm);
  }
  return worst;
}

/** Pair structure (+im first, exact conjugates) and descending order of the key. */
function checkOrder(r: EigsResult, which: 'LM' | 'LR'): void {
  const key = (i: number): number => (which === 'LM' ? Math.hypot(r.re[i], r.im[i]) : r.re[i]);
  for (let i = 0; i < r.re.length; i++) {
    if (i > 0) expect(key(i)).toBeLessThanOrEqual(key(i - 1) * (1 + 1e-12) + 1e-14);
    if (r.im[i] > 0) {
      expect(r.re[i + 1]).toBe(r.re[i]);
      expect(r.im[i + 1]).toBe(-r.im[i]);
    }
    if (r.im[i] < 0) expect(r.im[i - 1]).toBe(-r.im[i]);
  }
}

/** Largest distance of each returned eigenvalue to the nearest reference value, relative to |λ₁|. */
function distance(r: EigsResult, refRe: number[], refIm: number[]): number {
  let worst = 0;
  for (let i = 0; i < r.re.length; i++) {
    let best = Infinity;
    for (let j = 0; j < refRe.length; j++)
      best = Math.min(best, Math.hypot(r.re[i] - refRe[j], r.im[i] - refIm[j]));
    worst = Math.max(worst, best);
  }
  return worst / Math.hypot(refRe[0], refIm[0]);
}

const rot2 = (r: number, t: number): number[][] => [
  [r * Math.cos(t), -r * Math.sin(t)],
  [r * Math.sin(t), r * Math.cos(t)],
];

/** Q·B·Qᵀ with B = diag(two rotation blocks, a random block of radius ~g): known leading pairs. */
function leadingPairs(n: number): Matrix {
  const rng = mulberry32(4);
  const B = randn(rng, n, n, 0.5 / Math.sqrt(n));
  for (let i = 0; i < 4; i++) for (let j = 0; j < n; j++) B.data[i * n + j] = B.data[j * n + i] = 0;
  const blocks = [rot2(1.5, 0.7), rot2(1.2, 1.1)];
  blocks.forEach((b, k) => {
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) B.data[(2 * k + i) * n + 2 * k + j] = b[i][j];
  });
  const Q = tsBackend.qr(randn(rng, n, n)).Q;
  return naiveMul(naiveMul(Q, B), Q, false, true);
}

describe('eigs (Krylov–Schur)', () => {
  it('complex leading pairs are found exactly and never split (k = 3 returns 4)', () => {
    const A = leadingPairs(300);
    const r = eigs(300, matvecOf(A), { k: 3 });
    expect(r.re.length).toBe(4);
    expect(r.converged).toBe(4);
    checkOrder(r, 'LM');
    const want = [
      [1.5 * Math.cos(0.7), 1.5 * Math.sin(0.7)],
      [1.5 * Math.cos(0.7), -1.5 * Math.sin(0.7)],
      [1.2 * Math.cos(1.1), 1.2 * Math.sin(1.1)],
      [1.2 * Math.cos(1.1), -1.2 * Math.sin(1.1)],
    ];
    want.forEach(([re, im], i) => {
      expect(Math.abs(r.re[i] - re)).toBeLessThan(1e-10);
      expect(Math.abs(r.im[i] - im)).toBeLessThan(1e-10);
    });
    expect(vectorResidual(A, r)).toBeLessThan(1e-11);
    for (let i = 0; i < 4; i++) expect(r.residuals[i]).toBeLessThan(1e-12 * 1.5);
  });

  it('an outlier of a rank-1 perturbation: g²/N Gaussian + θ·u·uᵀ has λ ≈ θ', () => {
    const n = 400;
    const rng = mulberry32(12);
    const A = randn(rng, n, n, 0.5 / Math.sqrt(n)); // bulk of radius g = 0.5
    const u = randn(rng, n, 1).data;
    const un = Math.hypot(...u);
    const theta = 1.7;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) A.data[i * n + j] += (theta * u[i] * u[j]) / (un * un);
    const full = tsBackend.eig(A, { vectors: false });
    let top = 0;
    for (let i = 1; i < n; i++) if (full.re[i] > full.re[top]) top = i;
    for (const which of ['LM', 'LR'] as const) {
      const r = eigs(n, matvecOf(A), { k: 4, which });
      checkOrder(r, which);
      expect(r.im[0]).toBe(0);
      expect(Math.abs(r.re[0] - theta)).toBeLessThan(0.05); // finite-N fluctuation of the outlier
      expect(Math.hypot(r.re[1], r.im[1])).toBeLessThan(0.6); // next ones belong to the bulk
      expect(Math.abs(r.re[0] - full.re[top])).toBeLessThan(1e-10);
      expect(vectorResidual(A, r)).toBeLessThan(1e-12);
    }
  });

  it('is deterministic for a seed; another seed gives the same eigenvalues', () => {
    const A = leadingPairs(120);
    const a = eigs(120, matvecOf(A), { k: 2, seed: 5 });
    const b = eigs(120, matvecOf(A), { k: 2, seed: 5 });
    const c = eigs(120, matvecOf(A), { k: 2, seed: 'other' });
    expect(Array.from(b.re)).toEqual(Array.from(a.re));
    expect(Array.from(b.vectors!.im.data)).toEqual(Array.from(a.vectors!.im.data));
    for (let i = 0; i < 2; i++) expect(Math.abs(c.re[i] - a.re[i])).toBeLessThan(1e-11);
  });

  it('small problems (subspace ≥ n − 1) go through the dense solver', () => {
    const A = randn(mulberry32(2), 12, 12);
    const r = eigs(12, matvecOf(A), { k: 3, which: 'LR' });
    expect(r.iterations).toBe(0);
    checkOrder(r, 'LR');
    expect(vectorResidual(A, r)).toBeLessThan(1e-13);
  });

  it('NOT_CONVERGED carries the partial result', () => {
    const n = 300;
    const A = randn(mulberry32(3), n, n, 1 / Math.sqrt(n)); // clustered edge of the circular law
    let caught: unknown;
    try {
      eigs(n, matvecOf(A), { k: 8, maxRestarts: 2 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EigsNotConvergedError);
    expect(isRnnscopeError(caught) && caught.code).toBe('NOT_CONVERGED');
    const partial = (caught as EigsNotConvergedError).partial;
    expect(partial.converged).toBeLessThan(partial.re.length);
    expect(partial.iterations).toBe(2);
    expect(partial.vectors!.re.cols).toBe(partial.re.length);
    expect(partial.residuals.length).toBe(partial.re.length);
  });

  it('rejects bad arguments', () => {
    const mv = (x: Float64Array, out: Float64Array): void => out.set(x);
    expectRnnscopeError(() => eigs(10, mv, { k: 10 }), 'INVALID_ARGUMENT', /1 ≤ k < n/);
    expectRnnscopeError(() => eigs(10, mv, { k: 0 }), 'INVALID_ARGUMENT');
    expectRnnscopeError(
      () => eigs(100, mv, { k: 2, which: 'SM' as 'LM' }),
      'INVALID_ARGUMENT',
      /which/,
    );
    expectRnnscopeError(() => eigs(100, mv, { k: 5, subspace: 6 }), 'INVALID_ARGUMENT', /subspace/);
    expectRnnscopeError(
      () => eigs(100, (_x, out) => out.fill(NaN), { k: 2 }),
      'NON_FINITE',
      /non-finite/,
    );
  });
});

describe.skipIf(!hasPython())('eigs against numpy and scipy.sparse.linalg.eigs', () => {
  it.each(['LM', 'LR'] as const)('random 400, k = 6 (%s): leading values to 1e-10', (which) => {
    const n = 400;
    const A = randn(mulberry32(which === 'LM' ? 21 : 22), n, n, 1 / Math.sqrt(n));
    const r = eigs(n, matvecOf(A), { k: 6, which });
    expect(r.converged).toBe(r.re.length);
    checkOrder(r, which);
    const want = runPython<{ re: number[]; im: number[]; sre: number[]; sim: number[] }>(
      `
import scipy.sparse.linalg as spl
a = M(inp['A'])
w = np.linalg.eigvals(a)
key = np.abs(w) if inp['which'] == 'LM' else w.real
w = w[np.argsort(-key, kind='stable')][: inp['count']]
s = spl.eigs(a, k=inp['count'], which=inp['which'], tol=1e-14, v0=np.ones(a.shape[0]))[0]
out({'re': w.real.tolist(), 'im': w.imag.tolist(), 'sre': s.real.tolist(), 'sim': s.imag.tolist()})
`,
      { A: toWire(A), which, count: r.re.length },
    );
    expect(distance(r, want.re, want.im)).toBeLessThan(1e-10);
    expect(distance(r, want.sre, want.sim)).toBeLessThan(1e-10);
    // Same set, not just nearby values: every numpy value is matched too.
    const back: EigsResult = {
      ...r,
      re: Float64Array.from(want.re),
      im: Float64Array.from(want.im),
    };
    expect(distance(back, Array.from(r.re), Array.from(r.im))).toBeLessThan(1e-10);
    expect(vectorResidual(A, r)).toBeLessThan(1e-12);
  });
});
