/**
 * The plain-TypeScript FORCE engine: the same sweeps as the wasm kernels (asm/force.ts) in
 * float64 loops. It is the reference the tests compare the kernels with, and the fallback where
 * WebAssembly SIMD is missing. Its sums run in another order than the kernels' SIMD lanes, so it
 * agrees with them to rounding, not bit for bit.
 */
import { RnnscopeError } from '../errors.js';
import { activation } from '../models/activations.js';
import type { RateModel } from '../models/types.js';
import type { ForceEngine, ForceEngineOptions } from './force-engine.js';

/** Row groups of the fused P sweep, as asm/force.ts RLS_GROUPS. */
export const RLS_GROUPS = 4;

/** First row of group g of the P sweep (asm/force.ts rlsGroupStart): 2·⌊n·√(g/G)/2 + ½⌋. */
export function rlsGroupStart(n: number, g: number): number {
  if (g <= 0) return 0;
  if (g >= RLS_GROUPS) return n;
  return Math.min(n, Math.floor((n * Math.sqrt(g / RLS_GROUPS)) / 2 + 0.5) * 2);
}

/**
 * Sizes of a rate model trained by FORCE, after checking what the engine implements: the wasm
 * kernels fuse tanh; the reference engine (`anyActivation`) takes the model's own activation.
 */
export function forceSizes(
  m: RateModel,
  anyActivation = false,
): { n: number; o: number; ni: number } {
  const n = m.W.rows;
  const o = m.Wout?.rows ?? 0;
  const ni = m.Win?.cols ?? 0;
  if (o === 0 || !m.Wout)
    throw new RnnscopeError('INVALID_MODEL', 'FORCE needs a readout Wout (outputs ≥ 1)');
  if (!anyActivation && m.activation.name !== 'tanh')
    throw new RnnscopeError(
      'INVALID_MODEL',
      `the wasm FORCE kernels implement tanh units (seed 000); ${m.activation.name} units train ` +
        `on the plain-TypeScript engine (backend 'ts' or 'auto', float64)`,
    );
  if (m.bout && m.bout.some((v) => v !== 0))
    throw new RnnscopeError('INVALID_MODEL', 'FORCE trains Wout only; bout must be absent or zero');
  return { n, o, ni };
}

/** The reference engine (float64 only; any activation of the rate model, r = φ(x)). */
export function createReferenceEngine(model: RateModel, opts: ForceEngineOptions): ForceEngine {
  const { n, o, ni } = forceSizes(model, true);
  const phi = activation(model.activation);
  const J = model.W.data;
  const Wfb = model.Wfb?.data;
  const Win = ni > 0 ? model.Win?.data : undefined;
  const bias = model.bias;
  const packed = (n * (n + 1)) / 2;
  const P = new Float64Array(packed);
  for (let i = 0; i < n; i++) P[(i * (i + 1)) / 2 + i] = 1 / opts.alpha;
  const Wout = Float64Array.from(model.Wout!.data.subarray(0, o * n));
  const x = Float64Array.from(opts.x0);
  const r = new Float64Array(n);
  const z = new Float64Array(o);
  let kv = new Float64Array(n);
  let kNext = new Float64Array(n);
  const ys = Array.from({ length: RLS_GROUPS }, () => new Float64Array(n));
  let pendingC: number | null = null;

  const activate = () => {
    phi.value(x, r, n);
    for (let q = 0; q < o; q++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Wout[q * n + j] * r[j];
      z[q] = s;
    }
  };
  activate();
  const a = new Float64Array(n);
  return {
    backend: 'ts',
    precision: 'float64',
    threads: 1,
    step(u) {
      const h = model.dt / model.tau;
      for (let i = 0; i < n; i++) {
        let s = 0;
        const row = i * n;
        for (let j = 0; j < n; j++) s += J[row + j] * r[j];
        if (Wfb) for (let q = 0; q < o; q++) s += Wfb[i * o + q] * z[q];
        if (Win) for (let q = 0; q < ni; q++) s += Win[i * ni + q] * u[q];
        if (bias) s += bias[i];
        a[i] = s;
      }
      for (let i = 0; i < n; i++) x[i] += h * (a[i] - x[i]);
      activate();
    },
    update(y, err) {
      // The deferred P ← P − c·k·kᵀ of the previous update, fused with k' = P·r by row groups:
      // group g adds its rows' parts of P·r into its own y_g, and k' = Σ_g y_g in group order.
      const c = pendingC ?? 0;
      for (let g = 0; g < RLS_GROUPS; g++) {
        const yg = ys[g];
        yg.fill(0);
        for (let i = rlsGroupStart(n, g); i < rlsGroupStart(n, g + 1); i++) {
          const row = (i * (i + 1)) / 2;
          const m = -c * kv[i];
          let acc = 0;
          for (let j = 0; j <= i; j++) {
            const p = P[row + j] + m * kv[j];
            P[row + j] = p;
            acc += p * r[j];
            if (j < i) yg[j] += p * r[i];
          }
          yg[i] += acc;
        }
      }
      for (let j = 0; j < n; j++) {
        let s = ys[0][j];
        for (let g = 1; g < RLS_GROUPS; g++) s += ys[g][j];
        kNext[j] = s;
      }
      [kv, kNext] = [kNext, kv];
      let rk = 0;
      for (let j = 0; j < n; j++) rk += kv[j] * r[j];
      const cNew = 1 / (1 + rk);
      for (let q = 0; q < o; q++) {
        const e = z[q] - y[q];
        err[q] = e;
        let s = 0;
        for (let j = 0; j < n; j++) {
          Wout[q * n + j] -= cNew * e * kv[j];
          s += Wout[q * n + j] * r[j];
        }
        z[q] = s;
      }
      pendingC = cNew;
    },
    readout: () => z,
    rate: () => r,
    getState: () => ({ x: x.slice(), Wout: Wout.slice(), P: P.slice(), k: kv.slice(), pendingC }),
    setState(s) {
      if (!(s.P instanceof Float64Array) || s.P.length !== packed || s.x.length !== n)
        throw new RnnscopeError('SHAPE_MISMATCH', 'FORCE state does not match the model');
      x.set(s.x);
      Wout.set(s.Wout);
      P.set(s.P);
      kv.set(s.k);
      pendingC = s.pendingC;
      activate();
    },
    readWout(out) {
      out.set(Wout);
    },
    dispose() {},
  };
}
