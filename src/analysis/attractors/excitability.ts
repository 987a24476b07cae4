/**
 * Edges of the excitable network attractor (Ceni, Ashwin & Livi 2019): for each node, input
 * channel and sign, the pulse amplitudes that move the network to another node. An amplitude grid
 * finds which destinations occur; bisection narrows each to its excitability threshold (the
 * smallest amplitude reaching that destination); a final pair of runs just above and just below
 * the threshold shows the saddle the transition crosses — the unstable fixed point both runs
 * approach closest and linger at, on either side of its stable manifold.
 */
import type { Matrix } from '../../linalg/index.js';
import {
  runEnsemble,
  type Destination,
  type JobOutcome,
  type PulseJob,
  type SettleSettings,
  type Targets,
} from './ensemble.js';
import type { ModelStepper } from './stepper.js';
import type { AmplitudeScan, SaddleCrossing } from './types.js';

export interface EdgeContext {
  stepper: ModelStepper;
  /** Node states (rows): where pulses start. */
  nodes: Matrix;
  /** Nodes with their identification radii: where runs end. */
  targets: Targets;
  settings: SettleSettings;
  pulseWidth: number;
  shouldStop: () => boolean;
}

const row = (M: Matrix, k: number) => M.data.subarray(k * M.cols, (k + 1) * M.cols);

/** An outcome at rest away from every node, kept for the census to inspect. */
export interface RestOutcome {
  scan: number;
  /** Index into the scan's amplitudes. */
  k: number;
  state: Float64Array;
}

/**
 * Runs every (node in `from`, channel, sign, amplitude) of the grid in one ensemble. Returns
 * the scans, the end states of runs that came to rest away from every node, and the row-steps.
 */
export function* scanGrid(
  ctx: EdgeContext,
  from: number[],
  channels: number[],
  signs: (1 | -1)[],
  amplitudes: number[],
): Generator<void, { scans: AmplitudeScan[]; rests: RestOutcome[]; rowSteps: number }> {
  const scans: AmplitudeScan[] = [];
  const rests: RestOutcome[] = [];
  const queue: PulseJob[] = [];
  for (const node of from)
    for (const channel of channels)
      for (const sign of signs) {
        const scan: AmplitudeScan = {
          from: node,
          channel,
          sign,
          amplitudes: [...amplitudes],
          destinations: amplitudes.map(() => 'unsettled' as Destination),
        };
        const s = scans.length;
        scans.push(scan);
        amplitudes.forEach((a, k) =>
          queue.push({
            x0: row(ctx.nodes, node),
            channel,
            value: sign * a,
            width: ctx.pulseWidth,
            onDone(o: JobOutcome) {
              scan.destinations[k] = o.destination;
              if (o.status === 'at rest') rests.push({ scan: s, k, state: o.state });
            },
          }),
        );
      }
  const rowSteps: number = yield* runEnsemble(
    ctx.stepper,
    ctx.targets,
    ctx.settings,
    queue,
    ctx.shouldStop,
  );
  return { scans, rests, rowSteps };
}

/** A transition to bracket: scan `scan` first reaches node `to` at grid index k. */
export interface Bracket {
  scan: AmplitudeScan;
  to: number;
  lo: number;
  hi: number;
  below: Destination;
  settleSteps: number;
  /** Slowest states of the last runs above and below threshold (for polishing saddles). */
  slowAbove?: Float64Array;
  slowBelow?: Float64Array;
}

/** One bracket per (scan, destination node other than the origin): the first grid hit. */
export function bracketsOf(scans: AmplitudeScan[]): Bracket[] {
  const out: Bracket[] = [];
  for (const scan of scans) {
    const seen = new Set<number>();
    scan.destinations.forEach((d, k) => {
      if (typeof d !== 'number' || d === scan.from || seen.has(d)) return;
      seen.add(d);
      out.push({
        scan,
        to: d,
        lo: k === 0 ? 0 : scan.amplitudes[k - 1],
        hi: scan.amplitudes[k],
        below: k === 0 ? scan.from : scan.destinations[k - 1],
        settleSteps: -1,
      });
    });
  }
  return out;
}

/**
 * Bisects every bracket until hi − lo ≤ tol·hi: a midpoint run that reaches `to` becomes the new
 * hi, anything else (origin, another node, unsettled) the new lo. Brackets proceed
 * independently: each finished run queues its successor in the same ensemble.
 */
