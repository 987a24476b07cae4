import { RnnscopeError } from '../errors.js';
import { defaultFhnParams, fitzhughNagumo } from './fitzhugh-nagumo.js';
import { toy2d } from './toy2d.js';
import type { DynamicalSystem } from './types.js';

interface BuiltinEntry {
  params: readonly string[];
  make(params: Record<string, number>): DynamicalSystem;
}

const BUILTINS: Record<string, BuiltinEntry> = {
  toy2d: { params: [], make: () => toy2d() },
  'fitzhugh-nagumo': { params: Object.keys(defaultFhnParams), make: (p) => fitzhughNagumo(p) },
};

/** Names accepted by `builtinSystem`. */
export const builtinSystemNames: readonly string[] = Object.keys(BUILTINS);

/**
 * An analytic system by name, for the CLI and config files: 'toy2d' (no parameters) or
 * 'fitzhugh-nagumo' (a, b, tau, I; omitted ones take their defaults). Unknown names or
 * parameters throw INVALID_ARGUMENT listing the valid ones.
 *
 * @example
 * const fhn = builtinSystem('fitzhugh-nagumo', { I: 1.0 });
 */
export function builtinSystem(name: string, params: Record<string, number> = {}): DynamicalSystem {
  const entry = Object.prototype.hasOwnProperty.call(BUILTINS, name) ? BUILTINS[name] : undefined;
  if (!entry) {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `unknown system '${name}'; valid systems: ${builtinSystemNames.join(', ')}`,
    );
  }
  for (const key of Object.keys(params)) {
    if (!entry.params.includes(key)) {
      const valid = entry.params.length ? entry.params.join(', ') : 'none';
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `unknown parameter '${key}' for system '${name}'; valid parameters: ${valid}`,
      );
    }
    if (typeof params[key] !== 'number' || !Number.isFinite(params[key])) {
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `parameter '${key}' of system '${name}' must be a finite number, got ${params[key]}`,
      );
    }
  }
  return entry.make(params);
}
