/**
 * One vocabulary for everything wrong with a file: a path into the document and a sentence a
 * user can act on. Zod issues, shape checks and sidecar checks all end up here, so a file with
 * several problems is reported once, with every failing field named.
 */
import type { z } from 'zod';
import { RnnscopeError } from '../errors.js';

export type PathSegment = string | number;

export interface FileIssue {
  path: PathSegment[];
  message: string;
}

/** Renders `['W', 12, 7]` as `W[12][7]` and `['metadata', 'task']` as `metadata.task`. */
export function formatPath(path: readonly PathSegment[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) s += s === '' ? seg : `.${seg}`;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}

/** Short description of a JSON value for "got …" clauses. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing (missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'string') return v.length > 40 ? `a string "${v.slice(0, 37)}..."` : `"${v}"`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

const EXPECTED_WORDS: Record<string, string> = {
  number: 'a finite number',
  int: 'an integer',
  string: 'a string',
  array: 'an array',
  object: 'an object',
  boolean: 'true or false',
};

/** Fields whose numbers are weights, so non-finite values get the weight-specific hint. */
const WEIGHT_FIELDS = new Set(['W', 'Win', 'Wfb', 'Wout', 'bias', 'bout']);

function isNonFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && !Number.isFinite(v);
}

/**
 * Converts zod issues (parsed with `reportInput: true`) into file issues. `root` lets the
 * caller word unknown top-level keys and unknown `kind`s with the allowed alternatives.
 */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  root: { allowedKeys?: readonly string[]; kinds?: readonly string[]; prefix?: PathSegment[] } = {},
): FileIssue[] {
  const out: FileIssue[] = [];
  const prefix = root.prefix ?? [];
  for (const iss of issues) {
    const path = [...prefix, ...(iss.path as PathSegment[])];
    const input = (iss as { input?: unknown }).input;
    switch (iss.code) {
      case 'invalid_type': {
        if (input === undefined) {
          out.push({
            path,
            message: `missing (expected ${EXPECTED_WORDS[iss.expected] ?? iss.expected})`,
          });
        } else if (isNonFiniteNumber(input)) {
          const why = WEIGHT_FIELDS.has(String(path[0]))
            ? 'weights must be finite'
            : 'values must be finite';
          out.push({ path, message: `${input} is not allowed (${why})` });
        } else if (iss.expected === 'array' && typeof input === 'number' && path.length === 2) {
          out.push({
            path,
            message:
              'expected a row (an array of numbers), got a number; matrices are nested arrays [[...], ...]',
          });
        } else {
          out.push({
            path,
            message: `expected ${EXPECTED_WORDS[iss.expected] ?? iss.expected}, got ${describeValue(input)}`,
          });
        }
        break;
      }
      case 'too_small':
      case 'too_big': {
        const op =
          iss.code === 'too_small' ? (iss.inclusive ? '≥' : '>') : iss.inclusive ? '≤' : '<';
        const bound = iss.code === 'too_small' ? iss.minimum : iss.maximum;
        const what =
          iss.origin === 'array' ? 'length' : iss.origin === 'string' ? 'length' : 'value';
        out.push({ path, message: `${what} must be ${op} ${bound}, got ${describeValue(input)}` });
        break;
      }
      case 'invalid_value':
        out.push({
          path,
          message: `expected ${iss.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(input)}`,
        });
        break;
      case 'invalid_format':
        out.push({
          path,
          message: `${iss.message.replace(/^Invalid string: /, '')}, got ${describeValue(input)}`,
        });
        break;
      case 'unrecognized_keys': {
        const keys = iss.keys.map((k) => `"${k}"`).join(', ');
        if (path.length === 0 && root.allowedKeys) {
          out.push({
            path,
            message: `unknown top-level key${iss.keys.length > 1 ? 's' : ''} ${keys} (allowed: ${root.allowedKeys.join(', ')})`,
          });
        } else {
          out.push({ path, message: `unknown key${iss.keys.length > 1 ? 's' : ''} ${keys}` });
        }
        break;
      }
      case 'invalid_union':
        out.push(...fromUnionIssue(iss, path, input, root));
        break;
      default:
        out.push({ path, message: iss.message });
    }
  }
  return out;
}

