import { createHash, randomUUID } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ValidationError } from '../../errors/appError.ts';
import {
  objectSha256Mismatch,
  objectSizeMismatch,
  type ObjectInfo,
  type PutObjectInput,
} from '../../ports/objectStore.ts';
import { ioFailure } from './fsErrors.ts';
import { encodeTrailer } from './objectFile.ts';

export interface StagedObject {
  /** A complete, fsynced object file in the temp dir, ready to be renamed into place. */
  tempPath: string;
  info: ObjectInfo;
}

export interface StageExpectations {
  size: number | undefined;
  sha256: string | undefined;
}

/**
 * Writes the body to a new temp file chunk by chunk (never holding the whole body), hashing and
 * counting as it goes, then checks size and sha256, appends the metadata trailer and fsyncs.
 * On any failure the temp file is removed and nothing else is touched. An error raised by the
 * body stream itself is rethrown as it is (it is the caller's); fs failures become AppErrors.
 */
export async function stageObject(
  tmpDir: string,
  input: PutObjectInput,
  expected: StageExpectations,
  now: () => Date,
): Promise<StagedObject> {
  const tempPath = join(tmpDir, `${randomUUID()}.tmp`);
  let handle: FileHandle | undefined;
  let readingBody = false;
  try {
    handle = await open(tempPath, 'wx');
    const hash = createHash('sha256');
    let received = 0;
    readingBody = true;
    for await (const chunk of chunksOf(input.body)) {
      readingBody = false;
      const bytes = toBuffer(chunk);
      received += bytes.length;
      // Stop early: a body longer than declared must not fill the disk before it is refused.
      if (expected.size !== undefined && received > expected.size) {
        throw objectSizeMismatch(expected.size, undefined);
      }
      hash.update(bytes);
      await writeAll(handle, bytes);
      readingBody = true;
    }
    readingBody = false;
    if (expected.size !== undefined && received !== expected.size) throw objectSizeMismatch(expected.size, received);
    const sha256 = hash.digest('hex');
    if (expected.sha256 !== undefined && sha256 !== expected.sha256) {
      throw objectSha256Mismatch(expected.sha256, sha256);
    }
    const info: ObjectInfo = {
      key: input.key,
      size: received,
      contentType: input.contentType,
      sha256,
      lastModified: now().toISOString(),
    };
    await writeAll(handle, encodeTrailer(info));
    if (input.durability !== 'cache') await handle.sync();
    await handle.close();
    handle = undefined;
    return { tempPath, info };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(tempPath, { force: true }).catch(() => undefined);
    throw readingBody ? error : ioFailure(`write ${input.key}`, error);
  }
}

function chunksOf(body: Buffer | Readable): AsyncIterable<unknown> | Iterable<unknown> {
  return Buffer.isBuffer(body) ? [body] : body;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw ValidationError.field('body', 'Streams must yield bytes (Buffer or Uint8Array).', 'INVALID_OBJECT_BODY');
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}
