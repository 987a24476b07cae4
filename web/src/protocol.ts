/**
 * Messages between the explorer page (which only draws) and its compute worker (which loads,
 * validates, simulates and analyses). Everything here is plain, structured-cloneable data.
 */
import type { FixedPointResult } from '../../src/analysis/fixed-points/types.js';
import type { FixedPointProjection } from '../../src/analysis/pca-projection.js';
import type { PhasePlane } from '../../src/report/phase-plane.js';

/** What the worker found about threads when it started. */
export interface ComputeEnvironment {
  crossOriginIsolated: boolean;
  /** 'wasm' (SIMD/FMA kernels) or 'ts' (the plain-TypeScript reference: no wasm SIMD here). */
  backend: 'wasm' | 'ts';
  /** Kernel build: 'fma' or 'simd' (wasm backend only). */
  variant?: string;
  /** The wasm memory is a SharedArrayBuffer (needed by the pool). */
  sharedMemory: boolean;
  /** Threads the worker pool runs, including the compute worker itself (1: single-threaded). */
  threads: number;
  /** Threads asked for (min(cores, 4)). */
  requestedThreads: number;
  /** Why fewer threads run than were asked for; undefined when the pool runs in full. */
  fallbackReason?: string;
}

/** What a loaded model or builtin system offers the page. */
export interface SubjectInfo {
  name: string;
  /** e.g. "rnn N=16 tanh" or the builtin's label. */
  description: string;
  kind: 'model' | 'builtin';
  dim: number;
  time: 'flow' | 'map';
  inputs: number;
  outputs: number;
  /** Names of the input channels (u1…, or I for FitzHugh–Nagumo). */
  inputNames: string[];
  /** What one simulation step is: 'step' (a map or a model's own Euler step) or a time step. */
  stepLabel: string;
  /** Time per simulation step (1 for maps). */
  dt: number;
  /** 2-D systems get a phase portrait, others a 3-D PCA view. */
  view: 'phase' | 'pca';
  /** Free-form model-file metadata (task, seed, notes, test scores). */
  metadata?: Record<string, unknown>;
}

/** A fixed-point analysis as shown: the library's result plus the picture's data. */
export interface AnalysisView {
  input: number[];
  seed: number;
  result: Omit<FixedPointResult, 'starts'>;
  /** Present for the PCA view (dim ≥ 3). */
  projection?: FixedPointProjection;
  /** Present for the phase view (dim = 2): vector field, nullclines, q contours, a few paths. */
  phase?: PhasePlane;
  /** Milliseconds: sampling trajectories, the fixed-point search, projection; and all together. */
  millis: { sampling: number; search: number; picture: number; total: number };
}

/** A simulated path, in picture coordinates (PCA or the two state coordinates). */
export interface PathView {
  /** Points of the path, starting with its initial state. */
  points: number[][];
  /** Readout over time (one row per point), when the system has one. */
  outputs?: number[][];
  /** Input over time (one row per point after the first), for pulses. */
  inputs?: number[][];
  /** Where it ended: the nearest fixed point, its distance, and the final speed ‖F‖. */
  settled: { nearest: number | null; distance: number; relativeDistance: number; speed: number };
  stepLabel: string;
  dt: number;
}

export type SourceSpec =
  | {
      kind: 'text';
      name: string;
      text: string;
      /** Safetensors sidecars dropped with the JSON file (models with N ≥ 1000 have one). */
      sidecars?: { name: string; bytes: Uint8Array }[];
    }
  | { kind: 'builtin'; name: 'toy2d' | 'fitzhugh-nagumo'; title: string };

export type Request =
  | { type: 'init' }
  | { type: 'load'; source: SourceSpec }
  | { type: 'analyse'; input: number[]; seed: number }
  | {
      type: 'launch';
      fixedPoint: number;
      mode: number;
      /** Displacement along the mode, as a fraction of the visited states' RMS radius (signed). */
      epsilon: number;
      steps: number;
    }
  | { type: 'start'; state: number[]; steps: number }
  | {
      type: 'pulse';
      channel: number;
      amplitude: number;
      pulseSteps: number;
      steps: number;
      /** Start at this fixed point, or (null) where the last path ended. */
      fixedPoint: number | null;
    };

export type RequestType = Request['type'];

/** Results by request type. */
export interface Results {
  init: ComputeEnvironment;
  load: SubjectInfo;
  analyse: AnalysisView;
  launch: PathView;
  start: PathView;
  pulse: PathView;
}

export type Reply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string } }
  | { id: number; progress: string };

/** A request as posted: the request plus its id. */
export type Envelope = Request & { id: number };
