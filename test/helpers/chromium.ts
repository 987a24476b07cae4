/**
 * Headless Chromium for browser tests: Debian's package (or RNNSCOPE_CHROMIUM) driven by
 * playwright-core. Tests skip with a visible message when either is missing.
 */
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.RNNSCOPE_CHROMIUM ?? '/usr/bin/chromium';

let loaded: typeof import('playwright-core') | undefined;
try {
  loaded = await import('playwright-core');
} catch {
  loaded = undefined;
}
export const playwright = loaded;

/** Why a browser test cannot run here, or undefined when it can. */
export function browserSkipReason(): string | undefined {
  if (!existsSync(chromiumPath)) return `no Chromium at ${chromiumPath} (apt-get install chromium)`;
  if (!playwright) return 'playwright-core is not installed';
  return undefined;
}
