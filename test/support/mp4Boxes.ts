/**
 * Builds ISO-BMFF boxes for MP4 fixtures and tests: enough structure for the validator (box
 * headers, `ftyp` brands, a minimal `mvhd`), no real media.
 */

const u32 = (value: number): Buffer => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
};

const fourCc = (type: string): Buffer => {
  if (type.length !== 4) throw new Error(`Box type must be 4 characters: "${type}".`);
  return Buffer.from(type, 'latin1');
};

/** A box with a 32-bit size. */
export function box(type: string, ...payload: Uint8Array[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([u32(8 + body.length), fourCc(type), body]);
}

/** A box with size 1 and a 64-bit `largesize` (as written for `mdat` over 4 GiB). */
export function largeBox(type: string, ...payload: Uint8Array[]): Buffer {
  const body = Buffer.concat(payload);
  const size = Buffer.alloc(8);
  size.writeBigUInt64BE(BigInt(16 + body.length));
  return Buffer.concat([u32(1), fourCc(type), size, body]);
}

/** A box header declaring `size` bytes, followed by `payload` whatever its length (bad sizes on purpose). */
export function boxWithSize(type: string, size: number, ...payload: Uint8Array[]): Buffer {
  return Buffer.concat([u32(size), fourCc(type), ...payload]);
}

export function ftyp(majorBrand: string, compatibleBrands: readonly string[] = [majorBrand], minorVersion = 0x200): Buffer {
  return box('ftyp', fourCc(majorBrand), u32(minorVersion), ...compatibleBrands.map(fourCc));
}

/** A version-0 `mvhd` (movie header): timescale 1000, duration 1000, identity matrix. */
export function mvhd(): Buffer {
  const payload = Buffer.alloc(100);
  payload.writeUInt32BE(1000, 12); // timescale (after version/flags, creation and modification times)
  payload.writeUInt32BE(1000, 16); // duration
  payload.writeUInt32BE(0x00010000, 20); // rate 1.0
  payload.writeUInt16BE(0x0100, 24); // volume 1.0
  [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].forEach((value, index) => payload.writeUInt32BE(value, 36 + index * 4));
  payload.writeUInt32BE(2, 96); // next track id
  return box('mvhd', payload);
}

export const moov = (): Buffer => box('moov', mvhd());
export const mdat = (bytes = 16): Buffer => box('mdat', Buffer.alloc(bytes, 0xab));

/** `ftyp isom` + `moov(mvhd)` + `mdat`: the smallest file the validator accepts. */
export function minimalMp4(): Buffer {
  return Buffer.concat([ftyp('isom', ['isom', 'iso2', 'avc1', 'mp41']), moov(), mdat()]);
}
