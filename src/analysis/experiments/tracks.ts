/**
 * Following fixed points through a sequence of systems (training snapshots, a parameter sweep):
 * points of consecutive snapshots are paired by nearest neighbour, and the pairing is turned
 * into tracks — a point's life from the snapshot where it appears to the one where it vanishes —
 * and events: appearance, disappearance, change of stability.
 */
import { distance } from './stats.js';

/** Pairing of the points of one snapshot with those of the next. */
export interface Matching {
  /** [index in previous, index in current, distance], in the order they were paired. */
  pairs: [number, number, number][];
  unmatchedPrevious: number[];
  unmatchedCurrent: number[];
}

/**
 * Greedy nearest-neighbour matching: all pairs (i, j) with ‖pᵢ − cⱼ‖ ≤ radius are taken in
 * order of increasing distance, each point used at most once. A point that stays put is
 * therefore always paired with itself before any newcomer near it (the origin of a pitchfork
 * keeps its track; the two branches born next to it start new ones).
 */
export function matchNearest(
  previous: readonly ArrayLike<number>[],
  current: readonly ArrayLike<number>[],
  radius: number,
): Matching {
  const candidates: [number, number, number][] = [];
  for (let i = 0; i < previous.length; i++)
    for (let j = 0; j < current.length; j++) {
      const d = distance(previous[i], current[j]);
      if (d <= radius) candidates.push([i, j, d]);
    }
  candidates.sort((a, b) => a[2] - b[2] || a[0] - b[0] || a[1] - b[1]);
  const usedPrev = new Set<number>();
  const usedCur = new Set<number>();
  const pairs: [number, number, number][] = [];
  for (const c of candidates) {
    if (usedPrev.has(c[0]) || usedCur.has(c[1])) continue;
    usedPrev.add(c[0]);
    usedCur.add(c[1]);
    pairs.push(c);
  }
  return {
    pairs,
    unmatchedPrevious: previous.map((_, i) => i).filter((i) => !usedPrev.has(i)),
    unmatchedCurrent: current.map((_, j) => j).filter((j) => !usedCur.has(j)),
  };
}

/** What a track records about its point at one snapshot. */
export interface TrackPoint {
  /** Training step (or parameter value) of the snapshot. */
  step: number;
  /** Index of the snapshot in the evolution. */
  snapshot: number;
  kind: 'fixed' | 'slow';
  q: number;
  stability: 'stable' | 'unstable' | 'marginal' | 'not computed';
  label?: string;
  /** Unstable dimensions; a lower bound when `unstableDimsAtLeast` (leading modes only). */
  unstableDims?: number;
  unstableDimsAtLeast?: boolean;
  /** Leading eigenvalue [re, im] (the most unstable / slowest mode). */
  leading?: [number, number];
  /** Readout z(x*) with this snapshot's readout. */
  output?: number[];
  /** ‖x*‖. */
  norm: number;
  /** Distance from the track's point at the previous snapshot (0 at its first). */
  moved: number;
  /** Coordinates on the first principal axes of all tracked points (filled in at the end). */
  pc?: number[];
  /** The point itself, when asked for (`keepStates`). */
  x?: number[];
}

export interface Track {
  id: number;
  /** Step of the first snapshot with the point. */
  appeared: number;
  /** Step of the first snapshot without it after it appeared, or null if it lasts to the end. */
  vanished: number | null;
  /** Present at the first snapshot (its appearance is not an event). */
  initial: boolean;
  points: TrackPoint[];
}

export type EvolutionEventType = 'appear' | 'vanish' | 'stability';

/** A bifurcation-diagram event between snapshot `snapshot − 1` and `snapshot`. */
export interface EvolutionEvent {
  type: EvolutionEventType;
  step: number;
  snapshot: number;
  track: number;
  /** For 'stability': before and after. For 'appear': the new point's; 'vanish': the last seen. */
  from?: { stability: TrackPoint['stability']; unstableDims?: number };
  to?: { stability: TrackPoint['stability']; unstableDims?: number };
}

const stabilityOf = (p: TrackPoint) => ({
  stability: p.stability,
  ...(p.unstableDims !== undefined ? { unstableDims: p.unstableDims } : {}),
});

/**
 * True when the stability of a track changed between two of its points: the stable/unstable/
 * marginal class, or the number of unstable dimensions. Two lower bounds from leading modes
 * only (both `unstableDimsAtLeast`) are not compared by count: both just say "at least k".
 */
export function stabilityChanged(a: TrackPoint, b: TrackPoint): boolean {
  if (a.stability !== b.stability) return true;
  if (a.unstableDims === undefined || b.unstableDims === undefined) return false;
  if (a.unstableDimsAtLeast && b.unstableDimsAtLeast) return false;
  return a.unstableDims !== b.unstableDims;
}

/**
 * Incremental track builder: `add` the points of each snapshot in order; points are matched to
 * the tracks alive at the previous snapshot by `matchNearest` within `radius`.
 */
export class TrackBuilder {
  readonly tracks: Track[] = [];
  readonly events: EvolutionEvent[] = [];
  private alive: { track: Track; x: ArrayLike<number> }[] = [];
  private snapshots = 0;

  constructor(private readonly radius: number) {}

  /** Adds the points of the snapshot at `step` (with their states); returns each one's track id. */
  add(step: number, points: { point: TrackPoint; x: ArrayLike<number> }[]): number[] {
    const k = this.snapshots++;
    const ids = new Array<number>(points.length);
    const m = matchNearest(
      this.alive.map((a) => a.x),
      points.map((p) => p.x),
      this.radius,
    );
    const next: { track: Track; x: ArrayLike<number> }[] = [];
    for (const [i, j, d] of m.pairs) {
      const track = this.alive[i].track;
      const prev = track.points[track.points.length - 1];
      const p = { ...points[j].point, moved: d };
      if (stabilityChanged(prev, p))
        this.events.push({
          type: 'stability',
          step: p.step,
          snapshot: k,
          track: track.id,
          from: stabilityOf(prev),
          to: stabilityOf(p),
        });
      track.points.push(p);
      ids[j] = track.id;
      next.push({ track, x: points[j].x });
    }
    for (const i of m.unmatchedPrevious) {
      const track = this.alive[i].track;
      track.vanished = step;
      const last = track.points[track.points.length - 1];
      this.events.push({
        type: 'vanish',
        step,
        snapshot: k,
        track: track.id,
        from: stabilityOf(last),
      });
    }
    for (const j of m.unmatchedCurrent) {
      const p = { ...points[j].point, moved: 0 };
      const track: Track = {
        id: this.tracks.length,
        appeared: p.step,
        vanished: null,
        initial: k === 0,
        points: [p],
      };
      this.tracks.push(track);
      if (k > 0)
        this.events.push({
          type: 'appear',
          step: p.step,
          snapshot: k,
          track: track.id,
          to: stabilityOf(p),
        });
      ids[j] = track.id;
      next.push({ track, x: points[j].x });
    }
    this.alive = next;
    return ids;
  }
}
