import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

/** Files under `test/fixtures` (made by `test/fixtures/makeFixtures.ts`). */
export function readFixture(name: string): Promise<Buffer> {
  return readFile(new URL(`../fixtures/${name}`, import.meta.url));
}

export interface PhotoOptions {
  width?: number;
  height?: number;
  quality?: number;
}

/**
 * Pixels that compress like a photo: smooth gradients plus a little deterministic grain, so a
 * 1.5 MP JPEG weighs what an upload does (~0.5 MB at quality 90), not what a flat colour does.
 */
export function photoPixels(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const grain = (seed >> 16) % 24;
      const at = (y * width + x) * 3;
      pixels[at] = ((x * 255) / width + grain) & 0xff;
      pixels[at + 1] = ((y * 255) / height + grain) & 0xff;
      pixels[at + 2] = (((x + y) * 128) / (width + height) + 64 + grain) & 0xff;
    }
  }
  return pixels;
}

/** A photo-like JPEG made in memory: 1500×1000 (1.5 MP) at quality 90 unless told otherwise. */
export function makePhotoJpeg({ width = 1500, height = 1000, quality = 90 }: PhotoOptions = {}): Promise<Buffer> {
  return sharp(photoPixels(width, height), { raw: { width, height, channels: 3 } }).jpeg({ quality }).toBuffer();
}
