/**
 * Trajectory files written by `rnnscope simulate`: plain JSON that numpy reads with
 * `np.array(json.load(f)["states"])`. Row t of `states` is the state after step t (the
 * initial state is in `settings.x0`, not in `states`), matching `Model.simulate`.
 */
import { RnnscopeError } from '../errors.js';
import { firstNonFinite, type Matrix } from '../linalg/matrix.js';
import { formatNumberArray, stringifyCompact } from './json-text.js';

export const TRAJECTORY_FORMAT = 'rnnscope-trajectory';

export interface TrajectoryFile {
  /** T×N. */
  states: Matrix;
  /** T×O (0 columns when there is no readout). */
  outputs: Matrix;
  /** How the run was made; any JSON-serialisable values. */
  settings: Record<string, unknown>;
}

function rowsText(name: string, m: Matrix): string {
  const k = firstNonFinite(m.data, m.rows * m.cols);
  if (k >= 0) {
    const step = Math.floor(k / m.cols) + 1;
    throw new RnnscopeError(
      'DIVERGED',
      `the simulation produced ${m.data[k]} in ${name} at step ${step} (column ${k % m.cols}); the run diverged (try a smaller dt or check the weights)`,
    );
  }
  if (m.rows === 0) return '[]';
  const rows: string[] = [];
  for (let i = 0; i < m.rows; i++)
    rows.push('    ' + formatNumberArray(m.data, i * m.cols, (i + 1) * m.cols));
  return `[\n${rows.join(',\n')}\n  ]`;
}

/** JSON text `{format, version, steps, settings, states, outputs}` with exact float64 numbers. */
export function serializeTrajectory(t: TrajectoryFile): string {
  return (
    `{\n  "format": "${TRAJECTORY_FORMAT}",\n  "version": 1,\n  "steps": ${t.states.rows},\n` +
    `  "settings": ${stringifyCompact(t.settings, '  ')},\n` +
    `  "states": ${rowsText('states', t.states)},\n  "outputs": ${rowsText('outputs', t.outputs)}\n}\n`
  );
}
