// Module worker for web-test/page.js: runs the check off the main thread and posts the result.
import { gemmCheck } from './check.js';

globalThis.onmessage = async (e) => {
  try {
    globalThis.postMessage(await gemmCheck(e.data));
  } catch (err) {
    globalThis.postMessage({ error: String(err?.stack ?? err) });
  }
};
