/**
 * Reading model files: JSON text → `ModelParams`, with the optional safetensors sidecar.
 * Parsing collects every problem (structure, types, shapes, sidecar) before failing, so a user
 * fixing a file written by hand or by Python sees all of them at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RnnscopeError } from '../errors.js';
import { firstNonFinite, fromRows, type Matrix } from '../linalg/matrix.js';
import type { ActivationSpec, ModelParams } from '../models/types.js';
import { describeValue, fromZodIssues, invalidFile, type FileIssue } from './issues.js';
import { parseJsonText } from './json-text.js';
import { sha256Hex } from './model-serialize.js';
import { decodeSafetensors, type SafetensorsFile } from './safetensors.js';
import { allowedKeys, MODEL_KINDS, modelFileSchema, type ModelFileV1 } from './schema.js';
import {
  checkShapes,
  inlineMatrixShape,
  MATRIX_FIELDS,
  WEIGHT_FIELDS,
  type FieldShape,
  type WeightField,
} from './shapes.js';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type LoadedModel,
  type ParseModelOptions,
} from './types.js';

function isSidecarRef(v: unknown): v is { $sidecar: string } {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    typeof (v as { $sidecar?: unknown }).$sidecar === 'string'
  );
}

/** Reads and verifies the sidecar when any field refers to it; problems become issues. */
function openSidecar(
  doc: Record<string, unknown>,
  refFields: WeightField[],
  options: ParseModelOptions,
  issues: FileIssue[],
): SafetensorsFile | undefined {
  const decl = doc.sidecar as { file?: unknown; sha256?: unknown } | undefined;
  if (decl === undefined) {
    issues.push({
      path: ['sidecar'],
      message: `missing, but ${refFields.join(', ')} ${refFields.length === 1 ? 'refers to a sidecar tensor' : 'refer to sidecar tensors'} (add "sidecar": {"file": ..., "sha256": ...})`,
    });
    return undefined;
  }
  if (typeof decl.file !== 'string' || typeof decl.sha256 !== 'string') return undefined; // zod has reported it
  if (options.baseDir === undefined) {
    issues.push({
      path: ['sidecar'],
      message: `refers to ${decl.file}, but no base directory was given to find it`,
    });
    return undefined;
  }
  const full = join(options.baseDir, decl.file);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    issues.push({
      path: ['sidecar', 'file'],
      message:
        code === 'ENOENT'
          ? `${decl.file} not found (looked for ${full}); the sidecar must sit next to the JSON file`
          : `cannot read ${full}: ${(e as Error).message}`,
    });
    return undefined;
  }
  const actual = sha256Hex(bytes);
  if (actual !== decl.sha256) {
    issues.push({
      path: ['sidecar', 'sha256'],
      message: `${decl.file} has SHA-256 ${actual}, but the model file records ${decl.sha256}; the sidecar is corrupt or belongs to another model`,
    });
    return undefined;
  }
  try {
    return decodeSafetensors(bytes, decl.file);
  } catch (e) {
    issues.push({ path: ['sidecar', 'file'], message: (e as Error).message });
    return undefined;
  }
}

function sidecarShape(
  field: WeightField,
  name: string,
  file: SafetensorsFile,
  label: string,
  issues: FileIssue[],
): FieldShape | undefined {
  const t = file.tensors.get(name);
  if (!t) {
    const have = [...file.tensors.keys()].join(', ') || 'none';
    issues.push({
      path: [field],
      message: `sidecar tensor "${name}" not found in ${label} (tensors present: ${have})`,
    });
    return undefined;
  }
  if (t.dtype !== 'F64') {
    issues.push({
      path: [field],
      message: `sidecar tensor "${name}" has dtype ${t.dtype}; only F64 is supported (numpy: a.astype(np.float64))`,
    });
    return undefined;
  }
  if (t.shape.length === 2) return { rank: 2, rows: t.shape[0], cols: t.shape[1] };
  if (t.shape.length === 1) return { rank: 1, length: t.shape[0] };
  issues.push({
    path: [field],
    message: `sidecar tensor "${name}" has ${t.shape.length} dimensions [${t.shape}], expected 1 or 2`,
  });
  return undefined;
}

/** Sidecar values that are not finite are caught here, since no JSON parser saw them. */
function checkFinite(field: string, data: Float64Array, cols: number, issues: FileIssue[]): void {
  const k = firstNonFinite(data);
  if (k >= 0) {
    const path = cols > 0 ? [field, Math.floor(k / cols), k % cols] : [field, k];
    issues.push({
      path,
      message: `${data[k]} is not allowed (weights must be finite; found in the sidecar)`,
    });
  }
}

/**
 * Parses and validates the text of a model file (any version up to the supported one).
 * Sidecar references are resolved against `options.baseDir`.
 * @throws RnnscopeError INVALID_FILE naming every failing field; UNSUPPORTED_VERSION for files
 *   newer than this build.
 * @example
 * const { params } = parseModelJson(text, { baseDir: dirname(path), source: path });
 */
