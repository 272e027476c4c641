import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteRange, ObjectInfo } from '../ports/objectStore.ts';
import { parseRangeHeader } from './rangeHeader.ts';
import type { StoredBinary } from './renditions.ts';

/** How the answer may be cached, and what else it varies with. */
export interface CachingHeaders {
  cacheControl: string;
  vary?: string;
}

/**
 * Answers a GET or HEAD with a stored binary: `Content-Type`, `Content-Length`, a strong `ETag`
 * (`"<sha256>"`), `Last-Modified`, `If-None-Match`/`If-Modified-Since` → 304, and single byte
 * ranges → 206 (an unsatisfiable one → 416 whose `Content-Range` gives only the size; several
 * ranges → the whole 200). Bytes in memory are written at once; others are streamed from the
 * store (the stream already open, or `open`), never buffered. Answers the status sent: at once
 * when the bytes are in memory (no promise on the hot path), else once the stream has ended.
 */
export function sendBinary(
  req: IncomingMessage,
  res: ServerResponse,
  binary: StoredBinary,
  open: (range?: ByteRange) => Promise<Readable>,
  caching: CachingHeaders,
): number | Promise<number> {
  const { info } = binary;
  // An open stream that is not sent whole (304, HEAD, a range) is closed here.
  const unused = () => binary.stream?.destroy();
  const validators = validatorsOf(info);
  const headers: Record<string, string | number> = { ETag: validators.etag, 'Last-Modified': validators.lastModified, 'Cache-Control': caching.cacheControl };
  if (caching.vary !== undefined) headers.Vary = caching.vary;
  if (notModified(req, validators)) {
    unused();
    res.writeHead(304, headers).end();
    return 304;
  }
  headers['Accept-Ranges'] = 'bytes';
  const request = req.headers.range === undefined || !rangeApplies(req, validators) ? { kind: 'whole' as const } : parseRangeHeader(req.headers.range, info.size);
  if (request.kind === 'unsatisfiable') {
    unused();
    res.setHeader('Content-Range', `bytes */${info.size}`);
    sendJson(res, 416, { detail: 'Requested range not satisfiable.' });
    return 416;
  }
  const range = request.kind === 'range' ? request.range : undefined;
  const status = range ? 206 : 200;
  headers['Content-Type'] = info.contentType;
  headers['Content-Length'] = range ? range.end - range.start + 1 : info.size;
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${info.size}`;
  res.writeHead(status, headers);
  if (req.method === 'HEAD') {
    unused();
    res.end();
    return status;
  }
  if (binary.body !== undefined) {
    res.end(range ? binary.body.subarray(range.start, range.end + 1) : binary.body);
    return status;
  }
  return stream(binary, range, open, res, status);
}

async function stream(binary: StoredBinary, range: ByteRange | undefined, open: (range?: ByteRange) => Promise<Readable>, res: ServerResponse, status: number): Promise<number> {
  if (binary.stream !== undefined && range === undefined) {
    await pipeline(binary.stream, res);
    return status;
  }
  binary.stream?.destroy();
  await pipeline(await open(range), res);
  return status;
}

/** The validators of a stored object, as header values; computed once per object. */
interface Validators {
  etag: string;
  lastModified: string;
  /** `lastModified` in whole seconds (HTTP dates have no more). */
  lastModifiedSeconds: number;
}

const validatorsCache = new WeakMap<ObjectInfo, Validators>();

function validatorsOf(info: ObjectInfo): Validators {
  let validators = validatorsCache.get(info);
  if (validators === undefined) {
    const modified = Date.parse(info.lastModified);
    validators = { etag: `"${info.sha256}"`, lastModified: new Date(modified).toUTCString(), lastModifiedSeconds: Math.floor(modified / 1000) };
    validatorsCache.set(info, validators);
  }
  return validators;
}

/** A JSON answer (errors of the media URLs). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** RFC 9110 §13.1.2–3: `If-None-Match` (weak comparison) wins over `If-Modified-Since`. */
function notModified(req: IncomingMessage, validators: Validators): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined && ifNoneMatch !== '') {
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(validators.etag);
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && validators.lastModifiedSeconds * 1000 <= since;
}

/** `If-Range` (RFC 9110 §13.1.5): the range applies only if the client's copy is still this one. */
function rangeApplies(req: IncomingMessage, validators: Validators): boolean {
  const header = req.headers['if-range'];
  const ifRange = typeof header === 'string' ? header.trim() : '';
  if (ifRange === '') return true;
  if (ifRange.startsWith('"') || ifRange.startsWith('W/')) return ifRange === validators.etag;
  return ifRange === validators.lastModified;
}
