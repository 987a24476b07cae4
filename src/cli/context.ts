/**
 * What every command gets: where to write, and the two output modes (text for people,
 * `--json` for programs). Commands never touch process.stdout directly, so the whole CLI can
 * run in-process under test.
 */
import { writeFileSync } from 'node:fs';
import { CommanderError, type Command } from 'commander';
import { RnnscopeError } from '../errors.js';
import { stringifyCompact } from '../io/json-text.js';

/** Minimal writable streams; `process.stdout`/`process.stderr` fit, and so does a test buffer. */
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

export interface CliContext {
  io: CliIo;
  /**
   * Prints a result. `json === true` (bare `--json`): the JSON alone on stdout. A string
   * (`--json FILE`): the JSON goes to that file and the text summary to stdout. Otherwise text.
   */
  print(json: boolean | string | undefined, value: unknown, text: () => string[]): void;
}

export function createContext(io: CliIo): CliContext {
  return {
    io,
    print(json, value, text) {
      if (json === true) {
        io.stdout.write(stringifyCompact(value) + '\n');
        return;
      }
      if (typeof json === 'string') {
        try {
          writeFileSync(json, stringifyCompact(value) + '\n');
        } catch (e) {
          throw new RnnscopeError(
            'IO_ERROR',
            `cannot write JSON to ${json}: ${(e as Error).message}`,
          );
        }
      }
      io.stdout.write(text().join('\n') + '\n');
    },
  };
}

/** Exit code of usage errors (bad or conflicting options), as commander's own parse errors. */
export const USAGE_EXIT = 2;

/**
 * Reports a usage problem found after parsing (a combination commander cannot express) through
 * commander, so it is printed and exits like an unknown option would.
 */
export function usageError(cmd: Command, message: string): never {
  cmd.error(`error: ${message}`, { exitCode: USAGE_EXIT, code: 'rnnscope.usage' });
  throw new CommanderError(USAGE_EXIT, 'rnnscope.usage', message); // unreachable: error() throws under exitOverride
}

/** Compact number for text output: 6 significant digits, no trailing zeros. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}
