import { RnnscopeError } from '../errors.js';
import { firstNonFinite, zeros, type Matrix } from '../linalg/matrix.js';
import type { DynamicalSystem } from './types.js';

export interface IntegrateOptions {
  /** Time step for flows (required, > 0). Ignored for maps. */
  dt?: number;
  /** Flows only: forward Euler or classical 4th-order Runge–Kutta (default 'rk4'). */
  method?: 'euler' | 'rk4';
  /** Keep every `every`-th state (default 1). */
  every?: number;
}

/**
 * A trajectory of `sys` from x0 over `steps` steps.
 *
 * - flow, Euler: x ← x + dt·F(x).
 * - flow, RK4:   x ← x + dt/6·(k₁ + 2k₂ + 2k₃ + k₄), k₁ = F(x), k₂ = F(x + dt/2·k₁),
 *                k₃ = F(x + dt/2·k₂), k₄ = F(x + dt·k₃).
 * - map:         x ← x + velocity(x) = G(x)  (dt and method are ignored).
 *
 * Returns a Matrix whose row r is the state after r·every steps; row 0 is x0 (like
 * scipy's solve_ivp), so it has 1 + ⌊steps/every⌋ rows. Throws DIVERGED naming the step if the
 * state becomes non-finite.
 *
 * @example
 * const path = integrate(toy2d(), Float64Array.of(0.1, 0), 500, { dt: 0.01 });
 */
export function integrate(
  sys: DynamicalSystem,
  x0: Float64Array,
  steps: number,
  opts: IntegrateOptions = {},
): Matrix {
  const n = sys.dim;
  const every = opts.every ?? 1;
  const method = opts.method ?? 'rk4';
  if (x0.length !== n) {
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `x0 must have length ${n} (the system's dim), got ${x0.length}`,
    );
  }
  if (!(Number.isInteger(steps) && steps >= 0)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `steps must be a non-negative integer, got ${steps}`,
    );
  }
  if (!(Number.isInteger(every) && every >= 1)) {
    throw new RnnscopeError('INVALID_ARGUMENT', `every must be a positive integer, got ${every}`);
  }
  if (method !== 'euler' && method !== 'rk4') {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `method must be 'euler' or 'rk4', got '${String(method)}'`,
    );
  }
  const dt = opts.dt;
  if (sys.time === 'flow' && !(typeof dt === 'number' && dt > 0 && Number.isFinite(dt))) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `integrating a flow needs a time step dt > 0, got ${dt}`,
    );
  }
  const out = zeros(1 + Math.floor(steps / every), n);
  const x = Float64Array.from(x0);
  out.data.set(x, 0);
  const k1 = new Float64Array(n);
  const rk = method === 'rk4' && sys.time === 'flow';
  const k2 = rk ? new Float64Array(n) : k1;
  const k3 = rk ? new Float64Array(n) : k1;
  const k4 = rk ? new Float64Array(n) : k1;
  const tmp = rk ? new Float64Array(n) : k1;
  const h = dt as number;
  for (let s = 1; s <= steps; s++) {
    if (sys.time === 'map') {
      sys.velocity(x, k1);
      for (let i = 0; i < n; i++) x[i] += k1[i];
    } else if (!rk) {
      sys.velocity(x, k1);
      for (let i = 0; i < n; i++) x[i] += h * k1[i];
    } else {
      sys.velocity(x, k1);
      for (let i = 0; i < n; i++) tmp[i] = x[i] + 0.5 * h * k1[i];
      sys.velocity(tmp, k2);
      for (let i = 0; i < n; i++) tmp[i] = x[i] + 0.5 * h * k2[i];
      sys.velocity(tmp, k3);
      for (let i = 0; i < n; i++) tmp[i] = x[i] + h * k3[i];
      sys.velocity(tmp, k4);
      for (let i = 0; i < n; i++) x[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    }
    const bad = firstNonFinite(x);
    if (bad >= 0) {
      throw new RnnscopeError(
        'DIVERGED',
        `${sys.label ?? 'system'} diverged at step ${s}: coordinate ${bad} became ${x[bad]}` +
          (sys.time === 'flow' ? ` (dt=${h}; try a smaller dt)` : ''),
      );
    }
    if (s % every === 0) out.data.set(x, (s / every) * n);
  }
  return out;
}
