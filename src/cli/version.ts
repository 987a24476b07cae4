import { readFileSync } from 'node:fs';

/**
 * The package version. package.json sits two levels up from both src/cli (tests) and
 * dist/cli (installed), so one relative URL serves both.
 */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
