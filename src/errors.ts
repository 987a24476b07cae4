/**
 * Typed errors. Every error a user can cause (bad file, bad option, wrong shape, NaN weights,
 * diverging run) is an `RnnscopeError` with a stable `code`; the CLI prints `message` and exits
 * non-zero without a stack trace. Anything else reaching the CLI is a bug and is reported as such.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'SHAPE_MISMATCH'
  | 'NON_FINITE'
  | 'INVALID_MODEL'
  | 'INVALID_FILE'
  | 'UNSUPPORTED_VERSION'
  | 'IO_ERROR'
  | 'NOT_CONVERGED'
  | 'SINGULAR'
  | 'DIVERGED'
  | 'OUT_OF_MEMORY'
  | 'WASM_UNAVAILABLE';

export class RnnscopeError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RnnscopeError';
    this.code = code;
  }
}

export function isRnnscopeError(e: unknown): e is RnnscopeError {
  return e instanceof RnnscopeError;
}

/** Throws INVALID_ARGUMENT with `message` unless `condition` holds. */
export function check(
  condition: unknown,
  message: string,
  code: ErrorCode = 'INVALID_ARGUMENT',
): asserts condition {
  if (!condition) throw new RnnscopeError(code, message);
}
