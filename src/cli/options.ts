/**
 * Parsers for option values. They throw commander's InvalidArgumentError, so a bad value is a
 * usage error reported as "option '--steps <n>' argument 'x' is invalid. …" with exit code 2.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { RnnscopeError } from '../errors.js';
import { parseDecimal } from '../io/csv.js';

export function positiveInt(value: string): number {
  const v = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(v) || v < 1) {
    throw new InvalidArgumentError('expected a positive integer');
  }
  return v;
}

export function nonNegativeInt(value: string): number {
  const v = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(v))
    throw new InvalidArgumentError('expected an integer ≥ 0');
  return v;
}

export function finiteNumber(value: string): number {
  const v = parseDecimal(value);
  if (v === undefined) throw new InvalidArgumentError('expected a finite number');
  return v;
}

export function positiveNumber(value: string): number {
  const v = parseDecimal(value);
  if (v === undefined || v <= 0) throw new InvalidArgumentError('expected a number > 0');
  return v;
}

/** Accumulates repeated `--param key=value` into a record. */
export function keyValue(
  value: string,
  previous: Record<string, number> = {},
): Record<string, number> {
  const m = /^([^=\s]+)=(.*)$/.exec(value);
  const v = m ? parseDecimal(m[2]) : undefined;
  if (!m || v === undefined)
    throw new InvalidArgumentError('expected key=value with a numeric value, e.g. I=0.5');
  return { ...previous, [m[1]]: v };
}

/** A comma-separated list of numbers, or undefined if `s` is not one (then it names a file). */
export function parseCommaVector(s: string): Float64Array | undefined {
  const parts = s.split(',');
  const values = parts.map(parseDecimal);
  if (values.some((v) => v === undefined)) return undefined;
  return Float64Array.from(values as number[]);
}

/**
 * A vector given inline (`0.1,-2,3`) or as a file of numbers separated by commas, spaces or
 * newlines, or a JSON array (what `json.dump(x.tolist(), f)` writes).
 */
export function readVector(spec: string, what: string): Float64Array {
  const inline = parseCommaVector(spec);
  if (inline) return inline;
  let text: string;
  try {
    text = readFileSync(spec, 'utf8');
  } catch {
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `${what}: "${spec}" is neither a comma-separated list of numbers nor a readable file`,
    );
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(trimmed);
    } catch (e) {
      throw new RnnscopeError(
        'INVALID_FILE',
        `${what}: ${spec} is not a valid JSON array (${(e as Error).message})`,
      );
    }
    if (!Array.isArray(arr) || !arr.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new RnnscopeError(
        'INVALID_FILE',
        `${what}: ${spec} must hold a flat JSON array of finite numbers`,
      );
    }
    return Float64Array.from(arr as number[]);
  }
  const fields = trimmed.split(/[\s,]+/).filter((f) => f !== '');
  const values = fields.map(parseDecimal);
  const bad = values.findIndex((v) => v === undefined);
  if (bad >= 0)
    throw new RnnscopeError(
      'INVALID_FILE',
      `${what}: ${spec} entry ${bad + 1} (${JSON.stringify(fields[bad])}) is not a finite number`,
    );
  if (values.length === 0)
    throw new RnnscopeError('INVALID_FILE', `${what}: ${spec} contains no numbers`);
  return Float64Array.from(values as number[]);
}
