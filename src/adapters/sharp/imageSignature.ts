/**
 * Recognises an image format by its leading bytes, before any decoder sees the input. Only the
 * formats the catalog stores (jpeg, png, gif) are ever handed to libvips: an SVG (XML parser and
 * renderer), WebP, TIFF or HEIF upload is refused by name without touching their loaders.
 */

interface Signature {
  format: string;
  /** Bytes expected at `offset`. */
  magic: readonly number[];
  offset?: number;
}

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

/** Leading bytes of each format we name; checked in order, first match wins. */
const SIGNATURES: readonly Signature[] = [
  { format: 'jpeg', magic: [0xff, 0xd8, 0xff] },
  { format: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'gif', magic: ascii('GIF87a') },
  { format: 'gif', magic: ascii('GIF89a') },
  { format: 'webp', magic: ascii('WEBP'), offset: 8 },
  { format: 'tiff', magic: [0x49, 0x49, 0x2a, 0x00] },
  { format: 'tiff', magic: [0x4d, 0x4d, 0x00, 0x2a] },
  { format: 'jp2', magic: [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20] },
  { format: 'jxl', magic: [0xff, 0x0a] },
  { format: 'pdf', magic: ascii('%PDF-') },
  { format: 'psd', magic: ascii('8BPS') },
];

/** How far into a text file to look for an `<svg` element. */
const SVG_SNIFF_BYTES = 4096;

/** ISO-BMFF files (`....ftyp<brand>`) named by their major brand; other brands are videos. */
const ISO_BMFF_IMAGE_BRANDS: Readonly<Record<string, string>> = {
  avif: 'avif', avis: 'avif', heic: 'heif', heix: 'heif', hevc: 'heif', hevx: 'heif', mif1: 'heif', msf1: 'heif',
};

function isoBmffFormat(bytes: Uint8Array): string | undefined {
  if (bytes.length < 12 || Buffer.from(bytes.subarray(4, 8)).toString('latin1') !== 'ftyp') return undefined;
  const brand = Buffer.from(bytes.subarray(8, 12)).toString('latin1');
  return ISO_BMFF_IMAGE_BRANDS[brand] ?? 'mp4';
}

const matches = (bytes: Uint8Array, { magic, offset = 0 }: Signature): boolean =>
  bytes.length >= offset + magic.length && magic.every((byte, index) => bytes[offset + index] === byte);

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, SVG_SNIFF_BYTES)).toString('latin1');
  return /^(\xef\xbb\xbf)?\s*</.test(head) && /<svg[\s>]/i.test(head);
}

/**
 * The format named by the input's signature (`jpeg`, `png`, `gif`, or a refused one such as
 * `svg`, `webp`, `tiff`, `heif`), or `undefined` when it looks like no image at all.
 */
export function sniffImageFormat(bytes: Uint8Array): string | undefined {
  const signature = SIGNATURES.find((candidate) => matches(bytes, candidate));
  if (signature !== undefined) return signature.format;
  return isoBmffFormat(bytes) ?? (looksLikeSvg(bytes) ? 'svg' : undefined);
}
