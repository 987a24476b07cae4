/**
 * The Nyquist criterion with critical point 1 + 0i: Z = N + P against closed-form loops, against
 * the mean-field closed-loop modes (M = 3: multi.test.ts), and why the 0 + 1i of seed 001's caption cannot be the point.
 */
import { describe, expect, it } from 'vitest';
import {
  nyquist,
  singleLevel,
  singleLevelGain,
  type MeanFieldSetting,
} from '../../src/analysis/meanfield/index.js';
import type { Complex } from '../../src/analysis/spectrum/index.js';

/** G(iω) = k/(iω − p) for a real pole p: closed-loop pole at p + k. */
const firstOrder =
  (k: number, p: number) =>
  (w: number): Complex => {
    const d = p * p + w * w;
    return [(-k * p) / d, (-k * w) / d];
  };

describe('Nyquist criterion', () => {
  it('counts encirclements of 1 for first-order loops (Z = N + P)', () => {
    // Stable open loop (p = −1): closed loop pole at k − 1.
    expect(nyquist(firstOrder(0.5, -1), 0)).toMatchObject({
      encirclements: 0,
      closedLoopUnstablePoles: 0,
      stable: true,
    });
    expect(nyquist(firstOrder(2, -1), 0)).toMatchObject({
      encirclements: 1,
      closedLoopUnstablePoles: 1,
      stable: false,
    });
    // Unstable open loop (p = 0.5, P = 1): k = −2 moves the pole to −1.5, one counter-clockwise turn.
    expect(nyquist(firstOrder(-2, 0.5), 1)).toMatchObject({
      encirclements: -1,
      closedLoopUnstablePoles: 0,
      stable: true,
    });
    expect(nyquist(firstOrder(1, 0.5), 1)).toMatchObject({
      encirclements: 0,
      closedLoopUnstablePoles: 1,
      stable: false,
    });
  });

  it('counts a complex pair of closed-loop poles as two encirclements', () => {
    // G(s) = k/((s + 1)² + 4): 1 − G = 0 ⇔ (s + 1)² = k − 4; k = 6 puts s = −1 ± √2 (one unstable),
    // k = −20 puts s = −1 ± 4i (stable), k = 3 puts s = −1 ± i (stable).
    const second =
      (k: number) =>
      (w: number): Complex => {
        const re = 1 - w * w + 4;
        const im = 2 * w;
        const d = re * re + im * im;
        return [(k * re) / d, (-k * im) / d];
      };
    expect(nyquist(second(6), 0).closedLoopUnstablePoles).toBe(1);
    expect(nyquist(second(3), 0).stable).toBe(true);
    expect(nyquist(second(-20), 0).stable).toBe(true);
  });

  it('agrees with the sign of λ_out over a grid of M = 1 settings', () => {
    const settings: MeanFieldSetting[] = [
      { g: 0.5, activation: { name: 'tanh' }, feedback: 'uniform' },
      { g: 1.4, activation: { name: 'tanh' }, feedback: 'normal' },
      { g: 0.6, activation: { name: 'relu', threshold: 0.1 }, feedback: 'uniform' },
      { g: 1.1, activation: { name: 'relu', threshold: 0.3 }, feedback: 'bernoulli' },
      { g: 1.2, activation: { name: 'logistic' }, feedback: 'uniform' },
    ];
    for (const s of settings) {
      for (const A of [0.5, 1.5]) {
        const t = singleLevel(s, A);
        const ny = nyquist((w) => singleLevelGain(t, w), t.beta1 > 1 ? 1 : 0);
        expect(ny.stable, `${s.activation.name} g=${s.g} A=${A}`).toBe(t.lambdaOut < 0);
      }
    }
  });

  it('0 + 1i would call every M = 1 network stable (so the critical point is 1 + 0i)', () => {
    // G_OL(iω) = Aβ₀/(1 − β₁ + iω) is a circle through 0 with its diameter on the real axis: it
    // can enclose 1 (when G_OL(0) > 1) but never i.
    const t = singleLevel(
      { g: 1.1, activation: { name: 'relu', threshold: 0.1 }, feedback: 'uniform' },
      1,
    );
    expect(t.lambdaOut).toBeGreaterThan(0);
    expect(nyquist((w) => singleLevelGain(t, w), 0).encirclements).toBe(1);
    // Winding around i: shift the curve by 1 − i so that i lands on 1.
    const aroundI = nyquist((w) => {
      const [re, im] = singleLevelGain(t, w);
      return [re + 1, im - 1];
    }, 0);
    expect(aroundI.encirclements).toBe(0);
  });
});
