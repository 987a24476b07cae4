/**
 * plotly.js, loaded on demand: the page asks for it at start-up and the worker computes the
 * first fixed points while its 4.6 MB are parsed, instead of after.
 */
import type PlotlyModule from 'plotly.js-dist-min';

export type Plotly = typeof PlotlyModule;

let loading: Promise<Plotly> | undefined;

export function loadPlotly(): Promise<Plotly> {
  loading ??= import('plotly.js-dist-min').then((m) => m.default);
  return loading;
}
