import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng, rngFromState, type Rng } from '../../src/random/rng.js';
import { CASES, GOLDEN } from './fixtures/xoshiro-golden.js';

function hex(x: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  return (
    dv.getUint32(0).toString(16).padStart(8, '0') + dv.getUint32(4).toString(16).padStart(8, '0')
  );
}

/** Reproduces one line of the C reference's output (same draw order). */
function caseLine(seed: number | string, name: string): string {
  const rng = createRng(seed);
  const out: string[] = [name];
  for (let i = 0; i < 8; i++) out.push(String(rng.nextUint32()));
  for (let i = 0; i < 4; i++) out.push(hex(rng.uniform()));
  for (let i = 0; i < 6; i++) out.push(hex(rng.normal()));
  const child = rng.split();
  for (let i = 0; i < 4; i++) out.push(String(child.nextUint32()));
  const grandchild = child.fork('x');
  for (let i = 0; i < 2; i++) out.push(String(grandchild.nextUint32()));
  const forked = rng.fork('init');
  for (let i = 0; i < 4; i++) out.push(String(forked.nextUint32()));
  return out.join(' ');
}

function caseName(seed: number | string, i: number): string {
  return typeof seed === 'number'
    ? `int:${seed}`
    : `str:${i - CASES.findIndex((c) => typeof c === 'string')}`;
}

const ourLines = CASES.map((s, i) => caseLine(s, caseName(s, i)));

