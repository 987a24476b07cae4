/**
 * The explorer end to end (issue 7's "done when"): `rnnscope serve` (in-process through runCli,
 * on a free port) serves web/dist; Debian's headless Chromium, driven by playwright-core, loads
 * the flip-flop example, waits for the fixed points, clicks points in the 3-D plot with the
 * mouse, and the stability the page shows is checked against the library's own answer computed
 * here (findFixedPoints on the same model file and input, from this test's own starts). Then a
 * trajectory is launched from a saddle along its unstable eigenvector and must settle at a stable
 * point, an input pulse must flip the flip-flop's bit, and a screenshot is decoded and checked
 * for a drawn, coloured canvas.
 *
 * web/dist is built here (vite's build API, ~6 s) when it is missing or older than web/'s
 * sources; otherwise the package build's (`npm run build` → build:web) is used.
 * Skips, saying why, without Chromium (RNNSCOPE_CHROMIUM, default /usr/bin/chromium) or
 * playwright-core.
 */
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchModelSystem } from '../../src/analysis/batch.js';
import { findFixedPoints } from '../../src/analysis/fixed-points/drivers.js';
import { sampleStates, stackStates } from '../../src/analysis/fixed-points/initial-states.js';
import { offManifoldStates, simulateForSampling } from '../../src/analysis/fixed-points/prepare.js';
import type { FixedPoint } from '../../src/analysis/fixed-points/types.js';
import { runCli } from '../../src/cli/program.js';
import { loadModelSync } from '../../src/io/model-file.js';
import { serializeModel } from '../../src/io/model-serialize.js';
import { createRng } from '../../src/random/rng.js';
import { colourCensus, decodePng } from './png.js';
import { browserSkipReason, chromiumPath, playwright } from '../helpers/chromium.js';

// page.evaluate callbacks run in the browser; this file is compiled without the DOM library.
interface PageElement {
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  value?: string;
  getBoundingClientRect(): { left: number; top: number };
}
declare const document: {
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  body: PageElement;
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const webDir = join(root, 'web');
const distIndex = join(webDir, 'dist', 'index.html');
const fixture = join(root, 'test', 'fixtures', 'flipflop', 'flipflop-rnn16.json');
const skipReason = browserSkipReason();
if (skipReason) console.warn(`[explorer-e2e] skipped: ${skipReason}`);

/** Newest modification time under web/ sources (not dist). */
function newestSource(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'dist' || name === 'node_modules') continue;
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newestSource(p) : s.mtimeMs);
  }
  return t;
}

async function ensureBuilt(): Promise<string> {
  if (existsSync(distIndex) && statSync(distIndex).mtimeMs >= newestSource(webDir))
    return 'existing build';
  const { build } = await import('vite');
  await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'error' });
  return 'built now';
}

/** Screen position of fixed point `index` in the 3-D plot, from plotly's camera matrices. */
async function pointOnScreen(page: Page, index: number): Promise<{ x: number; y: number }> {
  const pos = await page.evaluate((which) => {
    type Scene = {
      glplot: { cameraParams: { projection: number[]; view: number[]; model: number[] } };
      dataScale: number[];
    };
    const gd = document.getElementById('plot') as unknown as {
      _fullLayout: {
        scene: { _scene: Scene; domain: { x: number[]; y: number[] } };
        _size: { l: number; t: number; w: number; h: number };
      };
      _fullData: { customdata?: (number | null)[]; x: number[]; y: number[]; z: number[] }[];
      getBoundingClientRect(): { left: number; top: number };
    };
    const { _scene: scene, domain } = gd._fullLayout.scene;
    const cam = scene.glplot.cameraParams;
    // Column-major 4×4 times a vector, as gl-matrix and plotly's annotation code do.
    const mul = (m: number[], v: number[]) => {
      const r = [0, 0, 0, 0];
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) r[j] += m[4 * i + j] * v[i];
      return r;
    };
    for (const t of gd._fullData) {
      const k = t.customdata ? t.customdata.indexOf(which) : -1;
      if (k < 0) continue;
      const d = scene.dataScale;
      const c = mul(
        cam.projection,
        mul(cam.view, mul(cam.model, [t.x[k] * d[0], t.y[k] * d[1], t.z[k] * d[2], 1])),
      );
      const size = gd._fullLayout._size;
      const rect = gd.getBoundingClientRect();
      return {
        x:
          rect.left +
          size.l +
          domain.x[0] * size.w +
          0.5 * (1 + c[0] / c[3]) * size.w * (domain.x[1] - domain.x[0]),
        y:
          rect.top +
          size.t +
          (1 - domain.y[1]) * size.h +
          0.5 * (1 - c[1] / c[3]) * size.h * (domain.y[1] - domain.y[0]),
      };
    }
    return null;
  }, index);
  if (!pos) throw new Error(`fixed point #${index} is not drawn`);
  return pos;
}

