/**
 * PNG versions of the static figures (Node only, optional): each SVG is screenshotted by a
 * headless Chromium driven through playwright-core — the Debian `chromium` package at
 * /usr/bin/chromium (or RNNSCOPE_CHROMIUM) and the playwright-core npm package (a development
 * dependency). Nothing is downloaded; without either, PNG output is refused with a message.
 */
import { existsSync } from 'node:fs';
import { RnnscopeError } from '../errors.js';

/** Path of the Chromium binary used for PNGs. */
export const chromiumPath = (): string => process.env.RNNSCOPE_CHROMIUM ?? '/usr/bin/chromium';

/** Why PNGs cannot be made here, or undefined when they can. */
export async function pngUnavailable(): Promise<string | undefined> {
  if (!existsSync(chromiumPath()))
    return `no Chromium at ${chromiumPath()} (install the Debian package: apt-get install chromium; or set RNNSCOPE_CHROMIUM)`;
  try {
    await import('playwright-core');
  } catch {
    return 'playwright-core is not installed (npm install --include=dev)';
  }
  return undefined;
}

/**
 * Renders each SVG to PNG bytes at `scale` × its size (default 2 for sharp text).
 * Throws IO_ERROR with the reason when Chromium or playwright-core is missing.
 */
export async function svgsToPng(
  svgs: Record<string, string>,
  opts: { scale?: number } = {},
): Promise<Record<string, Uint8Array>> {
  const why = await pngUnavailable();
  if (why) throw new RnnscopeError('IO_ERROR', `cannot write PNG figures: ${why}`);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: opts.scale ?? 2 });
    const out: Record<string, Uint8Array> = {};
    for (const [id, svg] of Object.entries(svgs)) {
      await page.setContent(`<!DOCTYPE html><html><body style="margin:0">${svg}</body></html>`);
      const el = await page.$('svg');
      if (!el) throw new RnnscopeError('IO_ERROR', `figure ${id}: the SVG did not render`);
      out[id] = new Uint8Array(await el.screenshot({ type: 'png' }));
    }
    return out;
  } finally {
    await browser.close();
  }
}
