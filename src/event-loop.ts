/**
 * Yielding to the event loop from long synchronous computations, in Node and in browsers
 * (workers included), so that a SIGINT handler or a UI message gets to run. Used by every layer.
 */

type Turn = (f: () => void) => void;

function makeTurn(): Turn {
  const si = (globalThis as { setImmediate?: Turn }).setImmediate;
  if (typeof si === 'function') return (f) => si(f);
  // Browsers have no setImmediate; a MessageChannel gives the same "after pending messages" turn
  // without setTimeout's 4 ms clamp on nested timers.
  if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel();
    const queued: (() => void)[] = [];
    (channel.port1 as unknown as { onmessage: () => void }).onmessage = () => queued.shift()?.();
    return (f) => {
      queued.push(f);
      channel.port2.postMessage(null);
    };
  }
  return (f) => setTimeout(f, 0);
}

let turn: Turn | undefined;

/** Resolves on the next turn of the event loop (setImmediate, a MessageChannel, or a timeout). */
export function yieldToEventLoop(): Promise<void> {
  turn ??= makeTurn();
  const t = turn;
  return new Promise((resolve) => t(resolve));
}

/** Runs a step generator (one `yield` per unit of work) to completion; returns its value. */
export function runGenerator<R>(gen: Generator<unknown, R>): R {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs a step generator to completion, yielding to the event loop after every `sliceMs` of
 * work so that signal handlers, timers and worker messages run in between.
 */
export async function runGeneratorAsync<R>(gen: Generator<unknown, R>, sliceMs = 30): Promise<R> {
  let last = performance.now();
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
    if (performance.now() - last >= sliceMs) {
      await yieldToEventLoop();
      last = performance.now();
    }
  }
}
