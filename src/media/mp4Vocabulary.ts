import { AppError } from '../errors/appError.ts';

/** The MP4 vocabulary of the validator: which brands and top-level boxes make a file an MP4 here. */

/**
 * Brands that make a file an MP4 here: ISO base media (`isom`, `iso2`–`iso9`), MP4 v1/v2, AVC,
 * Apple's M4V family, DASH and `mmp4`. A file qualifies when its major brand is one of them, or
 * when it lists one among its compatible brands and its major brand is not refused
 * ({@link NON_MP4_BRANDS}): cameras write vendor majors such as `XAVC` or `MSNV` over `mp42`/`isom`,
 * and 3GPP files (`3gp4`...) usually list `isom`.
 */
export const MP4_BRANDS: ReadonlySet<string> = new Set([
  'isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso7', 'iso8', 'iso9',
  'mp41', 'mp42', 'avc1', 'M4V ', 'M4VH', 'M4VP', 'dash', 'mmp4',
]);

/** Major brands that are ISO-BMFF but not an MP4 video, whatever they list as compatible. */
export const NON_MP4_BRANDS: ReadonlyMap<string, string> = new Map([
  ['qt  ', 'QuickTime movie'],
  ['M4A ', 'MPEG-4 audio'],
  ['M4B ', 'MPEG-4 audio book'],
  ['M4P ', 'protected MPEG-4 audio'],
  ['heic', 'HEIF image'], ['heix', 'HEIF image'], ['hevc', 'HEIF image sequence'], ['hevx', 'HEIF image sequence'],
  ['mif1', 'HEIF image'], ['msf1', 'HEIF image sequence'], ['avif', 'AVIF image'], ['avis', 'AVIF image sequence'],
  ['crx ', 'Canon raw image'],
  ['jp2 ', 'JPEG 2000 image'], ['jpx ', 'JPEG 2000 image'], ['mjp2', 'Motion JPEG 2000'],
]);

/** Box types allowed at the top level (ISO/IEC 14496-12 file-level boxes, plus `wide`/`udta` seen in the wild). */
export const TOP_LEVEL_BOXES: ReadonlySet<string> = new Set([
  'ftyp', 'styp', 'pdin', 'moov', 'moof', 'mfra', 'mdat', 'free', 'skip', 'wide', 'meta', 'meco',
  'uuid', 'sidx', 'ssix', 'prft', 'emsg', 'udta',
]);

/** `Invalid MP4: <reason>.`, code `INVALID_VIDEO`, status 400. */
export function invalidVideo(reason: string): AppError {
  return new AppError('INVALID_VIDEO', `Invalid MP4: ${reason}.`, { status: 400 });
}

/** The brands an `ftyp` box declares. */
export interface Mp4Brands {
  majorBrand: string;
  compatibleBrands: string[];
}

/** Four bytes as a box type or brand (Latin-1). */
export const fourCc = (bytes: Uint8Array, at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));

/** Reads an `ftyp` body (major brand, minor version, compatible brands) and applies the brand rule. */
export function checkBrands(ftyp: Uint8Array): Mp4Brands {
  const majorBrand = fourCc(ftyp, 0);
  const compatibleBrands: string[] = [];
  for (let at = 8; at + 4 <= ftyp.length; at += 4) compatibleBrands.push(fourCc(ftyp, at));
  const refused = NON_MP4_BRANDS.get(majorBrand);
  if (refused !== undefined) throw invalidVideo(`brand "${majorBrand}" is a ${refused}, not an MP4`);
  if (!MP4_BRANDS.has(majorBrand) && !compatibleBrands.some((brand) => MP4_BRANDS.has(brand))) {
    throw invalidVideo(`no MP4 brand in ftyp (major "${majorBrand}", compatible "${compatibleBrands.join('", "')}")`);
  }
  return { majorBrand, compatibleBrands };
}

