/**
 * The `<model>` argument: a model file path, or `builtin:<name>` for an analytic system whose
 * parameters come from repeated `--param key=value`.
 */
import type { Command } from 'commander';
import { loadModel } from '../io/model-file.js';
import type { LoadedModel } from '../io/types.js';
import { builtinSystem } from '../systems/index.js';
import type { DynamicalSystem } from '../systems/types.js';
import { usageError } from './context.js';

export const BUILTIN_PREFIX = 'builtin:';

export type ModelSource =
  | {
      type: 'builtin';
      spec: string;
      name: string;
      params: Record<string, number>;
      system: DynamicalSystem;
    }
  | { type: 'file'; spec: string; path: string; loaded: LoadedModel };

/** Loads what `spec` names; `--param` on a model file is a usage error (it would be ignored). */
export async function openSource(
  spec: string,
  params: Record<string, number> | undefined,
  cmd: Command,
): Promise<ModelSource> {
  if (spec.startsWith(BUILTIN_PREFIX)) {
    const name = spec.slice(BUILTIN_PREFIX.length);
    const p = params ?? {};
    return { type: 'builtin', spec, name, params: p, system: builtinSystem(name, p) };
  }
  if (params && Object.keys(params).length > 0) {
    usageError(
      cmd,
      `--param applies to builtin systems (builtin:toy2d, builtin:fitzhugh-nagumo), not to model file ${spec}`,
    );
  }
  return { type: 'file', spec, path: spec, loaded: await loadModel(spec) };
}
