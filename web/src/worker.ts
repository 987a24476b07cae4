/**
 * The explorer's compute worker: every number the page shows is computed here, by the library
 * itself (src/), so the page never blocks and the wasm worker pool may block in Atomics.wait
 * (which a page's main thread may not). One request at a time is answered in order; a new
 * `load` or `analyse` aborts a running search, which then returns its labelled partial result.
 */
import { getBackend } from '../../src/linalg/index.js';
import { wasmKernels } from '../../src/linalg/wasm/load.js';
import { defaultThreads } from '../../src/linalg/wasm/pool-spawn.js';
import { sharedWorkerPool } from '../../src/linalg/wasm/pool-select.js';
import { RnnscopeError, isRnnscopeError } from '../../src/errors.js';
import { analyse, type AnalysisState } from './compute/analyse.js';
import { launchFromMode, launchFromState, pulse } from './compute/paths.js';
import { openSubject, type Subject } from './compute/subject.js';
import type { ComputeEnvironment, Envelope, Reply, Request } from './protocol.js';

interface WorkerScope {
  postMessage(m: Reply): void;
  onmessage: ((e: { data: Envelope }) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;

let subject: Subject | undefined;
let analysis: AnalysisState | undefined;
let lastEnd: Float64Array | undefined;
let running: AbortController | undefined;

async function environment(): Promise<ComputeEnvironment> {
  const crossOriginIsolated =
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const isWasm = (getBackend() as { kernels?: unknown }).kernels !== undefined;
  if (!isWasm) {
    return {
      crossOriginIsolated,
      backend: 'ts',
      sharedMemory: false,
      threads: 1,
      requestedThreads: 1,
      fallbackReason:
        'this browser has no WebAssembly SIMD: the plain-TypeScript kernels run, on one thread',
    };
  }
  const kernels = wasmKernels();
  const requested = defaultThreads();
  // The same pool the default backend takes for large GEMMs, started now to report on it.
  const pool = sharedWorkerPool(kernels, requested);
  const threads = await pool.ready();
  return {
    crossOriginIsolated,
    backend: 'wasm',
    variant: kernels.variant,
    sharedMemory: kernels.shared,
    threads,
    requestedThreads: requested,
    fallbackReason:
      pool.fallbackReason ??
      (threads < requested ? `${requested - threads} worker(s) failed to start` : undefined),
  };
}

function needSubject(): Subject {
  if (!subject) throw new RnnscopeError('INVALID_ARGUMENT', 'no model is loaded');
  return subject;
}

function needAnalysis(): AnalysisState {
  if (!analysis)
    throw new RnnscopeError('INVALID_ARGUMENT', 'no analysis yet: find the fixed points first');
  return analysis;
}

async function handle(req: Request, progress: (line: string) => void): Promise<unknown> {
  switch (req.type) {
    case 'init':
      return environment();
    case 'load': {
      running?.abort();
      subject = openSubject(req.source);
      analysis = undefined;
      lastEnd = undefined;
      return subject.info;
    }
    case 'analyse': {
      const s = needSubject();
      if (req.input.length !== s.info.inputs)
        throw new RnnscopeError(
          'SHAPE_MISMATCH',
          `${s.info.name} has ${s.info.inputs} input(s), got ${req.input.length} value(s)`,
        );
      if (req.input.some((v) => !Number.isFinite(v)))
        throw new RnnscopeError('NON_FINITE', 'the frozen input must be finite numbers');
      running?.abort();
      const abort = new AbortController();
      running = abort;
      try {
        const state = await analyse(
          s,
          Float64Array.from(req.input),
          req.seed,
          progress,
          abort.signal,
        );
        if (abort.signal.aborted)
          throw new RnnscopeError('INVALID_ARGUMENT', 'superseded by a newer request');
        analysis = state;
        lastEnd = undefined;
        return state.view;
      } finally {
        if (running === abort) running = undefined;
      }
    }
    case 'launch': {
      const r = launchFromMode(
        needSubject(),
        needAnalysis(),
        req.fixedPoint,
        req.mode,
        req.epsilon,
        req.steps,
      );
      lastEnd = r.end;
      return r.view;
    }
    case 'start': {
      const r = launchFromState(needSubject(), needAnalysis(), req.state, req.steps);
      lastEnd = r.end;
      return r.view;
    }
    case 'pulse': {
      const a = needAnalysis();
      let from = lastEnd;
      if (req.fixedPoint !== null) {
        const fp = a.fixedPoints[req.fixedPoint];
        if (!fp) throw new RnnscopeError('INVALID_ARGUMENT', `no fixed point #${req.fixedPoint}`);
        from = Float64Array.from(fp.x);
      }
      if (!from)
        throw new RnnscopeError('INVALID_ARGUMENT', 'select a fixed point to start the pulse from');
      const r = pulse(
        needSubject(),
        a,
        from,
        req.channel,
        req.amplitude,
        req.pulseSteps,
        req.steps,
      );
      lastEnd = r.end;
      return r.view;
    }
  }
}

// Requests are answered in arrival order, except that a search yields to the event loop, so a
// newer request can abort it.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (e) => {
  const { id, ...req } = e.data;
  if (req.type === 'load' || req.type === 'analyse') running?.abort();
  queue = queue.then(async () => {
    try {
      const result = await handle(req as Request, (line) =>
        scope.postMessage({ id, progress: line }),
      );
      scope.postMessage({ id, ok: true, result });
    } catch (err) {
      const error = isRnnscopeError(err)
        ? { code: err.code, message: err.message }
        : {
            code: 'INTERNAL',
            message: `internal error (please report): ${String((err as Error)?.message ?? err)}`,
          };
      scope.postMessage({ id, ok: false, error });
    }
  });
};
