import type { Readable } from 'node:stream';
import { AppError, NotFoundError, ValidationError } from '../errors/appError.ts';

/**
 * The object store port for binaries (images, videos). Two adapters implement it: files under
 * `DATA_DIR/media` (embedded default) and MinIO/S3 (production). Both pass
 * `test/contracts/objectStoreContract.ts`.
 *
 * Keys are relative slash-separated paths such as `products/2024/05/25/16201/<uuid>.jpg`: at most
 * 1024 characters, segments of 1–200 characters from `A-Z a-z 0-9 . _ -`, none empty and none
 * starting with `.` (so no `.`/`..`). A key may be an object and the prefix of others at once
 * (`a` and `a/b`), as in S3. Keys sort by plain string comparison (ASCII, so byte order).
 *
 * Error codes every adapter uses: `INVALID_OBJECT_KEY`, `INVALID_OBJECT_PREFIX`,
 * `INVALID_OBJECT_SIZE`, `INVALID_SHA256`, `INVALID_CONTENT_TYPE`, `INVALID_OBJECT_BODY` (a stream
 * yielding strings), `INVALID_RANGE` (400),
 * `OBJECT_SIZE_MISMATCH`, `OBJECT_SHA256_MISMATCH` (400, nothing stored), `OBJECT_NOT_FOUND` (404),
 * `RANGE_NOT_SATISFIABLE` (416).
 */

export interface ObjectInfo {
  key: string;
  size: number;
  contentType: string;
  /** Lower-case hex SHA-256 of the whole content. */
  sha256: string;
  /** ISO-8601 time of the last put. */
  lastModified: string;
}

export interface PutObjectInput {
  key: string;
  /** Bytes, or a stream whose total length is `size`. */
  body: Buffer | Readable;
  /** Required for streams; checked against what was read. */
  size?: number;
  contentType: string;
  /** When given (hex, any case), the content must hash to it or nothing is stored. */
  sha256?: string;
  /**
   * `cache`: the object can be made again from others (a rendition), so a crash may lose it: the
   * put is still atomic (whole or nothing) but need not wait for the disk. Default `durable`.
   */
  durability?: 'durable' | 'cache';
}

/**
 * Inclusive byte range, as in HTTP `Range: bytes=start-end`: integers with `0 <= start <= end`.
 * An `end` past the last byte is clamped to it; a `start` at or past the size (any range on an
 * empty object) is unsatisfiable (416). See {@link resolveByteRange}.
 */
export interface ByteRange {
  start: number;
  end: number;
}

export interface GetObjectResult {
  info: ObjectInfo;
  /** The content (or the range of it). Consume or destroy it: it holds a file or connection. */
  body: Readable;
  /** The range actually served (after clamping), when one was asked for. */
  range?: ByteRange;
}

export interface ObjectStore {
  /**
   * Stores the object atomically: readers see the old object or the whole new one.
   * @throws ValidationError for an invalid key, size, sha256 or content type.
   * @throws AppError `OBJECT_SIZE_MISMATCH` / `OBJECT_SHA256_MISMATCH`; nothing is stored then.
   */
  put(input: PutObjectInput): Promise<ObjectInfo>;
  /**
   * @throws NotFoundError (code `OBJECT_NOT_FOUND`) when the key does not exist.
   * @throws AppError `INVALID_RANGE` (400) or `RANGE_NOT_SATISFIABLE` (416) for a bad range.
   */
  get(key: string, range?: ByteRange): Promise<GetObjectResult>;
  /** `null` when the key does not exist. */
  stat(key: string): Promise<ObjectInfo | null>;
  /** Idempotent: deleting a missing key succeeds. */
  delete(key: string): Promise<void>;
  /**
   * Every object whose key starts with `prefix`, in key order, each as `stat` would return it.
   * `prefix` is `''` or a key's beginning (a partial last segment or a trailing `/` is fine);
   * an invalid one makes the first iteration step reject with `INVALID_OBJECT_PREFIX`.
   */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** Refuses new calls; calls already under way finish first. */
  close(): Promise<void>;
}

export const OBJECT_KEY_MAX_LENGTH = 1024;
export const OBJECT_KEY_SEGMENT_MAX_LENGTH = 200;
const SEGMENT_CHARS = /^[A-Za-z0-9._-]+$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const CONTENT_TYPE = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;