export function parseModelJson(text: string, options: ParseModelOptions = {}): LoadedModel {
  const { source } = options;
  const doc = parseJsonText(text, source);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw invalidFile(source, [
      { path: [], message: `expected a JSON object at the top level, got ${describeValue(doc)}` },
    ]);
  }
  const raw = doc as Record<string, unknown>;
  if (raw.format !== MODEL_FORMAT) {
    throw invalidFile(source, [
      {
        path: ['format'],
        message: `expected "${MODEL_FORMAT}", got ${describeValue(raw.format)}; this is not an rnnscope model file`,
      },
    ]);
  }
  if (
    typeof raw.version === 'number' &&
    Number.isInteger(raw.version) &&
    raw.version > MODEL_FORMAT_VERSION
  ) {
    throw new RnnscopeError(
      'UNSUPPORTED_VERSION',
      `${source ?? 'model file'} has format version ${raw.version}, but this rnnscope reads versions up to ${MODEL_FORMAT_VERSION}; upgrade rnnscope to read it`,
    );
  }

  const issues: FileIssue[] = [];
  const parsed = modelFileSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    issues.push(
      ...fromZodIssues(parsed.error.issues, {
        allowedKeys: allowedKeys(String(raw.kind)),
        kinds: MODEL_KINDS,
      }),
    );
  }

  const present = new Set(WEIGHT_FIELDS.filter((f) => raw[f] !== undefined));
  const refFields = WEIGHT_FIELDS.filter((f) => isSidecarRef(raw[f]));
  const sidecar = refFields.length > 0 ? openSidecar(raw, refFields, options, issues) : undefined;
  const label = String((raw.sidecar as { file?: unknown } | undefined)?.file ?? 'sidecar');

  const shapes: Partial<Record<WeightField, FieldShape>> = {};
  for (const f of WEIGHT_FIELDS) {
    const v = raw[f];
    if (v === undefined) continue;
    if (isSidecarRef(v)) {
      if (sidecar) shapes[f] = sidecarShape(f, v.$sidecar, sidecar, label, issues);
    } else if ((MATRIX_FIELDS as readonly string[]).includes(f)) {
      shapes[f] = inlineMatrixShape(f, v, issues);
    } else if (Array.isArray(v)) {
      shapes[f] = { rank: 1, length: v.length };
    }
  }
  issues.push(...checkShapes(shapes, present));

  const weights: Partial<Record<WeightField, Matrix | Float64Array>> = {};
  if (parsed.success && issues.length === 0) {
    for (const f of present) {
      const v = raw[f];
      const s = shapes[f]!;
      if (isSidecarRef(v)) {
        const data = sidecar!.readF64(v.$sidecar);
        checkFinite(f, data, s.rank === 2 ? (s.cols ?? 0) : 0, issues);
        weights[f] = s.rank === 2 ? { rows: s.rows, cols: s.cols ?? 0, data } : data;
      } else if (s.rank === 2) {
        weights[f] = fromRows(v as number[][]);
      } else {
        weights[f] = Float64Array.from(v as number[]);
      }
    }
  }
  if (!parsed.success || issues.length > 0) throw invalidFile(source, issues);

  const file = parsed.data;
  const result: LoadedModel = { params: buildParams(file, weights), version: file.version };
  if (file.metadata !== undefined) result.metadata = file.metadata;
  if (file.history !== undefined) result.history = file.history;
  if (refFields.length > 0 && file.sidecar) result.sidecar = { ...file.sidecar };
  return result;
}

function toActivation(a: ModelFileV1['activation']): ActivationSpec {
  if (typeof a === 'string') return { name: a };
  if (a.name === 'relu')
    return a.threshold === undefined ? { name: 'relu' } : { name: 'relu', threshold: a.threshold };
  return { name: a.name };
}

function buildParams(
  file: ModelFileV1,
  w: Partial<Record<WeightField, Matrix | Float64Array>>,
): ModelParams {
  const activation = toActivation(file.activation);
  const W = w.W as Matrix;
  let params: ModelParams;
  switch (file.kind) {
    case 'rate':
    case 'ctrnn':
      params = { kind: file.kind, activation, tau: file.tau, dt: file.dt, W };
      break;
    case 'leaky-esn':
      params = { kind: file.kind, activation, alpha: file.alpha, W };
      break;
    case 'rnn':
      params = { kind: file.kind, activation, W };
      break;
  }
  for (const f of ['Win', 'Wfb', 'Wout'] as const) if (w[f]) params[f] = w[f] as Matrix;
  for (const f of ['bias', 'bout'] as const) if (w[f]) params[f] = w[f] as Float64Array;
  return params;
}
