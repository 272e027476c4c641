import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { COST_FACTORS, decodeCost } from '../../src/adapters/sharp/decodeCost.ts';
import { readImageHeader, type ImageHeader } from '../../src/adapters/sharp/headerDimensions.ts';
import { gifOfTinyFrames, jpegHeader, pngHeader } from '../support/craftedImages.ts';

const header = (facts: Partial<ImageHeader> & Pick<ImageHeader, 'format' | 'width' | 'height'>): ImageHeader => ({
  frames: 1,
  bitDepth: 8,
  interlaced: false,
  progressive: false,
  scans: 1,
  ...facts,
});

test('a baseline JPEG and an 8-bit PNG cost their pixels', () => {
  assert.is(decodeCost(readImageHeader(jpegHeader(8000, 8000, 0xc0), 'jpeg')!), 64_000_000);
  assert.is(decodeCost(readImageHeader(pngHeader(8000, 8000, 8, 6), 'png')!), 64_000_000);
  assert.is(decodeCost(readImageHeader(pngHeader(8000, 8000, 1, 0), 'png')!), 64_000_000);
});

test('a 16-bit or interlaced PNG costs more per pixel', () => {
  assert.is(decodeCost(readImageHeader(pngHeader(4000, 4000, 16, 6), 'png')!), 16_000_000 * COST_FACTORS.png16);
  assert.is(decodeCost(readImageHeader(pngHeader(4000, 4000, 8, 2, 1), 'png')!), 16_000_000 * COST_FACTORS.pngInterlace);
  assert.is(decodeCost(readImageHeader(pngHeader(4000, 4000, 16, 6, 1), 'png')!), 16_000_000 * COST_FACTORS.png16 * COST_FACTORS.pngInterlace);
});

test('a progressive JPEG costs more per pixel, and in proportion to its scans beyond ten', () => {
  assert.is(decodeCost(readImageHeader(jpegHeader(7936, 7936, 0xc2), 'jpeg')!), 7936 * 7936 * COST_FACTORS.progressiveJpeg);
  assert.is(decodeCost(header({ format: 'jpeg', width: 1000, height: 1000, progressive: true, scans: 10 })), 2_000_000);
  assert.is(decodeCost(header({ format: 'jpeg', width: 1000, height: 1000, progressive: true, scans: 500 })), 100_000_000);
});

test('every frame of a GIF costs the whole canvas, at the GIF factor', () => {
  const bomb = readImageHeader(gifOfTinyFrames(1000, 1000, 64), 'gif')!;
  assert.is(decodeCost(bomb), 64 * 1_000_000 * COST_FACTORS.gif);
  assert.ok(decodeCost(bomb) > 64_000_000, 'over the default MAX_INPUT_PIXELS although its pixels are not');
});

test.run();
