/**
 * Cross-field shape rules of a model file. W fixes the unit count N, Wout the output count O:
 *   W N×N, Win N×I, Wfb N×O, Wout O×N, bias N, bout O.
 * Shapes are gathered from inline arrays or sidecar headers first, so both are checked alike.
 */
import type { FileIssue } from './issues.js';

/** `cols` is undefined for a matrix with no rows (its width cannot be seen). */
export type FieldShape =
  { rank: 2; rows: number; cols: number | undefined } | { rank: 1; length: number };

export type WeightField = 'W' | 'Win' | 'Wfb' | 'Wout' | 'bias' | 'bout';

export const MATRIX_FIELDS = ['W', 'Win', 'Wfb', 'Wout'] as const;
export const VECTOR_FIELDS = ['bias', 'bout'] as const;
export const WEIGHT_FIELDS: readonly WeightField[] = [...MATRIX_FIELDS, ...VECTOR_FIELDS];

/**
 * Shape of an inline nested array, ignoring entry types (zod reports those). Ragged rows are
 * reported here, once per offending row, since they leave the width ambiguous.
 */
export function inlineMatrixShape(
  field: string,
  value: unknown,
  issues: FileIssue[],
): FieldShape | undefined {
  if (!Array.isArray(value)) return undefined;
  const first = value[0];
  if (value.length > 0 && !Array.isArray(first)) return undefined;
  const cols = value.length === 0 ? undefined : (first as unknown[]).length;
  let ragged = false;
  for (let i = 1; i < value.length; i++) {
    const r = value[i];
    if (Array.isArray(r) && r.length !== cols) {
      issues.push({
        path: [field, i],
        message: `row has ${r.length} entries, expected ${cols} like row 0 (every row must have the same length)`,
      });
      ragged = true;
    }
  }
  return ragged ? undefined : { rank: 2, rows: value.length, cols };
}

function dims(s: FieldShape | undefined): string {
  if (!s) return '?';
  return s.rank === 1 ? `${s.length}` : `${s.rows}×${s.cols ?? 0}`;
}

/** Checks every rule it has the shapes for; a field with unknown shape is skipped silently. */
export function checkShapes(
  shapes: Partial<Record<WeightField, FieldShape>>,
  present: ReadonlySet<WeightField>,
): FileIssue[] {
  const issues: FileIssue[] = [];
  const bad = (field: WeightField, message: string) => issues.push({ path: [field], message });
  const matrix = (f: WeightField) => {
    const s = shapes[f];
    if (s && s.rank !== 2) {
      bad(f, `expected a matrix (2 dimensions), got a vector of length ${s.length}`);
      return undefined;
    }
    return s;
  };
  const vector = (f: WeightField) => {
    const s = shapes[f];
    if (s && s.rank !== 1) {
      bad(f, `expected a vector (1 dimension), got a ${dims(s)} matrix`);
      return undefined;
    }
    return s;
  };
  const W = matrix('W');
  const Win = matrix('Win');
  const Wfb = matrix('Wfb');
  const Wout = matrix('Wout');
  const bias = vector('bias');
  const bout = vector('bout');

  let N: number | undefined;
  if (W) {
    if (W.rows === 0) bad('W', 'expected at least one unit, got an empty matrix');
    else if (W.cols !== W.rows)
      bad('W', `expected a square N×N matrix (units × units), got ${dims(W)}`);
    else N = W.rows;
  }
  const O = Wout?.rows;
  const units = N === undefined ? 'N' : String(N);

  if (N !== undefined && Win && Win.rows !== N) {
    bad('Win', `expected ${N}×${Win.cols ?? 'I'} (units × inputs), got ${dims(Win)}`);
  }
  if (N !== undefined && Wout && Wout.rows > 0 && Wout.cols !== N) {
    bad('Wout', `expected ${Wout.rows}×${N} (outputs × units), got ${dims(Wout)}`);
  }
  if (present.has('Wfb') && !present.has('Wout')) {
    bad('Wfb', 'feedback needs a readout, but Wout is missing');
  } else if (Wfb && (N !== undefined || O !== undefined)) {
    const rowsOk = N === undefined || Wfb.rows === N;
    const colsOk = O === undefined || Wfb.rows === 0 || Wfb.cols === O;
    if (!rowsOk || !colsOk)
      bad('Wfb', `expected ${units}×${O ?? 'O'} (units × outputs), got ${dims(Wfb)}`);
  }
  if (N !== undefined && bias && bias.length !== N) {
    bad('bias', `expected ${N} entries (one per unit), got ${bias.length}`);
  }
  if (present.has('bout') && !present.has('Wout')) {
    bad('bout', 'an output bias needs a readout, but Wout is missing');
  } else if (O !== undefined && bout && bout.length !== O) {
    bad('bout', `expected ${O} entries (one per output), got ${bout.length}`);
  }
  return issues;
}
