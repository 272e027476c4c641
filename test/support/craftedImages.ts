/**
 * Image files written byte by byte, for tests of what headers state (frame counts, bit depths,
 * scan types) without a large file: a GIF frame bomb is about 1 KB.
 */

/** LZW data of one pixel of colour 0 with minimum code size 2: clear (4), 0, end (5), 3 bits each. */
const ONE_PIXEL_LZW = [0x02, 0x02, 0x44, 0x01, 0x00];

/**
 * A GIF89a of a `width`×`height` logical screen holding `frames` frames of 1×1 pixel each, every
 * one with its own graphic control extension (a delay of 10 ms), looping forever. libvips renders
 * every frame at the screen's size, so the file is tiny and the decoded animation is not.
 */
export function gifOfTinyFrames(width: number, height: number, frames: number, options: { comments?: number } = {}): Buffer {
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(width, 0);
  screen.writeUInt16LE(height, 2);
  screen[4] = 0x80; // global colour table of 2 entries
  const parts: Buffer[] = [Buffer.from('GIF89a', 'latin1'), screen, Buffer.from([0, 0, 0, 255, 255, 255])];
  parts.push(Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0', 'latin1'), 0x03, 0x01, 0x00, 0x00, 0x00]));
  for (let index = 0; index < (options.comments ?? 0); index++) parts.push(Buffer.from([0x21, 0xfe, 0x03, 0x61, 0x62, 0x63, 0x00]));
  for (let frame = 0; frame < frames; frame++) {
    parts.push(Buffer.from([0x21, 0xf9, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00])); // graphic control: delay 1/100 s
    parts.push(Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0x00])); // image descriptor: 1×1 at 0,0, no local table
    parts.push(Buffer.from(ONE_PIXEL_LZW));
  }
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

/** The first 33 bytes of a PNG: signature and IHDR with this size, bit depth and colour type. */
export function pngHeader(width: number, height: number, bitDepth: number, colourType: number, interlace = 0): Buffer {
  const header = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'latin1');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  header.set([bitDepth, colourType, 0, 0, interlace], 24);
  return header; // the CRC (last 4 bytes) is left zero: only header readers see this
}

/** SOI, an APP0 segment and a start-of-frame segment of `marker` (0xc0 baseline, 0xc2 progressive) with 3 components. */
export function jpegHeader(width: number, height: number, marker: number, precision = 8): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const frame = Buffer.alloc(19);
  frame.set([0xff, marker, 0x00, 17, precision], 0);
  frame.writeUInt16BE(height, 5);
  frame.writeUInt16BE(width, 7);
  frame.set([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1], 9);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, frame]);
}
