/**
 * Files in and out: model files (versioned JSON, optional safetensors sidecar), trajectories,
 * numeric CSV. Everything read is validated, and errors name the field and what was expected.
 */
export * from './types.js';
export { parseModelJson } from './model-json.js';
export { serializeModel, sha256Hex } from './model-serialize.js';
export {
  loadModel,
  loadModelSync,
  saveModel,
  saveModelSync,
  sidecarNameFor,
  type SavedModelFiles,
} from './model-file.js';
export {
  encodeSafetensors,
  decodeSafetensors,
  type SafetensorsFile,
  type TensorEntry,
  type TensorInput,
} from './safetensors.js';
export { parseJsonText, formatNumber, formatNumberArray, stringifyCompact } from './json-text.js';
export { parseNumericCsv, parseDecimal } from './csv.js';
export { serializeTrajectory, TRAJECTORY_FORMAT, type TrajectoryFile } from './trajectory.js';
export { MODEL_KINDS } from './schema.js';
export { formatPath, type FileIssue, type PathSegment } from './issues.js';
