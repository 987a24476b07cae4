import type { ModelParams } from '../models/types.js';

/** The `format` tag every model file carries, so a stray JSON file is recognised as not ours. */
export const MODEL_FORMAT = 'rnnscope-model';

/** The newest model-file version this build reads and the one it writes. */
export const MODEL_FORMAT_VERSION = 1;

/**
 * Free-form description of where a model came from. The named keys are conventional (and type
 * checked when present); any other JSON value may sit beside them.
 */
export interface ModelMetadata {
  task?: string;
  seed?: number | string;
  /** ISO 8601 time stamp, e.g. `new Date().toISOString()`. */
  created?: string;
  notes?: string;
  [key: string]: unknown;
}

/** Training curves: each key names a series of finite numbers (`loss`, `validationLoss`, …). */
export type TrainingHistory = Record<string, number[]>;

/** Where the weight matrices of a model file live when they are not inline. */
export interface SidecarInfo {
  /** Bare file name, resolved next to the JSON file. */
  file: string;
  /** Lower-case hex SHA-256 of the whole sidecar file. */
  sha256: string;
}

/** A model file after validation: parameters ready for `createModel`, plus its annotations. */
export interface LoadedModel {
  params: ModelParams;
  metadata?: ModelMetadata;
  history?: TrainingHistory;
  /** Format version the file was written with. */
  version: number;
  /** Present when some weights were read from a binary sidecar. */
  sidecar?: SidecarInfo;
}

/**
 * `true` always writes a sidecar, `false` never does, `'auto'` (default) writes one when the
 * model has at least {@link SIDECAR_AUTO_UNITS} units, where inline JSON becomes slow and large.
 */
export type SidecarMode = boolean | 'auto';

/** Unit count from which `sidecar: 'auto'` moves the matrices into a sidecar. */
export const SIDECAR_AUTO_UNITS = 1000;

export interface SaveModelOptions {
  metadata?: ModelMetadata;
  history?: TrainingHistory;
  sidecar?: SidecarMode;
}

export interface SerializeModelOptions extends SaveModelOptions {
  /** Sidecar file name written into the JSON (default `model.safetensors`). */
  sidecarFile?: string;
}

/** Text of the JSON document, and the sidecar bytes to write beside it when one is used. */
export interface SerializedModel {
  json: string;
  sidecar?: SidecarInfo & { bytes: Uint8Array };
}

export interface ParseModelOptions {
  /** Directory the sidecar file is resolved against; required when the file refers to one. */
  baseDir?: string;
  /** Name used in error messages (usually the file path). */
  source?: string;
}