export function* bisectBrackets(
  ctx: EdgeContext,
  brackets: Bracket[],
  tol: number,
  onRound?: () => void,
): Generator<void, number> {
  const queue: PulseJob[] = [];
  const next = (b: Bracket) => {
    if (b.hi - b.lo <= tol * b.hi) return;
    const mid = 0.5 * (b.lo + b.hi);
    queue.push({
      x0: row(ctx.nodes, b.scan.from),
      channel: b.scan.channel,
      value: b.scan.sign * mid,
      width: ctx.pulseWidth,
      trackMinSpeed: true,
      onDone(o) {
        onRound?.();
        if (o.status === 'interrupted') return;
        if (o.destination === b.to) {
          b.hi = mid;
          b.settleSteps = o.steps;
          if (o.minSpeed) b.slowAbove = o.minSpeed.state;
        } else {
          b.lo = mid;
          b.below = o.destination;
          if (o.minSpeed) b.slowBelow = o.minSpeed.state;
        }
        next(b);
      },
    });
  };
  brackets.forEach(next);
  return yield* runEnsemble(ctx.stepper, ctx.targets, ctx.settings, queue, ctx.shouldStop);
}

/** Rounds bisection needs for a bracket (for progress totals). */
export function bisectionRounds(b: Bracket, tol: number): number {
  const hi = b.hi;
  let lo = b.lo;
  let n = 0;
  while (hi - lo > tol * hi && n < 200) {
    lo = 0.5 * (lo + hi); // the width halves whichever side moves
    n++;
  }
  return n;
}

/**
 * Reruns each bracket's ends (hi and lo), tracking the distance to every saddle; the crossing is
 * the saddle the run above threshold passes closest to. Also fills `settleSteps` where bisection
 * never ran (brackets already narrower than the tolerance).
 */
export function* trackCrossings(
  ctx: EdgeContext,
  brackets: Bracket[],
  saddles: Matrix,
  scale: number,
  info: { unstableDims: number; kind: 'fixed' | 'slow' }[],
): Generator<void, { crossings: (SaddleCrossing | null)[]; rowSteps: number }> {
  const crossings: (SaddleCrossing | null)[] = brackets.map(() => null);
  if (brackets.length === 0) return { crossings, rowSteps: 0 };
  const above: (JobOutcome | undefined)[] = [];
  const belowRuns: (JobOutcome | undefined)[] = [];
  const queue: PulseJob[] = [];
  brackets.forEach((b, k) => {
    for (const side of ['hi', 'lo'] as const) {
      const a = side === 'hi' ? b.hi : b.lo;
      if (side === 'lo' && (a === 0 || saddles.rows === 0)) continue;
      queue.push({
        x0: row(ctx.nodes, b.scan.from),
        channel: b.scan.channel,
        value: b.scan.sign * a,
        width: ctx.pulseWidth,
        trackPoints: saddles,
        onDone(o) {
          if (side === 'hi') above[k] = o;
          else belowRuns[k] = o;
        },
      });
    }
  });
  const rowSteps: number = yield* runEnsemble(
    ctx.stepper,
    ctx.targets,
    ctx.settings,
    queue,
    ctx.shouldStop,
  );
  brackets.forEach((b, k) => {
    const hi = above[k];
    if (!hi?.closest || !hi.stepsNear || hi.status === 'interrupted') return;
    if (b.settleSteps < 0 && hi.destination === b.to) b.settleSteps = hi.steps;
    if (saddles.rows === 0) return;
    let best = 0;
    let longest = 0;
    for (let s = 1; s < saddles.rows; s++) {
      if (hi.closest[s] < hi.closest[best]) best = s;
      if (hi.stepsNear[s] > hi.stepsNear[longest]) longest = s;
    }
    const lo = belowRuns[k];
    crossings[k] = {
      saddle: best,
      distance: hi.closest[best],
      relativeDistance: hi.closest[best] / scale,
      stepsNear: hi.stepsNear[best],
      unstableDims: info[best].unstableDims,
      kind: info[best].kind,
      belowDistance: lo?.closest ? lo.closest[best] : NaN,
      ...(longest !== best && hi.stepsNear[longest] > hi.stepsNear[best]
        ? { longestElsewhere: longest }
        : {}),
    };
  });
  return { crossings, rowSteps };
}
