/**
 * FitzHugh–Nagumo fixed points in closed form (seed 003 §5.1, eq. 12): with w* = (v* + a)/b the
 * v-nullcline gives the cubic
 *
 *   v³/3 + (1/b − 1)·v + a/b − I = 0   ⇔   v³ + p·v + q = 0,  p = 3(1/b − 1),  q = 3(a/b − I),
 *
 * solved by Cardano's formula when it has one real root (4p³ + 27q² > 0; always for b < 1, e.g.
 * the seed's b = 0.8) and by the trigonometric form when it has three; each root is polished by
 * two Newton steps. (Seed 003's eq. 12a is Cardano's formula for a = 0.7, b = 0.8.)
 */
import { RnnscopeError } from '../errors.js';

/** Real roots v* of the FitzHugh–Nagumo fixed-point cubic at current I, ascending. */
export function fhnFixedPointVoltages(a: number, b: number, I: number): number[] {
  if (![a, b, I].every(Number.isFinite))
    throw new RnnscopeError('INVALID_ARGUMENT', `a, b and I must be finite, got ${a}, ${b}, ${I}`);
  // b = 0: the w-nullcline is the vertical line v = −a.
  if (b === 0) return [-a];
  const p = 3 * (1 / b - 1);
  const q = 3 * (a / b - I);
  const disc = 4 * p * p * p + 27 * q * q;
  let roots: number[];
  if (disc > 0 || p === 0) {
    const s = Math.sqrt((q * q) / 4 + (p * p * p) / 27);
    roots = [Math.cbrt(-q / 2 + s) + Math.cbrt(-q / 2 - s)];
  } else {
    const r = 2 * Math.sqrt(-p / 3);
    const arg = Math.max(-1, Math.min(1, ((3 * q) / (2 * p)) * Math.sqrt(-3 / p)));
    const phi = Math.acos(arg) / 3;
    roots = [0, 1, 2].map((k) => r * Math.cos(phi - (2 * Math.PI * k) / 3));
  }
  const f = (v: number) => v * v * v + p * v + q;
  const df = (v: number) => 3 * v * v + p;
  return roots
    .map((v) => {
      for (let it = 0; it < 2; it++) {
        const d = df(v);
        if (d !== 0) v -= f(v) / d;
      }
      return v;
    })
    .sort((x, y) => x - y);
}

/** v* over a list of currents: one entry per current with all its real roots. */
export function fhnFixedPointCurve(
  a: number,
  b: number,
  currents: readonly number[],
): { current: number[]; v: number[][] } {
  return {
    current: currents.slice(),
    v: currents.map((I) => fhnFixedPointVoltages(a, b, I)),
  };
}
