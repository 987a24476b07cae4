/**
 * Axis scales and tick positions for the static renderer: linear and log10 scales mapping data
 * to pixels, and "nice" ticks (1, 2, 5 × 10^k), as d3-scale does.
 */

export interface Scale {
  type: 'linear' | 'log';
  /** Data range [lo, hi] (for log axes: data units, both > 0). */
  domain: [number, number];
  /** Pixel range. */
  range: [number, number];
  map(v: number): number;
  ticks(): number[];
  format(v: number): string;
}

/** Step of about `count` nice ticks over [lo, hi]. */
export function niceStep(lo: number, hi: number, count: number): number {
  const span = Math.abs(hi - lo) || Math.abs(lo) || 1;
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

/** Ticks k·step within [lo, hi]. */
export function linearTicks(lo: number, hi: number, count = 6): number[] {
  const step = niceStep(lo, hi, count);
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let k = first; k <= last && out.length < 50; k++)
    out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** Short tick text: up to 4 significant digits, exponent form for very small or large values. */
export function tickFormat(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const e = Math.floor(Math.log10(a));
    const m = Number((v / 10 ** e).toPrecision(3));
    return m === 1 ? `1e${e}` : m === -1 ? `−1e${e}` : `${String(m).replace('-', '−')}e${e}`;
  }
  return String(Number(v.toPrecision(4))).replace('-', '−');
}

export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return {
    type: 'linear',
    domain,
    range,
    map: (v) => r0 + (v - d0) * k,
    ticks: () => linearTicks(Math.min(d0, d1), Math.max(d0, d1)),
    format: tickFormat,
  };
}

export function logScale(domain: [number, number], range: [number, number]): Scale {
  const l0 = Math.log10(domain[0]);
  const l1 = Math.log10(domain[1]);
  const inner = linearScale([l0, l1], range);
  return {
    type: 'log',
    domain,
    range,
    map: (v) => (v > 0 ? inner.map(Math.log10(v)) : NaN),
    ticks: () => {
      const lo = Math.ceil(Math.min(l0, l1) - 1e-9);
      const hi = Math.floor(Math.max(l0, l1) + 1e-9);
      const step = Math.max(1, Math.ceil((hi - lo + 1) / 8));
      const out: number[] = [];
      for (let e = lo; e <= hi; e += step) out.push(10 ** e);
      return out;
    },
    format: (v) => `1e${Math.round(Math.log10(v))}`,
  };
}

/** [lo, hi] of the finite values (and `include`), padded by `pad` of the span; [−1, 1] when empty. */
export function dataExtent(
  values: Iterable<number>,
  pad = 0.05,
  include: number[] = [],
): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  for (const v of include) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(lo <= hi)) return [-1, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}
