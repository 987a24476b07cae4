/**
 * `rnnscope serve`'s static server: isolation headers on every response, MIME types, no way out
 * of the app's directory (encoded dots, backslashes, symbolic links), and the CLI's errors when
 * the app is not built or the port is taken (exit 1) or the port is not a number (exit 2).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAppDir, mimeType, startExplorerServer } from '../../src/cli/commands/serve.js';
import { cli } from '../cli/helpers.js';

const SECRET = 'top secret outside the app';

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: the path is sent exactly as given (fetch would normalise the dots). */
function get(port: number, path: string, method = 'GET'): Promise<Response> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('rnnscope serve: static server', () => {
  let base: string;
  let root: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'rnnscope-serve-'));
    root = join(base, 'app');
    mkdirSync(join(root, 'assets'), { recursive: true });
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'export const a = 1;');
    writeFileSync(join(root, 'worker.mjs'), 'export {};');
    writeFileSync(join(root, 'k.wasm'), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    writeFileSync(join(root, 'model.json'), '{}');
    writeFileSync(join(root, 'sub', 'index.html'), 'sub index');
    writeFileSync(join(base, 'secret.txt'), SECRET);
    symlinkSync(join(base, 'secret.txt'), join(root, 'link.txt'));
    const started = await startExplorerServer({ dir: root, port: 0 });
    server = started.server;
    port = (server.address() as AddressInfo).port;
    expect(started.url).toBe(`http://127.0.0.1:${port}/`);
  });

  afterAll(async () => {
    await new Promise((ok) => server.close(ok));
    rmSync(base, { recursive: true, force: true });
  });

  it('sends COOP/COEP (cross-origin isolation) and the right content types', async () => {
    const cases: [string, string][] = [
      ['/', 'text/html; charset=utf-8'],
      ['/index.html?example=flipflop&fp=3', 'text/html; charset=utf-8'],
      ['/assets/index-abc.js', 'text/javascript; charset=utf-8'],
      ['/worker.mjs', 'text/javascript; charset=utf-8'],
      ['/k.wasm', 'application/wasm'],
      ['/model.json', 'application/json; charset=utf-8'],
    ];
    for (const [path, type] of cases) {
      const r = await get(port, path);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type'], path).toBe(type);
      expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await get(port, '/sub/')).body).toBe('sub index');
    expect((await get(port, '/assets/index-abc.js')).headers['cache-control']).toMatch(/immutable/);
    expect((await get(port, '/index.html')).headers['cache-control']).toBe('no-cache');
    expect(mimeType('x.MJS')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('x.bin')).toBe('application/octet-stream');
  });

  it('answers HEAD without a body, refuses other methods, 404s missing files', async () => {
    const head = await get(port, '/assets/index-abc.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('export const a = 1;'.length));
    expect(head.body).toBe('');
    const post = await get(port, '/', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await get(port, '/nothing.js')).status).toBe(404);
  });

  it('never serves anything outside the app directory', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/..%2fsecret.txt',
      '/sub/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/%5c..%5csecret.txt',
      '/link.txt',
      '/secret.txt%00.html',
      '/%zz',
      `/${'../'.repeat(8)}etc/passwd`,
    ];
    for (const path of attempts) {
      const r = await get(port, path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain(SECRET);
      expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
    }
  });
});

describe('rnnscope serve: command line', () => {
  it('serves web/dist of this checkout by default', () => {
    const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
    expect(defaultAppDir()).toBe(join(repo, 'web', 'dist'));
  });

  it('exits 1 with the build command when the app is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'rnnscope-serve-empty-'));
    try {
      const r = await cli('serve', '--dir', empty, '--port', '0');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/not built: .*index\.html is missing .*npm run build:web/);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('exits 1 naming the port when it is taken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnscope-serve-port-'));
    writeFileSync(join(dir, 'index.html'), 'x');
    const blocker = createNetServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const r = await cli('serve', '--dir', dir, '--port', String(taken));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${taken} on 127.0.0.1 is already in use`);
      expect(r.stderr).toContain('--port');
    } finally {
      await new Promise((ok) => blocker.close(ok));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on a port that is not a number', async () => {
    for (const bad of ['abc', '70000', '-1']) {
      const r = await cli('serve', '--port', bad);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/port number from 0 to 65535/);
    }
  });

  it('runs until SIGINT and then exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnscope-serve-run-'));
    writeFileSync(join(dir, 'index.html'), 'hello');
    let out = '';
    const running = import('../../src/cli/program.js').then(({ runCli }) =>
      runCli(['serve', '--dir', dir, '--port', '0'], {
        stdout: { write: (s: string) => (out += s) },
        stderr: { write: (s: string) => (out += s) },
      }),
    );
    try {
      for (let i = 0; i < 100 && !/http:\/\/\S+/.test(out); i++)
        await new Promise((r) => setTimeout(r, 20));
      const url = new URL(/http:\/\/\S+/.exec(out)![0]);
      const r = await get(Number(url.port), '/');
      expect(r.body).toBe('hello');
      expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
    } finally {
      process.emit('SIGINT');
      expect(await running).toBe(0);
      expect(out).toContain('stopped');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
