/**
 * The one idea at the centre: a dynamical system with its input frozen.
 *
 * - `time: 'flow'`: dx/dt = F(x); `velocity` is F(x).
 * - `time: 'map'`:  x' = G(x);   `velocity` is G(x) − x (the displacement per step).
 *
 * `jacobian` is always the derivative of `velocity`: dF/dx for flows and DG − I for maps, so
 * optimisers and finite-difference checks treat both alike. Linear stability adds I back for
 * maps (see `analysis/`), which is the only place the time convention is interpreted.
 * All outputs are written into `out` (length dim, or dim×dim row-major); nothing is allocated.
 */
export interface DynamicalSystem {
  readonly dim: number;
  readonly time: 'flow' | 'map';
  /** Short human-readable description, e.g. "rate N=1000 tanh (u frozen)". */
  readonly label?: string;
  velocity(x: Float64Array, out: Float64Array): void;
  jacobian(x: Float64Array, out: Float64Array): void;
  /** Matrix-free J·v (same J as `jacobian`). */
  jvp?(x: Float64Array, v: Float64Array, out: Float64Array): void;
  /** Matrix-free Jᵀ·v. */
  vjp?(x: Float64Array, v: Float64Array, out: Float64Array): void;
  /** Readout z(x) for systems that have one (trained models, FitzHugh–Nagumo's v). */
  readonly outputDim?: number;
  output?(x: Float64Array, out: Float64Array): void;
}
