/**
 * Periodic orbits of maps as fixed points of the k-step map. A trained network can store its
 * memories as period-2 cycles (FixedPointFinder's flip-flop example, torch seed 0: 60
 * "fixed points", none stable); searching fixed points of G∘G finds them.
 */
import { RnnscopeError } from '../../errors.js';
import { gemm, type Matrix } from '../../linalg/index.js';
import type { DynamicalSystem } from '../../systems/types.js';
import { linearize, type LinearizeOptions } from './linearize.js';
import type { PeriodicOrbit } from './types.js';

/**
 * The k-step map G^k of a map system as a DynamicalSystem (time 'map'):
 *
 *   velocity = G^k(x) − x,   jacobian = D(G^k)(x) − I = DG(x_{k−1})···DG(x₀) − I,  x_t = G^t(x),
 *
 * with matrix-free jvp (forward through the chain) and vjp (backward). Readout: the system's.
 *
 * @example
 * const g2 = kStepSystem(flipflopSystem, 2); // fixed points of g2 include the period-2 cycles
 */
export function kStepSystem(sys: DynamicalSystem, k: number): DynamicalSystem {
  if (sys.time !== 'map') {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      'k-step maps are defined for maps; a flow has limit cycles, not period-k points',
    );
  }
  if (!(Number.isInteger(k) && k >= 1))
    throw new RnnscopeError('INVALID_ARGUMENT', `period k must be a positive integer, got ${k}`);
  const n = sys.dim;
  const ys = Array.from({ length: k }, () => new Float64Array(n));
  const tmp = new Float64Array(n);
  const w = new Float64Array(n);
  /** Fills ys[t] = G^t(x) for t < k and returns G^k(x) in tmp. */
  const orbit = (x: Float64Array) => {
    ys[0].set(x);
    for (let t = 0; t < k; t++) {
      const y = ys[t];
      sys.velocity(y, tmp);
      for (let i = 0; i < n; i++) tmp[i] += y[i];
      if (t + 1 < k) ys[t + 1].set(tmp);
    }
  };
  const base: DynamicalSystem = {
    dim: n,
    time: 'map',
    label: `${sys.label ?? 'map'} iterated ${k}×`,
    velocity(x, out) {
      orbit(x);
      for (let i = 0; i < n; i++) out[i] = tmp[i] - x[i];
    },
    jacobian(x, out) {
      orbit(x);
      const M: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
      for (let i = 0; i < n; i++) M.data[i * n + i] = 1;
      const Jt: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
      const P: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
      for (let t = 0; t < k; t++) {
        sys.jacobian(ys[t], Jt.data);
        for (let i = 0; i < n; i++) Jt.data[i * n + i] += 1;
        gemm(false, false, 1, Jt, M, 0, P);
        M.data.set(P.data);
      }
      out.set(M.data.subarray(0, n * n));
      for (let i = 0; i < n; i++) out[i * n + i] -= 1;
    },
    jvp(x, v, out) {
      orbit(x);
      w.set(v);
      for (let t = 0; t < k; t++) {
        if (sys.jvp) sys.jvp(ys[t], w, out);
        else throw new RnnscopeError('INVALID_ARGUMENT', 'k-step jvp needs the system jvp');
        for (let i = 0; i < n; i++) w[i] += out[i];
      }
      for (let i = 0; i < n; i++) out[i] = w[i] - v[i];
    },
    vjp(x, v, out) {
      orbit(x);
      w.set(v);
      for (let t = k - 1; t >= 0; t--) {
        if (sys.vjp) sys.vjp(ys[t], w, out);
        else throw new RnnscopeError('INVALID_ARGUMENT', 'k-step vjp needs the system vjp');
        for (let i = 0; i < n; i++) w[i] += out[i];
      }
      for (let i = 0; i < n; i++) out[i] = w[i] - v[i];
    },
  };
  if (!sys.jvp) delete base.jvp;
  if (!sys.vjp) delete base.vjp;
  if (sys.output && sys.outputDim) {
    return { ...base, outputDim: sys.outputDim, output: (x, out) => sys.output!(x, out) };
  }
  return base;
}

function iterate(sys: DynamicalSystem, x: Float64Array, steps: number): Float64Array {
  const n = sys.dim;
  const y = Float64Array.from(x);
  const v = new Float64Array(n);
  for (let t = 0; t < steps; t++) {
    sys.velocity(y, v);
    for (let i = 0; i < n; i++) y[i] += v[i];
  }
  return y;
}

function dist(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/**
 * Groups fixed points of G^k (rows `members` of X, with their q under G^k) into orbits of
 * minimal period k: a point whose p-step displacement ‖G^p(x) − x‖ is at most `sameTol` for some
 * p < k dividing k has a lower period and is skipped; two points belong to the same orbit when
 * one lies within `sameTol` of the other's orbit. Each orbit is linearised through G^k
 * (multipliers of D(G^k)).
 */
export function collectOrbits(
  sys: DynamicalSystem,
  kSys: DynamicalSystem,
  k: number,
  X: Matrix,
  members: readonly number[],
  q: ArrayLike<number>,
  sameTol: number,
  lin: LinearizeOptions,
): PeriodicOrbit[] {
  const n = sys.dim;
  const orbits: { pts: Float64Array[]; orbit: PeriodicOrbit }[] = [];
  const order = [...members].sort((a, b) => q[a] - q[b]);
  for (const r of order) {
    const x = X.data.slice(r * n, (r + 1) * n);
    let lower = false;
    for (let p = 1; p < k && !lower; p++) {
      if (k % p === 0 && dist(iterate(sys, x, p), x) <= sameTol) lower = true;
    }
    if (lower) continue;
    const existing = orbits.find((o) => o.pts.some((pt) => dist(pt, x) <= sameTol));
    if (existing) {
      existing.orbit.count++;
      continue;
    }
    const pts: Float64Array[] = [x];
    for (let t = 1; t < k; t++) pts.push(iterate(sys, pts[t - 1], 1));
    const l = linearize(kSys, x, { ...lin, modes: 0 });
    const orbit: PeriodicOrbit = {
      period: k,
      points: pts.map((p) => Array.from(p)),
      q: q[r],
      multipliers: l.eigenvalues,
      stability: l.stability,
      unstableDims: l.unstableDims,
      count: 1,
    };
    if (sys.output && sys.outputDim) {
      orbit.outputs = pts.map((p) => {
        const z = new Float64Array(sys.outputDim!);
        sys.output!(p, z);
        return Array.from(z);
      });
    }
    orbits.push({ pts, orbit });
  }
  return orbits.map((o) => o.orbit);
}