/**
 * A union fails as a whole; the useful report is the branch whose type matched (a matrix that
 * is an array with one bad entry, not "or an object"). When no branch matched even the outer
 * type, say what the alternatives were.
 */
function fromUnionIssue(
  iss: z.core.$ZodIssueInvalidUnion,
  path: PathSegment[],
  input: unknown,
  root: { kinds?: readonly string[] },
): FileIssue[] {
  if ((iss as { discriminator?: string }).discriminator !== undefined) {
    const kinds = (root.kinds ?? []).map((k) => `"${k}"`).join(', ');
    const value =
      input !== null && typeof input === 'object'
        ? (input as Record<string, unknown>).kind
        : undefined;
    return [
      {
        path,
        message:
          value === undefined
            ? `missing (expected one of ${kinds})`
            : `unknown kind ${describeValue(value)} (valid kinds: ${kinds})`,
      },
    ];
  }
  const typeMismatch = (b: readonly z.core.$ZodIssue[]) =>
    b.length > 0 &&
    b.every(
      (e) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_value'),
    );
  const matched = iss.errors.filter((b) => !typeMismatch(b));
  const known = path.length === 1 ? UNION_EXPECTATIONS[String(path[0])] : undefined;
  if (known !== undefined && matched.length !== 1) {
    return [
      {
        path,
        message:
          input === undefined
            ? `missing (expected ${known})`
            : `expected ${known}, got ${describeValue(input)}`,
      },
    ];
  }
  if (matched.length === 1) return fromZodIssues(matched[0], { prefix: path });
  const alternatives = iss.errors
    .map((b) => b[0])
    .filter((e): e is z.core.$ZodIssue => e !== undefined)
    .map((e) =>
      e.code === 'invalid_type'
        ? (EXPECTED_WORDS[e.expected] ?? e.expected)
        : e.code === 'invalid_value'
          ? e.values.map((v) => JSON.stringify(v)).join(' or ')
          : e.message,
    );
  return [{ path, message: `expected ${alternatives.join(', or ')}, got ${describeValue(input)}` }];
}

const MATRIX_EXPECTATION =
  'a matrix (an array of rows, e.g. [[0.1, 0.2], [0.3, 0.4]]) or {"$sidecar": "<tensor name>"}';
const VECTOR_EXPECTATION = 'an array of numbers or {"$sidecar": "<tensor name>"}';

/** What a union-typed field accepts, in words (zod would only say "an array, or an object"). */
const UNION_EXPECTATIONS: Record<string, string | undefined> = {
  W: MATRIX_EXPECTATION,
  Win: MATRIX_EXPECTATION,
  Wfb: MATRIX_EXPECTATION,
  Wout: MATRIX_EXPECTATION,
  bias: VECTOR_EXPECTATION,
  bout: VECTOR_EXPECTATION,
  activation: '"tanh", "logistic", "identity", "relu" or {"name": "relu", "threshold": <number>}',
};

/** At most this many problems are listed per top-level field; the rest are counted. */
const MAX_PER_FIELD = 4;

/**
 * One INVALID_FILE error naming every failing field. Problems in a large matrix are capped per
 * field so a wholly broken W does not print a million lines.
 */
export function invalidFile(
  source: string | undefined,
  issues: readonly FileIssue[],
): RnnscopeError {
  const byField = new Map<string, FileIssue[]>();
  for (const iss of issues) {
    const key = iss.path.length === 0 ? '' : String(iss.path[0]);
    const list = byField.get(key) ?? [];
    list.push(iss);
    byField.set(key, list);
  }
  const lines: string[] = [];
  for (const [field, list] of byField) {
    for (const iss of list.slice(0, MAX_PER_FIELD)) {
      const p = formatPath(iss.path);
      lines.push(p === '' ? iss.message : `${p}: ${iss.message}`);
    }
    if (list.length > MAX_PER_FIELD)
      lines.push(`... and ${list.length - MAX_PER_FIELD} more problems in ${field}`);
  }
  const where = source ? ` ${source}` : '';
  const head =
    issues.length === 1
      ? `invalid model file${where}: `
      : `invalid model file${where} (${issues.length} problems):\n  `;
  return new RnnscopeError('INVALID_FILE', head + lines.join('\n  '));
}
