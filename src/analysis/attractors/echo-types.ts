/** Options and results of the echo index (Ceni, Ashwin, Livi & Postlethwaite; seed 002). */
import type { LinalgBackend, Matrix } from '../../linalg/index.js';
import type { AnalyticBound, ContractionBound } from './contraction.js';
import type { DecayFit } from './decay.js';
import type { EchoInput } from './echo-input.js';

export type { EchoInput } from './echo-input.js';
export type { AnalyticBound, ContractionBound } from './contraction.js';
export type { DecayFit } from './decay.js';

export interface EchoIndexOptions {
  /** The input sequence (default zeros); random and pulse inputs are amplitude × a seeded pattern. */
  input?: EchoInput;
  /** Added to every input (default zeros). */
  baseline?: Float64Array;
  /** Inputs that random/pulse inputs drive (default all). */
  channels?: number[];
  /** Initial states M, drawn N(0, x0Scale²) per unit (default 64). */
  starts?: number;
  x0Scale?: number;
  /** More initial states (rows, N columns). */
  states?: Matrix;
  /** Steps simulated T (default 1000), the transient discarded (default T/2), the window compared (default min(100, T − transient)). */
  steps?: number;
  transient?: number;
  window?: number;
  /** Seed of x0, the input pattern, probes and region samples (default 0). */
  seed?: number | string;
  /** Same response: max over the window of ‖xᵢ − xⱼ‖ ≤ clusterTol·stateScale (default 1e-3). */
  clusterTol?: number;
  /** Perturbed copies of each cluster's representative, started at the end of the transient (default 2). */
  probes?: number;
  /** Their initial distance, relative to the state scale (default 1e-6). */
  probeSize?: number;
  /** Points for the sampled sup‖DG‖₂ (default 64; 0 skips the sampled estimate). */
  regionSamples?: number;
  /** Jitter of those points, relative to the state scale (default 0.05). */
  regionJitter?: number;
  /** Power iterations per point above 128 units (default 100). */
  powerIterations?: number;
  /** Compute the analytic bound |1 − s·c| + s·L·‖Weff‖₂ (default true; one N×N eigenproblem). */
  analytic?: boolean;
  backend?: LinalgBackend;
  onProgress?: (p: {
    phase: 'simulate' | 'probes' | 'region';
    done: number;
    total: number;
    elapsedSeconds: number;
  }) => void;
  shouldStop?: () => boolean;
}

export interface EchoCluster {
  /** Indices of the initial states that ended in this response. */
  members: number[];
  size: number;
  /** size / (starts that did not diverge): the sampled basin fraction. */
  fraction: number;
  /** The representative's final state and readout. */
  state: number[];
  output?: number[];
  /** max over the window of the members' distance to the representative, / stateScale. */
  spread: number;
  /** Exponential rate (per step) of the members' mean distance to the representative; null for singletons or when it is at the floor from the start. */
  memberDecay: DecayFit | null;
  /** Rate (per step) at which perturbations of size probeSize·stateScale decay: the local contraction. */
  probeDecay: DecayFit | null;
  /** Final over initial probe distance (largest over the probes). */
  probeRatio: number;
  /** Probes shrank by ≥ 10× with a negative rate: a local point attractor of the driven system. */
  attracting: boolean;
}

export interface EchoIndexResult {
  /** Number of distinct attracting responses; 1 means the echo state property holds for this input. */
  echoIndex: number;
  esp: boolean;
  clusters: EchoCluster[];
  /** Starts in non-attracting clusters (still moving, chaotic, or on a boundary) or diverged. */
  unresolved: number;
  diverged: number;
  contraction: ContractionBound | null;
  input: { description: string; kind: EchoInput['kind']; amplitude: number };
  settings: {
    kind: string;
    dim: number;
    starts: number;
    steps: number;
    /** Steps actually run: more than `steps` when representatives still approaching each other were followed further. */
    stepsRun: number;
    transient: number;
    window: number;
    seed: number | string;
    stateScale: number;
    clusterTol: number;
    probes: number;
    probeSize: number;
    /** What is iterated: the model's map (the Euler map for rate/ctrnn). */
    time: string;
  };
  warnings: string[];
  timings: { simulate: number; probes: number; region: number; total: number };
  interrupted: boolean;
}

export interface EchoSweepResult {
  amplitudes: number[];
  results: EchoIndexResult[];
  /** One line per amplitude: echo index and basin fractions. */
  table: {
    amplitude: number;
    echoIndex: number;
    fractions: number[];
    sampledMax: number | null;
    slowestProbeRate: number | null;
  }[];
  /** The amplitude-independent global bound (null when not computed). */
  analytic: AnalyticBound | null;
}
