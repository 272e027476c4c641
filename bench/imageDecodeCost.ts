/**
 * Calibration of the decode-cost factors in src/adapters/sharp/decodeCost.ts: what the upload
 * pipeline (header read, decode, orient, fit inside 2000×2000, re-encode in the same format)
 * costs per megapixel of each kind of input, one image at a time (sharp's concurrency is 1 here).
 * Not part of `npm run bench`; run it on its own when libvips changes:
 *
 *   npx tsx bench/imageDecodeCost.ts
 *
 * Each case runs 3 times and keeps its fastest run (others share the machine); "MP" counts every
 * frame at the size of the canvas, which is what libvips decodes.
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { encodeAs } from '../src/adapters/sharp/outputEncoding.ts';
import { readImageHeader, type ImageHeader } from '../src/adapters/sharp/headerDimensions.ts';
import { decodeCost } from '../src/adapters/sharp/decodeCost.ts';
import type { ImageFormat } from '../src/ports/imageProcessor.ts';
import { gifOfTinyFrames } from '../test/support/craftedImages.ts';
import { photoPixels } from '../test/support/imageFixtures.ts';

interface Case {
  name: string;
  format: ImageFormat;
  input: () => Promise<Buffer>;
}

const RUNS = 3;

const photo = (width: number, height: number) => sharp(photoPixels(width, height), { raw: { width, height, channels: 3 } });
const flat = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background: { r: 200, g: 120, b: 60, alpha: 0.5 } } });

/** `frames` full frames of photo pixels, `width`×`height` each, every one shifted (the encoder merges equal frames). */
const photoGif = (width: number, height: number, frames: number) =>
  sharp(Buffer.concat(Array.from({ length: frames }, (_, frame) => shifted(photoPixels(width, height), frame * 3 * 7))), {
    raw: { width, height: height * frames, channels: 3, pageHeight: height },
  }).gif({ delay: Array.from({ length: frames }, () => 100) });

const shifted = (pixels: Buffer, by: number) => Buffer.concat([pixels.subarray(by), pixels.subarray(0, by)]);

const CASES: Case[] = [
  { name: 'baseline JPEG, photo, 16 MP', format: 'jpeg', input: () => photo(4000, 4000).jpeg({ quality: 90 }).toBuffer() },
  { name: 'baseline JPEG, flat, 64 MP', format: 'jpeg', input: () => flat(8000, 8000).jpeg().toBuffer() },
  { name: 'progressive JPEG, photo, 16 MP', format: 'jpeg', input: () => photo(4000, 4000).jpeg({ quality: 90, progressive: true }).toBuffer() },
  { name: 'progressive JPEG, flat, 63 MP', format: 'jpeg', input: () => flat(7936, 7936).jpeg({ progressive: true }).toBuffer() },
  { name: 'PNG 8-bit RGB, photo, 16 MP', format: 'png', input: () => photo(4000, 4000).png().toBuffer() },
  { name: 'PNG 8-bit RGBA, flat, 16 MP', format: 'png', input: () => flat(4000, 4000, 4).png().toBuffer() },
  { name: 'PNG 16-bit RGBA, flat, 16 MP', format: 'png', input: () => flat(4000, 4000, 4).toColourspace('rgb16').png().toBuffer() },
  { name: 'PNG 16-bit RGB, photo, 16 MP', format: 'png', input: () => photo(4000, 4000).toColourspace('rgb16').png().toBuffer() },
  { name: 'PNG 8-bit RGB interlaced, photo, 16 MP', format: 'png', input: () => photo(4000, 4000).png({ progressive: true }).toBuffer() },
  { name: 'PNG 16-bit RGBA interlaced, flat, 16 MP', format: 'png', input: () => flat(4000, 4000, 4).toColourspace('rgb16').png({ progressive: true }).toBuffer() },
  { name: 'progressive JPEG grey, flat, 64 MP', format: 'jpeg', input: () => flat(8000, 8000).toColourspace('b-w').jpeg({ progressive: true }).toBuffer() },
  { name: 'progressive JPEG (mozjpeg scans), flat, 63 MP', format: 'jpeg', input: () => flat(7936, 7936).jpeg({ progressive: true, mozjpeg: true }).toBuffer() },
  { name: 'progressive JPEG 4:4:4, flat, 63 MP', format: 'jpeg', input: () => flat(7936, 7936).jpeg({ progressive: true, chromaSubsampling: '4:4:4' }).toBuffer() },
  { name: 'PNG 1-bit grey, flat, 16 MP', format: 'png', input: () => flat(4000, 4000).toColourspace('b-w').png({ palette: true, colours: 2 }).toBuffer() },
  { name: 'GIF, photo, 1 frame of 4 MP', format: 'gif', input: () => photo(2000, 2000).gif().toBuffer() },
  { name: 'GIF, photo, 16 frames of 0.25 MP', format: 'gif', input: () => photoGif(500, 500, 16).toBuffer() },
  { name: 'GIF, 1×1 frames, 16 frames of a 1 MP screen', format: 'gif', input: async () => gifOfTinyFrames(1000, 1000, 16) },
  { name: 'GIF, 1×1 frames, 64 frames of a 1 MP screen (the issue\'s bomb)', format: 'gif', input: async () => gifOfTinyFrames(1000, 1000, 64) },
  { name: 'GIF, flat, 1 frame of 16 MP', format: 'gif', input: () => flat(4000, 4000).gif().toBuffer() },
];

