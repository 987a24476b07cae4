/**
 * The static renderer: well-formed SVG (parsed by Python's XML parser, or a tag-balance check
 * without Python) with one mark per plotted point, one path per line run, one rect per bar.
 */
import { describe, expect, it } from 'vitest';
import { projectFixedPoints } from '../../src/analysis/index.js';
import { modelSpectrum } from '../../src/analysis/spectrum/index.js';
import {
  eigenvalueFigure,
  phasePlane,
  phasePortraitFigure,
  qHistogramFigure,
  renderSvg,
  stateSpaceFigure,
  taskPanelFigure,
  weightHistogramFigure,
  type Figure,
} from '../../src/report/index.js';
import { toy2d } from '../../src/systems/index.js';
import { hasPython, runPython } from '../helpers/python.js';
import { countMarks, flipflop } from './helpers.js';

/** Tag balance and attribute quoting, for when Python is not there. */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)([^>]*?)(\/?)>/g)) {
    const [, close, name, attrs, self] = m;
    if (/=\s*[^"\s>]/.test(attrs.replace(/="[^"]*"/g, ''))) return false;
    if (self) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name);
  }
  return stack.length === 0;
}

function wellFormed(svgs: string[]): void {
  for (const s of svgs) expect(balanced(s)).toBe(true);
  if (!hasPython()) return;
  const r = runPython<{ ok: boolean[]; roots: string[] }>(
    `
import xml.etree.ElementTree as ET
ok, roots = [], []
for s in inp:
    try:
        r = ET.fromstring(s); ok.append(True); roots.append(r.tag)
    except ET.ParseError as e:
        ok.append(False); roots.append(str(e))
out({'ok': ok, 'roots': roots})
`,
    svgs,
  );
  expect(r.roots.every((t) => t === '{http://www.w3.org/2000/svg}svg')).toBe(true);
  expect(r.ok.every(Boolean)).toBe(true);
}

/** Number of runs of ≥ 2 consecutive finite points. */
function runs(xs: unknown[], ys: unknown[]): number {
  let n = 0;
  let len = 0;
  for (let i = 0; i <= xs.length; i++) {
    const ok = i < xs.length && typeof xs[i] === 'number' && typeof ys[i] === 'number';
    if (ok) len++;
    else {
      if (len >= 2) n++;
      len = 0;
    }
  }
  return n;
}

function expectMarks(fig: Figure, svg: string): void {
  fig.data.forEach((t, i) => {
    const xs = (t.x as unknown[]) ?? [];
    const ys = (t.y as unknown[]) ?? [];
    const mode = String(t.mode ?? '');
    if (t.type === 'bar') {
      expect(countMarks(svg, 'bar', i)).toBe(xs.length);
      return;
    }
    const finite = xs.filter((x, k) => typeof x === 'number' && typeof ys[k] === 'number').length;
    expect(countMarks(svg, 'point', i)).toBe(mode.includes('markers') ? finite : 0);
    if (mode.includes('lines') && t.type !== 'scatter3d')
      expect(countMarks(svg, 'line', i)).toBe(runs(xs, ys));
  });
}

describe('renderSvg', () => {
  const d = flipflop();
  const figures: Figure[] = [];
  const proj3 = projectFixedPoints(d.states, d.fp.fixedPoints, 'map', { components: 3 });
  const proj2 = projectFixedPoints(d.states, d.fp.fixedPoints, 'map', { components: 2 });
  figures.push(
    stateSpaceFigure({ projection: proj3, fixedPoints: d.fp.fixedPoints, maxTrajectories: 3 }),
    stateSpaceFigure({
      projection: proj2,
      fixedPoints: d.fp.fixedPoints,
      maxTrajectories: 2,
      colorBy: {
        label: 'z1',
        values: d.outputs.map((z) => Array.from({ length: z.rows }, (_, t) => z.data[3 * t])),
      },
    }),
    taskPanelFigure({
      inputs: d.trials[0].inputs,
      targets: d.trials[0].targets,
      outputs: d.outputs[0],
    }),
    eigenvalueFigure({ spectrum: modelSpectrum(d.model) }),
    weightHistogramFigure({ sets: [{ name: 'W', values: d.loaded.params.W.data }] }),
    qHistogramFigure({ result: d.fp }),
    phasePortraitFigure({
      plane: phasePlane(toy2d(), {
        xRange: [-2, 2],
        yRange: [-1.5, 1.5],
        trajectories: { starts: [[0.5, 1]], steps: 100, dt: 0.05 },
      }),
      fixedPoints: [],
    }),
  );
  const svgs = figures.map((f) => renderSvg(f));

  it('writes well-formed standalone SVG documents', () => {
    wellFormed(svgs);
    for (const [k, s] of svgs.entries()) {
      expect(s.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(s).toContain(`data-figure="${figures[k].id}"`);
      expect(s).not.toMatch(/NaN|undefined|Infinity/);
    }
  });

  it('draws one mark per point, one path per line run and one rect per bar', () => {
    figures.forEach((f, k) => expectMarks(f, svgs[k]));
  });

  it('draws the 8 stable corners of the flip-flop in black in the 3-D view', () => {
    const f = figures[0];
    const i = f.data.findIndex((t) => String(t.name).startsWith('stable fixed'));
    expect(countMarks(svgs[0], 'point', i)).toBe(8);
    const black = svgs[0].match(
      new RegExp(`class="point" data-trace="${i}"[^>]*fill="#000000"`, 'g'),
    );
    expect(black).toHaveLength(8);
  });

  it('keeps equal aspect: the unit circle is drawn as a circle', () => {
    const svg = svgs[3];
    const path = svg.match(/class="line" data-trace="0" d="([^"]+)"/)![1];
    const pts = path
      .split(/[ML]/)
      .filter(Boolean)
      .map((p) => p.split(',').map(Number));
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const w = Math.max(...xs) - Math.min(...xs);
    const h = Math.max(...ys) - Math.min(...ys);
    expect(Math.abs(w - h)).toBeLessThan(0.02 * w);
  });
});
