import type { IncomingMessage } from 'node:http';
import { AppError, UnavailableError } from '../../errors/appError.ts';

/**
 * Translations of S3 driver failures into the service's errors: `minio` and `node:http` errors
 * never leave the adapter. An S3 failure is either the server's answer (an XML `<Code>`, carried
 * by minio's `S3Error` or by our {@link S3ResponseError}) or a network failure (`ECONNREFUSED`...).
 */

/** An S3 error answer to a request the adapter sent itself (see `s3Http.ts`). */
export class S3ResponseError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'S3ResponseError';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'ERR_STREAM_PREMATURE_CLOSE',
]);
/** The server refused who we are or what we may do: a configuration problem, never a client's. */
const ACCESS_CODES = new Set([
  'AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AllAccessDisabled', 'ExpiredToken',
  'InvalidToken', 'AccountProblem', 'RequestTimeTooSkewed',
]);
/** The server is there but cannot serve now; worth retrying later. */
const BUSY_CODES = new Set([
  'SlowDown', 'ServiceUnavailable', 'InternalError', 'RequestTimeout', 'XMinioServerNotInitialized',
]);
const MISSING_OBJECT_CODES = new Set(['NoSuchKey', 'NotFound']);

export function s3ErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/** The object (not the bucket) does not exist. */
export function isMissingObject(error: unknown): boolean {
  const code = s3ErrorCode(error);
  return code !== undefined && MISSING_OBJECT_CODES.has(code);
}

/**
 * Passes AppErrors through and translates anything else:
 * network failures, time-outs, 5xx and non-S3 answers → `UnavailableError` (503);
 * refused credentials or permissions → `OBJECT_STORE_ACCESS_DENIED` (500);
 * a bucket deleted under the store → `OBJECT_STORE_BUCKET_MISSING` (500);
 * any other answer → `OBJECT_STORE_FAILED` (500). None of them is exposed to clients.
 */
export function s3Failure(action: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = s3ErrorCode(error);
  const status = error instanceof S3ResponseError ? error.statusCode : undefined;
  // minio gives no status; an answer without an S3 code came from a proxy or a failing node.
  const foreign = code === undefined && (error as Error | undefined)?.name === 'S3Error';
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new UnavailableError(`Object store could not ${action}.`, error);
  }
  if (code !== undefined && ACCESS_CODES.has(code)) {
    return new AppError(
      'OBJECT_STORE_ACCESS_DENIED',
      `Object store denied access to ${action} (${code}): check its credentials and bucket policy.`,
      { status: 500, cause: error },
    );
  }
  if (code === 'NoSuchBucket') {
    return new AppError('OBJECT_STORE_BUCKET_MISSING', `Object store bucket is missing, could not ${action}.`, {
      status: 500,
      cause: error,
    });
  }
  if ((code !== undefined && BUSY_CODES.has(code)) || (status !== undefined && status >= 500) || foreign) {
    return new UnavailableError(`Object store could not ${action}.`, error);
  }
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return new AppError('OBJECT_STORE_FAILED', `Object store could not ${action}: ${reason}.`, {
    status: 500,
    cause: error,
  });
}

/** An object exists under a valid key but was not written by this store (no sha256 metadata...). */
export function corruptObject(key: string, reason: string): AppError {
  return new AppError('OBJECT_CORRUPT', `Object ${key} is unreadable: ${reason}.`, { status: 500 });
}

const MAX_ERROR_BODY = 64 * 1024;

/** Reads an S3 error answer (`<Error><Code>…</Code><Message>…</Message></Error>`, maybe empty). */
export async function readS3Error(response: IncomingMessage): Promise<S3ResponseError> {
  const status = response.statusCode ?? 0;
  let xml = '';
  try {
    for await (const chunk of response) {
      xml += (chunk as Buffer).toString('utf8');
      if (xml.length > MAX_ERROR_BODY) break;
    }
  } catch {
    // The status alone still tells what happened.
  } finally {
    if (!response.complete) response.destroy(); // a cut-off read leaves the connection unusable
  }
  const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  const code = tag('Code') ?? (status === 404 ? 'NotFound' : status === 403 ? 'AccessDenied' : `HTTP${status}`);
  return new S3ResponseError(status, code, tag('Message') ?? `Object store answered ${status}.`);
}
