/**
 * Plain-data options and results of the fixed-point analysis. Everything here serialises with
 * JSON (vectors are number[]; a non-finite number becomes null in rnnscope's JSON writer).
 */
import type { LinalgBackend } from '../../linalg/index.js';

export type FixedPointMethod = 'gauss-newton' | 'newton-krylov' | 'cg' | 'adam';

/** Why a start stopped. */
export type StopReason =
  /** q reached exactly 0. */
  | 'exact'
  /** No further decrease possible: q sits at the round-off floor of evaluating F. */
  | 'round-off floor'
  /** ∇q = JᵀF vanished while F did not: a local minimum of q (a slow point if q is small). */
  | 'local minimum of q'
  /** The trust region shrank to nothing without a decrease of q (J nearly singular). */
  | 'trust region collapsed'
  /** q fell by less than 10 % over the last 8 iterations (a slow region or local minimum). */
  | 'stagnated'
  | 'max iterations'
  /** First-order methods: q fell below their goal (cg: 10⁻⁶·tolFixed; adam: its tolQ). */
  | 'tolerance reached'
  /** Adam (FixedPointFinder's rule): |Δq| < tolDq·learning rate for every start. */
  | 'stalled'
  /** Initial state or an evaluation had NaN/±∞. */
  | 'non-finite'
  /** Converging to the same point as another start, which carries on for both. */
  | 'merged'
  | 'interrupted';

/** Per-start outcome. */
export interface StartOutcome {
  /** Row of the initial-state matrix. */
  index: number;
  status: 'fixed' | 'slow' | 'not converged';
  reason: StopReason;
  q: number;
  iterations: number;
  /** Index into `fixedPoints` this start ended at (after de-duplication), or null. */
  fixedPoint: number | null;
  /** For 'merged': the start that carried on. */
  mergedInto?: number;
}

/** One eigenmode of the linearisation, for plotting and interpretation. */
export interface Mode {
  /** [re, im] of the eigenvalue in the time convention (flows: of dF/dx; maps: of DG). */
  eigenvalue: [number, number];
  /**
   * Decay time: −1/Re λ (flows, in the system's time units) or −1/ln|μ| (maps, in steps);
   * negative for growing modes, Infinity (null in JSON) for marginal ones.
   */
  timeConstant: number;
  /** |Im λ| (rad per time unit) or |arg μ| (rad per step); 0 for real modes. */
  angularFrequency: number;
  /** Right eigenvector, unit norm (real and imaginary parts). */
  vector?: { re: number[]; im: number[] };
  /** Left eigenvector (yᴴJ = λyᴴ), unit norm, when asked for. */
  leftVector?: { re: number[]; im: number[] };
}

export type StabilityLabel =
  'stable node' | 'stable spiral' | 'saddle' | 'unstable node' | 'unstable spiral' | 'marginal';

export interface Linearization {
  /** Eigenvalues, sorted: by Re λ descending (flows) or |μ| descending (maps). */
  eigenvalues: [number, number][];
  /** 'full' (dense eigendecomposition) or 'leading' (the k leading modes by Arnoldi). */
  spectrum: 'full' | 'leading';
  stability: 'stable' | 'unstable' | 'marginal';
  label: StabilityLabel;
  /** Eigenvalues with Re λ > tol (flows) or |μ| > 1 + tol (maps). */
  unstableDims: number;
  /** True when only leading modes were computed and all of them were unstable. */
  unstableDimsAtLeast?: boolean;
  marginalDims: number;
  /** false when Arnoldi stopped before every leading Ritz pair met its tolerance. */
  eigenConverged?: false;
  /** The leading modes (most unstable / slowest first). */
  modes: Mode[];
}

export interface FixedPoint {
  x: number[];
  /** q = ½‖F(x)‖² in the system's units (see docs/fixed-points.md). */
  q: number;
  /** ‖F(x)‖ = √(2q): state units per time unit (flows) or per step (maps). */
  speed: number;
  kind: 'fixed' | 'slow';
  /** Starts that ended here. */
  count: number;
  /** Readout z(x*) for systems with one. */
  output?: number[];
  /** Distance to the centroid of the initial states over their mean distance to it. */
  distanceScale: number;
  eigenvalues?: [number, number][];
  stability?: 'stable' | 'unstable' | 'marginal' | 'not computed';
  label?: StabilityLabel;
  unstableDims?: number;
  unstableDimsAtLeast?: boolean;
  marginalDims?: number;
  spectrum?: 'full' | 'leading';
  eigenConverged?: false;
  modes?: Mode[];
}

