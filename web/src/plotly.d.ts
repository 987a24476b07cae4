/** The part of plotly.js (plotly.js-dist-min ships no types) that the explorer uses. */
declare module 'plotly.js-dist-min' {
  export interface PlotlyPoint {
    curveNumber: number;
    pointNumber: number;
    customdata?: unknown;
    x?: number;
    y?: number;
    z?: number;
  }
  export interface PlotlyEvent {
    points: PlotlyPoint[];
  }
  export interface PlotlyElement extends HTMLElement {
    on(event: 'plotly_click' | 'plotly_hover', cb: (e: PlotlyEvent) => void): void;
    removeAllListeners(event: string): void;
    data: Record<string, unknown>[];
    layout: Record<string, unknown>;
  }
  type Data = Record<string, unknown>[];
  type Layout = Record<string, unknown>;
  const Plotly: {
    react(
      el: HTMLElement,
      data: Data,
      layout: Layout,
      config?: Record<string, unknown>,
    ): Promise<PlotlyElement>;
    restyle(el: HTMLElement, update: Record<string, unknown>, traces?: number[]): Promise<void>;
    relayout(el: HTMLElement, update: Record<string, unknown>): Promise<void>;
    purge(el: HTMLElement): void;
    Plots: { resize(el: HTMLElement): void };
  };
  export default Plotly;
}
