/**
 * The explorer's compute side (web/src/compute, run by its worker) in Node, against ground
 * truth: the toy system's analytic fixed points and its saddle's separatrix, FitzHugh–Nagumo's
 * cubic, the flip-flop task (a pulse flips one bit); plus the page's URL state and the browser
 * shims (SHA-256 against node:crypto, the in-memory sidecar store).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RnnscopeError } from '../../src/errors.js';
import { createRng } from '../../src/random/rng.js';
import { analyse } from '../../web/src/compute/analyse.js';
import { launchFromMode, launchFromState, pulse } from '../../web/src/compute/paths.js';
import { openSubject } from '../../web/src/compute/subject.js';
import { sha256 } from '../../web/src/shims/crypto.js';
import { clearFiles, readFileSync as shimRead, registerFile } from '../../web/src/shims/fs.js';
import { readUrlState, urlSearch } from '../../web/src/url-state.js';

const FLIPFLOP = new URL('../fixtures/flipflop/flipflop-rnn16.json', import.meta.url);
const never = new AbortController().signal;
const quiet = () => undefined;

describe('explorer compute: analytic systems', () => {
  it('toy2d: the saddle at 0 and stable nodes at ±(1, ½); the separatrix splits launches', async () => {
    const subject = openSubject({ kind: 'builtin', name: 'toy2d', title: 'toy' });
    expect(subject.info).toMatchObject({ dim: 2, time: 'flow', inputs: 0, view: 'phase' });
    const state = await analyse(subject, new Float64Array(0), 0, quiet, never);
    const pts = state.fixedPoints;
    expect(pts).toHaveLength(3);
    const saddle = pts.findIndex((p) => p.label === 'saddle');
    expect(Math.hypot(...pts[saddle].x)).toBeLessThan(1e-12);
    for (const p of pts.filter((q) => q.label === 'stable node'))
      expect(Math.abs(Math.abs(p.x[0]) - 1) + Math.abs(p.x[1] - p.x[0] / 2)).toBeLessThan(1e-10);
    // The phase plane covers all three points.
    const plane = state.view.phase!;
    for (const p of pts) {
      expect(p.x[0]).toBeGreaterThan(plane.xRange[0]);
      expect(p.x[0]).toBeLessThan(plane.xRange[1]);
    }
    // Unstable mode of J(0) = [[0, 1], [½, −1]]: λ = (√3 − 1)/2. Both ways along it settle at
    // the node on that side: x(∞) = sign(ε·v₀).
    const mode = pts[saddle].modes!.findIndex((m) => m.eigenvalue[0] > 0);
    expect(pts[saddle].modes![mode].eigenvalue[0]).toBeCloseTo((Math.sqrt(3) - 1) / 2, 12);
    const v0 = pts[saddle].modes![mode].vector!.re[0];
    for (const eps of [0.05, -0.05]) {
      const { view, end } = launchFromMode(subject, state, saddle, mode, eps, 600);
      const side = Math.sign(eps * v0);
      expect(end[0]).toBeCloseTo(side, 6);
      expect(end[1]).toBeCloseTo(side / 2, 6);
      expect(view.points[0]).toHaveLength(2);
      expect(pts[view.settled.nearest!].label).toBe('stable node');
      expect(view.settled.distance).toBeLessThan(1e-6);
    }
    // A click on the phase portrait starts exactly there; near (−1, −½) it ends there.
    const clicked = launchFromState(subject, state, [-1.3, -0.2], 600);
    expect(clicked.view.points[0]).toEqual([-1.3, -0.2]);
    expect(clicked.end[0]).toBeCloseTo(-1, 6);
    expect(clicked.end[1]).toBeCloseTo(-0.5, 6);
  });

  it('FitzHugh–Nagumo: the fixed point solves the cubic; a current pulse changes I only during the pulse', async () => {
    const subject = openSubject({ kind: 'builtin', name: 'fitzhugh-nagumo', title: 'FHN' });
    expect(subject.info.inputNames).toEqual(['I']);
    const I = 0.5;
    const state = await analyse(subject, Float64Array.of(I), 0, quiet, never);
    const [a, b] = [0.7, 0.8];
    expect(state.fixedPoints).toHaveLength(1);
    const [v, w] = state.fixedPoints[0].x;
    expect(Math.abs(v - v ** 3 / 3 - (v + a) / b + I)).toBeLessThan(1e-12);
    expect(Math.abs(w - (v + a) / b)).toBeLessThan(1e-12);
    expect(state.fixedPoints[0].output).toEqual([v]);
    const r = pulse(subject, state, Float64Array.from(state.fixedPoints[0].x), 0, 1, 20, 100);
    expect(r.view.inputs).toHaveLength(100);
    expect(r.view.inputs![19][0]).toBe(I + 1);
    expect(r.view.inputs![20][0]).toBe(I);
    // Before the pulse acts the state is the fixed point; during it, v rises (dv/dt = +1 at x*).
    expect(r.view.outputs![0][0]).toBe(v);
    expect(r.view.outputs![1][0]).toBeGreaterThan(v);
  });
});

describe('explorer compute: the flip-flop network', () => {
  const text = readFileSync(FLIPFLOP, 'utf8');

  it('finds 8 stable corners, and a pulse on one input flips exactly that bit', async () => {
    const subject = openSubject({ kind: 'text', name: 'flipflop.json', text });
    expect(subject.info).toMatchObject({
      dim: 16,
      time: 'map',
      inputs: 3,
      outputs: 3,
      view: 'pca',
    });
    const state = await analyse(subject, new Float64Array(3), 0, quiet, never);
    const stable = state.fixedPoints.filter((p) => p.stability === 'stable');
    expect(stable).toHaveLength(8);
    expect(state.view.projection!.components).toHaveLength(3);
    // The picture coordinates are the PCA scores the projection reports.
    const p0 = state.view.projection!.fixedPoints[0].point;
    const mine = state.toPicture(Float64Array.from(state.fixedPoints[0].x));
    mine.forEach((c, k) => expect(c).toBeCloseTo(p0[k], 10));

    const signs = (z: number[]) => z.map(Math.sign).join('');
    for (const channel of [0, 1, 2]) {
      const from = stable[channel + 2];
      const z = from.output!;
      const r = pulse(
        subject,
        state,
        Float64Array.from(from.x),
        channel,
        -2 * Math.sign(z[channel]),
        1,
        60,
      );
      const to = state.fixedPoints[r.view.settled.nearest!];
      expect(r.view.settled.relativeDistance).toBeLessThan(1e-3);
      const want = z.map((v, i) => (i === channel ? -Math.sign(v) : Math.sign(v)));
      expect(signs(to.output!)).toBe(want.join(''));
      expect(r.view.outputs).toHaveLength(61);
    }
  });

  it('same seed, same points in the same order (so a shared URL selects the same point)', async () => {
    const s1 = openSubject({ kind: 'text', name: 'f', text });
    const a = await analyse(s1, new Float64Array(3), 3, quiet, never);
    const b = await analyse(s1, new Float64Array(3), 3, quiet, never);
    expect(b.fixedPoints.map((p) => p.x)).toEqual(a.fixedPoints.map((p) => p.x));
  });

  it('rejects bad files and requests with messages a user can act on', () => {
    expect(() =>
      openSubject({
        kind: 'text',
        name: 'bad.json',
        text: '{"format": "rnnscope-model", "version": 1, "kind": "rnn"',
      }),
    ).toThrow(RnnscopeError);
    const one = JSON.stringify({
      format: 'rnnscope-model',
      version: 1,
      kind: 'rnn',
      activation: 'tanh',
      W: [[0.5]],
    });
    expect(() => openSubject({ kind: 'text', name: 'one.json', text: one })).toThrow(
      /needs at least 2/,
    );
    const notOurs = () => openSubject({ kind: 'text', name: 'x.json', text: '{"a": 1}' });
    expect(notOurs).toThrow(/not an rnnscope model file/);
  });
});

describe('explorer page helpers', () => {
  it('URL state round-trips and ignores junk', () => {
    const s = { example: 'flipflop', input: [0, -1, 0.5], seed: 4, fp: 3 };
    expect(urlSearch(s)).toBe('?example=flipflop&input=0,-1,0.5&seed=4&fp=3');
    expect(readUrlState(urlSearch(s))).toEqual(s);
    expect(readUrlState('?input=1,x&fp=-2&seed=1.5')).toEqual({});
    expect(urlSearch({ example: 'toy2d', input: [], seed: 0 })).toBe('?example=toy2d');
  });

  it('SHA-256 shim equals node:crypto, across block boundaries', () => {
    const rng = createRng('sha');
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100_003]) {
      const bytes = Uint8Array.from({ length: n }, () => rng.integer(256));
      expect(sha256(bytes), `${n} bytes`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('the fs shim serves dropped sidecars by bare name and says which one is missing', () => {
    clearFiles();
    registerFile('net.safetensors', Uint8Array.of(1, 2, 3));
    expect(Array.from(shimRead('/net.safetensors'))).toEqual([1, 2, 3]);
    expect(() => shimRead('/other.safetensors')).toThrow(/sidecar other\.safetensors/);
    clearFiles();
    expect(() => shimRead('/net.safetensors')).toThrow();
  });
});
