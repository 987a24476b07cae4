/**
 * `rnnscope report` end to end (in-process): the committed flip-flop fixture and the builtin
 * systems. The page is self-contained (no http(s) src/href, plotly inflates to the installed
 * bundle byte for byte), names every figure, and embeds exactly the numbers of the JSON file.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { cli } from '../cli/helpers.js';
import { FLIPFLOP, FLIPFLOP_TASK } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'rnnscope-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

/** Content of <script ... id="ID">…</script>. */
function scriptById(html: string, id: string): string | undefined {
  const m = new RegExp(`<script[^>]*id="${id}"[^>]*>([\\s\\S]*?)</script>`).exec(html);
  return m?.[1];
}

interface Numbers {
  figures: Record<string, { numbers: Record<string, unknown> }>;
  summary: { label: string; value: unknown }[];
  sections: { figures: string[] }[];
}

describe('rnnscope report', () => {
  it('flip-flop fixture: HTML, JSON and SVGs; 8 stable corners; self-contained page', async () => {
    const r = await cli(
      'report',
      FLIPFLOP,
      '--task',
      JSON.stringify(FLIPFLOP_TASK),
      '--out',
      at('ff/report.html'),
      '--svg',
      at('ff/svg'),
      '--no-progress',
      '--json',
      at('ff/summary.json'),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fixed points: \d+ \(8 stable/);
    expect(r.stdout).toMatch(/accuracy 100 %/);
    const html = readFileSync(at('ff/report.html'), 'utf8');
    const json = JSON.parse(readFileSync(at('ff/report.json'), 'utf8')) as Numbers;
    const ids = Object.keys(json.figures);
    expect(ids).toEqual(
      expect.arrayContaining([
        'task-panel',
        'training',
        'state-space-3d',
        'state-space-2d',
        'q-histogram',
        'jacobian-spectra',
        'eigenvalues',
        'weights',
      ]),
    );
    // Self-contained: nothing fetched from the network, no external script or stylesheet.
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    for (const id of ids) {
      expect(html).toContain(`id="plot-${id}"`);
      expect(readdirSync(at('ff/svg'))).toContain(`${id}.svg`);
    }
    // The embedded numbers are the JSON file's.
    expect(JSON.parse(scriptById(html, 'rnnscope-numbers')!)).toEqual(json);
    // The embedded figures draw those numbers (spot check: fixed points of the 3-D figure).
    const specs = JSON.parse(scriptById(html, 'rnnscope-figures')!) as {
      id: string;
      data: { name?: string; x?: number[] }[];
    }[];
    expect(specs.map((s) => s.id)).toEqual(ids);
    const ss = json.figures['state-space-3d'].numbers as {
      fixedPoints: { stability: string; point: number[] }[];
    };
    expect(ss.fixedPoints.filter((p) => p.stability === 'stable')).toHaveLength(8);
    const stableTrace = specs[ids.indexOf('state-space-3d')].data.find((t) =>
      t.name?.startsWith('stable fixed'),
    )!;
    expect(stableTrace.x).toEqual(
      ss.fixedPoints.filter((p) => p.stability === 'stable').map((p) => p.point[0]),
    );
    // plotly.js is embedded gzip+base64 and inflates to the installed bundle exactly.
    const gz = scriptById(html, 'plotly-gz')!;
    const plotly = readFileSync(
      createRequire(import.meta.url).resolve('plotly.js-dist-min/plotly.min.js'),
    );
    expect(gunzipSync(Buffer.from(gz, 'base64')).equals(plotly)).toBe(true);
    const size = readFileSync(at('ff/report.html')).length;
    expect(size).toBeLessThan(3e6);
    const summary = JSON.parse(readFileSync(at('ff/summary.json'), 'utf8'));
    expect(summary.htmlBytes).toBe(size);
    expect(summary.figures).toEqual(ids);
    const stable = json.summary.find((s) => s.label === 'stable fixed points');
    expect(stable?.value).toBe(8);
  });

  it('builtin:toy2d: phase portrait with the two stable nodes and the saddle', async () => {
    const r = await cli(
      'report',
      'builtin:toy2d',
      '--out',
      at('toy.html'),
      '--no-progress',
      '--static',
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(at('toy.json'), 'utf8')) as Numbers;
    const pp = json.figures['phase-portrait'].numbers as {
      fixedPoints: { label: string; x: number[] }[];
      nullclines: { lines: number[][][] }[];
    };
    const labels = pp.fixedPoints.map((p) => p.label).sort();
    expect(labels).toEqual(['saddle', 'stable node', 'stable node']);
    expect(pp.nullclines).toHaveLength(2);
    const html = readFileSync(at('toy.html'), 'utf8');
    expect(scriptById(html, 'plotly-gz')).toBeUndefined();
    expect(html.length).toBeLessThan(1e6);
    expect(html).toContain('id="plot-phase-portrait"');
  });

  it('builtin:fitzhugh-nagumo: v* against I_ext on the analytic branch', async () => {
    const r = await cli(
      'report',
      'builtin:fitzhugh-nagumo',
      '--param',
      'I=1',
      '--out',
      at('fhn.html'),
      '--no-progress',
      '--static',
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(at('fhn.json'), 'utf8')) as Numbers;
    const fb = json.figures['fhn-bifurcation'].numbers as {
      maxAbsError: number;
      points: unknown[];
    };
    expect(fb.points.length).toBeGreaterThanOrEqual(11);
    expect(fb.maxAbsError).toBeLessThan(1e-3);
    expect(json.figures['phase-portrait']).toBeDefined();
  });

  it('usage and data errors', async () => {
    const a = await cli('report', 'builtin:toy2d', '--task', 'flipflop', '--out', at('x.html'));
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--task applies to model files/);
    const b = await cli('report', FLIPFLOP, '--task', 'nosuch', '--out', at('x.html'));
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/not a task name/);
    const c = await cli(
      'report',
      FLIPFLOP,
      '--task',
      'sine',
      '--out',
      at('x.html'),
      '--no-progress',
    );
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/needs 1 and 1/);
    const e = await cli('report', FLIPFLOP, '--input', '1,2', '--out', at('x.html'));
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/--input has 2 values/);
    const saved = process.env.RNNSCOPE_CHROMIUM;
    process.env.RNNSCOPE_CHROMIUM = '/nonexistent/chromium';
    try {
      const f = await cli('report', 'builtin:toy2d', '--png', at('png'), '--out', at('x.html'));
      expect(f.code).toBe(1);
      expect(f.stderr).toMatch(/cannot write PNG figures: no Chromium at \/nonexistent\/chromium/);
    } finally {
      if (saved === undefined) delete process.env.RNNSCOPE_CHROMIUM;
      else process.env.RNNSCOPE_CHROMIUM = saved;
    }
    expect(existsSync(at('x.html'))).toBe(false);
  });

  it('SIGINT during the fixed-point search still writes the (partial) report and exits 1', async () => {
    let stderr = '';
    let sent = false;
    const code = await runCli(
      ['report', FLIPFLOP, '--task', 'flipflop', '--out', at('int.html'), '--static'],
      {
        stdout: { write: () => true },
        stderr: {
          write: (s: string) => {
            stderr += s;
            if (!sent && s.includes('fixed points')) {
              sent = true;
              process.emit('SIGINT');
            }
            return true;
          },
        },
      },
    );
    expect(sent).toBe(true);
    expect(code).toBe(1);
    expect(stderr).toMatch(/interrupted: the partial report was written/);
    const json = JSON.parse(readFileSync(at('int.json'), 'utf8'));
    expect(json.interrupted).toBe(true);
    expect(Object.keys(json.figures)).toContain('task-panel');
  });
});
