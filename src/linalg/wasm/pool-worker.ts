/**
 * The code each pool worker runs, and the layout of the control block it shares with the caller.
 *
 * The worker body is a self-contained JavaScript string rather than a module file, because:
 *  - the same text must start under Node's `worker_threads` (`eval: true`) and as a browser
 *    `Worker` (from a Blob URL), and neither a bundler nor the `src/` → `dist/` layout then has
 *    to know that a worker entry file exists;
 *  - when the package runs from TypeScript sources (vitest, ts-node) a `.ts` worker file could
 *    not be loaded by Node 20.
 * It imports nothing: it instantiates the already-compiled kernel module on the shared memory
 * and serves commands. Keep it plain ES2020 with no references to the enclosing module.
 *
 * Protocol (one slot per worker, Int32 indices below are relative to the slot's start):
 *   caller: write OP + arguments, Atomics.store(CMD, seq), notify CMD
 *   worker: run the kernel, write STATUS (+ message), Atomics.store(DONE, seq), notify DONE
 * Sequence numbers only need to differ from the previous one, so wrap-around is harmless.
 */

/** Int32 entries per worker slot (1 KiB: the slot's fields never share a cache line with another slot). */
export const SLOT_INTS = 256;
export const CMD = 0;
export const DONE = 16;
/** 0 starting, 1 serving, −1 failed to start. */
export const READY = 32;
export const OP = 33;
export const STATUS = 34;
export const MSG_LEN = 35;
/** OP_CALL: index of the kernel export in `Object.keys(exports)`, and the argument count. */
export const FN = 36;
export const ARGC = 37;
/** First Int32 index of the Float64 arguments (must be even: Float64 index = ARGS / 2). */
export const ARGS = 64;
export const MAX_ARGS = 16;
/** First Int32 index of the error message (UTF-16 code units: Uint16 index = MSG · 2). */
export const MSG = 128;
export const MSG_MAX = (SLOT_INTS - MSG) * 2;

export const OP_GEMM = 1;
export const OP_GEMV = 2;
export const OP_QUIT = 3;
/** Any kernel export by index (FN) with ARGC Float64 arguments (see WorkerPool.call). */
export const OP_CALL = 4;

const body = `'use strict';
function rnnscopePoolWorker(init, post) {
  var SLOT = init.slot * ${SLOT_INTS};
  var i32 = new Int32Array(init.control);
  var f64 = new Float64Array(init.control);
  var u16 = new Uint16Array(init.control);
  var A = (SLOT + ${ARGS}) / 2;
  var k;
  try {
    var imports = { env: { memory: init.memory, abort: function () { throw new Error('wasm kernel aborted'); } } };
    k = new WebAssembly.Instance(init.module, imports).exports;
  } catch (e) {
    Atomics.store(i32, SLOT + ${READY}, -1);
    post({ type: 'error', message: String((e && e.message) || e) });
    return;
  }
  var fns = Object.keys(k).map(function (name) { return k[name]; });
  var seen = 0;
  var clock = typeof performance === 'object' ? performance : Date;
  var spinMs = init.spinMicros / 1000;
  var idleSince = -1e9;
  Atomics.store(i32, SLOT + ${READY}, 1);
  post({ type: 'ready' });
  for (;;) {
    var s = Atomics.load(i32, SLOT + ${CMD});
    for (var spin = 1; s === seen; spin++) {
      if ((spin & 255) === 0 && clock.now() - idleSince > spinMs) break;
      s = Atomics.load(i32, SLOT + ${CMD});
    }
    if (s === seen) {
      Atomics.wait(i32, SLOT + ${CMD}, seen);
      idleSince = -1e9; // woken by the futex: no spinning until the next command is done
      continue;
    }
    seen = s;
    var op = i32[SLOT + ${OP}];
    var status = 0;
    try {
      if (op === ${OP_GEMM}) {
        k.gemm(f64[A], f64[A + 1], f64[A + 2], f64[A + 3], f64[A + 4], f64[A + 5], f64[A + 6],
          f64[A + 7], f64[A + 8], f64[A + 9], f64[A + 10], f64[A + 11], f64[A + 12], f64[A + 13]);
      } else if (op === ${OP_GEMV}) {
        k.gemv(f64[A], f64[A + 1], f64[A + 2], f64[A + 3], f64[A + 4], f64[A + 5], f64[A + 6],
          f64[A + 7], f64[A + 8]);
      } else if (op === ${OP_CALL}) {
        var argv = [];
        for (var ai = 0; ai < i32[SLOT + ${ARGC}]; ai++) argv.push(f64[A + ai]);
        fns[i32[SLOT + ${FN}]].apply(null, argv);
      } else if (op !== ${OP_QUIT}) {
        throw new Error('unknown pool command ' + op);
      }
    } catch (e) {
      status = 1;
      var text = String((e && e.name ? e.name + ': ' : '') + ((e && e.message) || e));
      var n = Math.min(text.length, ${MSG_MAX});
      for (var c = 0; c < n; c++) u16[(SLOT + ${MSG}) * 2 + c] = text.charCodeAt(c);
      i32[SLOT + ${MSG_LEN}] = n;
    }
    i32[SLOT + ${STATUS}] = status;
    Atomics.store(i32, SLOT + ${DONE}, s);
    Atomics.notify(i32, SLOT + ${DONE});
    if (op === ${OP_QUIT}) return;
    idleSince = clock.now();
  }
}
`;

/** Source for Node's `new Worker(src, { eval: true, workerData: init })`. */
export const NODE_WORKER_SOURCE =
  body +
  `var wt = require('node:worker_threads');
rnnscopePoolWorker(wt.workerData, function (m) { wt.parentPort.postMessage(m); });
`;

/** Source for a browser `Worker` (Blob URL); the init object arrives as the first message. */
export const BROWSER_WORKER_SOURCE =
  body +
  `self.onmessage = function (e) {
  self.onmessage = null;
  rnnscopePoolWorker(e.data, function (m) { self.postMessage(m); });
  self.close();
};
`;
