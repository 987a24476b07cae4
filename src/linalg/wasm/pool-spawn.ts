/**
 * The environment side of the worker pool: how many threads, whether a pool can run here at all,
 * and starting the workers under Node (`worker_threads`) or in a browser (`Worker`).
 *
 * Node built-ins are reached through `process.getBuiltinModule` (Node ≥ 20.16) or a dynamic
 * import of a non-literal specifier, never a static import, so that this file loads unchanged in
 * a browser and bundlers do not try to resolve `node:` modules.
 */
import { RnnscopeError } from '../../errors.js';
import type { WasmKernels } from './load.js';
import { BROWSER_WORKER_SOURCE, NODE_WORKER_SOURCE } from './pool-worker.js';

export const MAX_THREADS = 64;

interface Proc {
  env?: Record<string, string | undefined>;
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}
const proc = (globalThis as { process?: Proc }).process;
const isNode = typeof proc?.versions?.node === 'string';

interface NodeWorker {
  on(event: string, fn: (arg: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}
type NodeWorkerCtor = new (src: string, opts: { eval: true; workerData: unknown }) => NodeWorker;
interface BrowserWorker {
  onmessage: ((e: { data: unknown }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
  postMessage(m: unknown): void;
  terminate(): void;
}

/** Threads (including the caller) from RNNSCOPE_THREADS, else min(available cores, 4). */
export function defaultThreads(): number {
  const env = proc?.env?.RNNSCOPE_THREADS;
  if (env !== undefined && env.trim() !== '') {
    const t = Number(env);
    if (!(Number.isInteger(t) && t >= 1 && t <= MAX_THREADS)) {
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `RNNSCOPE_THREADS must be an integer from 1 to ${MAX_THREADS}, got "${env}"`,
      );
    }
    return t;
  }
  const os = isNode
    ? (proc?.getBuiltinModule?.('node:os') as
        { availableParallelism?: () => number; cpus(): unknown[] } | undefined)
    : undefined;
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const cores = os
    ? (os.availableParallelism?.() ?? os.cpus().length)
    : (nav?.hardwareConcurrency ?? 1);
  return Math.max(1, Math.min(cores, 4));
}

export function checkThreads(t: unknown): number {
  if (!(typeof t === 'number' && Number.isInteger(t) && t >= 1 && t <= MAX_THREADS)) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `threads must be 'auto' or an integer from 1 to ${MAX_THREADS}, got ${String(t)}`,
    );
  }
  return t;
}

/** Whether this thread may block in Atomics.wait (not a browser page's main thread). */
function canBlock(): boolean {
  try {
    // Expected value 1 ≠ 0, so this returns "not-equal" at once where waiting is allowed.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

export interface Simulate {
  noSharedArrayBuffer?: boolean;
  noAtomicsWait?: boolean;
}

/** Why no worker can run here, or undefined when a pool can. */
export function whyNoPool(
  kernels: WasmKernels,
  threads: number,
  simulate: Simulate = {},
): string | undefined {
  if (threads <= 1) return 'threads = 1';
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false)
    return 'the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp)';
  if (simulate.noSharedArrayBuffer || typeof SharedArrayBuffer !== 'function')
    return 'SharedArrayBuffer is unavailable here';
  if (!kernels.shared) return 'the wasm memory is not shared (load the kernels with shared memory)';
  if (simulate.noAtomicsWait || !canBlock())
    return 'this thread may not block in Atomics.wait (a browser main thread: run the numerics in a Worker)';
  if (!isNode && typeof (globalThis as { Worker?: unknown }).Worker !== 'function')
    return 'no Worker API in this environment';
  return undefined;
}

/**
 * Starts `count` workers, each given `init(w)`. `report(w, error?)` is called when a worker has
 * instantiated the kernels (no error) or failed to start, and again, with an error, whenever it
 * fails or exits later. Returns a function that stops them all.
 */
export function startWorkers(
  count: number,
  init: (w: number) => unknown,
  report: (w: number, error?: string) => void,
): () => Promise<void> {
  const stoppers: (() => Promise<unknown>)[] = [];
  let stopped = false;

  function spawn(nodeWorker: NodeWorkerCtor | undefined): void {
    for (let w = 0; w < count; w++) {
      let started = false;
      let release = (): void => undefined;
      const tell = (error?: string): void => {
        if (!started) {
          started = true;
          release();
        }
        report(w, error);
      };
      const onMessage = (m: unknown): void => {
        const msg = m as { type?: string; message?: string };
        tell(msg.type === 'error' ? (msg.message ?? 'unknown error') : undefined);
      };
      const onError = (e: unknown): void => tell(String((e as Error)?.message ?? e));
      try {
        if (nodeWorker) {
          const worker = new nodeWorker(NODE_WORKER_SOURCE, { eval: true, workerData: init(w) });
          worker.on('message', onMessage);
          worker.on('error', onError);
          worker.on('exit', () => tell('exited'));
          // Referenced until it has started, so that `await pool.ready()` keeps the event loop
          // alive; then unreferenced, so that an idle pool never holds the process open. (Adding
          // a 'message' listener refs a worker again, hence not before the listeners.)
          release = () => worker.unref();
          stoppers.push(() => worker.terminate());
        } else {
          const Ctor = (globalThis as unknown as { Worker: new (url: string) => BrowserWorker })
            .Worker;
          const url = URL.createObjectURL(
            new Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }),
          );
          const worker = new Ctor(url);
          URL.revokeObjectURL(url);
          worker.onmessage = (e) => onMessage(e.data);
          worker.onerror = (e) => onError(e.message ?? 'worker error');
          worker.postMessage(init(w));
          stoppers.push(async () => worker.terminate());
        }
      } catch (e) {
        onError(e);
      }
    }
  }

  if (!isNode) spawn(undefined);
  else {
    const wt = proc?.getBuiltinModule?.('node:worker_threads') as
      { Worker: NodeWorkerCtor } | undefined;
    if (wt) spawn(wt.Worker);
    else {
      // Node < 20.16 has no synchronous access to built-ins: start the workers a tick later.
      const spec = 'node:worker_threads';
      import(spec).then(
        (m: { Worker: NodeWorkerCtor }) => (stopped ? undefined : spawn(m.Worker)),
        (e: unknown) => {
          for (let w = 0; w < count; w++) report(w, String(e));
        },
      );
    }
  }

  return async () => {
    stopped = true;
    await Promise.all(stoppers.map((stop) => stop().catch(() => undefined)));
  };
}
