#!/usr/bin/env node
/**
 * Regenerates the explorer's built-in example models in web/public/examples/:
 *
 *  - flipflop.json: the committed 16-unit 3-bit flip-flop fixture (test/fixtures/flipflop,
 *    trained by its numpy script), copied;
 *  - sine.json: a 50-unit tanh RNN sine-wave generator, `rnnscope train sine --trainer bptt`;
 *  - fhn.json: a 32-unit CTRNN imitating FitzHugh–Nagumo, `rnnscope train fhn --trainer bptt`.
 *
 * Training is seeded (seed 1), so a rerun gives the same weights bit for bit on the same wasm
 * kernel build (FMA or SIMD, chosen by the engine: see docs/training.md); only the `created`
 * time stamp in the metadata changes. Needs the built CLI (`npm run build`). About 80 s on two
 * cores. Run: `npm run examples:web` (or `node web/scripts/make-examples.mjs [--only sine,fhn]`).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'web', 'public', 'examples');
const cli = join(root, 'dist', 'cli', 'main.js');

const only = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? new Set(process.argv[i + 1].split(',')) : undefined;
})();
const wanted = (name) => !only || only.has(name);

if (!existsSync(cli)) {
  console.error(`make-examples: ${cli} is missing; run \`npm run build\` first`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });

function train(name, args) {
  const out = join(outDir, `${name}.json`);
  const argv = [cli, 'train', ...args, '--seed', '1', '--out', out, '--force', '--quiet'];
  console.log(`make-examples: node ${argv.map((a) => a.replace(root + '/', '')).join(' ')}`);
  const r = spawnSync(process.execPath, argv, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`make-examples: training ${name} failed (exit ${r.status})`);
    process.exit(1);
  }
  console.log(`make-examples: wrote ${out} (${statSync(out).size} bytes)`);
}

if (wanted('flipflop')) {
  const src = join(root, 'test', 'fixtures', 'flipflop', 'flipflop-rnn16.json');
  copyFileSync(src, join(outDir, 'flipflop.json'));
  console.log(`make-examples: copied ${src}`);
}
if (wanted('sine')) train('sine', ['sine', '--trainer', 'bptt', '--units', '50']);
if (wanted('fhn')) train('fhn', ['fhn', '--trainer', 'bptt', '--units', '32']);