export interface PeriodicOrbit {
  period: number;
  /** The k points of the orbit, x, G(x), …, G^{k−1}(x). */
  points: number[][];
  /** q of the k-step map at points[0]. */
  q: number;
  /** Eigenvalues of D(G^k) (Floquet multipliers), sorted by modulus. */
  multipliers: [number, number][];
  stability: 'stable' | 'unstable' | 'marginal';
  unstableDims: number;
  count: number;
  /** Readout at each orbit point, for systems with one. */
  outputs?: number[][];
}

/** Progress report for long runs. */
export interface FixedPointProgress {
  phase: 'optimise' | 'linearise' | 'periodic';
  iteration: number;
  /** Starts still being optimised (or points left to linearise). */
  active: number;
  total: number;
  /** Smallest q among the active starts. */
  bestQ: number;
  elapsedSeconds: number;
}

export interface FixedPointOptions {
  /** Optimiser; 'auto' (default) is gauss-newton up to `denseLimit` units, newton-krylov above. */
  method?: FixedPointMethod | 'auto';
  /**
   * Dimension up to which 'auto' picks gauss-newton and gauss-newton solves densely (default
   * 128); above it gauss-newton is matrix-free (CGLS and GMRES on J·v, Jᵀ·v products).
   */
  denseLimit?: number;
  /** Full eigendecomposition up to this dimension, leading modes by Arnoldi above (default 400). */
  eigenLimit?: number;
  /** q at or below which a point is fixed (default ½·N·(1e-11)²: RMS speed 1e-11 per unit). */
  tolFixed?: number;
  /** q at or below which a non-fixed point is slow (default ½·N·(1e-4)²). */
  tolSlow?: number;
  /** Iteration cap per start (default: gauss-newton 200, newton-krylov 60, cg 5000, adam 5000). */
  maxIterations?: number;
  /** Duplicates: ‖x₁ − x₂‖ ≤ uniqueTol · stateScale (default 1e-6). */
  uniqueTol?: number;
  /** Merge starts heading for the same point while optimising (default true). */
  earlyMerge?: boolean;
  /** Drop fixed points with distanceScale ≥ this (default: keep all). */
  outlierDistanceScale?: number;
  /** Linearise each fixed/slow point (default true). */
  linearize?: boolean;
  /** Modes reported per point, with eigenvectors (default 3). */
  modes?: number;
  /** Leading eigenvalues computed by Arnoldi above eigenLimit (default 10). */
  leadingEigenvalues?: number;
  /** Also left eigenvectors of the reported modes (default false). */
  leftEigenvectors?: boolean;
  /** Eigenvalues with |growth| ≤ this are marginal (default 1e-8·max(1, ‖J‖∞)). */
  marginalTol?: number;
  /**
   * Fixed points of the k-step map (maps only): 'auto' (default) searches when no stable
   * fixed point was found, 'always', or 'never'.
   */
  periodic?: 'auto' | 'always' | 'never';
  /** Largest period searched (default 2). */
  maxPeriod?: number;
  /** Adam settings for like-for-like comparison with FixedPointFinder (PyTorch). */
  adam?: { learningRate?: number; tolQ?: number; tolDq?: number };
  /** Linear-algebra backend for the batched GEMMs (default: the current one). */
  backend?: LinalgBackend;
  onProgress?: (p: FixedPointProgress) => void;
  /** Minimum seconds between progress reports (default 0.5). */
  progressInterval?: number;
  /** Checked between iterations; when it returns true the run stops and returns what it has. */
  shouldStop?: () => boolean;
}

export interface FixedPointResult {
  /** Unique fixed and slow points, fixed first, then by q. */
  fixedPoints: FixedPoint[];
  starts: StartOutcome[];
  /** Counts of start outcomes. */
  summary: {
    starts: number;
    fixed: number;
    slow: number;
    notConverged: number;
    merged: number;
    unique: number;
    stable: number;
    excludedOutliers: number;
  };
  periodicOrbits?: PeriodicOrbit[];
  /** The settings used (with defaults filled in). */
  settings: {
    method: FixedPointMethod;
    /** False only for gauss-newton at N ≤ denseLimit (dense Cholesky solves of JᵀJ + μI). */
    matrixFree: boolean;
    dim: number;
    time: 'flow' | 'map';
    tolFixed: number;
    tolSlow: number;
    maxIterations: number;
    uniqueTol: number;
    stateScale: number;
    qUnits: string;
    outlierDistanceScale: number | null;
    eigen: 'dense' | 'arnoldi';
    periodic: 'auto' | 'always' | 'never';
    maxPeriod: number;
  };
  timings: {
    optimise: number;
    dedupe: number;
    linearise: number;
    periodic: number;
    total: number;
  };
  warnings: string[];
  /** True when the run was stopped early (shouldStop); everything returned is labelled. */
  interrupted: boolean;
}
