/**
 * Writing model files: `ModelParams` → JSON text (current version), plus the safetensors bytes
 * when the matrices go to a sidecar. The text is laid out for people: one matrix row per line.
 */
import { createHash } from 'node:crypto';
import { RnnscopeError } from '../errors.js';
import { firstNonFinite, type Matrix } from '../linalg/matrix.js';
import type { ModelParams } from '../models/types.js';
import { formatPath, fromZodIssues, type FileIssue } from './issues.js';
import { formatNumber, formatNumberArray, stringifyCompact } from './json-text.js';
import { encodeSafetensors, type TensorInput } from './safetensors.js';
import { historyField, metadataField } from './schema.js';
import { MATRIX_FIELDS } from './shapes.js';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  SIDECAR_AUTO_UNITS,
  type SerializedModel,
  type SerializeModelOptions,
} from './types.js';

/** Lower-case hex SHA-256. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function matrixRows(m: Matrix, indent: string): string {
  if (m.rows === 0) return '[]';
  const rows: string[] = [];
  for (let i = 0; i < m.rows; i++)
    rows.push(indent + '  ' + formatNumberArray(m.data, i * m.cols, (i + 1) * m.cols));
  return `[\n${rows.join(',\n')}\n${indent}]`;
}

function assertFinite(field: string, m: Matrix | Float64Array): void {
  const data = 'data' in m ? m.data : m;
  const length = 'data' in m ? m.rows * m.cols : m.length;
  const k = firstNonFinite(data, length);
  if (k < 0) return;
  const at =
    'data' in m && m.cols > 0
      ? `${field}[${Math.floor(k / m.cols)}][${k % m.cols}]`
      : `${field}[${k}]`;
  throw new RnnscopeError(
    'NON_FINITE',
    `cannot save model: ${at} is ${data[k]} (weights must be finite)`,
  );
}

function checkAnnotations(options: SerializeModelOptions): void {
  const issues: FileIssue[] = [];
  if (options.metadata !== undefined) {
    const r = metadataField.safeParse(options.metadata, { reportInput: true });
    if (!r.success) issues.push(...fromZodIssues(r.error.issues, { prefix: ['metadata'] }));
  }
  if (options.history !== undefined) {
    const r = historyField.safeParse(options.history, { reportInput: true });
    if (!r.success) issues.push(...fromZodIssues(r.error.issues, { prefix: ['history'] }));
  }
  if (issues.length > 0) {
    const list = issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
    throw new RnnscopeError('INVALID_ARGUMENT', `cannot save model: ${list}`);
  }
}

/**
 * Writes `params` as model-file JSON text (current version) and, when a sidecar is used, the
 * safetensors bytes to store beside it. Numbers are written exactly: loading gives back the
 * same float64 bits, −0 and subnormals included.
 * @throws RnnscopeError NON_FINITE for NaN/±Infinity weights (JSON cannot hold them).
 */
export function serializeModel(
  params: ModelParams,
  options: SerializeModelOptions = {},
): SerializedModel {
  checkAnnotations(options);
  const mode = options.sidecar ?? 'auto';
  const useSidecar = mode === true || (mode === 'auto' && params.W.rows >= SIDECAR_AUTO_UNITS);
  const lines: string[] = [
    `"format": ${JSON.stringify(MODEL_FORMAT)}`,
    `"version": ${MODEL_FORMAT_VERSION}`,
    `"kind": ${JSON.stringify(params.kind)}`,
  ];
  const a = params.activation;
  const activation =
    a.name === 'relu' && a.threshold !== undefined
      ? `{"name": "relu", "threshold": ${formatNumber(a.threshold)}}`
      : JSON.stringify(a.name);
  lines.push(`"activation": ${activation}`);
  if (params.kind === 'rate' || params.kind === 'ctrnn') {
    lines.push(`"tau": ${formatNumber(params.tau)}`, `"dt": ${formatNumber(params.dt)}`);
  } else if (params.kind === 'leaky-esn') {
    lines.push(`"alpha": ${formatNumber(params.alpha)}`);
  }

  const tensors: TensorInput[] = [];
  for (const f of MATRIX_FIELDS) {
    const m = params[f];
    if (!m) continue;
    assertFinite(f, m);
    if (useSidecar) {
      tensors.push({ name: f, shape: [m.rows, m.cols], data: m.data.subarray(0, m.rows * m.cols) });
      lines.push(`"${f}": {"$sidecar": "${f}"}`);
    } else {
      lines.push(`"${f}": ${matrixRows(m, '  ')}`);
    }
  }
  for (const f of ['bias', 'bout'] as const) {
    const v = params[f];
    if (!v) continue;
    assertFinite(f, v);
    lines.push(`"${f}": ${formatNumberArray(v)}`);
  }

  let sidecar: SerializedModel['sidecar'];
  if (useSidecar) {
    const bytes = encodeSafetensors(tensors);
    sidecar = { file: options.sidecarFile ?? 'model.safetensors', sha256: sha256Hex(bytes), bytes };
    lines.push(
      `"sidecar": {"file": ${JSON.stringify(sidecar.file)}, "sha256": "${sidecar.sha256}"}`,
    );
  }
  if (options.metadata !== undefined) {
    lines.push(`"metadata": ${stringifyCompact(options.metadata, '  ')}`);
  }
  if (options.history !== undefined) {
    const entries = Object.entries(options.history).map(
      ([k, v]) => `    ${JSON.stringify(k)}: ${formatNumberArray(v)}`,
    );
    lines.push(
      entries.length === 0 ? '"history": {}' : `"history": {\n${entries.join(',\n')}\n  }`,
    );
  }
  const json = `{\n  ${lines.join(',\n  ')}\n}\n`;
  return sidecar ? { json, sidecar } : { json };
}
