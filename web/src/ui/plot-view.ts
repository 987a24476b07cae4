/**
 * The main picture: the report's state-space figure (3-D PCA) or phase portrait (2-D), plus
 * the explorer's own overlays — the selected point and the animated path. Clicking a fixed
 * point selects it; clicking empty space of a phase portrait starts a trajectory there.
 */
import type { PlotlyElement } from 'plotly.js-dist-min';
import { loadPlotly, type Plotly } from './plotly.js';
import type { FixedPoint } from '../../../src/analysis/fixed-points/types.js';
import { phasePortraitFigure } from '../../../src/report/figures/phase-portrait.js';
import { stateSpaceFigure } from '../../../src/report/figures/state-space.js';
import type { Figure } from '../../../src/report/types.js';
import type { AnalysisView, PathView, SubjectInfo } from '../protocol.js';

const PATH_COLOR = '#1f77b4';
const SELECT_COLOR = '#ff9800';

export interface PlotHandlers {
  select(index: number): void;
  /** Phase portraits: a click on empty space, in state coordinates. */
  start(state: number[]): void;
}

/** Attaches each marker's fixed-point index as customdata, matching drawn coordinates. */
function tagPoints(fig: Figure, coords: { index: number; at: number[] }[]): void {
  for (const trace of fig.data) {
    if (trace.mode !== 'markers' || !Array.isArray(trace.x) || trace.hoverinfo !== 'text') continue;
    const xs = trace.x as number[];
    const ys = trace.y as number[];
    const zs = trace.z as number[] | undefined;
    trace.customdata = xs.map((x, i) => {
      const hit = coords.find(
        (c) => c.at[0] === x && c.at[1] === ys[i] && (zs === undefined || c.at[2] === zs[i]),
      );
      return hit ? hit.index : null;
    });
  }
}

