/**
 * The figure contract shared by the HTML report, the static SVG renderer and the browser
 * explorer: a figure is plain JSON — plotly.js traces and layout, plus `numbers`, exactly the
 * values it plots (for the report's JSON file and for tests). Nothing here touches the DOM.
 */

/** One plotly.js trace (`scatter`, `scatter3d`, `bar`, …) as plain JSON. */
export interface PlotlyTrace {
  type: string;
  name?: string;
  [key: string]: unknown;
}

/** A figure: plotly.js `data` and `layout`, and the numbers it shows. */
export interface Figure {
  /** Stable identifier (`state-space-3d`, `eigenvalues`, …), unique within a report. */
  id: string;
  title: string;
  data: PlotlyTrace[];
  layout: Record<string, unknown>;
  /** Exactly what is plotted, as plain JSON (finite numbers, arrays, strings). */
  numbers: Record<string, unknown>;
}

/** A complex number as [re, im]. */
export type ComplexPair = [number, number];
