/**
 * Model files on disk. The JSON and its sidecar are each written to a temporary name and
 * renamed into place, sidecar first, so a crash never leaves a JSON file pointing at a sidecar
 * that does not match it.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RnnscopeError } from '../errors.js';
import type { ModelParams } from '../models/types.js';
import { parseModelJson } from './model-json.js';
import { serializeModel } from './model-serialize.js';
import type { LoadedModel, SaveModelOptions } from './types.js';

/** Paths written by {@link saveModel}. */
export interface SavedModelFiles {
  path: string;
  /** Present when the weights went to a sidecar. */
  sidecarPath?: string;
}

function ioError(action: string, path: string, e: unknown): RnnscopeError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EISDIR'
        ? 'it is a directory'
        : (e as Error).message;
  return new RnnscopeError('IO_ERROR', `cannot ${action} ${path}: ${why}`, { cause: e });
}

/** `net.json` → `net.safetensors`; other names just gain the extension. */
export function sidecarNameFor(path: string): string {
  return basename(path).replace(/\.json$/i, '') + '.safetensors';
}

/**
 * Reads and validates a model file, and its sidecar if it has one.
 * @throws RnnscopeError IO_ERROR if the file cannot be read; INVALID_FILE / UNSUPPORTED_VERSION
 *   as {@link parseModelJson}.
 * @example
 * const { params, metadata } = await loadModel('net.json');
 * const model = createModel(params);
 */
export async function loadModel(path: string): Promise<LoadedModel> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw ioError('read model file', path, e);
  }
  return parseModelJson(text, { baseDir: dirname(path), source: path });
}

/** Synchronous {@link loadModel}. */
export function loadModelSync(path: string): LoadedModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw ioError('read model file', path, e);
  }
  return parseModelJson(text, { baseDir: dirname(path), source: path });
}

function prepare(path: string, params: ModelParams, options: SaveModelOptions) {
  const serialized = serializeModel(params, { ...options, sidecarFile: sidecarNameFor(path) });
  const sidecarPath = serialized.sidecar ? join(dirname(path), serialized.sidecar.file) : undefined;
  return { serialized, sidecarPath };
}

// A per-process suffix keeps concurrent writers in one directory from sharing a temp file.
const tmp = (p: string) => `${p}.tmp-${process.pid}`;

/**
 * Writes `params` to `path` as a model file (see docs/model-format.md). With `sidecar: true`,
 * or `'auto'` (default) and at least 1000 units, the matrices go to `<name>.safetensors` next
 * to it. Saving then loading gives bit-identical weights.
 * @example
 * await saveModel('net.json', params, { metadata: { task: 'flip-flop', seed: 7 }, history: { loss } });
 */
export async function saveModel(
  path: string,
  params: ModelParams,
  options: SaveModelOptions = {},
): Promise<SavedModelFiles> {
  const { serialized, sidecarPath } = prepare(path, params, options);
  try {
    if (serialized.sidecar && sidecarPath) {
      await writeFile(tmp(sidecarPath), serialized.sidecar.bytes);
      await rename(tmp(sidecarPath), sidecarPath);
    }
    await writeFile(tmp(path), serialized.json, 'utf8');
    await rename(tmp(path), path);
  } catch (e) {
    throw ioError('write model file', path, e);
  }
  return sidecarPath ? { path, sidecarPath } : { path };
}

/** Synchronous {@link saveModel}. */
export function saveModelSync(
  path: string,
  params: ModelParams,
  options: SaveModelOptions = {},
): SavedModelFiles {
  const { serialized, sidecarPath } = prepare(path, params, options);
  try {
    if (serialized.sidecar && sidecarPath) {
      writeFileSync(tmp(sidecarPath), serialized.sidecar.bytes);
      renameSync(tmp(sidecarPath), sidecarPath);
    }
    writeFileSync(tmp(path), serialized.json, 'utf8');
    renameSync(tmp(path), path);
  } catch (e) {
    throw ioError('write model file', path, e);
  }
  return sidecarPath ? { path, sidecarPath } : { path };
}