export function createPlotView(div: HTMLElement, handlers: PlotHandlers) {
  let three = false;
  let selectedTrace = -1;
  let pathTrace = -1;
  let headTrace = -1;
  let points: number[][] = [];
  let animation = 0;
  let finish: (() => void) | undefined;
  let pointClicked = false;
  let selected: number | null = null;
  let gd: PlotlyElement | undefined;
  /** Set by the first `show`; everything else runs after it. */
  let P: Plotly | undefined;

  function coordsOf(pts: number[][]): Record<string, number[]> {
    const o: Record<string, number[]> = { x: pts.map((p) => p[0]), y: pts.map((p) => p[1]) };
    if (three) o.z = pts.map((p) => p[2]);
    return o;
  }

  async function show(
    a: AnalysisView,
    info: SubjectInfo,
    fixedPoints: FixedPoint[],
  ): Promise<void> {
    cancelAnimation();
    selected = null;
    let fig: Figure;
    if (a.projection) {
      three = true;
      fig = stateSpaceFigure({
        projection: a.projection,
        fixedPoints,
        title: `${info.name}: state space`,
      });
      points = a.projection.fixedPoints.map((p) => p.point);
      tagPoints(
        fig,
        a.projection.fixedPoints.map((p) => ({ index: p.index, at: p.point })),
      );
    } else if (a.phase) {
      three = false;
      const names: [string, string] = info.name.includes('FitzHugh')
        ? ['v', 'w']
        : info.kind === 'model'
          ? ['x1', 'x2']
          : ['x', 'y'];
      fig = phasePortraitFigure({
        plane: a.phase,
        fixedPoints,
        names,
        title: `${info.name}: phase portrait`,
        subtitle: 'click anywhere to start a trajectory there',
      });
      points = fixedPoints.map((p) => p.x);
      tagPoints(
        fig,
        fixedPoints.map((p, index) => ({ index, at: p.x })),
      );
    } else {
      throw new Error('analysis without a picture');
    }
    if (three)
      for (const t of fig.data)
        if (Array.isArray(t.customdata)) t.marker = { ...(t.marker as object), size: 7 };
    const type = three ? 'scatter3d' : 'scatter';
    const empty = three ? { x: [], y: [], z: [] } : { x: [], y: [] };
    const data = [
      ...fig.data,
      {
        type,
        mode: 'markers',
        name: 'selected',
        ...empty,
        marker: {
          size: three ? 12 : 20,
          color: 'rgba(0,0,0,0)',
          line: { color: SELECT_COLOR, width: 3 },
          symbol: three ? 'circle-open' : 'circle-open',
        },
        hoverinfo: 'skip',
        showlegend: false,
      },
      {
        type,
        mode: 'lines',
        name: 'path',
        ...empty,
        line: { color: PATH_COLOR, width: three ? 5 : 2.5 },
        hoverinfo: 'skip',
      },
      {
        type,
        mode: 'markers',
        name: 'path head',
        ...empty,
        marker: { size: three ? 5 : 9, color: PATH_COLOR },
        hoverinfo: 'skip',
        showlegend: false,
      },
    ];
    selectedTrace = fig.data.length;
    pathTrace = selectedTrace + 1;
    headTrace = selectedTrace + 2;
    const layout: Record<string, unknown> = {
      ...fig.layout,
      uirevision: info.name,
      autosize: true,
    };
    delete layout.height;
    if (three)
      layout.legend = {
        x: 0,
        y: 0.98,
        bgcolor: 'rgba(255,255,255,0.7)',
        font: { size: 11 },
        traceorder: 'reversed',
      };
    P = await loadPlotly();
    gd = await P.react(div, data, layout, {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ['toImage'],
    });
    gd.removeAllListeners('plotly_click');
    gd.on('plotly_click', (e) => {
      const idx = e.points.find((p) => typeof p.customdata === 'number')?.customdata;
      if (typeof idx !== 'number') return;
      pointClicked = true;
      // 3-D scenes report a click from inside a render while the button is down, and every
      // render in that time reports it again: select once, outside the render.
      if (idx === selected) return;
      selected = idx;
      setTimeout(() => handlers.select(idx), 0);
    });
  }

  /**
   * The fixed point drawn within 12 px of a click on the 3-D scene, nearest first. WebGL picking
   * (plotly_click) misses points that a trajectory line ends on — every stable point — so the
   * points are projected with the scene's camera (as plotly places 3-D annotations).
   */
  function pickOnScreen(clientX: number, clientY: number): number | null {
    type Scene = {
      glplot?: { cameraParams?: { projection: number[]; view: number[]; model: number[] } };
      dataScale?: number[];
    };
    const full = (
      gd as unknown as {
        _fullLayout?: {
          scene?: { _scene?: Scene; domain: { x: number[]; y: number[] } };
          _size: { l: number; t: number; w: number; h: number };
        };
      }
    )?._fullLayout;
    const cam = full?.scene?._scene?.glplot?.cameraParams;
    const scale = full?.scene?._scene?.dataScale;
    if (!full?.scene || !cam || !scale) return null;
    const mul = (m: number[], v: number[]) => {
      const r = [0, 0, 0, 0];
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) r[j] += m[4 * i + j] * v[i];
      return r;
    };
    const { x: dx, y: dy } = full.scene.domain;
    const size = full._size;
    const rect = div.getBoundingClientRect();
    let best: number | null = null;
    let bestD = 12;
    points.forEach((p, i) => {
      const c = mul(
        cam.projection,
        mul(cam.view, mul(cam.model, [p[0] * scale[0], p[1] * scale[1], p[2] * scale[2], 1])),
      );
      if (!(c[3] > 0)) return;
      const x =
        rect.left + size.l + dx[0] * size.w + 0.5 * (1 + c[0] / c[3]) * size.w * (dx[1] - dx[0]);
      const y =
        rect.top +
        size.t +
        (1 - dy[1]) * size.h +
        0.5 * (1 - c[1] / c[3]) * size.h * (dy[1] - dy[0]);
      const d = Math.hypot(x - clientX, y - clientY);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    return best;
  }

  // A press and release within 5 px is a click (a drag rotates the scene).
  let down: { x: number; y: number } | undefined;
  div.addEventListener('pointerdown', (ev) => (down = { x: ev.clientX, y: ev.clientY }), true);
  div.addEventListener(
    'pointerup',
    (ev) => {
      if (!three || !down || Math.hypot(ev.clientX - down.x, ev.clientY - down.y) > 5) return;
      const idx = pickOnScreen(ev.clientX, ev.clientY);
      if (idx === null || idx === selected) return;
      selected = idx;
      handlers.select(idx);
    },
    true,
  );

  // Empty-space clicks on a phase portrait: plotly reports clicks on points only, so the drag
  // layer's own click is converted to data coordinates with the axes' current ranges.
  div.addEventListener('click', (ev) => {
    const target = ev.target as Element | null;
    if (three || !gd || !target?.classList.contains('nsewdrag')) return;
    const rect = target.getBoundingClientRect();
    const full = (gd as unknown as { _fullLayout?: Record<string, { range: number[] }> })
      ._fullLayout;
    const xr = full?.xaxis?.range;
    const yr = full?.yaxis?.range;
    if (!xr || !yr) return;
    const x = xr[0] + ((ev.clientX - rect.left) / rect.width) * (xr[1] - xr[0]);
    const y = yr[1] - ((ev.clientY - rect.top) / rect.height) * (yr[1] - yr[0]);
    // plotly_click (a point) fires in the same gesture; give it precedence.
    setTimeout(() => {
      if (!pointClicked) handlers.start([x, y]);
      pointClicked = false;
    }, 0);
  });

  function select(index: number | null): void {
    selected = index;
    if (!gd || selectedTrace < 0) return;
    const at = index === null ? [] : [points[index]].filter(Boolean);
    const c = coordsOf(at);
    void P!.restyle(div, Object.fromEntries(Object.entries(c).map(([k, v]) => [k, [v]])), [
      selectedTrace,
    ]);
  }

  function cancelAnimation(): void {
    if (animation) cancelAnimationFrame(animation);
    animation = 0;
    finish?.();
    finish = undefined;
  }

  /**
   * Draws `path` progressively (about 12 ms per step, 0.6–4 s in all); `onFrame(n)` is told how
   * many points are shown. Resolves when the whole path is drawn or a newer animation starts.
   */
  function animate(path: PathView, onFrame?: (n: number) => void): Promise<void> {
    cancelAnimation();
    const pts = path.points;
    const total = pts.length;
    const duration = Math.min(4000, Math.max(600, 12 * total));
    const t0 = performance.now();
    let shown = 0;
    return new Promise((resolve) => {
      finish = resolve;
      let busy = false;
      const frame = (now: number): void => {
        const n = Math.max(1, Math.min(total, Math.ceil(((now - t0) / duration) * total)));
        if (n !== shown && !busy) {
          shown = n;
          const line = coordsOf(pts.slice(0, n));
          const head = coordsOf([pts[n - 1]]);
          busy = true;
          const update: Record<string, unknown> = {};
          for (const k of Object.keys(line)) update[k] = [line[k], head[k]];
          void P!.restyle(div, update, [pathTrace, headTrace]).then(() => (busy = false));
          onFrame?.(n);
        }
        if (shown < total) animation = requestAnimationFrame(frame);
        else {
          animation = 0;
          finish = undefined;
          resolve();
        }
      };
      animation = requestAnimationFrame(frame);
    });
  }

  function clearPath(): void {
    if (!gd || pathTrace < 0) return;
    cancelAnimation();
    const e = coordsOf([]);
    const update: Record<string, unknown> = {};
    for (const k of Object.keys(e)) update[k] = [[], []];
    void P!.restyle(div, update, [pathTrace, headTrace]);
  }

  return {
    show,
    select,
    animate,
    clearPath,
    get isThreeD() {
      return three;
    },
  };
}

export type PlotView = ReturnType<typeof createPlotView>;
