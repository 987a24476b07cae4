/**
 * JSON text in and out with float64 exactness and useful diagnostics.
 *
 * Reading: `JSON.parse` does the work; only when it fails does a lenient scanner walk the text
 * to say *where* (line and column, which V8 does not always report) and whether the cause is
 * Python's `json.dump` writing `NaN`/`Infinity` tokens, which are not JSON.
 * Writing: numbers use JavaScript's shortest round-trip representation (exact for float64),
 * except −0, which `JSON.stringify` would flatten to 0.
 */
import { RnnscopeError } from '../errors.js';
import { formatPath, type PathSegment } from './issues.js';

/** Exact JSON text of a finite float64 (`-0` keeps its sign). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) {
    throw new RnnscopeError(
      'NON_FINITE',
      `cannot write ${v} as JSON (JSON numbers must be finite)`,
    );
  }
  return Object.is(v, -0) ? '-0' : String(v);
}

/** `[a, b, c]` with exact numbers. */
export function formatNumberArray(a: ArrayLike<number>, start = 0, end = a.length): string {
  const parts = new Array<string>(end - start);
  for (let i = start; i < end; i++) parts[i - start] = formatNumber(a[i]);
  return `[${parts.join(', ')}]`;
}

interface NonStandardToken {
  token: string;
  path: PathSegment[];
  offset: number;
}

interface SyntaxProblem {
  offset: number;
  expected: string;
}

class ScanStop {
  constructor(readonly problem: SyntaxProblem) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NON_STANDARD = ['NaN', 'Infinity', '-Infinity'];

/**
 * Walks JSON text like a parser would, accepting NaN/Infinity as numbers so their paths can
 * be reported, and stopping at the first real syntax error. Only used after `JSON.parse`
 * failed, so clarity matters more than speed.
 */
function scanJson(text: string): { tokens: NonStandardToken[]; syntax?: SyntaxProblem } {
  const n = text.length;
  const tokens: NonStandardToken[] = [];
  const path: PathSegment[] = [];
  let i = 0;
  const fail = (expected: string): never => {
    throw new ScanStop({ offset: i, expected });
  };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const string = (): string => {
    const start = i++;
    for (;;) {
      if (i >= n) fail('a closing quote "');
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) i += 2;
      else if (c < 0x20)
        fail('an escaped control character (raw control characters are not allowed in strings)');
      else i++;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail('a string with valid escapes');
    }
  };
  const value = (): void => {
    ws();
    if (i >= n) fail('a value');
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a property name in double quotes');
        const key = string();
        ws();
        if (text[i] !== ':') fail("':' after the property name");
        i++;
        path.push(key);
        value();
        path.pop();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail("',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let k = 0; ; k++) {
        path.push(k);
        value();
        path.pop();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail("',' or ']'");
      }
    }
    if (c === '"') {
      string();
      return;
    }
    for (const tok of NON_STANDARD) {
      if (text.startsWith(tok, i)) {
        tokens.push({ token: tok, path: [...path], offset: i });
        i += tok.length;
        return;
      }
    }
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    fail('a value (number, string, array, object, true, false or null)');
  };
  try {
    value();
    ws();
    if (i < n) fail('end of data (there is extra text after the JSON value)');
    return { tokens };
  } catch (e) {
    if (e instanceof ScanStop) return { tokens, syntax: e.problem };
    if (e instanceof RangeError) return { tokens }; // nesting too deep to scan; fall back to V8's message
    throw e;
  }
}

function lineColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

function describeAt(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the file';
  const ch = text[offset];
  return JSON.stringify(ch);
}

/**
 * Parses JSON text, turning failures into one INVALID_FILE error that says where and why:
 * non-standard NaN/Infinity tokens (grouped per top-level field, with the first path), or the
 * first syntax error with its line and column (flagging truncation when the text just stops).
 */
export function parseJsonText(text: string, source?: string, what = 'model file'): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const where = source ? ` ${source}` : '';
    const { tokens, syntax } = scanJson(text);
    const lines: string[] = [];
    const byField = new Map<string, NonStandardToken[]>();
    for (const t of tokens) {
      const field = t.path.length === 0 ? '(top level)' : String(t.path[0]);
      byField.set(field, [...(byField.get(field) ?? []), t]);
    }
    for (const [field, list] of byField) {
      const kinds = [...new Set(list.map((t) => t.token.replace('-', '')))].join('/');
      const first = list[0];
      const more = list.length > 1 ? ` and ${list.length - 1} more` : '';
      lines.push(
        `${field} contains ${kinds} (json.dump wrote a non-standard token; weights must be finite): ` +
          `at ${formatPath(first.path)} (${lineColumn(text, first.offset)})${more}`,
      );
    }
    if (syntax) {
      const truncated = syntax.offset >= text.length;
      lines.push(
        truncated
          ? `JSON ends unexpectedly at ${lineColumn(text, syntax.offset)} (expected ${syntax.expected}); the file looks truncated`
          : `malformed JSON at ${lineColumn(text, syntax.offset)}: expected ${syntax.expected}, found ${describeAt(text, syntax.offset)}`,
      );
    }
    if (lines.length === 0) lines.push(`malformed JSON: ${(err as Error).message}`);
    const msg =
      lines.length === 1
        ? `invalid ${what}${where}: ${lines[0]}`
        : `invalid ${what}${where}:\n  ${lines.join('\n  ')}`;
    throw new RnnscopeError('INVALID_FILE', msg, { cause: err });
  }
}

/**
 * Pretty JSON for people and programs alike: objects indented, arrays of numbers kept on one
 * line with exact float64 text (so shapes and vectors stay readable and `-0` survives).
 * Non-finite numbers become `null`, as in JSON.stringify.
 */
export function stringifyCompact(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number') return Number.isFinite(value) ? formatNumber(value) : 'null';
    return JSON.stringify(value) ?? 'null';
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return stringifyCompact(toJSON.call(value), indent);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (
      value.every(
        (v) =>
          typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null,
      )
    ) {
      return `[${value.map((v) => stringifyCompact(v)).join(', ')}]`;
    }
    return `[\n${value.map((v) => inner + stringifyCompact(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined && typeof v !== 'function',
  );
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringifyCompact(v, inner)}`).join(',\n')}\n${indent}}`;
}
