/**
 * The page's handle on the compute worker: typed request → promise of the result, with
 * progress lines along the way. Errors come back as `ComputeError` with the library's code and
 * its message for the user.
 */
import type { Envelope, Reply, Request, RequestType, Results } from './protocol.js';

export class ComputeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Pending = {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  progress?: (line: string) => void;
};

export interface ComputeClient {
  request<T extends RequestType>(
    req: Extract<Request, { type: T }>,
    progress?: (line: string) => void,
  ): Promise<Results[T]>;
}

export function startCompute(onFatal: (message: string) => void): ComputeClient {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const pending = new Map<number, Pending>();
  let next = 1;
  worker.onmessage = (e: MessageEvent<Reply>) => {
    const m = e.data;
    const p = pending.get(m.id);
    if (!p) return;
    if ('progress' in m) {
      p.progress?.(m.progress);
      return;
    }
    pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new ComputeError(m.error.code, m.error.message));
  };
  worker.onerror = (e) => {
    const message = `the compute worker failed: ${e.message || 'unknown error'}`;
    for (const p of pending.values()) p.reject(new ComputeError('INTERNAL', message));
    pending.clear();
    onFatal(message);
  };
  return {
    request(req, progress) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
        worker.postMessage({ ...req, id } as Envelope);
      });
    },
  };
}
