/**
 * `rnnscope serve [--port P] [--host [address]]`: the browser explorer (web/, built into
 * web/dist by `npm run build:web`) from a small static server on localhost.
 *
 * Every response carries COOP: same-origin and COEP: require-corp, so the page is cross-origin
 * isolated: SharedArrayBuffer exists, the wasm memory is shared and the worker pool can run
 * threads inside the explorer's compute worker. (Browsers grant isolation only in a secure
 * context — localhost, or https — so `--host` on a LAN address gives a single-threaded page.)
 * The server answers GET and HEAD for files under the app's directory and nothing else: paths are
 * decoded once, resolved, and must stay inside the root after symbolic links are followed.
 * It runs until SIGINT/SIGTERM (Ctrl-C), then closes and exits 0.
 */
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { RnnscopeError } from '../../errors.js';
import type { CliContext } from '../context.js';

/** Default port of `rnnscope serve`. */
export const DEFAULT_SERVE_PORT = 8765;

/** web/dist of this checkout: src/cli/commands → ../../../web/dist, and the same from dist/cli/commands. */
export function defaultAppDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web', 'dist');
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** The headers that make the page cross-origin isolated, sent with every response. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Content type by extension; unknown extensions are served as bytes, never sniffed. */
export function mimeType(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function fail(
  res: ServerResponse,
  status: number,
  text: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    ...ISOLATION_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  res.end(`${status} ${text}\n`);
}

/**
 * The file under `root` (a real path) that a request path names, or undefined when it names
 * nothing servable: malformed escapes, NUL bytes, and anything resolving outside the root
 * (`..`, encoded `%2e%2e`, backslashes, symbolic links pointing out) are refused.
 */
export function resolveRequestPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  let file = resolve(root, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded));
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  if (!existsSync(file)) return undefined;
  if (statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) return undefined;
  const real = realpathSync(file);
  if (!real.startsWith(root + sep) || !statSync(real).isFile()) return undefined;
  return real;
}

/** The request handler of the explorer's static server for the app in `root` (a real path). */
export function staticHandler(root: string): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      fail(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
      return;
    }
    const pathname = (req.url ?? '/').split(/[?#]/, 1)[0];
    const file = pathname.startsWith('/') ? resolveRequestPath(root, pathname) : undefined;
    if (!file) {
      fail(res, 404, 'Not Found');
      return;
    }
    const size = statSync(file).size;
    res.writeHead(200, {
      ...ISOLATION_HEADERS,
      'Content-Type': mimeType(file),
      'Content-Length': String(size),
      'X-Content-Type-Options': 'nosniff',
      // Hashed asset names change with their content; the page and the examples must not be stale.
      'Cache-Control': /[\\/]assets[\\/]/.test(file)
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };
}

/**
 * Serves the built explorer in `dir` on host:port (port 0: any free port). Resolves with the
 * listening server; throws IO_ERROR when the app is not built or the port cannot be taken.
 */
export async function startExplorerServer(options: {
  dir?: string;
  port?: number;
  host?: string;
}): Promise<{ server: Server; url: string; dir: string }> {
  const dir = resolve(options.dir ?? defaultAppDir());
  if (!existsSync(join(dir, 'index.html'))) {
    throw new RnnscopeError(
      'IO_ERROR',
      `the explorer is not built: ${join(dir, 'index.html')} is missing (run \`npm run build:web\`, or \`npm run build\`)`,
    );
  }
  const root = realpathSync(dir);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_SERVE_PORT;
  const server = createServer(staticHandler(root));
  await new Promise<void>((ok, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why =
        e.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use; choose another with --port P (--port 0 picks a free one)`
          : e.code === 'EACCES'
            ? `no permission to listen on port ${port} (ports below 1024 need privileges); choose another with --port P`
            : `cannot listen on ${host}:${port}: ${e.message}`;
      reject(new RnnscopeError('IO_ERROR', why));
    });
    server.listen(port, host, () => ok());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const urlHost = shown === '0.0.0.0' || shown === '[::]' ? 'localhost' : shown;
  return { server, url: `http://${urlHost}:${address.port}/`, dir: root };
}

function portNumber(value: string): number {
  const v = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(v) || v > 65535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0: any free port)');
  return v;
}

interface Options {
  port: number;
  host?: string | true;
  dir?: string;
}

export function serveCommand(ctx: CliContext): Command {
  return new Command('serve')
    .description(
      'serve the interactive explorer (web/dist) on localhost, cross-origin isolated so the worker pool runs',
    )
    .option('--port <P>', 'port (0: any free port)', portNumber, DEFAULT_SERVE_PORT)
    .option(
      '--host [address]',
      'listen on this address; bare --host listens on all interfaces (default 127.0.0.1)',
    )
    .option(
      '--dir <path>',
      'serve another build of the explorer (default: web/dist of this install)',
    )
    .action(async (opts: Options) => {
      const host = opts.host === true ? '0.0.0.0' : opts.host;
      const { server, url, dir } = await startExplorerServer({
        dir: opts.dir,
        port: opts.port,
        host,
      });
      ctx.io.stdout.write(`rnnscope explorer: ${url} (serving ${dir}; Ctrl-C to stop)\n`);
      if (opts.host !== undefined)
        ctx.io.stderr.write(
          'rnnscope: browsers allow threads (cross-origin isolation) only on localhost or https; from other machines the explorer runs single-threaded\n',
        );
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.removeListener('SIGINT', stop);
          process.removeListener('SIGTERM', stop);
          server.close(() => done());
          server.closeAllConnections();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      ctx.io.stdout.write('rnnscope explorer: stopped\n');
    });
}
