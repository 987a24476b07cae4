/** The `--input <vector>` option of the model commands: a constant input u of length I. */
import type { Command } from 'commander';
import { RnnscopeError } from '../errors.js';
import { usageError } from './context.js';
import { parseCommaVector } from './options.js';

/**
 * Parses `--input` for a model with `I` inputs: comma-separated numbers, exactly `I` of them.
 * Usage error (exit 2) for a model without inputs or text that is not numbers; SHAPE_MISMATCH
 * for the wrong length. Returns the vector.
 */
export function parseModelInput(text: string, I: number, cmd: Command): Float64Array {
  if (I === 0) usageError(cmd, '--input given, but the model has no inputs (no Win)');
  const input = parseCommaVector(text);
  if (!input) usageError(cmd, `--input must be comma-separated numbers, got '${text}'`);
  if (input!.length !== I)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `--input has ${input!.length} values, but the model has ${I} inputs`,
    );
  return input!;
}