/** A real click: plotly's 3-D scenes pick while the button is held through a render. */
async function clickAt(page: Page, p: { x: number; y: number }): Promise<void> {
  await page.mouse.move(p.x, p.y);
  await page.mouse.down();
  await page.waitForTimeout(120);
  await page.mouse.up();
}

const parseVector = (text: string): number[] =>
  text
    .replace(/[()]/g, '')
    .split(',')
    .map((s) => Number(s.trim()));

describe.skipIf(skipReason !== undefined)(
  `explorer in Chromium via rnnscope serve${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let browser: Browser;
    let page: Page;
    let served: Promise<number>;
    let url = '';
    let stdout = '';
    let library: FixedPoint[] = [];

    beforeAll(async () => {
      const how = await ensureBuilt();
      served = runCli(['serve', '--port', '0'], {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stdout += s) },
      });
      for (let i = 0; i < 100 && !/http:\/\/\S+/.test(stdout); i++)
        await new Promise((r) => setTimeout(r, 50));
      url = /http:\/\/\S+/.exec(stdout)?.[0] ?? '';
      if (!url) throw new Error(`rnnscope serve printed no URL: ${stdout}`);
      console.log(`[explorer-e2e] web/dist: ${how}; serving ${url}`);

      // The library's own answer: the same model file and input, this test's own starts.
      const { params } = loadModelSync(fixture);
      const u = new Float64Array(3);
      const rng = createRng('explorer e2e');
      const target = { kind: 'model' as const, params, input: u };
      const visited = simulateForSampling(target, { runs: 32, steps: 100, rng: rng.fork('t') });
      const starts = stackStates(
        sampleStates(visited.states, 600, rng.fork('s'), { replace: true, noise: 0.5 }),
        offManifoldStates(target, visited, 16, rng.fork('o')),
      );
      library = findFixedPoints(batchModelSystem(params, u), starts).fixedPoints;

      browser = await playwright!.chromium.launch({
        executablePath: chromiumPath,
        args: [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--enable-unsafe-swiftshader',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    });

    afterAll(async () => {
      await browser?.close();
      if (served) {
        process.emit('SIGINT');
        expect(await served).toBe(0);
      }
    });

    it('loads the flip-flop, finds its fixed points, shows the library stability of clicked points', async () => {
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      const t0 = Date.now();
      await page.goto(`${url}?example=flipflop&input=0,0,0`);
      await page.waitForSelector('body[data-ready]', { timeout: 20_000 });
      const firstMs = Number(await page.getAttribute('body', 'data-first-fixed-points-ms'));
      const scriptMs = Number(await page.getAttribute('body', 'data-script-start-ms'));
      const env = await page.textContent('#env');
      console.log(
        `[explorer-e2e] fixed points drawn ${firstMs} ms after navigation (the script started at ${scriptMs} ms; ${Date.now() - t0} ms after goto); ${env}`,
      );
      expect(problems).toEqual([]);
      // Served with COOP/COEP: the page is cross-origin isolated and the pool has its threads.
      expect(await page.getAttribute('#env', 'data-isolated')).toBe('true');

      // The golden check of the flip-flop: 8 stable points, as the library finds.
      const items = await page.$$eval('#fp-list button', (bs) =>
        bs.map((b) => b.textContent ?? ''),
      );
      const shownStable = items.filter(
        (t) => /stable node|stable spiral/.test(t) && !/unstable/.test(t),
      );
      expect(shownStable).toHaveLength(8);
      expect(library.filter((p) => p.stability === 'stable')).toHaveLength(8);

      // Click one unstable and one stable point in the 3-D plot.
      const unstableIndex = items.findIndex((t) => /saddle/.test(t));
      const stableIndex = items.findIndex((t) => /stable node/.test(t) && !/unstable/.test(t));
      for (const index of [unstableIndex, stableIndex]) {
        const at = await pointOnScreen(page, index);
        if (index === unstableIndex) {
          // plotly's own WebGL picking agrees on what lies there (an independent check of the
          // projection; stable points are often covered by the trajectories that end on them).
          await page.mouse.move(at.x, at.y);
          await page.waitForFunction(
            (i) =>
              [...document.querySelectorAll('#plot .hovertext')].some((e) =>
                e.textContent?.startsWith(`#${i} `),
              ),
            index,
            { timeout: 5000 },
          );
        }
        await clickAt(page, at);
        await page.waitForSelector(`#fp-details[data-index="${index}"]`, { timeout: 5000 });
        const z = parseVector((await page.textContent('#fp-details [data-field=output]')) ?? '');
        // The library's point with this readout (shown to 4 significant digits).
        const byDistance = library
          .map((p) => ({ p, d: Math.hypot(...p.output!.map((v, i) => v - z[i])) }))
          .sort((a, b) => a.d - b.d);
        expect(byDistance[0].d).toBeLessThan(2e-3);
        expect(byDistance[1].d).toBeGreaterThan(10 * byDistance[0].d);
        const want = byDistance[0].p;
        const shown = await page.$eval('#fp-details', (e) => ({
          ...(e as unknown as PageElement).dataset,
        }));
        expect(shown.stability).toBe(want.stability);
        expect(shown.label).toBe(want.label);
        expect(Number(shown.unstableDims)).toBe(want.unstableDims);
        const text = (await page.textContent('#fp-details [data-field=stability]')) ?? '';
        expect(text).toContain(want.label!);
        // Leading multiplier |μ₁|, shown to 4 digits, against the library's.
        const firstRow = await page.$$eval(
          '#fp-details table.eig tr',
          (rows) => rows[1]?.textContent ?? '',
        );
        const lead = Math.hypot(...want.eigenvalues![0]);
        expect(firstRow).toContain(String(Number(lead.toPrecision(4))));
      }
    });

    it('launches from a saddle along its unstable eigenvector, and a pulse flips a bit', async () => {
      const items = await page.$$eval('#fp-list button', (bs) =>
        bs.map((b) => b.textContent ?? ''),
      );
      const saddle = items.findIndex((t) => /saddle, 1 unstable/.test(t));
      await page.click(`#fp-list button[data-index="${saddle}"]`);
      await page.waitForSelector(`#fp-details[data-index="${saddle}"]`);
      await page.click('#launch-plus');
      await page.waitForFunction(
        () => document.getElementById('path-status')?.dataset.nearest,
        null,
        { timeout: 10_000 },
      );
      const ended = (await page.textContent('#path-status')) ?? '';
      expect(ended).toMatch(/^settled at #\d+ \(stable (node|spiral)\)/);

      // From a stable corner, a pulse of −2·sign(z₁) on input 1 must carry the state to the
      // corner with z₁ flipped and z₂, z₃ kept: the task the network was trained on.
      const corner = items.findIndex((t) => /stable node/.test(t) && !/unstable/.test(t));
      await page.click(`#fp-list button[data-index="${corner}"]`);
      await page.waitForSelector(`#fp-details[data-index="${corner}"]`);
      const z0 = parseVector((await page.textContent('#fp-details [data-field=output]')) ?? '');
      await page.evaluate(() => (document.getElementById('path-status')!.dataset.nearest = ''));
      await page.fill('#pulse-amplitude', String(-2 * Math.sign(z0[0])));
      await page.fill('#pulse-steps', '1');
      await page.fill('#pulse-total', '60');
      await page.click('#pulse');
      await page.waitForFunction(
        () => document.getElementById('path-status')?.dataset.nearest,
        null,
        { timeout: 10_000 },
      );
      expect(await page.textContent('#path-status')).toMatch(
        /^settled at #\d+ \(stable (node|spiral)\)/,
      );
      const to = Number(await page.getAttribute('#path-status', 'data-nearest'));
      const destination = library.find(
        (p) =>
          p.stability === 'stable' &&
          Math.sign(p.output![0]) === -Math.sign(z0[0]) &&
          Math.sign(p.output![1]) === Math.sign(z0[1]) &&
          Math.sign(p.output![2]) === Math.sign(z0[2]),
      );
      expect(destination).toBeDefined();
      await page.click(`#fp-list button[data-index="${to}"]`);
      await page.waitForSelector(`#fp-details[data-index="${to}"]`);
      const z1 = parseVector((await page.textContent('#fp-details [data-field=output]')) ?? '');
      expect(Math.hypot(...z1.map((v, i) => v - destination!.output![i]))).toBeLessThan(2e-3);
      await page.waitForTimeout(300); // let the animation reach its last frame

      // Screenshot: the plot area must be drawn — background, axes, blue trajectories, black
      // stable and red unstable points.
      const png = await page.screenshot();
      const file = join(tmpdir(), 'rnnscope-explorer-e2e.png');
      writeFileSync(file, png);
      console.log(`[explorer-e2e] screenshot: ${file}`);
      const box = (await page.locator('#plot').boundingBox())!;
      const census = colourCensus(decodePng(png), box);
      const keys = [...census.entries()].filter(([, n]) => n >= 20).map(([k]) => k);
      const rgb = (k: number) => [(k >> 10) << 3, ((k >> 5) & 31) << 3, (k & 31) << 3];
      expect(keys.length).toBeGreaterThan(8);
      expect(keys.some((k) => rgb(k).every((c) => c < 48))).toBe(true); // black points
      expect(
        keys.some((k) => {
          const [r, g, b] = rgb(k);
          return r > 180 && g < 90 && b < 90;
        }),
      ).toBe(true); // red
      expect(
        keys.some((k) => {
          const [r, , b] = rgb(k);
          return b > 150 && r < 140;
        }),
      ).toBe(true); // blue
    });

    it('loads a dropped model file with its safetensors sidecar (hash checked in the browser)', async () => {
      const { params } = loadModelSync(fixture);
      const dir = mkdtempSync(join(tmpdir(), 'rnnscope-explorer-drop-'));
      const saved = serializeModel(params, { sidecar: true, sidecarFile: 'ff.safetensors' });
      writeFileSync(join(dir, 'ff.json'), saved.json);
      writeFileSync(join(dir, 'ff.safetensors'), saved.sidecar!.bytes);
      // Without the sidecar: a message naming it.
      await page.setInputFiles('#file', [join(dir, 'ff.json')]);
      await page.waitForFunction(
        () => document.getElementById('error')?.textContent?.includes('ff.safetensors'),
        null,
        { timeout: 10_000 },
      );
      // With it: the same network, the same 8 stable points.
      const before = await page.getAttribute('body', 'data-ready');
      await page.setInputFiles('#file', [join(dir, 'ff.json'), join(dir, 'ff.safetensors')]);
      await page.waitForFunction((b) => document.body.dataset.ready !== b, before, {
        timeout: 20_000,
      });
      const items = await page.$$eval('#fp-list button', (bs) =>
        bs.map((b) => b.textContent ?? ''),
      );
      expect(
        items.filter((t) => /stable (node|spiral)/.test(t) && !/unstable/.test(t)),
      ).toHaveLength(8);
      expect(await page.$eval('#example', (e) => (e as unknown as PageElement).value)).toBe('');
    });
  },
);
