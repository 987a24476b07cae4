/**
 * The wasm kernels and the worker pool in a real browser: headless Chromium loads the built
 * package (dist/, as ESM with no bundler) from a page served on 127.0.0.1, runs a GEMM and a GEMV
 * with web-test/check.js, and returns the results through page.evaluate.
 *
 *  - cross-origin isolated page (COOP same-origin + COEP require-corp): the memory is shared; in
 *    a module worker the pool runs 2 threads, bit-identical to 1; on the page's main thread,
 *    which may not block in Atomics.wait, it falls back to one thread.
 *  - plain page (no headers): no SharedArrayBuffer, so one thread everywhere, still correct.
 *
 * Skips with the reason in its name when there is no Chromium (RNNSCOPE_CHROMIUM, default
 * /usr/bin/chromium), no playwright-core, or no built package (RNNSCOPE_DIST, default dist/:
 * `npm run build`; the test builds nothing itself).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, chromiumPath, playwright } from '../helpers/chromium.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const distDir = resolve(process.env.RNNSCOPE_DIST ?? join(root, 'dist'));
const webDir = join(root, 'web-test');
const N = 160; // 2N³ ≈ 8·10⁶ flops and a 4N×N GEMV of 2·10⁵: both above the pool's thresholds
const EPS = 2 ** -52;

const skipReason =
  browserSkipReason() ??
  (!existsSync(join(distDir, 'linalg', 'wasm', 'pool.js'))
    ? `no built package with the worker pool at ${distDir} (npm run build)`
    : undefined);
if (skipReason) console.warn(`[wasm-browser] skipped: ${skipReason}`);

interface CheckResult {
  crossOriginIsolated: boolean;
  sharedMemory: boolean;
  variant: string;
  activeThreads: number;
  fallbackReason: string | null;
  split: number;
  gemmErr: number;
  gemmIdentical: boolean;
  gemvErr: number;
  gemvIdentical: boolean;
  gflops1: number;
  gflops: number;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

/** Serves /iso/{dist,web-test}/… with the isolation headers and /plain/… without. */
function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const [, mode, top, ...rest] = path.split('/');
    const base = top === 'dist' ? distDir : top === 'web-test' ? webDir : undefined;
    const file = base ? resolve(base, ...rest.map(decodeURIComponent)) : '';
    if (
      !base ||
      (mode !== 'iso' && mode !== 'plain') ||
      !file.startsWith(base + sep) ||
      !existsSync(file) ||
      !statSync(file).isFile()
    ) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    };
    if (mode === 'iso') {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    res.writeHead(200, headers).end(readFileSync(file));
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

describe.skipIf(skipReason !== undefined)(
  `wasm kernels and worker pool in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let server: Server;
    let browser: Browser;
    let origin = '';

    beforeAll(async () => {
      server = await serve();
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await playwright!.chromium.launch({
        executablePath: chromiumPath,
        args: [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    });

    afterAll(async () => {
      await browser?.close();
      await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    });

    async function check(mode: 'iso' | 'plain', where: 'main' | 'worker'): Promise<CheckResult> {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      try {
        await page.goto(`${origin}/${mode}/web-test/index.html`);
        await page
          .waitForFunction(() => 'rnnscopeCheck' in globalThis, null, { timeout: 20_000 })
          .catch((e: unknown) => {
            throw new Error(`page did not load: ${problems.join('; ') || String(e)}`);
          });
        return await page.evaluate(
          ({ where, n }) => {
            type Check = (a: { n: number; threads: number }) => Promise<CheckResult>;
            const g = globalThis as unknown as { rnnscopeCheck: Record<string, Check> };
            return g.rnnscopeCheck[where]({ n, threads: 2 });
          },
          { where, n: N },
        );
      } finally {
        await page.close();
      }
    }

    function expectCorrect(r: CheckResult): void {
      expect(r.gemmErr).toBeLessThan(N * EPS);
      expect(r.gemvErr).toBeLessThan(N * EPS);
      expect(r.gemmIdentical).toBe(true);
      expect(r.gemvIdentical).toBe(true);
    }

    it('isolated page, module worker: shared memory, 2 threads, bit-identical to 1', async () => {
      const r = await check('iso', 'worker');
      const rates = `${r.gflops1.toFixed(1)} (1 thread), ${r.gflops.toFixed(1)} (2)`;
      console.log(`[wasm-browser] GEMM N=600 in a worker, ${r.variant}: GFLOP/s ${rates}`);
      expect(r).toMatchObject({ crossOriginIsolated: true, sharedMemory: true, activeThreads: 2 });
      expect(r.fallbackReason).toBeNull();
      expect(r.split).toBe(2); // the GEMM and the GEMV
      expectCorrect(r);
    });

    it('isolated page, main thread: shared memory but no blocking wait, so one thread', async () => {
      const r = await check('iso', 'main');
      expect(r).toMatchObject({ crossOriginIsolated: true, sharedMemory: true, activeThreads: 1 });
      expect(r.fallbackReason).toMatch(/Atomics\.wait/);
      expect(r.split).toBe(0);
      expectCorrect(r);
    });

    it.each(['main', 'worker'] as const)(
      'page without COOP/COEP, %s: unshared memory, one thread, correct',
      async (where) => {
        const r = await check('plain', where);
        expect(r).toMatchObject({ crossOriginIsolated: false, sharedMemory: false });
        expect(r.activeThreads).toBe(1);
        expect(r.fallbackReason).toMatch(/cross-origin isolated/);
        expectCorrect(r);
      },
    );
  },
);
