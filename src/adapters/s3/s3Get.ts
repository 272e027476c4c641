import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { UnavailableError } from '../../errors/appError.ts';
import {
  objectNotFound,
  resolveByteRange,
  type ByteRange,
  type GetObjectResult,
} from '../../ports/objectStore.ts';
import { statInfo, type S3Context } from './s3Context.ts';
import { isMissingObject, s3Failure } from './s3Errors.ts';
import { infoFromHeaders } from './s3ObjectInfo.ts';

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

/**
 * One GET answers with both the bytes and the object's info (its headers), so the two always
 * belong to the same version even while an overwrite lands. Ranges are checked by the port's
 * `resolveByteRange` against the size the answer reports, so every adapter refuses the same
 * ranges with the same messages; the body handed out is cut to exactly the resolved range,
 * whatever extra bytes a server sends (a server may ignore `Range`, and s3rver serves all of an
 * object for `bytes=0-0`).
 */
export async function getObject(context: S3Context, key: string, range?: ByteRange): Promise<GetObjectResult> {
  // The range's shape is checked before any I/O; whether it is satisfiable needs the size.
  if (range !== undefined) resolveByteRange(range, Number.MAX_SAFE_INTEGER);
  const headers = range === undefined ? {} : { range: `bytes=${range.start}-${range.end}` };
  for (let attempt = 1; ; attempt++) {
    let response: IncomingMessage;
    try {
      const url = await context.presign('GET', key);
      response = await context.http.send(url, 'GET', headers, [200, 206, 416]);
    } catch (error) {
      if (isMissingObject(error)) throw objectNotFound(key);
      throw s3Failure(`read ${key}`, error);
    }
    if (response.statusCode !== 416) return servedPart(key, response, range);
    response.resume();
    // A 416 answer need not carry the size, which the refusal names: ask for it.
    const info = await statInfo(context, key);
    if (info === null) throw objectNotFound(key);
    resolveByteRange(range, info.size); // throws RANGE_NOT_SATISFIABLE unless the object just grew
    if (attempt === 2) throw new UnavailableError(`Object ${key} kept changing while it was read.`);
  }
}

function servedPart(key: string, response: IncomingMessage, range: ByteRange | undefined): GetObjectResult {
  try {
    const { offset, size } = extentOf(response);
    const info = infoFromHeaders(key, response.headers, size);
    const served = resolveByteRange(range, size);
    const start = served?.start ?? 0;
    const length = served === undefined ? size : served.end - served.start + 1;
    if (start < offset) throw new UnavailableError(`Object store served ${key} from byte ${offset}, not ${start}.`);
    const body = byteWindow(response, start - offset, length, key);
    return served === undefined ? { info, body } : { info, body, range: served };
  } catch (error) {
    response.destroy();
    throw s3Failure(`read ${key}`, error);
  }
}

/** Where the answer's body starts in the object, and the object's size. */
function extentOf(response: IncomingMessage): { offset: number; size: number } {
  if (response.statusCode === 206) {
    const match = CONTENT_RANGE.exec(response.headers['content-range'] ?? '');
    if (match !== null) return { offset: Number(match[1]), size: Number(match[3]) };
  } else {
    const size = Number(response.headers['content-length']);
    if (response.headers['content-length'] !== undefined && Number.isSafeInteger(size)) return { offset: 0, size };
  }
  throw new UnavailableError('Object store answered without a usable Content-Range or Content-Length.');
}

/**
 * Bytes `[skip, skip + take)` of `source`. Ends once they are through (closing the source), and
 * fails with an AppError when the source fails or ends before them.
 */
function byteWindow(source: IncomingMessage, skip: number, take: number, key: string): Readable {
  async function* window(): AsyncGenerator<Buffer> {
    let toSkip = skip;
    let left = take;
    try {
      for await (const chunk of source) {
        if (left === 0) break;
        let bytes = chunk as Buffer;
        if (toSkip > 0) {
          const skipped = Math.min(toSkip, bytes.length);
          toSkip -= skipped;
          bytes = bytes.subarray(skipped);
        }
        if (bytes.length > left) bytes = bytes.subarray(0, left);
        left -= bytes.length;
        if (bytes.length > 0) yield bytes;
        if (left === 0) break; // leaving the loop destroys the source
      }
    } catch (error) {
      throw s3Failure(`read ${key}`, error);
    }
    if (left > 0) throw new UnavailableError(`Object store ended ${key} ${left} bytes early.`);
  }
  return Readable.from(window(), { objectMode: false });
}
