/**
 * The evolution machinery on hand-made "training snapshots" with known bifurcations: a rate
 * network τẋ = −x + (W + Wfb·Wout)·tanh(x) with W = 0, Wfb = I and Wout = diag(w₁, w₂), so each
 * coordinate obeys ẋ = −x + w·tanh(x): the origin is stable for w < 1 and, at w = 1, loses
 * stability in a pitchfork that creates the two stable points ±a with a = w·tanh(a).
 * With w₁ = s and w₂ = s − 0.5 over a sequence of s, coordinate 1 bifurcates between s = 0.9
 * and 1.1, coordinate 2 between s = 1.3 and 1.6; every appearance and stability change is known.
 */
import { describe, expect, it } from 'vitest';
import {
  fixedPointEvolution,
  matchNearest,
  woutStages,
  woutSnapshotsFromMetadata,
} from '../../src/analysis/experiments/index.js';
import { RnnscopeError } from '../../src/errors.js';
import type { ModelParams } from '../../src/models/types.js';

const S = [0.5, 0.9, 1.1, 1.3, 1.6, 1.8];

function net(): ModelParams {
  return {
    kind: 'rate',
    activation: { name: 'tanh' },
    tau: 1,
    dt: 0.1,
    W: { rows: 2, cols: 2, data: new Float64Array(4) },
    Wfb: { rows: 2, cols: 2, data: Float64Array.of(1, 0, 0, 1) },
    Wout: { rows: 2, cols: 2, data: new Float64Array(4) },
  };
}

const snapshots = S.map((s, k) => ({
  step: 100 * (k + 1),
  Wout: { rows: 2, cols: 2, data: Float64Array.of(s, 0, 0, s - 0.5) },
}));

/** Positive root of a = w·tanh(a) (w > 1) by Newton from a = w. */
function branch(w: number): number {
  let a = w;
  for (let i = 0; i < 100; i++) a -= (a - w * Math.tanh(a)) / (1 - w * (1 - Math.tanh(a) ** 2));
  return a;
}

/** A 7×7 grid of starts on [−3, 3]². */
function grid() {
  const rows: number[] = [];
  for (let i = -3; i <= 3; i++) for (let j = -3; j <= 3; j++) rows.push(i, j);
  return { rows: 49, cols: 2, data: Float64Array.from(rows) };
}

