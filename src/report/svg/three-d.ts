/**
 * 3-D scenes (scatter3d) as a fixed orthographic view: each axis scaled to [−1, 1] (plotly's
 * `aspectmode: 'cube'`), viewed from the layout's camera eye with z up, drawn inside the
 * bounding cube's wireframe with the axis titles and end values on three edges.
 */
import type { PlotlyTrace } from '../types.js';
import { esc, plainText, px } from './marks.js';
import { dataExtent, tickFormat } from './scale.js';
import { drawScatter, nums, obj } from './traces.js';

type Vec = [number, number, number];

const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec, b: Vec): Vec => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const unit = (a: Vec): Vec => {
  const n = Math.hypot(...a) || 1;
  return [a[0] / n, a[1] / n, a[2] / n];
};

/**
 * Screen basis for a camera at `eye` looking at the origin with z up: right r = f × z,
 * up u = r × f with f = −eye/|eye|.
 */
export function viewBasis(eye: Vec): { right: Vec; up: Vec } {
  const f = unit([-eye[0], -eye[1], -eye[2]]);
  let right = cross(f, [0, 0, 1]);
  if (Math.hypot(...right) < 1e-9) right = [1, 0, 0];
  right = unit(right);
  return { right, up: unit(cross(right, f)) };
}

/** Renders the scatter3d traces of `data` into the box (x0, y0, w, h). */
export function drawScene(
  data: PlotlyTrace[],
  layout: Record<string, unknown>,
  box: { x: number; y: number; w: number; h: number },
  colorOf: (t: PlotlyTrace, i: number) => string,
): string {
  const scene = obj(layout.scene);
  const traces = data
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.type === 'scatter3d' && t.visible !== false && t.visible !== 'legendonly');
  const ext = (['x', 'y', 'z'] as const).map((k) =>
    dataExtent(
      traces.flatMap(({ t }) => nums(t[k]).filter((v): v is number => v !== null)),
      0.02,
    ),
  );
  const norm = (v: number, k: number) => (2 * (v - ext[k][0])) / (ext[k][1] - ext[k][0]) - 1;
  const eyeSpec = obj(obj(scene.camera).eye);
  const eye: Vec = [
    typeof eyeSpec.x === 'number' ? eyeSpec.x : 1.25,
    typeof eyeSpec.y === 'number' ? eyeSpec.y : 1.25,
    typeof eyeSpec.z === 'number' ? eyeSpec.z : 1.25,
  ];
  const { right, up } = viewBasis(eye);
  // The cube's corners span at most √3 in any direction: fit that into the box.
  const s = (0.5 * Math.min(box.w, box.h)) / Math.sqrt(3);
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  const project = (p: Vec): [number, number] => [cx + s * dot(p, right), cy - s * dot(p, up)];
  const parts: string[] = [];
  // Wireframe of the cube [−1, 1]³.
  const edges: string[] = [];
  for (const a of [-1, 1])
    for (const b of [-1, 1]) {
      const pairs: [Vec, Vec][] = [
        [
          [-1, a, b],
          [1, a, b],
        ],
        [
          [a, -1, b],
          [a, 1, b],
        ],
        [
          [a, b, -1],
          [a, b, 1],
        ],
      ];
      for (const [p, q] of pairs) {
        const [x1, y1] = project(p);
        const [x2, y2] = project(q);
        edges.push(`M${px(x1)},${px(y1)}L${px(x2)},${px(y2)}`);
      }
    }
  parts.push(
    `<path class="frame" d="${edges.join('')}" fill="none" stroke="#d9d9d9" stroke-width="1"/>`,
  );
  // Axis titles and end values on the outer edges: the lowest edge on screen along x and y,
  // the leftmost along z.
  const axes = [scene.xaxis, scene.yaxis, scene.zaxis].map((a) =>
    plainText(String(obj(obj(a).title).text ?? '')),
  );
  for (let k = 0; k < 3; k++) {
    let best: { lo: Vec; hi: Vec; score: number } | undefined;
    for (const a of [-1, 1])
      for (const b of [-1, 1]) {
        const lo: Vec = [0, 0, 0];
        const others = [0, 1, 2].filter((j) => j !== k);
        lo[others[0]] = a;
        lo[others[1]] = b;
        const hi: Vec = [...lo];
        lo[k] = -1;
        hi[k] = 1;
        const mid = project([(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2]);
        const score = k === 2 ? -mid[0] : mid[1];
        if (!best || score > best.score + 1e-9) best = { lo, hi, score };
      }
    const { lo, hi } = best!;
    const [lx, ly] = project(lo);
    const [hx, hy] = project(hi);
    const mx = (lx + hx) / 2;
    const my = (ly + hy) / 2;
    // Push the text away from the centre of the view.
    const dx = mx - cx;
    const dy = my - cy;
    const d = Math.hypot(dx, dy) || 1;
    const ox = (22 * dx) / d;
    const oy = (22 * dy) / d;
    const end = (x: number, y: number, v: number) =>
      `<text x="${px(x + ox * 0.6)}" y="${px(y + oy * 0.6 + 3)}" font-size="9" text-anchor="middle" fill="#777">${esc(tickFormat(v))}</text>`;
    parts.push(
      `<text x="${px(mx + ox)}" y="${px(my + oy + 4)}" font-size="11" text-anchor="middle" fill="#333">${esc(axes[k])}</text>`,
      end(lx, ly, ext[k][0]),
      end(hx, hy, ext[k][1]),
    );
  }
  for (const { t, i } of traces) {
    const xs = nums(t.x);
    const ys = nums(t.y);
    const zs = nums(t.z);
    const pts = xs.map((x, j) => {
      const y = ys[j];
      const z = zs[j];
      if (x === null || y === null || z === null) return null;
      return project([norm(x, 0), norm(y, 1), norm(z, 2)]);
    });
    parts.push(drawScatter(t, i, pts, colorOf(t, i)));
  }
  return parts.join('');
}
