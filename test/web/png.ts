/**
 * Minimal PNG decoder for screenshot checks: 8-bit RGB or RGBA, non-interlaced (what Chromium
 * writes). Chunks are parsed, the IDAT stream inflated with node:zlib and each scanline
 * unfiltered (None, Sub, Up, Average, Paeth).
 */
import { inflateSync } from 'node:zlib';

export interface Rgba {
  width: number;
  height: number;
  /** RGBA, row-major, 4 bytes per pixel. */
  pixels: Uint8Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(buf: Uint8Array): Rgba {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!sig.every((v, i) => buf[i] === v)) throw new Error('not a PNG file');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  for (let off = 8; off < buf.length;) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(...buf.subarray(off + 4, off + 8));
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(off + 8);
      height = view.getUint32(off + 12);
      const depth = data[8];
      const colour = data[9];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || data[12] !== 0)
        throw new Error(
          `unsupported PNG: depth ${depth}, colour type ${colour}, interlace ${data[12]}`,
        );
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      const x = line[i];
      cur[i] =
        filter === 0
          ? x
          : filter === 1
            ? x + a
            : filter === 2
              ? x + b
              : filter === 3
                ? x + ((a + b) >> 1)
                : x + paeth(a, b, c);
    }
    for (let px = 0; px < width; px++) {
      const o = (y * width + px) * 4;
      out[o] = cur[px * channels];
      out[o + 1] = cur[px * channels + 1];
      out[o + 2] = cur[px * channels + 2];
      out[o + 3] = channels === 4 ? cur[px * channels + 3] : 255;
    }
    prev = cur;
  }
  return { width, height, pixels: out };
}

/** Colours in a rectangle, counted after quantising each channel to 32 levels. */
export function colourCensus(
  img: Rgba,
  box: { x: number; y: number; width: number; height: number },
): Map<number, number> {
  const counts = new Map<number, number>();
  const x1 = Math.min(img.width, Math.round(box.x + box.width));
  const y1 = Math.min(img.height, Math.round(box.y + box.height));
  for (let y = Math.max(0, Math.round(box.y)); y < y1; y++)
    for (let x = Math.max(0, Math.round(box.x)); x < x1; x++) {
      const o = (y * img.width + x) * 4;
      const key =
        ((img.pixels[o] >> 3) << 10) | ((img.pixels[o + 1] >> 3) << 5) | (img.pixels[o + 2] >> 3);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  return counts;
}
