/**
 * Plain-data options and results of the excitable-network-attractor graph and of the echo
 * index. Everything here serialises with JSON (vectors are number[]).
 */
import type { LinalgBackend, Matrix } from '../../linalg/index.js';
import type { TaskSpec } from '../../tasks/types.js';
import type { Destination } from './ensemble.js';

export type { Destination } from './ensemble.js';

/** One finding of an analysis, for people and programs alike. */
export interface Diagnostic {
  level: 'error' | 'warning' | 'info';
  /** Stable identifier, e.g. 'missing-node', 'unexpected-edge', 'unidentified-destination'. */
  code: string;
  message: string;
  /** Node, channel, pattern … the finding is about (plain JSON). */
  data?: Record<string, unknown>;
}

/** Linear stability of a fixed point of the map the model iterates (multipliers μ of DG). */
export interface EigenSummary {
  label: string;
  unstableDims: number;
  unstableDimsAtLeast?: boolean;
  /** Leading multipliers [re, im] (largest |μ| first): all of them for N ≤ 400, else the leading ones. */
  leading: [number, number][];
  /** Decay time of the slowest mode, −1/ln|μ| steps (negative: growth time of an unstable mode). */
  slowestSteps: number;
  /** Unit right eigenvector of the leading mode (its real part), for saddles the escape direction. */
  leadingVector?: number[];
}

export interface GraphNode {
  index: number;
  x: number[];
  /** Readout z(x*), for models with one. */
  output?: number[];
  /** Sign pattern of the readout: '+' (z ≥ zeroTol), '-' (z ≤ −zeroTol), '0' otherwise. */
  pattern?: string;
  q: number;
  eigen: EigenSummary;
  /** 'census': found by the fixed-point search; 'transition': a pulse run came to rest there first. */
  source: 'census' | 'transition';
}

export interface GraphSaddle {
  index: number;
  /**
   * 'fixed': an unstable fixed point. 'slow': Newton from the slowest point of a transition
   * stagnated at a small but nonzero speed — the transition crosses a slow region (the ghost of
   * a saddle), not a fixed point.
   */
  kind: 'fixed' | 'slow';
  x: number[];
  output?: number[];
  q: number;
  /** ‖G(x) − x‖ per step there (0 up to round-off for 'fixed'). */
  speed: number;
  eigen: EigenSummary;
  /** 'census', or 'transition' when polished from the slowest point of a near-threshold run. */
  source: 'census' | 'transition';
}

/** The unstable fixed point a near-threshold run passes. */
export interface SaddleCrossing {
  /** Index into `saddles`. */
  saddle: number;
  /** Closest approach of the run started just above threshold (state units). */
  distance: number;
  /** distance / stateScale. */
  relativeDistance: number;
  /** Steps the run spent within `nearRadius` of it. */
  stepsNear: number;
  unstableDims: number;
  /** The saddle's kind: a fixed point, or a slow region ('slow'). */
  kind: 'fixed' | 'slow';
  /** Closest approach of the run started just below threshold (it passes the same saddle). */
  belowDistance: number;
  /** True when another saddle held the run longer than the closest one (reported, rare). */
  longestElsewhere?: number;
}

export interface GraphEdge {
  from: number;
  to: number;
  channel: number;
  sign: 1 | -1;
  /** Smallest pulse amplitude found to cause the transition: the upper end of the bracket. */
  threshold: number;
  /** [lo, hi]: below lo the pulse does not reach `to`, at hi it does. */
  bracket: [number, number];
  bracketWidth: number;
  /** Where the run just below threshold ends (usually `from`). */
  below: Destination;
  /** Steps from the end of the pulse until the run at `threshold` settled. */
  settleSteps: number;
  saddle: SaddleCrossing | null;
}

/** Destinations of the amplitude grid for one (node, channel, sign). */
export interface AmplitudeScan {
  from: number;
  channel: number;
  sign: 1 | -1;
  amplitudes: number[];
  destinations: Destination[];
}

export interface FlipFlopExpectation {
  bits: number;
  /** Pulse amplitude of the task (1). */
  amplitude: number;
  expectedNodes: number;
  expectedEdges: number;
  missingPatterns: string[];
  /** Patterns shared by more than one node, with the nodes. */
  duplicatePatterns: { pattern: string; nodes: number[] }[];
  /** Nodes whose readout is near 0 in some channel. */
  ambiguousNodes: number[];
  /**
   * Expected flips not in the graph: 'no node' when pattern `from` or `to` has no node,
   * 'not reached' when the pulse from `node` never reaches a node with pattern `to`.
   */
  missingEdges: {
    from: string;
    channel: number;
    sign: 1 | -1;
    to: string;
    reason: 'no node' | 'not reached';
    node?: number;
  }[];
  unexpectedEdges: { from: number; to: number; channel: number; sign: 1 | -1 }[];
  /** Expected flips that the task's own pulse does not produce (destination at the task amplitude). */
  failingAtTaskAmplitude: {
    from: string;
    channel: number;
    sign: 1 | -1;
    expected: string;
    got: Destination;
  }[];
  /** Everything as the task wants it. */
  ok: boolean;
}

