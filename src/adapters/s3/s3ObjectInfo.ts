import type { IncomingHttpHeaders } from 'node:http';
import type { BucketItemStat } from 'minio';
import type { ObjectInfo } from '../../ports/objectStore.ts';
import { corruptObject } from './s3Errors.ts';

/**
 * How an object's facts live in S3: size and content type are the object's own; sha256 and the
 * time of the put are user metadata (`x-amz-meta-sha256`, `x-amz-meta-stored-at`), set in the same
 * request that makes the object visible, so they can never disagree with its content.
 *
 * Why the time is ours rather than the server's Last-Modified: S3 gives Last-Modified to the
 * second in HEAD/GET answers but to the millisecond in listings and copy results, so put, stat and
 * list could not return the same `lastModified`. The server's value is used only for objects that
 * lack ours.
 */
const META_PREFIX = 'x-amz-meta-';
const SHA256 = 'sha256';
const STORED_AT = 'stored-at';
const SHA256_HEX = /^[0-9a-f]{64}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** User metadata (names without the `x-amz-meta-` prefix, as minio takes them) of a put. */
export function userMetadata(info: ObjectInfo): Record<string, string> {
  return { [SHA256]: info.sha256, [STORED_AT]: info.lastModified };
}

interface ObjectFacts {
  size: number;
  contentType: unknown;
  sha256: unknown;
  storedAt: unknown;
  serverLastModified: Date;
}

/** The info of a HEAD answer as minio's `statObject` returns it. */
export function infoFromStat(key: string, stat: BucketItemStat): ObjectInfo {
  const meta = stat.metaData as Record<string, unknown>;
  return toInfo(key, {
    size: stat.size,
    contentType: meta['content-type'],
    sha256: meta[SHA256],
    storedAt: meta[STORED_AT],
    serverLastModified: stat.lastModified,
  });
}

/** The info of a GET answer for an object of `size` bytes (the answer may hold a range of it). */
export function infoFromHeaders(key: string, headers: IncomingHttpHeaders, size: number): ObjectInfo {
  return toInfo(key, {
    size,
    contentType: headers['content-type'],
    sha256: headers[META_PREFIX + SHA256],
    storedAt: headers[META_PREFIX + STORED_AT],
    serverLastModified: new Date(headers['last-modified'] ?? Number.NaN),
  });
}

function toInfo(key: string, facts: ObjectFacts): ObjectInfo {
  const { size, contentType, sha256, storedAt, serverLastModified } = facts;
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) {
    throw corruptObject(key, 'it has no sha256 metadata, so this store did not write it');
  }
  if (typeof contentType !== 'string' || !Number.isSafeInteger(size) || size < 0) {
    throw corruptObject(key, 'the server gave no content type or size');
  }
  let lastModified: string;
  if (typeof storedAt === 'string' && ISO_8601.test(storedAt)) lastModified = storedAt;
  else if (!Number.isNaN(serverLastModified.getTime())) lastModified = serverLastModified.toISOString();
  else throw corruptObject(key, 'the server gave no modification time');
  return { key, size, contentType, sha256, lastModified };
}
