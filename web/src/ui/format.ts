/** Number formatting for the page (4 significant digits; complex numbers as a ± bi). */
export const num = (v: number, digits = 4): string =>
  Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : String(v);

export const complex = ([re, im]: [number, number], digits = 4): string =>
  im === 0
    ? num(re, digits)
    : `${num(re, digits)} ${im < 0 ? '−' : '+'} ${num(Math.abs(im), digits)}i`;

export const vector = (v: readonly number[], digits = 3): string =>
  `(${v.map((x) => num(x, digits)).join(', ')})`;

/** Element helper: tag, attributes/properties, children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = String(v);
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'title' || k === 'style')
      e.setAttribute(k, String(v));
    else (e as unknown as Record<string, unknown>)[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}
