import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ByteRange, ObjectInfo } from '../../ports/objectStore.ts';
import { corruptObject } from './fsErrors.ts';

/**
 * Format of an object file: the content bytes, then the metadata as JSON, then a 12-byte footer
 * (uint32 BE length of the JSON, then the magic `PMCOBJ01`).
 *
 * Why metadata lives in the same file rather than in a sidecar: one rename commits content and
 * metadata together, so no crash can leave them disagreeing (a sidecar needs two renames and a
 * recovery rule), and a reader that opened the file holds one inode, so its info and bytes always
 * belong to the same put even while an overwrite lands. The content starts at offset 0 and is
 * served with a ranged read, so the trailer never reaches clients.
 */
const MAGIC = Buffer.from('PMCOBJ01', 'latin1');
const FOOTER_LENGTH = 4 + MAGIC.length;
const MAX_METADATA_LENGTH = 64 * 1024;
/** One read at the tail usually catches the footer and the metadata together. */
const TAIL_READ_LENGTH = 4096;

interface StoredMetadata extends ObjectInfo {
  v: 1;
}

/** The bytes appended after the content of an object. */
export function encodeTrailer(info: ObjectInfo): Buffer {
  const stored: StoredMetadata = { v: 1, ...info };
  const json = Buffer.from(JSON.stringify(stored), 'utf8');
  const footer = Buffer.alloc(FOOTER_LENGTH);
  footer.writeUInt32BE(json.length, 0);
  MAGIC.copy(footer, 4);
  return Buffer.concat([json, footer]);
}

/**
 * Reads the metadata of an open object file and checks it against the file and the key.
 * @throws AppError `OBJECT_CORRUPT` when the file is not a well-formed object of `key`.
 */
export async function readObjectInfo(handle: FileHandle, key: string): Promise<ObjectInfo> {
  const total = await regularFileSize(handle, key);
  const tail = await readAt(handle, Math.max(0, total - TAIL_READ_LENGTH), Math.min(total, TAIL_READ_LENGTH));
  const { metadataLength, contentLength } = footerOf(tail, total, key);
  const json =
    metadataLength + FOOTER_LENGTH <= tail.length
      ? tail.subarray(tail.length - FOOTER_LENGTH - metadataLength, tail.length - FOOTER_LENGTH)
      : await readAt(handle, contentLength, metadataLength);
  return checkedInfo(json, contentLength, key);
}

/**
 * The metadata and the whole content of an open object file of at most `maxFileSize` bytes, read
 * in one read (a stream takes a read per 64 KiB and the tail another: each a trip through the
 * thread pool that image jobs also use); `undefined` for a larger file.
 * @throws AppError `OBJECT_CORRUPT` when the file is not a well-formed object of `key`.
 */
export async function readSmallObject(handle: FileHandle, key: string, maxFileSize: number): Promise<{ info: ObjectInfo; content: Buffer } | undefined> {
  const total = await regularFileSize(handle, key);
  if (total > maxFileSize) return undefined;
  const file = await readAt(handle, 0, total);
  if (file.length !== total) throw corruptObject(key, 'the file changed while it was read');
  const { metadataLength, contentLength } = footerOf(file, total, key);
  const info = checkedInfo(file.subarray(contentLength, contentLength + metadataLength), contentLength, key);
  return { info, content: file.subarray(0, contentLength) };
}

async function regularFileSize(handle: FileHandle, key: string): Promise<number> {
  const stats = await handle.stat();
  if (!stats.isFile()) throw corruptObject(key, 'not a regular file');
  return stats.size;
}

/** The lengths the footer at the end of `tail` (the last bytes of a `total`-byte file) gives. */
function footerOf(tail: Buffer, total: number, key: string): { metadataLength: number; contentLength: number } {
  if (tail.length < FOOTER_LENGTH || !tail.subarray(tail.length - MAGIC.length).equals(MAGIC)) {
    throw corruptObject(key, 'no metadata footer');
  }
  const metadataLength = tail.readUInt32BE(tail.length - FOOTER_LENGTH);
  if (metadataLength > MAX_METADATA_LENGTH || metadataLength + FOOTER_LENGTH > total) {
    throw corruptObject(key, 'bad metadata length');
  }
  return { metadataLength, contentLength: total - FOOTER_LENGTH - metadataLength };
}

function checkedInfo(json: Buffer, contentLength: number, key: string): ObjectInfo {
  const info = parseMetadata(json);
  if (info === undefined) throw corruptObject(key, 'malformed metadata');
  if (info.key !== key || info.size !== contentLength) throw corruptObject(key, 'metadata does not match the file');
  return info;
}

/**
 * Streams the content of an open object file, or the (already resolved) range of it, and hands
 * the handle to the stream, which closes it when it ends or is destroyed.
 */
export async function openContentStream(handle: FileHandle, size: number, range?: ByteRange): Promise<Readable> {
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  if (end < start) {
    await handle.close(); // an empty object read whole
    return Readable.from([]);
  }
  return handle.createReadStream({ start, end });
}

function parseMetadata(json: Buffer): ObjectInfo | undefined {
  let value: Partial<StoredMetadata>;
  try {
    value = JSON.parse(json.toString('utf8')) as Partial<StoredMetadata>;
  } catch {
    return undefined;
  }
  const { v, key, size, contentType, sha256, lastModified } = value;
  if (v !== 1 || typeof key !== 'string' || typeof size !== 'number' || typeof contentType !== 'string') {
    return undefined;
  }
  if (typeof sha256 !== 'string' || typeof lastModified !== 'string') return undefined;
  return { key, size, contentType, sha256, lastModified };
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