/** Why `key` is not a valid object key, or `undefined` when it is. */
function keyProblem(key: unknown, allowPartial: boolean): string | undefined {
  if (typeof key !== 'string') return 'Must be a string.';
  if (key === '') return allowPartial ? undefined : 'Must not be empty.';
  if (key.length > OBJECT_KEY_MAX_LENGTH) return `Must be at most ${OBJECT_KEY_MAX_LENGTH} characters.`;
  if (key.startsWith('/')) return 'Must be relative (no leading "/").';
  const segments = key.split('/');
  // A prefix may end in "/" or in the beginning of a segment; a key must end in a full segment.
  if (allowPartial && segments.at(-1) === '') segments.pop();
  for (const segment of segments) {
    if (segment === '') return 'Must not contain empty segments.';
    if (segment === '.' || segment === '..') return 'Must not contain "." or ".." segments.';
    if (segment.startsWith('.')) return 'Segments must not start with ".".';
    if (!SEGMENT_CHARS.test(segment)) return 'Segments may only contain A-Z, a-z, 0-9, ".", "_" and "-".';
    if (segment.length > OBJECT_KEY_SEGMENT_MAX_LENGTH) {
      return `Segments must be at most ${OBJECT_KEY_SEGMENT_MAX_LENGTH} characters.`;
    }
  }
  return undefined;
}

/** Whether `key` follows the key rules (see the top of this file). */
export function isValidObjectKey(key: string): boolean {
  return keyProblem(key, false) === undefined;
}

/** @throws ValidationError `INVALID_OBJECT_KEY` with `{ key: [reason] }`. */
export function assertObjectKey(key: unknown): asserts key is string {
  const problem = keyProblem(key, false);
  if (problem !== undefined) throw ValidationError.field('key', problem, 'INVALID_OBJECT_KEY');
}

/** @throws ValidationError `INVALID_OBJECT_PREFIX` with `{ prefix: [reason] }`. */
export function assertObjectPrefix(prefix: unknown): asserts prefix is string {
  const problem = keyProblem(prefix, true);
  if (problem !== undefined) throw ValidationError.field('prefix', problem, 'INVALID_OBJECT_PREFIX');
}

/**
 * Checks a put's arguments and returns the expected size and lower-case sha256 (if any).
 * @throws ValidationError (`INVALID_OBJECT_KEY`, `INVALID_OBJECT_SIZE`, `INVALID_SHA256`,
 * `INVALID_CONTENT_TYPE`).
 */
export function checkPutInput(input: PutObjectInput): { size: number | undefined; sha256: string | undefined } {
  assertObjectKey(input.key);
  if (typeof input.contentType !== 'string' || !CONTENT_TYPE.test(input.contentType)) {
    throw ValidationError.field('contentType', 'Must be 1–255 printable ASCII characters.', 'INVALID_CONTENT_TYPE');
  }
  const { size, sha256 } = input;
  if (size !== undefined && !(Number.isSafeInteger(size) && size >= 0)) {
    throw ValidationError.field('size', 'Must be a non-negative integer.', 'INVALID_OBJECT_SIZE');
  }
  if (size === undefined && !Buffer.isBuffer(input.body)) {
    throw ValidationError.field('size', 'Required for a stream body.', 'INVALID_OBJECT_SIZE');
  }
  if (sha256 !== undefined && !(typeof sha256 === 'string' && SHA256_HEX.test(sha256))) {
    throw ValidationError.field('sha256', 'Must be 64 hex digits.', 'INVALID_SHA256');
  }
  return { size, sha256: sha256?.toLowerCase() };
}

/**
 * Validates `range` against an object of `size` bytes and clamps its end to the last byte.
 * @throws ValidationError `INVALID_RANGE` (400) when it is not `0 <= start <= end` integers.
 * @throws AppError `RANGE_NOT_SATISFIABLE` (416) when `start >= size`.
 */
export function resolveByteRange(range: ByteRange | undefined, size: number): ByteRange | undefined {
  if (range === undefined) return undefined;
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw ValidationError.field('range', 'Must be integers with 0 <= start <= end.', 'INVALID_RANGE');
  }
  if (start >= size) {
    throw new AppError(
      'RANGE_NOT_SATISFIABLE',
      `Range ${start}-${end} is not satisfiable for an object of ${size} bytes.`,
      { status: 416 },
    );
  }
  return { start, end: Math.min(end, size - 1) };
}

export function objectNotFound(key: string): NotFoundError {
  return new NotFoundError(`Object ${key} does not exist.`, 'OBJECT_NOT_FOUND');
}

/** `actual` is `undefined` when the body ran past `expected` and reading stopped there. */
export function objectSizeMismatch(expected: number, actual: number | undefined): AppError {
  const got = actual === undefined ? `more than ${expected}` : `${actual}`;
  return new AppError('OBJECT_SIZE_MISMATCH', `Body has ${got} bytes, expected ${expected}.`, { status: 400 });
}

export function objectSha256Mismatch(expected: string, actual: string): AppError {
  return new AppError('OBJECT_SHA256_MISMATCH', `Body hashes to ${actual}, expected ${expected}.`, {
    status: 400,
  });
}
