// Exposes the checks to test/browser/wasm-browser.test.ts: `main` runs on the page's own thread
// (which may not block, so the pool must fall back to one thread), `worker` runs in a module
// worker, where the pool can use threads when the page is cross-origin isolated.
import { gemmCheck } from './check.js';

function inWorker(args) {
  return new Promise((resolve, reject) => {
    const worker = new globalThis.Worker(new URL('./worker.js', import.meta.url), {
      type: 'module',
    });
    worker.onmessage = (e) => {
      worker.terminate();
      if (e.data.error) reject(new Error(e.data.error));
      else resolve(e.data);
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`worker failed: ${e.message}`));
    };
    worker.postMessage(args);
  });
}

globalThis.rnnscopeCheck = { main: gemmCheck, worker: inWorker };
globalThis.document.getElementById('status').textContent = 'ready';
