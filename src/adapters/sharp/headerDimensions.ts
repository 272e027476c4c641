/**
 * What an image's own header states, read in plain code before the input goes to libvips at all
 * (no thread-pool round trip): width and height, and what else decides the cost of decoding it
 * (see decodeCost.ts): the frames of a GIF, the bit depth and interlacing of a PNG, the scans of
 * a JPEG. A bomb is refused from these; anything not found here is left to libvips' header read,
 * which checks again.
 *
 * Linear in the file's bytes, without decompressing anything: ~5 ms for an 8 MB photo JPEG; the
 * worst crafted 25 MiB files (a GIF of 1-byte sub-blocks, a JPEG of 0xFF00 pairs or of nothing but
 * scan markers) took 0.13–0.35 s here on a loaded machine, less than parsing and base64-decoding
 * the JSON-RPC body that carries such a file.
 */
export interface HeaderDimensions {
  width: number;
  height: number;
}

export interface ImageHeader extends HeaderDimensions {
  format: 'jpeg' | 'png' | 'gif';
  /** Frames libvips decodes with `animated: true` (GIF: every image descriptor; 1 otherwise). */
  frames: number;
  /** Bits per sample: 1–16 for PNG, 8 or 12 for JPEG, 8 for GIF. */
  bitDepth: number;
  /** PNG Adam7 interlacing. */
  interlaced: boolean;
  /** JPEG progressive coding (SOF2, SOF10). */
  progressive: boolean;
  /** JPEG scans (start-of-scan markers from the first scan to the end of the file); 1 for PNG and GIF. */
  scans: number;
}

/** JPEG start-of-frame markers (SOF0–SOF15 but DHT C4, JPG C8 and DAC CC, which share the range). */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
const isProgressiveFrame = (marker: number) => marker === 0xc2 || marker === 0xca;
const START_OF_SCAN = 0xda;
const END_OF_IMAGE = 0xd9;

/** Markers without a length field: TEM, RST0–7, SOI, EOI. */
const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9);

const START_OF_SCAN_MARKER = Buffer.from([0xff, START_OF_SCAN]);

/**
 * Start-of-scan markers from `offset` to the end of the file. Entropy-coded data never holds
 * 0xFF 0xDA (a 0xFF there is followed by 0x00 or a restart marker), so every scan is counted;
 * bytes inside a segment between scans or after the end of the image could only add to the
 * count, which errs on the side of a higher cost. One native search, however the data looks.
 */
function countScansFrom(bytes: Buffer, offset: number): number {
  let scans = 0;
  for (let at = bytes.indexOf(START_OF_SCAN_MARKER, offset); at !== -1; at = bytes.indexOf(START_OF_SCAN_MARKER, at + 2)) scans += 1;
  return scans;
}

/**
 * Walks the segments of a JPEG up to its first scan: the frame header gives size, precision and
 * coding; then the scans are counted to the end of the file.
 */
function jpegHeader(bytes: Buffer): ImageHeader | undefined {
  let frame: ImageHeader | undefined;
  let offset = 2; // after SOI
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) break;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === END_OF_IMAGE) break;
    if (isStandalone(marker)) {
      offset += 2;
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    if (length < 2) break;
    if (isStartOfFrame(marker) && frame === undefined) {
      if (offset + 9 > bytes.length) return undefined;
      frame = {
        format: 'jpeg',
        width: bytes.readUInt16BE(offset + 7),
        height: bytes.readUInt16BE(offset + 5),
        frames: 1,
        bitDepth: bytes[offset + 4]!,
        interlaced: false,
        progressive: isProgressiveFrame(marker),
        scans: 1,
      };
    }
    if (marker === START_OF_SCAN) {
      if (frame === undefined) return undefined; // a scan before any frame header
      return { ...frame, scans: 1 + countScansFrom(bytes, offset + 2) };
    }
    offset += 2 + length;
  }
  return frame;
}

/** Signature (8), chunk length (4), "IHDR" (4), width, height, bit depth, colour type, compression, filter, interlace. */
function pngHeader(bytes: Buffer): ImageHeader | undefined {
  if (bytes.length < 29 || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return {
    format: 'png',
    width: bytes.readUInt32BE(16),
    height: bytes.readUInt32BE(20),
    frames: 1, // libvips decodes the default image of an APNG only
    bitDepth: bytes[24]!,
    interlaced: bytes[28] === 1,
    progressive: false,
    scans: 1,
  };
}

const colourTableBytes = (packed: number) => (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);

/** The offset after the data sub-blocks starting at `offset` (each `size, data…`, ended by size 0). */
function skipSubBlocks(bytes: Buffer, offset: number): number {
  let at = offset;
  while (at < bytes.length) {
    const size = bytes[at]!;
    at += 1 + size;
    if (size === 0) return at;
  }
  return bytes.length;
}

/**
 * Walks a GIF's blocks without decompressing anything: every image descriptor is a frame. The
 * canvas is the logical screen grown to hold every frame, as libnsgif grows it (a 1×1 screen
 * with a 16000×16000 frame decodes at 16000×16000). Linear in the file's bytes: each step
 * skips at least one.
 */
function gifHeader(bytes: Buffer): ImageHeader | undefined {
  if (bytes.length < 13) return undefined;
  let width = bytes.readUInt16LE(6);
  let height = bytes.readUInt16LE(8);
  let frames = 0;
  let offset = 13 + colourTableBytes(bytes[10]!);
  while (offset < bytes.length) {
    const block = bytes[offset]!;
    if (block === 0x21) {
      offset = skipSubBlocks(bytes, offset + 2); // introducer, label, sub-blocks
    } else if (block === 0x2c) {
      if (offset + 10 > bytes.length) break;
      width = Math.max(width, bytes.readUInt16LE(offset + 1) + bytes.readUInt16LE(offset + 5));
      height = Math.max(height, bytes.readUInt16LE(offset + 3) + bytes.readUInt16LE(offset + 7));
      frames += 1;
      offset = skipSubBlocks(bytes, offset + 10 + colourTableBytes(bytes[offset + 9]!) + 1); // + LZW minimum code size
    } else {
      break; // the trailer, or bytes libnsgif stops at too
    }
  }
  return { format: 'gif', width, height, frames: Math.max(1, frames), bitDepth: 8, interlaced: false, progressive: false, scans: 1 };
}

/** Everything {@link ImageHeader} says, or `undefined` when the header cannot be read (libvips judges then). */
export function readImageHeader(bytes: Buffer, format: 'jpeg' | 'png' | 'gif'): ImageHeader | undefined {
  switch (format) {
    case 'png':
      return pngHeader(bytes);
    case 'gif':
      return gifHeader(bytes);
    case 'jpeg':
      return jpegHeader(bytes);
  }
}

/** Width and height as the header states them (GIF: the canvas every frame fits on). */
export function headerDimensions(bytes: Buffer, format: 'jpeg' | 'png' | 'gif'): HeaderDimensions | undefined {
  const header = readImageHeader(bytes, format);
  return header === undefined ? undefined : { width: header.width, height: header.height };
}
