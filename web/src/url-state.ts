/**
 * What the URL holds, so a view can be shared: the example, the frozen input, the seed of the
 * search and the selected fixed point (`?example=flipflop&input=0,0,0&fp=3`). A dropped file is
 * not in the URL (it never leaves the browser); its input and point are.
 */
export interface UrlState {
  example?: string;
  input?: number[];
  seed?: number;
  fp?: number;
}

export function readUrlState(search: string): UrlState {
  const q = new URLSearchParams(search);
  const state: UrlState = {};
  const example = q.get('example');
  if (example) state.example = example;
  const input = q.get('input');
  if (input !== null) {
    const values = input === '' ? [] : input.split(',').map(Number);
    if (values.every(Number.isFinite)) state.input = values;
  }
  const seed = Number(q.get('seed'));
  if (q.has('seed') && Number.isInteger(seed) && seed >= 0) state.seed = seed;
  const fp = Number(q.get('fp'));
  if (q.has('fp') && Number.isInteger(fp) && fp >= 0) state.fp = fp;
  return state;
}

export function urlSearch(state: UrlState): string {
  const q = new URLSearchParams();
  if (state.example) q.set('example', state.example);
  if (state.input && state.input.length > 0) q.set('input', state.input.join(','));
  if (state.seed !== undefined && state.seed !== 0) q.set('seed', String(state.seed));
  if (state.fp !== undefined) q.set('fp', String(state.fp));
  const s = q.toString().replace(/%2C/g, ',');
  return s ? `?${s}` : '';
}
