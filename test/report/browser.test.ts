/**
 * The report in a real browser: Debian's headless Chromium (playwright-core) opens the page from
 * disk with the network unused, the embedded plotly.js inflates and draws every figure
 * (.plot-container per figure, 3-D included when WebGL is there), with no console errors; and the
 * static figures convert to PNG. Skips with the reason when Chromium or playwright-core is absent.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelSync } from '../../src/io/index.js';
import {
  analyseModel,
  pngUnavailable,
  reportFigures,
  svgsToPng,
  writeReport,
  renderSvg,
} from '../../src/report/index.js';
import { createTask } from '../../src/tasks/index.js';
import { FLIPFLOP, FLIPFLOP_TASK } from './helpers.js';

const skipReason = await pngUnavailable();
if (skipReason) console.warn(`[report-browser] skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)(
  `report in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnscope-report-browser-'));
    let browser: Browser;
    let figureIds: string[] = [];
    let svgs: Record<string, string> = {};

    beforeAll(async () => {
      const loaded = loadModelSync(FLIPFLOP);
      const doc = await analyseModel(loaded, { task: createTask(FLIPFLOP_TASK), inits: 256 });
      figureIds = reportFigures(doc).map((f) => f.id);
      svgs = Object.fromEntries(reportFigures(doc).map((f) => [f.id, renderSvg(f)]));
      await writeReport(doc, { html: join(dir, 'report.html') });
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({
        executablePath: process.env.RNNSCOPE_CHROMIUM ?? '/usr/bin/chromium',
        args: [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      });
    });

    afterAll(async () => {
      await browser?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('opens offline from disk and plotly draws every figure without errors', async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('request', (r) => {
        if (!/^(file|data|blob):/.test(r.url())) problems.push(`network request: ${r.url()}`);
      });
      await page.goto(pathToFileURL(join(dir, 'report.html')).href);
      // Page-side code as strings: the test project has no DOM types.
      await page.waitForFunction("document.body.getAttribute('data-plotly') !== 'pending'", null, {
        timeout: 45_000,
      });
      const state = (await page.evaluate(`({
        plotly: document.body.getAttribute('data-plotly'),
        status: document.getElementById('plotly-status').textContent,
        containers: document.querySelectorAll('.plot-container').length,
        interactive: [...document.querySelectorAll('.plot.interactive')].map((e) => e.id),
        svgLeft: [...document.querySelectorAll('.plot > svg')].map((e) => e.parentElement.id),
      })`)) as {
        plotly: string;
        status: string;
        containers: number;
        interactive: string[];
        svgLeft: string[];
      };
      expect(problems).toEqual([]);
      expect(state.plotly).toBe('ready');
      // Every figure is interactive, except 3-D ones when this Chromium has no WebGL (then said so).
      const expected = figureIds.filter((id) => !state.svgLeft.includes(`plot-${id}`));
      expect(state.interactive.sort()).toEqual(expected.map((id) => `plot-${id}`).sort());
      expect(state.containers).toBe(expected.length);
      if (state.svgLeft.length) {
        expect(state.svgLeft).toEqual(['plot-state-space-3d']);
        expect(state.status).toMatch(/no WebGL/);
      }
      const shot = await page.locator('#plot-eigenvalues').screenshot();
      expect(shot.length).toBeGreaterThan(5000);
      await page.close();
    });

    it('converts the static figures to PNG', async () => {
      const pngs = await svgsToPng({ eigenvalues: svgs.eigenvalues }, { scale: 1 });
      const png = pngs.eigenvalues;
      expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
      // IHDR width/height = the SVG's size at scale 1.
      const view = new DataView(png.buffer, png.byteOffset);
      const w = Number(/width="(\d+)"/.exec(svgs.eigenvalues)![1]);
      expect(view.getUint32(16)).toBe(w);
      expect(readFileSync(join(dir, 'report.html')).length).toBeGreaterThan(1e6);
    });
  },
);
