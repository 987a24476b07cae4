/**
 * Small networks whose attractors, thresholds and saddles are known in closed form: decoupled
 * units x_i ← tanh(w_i·x_i + u_i) (an rnn with diagonal W, Win = I, Wout = I). For w > 1 a unit
 * is bistable with stable points ±a, a = tanh(w·a), and the saddle 0 between them; for w < 1 it
 * has the single stable point 0.
 */
import type { ModelParams } from '../../src/models/types.js';

export function decoupledRnn(w: number[]): ModelParams {
  const n = w.length;
  const diag = (v: (i: number) => number) => {
    const data = new Float64Array(n * n);
    for (let i = 0; i < n; i++) data[i * n + i] = v(i);
    return { rows: n, cols: n, data };
  };
  return {
    kind: 'rnn',
    activation: { name: 'tanh' },
    W: diag((i) => w[i]),
    Win: diag(() => 1),
    Wout: diag(() => 1),
  };
}

/** The positive stable point a = tanh(w·a) of a bistable unit (w > 1), by fixed-point iteration. */
export function bistablePoint(w: number): number {
  let a = 1;
  for (let k = 0; k < 10000; k++) a = Math.tanh(w * a);
  return a;
}

/**
 * The smallest pulse A that moves a unit from −a across 0 in `width` steps of
 * x ← tanh(w·x + A): the root of x_width(A) = 0, by plain bisection on [0, hi].
 * (The unit's map is odd and increasing, so 0 is the basin boundary.)
 */
export function pulseThreshold(w: number, width: number, hi = 10): number {
  const a = bistablePoint(w);
  const end = (A: number) => {
    let x = -a;
    for (let k = 0; k < width; k++) x = Math.tanh(w * x + A);
    return x;
  };
  let lo = 0;
  for (let k = 0; k < 200; k++) {
    const mid = 0.5 * (lo + hi);
    if (end(mid) > 0) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}