describe('fixed-point evolution through known pitchforks', () => {
  it('counts the stable points, and reports each appearance and stability change at its step', async () => {
    const evo = await fixedPointEvolution(woutStages(net(), snapshots), grid());
    expect(evo.partial).toBe(false);
    expect(evo.snapshots.map((s) => s.stable)).toEqual([1, 1, 2, 2, 4, 4]);
    expect(evo.snapshots.map((s) => s.fixed > 0)).toEqual(S.map(() => true));
    expect(evo.snapshots.map((s) => s.tracks.length)).toEqual([1, 1, 3, 3, 9, 9]);
    // Nothing vanishes; all births at steps 300 (2 stable) and 500 (2 saddles, 4 stable).
    expect(evo.events.filter((e) => e.type === 'vanish')).toEqual([]);
    const births = evo.events.filter((e) => e.type === 'appear');
    expect(births.map((e) => e.step)).toEqual([300, 300, 500, 500, 500, 500, 500, 500]);
    const bornStable = (step: number) =>
      births.filter((e) => e.step === step && e.to?.stability === 'stable').length;
    expect([bornStable(300), bornStable(500)]).toEqual([2, 4]);
    const bornSaddles = births.filter(
      (e) => e.step === 500 && e.to?.stability === 'unstable' && e.to.unstableDims === 1,
    );
    expect(bornSaddles).toHaveLength(2);
    // The origin keeps one track throughout: stable → 1 unstable dim (300) → 2 (500).
    const origin = evo.tracks.find((t) => t.initial)!;
    expect(evo.tracks.filter((t) => t.initial)).toHaveLength(1);
    expect(origin.points.map((p) => p.norm)).toEqual(S.map(() => 0));
    expect(origin.vanished).toBeNull();
    const changes = evo.events.filter((e) => e.type === 'stability');
    const ofOrigin = changes.filter((e) => e.track === origin.id);
    expect(ofOrigin.map((e) => [e.step, e.from, e.to])).toEqual([
      [300, { stability: 'stable', unstableDims: 0 }, { stability: 'unstable', unstableDims: 1 }],
      [500, { stability: 'unstable', unstableDims: 1 }, { stability: 'unstable', unstableDims: 2 }],
    ]);
    // The first pair (±a, 0) turns into saddles at 500; no other stability changes.
    const others = changes.filter((e) => e.track !== origin.id);
    expect(others).toHaveLength(2);
    for (const e of others) {
      expect(e.step).toBe(500);
      expect(e.from).toEqual({ stability: 'stable', unstableDims: 0 });
      expect(e.to).toEqual({ stability: 'unstable', unstableDims: 1 });
    }
    // Positions follow the branches a(w) of each coordinate.
    for (const t of evo.tracks) {
      for (const p of t.points) {
        const s = S[p.snapshot];
        const [w1, w2] = [s, s - 0.5];
        const out = p.output!; // z = Wout·tanh(x) = (w₁ tanh x₁, w₂ tanh x₂) = x at a fixed point
        const branches = [w1, w2].map((w) => (w > 1 ? [0, branch(w)] : [0]));
        out.forEach((z, i) => {
          const gap = Math.min(...branches[i].map((a) => Math.abs(Math.abs(z) - a)));
          expect(gap).toBeLessThan(1e-9);
        });
      }
    }
    // PCA coordinates are attached to every tracked point.
    expect(evo.tracks.every((t) => t.points.every((p) => p.pc?.length === 2))).toBe(true);
  });

  it('stops between snapshots on the signal and labels the result partial', async () => {
    const signal = { aborted: false };
    const evo = await fixedPointEvolution(woutStages(net(), snapshots), grid(), {
      signal,
      onSnapshot: (_s, done) => {
        if (done === 3) signal.aborted = true;
      },
    });
    expect(evo.partial).toBe(true);
    expect(evo.snapshots).toHaveLength(3);
    expect(evo.interruptedAt).toBe(400);
  });

  it('matches nearest pairs first, within the radius', () => {
    const m = matchNearest(
      [
        [0, 0],
        [1, 0],
        [5, 5],
      ],
      [
        [0.1, 0],
        [0.05, 0],
        [1.2, 0],
        [9, 9],
      ],
      0.5,
    );
    expect(m.pairs.map(([i, j]) => [i, j])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(m.unmatchedPrevious).toEqual([2]);
    expect(m.unmatchedCurrent).toEqual([0, 3]);
  });

  it('reads snapshots from model metadata and rejects models without feedback or snapshots', () => {
    const params = net();
    const meta = {
      woutSnapshots: [
        {
          step: 200,
          Wout: [
            [1, 0],
            [0, 1],
          ],
        },
        {
          step: 100,
          Wout: [
            [0.5, 0],
            [0, 0],
          ],
        },
      ],
    };
    const snaps = woutSnapshotsFromMetadata(meta, params);
    expect(snaps.map((s) => s.step)).toEqual([100, 200]);
    expect(Array.from(snaps[1].Wout.data)).toEqual([1, 0, 0, 1]);
    expect(() => woutSnapshotsFromMetadata({}, params)).toThrow(/--snapshots/);
    expect(() =>
      woutSnapshotsFromMetadata({ woutSnapshots: [{ step: 1, Wout: [[1, 2, 3]] }] }, params),
    ).toThrow(/2 rows of 2 finite numbers/);
    const noFeedback = { ...params, Wfb: undefined };
    expect(() => woutStages(noFeedback, snapshots)).toThrow(RnnscopeError);
    expect(() => woutStages(noFeedback, snapshots)).toThrow(/no Wfb/);
  });
});
