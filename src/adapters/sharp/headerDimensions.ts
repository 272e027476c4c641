/**
 * Width and height as an image's own header states them, read in plain code from the first bytes:
 * the PNG IHDR chunk, the GIF logical screen, the JPEG start-of-frame segment. A pixel bomb is
 * refused from these before the input goes to libvips at all (no thread-pool round trip, a few
 * microseconds); anything not found here is left to libvips' header read, which checks again.
 */
export interface HeaderDimensions {
  width: number;
  height: number;
}

/** JPEG start-of-frame markers (SOF0–SOF15 but DHT C4, JPG C8 and DAC CC, which share the range). */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Markers without a length field: TEM, RST0–7, SOI, EOI. */
const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9);

function jpegDimensions(bytes: Buffer): HeaderDimensions | undefined {
  let offset = 2; // after SOI
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (isStandalone(marker)) {
      offset += 2;
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    if (length < 2) return undefined;
    if (isStartOfFrame(marker)) {
      if (offset + 9 > bytes.length) return undefined;
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    }
    if (marker === 0xda) return undefined; // start of scan before any frame header
    offset += 2 + length;
  }
  return undefined;
}

export function headerDimensions(bytes: Buffer, format: 'jpeg' | 'png' | 'gif'): HeaderDimensions | undefined {
  switch (format) {
    case 'png':
      // Signature (8), chunk length (4), "IHDR" (4), width (4), height (4).
      if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
      return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
    case 'gif':
      if (bytes.length < 10) return undefined;
      return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
    case 'jpeg':
      return jpegDimensions(bytes);
  }
}
