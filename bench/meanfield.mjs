#!/usr/bin/env node
/**
 * Mean-field benchmark and the N = 3000 finite comparisons of seed 001's Fig. 1.
 *
 *   node bench/meanfield.mjs                 mean field + N = 3000 finite networks (Krylov path)
 *   node bench/meanfield.mjs --full          also the full N = 3000 closed-loop spectrum (O(N³))
 *   node bench/meanfield.mjs --ts            keep the plain-TS linalg backend (default: wasm)
 *   node bench/meanfield.mjs --N=2000        another size
 *   node bench/meanfield.mjs --dist=DIR      import the compiled library from DIR (default ../dist)
 *
 * For each panel of Fig. 1 (A: tanh g = 1.5; B: tanh g = 0.5; C: ReLU θ = 0.1, g = 1.1;
 * D: tanh g = 1, levels 0.5, 1, 1.5 analysed at 0.5) it prints the mean-field modes, ρ, the
 * finite network's outliers and bulk radius, max |G_N − G_OL| and the times; the table goes to
 * stdout and bench/results/meanfield-latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = args.find((s) => s.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const full = args.includes('--full');
const useTs = args.includes('--ts');
const N = Number(opt('N', 3000));
const dist = opt('dist', fileURLToPath(new URL('../dist', import.meta.url)));
const lib = (p) => import(pathToFileURL(`${dist}/${p}`).href);
const linalg = await lib('linalg/index.js');
const mf = await lib('analysis/meanfield/index.js');

if (!useTs) linalg.setBackend(linalg.createWasmBackend());
const backend = linalg.getBackend().name;

const seconds = (t0) => (performance.now() - t0) / 1000;
const fmt = (v, d = 4) => (typeof v === 'number' ? v.toFixed(d) : String(v));
const cx = ([re, im]) =>
  Math.abs(im) < 1e-12 ? fmt(re) : `${fmt(re)}${im < 0 ? '−' : '+'}${fmt(Math.abs(im))}i`;

const panels = [
  { name: 'A', g: 1.5, activation: { name: 'tanh' }, levels: [1], A: 1 },
  { name: 'B', g: 0.5, activation: { name: 'tanh' }, levels: [1], A: 1 },
  { name: 'C', g: 1.1, activation: { name: 'relu', threshold: 0.1 }, levels: [1], A: 1 },
  { name: 'D', g: 1.0, activation: { name: 'tanh' }, levels: [0.5, 1, 1.5], A: 0.5 },
];

const rows = [];
console.log(
  `rnnscope mean-field bench: N = ${N}, linalg backend ${backend}, full spectrum ${full}, ${os.cpus()[0]?.model}`,
);
for (const p of panels) {
  const setting = { g: p.g, activation: p.activation, feedback: 'uniform' };
  let t0 = performance.now();
  const theory = mf.meanFieldReport({ ...setting, amplitude: p.A, levels: p.levels });
  const tTheory = seconds(t0);
  t0 = performance.now();
  const report = mf.meanFieldReport({
    ...setting,
    amplitude: p.A,
    levels: p.levels,
    finite: { N, seed: 1, fullSpectrum: full },
  });
  const tFinite = seconds(t0);
  const f = report.finite;
  const row = {
    panel: p.name,
    g: p.g,
    activation: p.activation,
    levels: p.levels,
    amplitude: p.A,
    meanField: {
      outliers: theory.outliers,
      lambdaOut: theory.lambdaOut,
      rho: theory.rho,
      tauOut: theory.tauOut,
      tauNet: theory.tauNet,
      stable: theory.nyquist.stable,
    },
    finite: {
      N,
      outliers: f.outliers,
      krylovOutliers: f.krylovOutliers,
      leading: f.leading?.eigenvalues,
      bulkRadius: f.bulkRadius,
      bulkRadiusMethod: f.bulkRadiusMethod,
      bulkRadiusEstimate: f.bulkRadiusEstimate,
      krylovDimension: f.krylovDimension,
      gainError: f.gainError,
    },
    seconds: { theory: tTheory, finite: tFinite },
  };
  rows.push(row);
  console.log(
    `Fig. 1${p.name}: ${p.activation.name}${p.activation.threshold ? ` θ=${p.activation.threshold}` : ''} g=${p.g} levels ${p.levels.join(',')} at ${p.A}\n` +
      `  mean field  modes ${theory.outliers.map(cx).join(', ')}   ρ ${fmt(theory.rho)}   τ_out ${fmt(theory.tauOut, 3)}   τ_net ${fmt(theory.tauNet, 3)}   ${theory.nyquist.stable ? 'stable' : 'unstable'}   (${fmt(tTheory, 2)} s)\n` +
      `  N = ${N}     outliers ${f.outliers.map(cx).join(', ') || 'none outside the bulk'}   bulk ${fmt(f.bulkRadius)} (${f.bulkRadiusMethod})   rightmost (eigs) ${(f.leading?.eigenvalues ?? []).map(cx).join(', ')}   max|G_N − G_OL| ${fmt(f.gainError)}   Krylov k ${f.krylovDimension}   (${fmt(tFinite, 1)} s)`,
  );
}
const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model,
  cores: os.cpus().length,
  backend,
  N,
  full,
  rows,
};
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}meanfield-latest.json`, JSON.stringify(results, null, 1) + '\n');