/**
 * The upload pipeline of sharpImageProcessor.ts, from the header read to the last output byte:
 * the process's CPU time (all threads), which others' load on the machine changes far less than
 * the wall-clock time, and the wall-clock time.
 */
async function uploadPipeline(input: Buffer, format: ImageFormat): Promise<{ cpuMs: number; wallMs: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const read = { failOn: 'warning', animated: format === 'gif', limitInputPixels: false } as const;
  await sharp(input, read).metadata();
  const image = sharp(input, read).autoOrient().resize({ width: 2000, height: 2000, fit: 'inside', withoutEnlargement: true });
  await encodeAs(image, format).toBuffer();
  const { user, system } = process.cpuUsage(cpu);
  return { cpuMs: (user + system) / 1000, wallMs: performance.now() - started };
}

const facts = (header: ImageHeader) =>
  [`${header.bitDepth}-bit`, header.frames > 1 ? `${header.frames} frames` : '', header.progressive ? `${header.scans} scans` : '', header.interlaced ? 'interlaced' : '']
    .filter(Boolean)
    .join(', ');

async function main(): Promise<void> {
  sharp.cache(false);
  process.stdout.write(`sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, concurrency ${sharp.concurrency()}\n\n`);
  process.stdout.write('| input | bytes | header | MP decoded | CPU ms | wall ms | CPU ms per MP | cost (MP-equivalents) | CPU ms per cost-MP |\n|---|---|---|---|---|---|---|---|---|\n');
  for (const { name, format, input: make } of CASES) {
    const input = await make();
    const header = readImageHeader(input, format);
    if (header === undefined) throw new Error(`${name}: no header`);
    const megapixels = (header.width * header.height * header.frames) / 1e6;
    const runs: Array<{ cpuMs: number; wallMs: number }> = [];
    for (let run = 0; run < RUNS; run++) runs.push(await uploadPipeline(input, format));
    const best = Math.min(...runs.map((run) => run.cpuMs));
    const wall = Math.min(...runs.map((run) => run.wallMs));
    const cost = decodeCost(header) / 1e6;
    process.stdout.write(
      `| ${name} | ${input.length} | ${facts(header)} | ${megapixels.toFixed(1)} | ${best.toFixed(0)} | ${wall.toFixed(0)} | ${(best / megapixels).toFixed(1)} | ${cost.toFixed(1)} | ${(best / cost).toFixed(1)} |\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