export interface AttractorGraphOptions {
  /** Baseline input the model is frozen at between pulses (default zeros). */
  input?: Float64Array;
  /** Input channels pulsed (default all). */
  channels?: number[];
  /** Pulse signs tried (default [1, −1]). */
  signs?: (1 | -1)[];
  /** Largest pulse amplitude scanned (default 2× the task's pulse amplitude, or 2). */
  maxAmplitude?: number;
  /** Grid points in (0, maxAmplitude] (default 8); the task amplitude is added. */
  gridPoints?: number;
  /** Steps a pulse lasts (default: the task's pulse width, or 1). */
  pulseWidth?: number;
  /**
   * Task whose trajectories seed the census and whose expectations are checked (flip-flop).
   * Without one, trajectories are driven by random pulses on the chosen channels.
   */
  task?: Partial<TaskSpec> & { task: TaskSpec['task'] };
  /** Seed of every random choice (trajectories, sampling). Default 0. */
  seed?: number | string;
  /** Task trials simulated for the census (default 16) and their length (default 500 steps). */
  trials?: number;
  steps?: number;
  /** Initial states of those trials: N(0, x0Scale²) (default 0.5). */
  x0Scale?: number;
  /** Trajectory states relaxed under the baseline input to find the attractors (default 48). */
  relaxStarts?: number;
  /** Trajectory states used as raw starts, for saddles (default 64 for N ≤ 128, else 0). */
  inits?: number;
  /** More starts (rows, N columns). */
  states?: Matrix;
  /**
   * Node identification: within nodeTol·stateScale of a node (default 0.1), and within half the
   * distance from that node to any other node or saddle.
   */
  nodeTol?: number;
  /** Settled: per-step ‖Δx‖ ≤ settleSpeed·stateScale near a node (default 3e-3). */
  settleSpeed?: number;
  /** At rest away from every node: ‖Δx‖ ≤ restSpeed·stateScale, not increasing, for 10 steps (default 1e-7). */
  restSpeed?: number;
  /** Step cap after a pulse (default 5000). */
  maxSteps?: number;
  /** Bisection stops when hi − lo ≤ bracketTol·hi (default 1e-3). */
  bracketTol?: number;
  /** Readout magnitude below which a pattern entry is '0' (default 0.5). */
  zeroTol?: number;
  /** Rows stepped together at most (default 512). */
  maxBatch?: number;
  /** Fixed-point search tuning passed through (method, maxIterations, …). */
  fixedPoints?: { method?: 'auto' | 'gauss-newton' | 'newton-krylov'; maxIterations?: number };
  backend?: LinalgBackend;
  onProgress?: (p: GraphProgress) => void;
  shouldStop?: () => boolean;
}

export interface GraphProgress {
  phase: 'trajectories' | 'relax' | 'census' | 'scan' | 'bisect' | 'saddles' | 'track';
  done: number;
  total: number;
  elapsedSeconds: number;
}

export interface AttractorGraph {
  nodes: GraphNode[];
  saddles: GraphSaddle[];
  edges: GraphEdge[];
  scans: AmplitudeScan[];
  flipflop?: FlipFlopExpectation;
  diagnostics: Diagnostic[];
  settings: {
    kind: string;
    dim: number;
    input: number[];
    channels: number[];
    signs: (1 | -1)[];
    maxAmplitude: number;
    amplitudes: number[];
    pulseWidth: number;
    task: TaskSpec | null;
    seed: number | string;
    stateScale: number;
    nodeTol: number;
    settleSpeed: number;
    restSpeed: number;
    maxSteps: number;
    bracketTol: number;
    zeroTol: number;
    nearRadius: number;
    /** What the analysis iterates: the model's map (Euler map for rate/ctrnn). */
    time: string;
  };
  census: {
    trajectoryStates: number;
    relaxed: number;
    relaxedAtRest: number;
    starts: number;
    fixedPoints: number;
    stable: number;
    unstable: number;
    slow: number;
    notConverged: number;
  };
  /** Row-steps simulated in each phase, and wall-clock seconds. */
  work: { rowSteps: Record<string, number>; seconds: Record<string, number> };
  interrupted: boolean;
}