describe('createRng known answers', () => {
  it('matches the stored output of the C reference (xoshiro128**, SplitMix64, fdlibm log)', () => {
    expect(ourLines).toEqual(GOLDEN);
  });

  it('matches the C reference compiled now', (ctx) => {
    const gcc = spawnSync('gcc', ['--version']);
    if (gcc.error || gcc.status !== 0) {
      console.warn(
        'SKIPPED: gcc not found; the live C known-answer check did not run (stored table still checked)',
      );
      ctx.skip();
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'rnnscope-xoshiro-'));
    try {
      const src = fileURLToPath(new URL('./fixtures/xoshiro_ref.c', import.meta.url));
      const exe = join(dir, 'xref');
      const cc = spawnSync('gcc', ['-std=c11', '-O2', '-ffp-contract=off', '-o', exe, src, '-lm'], {
        encoding: 'utf8',
      });
      expect(cc.status, cc.stderr).toBe(0);
      const run = spawnSync(exe, { encoding: 'utf8' });
      expect(run.status).toBe(0);
      expect(ourLines).toEqual(run.stdout.trim().split('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reproduces the xoshiro128** reference outputs from state {1, 2, 3, 4}', () => {
    const rng = rngFromState({
      algorithm: 'xoshiro128**',
      words: [1, 2, 3, 4],
      key: [0, 0],
      spareNormal: null,
    });
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([11520, 0, 5927040]);
  });
});

describe('reproducibility', () => {
  function bytes(rng: Rng): Uint8Array {
    const a = new Float64Array(5000);
    for (let i = 0; i < a.length; i++)
      a[i] = i % 3 === 0 ? rng.normal() : i % 3 === 1 ? rng.uniform() : rng.integer(1000);
    return new Uint8Array(a.buffer);
  }

  it('two runs from the same seed give identical bytes', () => {
    expect(Buffer.from(bytes(createRng(7))).equals(Buffer.from(bytes(createRng(7))))).toBe(true);
    expect(Buffer.from(bytes(createRng('abc'))).equals(Buffer.from(bytes(createRng('abc'))))).toBe(
      true,
    );
  });

  it('different seeds, and number vs string, give different streams', () => {
    const first = (s: number | string) => createRng(s).nextUint32();
    expect(first(1)).not.toBe(first(2));
    expect(first(7)).not.toBe(first('7'));
    expect(first(-1)).not.toBe(first(1));
  });

  it('fork depends on the seed and label only, not on draws made before', () => {
    const a = createRng(3);
    const b = createRng(3);
    for (let i = 0; i < 100; i++) b.normal();
    b.split();
    expect(a.fork('init').uniform()).toBe(b.fork('init').uniform());
    expect(a.fork('init').uniform()).not.toBe(a.fork('data').uniform());
  });

  it('split is deterministic, advances the parent, and gives a different stream', () => {
    const a = createRng(5);
    const b = createRng(5);
    const ca = a.split();
    const cb = b.split();
    expect(ca.nextUint32()).toBe(cb.nextUint32());
    expect(a.nextUint32()).toBe(b.nextUint32());
    const p = createRng(5);
    const c = p.split();
    const ps = Array.from({ length: 8 }, () => p.nextUint32());
    const cs = Array.from({ length: 8 }, () => c.nextUint32());
    expect(ps).not.toEqual(cs);
  });

  it('state() / rngFromState resume exactly, including a pending normal', () => {
    const a = createRng(11);
    a.normal();
    const snap = JSON.parse(JSON.stringify(a.state()));
    const b = rngFromState(snap);
    for (let i = 0; i < 10; i++) expect(b.normal()).toBe(a.normal());
    expect(b.fork('f').nextUint32()).toBe(a.fork('f').nextUint32());
  });

  it('rejects bad seeds and states', () => {
    expect(() => createRng(1.5)).toThrow(/safe integer/);
    expect(() => createRng(2 ** 60)).toThrow(/safe integer/);
    expect(() =>
      rngFromState({
        algorithm: 'xoshiro128**',
        words: [0, 0, 0, 0],
        key: [0, 0],
        spareNormal: null,
      }),
    ).toThrow(/all zero/);
  });
});

describe('distributions', () => {
  const n = 200_000;

  it('uniform lies in [0, 1) with mean 1/2, variance 1/12 and flat histogram', () => {
    const rng = createRng('uniform');
    const bins = new Float64Array(20);
    let s = 0;
    let s2 = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      s += u;
      s2 += u * u;
      bins[Math.floor(u * 20)]++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(s / n - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
    const e = n / 20;
    const chi2 = bins.reduce((acc, b) => acc + (b - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(43.8); // χ²(19) 0.999 quantile
  });

  it('normal has the right mean, variance, skewness, kurtosis and tail mass', () => {
    const rng = createRng('normal');
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal(1, 2);
      const y = (z - 1) / 2;
      s1 += y;
      s2 += y * y;
      s3 += y ** 3;
      s4 += y ** 4;
      if (Math.abs(y) > 2) beyond2++;
    }
    expect(Math.abs(s1 / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.015);
    expect(Math.abs(s3 / n)).toBeLessThan(0.03);
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.08);
    expect(Math.abs(beyond2 / n - 0.0455)).toBeLessThan(0.003);
  });

  it('integer(n) is unbiased, including n that do not divide 2^32 and n above 2^32', () => {
    const rng = createRng('int');
    for (const m of [1, 3, 7, 10]) {
      const counts = new Float64Array(m);
      for (let i = 0; i < 70_000; i++) counts[rng.integer(m)]++;
      const e = 70_000 / m;
      const chi2 = counts.reduce((acc, c) => acc + (c - e) ** 2 / e, 0);
      expect(chi2).toBeLessThan(30);
    }
    // n = 3·2^32: the residue mod 3 must be uniform.
    const big = 3 * 2 ** 32;
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) {
      const r = rng.integer(big);
      expect(Number.isInteger(r) && r >= 0 && r < big).toBe(true);
      counts[r % 3]++;
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => rng.integer(0)).toThrow(/integer/);
    expect(() => rng.integer(2.5)).toThrow(/integer/);
  });

  it('bernoulli and uniformRange', () => {
    const rng = createRng(9);
    let k = 0;
    for (let i = 0; i < 100_000; i++) if (rng.bernoulli(0.3)) k++;
    expect(Math.abs(k / 100_000 - 0.3)).toBeLessThan(0.006);
    expect(rng.bernoulli(0)).toBe(false);
    expect(rng.bernoulli(1)).toBe(true);
    expect(() => rng.bernoulli(1.1)).toThrow(/bernoulli/);
    for (let i = 0; i < 1000; i++) {
      const x = rng.uniformRange(-3, 5);
      expect(x >= -3 && x < 5).toBe(true);
    }
    expect(() => rng.uniformRange(2, 1)).toThrow(/a ≤ b/);
  });

  it('shuffle permutes uniformly', () => {
    const rng = createRng('shuffle');
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = rng.shuffle([0, 1, 2]).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const f = rng.shuffle(Float64Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(f).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('sampleIndices without replacement gives distinct indices, each equally likely', () => {
    const rng = createRng('sample');
    for (const [n, k] of [
      [10, 10],
      [10, 4],
      [1000, 5],
    ] as const) {
      const hits = new Float64Array(n);
      const reps = 20_000;
      for (let r = 0; r < reps; r++) {
        const s = rng.sampleIndices(n, k);
        expect(new Set(s).size).toBe(k);
        for (const i of s) hits[i]++;
      }
      const e = (reps * k) / n;
      for (const h of hits) expect(Math.abs(h - e) / e).toBeLessThan(n > 100 ? 0.5 : 0.05);
    }
    const withRep = rng.sampleIndices(3, 100, true);
    expect(withRep.length).toBe(100);
    expect(withRep.every((i) => i >= 0 && i < 3)).toBe(true);
    expect(() => rng.sampleIndices(3, 4)).toThrow(/without replacement/);
  });
});
