/**
 * Build of the browser explorer (`npm run build:web` → web/dist). The app imports the library
 * from ../src directly; the wasm kernels are embedded in src as base64, so no asset handling is
 * needed. The few Node built-ins the io layer imports are replaced by small browser versions in
 * src/shims (an in-memory store for dropped sidecar files, SHA-256, path joining).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/** The headers `rnnscope serve` sends, so `vite` (dev) and `vite preview` are isolated too. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: here('.'),
  base: './',
  publicDir: here('public'),
  resolve: {
    alias: [
      { find: /^node:fs$/, replacement: here('src/shims/fs.ts') },
      { find: /^node:path$/, replacement: here('src/shims/path.ts') },
      { find: /^node:crypto$/, replacement: here('src/shims/crypto.ts') },
      { find: /^node:(worker_threads|v8|os)$/, replacement: here('src/shims/unavailable.ts') },
    ],
  },
  worker: { format: 'es', rolldownOptions: { checks: { bundlerTimings: false } } },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    // plotly.js alone is ~4.7 MB minified; say so once instead of warning on every build.
    chunkSizeWarningLimit: 6000,
    reportCompressedSize: false,
    // Timing warnings only measure how busy the machine is.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: { headers: isolation, fs: { allow: [here('..')] } },
  preview: { headers: isolation },
  logLevel: 'warn',
});
